//! Property tests of the name check (issue 14), also fuzz targets of
//! bench/fuzz.sh: a name typed in any of the ways that keep it the same
//! name for a reader is found. Cases per target: PROPTEST_CASES (default
//! 512 here); a fixed seed unless PROPTEST_RNG_SEED says otherwise, so CI
//! runs the same cases every time and bench/fuzz.sh fresh ones.

use proptest::prelude::*;
use rightsdesk_domain::names::NameMatcher;

fn config() -> ProptestConfig {
    let mut c = ProptestConfig { cases: 512, failure_persistence: None, ..ProptestConfig::default() };
    if let Some(n) = std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()) {
        c.cases = n;
    }
    if std::env::var_os("PROPTEST_RNG_SEED").is_none() {
        c.rng_seed = proptest::test_runner::RngSeed::Fixed(20_261_203);
    }
    c
}

const KHMER_PARTS: [&str; 14] =
    ["សុខ", "ដារា", "ចាន់", "ស៊ុន", "ស្រីពៅ", "វណ្ណា", "សុភា", "គឹម", "ហេង", "ម៉ៅ", "រតនា", "បុប្ផា", "ធីតា", "ពិសិដ្ឋ"];
/// What people (and keyboards) put between the parts of a name.
const SEPARATORS: [&str; 9] = ["", " ", "  ", "\u{200B}", "\u{200C}", "\u{200D}", "\u{2060}", "\u{FEFF}", "\u{00AD}"];
/// Bidirectional controls around the name.
const BIDI: [&str; 6] = ["", "\u{200E}", "\u{2066}", "\u{2069}", "\u{202A}", "\u{202C}"];

/// Latin letters and their Cyrillic or Greek lookalikes.
fn lookalike(c: char) -> char {
    match c {
        'a' => 'а',
        'e' => 'е',
        'o' => 'о',
        'p' => 'р',
        'c' => 'с',
        'x' => 'х',
        'y' => 'у',
        'i' => 'і',
        'A' => 'А',
        'B' => 'В',
        'E' => 'Е',
        'H' => 'Н',
        'K' => 'К',
        'M' => 'М',
        'O' => 'Ο',
        'T' => 'Т',
        c => c,
    }
}

fn fullwidth(c: char) -> char {
    if c.is_ascii_alphabetic() {
        char::from_u32(c as u32 - 0x21 + 0xFF01).unwrap_or(c)
    } else {
        c
    }
}

/// How a part is typed: 0 as is, 1 upper case, 2 lower case, 3 with
/// lookalike letters, 4 fullwidth, 5 with an acute accent on every letter.
fn typed(part: &str, how: u8) -> String {
    match how {
        1 => part.to_uppercase(),
        2 => part.to_lowercase(),
        3 => part.chars().map(lookalike).collect(),
        4 => part.chars().map(fullwidth).collect(),
        5 => part.chars().flat_map(|c| [c, '\u{301}']).collect(),
        _ => part.to_string(),
    }
}

/// Subscript TA written as subscript DA (the two look alike).
fn subscript_swap(part: &str) -> String {
    part.replace("\u{17D2}\u{178F}", "\u{17D2}\u{178A}")
}

proptest! {
    #![proptest_config(config())]

    /// A Latin name of two or three parts, typed any of these ways, in
    /// either order, with any separator, among bidi controls, or one part
    /// alone, is found in a sentence.
    #[test]
    fn latin_name_variants_are_found(
        parts in proptest::collection::vec("[A-Z][a-z]{2,7}", 2..=3),
        how in proptest::collection::vec(0u8..6, 3),
        sep in 0..SEPARATORS.len(),
        bidi in 0..BIDI.len(),
        reverse in any::<bool>(),
        only_one in proptest::option::of(0usize..3),
    ) {
        let name = parts.join(" ");
        // Joined without a separator and out of order, the parts are told
        // apart by their capitals only ("DaraSok").
        let joined = !matches!(SEPARATORS[sep], " " | "  " | "\u{200B}");
        let how: Vec<u8> = how.iter().map(|h| if joined && reverse && matches!(h, 1 | 2) { 0 } else { *h }).collect();
        let mut typed_parts: Vec<String> = parts.iter().enumerate().map(|(i, p)| typed(p, how[i])).collect();
        if reverse {
            typed_parts.reverse();
        }
        if let Some(i) = only_one {
            typed_parts = vec![typed_parts[i % typed_parts.len()].clone()];
        }
        let written = typed_parts.join(SEPARATORS[sep]);
        let text = format!("Police said {}{written}{} was detained.", BIDI[bidi], BIDI[(bidi + 1) % BIDI.len()]);
        let m = NameMatcher::new(&[("W1".to_string(), name.clone())]);
        prop_assert_eq!(m.codes_in(&text), vec!["W1".to_string()], "{:?} in {:?}", name, text);
    }

    /// A Khmer name written inside a run of Khmer letters (no spaces), with
    /// zero-width characters, in either order, with the other subscript
    /// spelling, or one part alone, is found.
    #[test]
    fn khmer_name_variants_are_found(
        idx in proptest::collection::vec(0..KHMER_PARTS.len(), 2..=3),
        sep in 0..SEPARATORS.len(),
        reverse in any::<bool>(),
        swap in any::<bool>(),
        only_one in proptest::option::of(0usize..3),
        spaced_context in any::<bool>(),
    ) {
        let parts: Vec<&str> = idx.iter().map(|i| KHMER_PARTS[*i]).collect();
        let name = parts.join(" ");
        let mut typed_parts: Vec<String> =
            parts.iter().map(|p| if swap { subscript_swap(p) } else { p.to_string() }).collect();
        if reverse {
            typed_parts.reverse();
        }
        if let Some(i) = only_one {
            typed_parts = vec![typed_parts[i % typed_parts.len()].clone()];
        }
        let written = typed_parts.join(SEPARATORS[sep]);
        let text = if spaced_context {
            format!("លោក {written} បានត្រូវចាប់ខ្លួន។")
        } else {
            format!("លោក{written}បានត្រូវចាប់ខ្លួន។")
        };
        let m = NameMatcher::new(&[("V1".to_string(), name.clone())]);
        prop_assert_eq!(m.codes_in(&text), vec!["V1".to_string()], "{:?} in {:?}", name, text);
    }

    /// Any text at all: the check neither panics nor finds a name that is
    /// not in it when the text is made of other words only.
    #[test]
    fn any_text_is_checked_without_panic(text in any::<String>(), name in "[A-Z][a-z]{3,7} [A-Z][a-z]{3,7}") {
        let m = NameMatcher::new(&[("V1".to_string(), name.clone())]);
        let _ = m.codes_in(&text);
        let other = "the police took the families to the district office at night";
        let found = m.codes_in(other);
        let lower = name.to_lowercase();
        if lower.split(' ').all(|p| !other.split(' ').any(|w| w == p)) && !other.replace(' ', "").contains(&lower.replace(' ', "")) {
            prop_assert!(found.is_empty(), "{:?} found in {:?}", name, other);
        }
    }
}
