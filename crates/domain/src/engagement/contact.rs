//! A person the office deals with at an organisation.

use super::{optional_line, passage};
use crate::platform::{required_text, Email, ValidationError};
use serde::Deserialize;

/// A contact as typed on the form.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ContactFields {
    pub organisation_id: String,
    pub name: String,
    pub position: String,
    pub phone: String,
    pub email: String,
    pub notes: String,
}

/// Who the contact is: sealed per field when the organisation's contacts
/// are identifying (`StakeholderKind::contacts_are_identifying`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ContactIdentity {
    pub name: String,
    pub phone: String,
    pub email: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContactInput {
    pub organisation_id: i64,
    pub position: String,
    pub notes: String,
    pub identity: ContactIdentity,
}

/// A phone number as people write them: digits, spaces, `+ - ( ) .`, at
/// least six digits.
fn phone(raw: &str) -> Result<String, ValidationError> {
    let t = raw.trim();
    if t.is_empty() {
        return Ok(String::new());
    }
    let allowed = t.chars().all(|c| c.is_ascii_digit() || matches!(c, ' ' | '+' | '-' | '(' | ')' | '.'));
    if !allowed || t.len() > 40 || t.chars().filter(char::is_ascii_digit).count() < 6 {
        return Err(ValidationError::new("phone", "invalid-phone"));
    }
    Ok(t.to_string())
}

/// The key every spelling of one person's name shares (for the blind index
/// that finds a contact recorded twice): folded as names in text are
/// (`names::fold`: NFKC, invisible characters, Khmer subscript order, case,
/// diacritics, lookalike letters of other scripts); then a Khmer name
/// without its spaces (Khmer is written without them), any other name's
/// words in any order ("Chantha Sok" is "Sok Chantha").
pub fn contact_name_key(name: &str) -> String {
    let folded = crate::names::fold(name);
    let mut words: Vec<&str> = folded.split_whitespace().collect();
    if folded.chars().any(crate::text::is_khmer_letter_or_mark) {
        words.concat()
    } else {
        words.sort_unstable();
        words.join(" ")
    }
}

impl ContactFields {
    pub fn parse(&self) -> Result<ContactInput, Vec<ValidationError>> {
        let mut errors = vec![];
        let organisation_id = crate::protection::optional_id("organisation_id", &self.organisation_id)
            .map_err(|e| errors.push(e))
            .ok()
            .flatten();
        if organisation_id.is_none() && !errors.iter().any(|e| e.field == "organisation_id") {
            errors.push(ValidationError::new("organisation_id", "required"));
        }
        let name = required_text("name", &self.name, 200).map_err(|e| errors.push(e)).ok();
        let position = optional_line("position", &self.position, 200).map_err(|e| errors.push(e)).unwrap_or_default();
        let phone = phone(&self.phone).map_err(|e| errors.push(e)).unwrap_or_default();
        let email = if self.email.trim().is_empty() {
            String::new()
        } else {
            Email::parse(&self.email).map(|e| e.as_str().to_string()).map_err(|e| errors.push(e)).unwrap_or_default()
        };
        let notes = passage("notes", &self.notes, 5_000).map_err(|e| errors.push(e)).unwrap_or_default();
        match (organisation_id, name) {
            (Some(organisation_id), Some(name)) if errors.is_empty() => {
                Ok(ContactInput { organisation_id, position, notes, identity: ContactIdentity { name, phone, email } })
            }
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_name_however_it_is_typed() {
        let key = contact_name_key("សុខ ចាន់ថា");
        for typed in ["សុខចាន់ថា", "សុខ\u{200b}ចាន់ថា", " សុខ  ចាន់ថា "]
        {
            assert_eq!(contact_name_key(typed), key, "{typed:?}");
        }
        let key = contact_name_key("Sok Chantha");
        // A Cyrillic о, a zero-width space, other case and order.
        for typed in ["S\u{043e}k Chantha", "Sok\u{200b}Chantha", "CHANTHA sok", "Sók Chantha"] {
            assert_eq!(contact_name_key(typed), key, "{typed:?}");
        }
        assert_ne!(contact_name_key("Sok Chanthy"), key);
    }

    #[test]
    fn a_contact_needs_an_organisation_and_a_name() {
        let f = ContactFields {
            organisation_id: "3".into(),
            name: "សុខ ចាន់ថា".into(),
            phone: "+855 12 345 678".into(),
            email: " Chantha@Example.org ".into(),
            ..Default::default()
        };
        let c = f.parse().unwrap();
        assert_eq!(c.identity.email, "chantha@example.org");
        assert_eq!(c.identity.phone, "+855 12 345 678");
        let bad = ContactFields { organisation_id: "".into(), name: "".into(), phone: "call me".into(), ..f };
        let fields: Vec<_> = bad.parse().unwrap_err().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["organisation_id", "name", "phone"]);
    }
}
