//! Extra controlled vocabularies an office imports, such as the HURIDOCS
//! Events Standard Formats micro-thesauri. They are not shipped with
//! rightsdesk (their licence does not allow it): an administrator imports
//! the office's own copy with `rightsdesk vocabulary import-huridocs`.

use serde::Serialize;

/// One term of a vocabulary, in a tree (`parent`, `level`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct VocabularyTerm {
    pub code: String,
    pub parent: Option<String>,
    pub level: i64,
    pub order: i64,
    pub visible: bool,
    pub label_en: String,
    pub label_fr: String,
    pub label_es: String,
    /// Empty until someone translates it; the English label is shown then.
    pub label_km: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Vocabulary {
    /// `huridocs-types_of_acts`.
    pub code: String,
    pub name: String,
    pub source: String,
    pub terms: Vec<VocabularyTerm>,
}

/// A bad row of an import file: where, and a stable reason code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    pub line: usize,
    pub column: String,
    pub code: &'static str,
}

impl std::fmt::Display for RowError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}, column {}: {}", self.line, self.column, self.code)
    }
}

pub const HURIDOCS_SOURCE: &str = "HURIDOCS Events Standard Formats micro-thesauri";
/// The list of act types, offered on the act form once imported.
pub const HURIDOCS_ACTS: &str = "huridocs-types_of_acts";

const HURIDOCS_COLUMNS: [&str; 11] = [
    "list_code",
    "list_name",
    "vocab_number",
    "huri_code",
    "term_level",
    "parent_vocab_number",
    "term_order",
    "visible",
    "english",
    "french",
    "spanish",
];

/// Lists 80 and 90-92 of the OpenEvsys copy are its own placeholders, not
/// HURIDOCS vocabulary.
fn placeholder_list(code: i64) -> bool {
    code == 80 || (90..=92).contains(&code)
}

/// Reads the HURIDOCS micro-thesauri terms file (the columns of
/// `huridocs_esf_microthesauri_terms.csv`): one vocabulary per list. Every
/// bad row is reported (line as in the file, the header being line 1);
/// nothing is returned unless every row is good.
pub fn parse_huridocs(headers: &[String], rows: &[(usize, Vec<String>)]) -> Result<Vec<Vocabulary>, Vec<RowError>> {
    let mut errors = vec![];
    let mut index = [0usize; 11];
    for (i, name) in HURIDOCS_COLUMNS.iter().enumerate() {
        match headers.iter().position(|h| h == name) {
            Some(p) => index[i] = p,
            None => errors.push(RowError { line: 1, column: name.to_string(), code: "missing-column" }),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut lists: Vec<Vocabulary> = vec![];
    let mut parents: Vec<(usize, String, String)> = vec![];
    for (line, row) in rows {
        let cell = |i: usize| row.get(index[i]).map(|s| s.trim()).unwrap_or("");
        let mut bad = |i: usize, code: &'static str| {
            errors.push(RowError { line: *line, column: HURIDOCS_COLUMNS[i].to_string(), code })
        };
        let number = |s: &str| s.parse::<i64>().ok().filter(|n| *n >= 0);
        let digits = |s: &str| !s.is_empty() && s.len() <= 20 && s.bytes().all(|b| b.is_ascii_digit());
        let Some(list_code) = number(cell(0)) else {
            bad(0, "not-a-number");
            continue;
        };
        if placeholder_list(list_code) {
            continue;
        }
        let list_name = cell(1);
        if list_name.is_empty() || !list_name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
            bad(1, "invalid-name");
        }
        if !digits(cell(2)) {
            bad(2, "not-a-number");
        }
        // HURIDOCS marks its catch-all terms (Other, Unknown, Not applicable) with level -5.
        let level = cell(4).parse::<i64>().ok();
        if level.is_none() {
            bad(4, "not-a-number");
        }
        let parent = cell(5);
        if !digits(parent) {
            bad(5, "not-a-number");
        }
        let order = number(cell(6));
        if order.is_none() {
            bad(6, "not-a-number");
        }
        let visible = match cell(7) {
            "y" | "Y" => true,
            "n" | "N" => false,
            _ => {
                bad(7, "invalid-choice");
                false
            }
        };
        if cell(8).is_empty() {
            bad(8, "required");
        }
        for i in 8..=10 {
            if cell(i).chars().count() > 300 {
                bad(i, "too-long");
            }
        }
        if parent == cell(2) {
            bad(5, "unknown-parent");
        }
        let code = format!("huridocs-{list_name}");
        let term = VocabularyTerm {
            code: cell(2).to_string(),
            parent: (!parent.trim_start_matches('0').is_empty()).then(|| parent.to_string()),
            level: level.unwrap_or(0),
            order: order.unwrap_or(0),
            visible,
            label_en: cell(8).to_string(),
            label_fr: cell(9).to_string(),
            label_es: cell(10).to_string(),
            label_km: String::new(),
        };
        if let Some(p) = &term.parent {
            parents.push((*line, code.clone(), p.clone()));
        }
        match lists.iter_mut().find(|v| v.code == code) {
            Some(v) if v.terms.iter().any(|t| t.code == term.code) => bad(2, "duplicate"),
            Some(v) => v.terms.push(term),
            None => lists.push(Vocabulary {
                name: list_name.replace('_', " "),
                code,
                source: HURIDOCS_SOURCE.to_string(),
                terms: vec![term],
            }),
        }
    }
    // A parent must be a term of the same list.
    for (line, list, parent) in parents {
        let known = lists.iter().find(|v| v.code == list).is_some_and(|v| v.terms.iter().any(|t| t.code == parent));
        if !known {
            errors.push(RowError { line, column: "parent_vocab_number".into(), code: "unknown-parent" });
        }
    }
    if rows.is_empty() {
        errors.push(RowError { line: 1, column: "list_code".into(), code: "empty-file" });
    }
    if errors.is_empty() {
        Ok(lists)
    } else {
        errors.sort_by_key(|e| e.line);
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(lines: &[&str]) -> (Vec<String>, Vec<(usize, Vec<String>)>) {
        let headers = HURIDOCS_COLUMNS.iter().map(|s| s.to_string()).collect();
        let rows = lines.iter().enumerate().map(|(i, l)| (i + 2, l.split(',').map(str::to_string).collect())).collect();
        (headers, rows)
    }

    #[test]
    fn lists_become_vocabularies_with_a_tree() {
        let (h, rows) = table(&[
            "4,types_of_acts,01010000000004,010100000000,1,0,1,y,Violation of the right to life,Vie,Vida",
            "4,types_of_acts,01010101000004,010101010000,3,01010000000004,4,y,Summary execution,Exécution sommaire,Ejecución sumaria",
            "24,types_of_perpetrators,01010400000024,010104000000,2,0,6,y,Police,Police,Policía",
            "90,openevsys_placeholder,1,1,0,0,1,y,Placeholder,,",
        ]);
        let v = parse_huridocs(&h, &rows).unwrap();
        assert_eq!(
            v.iter().map(|v| v.code.as_str()).collect::<Vec<_>>(),
            ["huridocs-types_of_acts", "huridocs-types_of_perpetrators"]
        );
        assert_eq!(v[0].terms[1].parent.as_deref(), Some("01010000000004"));
        assert_eq!(v[0].terms[0].parent, None);
        assert_eq!(v[0].name, "types of acts");
    }

    #[test]
    fn every_bad_row_is_reported_with_line_and_column() {
        let (h, rows) = table(&[
            "4,types_of_acts,01010000000004,010100000000,1,0,1,y,Violation of the right to life,,",
            "x,types_of_acts,1,1,1,0,1,y,Bad list,,",
            "4,types_of_acts,01010101000004,0,3,09999999999999,4,maybe,,,",
            "4,types_of_acts,01010000000004,0,1,0,1,y,Duplicate,,",
        ]);
        let errs = parse_huridocs(&h, &rows).unwrap_err();
        let found: Vec<(usize, &str, &str)> = errs.iter().map(|e| (e.line, e.column.as_str(), e.code)).collect();
        assert_eq!(
            found,
            [
                (3, "list_code", "not-a-number"),
                (4, "visible", "invalid-choice"),
                (4, "english", "required"),
                (4, "parent_vocab_number", "unknown-parent"),
                (5, "vocab_number", "duplicate"),
            ]
        );
        let (mut h, rows) = table(&["4,types_of_acts,1,1,1,0,1,y,A,,"]);
        h.retain(|c| c != "english");
        assert_eq!(parse_huridocs(&h, &rows).unwrap_err()[0].code, "missing-column");
    }
}
