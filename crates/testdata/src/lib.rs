//! Where the tests find their data.
//!
//! Two kinds of file, two functions:
//! - [`repo`]: data the project may redistribute, kept in the repository's
//!   `testdata/` folder (see `testdata/README.md` for sources and licences).
//!   A plain clone has it.
//! - [`outside`]: data we may not redistribute (the UPR Info corpus), read
//!   from the folder named by `RIGHTSDESK_TEST_DATA`, or `../shared/data`
//!   beside the checkout when the variable is not set and that folder
//!   exists. When the file is not there, the test runs on the fixture of the
//!   same name under `testdata/fixture/`, written for the project, and says
//!   on stderr that the full-corpus check was skipped.
//!
//! `RIGHTSDESK_TEST_DATA_REQUIRED=1` turns that skip into a failure: CI sets
//! it for the run with the full data, so a lost path cannot turn the
//! full-corpus checks off silently.

use std::path::{Path, PathBuf};

/// The folder of outside test data.
pub const ENV: &str = "RIGHTSDESK_TEST_DATA";
/// Set to `1` to fail instead of falling back to a fixture.
pub const REQUIRED_ENV: &str = "RIGHTSDESK_TEST_DATA_REQUIRED";

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A file the repository holds, under `testdata/`. Panics with the path
/// when it is missing (the checkout is incomplete).
pub fn repo(relative: &str) -> PathBuf {
    let path = workspace_root().join("testdata").join(relative);
    assert!(path.is_file(), "test data missing from the repository: {}", path.display());
    path
}

/// The folder outside data is read from, if any: `RIGHTSDESK_TEST_DATA`
/// when set (an empty value means none), else `../shared/data` when it
/// exists.
pub fn outside_dir() -> Option<PathBuf> {
    match std::env::var_os(ENV) {
        Some(v) if v.is_empty() => None,
        Some(v) => Some(PathBuf::from(v)),
        None => {
            let shared = workspace_root().join("../shared/data");
            shared.is_dir().then_some(shared)
        }
    }
}

fn required() -> bool {
    std::env::var(REQUIRED_ENV).is_ok_and(|v| v == "1")
}

/// An outside data file, or its fixture.
#[derive(Debug, Clone)]
pub struct DataFile {
    pub path: PathBuf,
    /// True for the real file, false for the fixture.
    pub full: bool,
}

impl DataFile {
    pub fn as_str(&self) -> &str {
        self.path.to_str().expect("test data paths are UTF-8")
    }
}

/// `relative` (e.g. `upr/upr_info_recommendations_s01-s20.csv`) from the
/// outside data folder, or the fixture `testdata/fixture/<relative>`.
pub fn outside(relative: &str) -> DataFile {
    if let Some(path) = outside_dir().map(|d| d.join(relative)).filter(|p| p.is_file()) {
        return DataFile { path, full: true };
    }
    assert!(!required(), "{relative} is not in the outside test data ({ENV}={:?}) and {REQUIRED_ENV}=1", outside_dir());
    eprintln!("{ENV}: {relative} not found; the full-corpus check is skipped and the fixture is used");
    DataFile { path: repo(&format!("fixture/{relative}")), full: false }
}

/// An outside data file that has no fixture (an optional extra check):
/// `None` when it is absent, after saying so on stderr.
pub fn outside_optional(relative: &str) -> Option<PathBuf> {
    if let Some(path) = outside_dir().map(|d| d.join(relative)).filter(|p| p.is_file()) {
        return Some(path);
    }
    assert!(!required(), "{relative} is not in the outside test data and {REQUIRED_ENV}=1");
    eprintln!("{ENV}: {relative} not found; this optional check is skipped");
    None
}

/// Counts of a file in the UPR Info layout, read independently of the
/// importer, so a test's expected figures come from the data it imports.
#[derive(Debug, Default, Clone)]
pub struct UprCounts {
    /// Data rows.
    pub rows: usize,
    /// (state under review, session, response) of each row.
    pub keys: Vec<(String, i64, String)>,
    /// Rows whose `issues` name this theme, per theme.
    pub themes: std::collections::BTreeMap<String, usize>,
}

impl UprCounts {
    pub fn read(path: &Path) -> UprCounts {
        let mut reader = csv::Reader::from_path(path).expect("a UPR Info table");
        let headers = reader.headers().expect("a header row").clone();
        let col = |name: &str| headers.iter().position(|h| h == name).unwrap_or_else(|| panic!("no column {name}"));
        let (state, session, response, issues) =
            (col("state_under_review"), col("session"), col("response"), col("issues"));
        let mut counts = UprCounts::default();
        for record in reader.records() {
            let record = record.expect("a well-formed row");
            counts.rows += 1;
            let session: i64 = record[session].trim().parse().expect("a session number");
            counts.keys.push((record[state].to_string(), session, record[response].to_string()));
            for theme in record[issues].split(',').map(str::trim).filter(|t| !t.is_empty()) {
                *counts.themes.entry(theme.to_string()).or_default() += 1;
            }
        }
        counts
    }

    /// Rows of `state` in UPR cycle `cycle` (sessions 1-12 are the first
    /// cycle, then 14 sessions a cycle), with `response` if given.
    pub fn count(&self, state: &str, cycle: i64, response: Option<&str>) -> usize {
        let cycle_of = |s: i64| if s <= 12 { 1 } else { 2 + (s - 13) / 14 };
        self.keys
            .iter()
            .filter(|(st, se, re)| st == state && cycle_of(*se) == cycle && response.is_none_or(|r| r == re))
            .count()
    }
}

/// `n` with thousands separators, as the pages write counts.
pub fn grouped(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fixture_reads_like_the_corpus() {
        let cambodia = UprCounts::read(&repo("fixture/upr/upr_info_recommendations_cambodia_s06_s18.csv"));
        let all = UprCounts::read(&repo("fixture/upr/upr_info_recommendations_s01-s20.csv"));
        assert!(cambodia.rows >= 40 && all.rows > cambodia.rows);
        assert_eq!(cambodia.count("Cambodia", 1, None) + cambodia.count("Cambodia", 2, None), cambodia.rows);
        assert!(cambodia.count("Cambodia", 2, Some("Noted")) > 0);
        assert!(cambodia.themes["NHRI"] >= 3, "the tests pick three NHRI recommendations");
        // Every Cambodia row is in the corpus file too (re-import tests rely on it).
        let cambodia_rows =
            std::fs::read_to_string(repo("fixture/upr/upr_info_recommendations_cambodia_s06_s18.csv")).unwrap();
        let corpus = std::fs::read_to_string(repo("fixture/upr/upr_info_recommendations_s01-s20.csv")).unwrap();
        assert!(cambodia_rows.lines().skip(1).all(|l| corpus.lines().any(|c| c == l)));
        assert_eq!(grouped(41_067), "41,067");
        assert_eq!(grouped(85), "85");
        assert_eq!(grouped(1_000_000), "1,000,000");
    }
}
