//! A law's text split into its structure: a preamble, chapters and
//! articles. Headings are recognised at the start of a line, in Khmer
//! (ជំពូក, មាត្រា, with or without ទី, Khmer or Latin digits) and in English
//! (Chapter with Arabic or Roman numerals, Article). Article numbers must
//! rise through the text, so a line that starts with a cross-reference to
//! an earlier article ("Article 5 of this law applies …") stays text. The
//! officer corrects what the rules get wrong by hand.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Chapter {
    /// The chapter's number in Latin digits ("1", "IV" stays "IV").
    pub number: String,
    /// The heading line as written ("ជំពូកទី ១", "CHAPTER IV").
    pub heading: String,
    pub title: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Article {
    /// The article's number in Latin digits with its suffix ("12",
    /// "12 bis", "12-1", "12 new"): what versions are matched on.
    pub number: String,
    /// The heading as written ("មាត្រា ១២", "Article 12").
    pub heading: String,
    /// The index in [`LawStructure::chapters`] of its chapter.
    pub chapter: Option<usize>,
    pub text: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct LawStructure {
    /// Whatever comes before the first heading (title, preamble, visas).
    pub preamble: String,
    pub chapters: Vec<Chapter>,
    pub articles: Vec<Article>,
}

#[derive(Debug, PartialEq, Eq)]
enum HeadingKind {
    Chapter,
    Article,
}

#[derive(Debug, PartialEq, Eq)]
struct Heading<'a> {
    kind: HeadingKind,
    /// Latin digits (or a Roman numeral) and a suffix, normalised.
    number: String,
    /// The value that must rise from article to article.
    value: u64,
    has_suffix: bool,
    /// What follows the number on the same line.
    rest: &'a str,
}

/// Khmer digits ០-៩ as Latin ones.
pub fn latin_digits(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '០'..='៩' => char::from_u32('0' as u32 + (c as u32 - '០' as u32)).unwrap_or(c),
            _ => c,
        })
        .collect()
}

fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || ('០'..='៩').contains(&c)
}

fn is_separator(c: char) -> bool {
    c.is_whitespace() || matches!(c, '.' | ':' | '-' | '–' | '—' | '៖' | '។' | ')')
}

fn roman_value(s: &str) -> Option<u64> {
    let value = |c| match c {
        'I' => Some(1),
        'V' => Some(5),
        'X' => Some(10),
        'L' => Some(50),
        'C' => Some(100),
        _ => None,
    };
    let digits: Vec<u64> = s.chars().map(value).collect::<Option<_>>()?;
    let mut total = 0;
    for (i, d) in digits.iter().enumerate() {
        if digits.get(i + 1).is_some_and(|next| next > d) {
            total -= *d as i64;
        } else {
            total += *d as i64;
        }
    }
    (total > 0).then_some(total as u64)
}

/// `text` without a leading keyword (ASCII letters compared case-insensitively).
fn strip_keyword<'a>(text: &'a str, keyword: &str) -> Option<&'a str> {
    let head = text.get(..keyword.len())?;
    head.eq_ignore_ascii_case(keyword).then(|| &text[keyword.len()..])
}

/// The number after a heading keyword: digits (Khmer or Latin), with
/// Roman numerals where `roman`, then a suffix (`bis`, `ter`, `-1`, ថ្មី).
fn number_after(after: &str, roman: bool) -> Option<(String, u64, bool, &str)> {
    let s = after.trim_start();
    let s = s.strip_prefix("ទី").unwrap_or(s).trim_start();
    let end = s.find(|c: char| !is_digit(c)).unwrap_or(s.len());
    let (mut number, value, mut rest) = if end > 0 {
        let digits = latin_digits(&s[..end]);
        (digits.clone(), digits.parse::<u64>().ok()?, &s[end..])
    } else if roman {
        // Upper case only: "Chapter civil …" is not chapter CIVIL.
        let end = s.find(|c: char| !"IVXLC".contains(c)).unwrap_or(s.len());
        let numeral = s[..end].to_string();
        (numeral.clone(), roman_value(&numeral)?, &s[end..])
    } else {
        return None;
    };
    // A suffix, glued or not: bis, ter, quater (lower case), (new), ថ្មី or (ថ្មី).
    // "Article 7 New associations" is article 7 with a title.
    let mut has_suffix = false;
    let trimmed = rest.trim_start();
    for (suffix, as_written) in
        [("bis", "bis"), ("ter", "ter"), ("quater", "quater"), ("(new)", "new"), ("(ថ្មី)", "new"), ("ថ្មី", "new")]
    {
        if let Some(after) = trimmed.strip_prefix(suffix) {
            if after.chars().next().is_none_or(|c| !c.is_alphanumeric()) {
                number = format!("{number} {as_written}");
                rest = after;
                has_suffix = true;
                break;
            }
        }
    }
    if !has_suffix {
        if let Some(after) = rest.strip_prefix('-') {
            let end = after.find(|c: char| !is_digit(c)).unwrap_or(after.len());
            if end > 0 {
                number = format!("{number}-{}", latin_digits(&after[..end]));
                rest = &after[end..];
                has_suffix = true;
            }
        }
    }
    // A number glued to more letters is a word, not a heading ("1st").
    if rest.chars().next().is_some_and(|c| c.is_alphanumeric() && !('\u{1780}'..='\u{17FF}').contains(&c)) {
        return None;
    }
    let text = rest.trim_start_matches(is_separator);
    // "Article 5 of this law …", "មាត្រា ៥ នៃច្បាប់នេះ …": a sentence that
    // starts with a reference, not a heading. After a colon or a dash a
    // lower-case title is still a heading.
    let plain = rest[..rest.len() - text.len()].chars().all(char::is_whitespace);
    if plain && continues_a_sentence(text) {
        return None;
    }
    Some((number, value, has_suffix, text))
}

fn continues_a_sentence(text: &str) -> bool {
    text.chars().next().is_some_and(|c| c.is_ascii_lowercase())
        || ["នៃ", "ខាងលើ", "ខាងក្រោម", "និង", "ដដែល"].iter().any(|w| text.starts_with(w))
}

fn heading(line: &str) -> Option<Heading<'_>> {
    let keywords: [(&str, HeadingKind, bool); 6] = [
        ("ជំពូក", HeadingKind::Chapter, false),
        ("មាត្រា", HeadingKind::Article, false),
        ("chapter", HeadingKind::Chapter, true),
        ("article", HeadingKind::Article, false),
        ("art.", HeadingKind::Article, false),
        ("art ", HeadingKind::Article, false),
    ];
    for (keyword, kind, roman) in keywords {
        let Some(after) = strip_keyword(line, keyword) else { continue };
        // "Articles", "មាត្រានេះ" (this article): a word, not a heading.
        let next = after.chars().next()?;
        let khmer_keyword = !keyword.is_ascii();
        if !khmer_keyword && next.is_alphabetic() {
            continue;
        }
        if khmer_keyword && !(next.is_whitespace() || is_digit(next) || after.starts_with("ទី")) {
            continue;
        }
        let (number, value, has_suffix, rest) = number_after(after, roman)?;
        return Some(Heading { kind, number, value, has_suffix, rest });
    }
    None
}

/// The end of `original` that reads as `visible_tail` (a tail of the line
/// without its zero-width characters), with whatever invisible characters
/// were typed inside it.
fn as_typed<'a>(original: &'a str, visible_tail: &str) -> &'a str {
    let mut wanted = visible_tail.chars().count();
    let mut start = original.len();
    for (i, c) in original.char_indices().rev() {
        if wanted == 0 {
            break;
        }
        if !crate::text::is_default_ignorable(c) {
            wanted -= 1;
        }
        start = i;
    }
    &original[start..]
}

fn push_line(text: &mut String, line: &str) {
    if !text.is_empty() {
        text.push('\n');
    }
    text.push_str(line);
}

/// Splits a law's text into preamble, chapters and articles.
pub fn split_law(text: &str) -> LawStructure {
    let mut law = LawStructure::default();
    let mut last_article: Option<(u64, bool)> = None;
    let mut last_chapter: Option<u64> = None;
    let mut title_wanted = false;
    for raw in text.lines() {
        // Zero-width characters some keyboards put in do not hide a
        // heading; the text itself keeps them (a joiner can change how a
        // Khmer cluster is drawn).
        let visible: String = raw.chars().filter(|c| !crate::text::is_default_ignorable(*c)).collect();
        let line = visible.trim();
        if line.is_empty() {
            continue;
        }
        let original = raw.trim();
        match heading(line) {
            Some(h) if h.kind == HeadingKind::Chapter && last_chapter.is_none_or(|value| h.value > value) => {
                last_chapter = Some(h.value);
                title_wanted = h.rest.is_empty();
                law.chapters.push(Chapter {
                    number: h.number,
                    heading: line[..line.len() - h.rest.len()].trim_end().to_string(),
                    title: as_typed(original, h.rest).to_string(),
                });
                continue;
            }
            Some(h) if last_article.is_none_or(|(value, _)| h.value > value || (h.value == value && h.has_suffix)) => {
                last_article = Some((h.value, h.has_suffix));
                title_wanted = false;
                law.articles.push(Article {
                    number: h.number,
                    heading: line[..line.len() - h.rest.len()].trim_end().to_string(),
                    chapter: law.chapters.len().checked_sub(1),
                    text: as_typed(original, h.rest).to_string(),
                });
                continue;
            }
            _ => {}
        }
        if title_wanted {
            if let Some(chapter) = law.chapters.last_mut() {
                chapter.title = original.to_string();
                title_wanted = false;
                continue;
            }
        }
        match law.articles.last_mut() {
            Some(article) => push_line(&mut article.text, original),
            None => push_line(&mut law.preamble, original),
        }
    }
    law
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn khmer_chapters_and_articles_with_khmer_or_latin_digits() {
        let text = "ច្បាប់ស្តីពីសមាគម និងអង្គការមិនមែនរដ្ឋាភិបាល\n\
                    ជំពូកទី ១\n\
                    បទប្បញ្ញត្តិទូទៅ\n\
                    មាត្រា ១\n\
                    ច្បាប់នេះមានគោលបំណងកំណត់នីតិវិធីនៃការចុះបញ្ជី។\n\
                    មាត្រា២៖ ច្បាប់នេះអនុវត្តចំពោះសមាគមទាំងអស់។\n\
                    មាត្រានេះមិនមែនជាចំណងជើងទេ។\n\
                    ជំពូកទី២ ការចុះបញ្ជី\n\
                    មាត្រាទី 3\n\
                    សមាគមត្រូវចុះបញ្ជីនៅក្រសួងមហាផ្ទៃ។\n\
                    មាត្រា ៣ ថ្មី\n\
                    អត្ថបទថ្មី។";
        let law = split_law(text);
        assert_eq!(law.preamble, "ច្បាប់ស្តីពីសមាគម និងអង្គការមិនមែនរដ្ឋាភិបាល");
        assert_eq!(law.chapters.len(), 2);
        assert_eq!((law.chapters[0].number.as_str(), law.chapters[0].title.as_str()), ("1", "បទប្បញ្ញត្តិទូទៅ"));
        assert_eq!((law.chapters[1].number.as_str(), law.chapters[1].title.as_str()), ("2", "ការចុះបញ្ជី"));
        let numbers: Vec<_> = law.articles.iter().map(|a| a.number.as_str()).collect();
        assert_eq!(numbers, ["1", "2", "3", "3 new"]);
        assert_eq!(law.articles[1].text, "ច្បាប់នេះអនុវត្តចំពោះសមាគមទាំងអស់។\nមាត្រានេះមិនមែនជាចំណងជើងទេ។");
        assert_eq!(law.articles[1].heading, "មាត្រា២៖");
        assert_eq!(law.articles.iter().map(|a| a.chapter).collect::<Vec<_>>(), [Some(0), Some(0), Some(1), Some(1)]);
    }

    #[test]
    fn english_headings_roman_chapters_and_cross_references() {
        let text = "LAW ON ASSOCIATIONS\n\nCHAPTER I: GENERAL PROVISIONS\nArticle 1 – Purpose\n\
                    This law sets out the registration.\nArticle 2\nSee the rules below.\n\
                    Article 1 of this law applies to foreign associations too.\nArticles 3 and 4 are repealed.\n\
                    Chapter IV\nRegistration\nArticle 12 bis\nAn association registers.\nArt. 13. Fees are set.";
        let law = split_law(text);
        assert_eq!(law.preamble, "LAW ON ASSOCIATIONS");
        assert_eq!(
            law.chapters.iter().map(|c| (c.number.as_str(), c.title.as_str())).collect::<Vec<_>>(),
            [("I", "GENERAL PROVISIONS"), ("IV", "Registration")]
        );
        let numbers: Vec<_> = law.articles.iter().map(|a| a.number.as_str()).collect();
        assert_eq!(numbers, ["1", "2", "12 bis", "13"]);
        assert_eq!(law.articles[0].text, "Purpose\nThis law sets out the registration.");
        assert!(law.articles[1].text.ends_with("Articles 3 and 4 are repealed."), "a cross-reference stays text");
        assert_eq!(law.articles[3].text, "Fees are set.");
    }

    #[test]
    fn zero_width_characters_do_not_hide_a_heading() {
        let law = split_law("\u{200B}មាត្រា\u{200B} ១\nអត្ថ\u{200B}បទ។\n\u{FEFF}Article 2\ntext");
        assert_eq!(law.articles.iter().map(|a| a.number.as_str()).collect::<Vec<_>>(), ["1", "2"]);
        assert_eq!(law.articles[0].text, "អត្ថ\u{200B}បទ។", "the text keeps what was typed");
    }

    #[test]
    fn references_titles_and_suffixes() {
        let text = "Chapter 1\nGeneral\nArticle 1\nScope.\nArticle 3\nFirst.\n\
                    Article 25 of this law does not apply here.\nChapter 3 of this law sets fees.\n\
                    Article 4: definitions\nArticle 7 New associations\nThey register.\nArticle 7bis\nGlued.\n\
                    Article 8 (new)\nAdded.\nមាត្រា ៩ នៃច្បាប់នេះ ត្រូវបានលុប។\nមាត្រា ១០ (ថ្មី)\nថ្មី។";
        let law = split_law(text);
        let numbers: Vec<_> = law.articles.iter().map(|a| a.number.as_str()).collect();
        assert_eq!(numbers, ["1", "3", "4", "7", "7 bis", "8 new", "10 new"]);
        assert_eq!(law.chapters.len(), 1, "a sentence about chapter 3 is text");
        assert!(
            law.articles[1].text.contains("Article 25 of this law") && law.articles[1].text.contains("Chapter 3 of")
        );
        assert_eq!(law.articles[2].text, "definitions", "a lower-case title after a colon");
        assert_eq!(law.articles[3].text, "New associations\nThey register.");
        assert!(law.articles[5].text.contains("មាត្រា ៩ នៃច្បាប់នេះ"), "a Khmer reference is text");
    }

    #[test]
    fn a_heading_lines_text_keeps_what_was_typed() {
        let law = split_law("មាត្រា ១៖ សមាគម\u{200B}ត្រូវចុះបញ្ជី។");
        assert_eq!(law.articles[0].text, "សមាគម\u{200B}ត្រូវចុះបញ្ជី។");
        assert_eq!(law.articles[0].heading, "មាត្រា ១៖");
    }

    #[test]
    fn no_headings_is_all_preamble() {
        let law = split_law("A note without any structure.\nSecond line.");
        assert!(law.articles.is_empty() && law.chapters.is_empty());
        assert_eq!(law.preamble, "A note without any structure.\nSecond line.");
        assert_eq!(roman_value("XIV"), Some(14));
        assert_eq!(latin_digits("មាត្រា ១២"), "មាត្រា 12");
    }
}
