//! A case: its workflow, sensitivity, dates and the check for names in its text.

use super::*;

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

crate::choice!(
    /// How soon the office must act on a case: it orders the follow-up and
    /// can be filtered on. Routine unless someone says otherwise.
    Urgency, "urgency", { Routine = "routine", Urgent = "urgent", Emergency = "emergency" }
);

// Not derivable: the enum is made by `choice!`.
#[allow(clippy::derivable_impls)]
impl Default for Urgency {
    fn default() -> Self {
        Urgency::Routine
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
                // 2026-02-30 is written right but is no day: say so, with
                // how many days the month has (the limit of the message).
                if d == 0 || d > 31 {
                    return Err(err());
                }
                time::Date::from_calendar_date(year as i32, month, d as u8).map_err(|_| ValidationError {
                    field,
                    code: "no-such-day",
                    limit: Some(month.length(year as i32) as usize),
                })?;
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
    pub urgency: Urgency,
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
    /// `routine` (default), `urgent` or `emergency`.
    #[serde(default)]
    pub urgency: String,
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

pub(crate) fn code(field: &'static str, raw: &str, len: usize) -> Result<Option<String>, ValidationError> {
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

pub(super) fn checked(v: &Option<String>) -> bool {
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
                Err(ValidationError::too_long("summary", 20_000))
            } else {
                Ok(f.summary.trim().to_string())
            })
        };
        let sensitivity = ok!(Sensitivity::parse(if f.sensitivity.is_empty() { "normal" } else { &f.sensitivity })
            .ok_or(ValidationError::new("sensitivity", "invalid-choice")));
        let urgency = ok!(if f.urgency.trim().is_empty() {
            Ok(Urgency::Routine)
        } else {
            Urgency::parse(f.urgency.trim()).ok_or(ValidationError::new("urgency", "invalid-choice"))
        });
        let province = ok!(code("province", &f.province, 2));
        let district = ok!(code("district", &f.district, 4));
        let commune = ok!(code("commune", &f.commune, 6));
        let location_text = ok!(if f.location_text.chars().count() > 300 {
            Err(ValidationError::too_long("location_text", 300))
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
            urgency: urgency.unwrap_or_default(),
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
        let e = FuzzyDate::parse("start_date", "2026-02-30", false).unwrap_err();
        assert_eq!((e.code, e.limit), ("no-such-day", Some(28)), "a day February 2026 does not have");
        assert_eq!(FuzzyDate::parse("start_date", "2028-02-30", false).unwrap_err().limit, Some(29));
        assert_eq!(FuzzyDate::parse("start_date", "2026-02-3", false).unwrap_err().code, "invalid-fuzzy-date");
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
            urgency: "soon".into(),
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
        assert!(fields.contains(&("urgency", "invalid-choice")));
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
        assert_eq!(good.urgency, Urgency::Routine, "routine unless someone says otherwise");
        let urgent = CaseFields { title: "x".into(), urgency: "emergency".into(), ..Default::default() };
        assert_eq!(CaseInput::parse(&urgent).unwrap().urgency, Urgency::Emergency);
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
