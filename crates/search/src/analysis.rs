//! Text analysis for the search index (DESIGN.md §6), the same for what is
//! indexed and for what is asked:
//!
//! - Khmer spelling variants are normalized first (`normalize_khmer`: zero-
//!   width characters, subscript DA/TA, the order of signs) and Khmer digits
//!   become Latin digits, so ២០២៦ finds 2026.
//! - Words: ICU4X dictionary segmentation over the whole text. A segment with
//!   Khmer letters is a Khmer word as written; any other word-like segment is
//!   lower-cased and stripped of diacritics (English stemming is the index's
//!   tokenizer filter). Mixed Khmer and English is handled segment by segment.
//! - Syllables: the same Khmer text cut into orthographic syllables (a base
//!   consonant or independent vowel with its subscripts, vowels and signs),
//!   so that a word inside a compound (មនុស្ស inside សិទ្ធិមនុស្ស) is found as
//!   a phrase of syllables even where the dictionary kept the compound whole.

use icu_segmenter::options::WordBreakInvariantOptions;
use icu_segmenter::WordSegmenter;
use rightsdesk_domain::text::normalize_khmer;
use std::sync::OnceLock;

/// One token: its text and where it sits in the analysed (normalized) text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub text: String,
    /// Byte offsets in the normalized text.
    pub from: usize,
    pub to: usize,
    /// Position among the tokens of its field (for phrases).
    pub position: usize,
}

fn is_khmer_letter(c: char) -> bool {
    ('\u{1780}'..='\u{17B3}').contains(&c)
}

/// Khmer variants normalized and Khmer digits written as Latin digits.
pub fn normalize(text: &str) -> String {
    normalize_khmer(text)
        .chars()
        .map(|c| match c {
            '\u{17E0}'..='\u{17E9}' => char::from_u32('0' as u32 + (c as u32 - 0x17E0)).unwrap_or(c),
            _ => c,
        })
        .collect()
}

/// Lower case without diacritics, for non-Khmer words.
fn fold_latin(word: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    word.nfd().filter(|c| !('\u{0300}'..='\u{036F}').contains(c)).flat_map(char::to_lowercase).collect()
}

fn segmenter() -> &'static icu_segmenter::WordSegmenterBorrowed<'static> {
    static SEGMENTER: OnceLock<icu_segmenter::WordSegmenterBorrowed<'static>> = OnceLock::new();
    SEGMENTER.get_or_init(|| WordSegmenter::new_dictionary(WordBreakInvariantOptions::default()))
}

/// Word tokens of `text`.
pub fn words(text: &str) -> Vec<Token> {
    let normalized = normalize(text);
    words_of_normalized(&normalized)
}

fn words_of_normalized(normalized: &str) -> Vec<Token> {
    let mut out = vec![];
    let mut it = segmenter().segment_str(normalized);
    let mut start = match it.next() {
        Some(s) => s,
        None => return out,
    };
    while let Some(end) = it.next() {
        let segment = &normalized[start..end];
        let word_like = it.is_word_like() || segment.chars().any(is_khmer_letter);
        if word_like {
            let text = if segment.chars().any(is_khmer_letter) { segment.to_string() } else { fold_latin(segment) };
            if !text.trim().is_empty() {
                out.push(Token { text, from: start, to: end, position: out.len() });
            }
        }
        start = end;
    }
    out
}

/// The pieces of `text` as written, cut at word boundaries (Khmer words by
/// the dictionary segmenter, though the text has no spaces): words and what
/// stands between them, which together give back `text`. Comparing two
/// versions of a draft law marks changes in these pieces (decision 0015).
pub fn word_pieces(text: &str) -> Vec<&str> {
    let mut out = vec![];
    let mut it = segmenter().segment_str(text);
    let Some(mut start) = it.next() else { return out };
    for end in it {
        out.push(&text[start..end]);
        start = end;
    }
    out
}

/// Khmer orthographic syllables of a normalized string, with their offsets:
/// a base letter and every subscript (COENG + consonant) and sign after it.
fn syllables_of(normalized: &str) -> Vec<(usize, usize)> {
    rightsdesk_domain::text::khmer_syllables(normalized)
}

/// Tokens for the syllable field: Khmer syllables, and the same non-Khmer
/// words as the word field, in text order.
pub fn syllables(text: &str) -> Vec<Token> {
    let normalized = normalize(text);
    let mut out: Vec<Token> = vec![];
    for w in words_of_normalized(&normalized) {
        if w.text.chars().any(is_khmer_letter) {
            for (from, to) in syllables_of(&normalized[w.from..w.to]) {
                let (from, to) = (w.from + from, w.from + to);
                out.push(Token { text: normalized[from..to].to_string(), from, to, position: out.len() });
            }
        } else {
            out.push(Token { position: out.len(), ..w });
        }
    }
    out
}

/// The longest run of syllables indexed as one term.
pub const MAX_GRAM: usize = 6;

/// Runs of adjacent Khmer syllables (no other word between them).
fn khmer_runs(tokens: &[Token]) -> Vec<&[Token]> {
    tokens
        .chunk_by(|a, b| a.text.chars().any(is_khmer_letter) == b.text.chars().any(is_khmer_letter))
        .filter(|run| run[0].text.chars().any(is_khmer_letter))
        .collect()
}

fn gram(run: &[Token]) -> Token {
    Token {
        text: run.iter().map(|t| t.text.as_str()).collect(),
        from: run[0].from,
        to: run[run.len() - 1].to,
        position: run[0].position,
    }
}

/// Syllable n-grams for a third field: at each Khmer syllable, the runs of
/// 2 to [`MAX_GRAM`] syllables that start there (ម នុ ស្ស → មនុ, មនុស្ស at
/// the position of ម), so that a Khmer word of up to six syllables (as cut
/// here, a final consonant counts as one: គំ រា ម កំ ហែ ង), alone or inside
/// a compound, is one term to look up rather than a phrase of
/// common syllables whose positions must be compared in every document.
pub fn syllable_grams(text: &str) -> Vec<Token> {
    let s = syllables(text);
    let mut out = vec![];
    for run in khmer_runs(&s) {
        for i in 0..run.len() {
            for n in 2..=MAX_GRAM.min(run.len() - i) {
                out.push(gram(&run[i..i + n]));
            }
        }
    }
    out
}

/// The n-gram field's tokens for a query: each Khmer run of 2 to
/// [`MAX_GRAM`] syllables as one term; a longer run as its [`MAX_GRAM`]-grams
/// at consecutive positions (a phrase that matches exactly where the
/// syllables do). Lone syllables and other words: none.
pub fn syllable_gram_query(query: &str) -> Vec<Token> {
    let s = syllables(query);
    let mut out = vec![];
    for run in khmer_runs(&s) {
        match run.len() {
            1 => {}
            n if n <= MAX_GRAM => out.push(gram(run)),
            n => out.extend((0..=n - MAX_GRAM).map(|i| gram(&run[i..i + MAX_GRAM]))),
        }
    }
    out
}

/// The syllable field's tokens for a query: a lone Khmer syllable only.
/// Longer Khmer queries go to the n-gram field, other words to the word
/// field, so the syllable field is asked only what nothing else can answer.
pub fn lone_syllable(query: &str) -> Vec<Token> {
    let s = syllables(query);
    match s.as_slice() {
        [one] if one.text.chars().any(is_khmer_letter) => s,
        _ => vec![],
    }
}

/// Whether `query`'s syllables occur in `text`'s syllables as a phrase (the
/// match the index runs on the syllable field for a Khmer query).
pub fn syllable_phrase_in(query: &str, text: &str) -> bool {
    let q: Vec<String> = syllables(query).into_iter().map(|t| t.text).collect();
    let t: Vec<String> = syllables(text).into_iter().map(|t| t.text).collect();
    !q.is_empty() && t.windows(q.len()).any(|w| w == q.as_slice())
}

#[cfg(test)]
mod tests {
    #[test]
    fn word_pieces_mark_a_changed_khmer_word() {
        let old = "សមាគមត្រូវចុះបញ្ជីនៅក្រសួងមហាផ្ទៃ។";
        let new = "សមាគមអាចចុះបញ្ជីនៅក្រសួងមហាផ្ទៃ។";
        assert_eq!(word_pieces(old).concat(), old, "the pieces give back the text");
        let article = |text: &str| rightsdesk_domain::legislation::Article {
            number: "1".into(),
            heading: "មាត្រា ១".into(),
            chapter: None,
            text: text.into(),
        };
        let changes = rightsdesk_domain::legislation::compare_articles(&[article(old)], &[article(new)], &word_pieces);
        use rightsdesk_domain::legislation::Mark;
        let changed: Vec<_> =
            changes[0].words.iter().filter(|w| w.mark != Mark::Same).map(|w| (w.mark, w.text.as_str())).collect();
        assert_eq!(changed, [(Mark::Removed, "ត្រូវ"), (Mark::Added, "អាច")]);
    }

    use super::*;

    fn texts(tokens: &[Token]) -> Vec<&str> {
        tokens.iter().map(|t| t.text.as_str()).collect()
    }

    #[test]
    fn mixed_text_is_cut_run_by_run() {
        let w = words("Café ICCPR សិទ្ធិមនុស្ស ២០២៦");
        let t = texts(&w);
        assert_eq!(t[0], "cafe");
        assert_eq!(t[1], "iccpr");
        assert!(t.contains(&"2026"), "{t:?}");
        assert!(t.iter().any(|x| x.contains("សិទ្ធិ")), "{t:?}");
        for tok in &w {
            assert!(tok.from < tok.to);
        }
    }

    #[test]
    fn syllables_keep_subscripts_and_signs_with_their_base() {
        let s = syllables("សិទ្ធិមនុស្ស");
        assert_eq!(texts(&s), ["សិ", "ទ្ធិ", "ម", "នុ", "ស្ស"]);
        assert!(syllable_phrase_in("មនុស្ស", "សិទ្ធិមនុស្ស"), "a word inside a compound");
        assert!(!syllable_phrase_in("មនុស្ស", "សិទ្ធិ"));
        let grams = syllable_grams("មនុស្ស ICCPR ការ");
        assert_eq!(texts(&grams), ["មនុ", "មនុស្ស", "នុស្ស", "ការ"], "none across a Latin word");
        assert_eq!(grams.iter().map(|t| t.position).collect::<Vec<_>>(), [0, 0, 1, 4]);
        assert_eq!(texts(&syllable_gram_query("មនុស្ស")), ["មនុស្ស"], "three syllables: one term");
        assert_eq!(texts(&syllable_gram_query("គំរាមកំហែង")), ["គំរាមកំហែង"], "six syllables: one term");
        // Nine syllables: four 6-grams at consecutive positions.
        let long = syllable_gram_query("សិទ្ធិមនុស្សការពារ");
        assert_eq!(texts(&long), ["សិទ្ធិមនុស្សកា", "ទ្ធិមនុស្សការ", "មនុស្សការពា", "នុស្សការពារ"]);
        assert_eq!(long.iter().map(|t| t.position).collect::<Vec<_>>(), [0, 1, 2, 3]);
        assert!(syllable_gram_query("ដី").is_empty() && syllable_gram_query("torture").is_empty());
        assert_eq!(texts(&lone_syllable("ការ")), Vec::<&str>::new(), "two syllables: កា រ");
        assert_eq!(texts(&lone_syllable("យប់")), Vec::<&str>::new());
        assert_eq!(texts(&lone_syllable("ដី")), ["ដី"]);
        assert!(lone_syllable("torture").is_empty());
    }

    #[test]
    fn spelling_variants_give_the_same_tokens() {
        // Subscript DA for TA, a zero-width space, and a sign before a vowel.
        let plain = "សេរីភាពនៃការបញ្ចេញមតិ";
        let variants = ["សេរី\u{200B}ភាពនៃការបញ្ចេញមតិ", "សេរីភាព\u{200C}នៃការបញ្ចេញមតិ"];
        for v in variants {
            assert_eq!(texts(&syllables(v)), texts(&syllables(plain)), "{v:?}");
        }
        assert_eq!(normalize("\u{1789}\u{17D2}\u{178A}"), normalize("\u{1789}\u{17D2}\u{178F}"));
    }

    /// Khmer paragraphs of a test text: lines with Khmer letters, comments
    /// (`#`) left out.
    fn khmer_paragraphs(text: &str) -> Vec<&str> {
        text.lines().filter(|l| !l.starts_with('#') && l.chars().any(is_khmer_letter)).collect()
    }

    /// Every paragraph that contains a query word in its normalized text is
    /// found by the syllable phrase, whatever spelling the query uses.
    fn words_inside_compounds_are_found(paragraphs: &[&str], queries: &[&str]) {
        assert!(paragraphs.len() > 30, "{}", paragraphs.len());
        for q in queries {
            let expected: Vec<usize> =
                (0..paragraphs.len()).filter(|i| normalize(paragraphs[*i]).contains(&normalize(q))).collect();
            assert!(!expected.is_empty(), "{q} is in the text");
            // The same query typed with a zero-width space in the middle.
            let mid = q.char_indices().nth(2).map(|(i, _)| i).unwrap_or(0);
            let variant = format!("{}\u{200B}{}", &q[..mid], &q[mid..]);
            for query in [q.to_string(), variant] {
                let found: Vec<usize> =
                    (0..paragraphs.len()).filter(|i| syllable_phrase_in(&query, paragraphs[*i])).collect();
                let missed: Vec<&usize> = expected.iter().filter(|i| !found.contains(i)).collect();
                assert!(missed.is_empty(), "{query:?}: missed paragraphs {missed:?}");
            }
        }
    }

    const QUERIES: [&str; 8] = ["មនុស្ស", "សិទ្ធិ", "សេរីភាព", "អប់រំ", "ច្បាប់", "គ្រួសារ", "ការងារ", "សាសនា"];

    /// The project's own Khmer test text (testdata/khmer/).
    #[test]
    fn words_inside_compounds_are_found_in_the_test_text() {
        let text = std::fs::read_to_string(rightsdesk_testdata::repo("khmer/rights_text_km.txt")).unwrap();
        words_inside_compounds_are_found(&khmer_paragraphs(&text), &QUERIES);
    }

    /// The Khmer Universal Declaration, when the outside test data has it
    /// (RIGHTSDESK_TEST_DATA; not redistributable, so optional).
    #[test]
    fn udhr_articles_are_found_by_words_inside_compounds() {
        let Some(path) = rightsdesk_testdata::outside_optional("khmer/udhr_khm.txt") else { return };
        let text = std::fs::read_to_string(path).unwrap();
        words_inside_compounds_are_found(&khmer_paragraphs(&text), &QUERIES);
    }
}
