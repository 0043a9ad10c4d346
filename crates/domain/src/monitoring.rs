//! Monitoring: cases of alleged violations, their verification workflow,
//! acts, the people involved, and interventions with the authorities.

use crate::platform::{required_text, ValidationError};
use serde::{Deserialize, Serialize};

/// Where a case stands. The workflow is in [`CaseStatus::can_move_to`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CaseStatus {
    Received,
    UnderVerification,
    Verified,
    NotVerified,
    NotAViolation,
    UnderIntervention,
    Closed,
}

impl CaseStatus {
    pub const ALL: [CaseStatus; 7] = [
        CaseStatus::Received,
        CaseStatus::UnderVerification,
        CaseStatus::Verified,
        CaseStatus::NotVerified,
        CaseStatus::NotAViolation,
        CaseStatus::UnderIntervention,
        CaseStatus::Closed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CaseStatus::Received => "received",
            CaseStatus::UnderVerification => "under_verification",
            CaseStatus::Verified => "verified",
            CaseStatus::NotVerified => "not_verified",
            CaseStatus::NotAViolation => "not_a_violation",
            CaseStatus::UnderIntervention => "under_intervention",
            CaseStatus::Closed => "closed",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == s)
    }

    /// The statuses a case may move to next.
    pub fn next(self) -> &'static [CaseStatus] {
        use CaseStatus::*;
        match self {
            Received => &[UnderVerification],
            UnderVerification => &[Verified, NotVerified, NotAViolation],
            Verified => &[UnderIntervention, Closed],
            NotVerified => &[UnderVerification, Closed],
            NotAViolation => &[Closed],
            UnderIntervention => &[Closed],
            // Reopening: back to verification, with a reason.
            Closed => &[UnderVerification],
        }
    }

    /// Checks a transition; reopening a closed case needs a reason.
    pub fn can_move_to(self, to: CaseStatus, reason: &str) -> Result<(), ValidationError> {
        if !self.next().contains(&to) {
            return Err(ValidationError::new("status", "transition-not-allowed"));
        }
        if self == CaseStatus::Closed && reason.trim().is_empty() {
            return Err(ValidationError::new("reason", "reopen-needs-reason"));
        }
        Ok(())
    }
}

/// Restricted cases exist only for their assigned team and the head of their office.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Sensitivity {
    Normal,
    Restricted,
}

impl Sensitivity {
    pub fn as_str(self) -> &'static str {
        match self {
            Sensitivity::Normal => "normal",
            Sensitivity::Restricted => "restricted",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "normal" => Some(Sensitivity::Normal),
            "restricted" => Some(Sensitivity::Restricted),
            _ => None,
        }
    }
}

/// How precisely a date is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DatePrecision {
    Day,
    Month,
    Year,
    Approximate,
}

impl DatePrecision {
    pub fn as_str(self) -> &'static str {
        match self {
            DatePrecision::Day => "day",
            DatePrecision::Month => "month",
            DatePrecision::Year => "year",
            DatePrecision::Approximate => "approximate",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        [Self::Day, Self::Month, Self::Year, Self::Approximate].into_iter().find(|p| p.as_str() == s)
    }
}

/// A date known to a day, a month or a year, or only roughly. Stored as the
/// ISO text the user gave (`2026`, `2026-03`, `2026-03-14`) and a precision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct FuzzyDate {
    pub value: String,
    pub precision: DatePrecision,
}

impl FuzzyDate {
    /// Parses `YYYY`, `YYYY-MM` or `YYYY-MM-DD`; `approximate` marks a rough date.
    pub fn parse(field: &'static str, raw: &str, approximate: bool) -> Result<Option<Self>, ValidationError> {
        let raw = raw.trim();
        if raw.is_empty() {
            return Ok(None);
        }
        let err = || ValidationError::new(field, "invalid-fuzzy-date");
        let parts: Vec<&str> = raw.split('-').collect();
        let num = |s: &str, len: usize| -> Result<u32, ValidationError> {
            if s.len() == len && s.bytes().all(|b| b.is_ascii_digit()) {
                s.parse().map_err(|_| err())
            } else {
                Err(err())
            }
        };
        let year = num(parts[0], 4)?;
        if !(1900..=2100).contains(&year) {
            return Err(err());
        }
        let precision = match parts.len() {
            1 => DatePrecision::Year,
            2 => {
                let m = num(parts[1], 2)?;
                if !(1..=12).contains(&m) {
                    return Err(err());
                }
                DatePrecision::Month
            }
            3 => {
                let m = num(parts[1], 2)?;
                let d = num(parts[2], 2)?;
                let month = time::Month::try_from(m as u8).map_err(|_| err())?;
                time::Date::from_calendar_date(year as i32, month, d as u8).map_err(|_| err())?;
                DatePrecision::Day
            }
            _ => return Err(err()),
        };
        Ok(Some(FuzzyDate {
            value: raw.to_string(),
            precision: if approximate { DatePrecision::Approximate } else { precision },
        }))
    }

    /// The earliest day it can mean, for sorting and range filters.
    pub fn sort_key(&self) -> String {
        match self.value.len() {
            4 => format!("{}-01-01", self.value),
            7 => format!("{}-01", self.value),
            _ => self.value.clone(),
        }
    }
}

/// `PNH-2026-0042`: office, year, number within the office and year.
pub fn reference_number(office_code: &str, year: i32, number: i64) -> String {
    format!("{office_code}-{year}-{number:04}")
}

/// What is needed to open a case, validated as a whole.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseInput {
    pub title: String,
    pub summary: String,
    pub sensitivity: Sensitivity,
    pub province_code: Option<String>,
    pub district_code: Option<String>,
    pub commune_code: Option<String>,
    pub location_text: String,
    pub start: Option<FuzzyDate>,
    pub end: Option<FuzzyDate>,
    pub themes: Vec<String>,
}

/// Raw form or API fields of a case.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct CaseFields {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub summary: String,
    #[serde(default)]
    pub sensitivity: String,
    #[serde(default)]
    pub province: String,
    #[serde(default)]
    pub district: String,
    #[serde(default)]
    pub commune: String,
    #[serde(default)]
    pub location_text: String,
    #[serde(default)]
    pub start_date: String,
    #[serde(default)]
    pub start_approximate: Option<String>,
    #[serde(default)]
    pub end_date: String,
    #[serde(default)]
    pub end_approximate: Option<String>,
    /// Comma-separated.
    #[serde(default)]
    pub themes: String,
}

fn code(field: &'static str, raw: &str, len: usize) -> Result<Option<String>, ValidationError> {
    let t = raw.trim();
    if t.is_empty() {
        return Ok(None);
    }
    if t.len() == len && t.bytes().all(|b| b.is_ascii_digit()) {
        Ok(Some(t.to_string()))
    } else {
        Err(ValidationError::new(field, "invalid-place-code"))
    }
}

fn checked(v: &Option<String>) -> bool {
    matches!(v.as_deref(), Some("on" | "true" | "1"))
}

impl CaseInput {
    /// Validates every field; all failures at once. Place codes are checked
    /// for shape here and for existence (and nesting) by the caller.
    pub fn parse(f: &CaseFields) -> Result<Self, Vec<ValidationError>> {
        let mut errors = vec![];
        macro_rules! ok {
            ($e:expr) => {
                match $e {
                    Ok(v) => Some(v),
                    Err(e) => {
                        errors.push(e);
                        None
                    }
                }
            };
        }
        let title = ok!(required_text("title", &f.title, 200));
        let summary = if f.summary.trim().is_empty() {
            Some(String::new())
        } else {
            ok!(if f.summary.chars().count() > 20_000 {
                Err(ValidationError::new("summary", "too-long"))
            } else {
                Ok(f.summary.trim().to_string())
            })
        };
        let sensitivity = ok!(Sensitivity::parse(if f.sensitivity.is_empty() { "normal" } else { &f.sensitivity })
            .ok_or(ValidationError::new("sensitivity", "invalid-choice")));
        let province = ok!(code("province", &f.province, 2));
        let district = ok!(code("district", &f.district, 4));
        let commune = ok!(code("commune", &f.commune, 6));
        let location_text = ok!(if f.location_text.chars().count() > 300 {
            Err(ValidationError::new("location_text", "too-long"))
        } else {
            Ok(f.location_text.trim().to_string())
        });
        let start = ok!(FuzzyDate::parse("start_date", &f.start_date, checked(&f.start_approximate)));
        let end = ok!(FuzzyDate::parse("end_date", &f.end_date, checked(&f.end_approximate)));
        if let (Some(Some(s)), Some(Some(e))) = (&start, &end) {
            if e.sort_key() < s.sort_key() {
                errors.push(ValidationError::new("end_date", "end-before-start"));
            }
        }
        // A district must lie in the province, a commune in the district.
        if let (Some(Some(p)), Some(Some(d))) = (&province, &district) {
            if !d.starts_with(p.as_str()) {
                errors.push(ValidationError::new("district", "place-not-inside"));
            }
        }
        if let (Some(Some(d)), Some(Some(c))) = (&district, &commune) {
            if !c.starts_with(d.as_str()) {
                errors.push(ValidationError::new("commune", "place-not-inside"));
            }
        }
        let themes: Vec<String> =
            f.themes.split(',').map(|t| t.trim().to_string()).filter(|t| !t.is_empty()).take(20).collect();
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(CaseInput {
            title: title.unwrap_or_default(),
            summary: summary.unwrap_or_default(),
            sensitivity: sensitivity.unwrap_or(Sensitivity::Normal),
            province_code: province.flatten(),
            district_code: district.flatten(),
            commune_code: commune.flatten(),
            location_text: location_text.unwrap_or_default(),
            start: start.flatten(),
            end: end.flatten(),
            themes,
        })
    }
}

/// Finds names of the case's people in a narrative, so they can be replaced
/// by their codes (V1, W2, ...) before the text is saved in clear or indexed.
/// See [`crate::names`] for what counts as the same name.
pub fn names_in_text(text: &str, names: &[(String, String)]) -> Vec<(String, String)> {
    crate::names::NameMatcher::new(names).found_in(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workflow() {
        use CaseStatus::*;
        assert!(Received.can_move_to(UnderVerification, "").is_ok());
        assert!(Received.can_move_to(Closed, "").is_err());
        assert!(UnderVerification.can_move_to(Verified, "").is_ok());
        assert!(Verified.can_move_to(UnderIntervention, "").is_ok());
        assert_eq!(Closed.can_move_to(UnderVerification, " ").unwrap_err().code, "reopen-needs-reason");
        assert!(Closed.can_move_to(UnderVerification, "new witness").is_ok());
        for s in CaseStatus::ALL {
            assert_eq!(CaseStatus::parse(s.as_str()), Some(s));
        }
    }

    #[test]
    fn fuzzy_dates() {
        assert_eq!(FuzzyDate::parse("d", "2026", false).unwrap().unwrap().precision, DatePrecision::Year);
        assert_eq!(FuzzyDate::parse("d", "2026-03", false).unwrap().unwrap().precision, DatePrecision::Month);
        assert_eq!(FuzzyDate::parse("d", "2026-03-14", true).unwrap().unwrap().precision, DatePrecision::Approximate);
        assert!(FuzzyDate::parse("d", "", false).unwrap().is_none());
        for bad in ["26", "2026-13", "2026-02-30", "2026/03/01", "x", "1800"] {
            assert!(FuzzyDate::parse("d", bad, false).is_err(), "{bad}");
        }
        assert_eq!(FuzzyDate::parse("d", "2026-03", false).unwrap().unwrap().sort_key(), "2026-03-01");
    }

    #[test]
    fn case_input_reports_every_problem() {
        let f = CaseFields {
            title: "".into(),
            sensitivity: "secret".into(),
            province: "02".into(),
            district: "0102".into(),
            start_date: "2026-05-01".into(),
            end_date: "2026-04".into(),
            ..Default::default()
        };
        let errs = CaseInput::parse(&f).unwrap_err();
        let fields: Vec<_> = errs.iter().map(|e| (e.field, e.code)).collect();
        assert!(fields.contains(&("title", "required")));
        assert!(fields.contains(&("sensitivity", "invalid-choice")));
        assert!(fields.contains(&("end_date", "end-before-start")));
        assert!(fields.contains(&("district", "place-not-inside")));
        let good = CaseInput::parse(&CaseFields {
            title: "Eviction in Battambang".into(),
            province: "02".into(),
            district: "0203".into(),
            themes: "land, housing ,".into(),
            ..Default::default()
        })
        .unwrap();
        assert_eq!(good.themes, ["land", "housing"]);
        assert_eq!(good.sensitivity, Sensitivity::Normal);
        assert_eq!(reference_number("PNH", 2026, 42), "PNH-2026-0042");
    }

    #[test]
    fn names_are_found_whatever_the_spelling() {
        let names = vec![("V1".to_string(), "Sok Dara".to_string()), ("W1".to_string(), "ស៊ុន ស្តី".to_string())];
        let found = names_in_text("Police detained SÓK  dara at night; ស៊ុន ស\u{17D2}\u{178A}ី saw it.", &names);
        assert_eq!(found.len(), 2);
        assert!(names_in_text("Nothing here", &names).is_empty());
    }
}

/// A person's part in a case; the first letter makes their code (V1, W1, S1, P1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PersonRole {
    Victim,
    Witness,
    Source,
    Perpetrator,
}

impl PersonRole {
    pub const ALL: [PersonRole; 4] =
        [PersonRole::Victim, PersonRole::Witness, PersonRole::Source, PersonRole::Perpetrator];
    pub fn as_str(self) -> &'static str {
        match self {
            PersonRole::Victim => "victim",
            PersonRole::Witness => "witness",
            PersonRole::Source => "source",
            PersonRole::Perpetrator => "perpetrator",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == s)
    }
    pub fn code_letter(self) -> char {
        match self {
            PersonRole::Victim => 'V',
            PersonRole::Witness => 'W',
            PersonRole::Source => 'S',
            PersonRole::Perpetrator => 'P',
        }
    }
}

/// Closed choices of a person record, each with its allowed values.
pub mod person_choices {
    pub const KIND: &[&str] = &["individual", "group", "institution"];
    pub const SEX: &[&str] = &["unknown", "female", "male", "other"];
    pub const AGE_GROUP: &[&str] = &["unknown", "child", "youth", "adult", "older"];
    pub const OCCUPATION: &[&str] = &[
        "unknown",
        "human_rights_defender",
        "journalist",
        "land_activist",
        "trade_unionist",
        "lawyer",
        "religious_leader",
        "community_leader",
        "farmer",
        "worker",
        "student",
        "public_official",
        "other",
    ];
    pub const DISABILITY: &[&str] = &["unknown", "yes", "no"];
    pub const PERPETRATOR_TYPE: &[&str] =
        &["", "police", "military", "local_authority", "court", "prison", "company", "private_security", "other"];
}

/// Raw form or API fields of a person.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct PersonFields {
    #[serde(default)]
    pub role: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub name: String,
    /// Other names, one per line or separated by semicolons.
    #[serde(default)]
    pub aliases: String,
    #[serde(default)]
    pub contact: String,
    #[serde(default)]
    pub address: String,
    #[serde(default)]
    pub id_number: String,
    #[serde(default)]
    pub sex: String,
    #[serde(default)]
    pub age: String,
    #[serde(default)]
    pub age_group: String,
    #[serde(default)]
    pub occupation: String,
    #[serde(default)]
    pub disability: String,
    #[serde(default)]
    pub ethnicity: String,
    #[serde(default)]
    pub perpetrator_type: String,
}

/// The identifying part of a person: stored only encrypted.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct PersonIdentity {
    pub name: String,
    pub aliases: Vec<String>,
    pub contact: String,
    pub address: String,
    pub id_number: String,
}

/// The statistical part of a person: stored in clear for counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct PersonProfile {
    pub role: PersonRole,
    pub kind: String,
    pub sex: String,
    pub age: Option<i64>,
    pub age_group: String,
    pub occupation: String,
    pub disability: String,
    pub ethnicity: String,
    pub perpetrator_type: String,
}

fn choice(field: &'static str, raw: &str, allowed: &[&str], default: &str) -> Result<String, ValidationError> {
    let v = if raw.trim().is_empty() { default } else { raw.trim() };
    if allowed.contains(&v) {
        Ok(v.to_string())
    } else {
        Err(ValidationError::new(field, "invalid-choice"))
    }
}

fn optional_text(field: &'static str, raw: &str, max: usize) -> Result<String, ValidationError> {
    let t = raw.trim();
    if t.chars().count() > max {
        Err(ValidationError::new(field, "too-long"))
    } else {
        Ok(t.to_string())
    }
}

impl PersonFields {
    /// Validates every field at once.
    pub fn parse(&self) -> Result<(PersonProfile, PersonIdentity), Vec<ValidationError>> {
        use person_choices as c;
        let mut errors = vec![];
        macro_rules! ok {
            ($e:expr) => {
                match $e {
                    Ok(v) => Some(v),
                    Err(e) => {
                        errors.push(e);
                        None
                    }
                }
            };
        }
        let role = ok!(PersonRole::parse(self.role.trim()).ok_or(ValidationError::new("role", "invalid-choice")));
        let kind = ok!(choice("kind", &self.kind, c::KIND, "individual"));
        let name = ok!(required_text("name", &self.name, 200));
        let aliases: Vec<String> =
            self.aliases.split(['\n', ';']).map(|a| a.trim().to_string()).filter(|a| !a.is_empty()).take(20).collect();
        if aliases.iter().any(|a| a.chars().count() > 200) {
            errors.push(ValidationError::new("aliases", "too-long"));
        }
        let contact = ok!(optional_text("contact", &self.contact, 500));
        let address = ok!(optional_text("address", &self.address, 500));
        let id_number = ok!(optional_text("id_number", &self.id_number, 100));
        let sex = ok!(choice("sex", &self.sex, c::SEX, "unknown"));
        let age = match self.age.trim() {
            "" => Some(None),
            a => ok!(a
                .parse::<i64>()
                .ok()
                .filter(|n| (0..=120).contains(n))
                .map(Some)
                .ok_or(ValidationError::new("age", "invalid-age"))),
        };
        let age_group = ok!(choice("age_group", &self.age_group, c::AGE_GROUP, "unknown"));
        let occupation = ok!(choice("occupation", &self.occupation, c::OCCUPATION, "unknown"));
        let disability = ok!(choice("disability", &self.disability, c::DISABILITY, "unknown"));
        let ethnicity = ok!(optional_text("ethnicity", &self.ethnicity, 100));
        let perpetrator_type = ok!(choice("perpetrator_type", &self.perpetrator_type, c::PERPETRATOR_TYPE, ""));
        if !errors.is_empty() {
            return Err(errors);
        }
        let (Some(role), Some(kind), Some(name), Some(contact), Some(address), Some(id_number)) =
            (role, kind, name, contact, address, id_number)
        else {
            return Err(errors);
        };
        let (
            Some(sex),
            Some(age),
            Some(age_group),
            Some(occupation),
            Some(disability),
            Some(ethnicity),
            Some(perpetrator_type),
        ) = (sex, age, age_group, occupation, disability, ethnicity, perpetrator_type)
        else {
            return Err(errors);
        };
        Ok((
            PersonProfile { role, kind, sex, age, age_group, occupation, disability, ethnicity, perpetrator_type },
            PersonIdentity { name, aliases, contact, address, id_number },
        ))
    }
}

/// The text a name's blind index is computed from: normalized, with its
/// words sorted, so "Sok Dara" and "DARA Sok" are found as one name.
pub fn name_key(name: &str) -> String {
    let norm = crate::text::normalize_for_match(name);
    let mut words: Vec<&str> = norm.split(' ').filter(|w| !w.is_empty()).collect();
    words.sort_unstable();
    words.join(" ")
}

/// Replaces names of the case's people in a narrative by their codes. Khmer
/// spelling variants are normalized first; Latin names match in any case.
/// Returns the new text; names left (written differently, e.g. with other
/// diacritics) are still reported by [`names_in_text`].
pub fn replace_names(text: &str, names: &[(String, String)]) -> String {
    let mut out = crate::text::normalize_khmer(text);
    // Longer names first, so "Sok Dara" goes before "Sok".
    let mut sorted: Vec<&(String, String)> = names.iter().collect();
    sorted.sort_by_key(|(_, n)| std::cmp::Reverse(n.chars().count()));
    for (code, name) in sorted {
        // Whole-name-only names (groups, institutions) are joined with word
        // joiners for the check; the text has spaces.
        let needle = crate::text::normalize_khmer(name.replace('\u{2060}', " ").trim());
        if needle.chars().count() < 2 {
            continue;
        }
        out = replace_ignoring_ascii_case(&out, &needle, code);
    }
    out
}

fn replace_ignoring_ascii_case(hay: &str, needle: &str, with: &str) -> String {
    let lower_hay = hay.to_ascii_lowercase();
    let lower_needle = needle.to_ascii_lowercase();
    let mut out = String::with_capacity(hay.len());
    let mut i = 0;
    while let Some(pos) = lower_hay[i..].find(&lower_needle) {
        out.push_str(&hay[i..i + pos]);
        out.push_str(with);
        i += pos + lower_needle.len();
    }
    out.push_str(&hay[i..]);
    out
}

#[cfg(test)]
mod person_tests {
    use super::*;

    #[test]
    fn person_fields_are_checked() {
        let bad = PersonFields {
            role: "boss".into(),
            name: "".into(),
            age: "200".into(),
            sex: "x".into(),
            ..Default::default()
        };
        let fields: Vec<_> = bad.parse().unwrap_err().iter().map(|e| e.field).collect();
        assert_eq!(fields, ["role", "name", "sex", "age"]);
        let good = PersonFields {
            role: "victim".into(),
            name: "Sok Dara".into(),
            aliases: "Dara; Ta Sok".into(),
            age: "34".into(),
            occupation: "land_activist".into(),
            ..Default::default()
        };
        let (profile, identity) = good.parse().unwrap();
        assert_eq!(profile.role.code_letter(), 'V');
        assert_eq!(profile.age, Some(34));
        assert_eq!(identity.aliases, ["Dara", "Ta Sok"]);
    }

    #[test]
    fn name_keys_ignore_order_case_and_spelling() {
        assert_eq!(name_key("Sok Dara"), name_key("  DARA   sók "));
        assert_eq!(name_key("ស៊ុន ស\u{17D2}\u{178A}ី"), name_key("ស\u{17D2}\u{178F}ី ស៊ុន"));
        assert_ne!(name_key("Sok Dara"), name_key("Sok Dana"));
    }

    #[test]
    fn names_are_replaced_by_codes() {
        let names = vec![("V1".to_string(), "Sok Dara".to_string()), ("W1".to_string(), "ស្តី".to_string())];
        let text = "SOK DARA was taken; sok dara's wife and ស\u{17D2}\u{178A}ី saw it.";
        let out = replace_names(text, &names);
        assert_eq!(out, "V1 was taken; V1's wife and W1 saw it.");
        assert!(names_in_text(&out, &names).is_empty());
    }
}

/// Act types seeded in English and Khmer (labels in the Fluent files as
/// `act-type-<code>`). The HURIDOCS micro-thesauri can be imported as an
/// extra vocabulary.
pub const ACT_TYPES: &[&str] = &[
    "arbitrary_arrest_detention",
    "killing",
    "torture_ill_treatment",
    "threat_intimidation",
    "forced_eviction",
    "restriction_assembly",
    "restriction_expression",
    "restriction_association",
    "destruction_property",
    "denial_fair_trial",
    "enforced_disappearance",
    "sexual_violence",
    "discrimination",
    "surveillance",
    "other",
];

/// How an alleged perpetrator was involved in an act.
pub const INVOLVEMENT: &[&str] = &["direct", "ordered", "complicit", "failed_to_prevent"];

/// A treaty article an act is said to violate, written `ICCPR 9` or `ICCPR:9`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ArticleRef {
    pub instrument_code: String,
    pub number: i64,
}

impl ArticleRef {
    pub fn parse(raw: &str) -> Option<Self> {
        let raw = raw.trim();
        let (code, num) = raw.rsplit_once([' ', ':']).map(|(c, n)| (c.trim(), n.trim()))?;
        let number: i64 = num.trim_start_matches("art.").trim().parse().ok()?;
        let code = code.trim().to_uppercase();
        let ok = !code.is_empty() && code.len() <= 20 && code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
        (ok && (0..=200).contains(&number)).then_some(ArticleRef { instrument_code: code, number })
    }
    pub fn label(&self) -> String {
        format!("{} {}", self.instrument_code, self.number)
    }
}

/// Raw form or API fields of an act.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct ActFields {
    #[serde(default)]
    pub act_type: String,
    #[serde(default)]
    pub date: String,
    #[serde(default)]
    pub date_approximate: Option<String>,
    #[serde(default)]
    pub location_text: String,
    #[serde(default)]
    pub description: String,
    /// Articles, separated by commas: `ICCPR 9, CAT 1`.
    #[serde(default)]
    pub rights: String,
    #[serde(default)]
    pub involvement: String,
    /// A HURIDOCS type of act (once imported), as `vocabulary/term`:
    /// `huridocs-types_of_acts/01010101000004` (optional).
    #[serde(default)]
    pub extra_term: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActInput {
    pub act_type: String,
    pub date: Option<FuzzyDate>,
    pub location_text: String,
    pub description: String,
    pub rights: Vec<ArticleRef>,
    pub involvement: String,
    /// `(vocabulary, term)` pairs; whether they exist is checked by the store.
    pub extra_terms: Vec<(String, String)>,
}

impl ActFields {
    /// Checks the fields; whether the articles exist and the people belong to
    /// the case is checked against the database by the caller.
    pub fn parse(&self) -> Result<ActInput, Vec<ValidationError>> {
        let mut errors = vec![];
        let act_type = self.act_type.trim().to_string();
        if !ACT_TYPES.contains(&act_type.as_str()) {
            errors.push(ValidationError::new("act_type", "invalid-choice"));
        }
        let date = FuzzyDate::parse("date", &self.date, checked(&self.date_approximate))
            .map_err(|e| errors.push(e))
            .ok()
            .flatten();
        if self.location_text.chars().count() > 300 {
            errors.push(ValidationError::new("location_text", "too-long"));
        }
        if self.description.chars().count() > 20_000 {
            errors.push(ValidationError::new("description", "too-long"));
        }
        let mut rights = vec![];
        for part in self.rights.split([',', ';', '\n']).map(str::trim).filter(|p| !p.is_empty()) {
            match ArticleRef::parse(part) {
                Some(r) if !rights.contains(&r) => rights.push(r),
                Some(_) => {}
                None => {
                    errors.push(ValidationError::new("rights", "invalid-article"));
                    break;
                }
            }
        }
        let involvement =
            if self.involvement.trim().is_empty() { "direct".to_string() } else { self.involvement.trim().to_string() };
        if !INVOLVEMENT.contains(&involvement.as_str()) {
            errors.push(ValidationError::new("involvement", "invalid-choice"));
        }
        let mut extra_terms = vec![];
        let extra = self.extra_term.trim();
        if !extra.is_empty() {
            match extra.split_once('/') {
                // Acts take a term of the HURIDOCS types of acts only.
                Some((v, t)) if v == crate::vocabulary::HURIDOCS_ACTS && !t.is_empty() && extra.len() <= 200 => {
                    extra_terms.push((v.to_string(), t.to_string()))
                }
                _ => errors.push(ValidationError::new("extra_term", "invalid-choice")),
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(ActInput {
            extra_terms,
            act_type,
            date,
            location_text: self.location_text.trim().to_string(),
            description: self.description.trim().to_string(),
            rights,
            involvement,
        })
    }
}

#[cfg(test)]
mod act_tests {
    use super::*;

    #[test]
    fn extra_term_only_from_the_huridocs_types_of_acts() {
        let with = |extra: &str| {
            ActFields { act_type: "killing".into(), extra_term: extra.into(), ..Default::default() }.parse()
        };
        assert_eq!(
            with("huridocs-types_of_acts/0101").unwrap().extra_terms,
            vec![("huridocs-types_of_acts".to_string(), "0101".to_string())]
        );
        for bad in ["huridocs-types_of_perpetrators/0101", "huridocs-types_of_acts/", "0101"] {
            assert_eq!(with(bad).unwrap_err()[0].field, "extra_term", "{bad}");
        }
    }

    #[test]
    fn article_refs() {
        assert_eq!(ArticleRef::parse("ICCPR 9"), Some(ArticleRef { instrument_code: "ICCPR".into(), number: 9 }));
        assert_eq!(ArticleRef::parse("op-cat:4").unwrap().label(), "OP-CAT 4");
        for bad in ["ICCPR", "9", "ICCPR x", "IC;CPR 9", "ICCPR 999"] {
            assert!(ArticleRef::parse(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn act_fields() {
        let errs = ActFields {
            act_type: "party".into(),
            date: "2026-02-30".into(),
            rights: "ICCPR 9, nonsense".into(),
            ..Default::default()
        }
        .parse()
        .unwrap_err();
        let fields: Vec<_> = errs.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["act_type", "date", "rights"]);
        let ok = ActFields {
            act_type: "forced_eviction".into(),
            rights: "ICESCR 11; ICCPR 17, ICESCR 11".into(),
            ..Default::default()
        }
        .parse()
        .unwrap();
        assert_eq!(ok.rights.len(), 2);
        assert_eq!(ok.involvement, "direct");
    }
}

/// Interventions with the authorities and their follow-up.
pub mod intervention {
    use super::*;

    pub const TYPES: &[&str] = &["letter", "meeting", "call", "urgent_appeal", "trial_observation"];
    pub const STATUSES: &[&str] = &["planned", "sent", "awaiting_response", "responded", "resolved", "no_response"];
    /// Statuses that still need following up.
    pub const OPEN_STATUSES: &[&str] = &["planned", "sent", "awaiting_response", "no_response"];
    pub const ORGANISATION_KINDS: &[&str] = &[
        "government",
        "judiciary",
        "parliament",
        "security_forces",
        "local_authority",
        "national_institution",
        "civil_society",
        "united_nations",
        "company",
        "other",
    ];

    /// Raw form or API fields of an intervention.
    #[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
    pub struct InterventionFields {
        #[serde(default)]
        pub organisation_id: String,
        #[serde(default)]
        pub kind: String,
        #[serde(default)]
        pub date: String,
        #[serde(default)]
        pub request: String,
        #[serde(default)]
        pub status: String,
        #[serde(default)]
        pub response_date: String,
        #[serde(default)]
        pub response: String,
        #[serde(default)]
        pub next_follow_up: String,
    }

    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct InterventionInput {
        pub organisation_id: i64,
        pub kind: String,
        pub date: Option<String>,
        pub request: String,
        pub status: String,
        pub response_date: Option<String>,
        pub response: String,
        pub next_follow_up: Option<String>,
    }

    /// A calendar day `YYYY-MM-DD`, or nothing.
    pub fn day(field: &'static str, raw: &str) -> Result<Option<String>, ValidationError> {
        match FuzzyDate::parse(field, raw, false)? {
            None => Ok(None),
            Some(d) if d.precision == DatePrecision::Day => Ok(Some(d.value)),
            Some(_) => Err(ValidationError::new(field, "invalid-day")),
        }
    }

    impl InterventionFields {
        pub fn parse(&self) -> Result<InterventionInput, Vec<ValidationError>> {
            let mut errors = vec![];
            let organisation_id = self.organisation_id.trim().parse::<i64>().ok();
            if organisation_id.is_none() {
                errors.push(ValidationError::new("organisation_id", "required"));
            }
            let kind = self.kind.trim().to_string();
            if !TYPES.contains(&kind.as_str()) {
                errors.push(ValidationError::new("kind", "invalid-choice"));
            }
            let status =
                if self.status.trim().is_empty() { "planned".to_string() } else { self.status.trim().to_string() };
            if !STATUSES.contains(&status.as_str()) {
                errors.push(ValidationError::new("status", "invalid-choice"));
            }
            let date = day("date", &self.date).map_err(|e| errors.push(e)).ok().flatten();
            let response_date = day("response_date", &self.response_date).map_err(|e| errors.push(e)).ok().flatten();
            let next_follow_up = day("next_follow_up", &self.next_follow_up).map_err(|e| errors.push(e)).ok().flatten();
            for (field, text) in [("request", &self.request), ("response", &self.response)] {
                if text.chars().count() > 20_000 {
                    errors.push(ValidationError::new(field, "too-long"));
                }
            }
            if self.request.trim().is_empty() {
                errors.push(ValidationError::new("request", "required"));
            }
            if status == "responded" && self.response.trim().is_empty() {
                errors.push(ValidationError::new("response", "required"));
            }
            if let (Some(sent), Some(resp)) = (&date, &response_date) {
                if resp < sent {
                    errors.push(ValidationError::new("response_date", "end-before-start"));
                }
            }
            if !errors.is_empty() {
                return Err(errors);
            }
            Ok(InterventionInput {
                organisation_id: organisation_id.unwrap_or_default(),
                kind,
                date,
                request: self.request.trim().to_string(),
                status,
                response_date,
                response: self.response.trim().to_string(),
                next_follow_up,
            })
        }
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn intervention_fields() {
            let errs = InterventionFields {
                kind: "fax".into(),
                date: "2026-05".into(),
                status: "responded".into(),
                ..Default::default()
            }
            .parse()
            .unwrap_err();
            let fields: Vec<_> = errs.iter().map(|e| e.field).collect();
            assert_eq!(fields, ["organisation_id", "kind", "date", "request", "response"]);
            let ok = InterventionFields {
                organisation_id: "3".into(),
                kind: "letter".into(),
                date: "2026-05-02".into(),
                request: "Release V1".into(),
                next_follow_up: "2026-05-16".into(),
                ..Default::default()
            }
            .parse()
            .unwrap();
            assert_eq!((ok.status.as_str(), ok.next_follow_up.as_deref()), ("planned", Some("2026-05-16")));
        }
    }
}

/// Sources of information and the consent given for their use.
pub mod source {
    use super::*;

    pub const METHODS: &[&str] = &["interview", "document", "media", "observation", "other"];
    /// How far the source can be trusted (rated apart from the information).
    pub const RELIABILITY: &[&str] = &["reliable", "usually_reliable", "not_reliable", "unknown"];
    /// How far this piece of information is borne out.
    pub const VALIDITY: &[&str] = &["confirmed", "probably_true", "possibly_true", "doubtful", "unknown"];
    /// What the source agreed to, from the narrowest.
    pub const CONSENT: &[&str] = &["internal_only", "raise_with_authorities", "publish_anonymously"];

    #[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
    pub struct SourceFields {
        /// Code of a person of the case with the role source (S1), if any.
        #[serde(default)]
        pub person_code: String,
        #[serde(default)]
        pub received: String,
        #[serde(default)]
        pub method: String,
        #[serde(default)]
        pub reliability: String,
        #[serde(default)]
        pub validity: String,
        #[serde(default)]
        pub consent: String,
        /// What the source said or showed, people referred to by code.
        #[serde(default)]
        pub information: String,
    }

    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct SourceInput {
        pub person_code: Option<String>,
        pub received: Option<String>,
        pub method: String,
        pub reliability: String,
        pub validity: String,
        pub consent: String,
        pub information: String,
    }

    fn pick(field: &'static str, raw: &str, allowed: &[&str], errors: &mut Vec<ValidationError>) -> String {
        let v = raw.trim();
        if allowed.contains(&v) {
            v.to_string()
        } else {
            errors.push(ValidationError::new(field, "invalid-choice"));
            String::new()
        }
    }

    impl SourceFields {
        pub fn parse(&self) -> Result<SourceInput, Vec<ValidationError>> {
            let mut errors = vec![];
            let method = pick("method", &self.method, METHODS, &mut errors);
            let reliability = pick("reliability", &self.reliability, RELIABILITY, &mut errors);
            let validity = pick("validity", &self.validity, VALIDITY, &mut errors);
            let consent = pick("consent", &self.consent, CONSENT, &mut errors);
            let received = intervention::day("received", &self.received).map_err(|e| errors.push(e)).ok().flatten();
            let code = self.person_code.trim().to_uppercase();
            let person_code = if code.is_empty() {
                None
            } else if code.starts_with('S') && code[1..].parse::<u32>().is_ok() {
                Some(code)
            } else {
                errors.push(ValidationError::new("person_code", "invalid-choice"));
                None
            };
            if self.information.trim().is_empty() {
                errors.push(ValidationError::new("information", "required"));
            } else if self.information.chars().count() > 20_000 {
                errors.push(ValidationError::new("information", "too-long"));
            }
            if !errors.is_empty() {
                return Err(errors);
            }
            Ok(SourceInput {
                person_code,
                received,
                method,
                reliability,
                validity,
                consent,
                information: self.information.trim().to_string(),
            })
        }
    }

    /// Whether information under this consent may go into a letter to the authorities.
    pub fn usable_with_authorities(consent: &str, withdrawn: bool) -> bool {
        !withdrawn && matches!(consent, "raise_with_authorities" | "publish_anonymously")
    }

    /// Whether it may appear, anonymised, in a public report.
    pub fn publishable(consent: &str, withdrawn: bool) -> bool {
        !withdrawn && consent == "publish_anonymously"
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn consent_scopes() {
            assert!(!usable_with_authorities("internal_only", false));
            assert!(usable_with_authorities("raise_with_authorities", false));
            assert!(!usable_with_authorities("publish_anonymously", true), "withdrawn consent excludes it");
            assert!(publishable("publish_anonymously", false) && !publishable("raise_with_authorities", false));
        }

        #[test]
        fn source_fields() {
            let errs = SourceFields { person_code: "V1".into(), method: "dream".into(), ..Default::default() }
                .parse()
                .unwrap_err();
            let fields: Vec<_> = errs.iter().map(|e| e.field).collect();
            assert_eq!(fields, ["method", "reliability", "validity", "consent", "person_code", "information"]);
        }
    }
}
