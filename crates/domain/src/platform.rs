//! Offices, users and roles: the platform every line of work stands on.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A field-level validation failure: which field, and a stable message key
/// that the web layer translates (`field-error-<code>` in the Fluent files).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {code}")]
pub struct ValidationError {
    pub field: &'static str,
    pub code: &'static str,
    /// The limit a "too-long" value went over (characters), for a message
    /// that says it.
    pub limit: Option<usize>,
}

impl ValidationError {
    pub fn new(field: &'static str, code: &'static str) -> Self {
        Self { field, code, limit: None }
    }

    /// Longer than `max` characters.
    pub fn too_long(field: &'static str, max: usize) -> Self {
        Self { field, code: "too-long", limit: Some(max) }
    }
}

/// Staff roles. What each may do is decided only in [`crate::policy`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Admin,
    HeadOfOffice,
    Officer,
    LegalOfficer,
    MechanismsOfficer,
    ProgrammeOfficer,
    /// Sees aggregates only, never individual records.
    Analyst,
    Viewer,
    /// A person in a government institution: sees only the UN
    /// recommendations assigned to that institution and reports progress.
    FocalPoint,
}

impl Role {
    /// Whether an account of this role can be on a case's team: office
    /// staff who work on records. Not the analyst or viewer (they see no
    /// names), nor a government focal point (not office staff).
    pub const fn joins_case_teams(self) -> bool {
        !matches!(self, Role::Analyst | Role::Viewer | Role::FocalPoint)
    }

    pub const ALL: [Role; 9] = [
        Role::Admin,
        Role::HeadOfOffice,
        Role::Officer,
        Role::LegalOfficer,
        Role::MechanismsOfficer,
        Role::ProgrammeOfficer,
        Role::Analyst,
        Role::Viewer,
        Role::FocalPoint,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::HeadOfOffice => "head_of_office",
            Role::Officer => "officer",
            Role::LegalOfficer => "legal_officer",
            Role::MechanismsOfficer => "mechanisms_officer",
            Role::ProgrammeOfficer => "programme_officer",
            Role::Analyst => "analyst",
            Role::Viewer => "viewer",
            Role::FocalPoint => "focal_point",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = ValidationError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::ALL.into_iter().find(|r| r.as_str() == s.trim()).ok_or(ValidationError::new("role", "unknown-role"))
    }
}

/// Interface languages. Khmer is first-class, not a translation afterthought.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Locale {
    #[default]
    En,
    Km,
}

impl Locale {
    pub const ALL: [Locale; 2] = [Locale::En, Locale::Km];
    pub fn as_str(self) -> &'static str {
        match self {
            Locale::En => "en",
            Locale::Km => "km",
        }
    }
}

impl FromStr for Locale {
    type Err = ValidationError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim() {
            "en" => Ok(Locale::En),
            "km" => Ok(Locale::Km),
            _ => Err(ValidationError::new("locale", "unknown-locale")),
        }
    }
}

/// A normalized (trimmed, lower-cased) e-mail address used as the login name.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Email(String);

impl Email {
    /// An address in one form: Unicode NFKC (fullwidth letters become
    /// ASCII), lower case. Refused: invisible characters (zero-width,
    /// joiners, bidirectional controls), and a local part or domain that
    /// mixes scripts (`thrоw1` with a Cyrillic `о`), the usual way to make
    /// an address that looks like another (issue 14).
    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        use unicode_normalization::UnicodeNormalization;
        use unicode_security::MixedScript;
        let e: String = raw.trim().nfkc().collect::<String>().to_lowercase();
        let err = || ValidationError::new("email", "invalid-email");
        if e.len() > 254
            || e.chars().any(|c| {
                c.is_whitespace() || c.is_control() || crate::text::is_zero_width(c) || crate::text::is_bidi_control(c)
            })
        {
            return Err(err());
        }
        if e.split(['@', '.']).any(|part| !part.is_single_script()) {
            return Err(ValidationError::new("email", "mixed-script"));
        }
        let (local, domain) = e.split_once('@').ok_or_else(err)?;
        if local.is_empty() || domain.is_empty() || domain.contains('@') || !domain.contains('.') {
            return Err(err());
        }
        if domain.starts_with('.') || domain.ends_with('.') {
            return Err(err());
        }
        Ok(Email(e))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// What the address looks like: accents dropped and every letter as its
    /// TR39 confusable skeleton. Two accounts whose addresses look the same
    /// (`throw1@`, `throẁ1@`, an all-Cyrillic lookalike) may not both exist.
    pub fn lookalike_key(email: &str) -> String {
        crate::names::fold(email)
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Office code such as `PNH` (Phnom Penh) or `BTB` (Battambang): 2 to 5 capital
/// ASCII letters, used as the prefix of case reference numbers.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct OfficeCode(String);

impl OfficeCode {
    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        let c = raw.trim().to_uppercase();
        if (2..=5).contains(&c.len()) && c.chars().all(|ch| ch.is_ascii_uppercase()) {
            Ok(OfficeCode(c))
        } else {
            Err(ValidationError::new("code", "invalid-office-code"))
        }
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for OfficeCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A display name or title: trimmed, 1 to `max` characters, no control characters.
/// A required single-line text: trimmed, bidirectional controls removed (a
/// right-to-left override makes a title display as other text than it is;
/// Khmer and English never need them), at most `max` characters, no control
/// characters.
pub fn required_text(field: &'static str, raw: &str, max: usize) -> Result<String, ValidationError> {
    let stripped: String = raw.chars().filter(|c| !crate::text::is_bidi_control(*c)).collect();
    let t = stripped.trim();
    if t.is_empty() {
        return Err(ValidationError::new(field, "required"));
    }
    if t.chars().count() > max {
        return Err(ValidationError::too_long(field, max));
    }
    if t.chars().any(|c| c.is_control()) {
        return Err(ValidationError::new(field, "invalid-characters"));
    }
    Ok(t.to_string())
}

pub const PASSWORD_MIN_CHARS: usize = 12;
pub const PASSWORD_MAX_BYTES: usize = 1024;

/// Password rules: long passphrases rather than composition rules (NIST SP 800-63B).
pub fn check_password(field: &'static str, pw: &str) -> Result<(), ValidationError> {
    if pw.chars().count() < PASSWORD_MIN_CHARS {
        return Err(ValidationError::new(field, "password-too-short"));
    }
    if pw.len() > PASSWORD_MAX_BYTES {
        return Err(ValidationError::new(field, "too-long"));
    }
    Ok(())
}

/// What is needed to create a staff account, validated as a whole.
#[derive(Debug, Clone)]
pub struct NewUserInput {
    pub email: Email,
    pub name: String,
    pub role: Role,
    pub office: OfficeCode,
}

impl NewUserInput {
    /// Validates every field and returns all failures at once, so a form can
    /// show each message beside its field.
    pub fn parse(email: &str, name: &str, role: &str, office: &str) -> Result<Self, Vec<ValidationError>> {
        let email = Email::parse(email);
        let name = required_text("name", name, 120);
        let role = role.parse::<Role>();
        let office = OfficeCode::parse(office).map_err(|e| ValidationError::new("office", e.code));
        match (email, name, role, office) {
            (Ok(email), Ok(name), Ok(role), Ok(office)) => Ok(Self { email, name, role, office }),
            (e, n, r, o) => Err([e.err(), n.err(), r.err(), o.err()].into_iter().flatten().collect()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_is_normalized_and_checked() {
        assert_eq!(Email::parse("  Sok.Dara@Example.ORG ").unwrap().as_str(), "sok.dara@example.org");
        for bad in ["", "no-at", "a@b", "a b@c.org", "@c.org", "a@.org", "a@@c.org"] {
            assert!(Email::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn lookalike_addresses_are_one_form_or_refused() {
        // Fullwidth letters are the ASCII letters.
        assert_eq!(Email::parse("ｔhrow1@example.org").unwrap().as_str(), "throw1@example.org");
        // A Cyrillic letter among Latin ones, invisible characters: refused.
        assert_eq!(Email::parse("thr\u{043E}w1@example.org").unwrap_err().code, "mixed-script");
        assert_eq!(Email::parse("throw1@ex\u{0430}mple.org").unwrap_err().code, "mixed-script");
        for bad in ["thr\u{200B}ow1@example.org", "\u{202E}throw1@example.org", "throw1\u{2060}@example.org"] {
            assert_eq!(Email::parse(bad).unwrap_err().code, "invalid-email", "{bad:?}");
        }
        // What is left looks the same as another address: the same key.
        let key = Email::lookalike_key("throw1@example.org");
        for same in ["throẁ1@example.org", "THROW1@example.org"] {
            assert_eq!(Email::lookalike_key(Email::parse(same).unwrap().as_str()), key, "{same:?}");
        }
        assert_ne!(Email::lookalike_key("throw2@example.org"), key);
        // An all-Cyrillic local part is one script, and looks like Latin "ace".
        let cyrillic = Email::parse("\u{0430}\u{0441}\u{0435}@example.org").unwrap();
        assert_eq!(Email::lookalike_key(cyrillic.as_str()), Email::lookalike_key("ace@example.org"));
    }

    #[test]
    fn roles_round_trip() {
        for r in Role::ALL {
            assert_eq!(r.as_str().parse::<Role>().unwrap(), r);
        }
        assert!("root".parse::<Role>().is_err());
    }

    #[test]
    fn new_user_reports_every_bad_field() {
        let errs = NewUserInput::parse("x", "", "boss", "p1").unwrap_err();
        let fields: Vec<_> = errs.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["email", "name", "role", "office"]);
    }

    #[test]
    fn password_rules() {
        assert!(check_password("password", "short").is_err());
        assert!(check_password("password", "a long enough passphrase").is_ok());
        assert!(check_password("password", &"x".repeat(2000)).is_err());
    }
}

#[cfg(test)]
mod single_line_tests {
    use super::*;

    #[test]
    fn bidi_controls_are_taken_out_of_single_line_fields() {
        assert_eq!(
            required_text("title", "\u{202E}Arrest at the market\u{202C}", 200).unwrap(),
            "Arrest at the market"
        );
        assert_eq!(required_text("title", "ការ\u{200F}ចាប់ខ្លួន \u{2066}x\u{2069}", 200).unwrap(), "ការចាប់ខ្លួន x");
        assert_eq!(required_text("title", "\u{202E}\u{200E}", 200).unwrap_err().code, "required");
        assert_eq!(required_text("title", "a\u{7}b", 200).unwrap_err().code, "invalid-characters");
    }
}
