//! rightsdesk's domain: entities, validated types, workflows and the access
//! policy. No I/O lives here, so every rule can be tested in isolation and is
//! shared unchanged by the web pages, the API and the command line.

pub mod choice;
pub mod engagement;
pub mod legislation;
pub mod mechanisms;
pub mod monitoring;
pub mod names;
pub mod platform;
pub mod policy;
pub mod protection;
pub mod reference;
pub mod text;
pub mod vocabulary;

pub use platform::{check_password, Email, Locale, NewUserInput, OfficeCode, Role, ValidationError};
pub use policy::ContactRef;
pub use policy::{
    can, case_scope, recommendation_aggregate_scope, recommendation_scope, Action, Actor, CaseRef, CaseScope, Decision,
    DenyReason, Module, Principal, RecommendationRef, RecommendationScope, Resource,
};
pub use policy::{law_scope, LawRef, LawScope};
pub use policy::{protection_scope, ProtectionFileRef, ProtectionScope};
