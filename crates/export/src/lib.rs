//! Open formats out and in: a [`Table`] written as CSV or XLSX, and read
//! back from either with the line and column of every cell, so an import
//! can say exactly where a bad value is.

pub mod analysis;
pub mod law_text;

use std::io::Cursor;

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("cannot write the spreadsheet: {0}")]
    Xlsx(String),
    #[error("cannot read the file: {0}")]
    Read(String),
    /// Neither a workbook nor UTF-8 text (a picture, a PDF, a UTF-16 export).
    #[error("the file is not a CSV or XLSX file")]
    NotATable,
}

/// Reads an upload as what it is: XLSX (a zip file) or CSV (UTF-8 text,
/// with or without a byte-order mark); anything else is `NotATable`, so the
/// user is told what to upload instead of a parse error of a picture.
pub fn read_table(bytes: &[u8]) -> Result<ReadTable, ExportError> {
    if bytes.starts_with(b"PK\x03\x04") {
        return read_xlsx(bytes);
    }
    let text = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if text.contains(&0) || std::str::from_utf8(text).is_err() {
        return Err(ExportError::NotATable);
    }
    read_csv(bytes)
}

/// Column names and rows of text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Table {
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// Spreadsheet programs run cell text that starts with these as a formula;
/// a leading apostrophe keeps it text (OWASP "CSV injection").
fn defuse(cell: &str) -> String {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}"),
        _ => cell.to_string(),
    }
}

/// UTF-8 CSV with a byte-order mark, so spreadsheet programs show Khmer right.
pub fn to_csv(t: &Table) -> Vec<u8> {
    let mut out = b"\xEF\xBB\xBF".to_vec();
    {
        let mut w = csv::Writer::from_writer(&mut out);
        let _ = w.write_record(&t.headers);
        for r in &t.rows {
            let _ = w.write_record(r.iter().map(|c| defuse(c)));
        }
        let _ = w.flush();
    }
    out
}

/// One worksheet, a bold frozen header row, text cells (never formulas).
pub fn to_xlsx(t: &Table, sheet: &str) -> Result<Vec<u8>, ExportError> {
    use rust_xlsxwriter::{Format, Workbook};
    let err = |e: rust_xlsxwriter::XlsxError| ExportError::Xlsx(e.to_string());
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name(sheet).map_err(err)?;
    let bold = Format::new().set_bold();
    for (c, h) in t.headers.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, h, &bold).map_err(err)?;
    }
    for (r, row) in t.rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            ws.write_string((r + 1) as u32, c as u16, cell).map_err(err)?;
        }
    }
    ws.set_freeze_panes(1, 0).map_err(err)?;
    wb.save_to_buffer().map_err(err)
}

/// A table read from a file: rows keep their line number in the file (the
/// header is line 1).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReadTable {
    pub headers: Vec<String>,
    pub rows: Vec<(usize, Vec<String>)>,
}

/// The line a record at `byte` starts on, line ends before it skipped.
fn line_at(bytes: &[u8], byte: usize) -> usize {
    let mut at = byte.min(bytes.len());
    while at < bytes.len() && matches!(bytes[at], b'\r' | b'\n') {
        at += 1;
    }
    1 + bytes[..at].iter().filter(|b| **b == b'\n').count()
}

/// Reads CSV (UTF-8, with or without a byte-order mark).
pub fn read_csv(bytes: &[u8]) -> Result<ReadTable, ExportError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut r = csv::ReaderBuilder::new().flexible(true).from_reader(bytes);
    let headers =
        r.headers().map_err(|e| ExportError::Read(e.to_string()))?.iter().map(|h| h.trim().to_string()).collect();
    let mut rows = vec![];
    let (mut counted_to, mut newlines) = (0usize, 0usize);
    for rec in r.records() {
        let rec = rec.map_err(|e| match e.position() {
            Some(p) => ExportError::Read(format!("line {}: {e}", line_at(bytes, p.byte() as usize))),
            None => ExportError::Read(e.to_string()),
        })?;
        // The line a record starts on, counted here: in CRLF files (as Excel
        // writes them) the csv crate places a record at the `\n` ending the
        // line before, one line short. Skip line ends, then count.
        // Records come in order, so the count goes on from the last one.
        let line = match rec.position() {
            Some(p) => {
                let mut at = (p.byte() as usize).min(bytes.len());
                while at < bytes.len() && matches!(bytes[at], b'\r' | b'\n') {
                    at += 1;
                }
                if at > counted_to {
                    newlines += bytes[counted_to..at].iter().filter(|b| **b == b'\n').count();
                    counted_to = at;
                }
                1 + newlines
            }
            None => 0,
        };
        rows.push((line, rec.iter().map(str::to_string).collect()));
    }
    Ok(ReadTable { headers, rows })
}

/// The widest sheet read: imports have a few dozen columns. A cell far to
/// the right (or far down) must not make us build a grid of billions of
/// empty cells, as reading the sheet into a dense range would.
pub const MAX_XLSX_COLUMNS: u32 = 500;

/// The most cells (rows × width) a sheet may spread over: about 100 MB of
/// empty text at most. Real imports (50,000 cases of 20 columns, the UPR
/// corpus) stay far below it.
pub const MAX_XLSX_CELLS: usize = 4_000_000;

/// Reads the first worksheet of an XLSX file, cell by cell (only the cells
/// present are kept, whatever their positions).
pub fn read_xlsx(bytes: &[u8]) -> Result<ReadTable, ExportError> {
    check_expanded_size(bytes)?;
    // calamine can panic on some damaged workbooks (a cell pointing at a
    // shared string that is not there, found by our fuzz test): that is a
    // file we cannot read, not a reason to take the server down.
    std::panic::catch_unwind(|| read_xlsx_cells(bytes))
        .unwrap_or_else(|_| Err(ExportError::Read("the workbook is damaged".into())))
}

fn read_xlsx_cells(bytes: &[u8]) -> Result<ReadTable, ExportError> {
    use calamine::{Reader, Xlsx};
    use std::collections::BTreeMap;
    let read = |e: calamine::XlsxError| ExportError::Read(e.to_string());
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(read)?;
    let name =
        wb.sheet_names().first().cloned().ok_or_else(|| ExportError::Read("the workbook has no worksheet".into()))?;
    let mut cells = wb.worksheet_cells_reader(&name).map_err(read)?;
    // Row -> (column, text), and the leftmost column seen.
    let mut rows: BTreeMap<u32, Vec<(u32, String)>> = BTreeMap::new();
    let mut first_col = u32::MAX;
    while let Some(cell) = cells.next_cell().map_err(read)? {
        let (row, col) = cell.get_position();
        if col >= MAX_XLSX_COLUMNS {
            return Err(ExportError::Read(format!(
                "a cell in column {} at line {}: at most {MAX_XLSX_COLUMNS} columns are read",
                column_name(col as usize),
                row as u64 + 1
            )));
        }
        let text = calamine::Data::from(cell.get_value().clone()).to_string();
        if text.is_empty() {
            continue;
        }
        first_col = first_col.min(col);
        rows.entry(row).or_default().push((col, text));
    }
    let width = rows.values().flatten().map(|(c, _)| c + 1).max().unwrap_or(0).saturating_sub(first_col) as usize;
    let line = |cells: Vec<(u32, String)>| {
        let mut out = vec![String::new(); width];
        for (c, text) in cells {
            out[(c - first_col) as usize] = text;
        }
        out
    };
    if width.saturating_mul(rows.len()) > MAX_XLSX_CELLS {
        return Err(ExportError::Read(format!(
            "the sheet spreads over {} rows × {width} columns, more than the {MAX_XLSX_CELLS} cells read",
            rows.len()
        )));
    }
    let mut rows = rows.into_iter();
    let Some((_, header)) = rows.next() else { return Ok(ReadTable::default()) };
    // As wide as the widest row, as before: the importers compare a row's
    // width with the headers'.
    let headers: Vec<String> = line(header).into_iter().map(|h| h.trim().to_string()).collect();
    let rows = rows
        .map(|(r, cells)| (r as usize + 1, line(cells)))
        .filter(|(_, r)| r.iter().any(|c| !c.trim().is_empty()))
        .collect();
    Ok(ReadTable { headers, rows })
}

/// The most a workbook may expand to when unzipped. A few megabytes of
/// upload can declare gigabytes of XML (a "zip bomb"); real case sheets of
/// tens of thousands of rows stay far below this.
pub const MAX_XLSX_EXPANDED: u64 = 64 * 1024 * 1024;

/// Refuses a workbook whose parts together declare more than
/// [`MAX_XLSX_EXPANDED`] bytes, before anything is decompressed.
fn check_expanded_size(bytes: &[u8]) -> Result<(), ExportError> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| ExportError::Read(e.to_string()))?;
    let mut total: u64 = 0;
    for i in 0..zip.len() {
        let part = zip.by_index_raw(i).map_err(|e| ExportError::Read(e.to_string()))?;
        total = total.saturating_add(part.size());
    }
    if total > MAX_XLSX_EXPANDED {
        return Err(ExportError::Read(format!(
            "the workbook expands to {} MiB, more than the {} MiB allowed",
            total / (1024 * 1024),
            MAX_XLSX_EXPANDED / (1024 * 1024)
        )));
    }
    Ok(())
}

/// Spreadsheet column name of a 0-based index: 0 → A, 26 → AA.
pub fn column_name(mut i: usize) -> String {
    let mut s = String::new();
    loop {
        s.insert(0, (b'A' + (i % 26) as u8) as char);
        if i < 26 {
            break;
        }
        i = i / 26 - 1;
    }
    s
}

#[cfg(test)]
mod tests {

    #[test]
    fn uploads_are_read_as_what_they_are() {
        use super::*;
        assert!(matches!(read_table(b"\x89PNG\r\n\x1a\n\0\0"), Err(ExportError::NotATable)));
        assert!(matches!(read_table(b"\xff\xfet\0i\0"), Err(ExportError::NotATable)), "UTF-16 text");
        assert_eq!(read_table("\u{feff}a,b\n1,ខ\n".as_bytes()).unwrap().rows.len(), 1);
        let xlsx = to_xlsx(&Table { headers: vec!["a".into()], rows: vec![vec!["1".into()]] }, "S").unwrap();
        assert_eq!(read_table(&xlsx).unwrap().headers, ["a"]);
    }

    #[test]
    fn line_numbers_with_crlf_and_lf() {
        for text in ["a,b\n1,2\n3,4\n", "a,b\r\n1,2\r\n3,4\r\n"] {
            let t = read_csv(text.as_bytes()).unwrap();
            assert_eq!(t.rows.iter().map(|r| r.0).collect::<Vec<_>>(), [2, 3], "{text:?}");
        }
    }
    use super::*;

    #[test]
    fn a_workbook_that_expands_too_far_is_refused_before_reading() {
        use std::io::Write;
        let mut out = Cursor::new(Vec::new());
        {
            let mut w = zip::ZipWriter::new(&mut out);
            let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
            w.start_file("xl/worksheets/sheet1.xml", opts).unwrap();
            let zeros = vec![b' '; 1024 * 1024];
            for _ in 0..65 {
                w.write_all(&zeros).unwrap();
            }
            w.finish().unwrap();
        }
        let bytes = out.into_inner();
        assert!(bytes.len() < 1024 * 1024, "small on the wire: {} bytes", bytes.len());
        let err = read_xlsx(&bytes).unwrap_err().to_string();
        assert!(err.contains("expands to 65 MiB"), "{err}");
        // A real workbook passes the check.
        let ok = to_xlsx(&table(), "Cases").unwrap();
        assert!(read_xlsx(&ok).is_ok());
    }

    fn table() -> Table {
        Table {
            headers: vec!["reference".into(), "title".into()],
            rows: vec![
                vec!["PNH-2026-0001".into(), "ការបណ្តេញចេញ, \"quoted\"".into()],
                vec!["PNH-2026-0002".into(), "=HYPERLINK(\"x\")".into()],
            ],
        }
    }

    #[test]
    fn csv_round_trip_keeps_khmer_and_defuses_formulas() {
        let bytes = to_csv(&table());
        assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
        let back = read_csv(&bytes).unwrap();
        assert_eq!(back.headers, ["reference", "title"]);
        assert_eq!(back.rows[0], (2, vec!["PNH-2026-0001".to_string(), "ការបណ្តេញចេញ, \"quoted\"".to_string()]));
        assert_eq!(back.rows[1].1[1], "'=HYPERLINK(\"x\")");
    }

    #[test]
    fn xlsx_round_trip() {
        let bytes = to_xlsx(&table(), "Cases").unwrap();
        assert!(bytes.starts_with(b"PK"));
        let back = read_xlsx(&bytes).unwrap();
        assert_eq!(back.headers, ["reference", "title"]);
        assert_eq!(back.rows.len(), 2);
        assert_eq!(back.rows[1].0, 3, "line numbers as in the spreadsheet");
        assert_eq!(back.rows[1].1[1], "=HYPERLINK(\"x\")", "stored as text, not a formula");
        assert!(read_xlsx(b"not a zip").is_err());
    }

    /// Regression (found by the fuzz test, issue 6): cells far apart made
    /// calamine's dense range ask for billions of cells, which aborts the
    /// process; now far rows are fine and far columns a clear error.
    #[test]
    fn far_away_cells_neither_abort_nor_build_a_huge_grid() {
        let mut wb = rust_xlsxwriter::Workbook::new();
        let ws = wb.add_worksheet();
        ws.write_string(0, 0, "title").unwrap();
        ws.write_string(1_048_575, 0, "the last row").unwrap();
        let far_down = wb.save_to_buffer().unwrap();
        let t = read_xlsx(&far_down).unwrap();
        assert_eq!(t.headers, ["title"]);
        assert_eq!(t.rows, vec![(1_048_576, vec!["the last row".to_string()])]);
        let mut wb = rust_xlsxwriter::Workbook::new();
        let ws = wb.add_worksheet();
        ws.write_string(0, 0, "title").unwrap();
        ws.write_string(1_048_575, 16_383, "far away").unwrap();
        let far_right = wb.save_to_buffer().unwrap();
        let err = read_xlsx(&far_right).unwrap_err().to_string();
        assert!(err.contains("column XFD at line 1048576") && err.contains("at most 500 columns"), "{err}");
        // Wide and long: refused before the grid is built.
        let mut wb = rust_xlsxwriter::Workbook::new();
        let ws = wb.add_worksheet();
        ws.write_string(0, 499, "far right").unwrap();
        for row in 1..8_002 {
            ws.write_string(row, 0, "x").unwrap();
        }
        let err = read_xlsx(&wb.save_to_buffer().unwrap()).unwrap_err().to_string();
        assert!(err.contains("8002 rows × 500 columns"), "{err}");
        // A header row shorter than a row keeps its full width (the importers
        // compare the two).
        let mut wb = rust_xlsxwriter::Workbook::new();
        let ws = wb.add_worksheet();
        ws.write_string(0, 0, "title").unwrap();
        ws.write_string(1, 0, "a").unwrap();
        ws.write_string(1, 2, "stray").unwrap();
        let t = read_xlsx(&wb.save_to_buffer().unwrap()).unwrap();
        assert_eq!(t.headers, ["title", "", ""]);
    }

    #[test]
    fn column_names() {
        assert_eq!(
            (column_name(0), column_name(25), column_name(26), column_name(27)),
            ("A".into(), "Z".into(), "AA".into(), "AB".into())
        );
    }
}
