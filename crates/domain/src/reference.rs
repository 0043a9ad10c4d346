//! Reference data: Cambodia's administrative areas, the core human rights
//! instruments and their articles, ratification status, SDG goals and targets.

use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Province {
    pub code: String,
    pub name_en: String,
    pub name_km: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct District {
    pub code: String,
    pub province_code: String,
    pub name_en: String,
    pub name_km: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Commune {
    pub code: String,
    pub district_code: String,
    pub name_en: String,
    pub name_km: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Instrument {
    /// Our code, e.g. `ICCPR`, `OP-CAT`.
    pub code: String,
    /// UN Treaty Collection id, e.g. `IV-4`.
    pub untc_id: String,
    pub title: String,
    /// One of the core international human rights instruments (or their protocols).
    pub is_core: bool,
    pub article_count: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Article {
    pub instrument_code: String,
    /// 0 is the preamble.
    pub number: i64,
    pub part: String,
    pub caption: String,
    pub text: String,
}

/// How a state became bound, or not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RatificationStatus {
    Signed,
    Ratified,
    Acceded,
    Succeeded,
    NoAction,
}

impl RatificationStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            RatificationStatus::Signed => "signed",
            RatificationStatus::Ratified => "ratified",
            RatificationStatus::Acceded => "acceded",
            RatificationStatus::Succeeded => "succeeded",
            RatificationStatus::NoAction => "no_action",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        [Self::Signed, Self::Ratified, Self::Acceded, Self::Succeeded, Self::NoAction]
            .into_iter()
            .find(|v| v.as_str() == s)
    }
    /// Whether the state is bound by the instrument.
    pub fn is_party(self) -> bool {
        matches!(self, Self::Ratified | Self::Acceded | Self::Succeeded)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Ratification {
    pub instrument_code: String,
    pub state: String,
    pub status: RatificationStatus,
    /// ISO date of signature, if any.
    pub signature_date: Option<String>,
    /// ISO date of ratification, accession or succession, if any.
    pub consent_date: Option<String>,
    /// Where the facts come from.
    pub source: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct SdgGoal {
    pub number: i64,
    pub short_en: String,
    pub title_en: String,
    pub short_km: String,
    pub title_km: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct SdgTarget {
    /// e.g. `16.10`
    pub code: String,
    pub goal: i64,
    pub title_en: String,
    pub title_km: String,
}

/// Reads a table of treaty participation in one of the two layouts of
/// `../shared/data/treaties/`: the UN Treaty Collection long format
/// (`treaty_code, participant, signature_date, consent_date, consent_type`)
/// or the 2022 UN-member status table (`treaty_code, member, state_party,
/// year_ratification_or_accession, signatory`). Rows of instruments not in
/// `instruments` are skipped (amendments, Genocide, Apartheid); every other
/// bad row is reported with its line and column.
pub fn parse_participation(
    headers: &[String],
    rows: &[(usize, Vec<String>)],
    instruments: &[String],
) -> Result<Vec<Ratification>, Vec<crate::vocabulary::RowError>> {
    use crate::vocabulary::RowError;
    let col = |name: &str| headers.iter().position(|h| h.trim() == name);
    let untc = ["treaty_code", "participant", "signature_date", "consent_date", "consent_type"];
    let members = ["treaty_code", "member", "state_party", "year_ratification_or_accession", "signatory"];
    let (layout, names) = if untc.iter().all(|c| col(c).is_some()) {
        (0, untc)
    } else if members.iter().all(|c| col(c).is_some()) {
        (1, members)
    } else {
        let missing = untc.iter().find(|c| col(c).is_none()).copied().unwrap_or("treaty_code");
        return Err(vec![RowError { line: 1, column: missing.to_string(), code: "missing-column" }]);
    };
    let index: Vec<usize> = names.iter().map(|c| col(c).unwrap_or(0)).collect();
    let iso = |s: &str| s.is_empty() || (s.len() == 10 && s.as_bytes()[4] == b'-' && s.as_bytes()[7] == b'-');
    let mut out = vec![];
    let mut errors = vec![];
    for (line, row) in rows {
        let cell = |i: usize| row.get(index[i]).map(|s| s.trim()).unwrap_or("");
        let mut bad =
            |i: usize, code: &'static str| errors.push(RowError { line: *line, column: names[i].to_string(), code });
        if !instruments.iter().any(|i| i == cell(0)) {
            continue;
        }
        let state = cell(1);
        if state.is_empty() || state.chars().count() > 100 {
            bad(1, "required");
            continue;
        }
        let r = if layout == 0 {
            if !iso(cell(2)) {
                bad(2, "invalid-day");
            }
            if !iso(cell(3)) {
                bad(3, "invalid-day");
            }
            let status = match (cell(4), cell(3).is_empty(), cell(2).is_empty()) {
                (_, true, true) => RatificationStatus::NoAction,
                (_, true, false) => RatificationStatus::Signed,
                ("accession", false, _) => RatificationStatus::Acceded,
                ("succession", false, _) => RatificationStatus::Succeeded,
                _ => RatificationStatus::Ratified,
            };
            Ratification {
                instrument_code: cell(0).to_string(),
                state: state.to_string(),
                status,
                signature_date: (!cell(2).is_empty()).then(|| cell(2).to_string()),
                consent_date: (!cell(3).is_empty()).then(|| cell(3).to_string()),
                source: "UN Treaty Collection, March 2015".into(),
            }
        } else {
            let year = cell(3);
            if !(year.is_empty() || (year.len() == 4 && year.bytes().all(|b| b.is_ascii_digit()))) {
                bad(3, "not-a-number");
            }
            let status = match (cell(2), cell(4)) {
                ("1", _) => RatificationStatus::Ratified,
                (_, "1") => RatificationStatus::Signed,
                _ => RatificationStatus::NoAction,
            };
            Ratification {
                instrument_code: cell(0).to_string(),
                state: state.to_string(),
                status,
                signature_date: None,
                consent_date: (!year.is_empty()).then(|| year.to_string()),
                source: "UN member status table, 2022 (year only)".into(),
            }
        };
        out.push(r);
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// Optional protocols through which a State accepts individual complaints
/// by becoming a party (the others are declarations under an article:
/// CAT 22, ICERD 14, ICPPED 31, ICMW 77).
pub const COMPLAINT_PROTOCOLS: [(&str, &str); 5] =
    [("ICCPR-OP1", "ICCPR"), ("OP-CEDAW", "CEDAW"), ("OP-ICESCR", "ICESCR"), ("OP-CRPD", "CRPD"), ("OP-CRC-IC", "CRC")];

/// What the office records of a State's commitments under an instrument
/// beyond ratification.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct CommitmentFields {
    pub reservations: String,
    pub declarations: String,
    /// accepted, not_accepted or unknown.
    pub individual_complaints: String,
}

impl CommitmentFields {
    pub fn parse(&self) -> Result<CommitmentFields, Vec<crate::ValidationError>> {
        let mut errors = vec![];
        let complaints =
            if self.individual_complaints.trim().is_empty() { "unknown" } else { self.individual_complaints.trim() };
        if !["accepted", "not_accepted", "unknown"].contains(&complaints) {
            errors.push(crate::ValidationError::new("individual_complaints", "invalid-choice"));
        }
        for (field, v) in [("reservations", &self.reservations), ("declarations", &self.declarations)] {
            if v.chars().count() > 10_000 {
                errors.push(crate::ValidationError::too_long(field, 10_000));
            }
        }
        if errors.is_empty() {
            Ok(CommitmentFields {
                reservations: self.reservations.trim().to_string(),
                declarations: self.declarations.trim().to_string(),
                individual_complaints: complaints.to_string(),
            })
        } else {
            Err(errors)
        }
    }
}

#[cfg(test)]
mod participation_tests {
    use super::*;

    #[test]
    fn both_layouts_read_and_bad_dates_are_reported() {
        let h = |cols: &[&str]| cols.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let row = |l: usize, cells: &[&str]| (l, cells.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        let instruments = vec!["ICCPR".to_string(), "CAT".to_string()];
        let untc = h(&["untc_id", "treaty_code", "participant", "signature_date", "consent_date", "consent_type"]);
        let rows = vec![
            row(2, &["IV-4", "ICCPR", "Thailand", "", "1996-10-29", "accession"]),
            row(3, &["IV-9", "CAT", "Viet Nam", "2013-11-07", "", "signature"]),
            row(4, &["IV-1", "CPPCG", "Thailand", "", "1950-12-13", "accession"]),
        ];
        let r = parse_participation(&untc, &rows, &instruments).unwrap();
        assert_eq!(r.len(), 2, "Genocide is not a core instrument here");
        assert_eq!((r[0].status, r[1].status), (RatificationStatus::Acceded, RatificationStatus::Signed));
        let bad = vec![row(2, &["IV-4", "ICCPR", "Thailand", "", "29 Oct 1996", "accession"])];
        assert_eq!(parse_participation(&untc, &bad, &instruments).unwrap_err()[0].column, "consent_date");
        let members = h(&[
            "treaty_code",
            "iso2",
            "member",
            "state_party",
            "year_ratification_or_accession",
            "signatory",
            "no_action",
        ]);
        let r = parse_participation(
            &members,
            &[row(2, &["CAT", "LA", "Lao People's Democratic Republic", "1", "2012", "0", "0"])],
            &instruments,
        )
        .unwrap();
        assert_eq!((r[0].status, r[0].consent_date.as_deref()), (RatificationStatus::Ratified, Some("2012")));
        assert_eq!(parse_participation(&h(&["a"]), &[], &instruments).unwrap_err()[0].code, "missing-column");
    }
}
