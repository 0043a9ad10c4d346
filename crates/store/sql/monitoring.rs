// Monitoring SQL shared by both backends (see shared.rs for how the
// files are compiled into each backend crate): a file per resource, each
// with the rows it writes, the reads it runs and its part of the store.

use rightsdesk_domain::monitoring::{reference_number, CaseInput, CaseStatus, Sensitivity, Urgency};
use rightsdesk_domain::monitoring::{PersonIdentity, PersonProfile, PersonRole};
use rightsdesk_domain::monitoring::intervention::{InterventionInput, InterventionKind, InterventionStatus};
use rightsdesk_domain::monitoring::source::{Consent, Reliability, SourceMethod, Validity};
use rightsdesk_store::monitoring::fuzzy_from_columns;
use rightsdesk_store::CaseSort;
use rightsdesk_store::monitoring::{
    ActStore, CaseStore, EvidenceStore, InterventionStore, OrganisationStore, PersonStore, SourceStore,
};

include!("monitoring/cases.rs");
include!("monitoring/bundles.rs");
include!("monitoring/persons.rs");
include!("monitoring/acts.rs");
include!("monitoring/organisations.rs");
include!("monitoring/interventions.rs");
include!("monitoring/sources.rs");
include!("monitoring/evidence.rs");
