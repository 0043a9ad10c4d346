//! Engagement: the stakeholder directory (organisations of every kind, how
//! they relate, the people the office deals with there) and the dialogue
//! log (meetings, calls and events with their agreed follow-up actions).

pub mod contact;
pub mod meeting;
pub mod stakeholder;

pub use contact::*;
pub use meeting::*;
pub use stakeholder::*;

use crate::platform::{required_text, ValidationError};

/// A one-line text that may be empty.
pub(crate) fn optional_line(field: &'static str, raw: &str, max: usize) -> Result<String, ValidationError> {
    if raw.trim().is_empty() {
        Ok(String::new())
    } else {
        required_text(field, raw, max)
    }
}

/// A longer text (notes, a summary) that may be empty: no control or
/// direction-override characters, at most `max` characters.
pub(crate) fn passage(field: &'static str, raw: &str, max: usize) -> Result<String, ValidationError> {
    let t = raw.trim();
    if t.chars().count() > max {
        return Err(ValidationError::too_long(field, max));
    }
    if t.chars().any(|c| crate::text::is_bidi_control(c) || (c.is_control() && !matches!(c, '\n' | '\r' | '\t'))) {
        return Err(ValidationError::new(field, "invalid-characters"));
    }
    Ok(t.replace("\r\n", "\n"))
}

/// A province code of the gazetteer (two digits; the database checks it
/// exists), or none.
pub(crate) fn province_code(raw: &str) -> Result<Option<String>, ValidationError> {
    let code = raw.trim();
    if code.is_empty() {
        return Ok(None);
    }
    if code.len() > 4 || !code.chars().all(|c| c.is_ascii_digit()) {
        return Err(ValidationError::new("province_code", "unknown-record"));
    }
    Ok(Some(code.to_string()))
}

/// Record ids typed as a list (`"3, 7"`), each once, in order.
pub(crate) fn id_list(field: &'static str, raw: &str) -> Result<Vec<i64>, ValidationError> {
    let mut ids = vec![];
    for part in raw.split(|c: char| c == ',' || c.is_whitespace()).filter(|p| !p.is_empty()) {
        let id = part.parse::<i64>().ok().filter(|n| *n > 0).ok_or(ValidationError::new(field, "unknown-record"))?;
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    Ok(ids)
}
