//! Monitoring: cases of alleged violations, their verification workflow,
//! acts, the people involved, and interventions with the authorities. A
//! file per resource; `intervention` and `source` keep their own namespace.

mod act;
mod case;
pub mod intervention;
mod person;
pub mod source;

pub use act::*;
pub use case::*;
pub use person::*;

use crate::platform::{required_text, ValidationError};
use serde::{Deserialize, Serialize};
