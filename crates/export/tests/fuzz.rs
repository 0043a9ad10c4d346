//! Fuzz targets (issue 6) for the importers, as property tests: the CSV and
//! XLSX readers on any bytes (and on damaged real workbooks), then the UPR
//! Info and column-mapped recommendation parsers on whatever table comes
//! out. No input may panic; a file that reads must give every row a line
//! number, and what we write must read back as written.
//!
//! Cases per target: PROPTEST_CASES (default 256; bench/fuzz.sh runs more).

use proptest::prelude::*;

/// A fixed seed unless PROPTEST_RNG_SEED says otherwise: CI runs the same
/// cases every time (a new finding must not turn CI red at random);
/// bench/fuzz.sh gives every run a fresh seed and prints it.
fn config() -> ProptestConfig {
    let mut c = ProptestConfig { failure_persistence: None, ..ProptestConfig::default() };
    if std::env::var_os("PROPTEST_RNG_SEED").is_none() {
        c.rng_seed = proptest::test_runner::RngSeed::Fixed(20_261_129);
    }
    c
}
use rightsdesk_domain::mechanisms::{parse_mapped, parse_upr_info, ColumnMapping, UPR_INFO_COLUMNS};
use rightsdesk_export::{read_csv, read_xlsx, to_csv, to_xlsx, ReadTable, Table};

const CELLS: &[&str] = &[
    "",
    " ",
    "\"",
    "\"\"",
    ",",
    "\n",
    "\r\n",
    "\r",
    "'",
    "=cmd|' /C calc'!A0",
    "+1",
    "-1",
    "@SUM(A1)",
    "\u{feff}",
    "ការរំលោភសិទ្ធិមនុស្ស",
    "\u{200B}",
    "2026-13-45",
    "99",
    "1.5e308",
    "Supported",
    "Noted",
    "UPR",
    "CAT",
    "Cambodia",
    "s01",
    "session 40",
    "\u{0}",
    "é\u{301}",
    "<script>alert(1)</script>",
    "'; DROP TABLE cases; --",
];

fn csv_text() -> impl Strategy<Value = Vec<u8>> {
    let header = prop::collection::vec(
        prop_oneof![prop::sample::select(&UPR_INFO_COLUMNS[..]).prop_map(str::to_string), ".{0,12}"],
        0..10,
    );
    let cell = prop_oneof![prop::sample::select(CELLS).prop_map(str::to_string), ".{0,20}"];
    let rows = prop::collection::vec(prop::collection::vec(cell, 0..10), 0..12);
    (header, rows, any::<bool>()).prop_map(|(h, rows, crlf)| {
        let end = if crlf { "\r\n" } else { "\n" };
        let mut s = h.join(",") + end;
        for r in rows {
            s += &r.join(",");
            s += end;
        }
        s.into_bytes()
    })
}

fn parse_everything(t: &ReadTable) {
    for (line, _) in &t.rows {
        assert!(*line >= 1, "a row without a line number");
    }
    let _ = parse_upr_info(&t.headers, &t.rows);
    let mapping = ColumnMapping {
        columns: ["text", "mechanism_code", "state_under_review", "document_symbol"]
            .iter()
            .zip(t.headers.iter())
            .map(|(f, h)| (f.to_string(), h.clone()))
            .collect(),
        default_mechanism: "CAT".into(),
        default_state: "Cambodia".into(),
    };
    let _ = parse_mapped(&t.headers, &t.rows, &mapping, &["CAT".into(), "UPR".into()]);
}

fn a_workbook() -> Vec<u8> {
    let t = Table {
        headers: UPR_INFO_COLUMNS.iter().map(|s| s.to_string()).collect(),
        rows: vec![
            CELLS[..8].iter().map(|s| s.to_string()).collect(),
            CELLS[14..22].iter().map(|s| s.to_string()).collect(),
        ],
    };
    to_xlsx(&t, "Recommendations").unwrap()
}

fn cell() -> impl Strategy<Value = String> {
    prop_oneof![prop::sample::select(CELLS).prop_map(str::to_string), "[^\u{0}\r]{0,16}"]
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn csv_importer_takes_any_bytes(bytes in prop_oneof![csv_text(), prop::collection::vec(any::<u8>(), 0..400)]) {
        if let Ok(t) = read_csv(&bytes) {
            parse_everything(&t);
        }
    }

    #[test]
    fn xlsx_importer_takes_damaged_workbooks(
        cuts in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..8),
        truncate in prop::option::of(any::<prop::sample::Index>()),
        noise in prop::collection::vec(any::<u8>(), 0..64),
    ) {
        let mut bytes = a_workbook();
        for (at, b) in cuts {
            let i = at.index(bytes.len());
            bytes[i] = b;
        }
        if let Some(at) = truncate {
            let len = at.index(bytes.len());
            bytes.truncate(len);
        }
        let _ = read_xlsx(&noise);
        if let Ok(t) = read_xlsx(&bytes) {
            parse_everything(&t);
        }
    }

    #[test]
    fn what_we_write_reads_back(
        headers in prop::collection::vec("[a-z_]{1,10}", 2..6),
        rows in prop::collection::vec(prop::collection::vec(cell(), 6), 1..6),
    ) {
        let rows: Vec<Vec<String>> = rows.into_iter().map(|r| r[..headers.len()].to_vec()).collect();
        let t = Table { headers, rows };
        let back = read_csv(&to_csv(&t)).unwrap();
        prop_assert_eq!(&back.headers, &t.headers);
        prop_assert_eq!(back.rows.len(), t.rows.len());
        for ((_, got), want) in back.rows.iter().zip(&t.rows) {
            prop_assert_eq!(got.len(), want.len());
            for (g, w) in got.iter().zip(want) {
                // Formula-like text comes back with the apostrophe that defuses it.
                let formula_like = w.starts_with(['=', '+', '-', '@', '\t', '\r']);
                prop_assert!(g == w || (formula_like && *g == format!("'{w}")), "{:?} came back as {:?}", w, g);
            }
        }
    }
}

/// Regression (found by `xlsx_importer_takes_damaged_workbooks`): one byte of
/// a workbook set to zero made calamine index a shared string that was not
/// there and panic. Every single zeroed byte of a real workbook now reads or
/// is refused.
#[test]
fn every_zeroed_byte_of_a_workbook_reads_or_is_refused() {
    let good = a_workbook();
    let mut refused = 0;
    for i in 0..good.len() {
        let mut bytes = good.clone();
        bytes[i] = 0;
        match read_xlsx(&bytes) {
            Ok(t) => parse_everything(&t),
            Err(_) => refused += 1,
        }
    }
    assert!(refused > 0);
}
