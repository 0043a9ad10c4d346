//! A draft law's analysis as a document people read and send: DOCX (for
//! the officers who edit it further in Word) and PDF (to send as it is).
//! Both take the same [`Analysis`], whose every label is already in the
//! reader's language. The PDF is laid out by typst with the embedded Noto
//! Sans Khmer (SIL OFL), which shapes Khmer and breaks Khmer lines by its
//! ICU segmenter; the DOCX is WordprocessingML written here, so that its
//! header row repeats on every page and its text is tagged Khmer for Word's
//! shaper and spell checker (decision 0016).

use serde::Serialize;
use std::io::{Cursor, Write};

/// The font the PDF is set in (Khmer and Latin), embedded in the binary.
pub static KHMER_FONT: &[u8] = include_bytes!("../../web/assets/fonts/NotoSansKhmer-Variable.ttf");

#[derive(Debug, Clone, Default, Serialize)]
pub struct Analysis {
    /// `km` or `en`: the language of every text below.
    pub lang: String,
    pub title: String,
    pub subtitle: String,
    /// "Legal analysis", the cover's first line.
    pub kind: String,
    /// (label, value): stage, ministry, lead officer, date of the analysis.
    pub facts: Vec<(String, String)>,
    pub versions_heading: String,
    /// (label, date, source) of every version.
    pub versions: Vec<[String; 3]>,
    pub summary_heading: String,
    pub summary: String,
    pub table_heading: String,
    /// The five column headings: article, concern, standard, recommendation, response.
    pub columns: [String; 5],
    pub rows: Vec<AnalysisRow>,
    /// "Page", before the page number.
    pub page: String,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct AnalysisRow {
    /// "Article 12" (or "The law as a whole").
    pub article: String,
    /// The article's text in the version analysed.
    pub text: String,
    pub concern: String,
    pub standard: String,
    pub recommendation: String,
    pub response: String,
}

#[derive(Debug, thiserror::Error)]
pub enum AnalysisError {
    #[error("cannot lay out the PDF: {0}")]
    Pdf(String),
    #[error("cannot write the DOCX: {0}")]
    Docx(String),
}

// ---- PDF ------------------------------------------------------------------

/// The template is constant; the data comes in as JSON through
/// `sys.inputs`, so no text of a law or comment is ever read as markup.
const TEMPLATE: &str = r##"
#let data = json(bytes(sys.inputs.data))
#set document(title: data.title)
#let khmer-digits = ("០", "១", "២", "៣", "៤", "៥", "៦", "៧", "៨", "៩")
#let number(n) = if data.lang == "km" { str(n).clusters().map(c => khmer-digits.at(int(c))).join() } else { str(n) }
#set page(paper: "a4", flipped: true, margin: (x: 15mm, y: 18mm),
  footer: context align(right, text(size: 8pt)[#data.page #number(counter(page).get().first())]))
#set text(font: "Noto Sans Khmer", lang: data.lang, size: 9pt)
#set par(leading: 0.75em)
#text(size: 10pt, data.kind)
#v(2mm)
#text(size: 18pt, weight: "bold", data.title)
#v(1mm)
#text(size: 12pt, data.subtitle)
#v(4mm)
#table(columns: (auto, 1fr), stroke: none, inset: (x: 0pt, y: 3pt), column-gutter: 6mm,
  ..data.facts.map(f => (strong(f.at(0)), f.at(1))).flatten())
#v(3mm)
#text(size: 12pt, weight: "bold", data.versions_heading)
#table(columns: (auto, auto, 1fr), stroke: 0.4pt + gray, inset: 4pt,
  ..data.versions.flatten())
#v(3mm)
#text(size: 12pt, weight: "bold", data.summary_heading)
#parbreak()
#data.summary
#pagebreak()
#text(size: 12pt, weight: "bold", data.table_heading)
#table(columns: (1.6fr, 1.2fr, 1fr, 1.2fr, 1fr), stroke: 0.4pt + gray, inset: 4pt,
  table.header(..data.columns.map(c => strong(c))),
  ..data.rows.map(r => (
    [#strong(r.article) \ #r.text], r.concern, r.standard, r.recommendation, r.response,
  )).flatten())
"##;

mod world {
    use typst::diag::{FileError, FileResult};
    use typst::foundations::{Bytes, Datetime, Dict, Duration};
    use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
    use typst::text::{Font, FontBook};
    use typst::utils::LazyHash;
    use typst::{Library, LibraryExt, World};

    /// One source, one font, no files: nothing the document names can be read from disk.
    pub struct PdfWorld {
        library: LazyHash<Library>,
        book: LazyHash<FontBook>,
        fonts: Vec<Font>,
        main: Source,
    }

    impl PdfWorld {
        pub fn new(markup: &str, inputs: Dict) -> Self {
            let fonts: Vec<Font> = Font::iter(Bytes::new(super::KHMER_FONT)).collect();
            let book = FontBook::from_fonts(&fonts);
            let id = match VirtualPath::new("/main.typ") {
                Ok(path) => RootedPath::new(VirtualRoot::Project, path).intern(),
                Err(_) => unreachable!("a constant, valid path"),
            };
            PdfWorld {
                library: LazyHash::new(Library::builder().with_inputs(inputs).build()),
                book: LazyHash::new(book),
                fonts,
                main: Source::new(id, markup.to_string()),
            }
        }
    }

    impl World for PdfWorld {
        fn library(&self) -> &LazyHash<Library> {
            &self.library
        }
        fn book(&self) -> &LazyHash<FontBook> {
            &self.book
        }
        fn main(&self) -> FileId {
            self.main.id()
        }
        fn source(&self, id: FileId) -> FileResult<Source> {
            if id == self.main.id() {
                Ok(self.main.clone())
            } else {
                Err(FileError::AccessDenied)
            }
        }
        fn file(&self, _id: FileId) -> FileResult<Bytes> {
            Err(FileError::AccessDenied)
        }
        fn font(&self, index: usize) -> Option<Font> {
            self.fonts.get(index).cloned()
        }
        fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
            None
        }
    }
}

/// The analysis as a PDF (A4 landscape).
pub fn analysis_pdf(a: &Analysis) -> Result<Vec<u8>, AnalysisError> {
    use typst::foundations::{Dict, IntoValue};
    let json = serde_json::to_string(a).map_err(|e| AnalysisError::Pdf(e.to_string()))?;
    let mut inputs = Dict::new();
    inputs.insert("data".into(), json.into_value());
    let world = world::PdfWorld::new(TEMPLATE, inputs);
    let compiled = typst::compile::<typst_layout::PagedDocument>(&world);
    let messages = |diags: &[typst::diag::SourceDiagnostic]| {
        diags.iter().map(|d| d.message.to_string()).collect::<Vec<_>>().join("; ")
    };
    let doc = compiled.output.map_err(|e| AnalysisError::Pdf(messages(&e)))?;
    let pdf = typst_pdf::pdf(&doc, &typst_pdf::PdfOptions::default()).map_err(|e| AnalysisError::Pdf(messages(&e)));
    // A long-running server: keep typst's memo cache from growing.
    typst::comemo::evict(10);
    pdf
}

// ---- DOCX -----------------------------------------------------------------

fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            // XML 1.0 has no place for other control characters.
            c if c.is_control() && !matches!(c, '\t' | '\n') => {}
            c => out.push(c),
        }
    }
    out
}

/// A run of text in the document's language; line breaks kept.
fn run(text: &str, lang: &str, bold: bool, size_half_points: u32) -> String {
    let lang = if lang == "km" { "km-KH" } else { "en-GB" };
    let mut props = format!(
        "<w:rPr><w:rFonts w:ascii=\"Noto Sans Khmer\" w:hAnsi=\"Noto Sans Khmer\" w:cs=\"Noto Sans Khmer\"/>{}<w:sz w:val=\"{size_half_points}\"/><w:szCs w:val=\"{size_half_points}\"/><w:lang w:val=\"{lang}\" w:bidi=\"{lang}\"/></w:rPr>",
        if bold { "<w:b/><w:bCs/>" } else { "" }
    );
    let mut out = String::new();
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push_str("<w:br/>");
        }
        out.push_str(&format!("<w:t xml:space=\"preserve\">{}</w:t>", xml_escape(line)));
    }
    props.insert_str(0, "<w:r>");
    format!("{props}{out}</w:r>")
}

fn paragraph(runs: &str) -> String {
    format!("<w:p>{runs}</w:p>")
}

fn cell(content: &str, width: u32) -> String {
    format!("<w:tc><w:tcPr><w:tcW w:w=\"{width}\" w:type=\"dxa\"/></w:tcPr>{content}</w:tc>")
}

fn table(widths: &[u32], header: Option<&[String]>, rows: &[Vec<String>], lang: &str) -> String {
    let mut t = String::from(
        "<w:tbl><w:tblPr><w:tblW w:w=\"0\" w:type=\"auto\"/><w:tblBorders>\
         <w:top w:val=\"single\" w:sz=\"4\" w:color=\"999999\"/><w:left w:val=\"single\" w:sz=\"4\" w:color=\"999999\"/>\
         <w:bottom w:val=\"single\" w:sz=\"4\" w:color=\"999999\"/><w:right w:val=\"single\" w:sz=\"4\" w:color=\"999999\"/>\
         <w:insideH w:val=\"single\" w:sz=\"4\" w:color=\"999999\"/><w:insideV w:val=\"single\" w:sz=\"4\" w:color=\"999999\"/>\
         </w:tblBorders></w:tblPr><w:tblGrid>",
    );
    for w in widths {
        t.push_str(&format!("<w:gridCol w:w=\"{w}\"/>"));
    }
    t.push_str("</w:tblGrid>");
    if let Some(header) = header {
        // Repeated at the top of every page the table runs over.
        t.push_str("<w:tr><w:trPr><w:tblHeader/></w:trPr>");
        for (h, w) in header.iter().zip(widths) {
            t.push_str(&cell(&paragraph(&run(h, lang, true, 18)), *w));
        }
        t.push_str("</w:tr>");
    }
    for r in rows {
        t.push_str("<w:tr>");
        for (c, w) in r.iter().zip(widths) {
            t.push_str(&cell(&paragraph(&run(c, lang, false, 18)), *w));
        }
        t.push_str("</w:tr>");
    }
    t.push_str("</w:tbl>");
    t
}

/// The analysis as a Word document (A4 landscape).
pub fn analysis_docx(a: &Analysis) -> Result<Vec<u8>, AnalysisError> {
    let lang = a.lang.as_str();
    let mut body = String::new();
    body.push_str(&paragraph(&run(&a.kind, lang, false, 20)));
    body.push_str(&paragraph(&run(&a.title, lang, true, 36)));
    body.push_str(&paragraph(&run(&a.subtitle, lang, false, 24)));
    let facts: Vec<Vec<String>> = a.facts.iter().map(|(k, v)| vec![k.clone(), v.clone()]).collect();
    body.push_str(&table(&[3200, 10000], None, &facts, lang));
    body.push_str(&paragraph(&run(&a.versions_heading, lang, true, 24)));
    let versions: Vec<Vec<String>> = a.versions.iter().map(|v| v.to_vec()).collect();
    body.push_str(&table(&[4000, 2400, 6800], None, &versions, lang));
    body.push_str(&paragraph(&run(&a.summary_heading, lang, true, 24)));
    body.push_str(&paragraph(&run(&a.summary, lang, false, 20)));
    body.push_str("<w:p><w:r><w:br w:type=\"page\"/></w:r></w:p>");
    body.push_str(&paragraph(&run(&a.table_heading, lang, true, 24)));
    let rows: Vec<Vec<String>> = a
        .rows
        .iter()
        .map(|r| {
            vec![
                format!("{}\n{}", r.article, r.text),
                r.concern.clone(),
                r.standard.clone(),
                r.recommendation.clone(),
                r.response.clone(),
            ]
        })
        .collect();
    body.push_str(&table(&[4200, 3000, 2400, 3000, 2400], Some(&a.columns), &rows, lang));
    // A4 landscape in twentieths of a point, 15 mm margins.
    body.push_str(
        "<w:sectPr><w:pgSz w:w=\"16838\" w:h=\"11906\" w:orient=\"landscape\"/>\
         <w:pgMar w:top=\"850\" w:right=\"850\" w:bottom=\"850\" w:left=\"850\" w:header=\"425\" w:footer=\"425\" w:gutter=\"0\"/></w:sectPr>",
    );
    let document = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
         <w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>{body}</w:body></w:document>"
    );
    let content_types = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
        <Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
        <Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
        <Default Extension=\"xml\" ContentType=\"application/xml\"/>\
        <Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>\
        </Types>";
    let rels = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
        <Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
        <Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/>\
        </Relationships>";
    let docx_err = |e: &dyn std::fmt::Display| AnalysisError::Docx(e.to_string());
    let mut out = Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut out);
        let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        for (name, part) in
            [("[Content_Types].xml", content_types), ("_rels/.rels", rels), ("word/document.xml", &document)]
        {
            z.start_file(name, opts).map_err(|e| docx_err(&e))?;
            z.write_all(part.as_bytes()).map_err(|e| docx_err(&e))?;
        }
        z.finish().map_err(|e| docx_err(&e))?;
    }
    Ok(out.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    pub fn sample(rows: usize) -> Analysis {
        Analysis {
            lang: "km".into(),
            title: "សេចក្តីព្រាងច្បាប់ស្តីពីសមាគម និងអង្គការមិនមែនរដ្ឋាភិបាល".into(),
            subtitle: "LANGO".into(),
            kind: "ការវិភាគផ្នែកច្បាប់".into(),
            facts: vec![("ដំណាក់កាល".into(), "ក្រុមប្រឹក្សារដ្ឋមន្ត្រី".into())],
            versions_heading: "កំណែ".into(),
            versions: vec![["First draft".into(), "2026-01-05".into(), "Ministry <of> Interior & co".into()]],
            summary_heading: "ចម្លើយរបស់រដ្ឋាភិបាល".into(),
            summary: "២ យោបល់".into(),
            table_heading: "យោបល់តាមមាត្រា".into(),
            columns: ["មាត្រា".into(), "កង្វល់".into(), "ស្តង់ដារ".into(), "អនុសាសន៍".into(), "ចម្លើយ".into()],
            rows: (0..rows)
                .map(|i| AnalysisRow {
                    article: format!("មាត្រា {i}"),
                    text: "សមាគមត្រូវចុះបញ្ជីជាមួយក្រសួងមហាផ្ទៃ មុនពេលធ្វើសកម្មភាពណាមួយ។ #strong[not markup] $x$".into(),
                    concern: "Registration is mandatory \"before\" any activity.".into(),
                    standard: "ICCPR art. 22".into(),
                    recommendation: "ធ្វើឱ្យការចុះបញ្ជីជាការស្ម័គ្រចិត្ត។".into(),
                    response: "Accepted".into(),
                })
                .collect(),
            page: "ទំព័រ".into(),
        }
    }

    #[test]
    fn the_pdf_is_a_pdf_with_the_khmer_font_and_no_markup_from_the_data() {
        let pdf = analysis_pdf(&sample(3)).unwrap();
        assert!(pdf.starts_with(b"%PDF-"));
        let text = String::from_utf8_lossy(&pdf);
        assert!(text.contains("NotoSansKhmer"), "the font is embedded");
    }

    #[test]
    fn the_docx_is_a_word_document_with_the_rows_escaped() {
        let docx = analysis_docx(&sample(2)).unwrap();
        let (_, text) = crate::law_text::extract_law_text(&docx).unwrap();
        assert!(text.contains("Ministry <of> Interior & co"), "{text}");
        assert!(text.contains("សមាគមត្រូវចុះបញ្ជីជាមួយក្រសួងមហាផ្ទៃ"));
        assert_eq!(text.matches("ICCPR art. 22").count(), 2);
    }
}
