// Protection SQL shared by both backends (see shared.rs for how the files
// are compiled into each backend crate): files, their records, alerts.

use rightsdesk_domain::monitoring::DatePrecision;
use rightsdesk_domain::protection::{
    AlertKind, AlertState, CheckinChannel, CheckinInput, CheckinOutcome, FileStatus, FileSubject, MeasureKind,
    MeasureStatus, ProfileCategory, ProtectionFileInput, RiskLevel, ThreatKind,
};
use rightsdesk_store::protection::*;

include!("protection/files.rs");
include!("protection/records.rs");
include!("protection/alerts.rs");
