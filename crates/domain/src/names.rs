//! Finding the names of a case's people in free text.
//!
//! Narratives, act descriptions, notes and letters must name people by their
//! codes (V1, W2); a name in clear there would reach the database, the search
//! index, snippets and exports unencrypted. A name is still the same name
//! when it is typed differently, so text and names are compared in one
//! folded form ([`fold`]):
//!
//! - Unicode NFKC (fullwidth letters, ligatures, compatibility forms);
//! - zero-width characters, joiners and bidirectional controls removed (a
//!   zero-width space counts as a word break);
//! - Khmer in canonical order with one subscript spelling
//!   ([`crate::text::normalize_khmer`]), Khmer digits as Latin digits;
//! - other letters lower-cased, without diacritics, and mapped to their
//!   Unicode TR39 confusable skeleton (a Cyrillic `о` is a Latin `o`).
//!
//! The folded text is then cut into units: Khmer orthographic syllables
//! (spaces between Khmer syllables do not count, since Khmer is written
//! without them) and words of other scripts. A name is found when the whole
//! name, or any one of its parts, written without spaces, equals a run of
//! consecutive units of the text. So `សុខ ដារា` is found in
//! `លោកសុខដារាបាន` (at syllable boundaries), `Sok Dara` in `sok\u{200B}DARA`,
//! `DaraSok` (a capital after a small letter starts a word) and `Dara, Sok`,
//! but `Sok` is not found inside `Sokha`.

use unicode_normalization::UnicodeNormalization;

use crate::text::{
    is_bidi_control, is_default_ignorable, is_khmer_letter_or_mark, is_zero_width, khmer_syllables, normalize_khmer,
};

/// Parts shorter than this (after folding, in characters) are not looked
/// for on their own: an initial matches everywhere. A Latin part needs
/// three letters ("An" and "In" are English words; "Heng An" is still found
/// as a whole); a Khmer part two code points (one syllable).
const MIN_PART_CHARS: usize = 2;
const MIN_LATIN_PART_CHARS: usize = 3;

/// A name to be found only as a whole, never part by part: the name of an
/// institution or group ("Commune police post" must not make "post" a
/// name). Its parts are joined with a word joiner, which folding removes,
/// so [`NameMatcher`] sees one part.
pub fn whole_name_only(name: &str) -> String {
    name.split_whitespace().collect::<Vec<_>>().join("\u{2060}")
}

/// The folded form of a text (see the module documentation).
pub fn fold(text: &str) -> String {
    // Ignorables go before and after NFKC (it maps U+3164 to U+1160).
    let cleaned: String = text
        .chars()
        .map(|c| if c == '\u{200B}' { ' ' } else { c })
        .filter(|c| !is_default_ignorable(*c))
        .collect::<String>()
        .nfkc()
        .filter(|c| !is_default_ignorable(*c) && !is_zero_width(*c) && !is_bidi_control(*c))
        .collect();
    let khmer = normalize_khmer(&cleaned);
    let mut out = String::with_capacity(khmer.len());
    let mut other = String::new();
    let flush = |other: &mut String, out: &mut String| {
        if other.is_empty() {
            return;
        }
        // A capital after a small letter starts a word ("DaraSok", joined
        // without a space); then case and diacritics go.
        let mut plain = String::with_capacity(other.len());
        let mut after_small = false;
        for c in other.nfd().filter(|c| !unicode_normalization::char::is_combining_mark(*c)) {
            if c.is_uppercase() && after_small {
                plain.push(' ');
            }
            if c.is_alphabetic() {
                after_small = c.is_lowercase();
            } else {
                after_small = false;
            }
            plain.push(c);
        }
        for c in plain.chars() {
            fold_letter(c, out);
        }
        other.clear();
    };
    for c in khmer.chars() {
        let c = match c {
            '\u{17E0}'..='\u{17E9}' => char::from(b'0' + (c as u32 - 0x17E0) as u8),
            _ => c,
        };
        if is_khmer_letter_or_mark(c) {
            flush(&mut other, &mut out);
            out.push(c);
        } else {
            other.push(c);
        }
    }
    flush(&mut other, &mut out);
    out
}

/// One letter of a script other than Khmer, lower-cased and as its TR39
/// confusable skeleton. A capital's lookalike may only look like a capital
/// (Cyrillic `М` is Latin `M`, its small `м` is not `m`), and a capital
/// may be confusable where its small letter is not (`I` and `l`): so the
/// small letter counts when it is plain ASCII or has an ASCII skeleton, the
/// letter as typed otherwise.
fn fold_letter(c: char, out: &mut String) {
    let small: String = c.to_lowercase().collect();
    if small.is_ascii() {
        out.push_str(&small);
        return;
    }
    let of_small: String = unicode_security::skeleton(&small).flat_map(char::to_lowercase).collect();
    if of_small.is_ascii() {
        out.push_str(&of_small);
        return;
    }
    let typed: String = unicode_security::skeleton(&c.to_string()).flat_map(char::to_lowercase).collect();
    out.push_str(if typed.is_ascii() { &typed } else { &of_small });
}

/// The units of a folded text: Khmer syllables and other words, in order;
/// separators dropped.
fn units(folded: &str) -> Vec<&str> {
    fn end_run<'a>(out: &mut Vec<&'a str>, run: &'a str, khmer: bool) {
        if khmer {
            out.extend(khmer_syllables(run).into_iter().map(|(a, b)| &run[a..b]));
        } else {
            out.push(run);
        }
    }
    let kind_of = |c: char| {
        if is_khmer_letter_or_mark(c) {
            Some(true)
        } else if c.is_alphanumeric() {
            Some(false)
        } else {
            None
        }
    };
    let mut out = vec![];
    // Where the current run started, and whether it is Khmer.
    let mut run: Option<(usize, bool)> = None;
    for (i, c) in folded.char_indices() {
        let kind = kind_of(c);
        if let Some((s, k)) = run {
            if kind == Some(k) {
                continue;
            }
            end_run(&mut out, &folded[s..i], k);
        }
        run = kind.map(|k| (i, k));
    }
    if let Some((s, k)) = run {
        end_run(&mut out, &folded[s..], k);
    }
    out
}

/// What is looked for: each name of a person (name and aliases), whole and
/// part by part, folded and without spaces.
#[derive(Debug, Clone, Default)]
pub struct NameMatcher {
    /// (code, name as given, needles)
    entries: Vec<(String, String, Vec<String>)>,
}

impl NameMatcher {
    /// `names`: (code, name) pairs, e.g. `("V1", "Sok Dara")`, aliases as
    /// further pairs with the same code.
    pub fn new(names: &[(String, String)]) -> NameMatcher {
        let mut entries = vec![];
        for (code, name) in names {
            let folded = fold(name);
            let mut needles: Vec<String> = vec![units(&folded).concat()];
            // Parts: what the name's separators (spaces, hyphens, commas) cut.
            let parts: Vec<String> = folded
                .split(|c: char| !(c.is_alphanumeric() || is_khmer_letter_or_mark(c)))
                .map(|p| units(p).concat())
                .collect();
            if parts.len() > 1 {
                needles.extend(
                    parts.into_iter().filter(|p| {
                        p.chars().any(is_khmer_letter_or_mark) || p.chars().count() >= MIN_LATIN_PART_CHARS
                    }),
                );
            }
            needles.retain(|n| n.chars().count() >= MIN_PART_CHARS);
            needles.sort();
            needles.dedup();
            if !needles.is_empty() {
                entries.push((code.clone(), name.clone(), needles));
            }
        }
        NameMatcher { entries }
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The (code, name) of every name found in `text`.
    pub fn found_in(&self, text: &str) -> Vec<(String, String)> {
        if self.entries.is_empty() || text.is_empty() {
            return vec![];
        }
        let folded = fold(text);
        let text_units = units(&folded);
        // Behind a right-to-left override or embedding, text is shown in the
        // reverse of its stored order: look in the reversed text as well.
        let reversed = if text.chars().any(|c| matches!(c, '\u{202B}' | '\u{202E}' | '\u{2067}' | '\u{200F}')) {
            fold(&text.chars().rev().collect::<String>())
        } else {
            String::new()
        };
        let reversed_units = units(&reversed);
        self.entries
            .iter()
            .filter(|(_, _, needles)| {
                needles.iter().any(|n| run_equals(&text_units, n) || run_equals(&reversed_units, n))
            })
            .map(|(code, name, _)| (code.clone(), name.clone()))
            .collect()
    }

    /// The codes found in `text`, each once, in the order of the names.
    pub fn codes_in(&self, text: &str) -> Vec<String> {
        let mut codes: Vec<String> = vec![];
        for (code, _) in self.found_in(text) {
            if !codes.contains(&code) {
                codes.push(code);
            }
        }
        codes
    }
}

/// Whether some run of consecutive units, joined, equals `needle`.
fn run_equals(units: &[&str], needle: &str) -> bool {
    for start in 0..units.len() {
        let mut rest = needle;
        for unit in &units[start..] {
            match rest.strip_prefix(unit) {
                Some("") => return true,
                Some(r) => rest = r,
                None => break,
            }
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str, name: &str) -> bool {
        !NameMatcher::new(&[("V1".into(), name.into())]).found_in(text).is_empty()
    }

    #[test]
    fn khmer_names_are_found_without_spaces_and_in_any_spelling() {
        let name = "សុខ ដារា";
        assert!(found("លោកសុខដារាបានត្រូវចាប់ខ្លួន", name), "written the Khmer way, inside a run of letters");
        assert!(found("លោក សុខ ដារា បាន", name));
        assert!(found("លោកសុខ\u{200B}ដារាបាន", name), "zero-width space");
        assert!(found("លោកសុខ\u{200D}ដារាបាន", name), "zero-width joiner");
        assert!(found("លោកដារាសុខបាន", name), "parts in the other order");
        assert!(found("ដារាបានទៅ", name), "one part on its own");
        // Subscript DA for TA and signs typed in another order.
        assert!(found("អ្នកស្ដីបាន", "ស្តី"));
        assert!(found("ស\u{17D2}\u{178A}ីបាន", "ស្តី"));
        assert!(!found("គាត់បានទៅផ្សារ", name));
    }

    #[test]
    fn latin_names_are_found_whatever_the_typing() {
        let name = "Sok Dara";
        for text in [
            "Police detained SÓK  dara at night",
            "Police detained Sok\u{200B}Dara",
            "Police detained Sok\u{200C}Dara",
            "Police detained SokDara",
            "Police detained Dara Sok",
            "Police detained ｓｏｋ ｄａｒａ",
            "Police detained S\u{043E}k D\u{0430}ra",
            "Police detained \u{202E}Sok Dara\u{202C}",
            "Police detained S\u{200D}o\u{2060}k",
            "(dara)",
        ] {
            assert!(found(text, name), "{text:?}");
        }
        assert!(!found("Police detained Sokha at night", name), "a part inside a longer word is another word");
        assert!(!found("Nothing here", name));
        // Initials alone are not looked for; the whole name is.
        assert!(!found("a c", "A B"));
        assert!(found("a b c", "A B"));
        // Stored backwards behind a right-to-left override, it shows as the name.
        assert!(found("Police detained \u{202E}araD koS\u{202C} at night", name));
    }

    #[test]
    fn folding_is_stable() {
        for s in ["Sok Dara", "សុខ ដារា", "ｓｏｋ", "S\u{043E}k", "ﬁ", "\u{202E}x"] {
            assert_eq!(fold(&fold(s)), fold(s), "{s:?}");
        }
    }

    #[test]
    fn invisible_characters_of_any_kind_do_not_hide_a_name() {
        // Khmer inherent vowels, Hangul fillers, variation selectors, tags.
        assert!(found("លោកស\u{17B4}ុខដារាបាន", "សុខ ដារា"));
        assert!(found("លោកសុខដា\u{17B5}រាបាន", "សុខ ដារា"));
        assert!(found("Police took Ch\u{3164}an Thida", "Chan Thida"));
        assert!(found("Police took C\u{FE0F}han T\u{E0041}hida", "Chan Thida"));
    }

    #[test]
    fn short_latin_parts_are_found_with_the_whole_name_only() {
        assert!(!found("He went in an hour", "Heng An"));
        assert!(found("Heng An went", "Heng An") && found("Heng went", "Heng An"));
        assert!(found("លោកឡី", "ឡី សុខ"), "a Khmer syllable alone is a part");
    }

    #[test]
    fn institutions_are_found_by_their_whole_name_only() {
        let name = whole_name_only("Commune police post");
        assert!(found("The Commune Police Post held him", &name));
        assert!(found("The commune police\u{200B}post held him", &name));
        assert!(!found("V1 was held overnight at the post.", &name));
    }

    #[test]
    fn aliases_report_their_code() {
        let m = NameMatcher::new(&[("V1".into(), "Sok Dara".into()), ("V1".into(), "Ta Sok".into())]);
        assert_eq!(m.codes_in("Ta Sok was there, and Sok Dara"), ["V1"]);
    }
}
