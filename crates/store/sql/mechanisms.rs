// Mechanisms SQL shared by both backends (see shared.rs for how the
// files are compiled into each backend crate): a file per resource.

use rightsdesk_domain::mechanisms::{AssessmentInput, ImplementationStatus, MechanismKind, RecommendationInput, Response};
use rightsdesk_store::mechanisms::recommendation_fingerprint;
use rightsdesk_store::mechanisms::{
    ActionStore, AssessmentStore, CalendarStore, MechanismStore, ProgressUpdateStore, RecommendationLinkStore,
    RecommendationStore, TreatyStore,
};

include!("mechanisms/bodies.rs");
include!("mechanisms/recommendations.rs");
include!("mechanisms/assessments.rs");
include!("mechanisms/links.rs");
include!("mechanisms/progress.rs");
include!("mechanisms/actions.rs");
include!("mechanisms/treaties.rs");
include!("mechanisms/calendar.rs");
