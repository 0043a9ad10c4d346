//! Importing recommendations in any layout, with a column mapping.

use super::*;

/// The fields a recommendation file can fill, in the order the mapping form
/// shows them. `text` is the only one that must be mapped.
pub const MAPPABLE_FIELDS: [&str; 11] = [
    "text",
    "mechanism_code",
    "state_under_review",
    "document_symbol",
    "paragraph",
    "session",
    "issued_on",
    "recommending_state",
    "response",
    "themes",
    "source_key",
];

/// Which column of the file fills which field (by header name), and the
/// values taken when a field is not mapped or its cell is empty.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ColumnMapping {
    /// field -> header
    pub columns: Vec<(String, String)>,
    pub default_mechanism: String,
    pub default_state: String,
}

impl ColumnMapping {
    fn column(&self, field: &str) -> Option<&str> {
        self.columns.iter().find(|(f, _)| f == field).map(|(_, h)| h.as_str()).filter(|h| !h.is_empty())
    }
}

/// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, as given.
pub(super) fn partial_date(raw: &str) -> Option<String> {
    let ok = match raw.len() {
        4 => raw.bytes().all(|b| b.is_ascii_digit()),
        7 => {
            raw[..4].bytes().all(|b| b.is_ascii_digit())
                && &raw[4..5] == "-"
                && raw[5..].parse::<u8>().is_ok_and(|m| (1..=12).contains(&m))
        }
        10 => crate::monitoring::intervention::day("issued_on", raw).is_ok_and(|d| d.is_some()),
        _ => false,
    };
    ok.then(|| raw.to_string())
}

/// Reads recommendations of any mechanism from a table whose columns the
/// user mapped to fields (treaty-body concluding observations, special
/// procedures' reports, ...). Rows without their own key get one made from
/// mechanism, document, paragraph and text, so importing the same file again
/// updates instead of duplicating. Bad rows are rejected with line, column
/// and reason; a mapping naming a column the file lacks rejects the file.
pub fn parse_mapped(
    headers: &[String],
    rows: &[(usize, Vec<String>)],
    mapping: &ColumnMapping,
    known_mechanisms: &[String],
) -> Result<UprRows, Vec<RowError>> {
    let mut index = std::collections::HashMap::new();
    let mut problems = vec![];
    for (field, header) in &mapping.columns {
        if header.is_empty() {
            continue;
        }
        if !MAPPABLE_FIELDS.contains(&field.as_str()) {
            problems.push(RowError { line: 1, column: field.clone(), code: "invalid-choice" });
            continue;
        }
        match headers.iter().position(|h| h.trim() == header.trim()) {
            Some(i) => {
                index.insert(field.as_str(), i);
            }
            None => problems.push(RowError { line: 1, column: header.clone(), code: "missing-column" }),
        }
    }
    if mapping.column("text").is_none() {
        problems.push(RowError { line: 1, column: "text".into(), code: "required" });
    }
    let default_mechanism = mapping.default_mechanism.trim().to_uppercase();
    if mapping.column("mechanism_code").is_none() && !known_mechanisms.contains(&default_mechanism) {
        problems.push(RowError { line: 1, column: "mechanism_code".into(), code: "required" });
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let mut good = vec![];
    let mut rejected = vec![];
    let mut seen = std::collections::HashSet::new();
    for (line, row) in rows {
        let cell = |field: &str| index.get(field).and_then(|i| row.get(*i)).map(|s| s.trim()).unwrap_or("");
        let column_of = |field: &str| mapping.column(field).unwrap_or(field).to_string();
        let before = rejected.len();
        let mut bad =
            |field: &str, code: &'static str| rejected.push(RowError { line: *line, column: column_of(field), code });
        if row.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let text = cell("text");
        if text.is_empty() {
            bad("text", "required");
        } else if text.chars().count() > MAX_TEXT {
            bad("text", "too-long");
        }
        let mechanism = match cell("mechanism_code") {
            "" => default_mechanism.clone(),
            m => m.to_uppercase(),
        };
        if !known_mechanisms.contains(&mechanism) {
            bad("mechanism_code", "invalid-choice");
        }
        let state = match cell("state_under_review") {
            "" => mapping.default_state.trim().to_string(),
            s => s.to_string(),
        };
        if state.is_empty() {
            bad("state_under_review", "required");
        }
        let issued_on = match cell("issued_on") {
            "" => None,
            raw => {
                let d = partial_date(raw);
                if d.is_none() {
                    bad("issued_on", "invalid-fuzzy-date");
                }
                d
            }
        };
        for field in ["document_symbol", "paragraph", "session", "recommending_state", "source_key"] {
            if cell(field).chars().count() > 200 {
                bad(field, "too-long");
            }
        }
        if rejected.len() > before {
            continue;
        }
        let source_key = match cell("source_key") {
            "" => {
                let basis =
                    format!("{mechanism}\u{1f}{}\u{1f}{}\u{1f}{text}", cell("document_symbol"), cell("paragraph"));
                format!("mapped:{:016x}", fnv1a(basis.as_bytes()))
            }
            k => format!("{}:{k}", mechanism.to_lowercase()),
        };
        if !seen.insert(source_key.clone()) {
            rejected.push(RowError { line: *line, column: column_of("source_key"), code: "duplicate" });
            continue;
        }
        let mut themes: Vec<String> = cell("themes")
            .split([',', ';'])
            .map(|t| t.trim().chars().take(100).collect::<String>())
            .filter(|t| !t.is_empty())
            .collect();
        themes.sort();
        themes.dedup();
        good.push((
            *line,
            RecommendationInput {
                source_key,
                mechanism_code: mechanism,
                state_under_review: state,
                session: cell("session").to_string(),
                cycle: None,
                document_symbol: cell("document_symbol").to_string(),
                paragraph: cell("paragraph").to_string(),
                issued_on,
                recommending_state: cell("recommending_state").to_string(),
                text: text.to_string(),
                response: Response::normalize(cell("response")),
                response_raw: cell("response").chars().take(100).collect(),
                action_category: None,
                themes,
            },
        ));
    }
    Ok((good, rejected))
}

/// A stable 64-bit digest (FNV-1a) for keys made from a row's content: the
/// same row gives the same key in every version of rightsdesk.
pub(super) fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(*b)).wrapping_mul(0x0000_0100_0000_01b3))
}
