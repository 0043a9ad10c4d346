//! The text of a draft law from the file it came in: DOCX (a zip of XML
//! parts, read with `zip` and `quick-xml`), PDF (`pdf-extract`), or plain
//! UTF-8 text. What cannot be read says why: a damaged file, an encrypted
//! one, one that expands to more than a law ever is (a zip bomb), a PDF
//! without a text layer (scanned: the caller keeps the file and asks for
//! the text to be pasted).

use std::io::{Cursor, Read};

/// A DOCX of a 2,000-article code is a few MiB of XML; more is not a law.
pub const MAX_DOCX_EXPANDED: u64 = 64 * 1024 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LawFileKind {
    Docx,
    Pdf,
    Text,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum LawTextError {
    #[error("the file is not a DOCX, PDF or plain-text file")]
    Unsupported,
    #[error("the file is password-protected")]
    Encrypted,
    #[error("the file is damaged: {0}")]
    Damaged(String),
    #[error("the file expands to more than {} MiB", MAX_DOCX_EXPANDED / (1024 * 1024))]
    TooLarge,
}

/// What kind of file the bytes are, from their first bytes (not the name).
pub fn law_file_kind(bytes: &[u8]) -> Result<LawFileKind, LawTextError> {
    if bytes.starts_with(b"PK\x03\x04") {
        Ok(LawFileKind::Docx)
    } else if bytes.starts_with(b"%PDF-") {
        Ok(LawFileKind::Pdf)
    } else if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        // An OLE compound file: a password-protected DOCX (or an old .doc).
        Err(LawTextError::Encrypted)
    } else {
        let text = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        if !text.contains(&0) && std::str::from_utf8(text).is_ok() {
            Ok(LawFileKind::Text)
        } else {
            Err(LawTextError::Unsupported)
        }
    }
}

/// The file's kind and its text, lines as the document has them. An empty
/// text is a document without a text layer (a scanned PDF).
pub fn extract_law_text(bytes: &[u8]) -> Result<(LawFileKind, String), LawTextError> {
    let kind = law_file_kind(bytes)?;
    let text = match kind {
        LawFileKind::Docx => docx_text(bytes)?,
        LawFileKind::Pdf => pdf_text(bytes)?,
        LawFileKind::Text => {
            let t = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
            String::from_utf8_lossy(t).replace("\r\n", "\n")
        }
    };
    Ok((kind, text))
}

/// The paragraphs of `word/document.xml`, one a line; tabs and line breaks kept.
pub fn docx_text(bytes: &[u8]) -> Result<String, LawTextError> {
    let damaged = |e: &dyn std::fmt::Display| LawTextError::Damaged(e.to_string());
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| damaged(&e))?;
    let mut declared: u64 = 0;
    for i in 0..zip.len() {
        let part = zip.by_index_raw(i).map_err(|e| damaged(&e))?;
        if part.encrypted() {
            return Err(LawTextError::Encrypted);
        }
        declared = declared.saturating_add(part.size());
    }
    if declared > MAX_DOCX_EXPANDED {
        return Err(LawTextError::TooLarge);
    }
    let part = zip
        .by_name("word/document.xml")
        .map_err(|_| LawTextError::Damaged("no word/document.xml: not a Word document".into()))?;
    // The declared size can lie: read at most the limit, and one byte more to know.
    let mut xml = Vec::new();
    part.take(MAX_DOCX_EXPANDED + 1).read_to_end(&mut xml).map_err(|e| damaged(&e))?;
    if xml.len() as u64 > MAX_DOCX_EXPANDED {
        return Err(LawTextError::TooLarge);
    }
    document_xml_text(&xml).map_err(|e| damaged(&e))
}

fn document_xml_text(xml: &[u8]) -> Result<String, quick_xml::Error> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_reader(xml);
    let mut buf = Vec::new();
    let mut out = String::new();
    let mut in_text = false;
    loop {
        match reader.read_event_into(&mut buf)? {
            Event::Start(e) if e.local_name().as_ref() == b"t" => in_text = true,
            Event::End(e) => match e.local_name().as_ref() {
                b"t" => in_text = false,
                b"p" => out.push('\n'),
                _ => {}
            },
            Event::Empty(e) => match e.local_name().as_ref() {
                b"tab" => out.push('\t'),
                b"br" | b"cr" => out.push('\n'),
                b"p" => out.push('\n'),
                _ => {}
            },
            Event::Text(t) if in_text => {
                let text = t.unescape()?;
                out.push_str(&text);
            }
            Event::CData(t) if in_text => out.push_str(&String::from_utf8_lossy(&t)),
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    Ok(out)
}

/// The text layer of a PDF; empty when it has none (scanned pages).
pub fn pdf_text(bytes: &[u8]) -> Result<String, LawTextError> {
    // The extractor panics on some damaged files (as calamine does on some
    // workbooks): a file we cannot read, not a reason to stop the server.
    let extracted = std::panic::catch_unwind(|| pdf_extract::extract_text_from_mem(bytes));
    match extracted {
        Ok(Ok(text)) => Ok(text.replace("\r\n", "\n")),
        Ok(Err(e)) if is_encrypted_pdf(bytes) => {
            let _ = e;
            Err(LawTextError::Encrypted)
        }
        Ok(Err(e)) => Err(LawTextError::Damaged(e.to_string())),
        Err(_) if is_encrypted_pdf(bytes) => Err(LawTextError::Encrypted),
        Err(_) => Err(LawTextError::Damaged("the PDF could not be read".into())),
    }
}

/// A PDF whose trailer names an encryption dictionary.
fn is_encrypted_pdf(bytes: &[u8]) -> bool {
    bytes.windows(8).any(|w| w == b"/Encrypt")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn docx(document_xml: &str) -> Vec<u8> {
        let mut out = Cursor::new(Vec::new());
        {
            let mut z = zip::ZipWriter::new(&mut out);
            let opts = zip::write::SimpleFileOptions::default();
            z.start_file("[Content_Types].xml", opts).unwrap();
            z.write_all(b"<Types/>").unwrap();
            z.start_file("word/document.xml", opts).unwrap();
            z.write_all(document_xml.as_bytes()).unwrap();
            z.finish().unwrap();
        }
        out.into_inner()
    }

    #[test]
    fn a_docx_gives_its_paragraphs() {
        let xml = r#"<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>
            <w:p><w:r><w:t>មាត្រា ១</w:t></w:r></w:p>
            <w:p><w:r><w:t xml:space="preserve">Associations &amp; </w:t></w:r><w:r><w:t>NGOs</w:t><w:tab/><w:t>register.</w:t></w:r></w:p>
            <w:p/></w:body></w:document>"#;
        let (kind, text) = extract_law_text(&docx(xml)).unwrap();
        assert_eq!(kind, LawFileKind::Docx);
        assert_eq!(text, "មាត្រា ១\nAssociations & NGOs\tregister.\n\n");
    }

    #[test]
    fn bad_files_say_why() {
        assert_eq!(law_file_kind(b"\x89PNG\r\n\x1a\n\0\0"), Err(LawTextError::Unsupported));
        assert_eq!(law_file_kind(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1]), Err(LawTextError::Encrypted));
        // A zip without a Word document, and a truncated one.
        let mut not_word = Cursor::new(Vec::new());
        {
            let mut z = zip::ZipWriter::new(&mut not_word);
            z.start_file("a.txt", zip::write::SimpleFileOptions::default()).unwrap();
            z.write_all(b"x").unwrap();
            z.finish().unwrap();
        }
        assert!(matches!(extract_law_text(not_word.get_ref()), Err(LawTextError::Damaged(_))));
        let whole = docx("<w:document/>");
        assert!(matches!(extract_law_text(&whole[..whole.len() / 2]), Err(LawTextError::Damaged(_))));
        // A zip bomb: 100 MiB of zeros compress to ~100 kB.
        let mut bomb = Cursor::new(Vec::new());
        {
            let mut z = zip::ZipWriter::new(&mut bomb);
            let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
            z.start_file("word/document.xml", opts).unwrap();
            let zeros = vec![b' '; 1024 * 1024];
            for _ in 0..100 {
                z.write_all(&zeros).unwrap();
            }
            z.finish().unwrap();
        }
        assert!(bomb.get_ref().len() < 1024 * 1024);
        assert_eq!(extract_law_text(bomb.get_ref()), Err(LawTextError::TooLarge));
        // A damaged PDF.
        assert!(matches!(extract_law_text(b"%PDF-1.7\nnot really"), Err(LawTextError::Damaged(_))));
    }

    #[test]
    fn a_pdf_gives_its_text_layer_and_a_scanned_one_nothing() {
        let pdf = include_bytes!("../../../testdata/legislation/text-layer.pdf");
        let (kind, text) = extract_law_text(pdf).unwrap();
        assert_eq!(kind, LawFileKind::Pdf);
        assert!(text.contains("Organisers shall notify the authorities"), "{text}");
        let law = rightsdesk_domain::legislation::split_law(&text);
        let numbers: Vec<_> = law.articles.iter().map(|a| a.number.as_str()).collect();
        assert_eq!(numbers, ["1", "2", "3"], "{text}");
        let encrypted = include_bytes!("../../../testdata/legislation/encrypted.pdf");
        assert_eq!(extract_law_text(encrypted), Err(LawTextError::Encrypted));
        let scanned = include_bytes!("../../../testdata/legislation/scanned.pdf");
        let (kind, text) = extract_law_text(scanned).unwrap();
        assert_eq!((kind, text.trim()), (LawFileKind::Pdf, ""));
    }

    #[test]
    fn plain_text_is_read_with_or_without_a_byte_order_mark() {
        let (kind, text) = extract_law_text("\u{feff}Article 1\r\nText".as_bytes()).unwrap();
        assert_eq!((kind, text.as_str()), (LawFileKind::Text, "Article 1\nText"));
    }
}
