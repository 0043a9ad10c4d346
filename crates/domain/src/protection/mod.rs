//! Protection of people at risk (issue 17): protection files for a person
//! or a community, threats, risk assessments over time, protective measures
//! and check-ins that raise an alert when missed. A file per resource; the
//! rules here (the risk level, when a check-in is missed) are pure so the
//! scheduler, the pages and the API share them unchanged.

mod checkin;
mod file;
mod measure;
mod risk;
mod threat;

pub use checkin::*;
pub use file::*;
pub use measure::*;
pub use risk::*;
pub use threat::*;

use crate::platform::ValidationError;
use serde::{Deserialize, Serialize};
