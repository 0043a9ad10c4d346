//! The UPR: cycles, sessions and the UPR Info spreadsheet layout.

use super::*;

/// The UPR cycle of a Working Group session: 12 sessions in the first
/// cycle (2008-2011), 14 in each later one.
pub fn upr_cycle(session: i64) -> Option<i64> {
    match session {
        1..=12 => Some(1),
        13.. => Some(2 + (session - 13) / 14),
        _ => None,
    }
}

/// The month each UPR Working Group session of the first two cycles opened
/// (sessions 1 to 26), for the recommendation's date.
pub(super) const UPR_SESSION_MONTHS: [&str; 26] = [
    "2008-04", "2008-05", "2008-12", "2009-02", "2009-05", "2009-11", "2010-02", "2010-05", "2010-11", "2011-01",
    "2011-05", "2011-10", "2012-05", "2012-10", "2013-01", "2013-04", "2013-10", "2014-01", "2014-04", "2014-10",
    "2015-01", "2015-05", "2015-11", "2016-01", "2016-05", "2016-11",
];

pub fn upr_session_month(session: i64) -> Option<&'static str> {
    usize::try_from(session).ok().and_then(|s| s.checked_sub(1)).and_then(|i| UPR_SESSION_MONTHS.get(i).copied())
}

/// The columns of the UPR Info database export (`upr_info_recommendations_*.csv`).
pub const UPR_INFO_COLUMNS: [&str; 8] = [
    "id",
    "session",
    "state_under_review",
    "recommendation",
    "recommending_state",
    "response",
    "action_category",
    "issues",
];

/// The longest recommendation text taken (the longest in the UPR Info
/// corpus is under a thousand characters).
pub(super) const MAX_TEXT: usize = 10_000;

/// The good rows of a file (with their line) and the rejected ones.
pub type UprRows = (Vec<(usize, RecommendationInput)>, Vec<RowError>);

/// Reads rows of the UPR Info layout. Good rows come back with their line;
/// each bad row is rejected with its line, column and reason, and does not
/// stop the others. A missing column rejects the whole file (line 1).
pub fn parse_upr_info(headers: &[String], rows: &[(usize, Vec<String>)]) -> Result<UprRows, Vec<RowError>> {
    let mut index = [0usize; 8];
    let mut missing = vec![];
    for (i, name) in UPR_INFO_COLUMNS.iter().enumerate() {
        match headers.iter().position(|h| h.trim().eq_ignore_ascii_case(name)) {
            Some(p) => index[i] = p,
            None => missing.push(RowError { line: 1, column: name.to_string(), code: "missing-column" }),
        }
    }
    if !missing.is_empty() {
        return Err(missing);
    }
    let mut good = Vec::with_capacity(rows.len());
    let mut rejected = vec![];
    let mut seen = std::collections::HashSet::new();
    for (line, row) in rows {
        let cell = |i: usize| row.get(index[i]).map(|s| s.trim()).unwrap_or("");
        let before = rejected.len();
        let mut bad = |i: usize, code: &'static str| {
            rejected.push(RowError { line: *line, column: UPR_INFO_COLUMNS[i].to_string(), code })
        };
        let id = cell(0);
        if id.is_empty() || id.len() > 40 || !id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') {
            bad(0, "invalid-id");
        } else if !seen.insert(id.to_string()) {
            bad(0, "duplicate");
        }
        let session = cell(1).parse::<i64>().ok().filter(|s| (1..=200).contains(s));
        if session.is_none() {
            bad(1, "not-a-session");
        }
        let state = cell(2);
        if state.is_empty() {
            bad(2, "required");
        } else if state.chars().count() > 100 {
            bad(2, "too-long");
        }
        let text = cell(3);
        if text.is_empty() {
            bad(3, "required");
        } else if text.chars().count() > MAX_TEXT {
            bad(3, "too-long");
        }
        if cell(4).chars().count() > 100 {
            bad(4, "too-long");
        }
        let response = Response::normalize(cell(5));
        let action = match cell(6) {
            "" => None,
            raw => match raw.parse::<i64>() {
                Ok(n @ 1..=5) => Some(n),
                _ => {
                    bad(6, "invalid-choice");
                    None
                }
            },
        };
        let themes: Vec<String> = cell(7)
            .split(',')
            .map(|t| t.trim())
            .filter(|t| !t.is_empty())
            .map(|t| t.chars().take(100).collect())
            .collect();
        if rejected.len() > before {
            continue;
        }
        let session = session.unwrap_or_default();
        let mut themes_unique = themes.clone();
        themes_unique.sort();
        themes_unique.dedup();
        good.push((
            *line,
            RecommendationInput {
                source_key: format!("upr-info:{id}"),
                mechanism_code: "UPR".into(),
                state_under_review: state.to_string(),
                session: session.to_string(),
                cycle: upr_cycle(session),
                document_symbol: String::new(),
                paragraph: String::new(),
                issued_on: upr_session_month(session).map(str::to_string),
                recommending_state: cell(4).to_string(),
                text: text.to_string(),
                response,
                response_raw: cell(5).chars().take(100).collect(),
                action_category: action,
                themes: themes_unique,
            },
        ));
    }
    Ok((good, rejected))
}
