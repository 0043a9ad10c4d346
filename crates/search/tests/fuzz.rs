//! Fuzz targets (issue 6) for the Khmer normalizer and tokenizer and the
//! search query parser, as property tests: any text, and text built from
//! the pieces that break naive code (Khmer signs without a base, zero-width
//! characters, combining marks, quotes, operators, field filters). No input
//! may panic, every token must point inside its text, and a query must
//! answer or refuse cleanly, never show a document the viewer may not see.
//!
//! Cases per target: PROPTEST_CASES (default 256 here; bench/fuzz.sh runs
//! them for a bounded time with many more).

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
use rightsdesk_search::analysis;
use rightsdesk_search::index::{Audience, Order, SearchDocument, SearchIndex, Viewer};

/// Pieces of text that tokenizers and query parsers trip on.
const PIECES: &[&str] = &[
    "ក",
    "ា",
    "្",
    "ស",
    "៊",
    "៉",
    "់",
    "៌",
    "៍",
    "៎",
    "៏",
    "័",
    "ំ",
    "ះ",
    "ៈ",
    "េ",
    "ោ",
    "ុ",
    "ូ",
    "ឹ",
    "ៀ",
    "មនុស្ស",
    "សិទ្ធិ",
    "ការរំលោភសិទ្ធិមនុស្ស",
    "ដីធ្លី",
    "\u{200B}",
    "\u{200C}",
    "\u{200D}",
    "\u{FEFF}",
    "\u{17D2}\u{17D2}",
    "\u{0301}",
    "é",
    "ß",
    "İ",
    "ﬁ",
    "Ǆ",
    "\u{10FFFF}",
    "\u{0}",
    "\t",
    "\n",
    " ",
    "  ",
    "\"",
    "'",
    "*",
    "?",
    "~",
    "^",
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    ":",
    "-",
    "+",
    "!",
    "\\",
    "/",
    "AND",
    "OR",
    "NOT",
    "type:",
    "province:",
    "status:",
    "theme:",
    "year:",
    "mechanism:",
    "type:case",
    "year:2026",
    // The index's own fields, which must never work as filters (issue 14:
    // `title:*` answered 500, `audience:` was accepted).
    "title:",
    "title:*",
    "audience:",
    "audience:monitoring:user:7",
    "key:",
    "key:case:2",
    "module:",
    "words:",
    "date:",
    "date:[0 TO 9]",
    "TO",
    "land",
    "torture",
    "freedom of expression",
    "evict*",
    "1",
    "2026",
    "٣",
    "១២",
    "&",
    "<b>",
    "<script>",
    "%",
    "_",
    ";",
    "'--",
    "\u{1F600}",
];

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        prop::collection::vec(prop::sample::select(PIECES), 0..40).prop_map(|v| v.concat()),
        // The same pieces as words, as people type queries.
        prop::collection::vec(prop::sample::select(PIECES), 0..8).prop_map(|v| v.join(" ")),
        "[\\u{1780}-\\u{17FF}\\u{19E0}-\\u{19FF}\\u{200B}-\\u{200D} a-z\"*:()-]{0,80}",
    ]
}

fn check_tokens(normalized: &str, tokens: &[analysis::Token]) {
    for t in tokens {
        assert!(t.from <= t.to && t.to <= normalized.len(), "{t:?} outside {normalized:?}");
        assert!(normalized.is_char_boundary(t.from) && normalized.is_char_boundary(t.to), "{t:?} in {normalized:?}");
        assert!(!t.text.is_empty(), "an empty token in {normalized:?}");
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn normalizer_and_tokenizers_take_any_text(s in text()) {
        let n = analysis::normalize(&s);
        prop_assert_eq!(analysis::normalize(&n), n.clone(), "normalizing twice changes nothing");
        check_tokens(&n, &analysis::words(&n));
        check_tokens(&n, &analysis::syllables(&n));
        for t in analysis::syllable_grams(&n) {
            prop_assert!(!t.text.is_empty());
        }
        let _ = analysis::syllable_gram_query(&s);
        let _ = analysis::lone_syllable(&s);
        let _ = analysis::syllable_phrase_in(&s, &n);
    }
}

fn index() -> &'static SearchIndex {
    static IX: std::sync::OnceLock<SearchIndex> = std::sync::OnceLock::new();
    IX.get_or_init(|| {
        let ix = SearchIndex::open(None).unwrap();
        for (i, (body, audience)) in [
            ("ការរំលោភសិទ្ធិមនុស្សនៅខេត្តបាត់ដំបង", "monitoring:all"),
            ("Villagers were evicted from their land", "monitoring:all"),
            ("secretword torture in custody", "monitoring:team:9"),
        ]
        .into_iter()
        .enumerate()
        {
            ix.upsert(&SearchDocument {
                key: format!("case:{i}"),
                module: "monitoring".into(),
                kind: "case".into(),
                title: format!("Case {i} {body}"),
                body: body.into(),
                audience: Audience { terms: vec![audience.into()] },
                filters: vec![("status", "received".into()), ("year", "2026".into()), ("province", "02".into())],
                date: i as i64,
            })
            .unwrap();
        }
        ix.commit().unwrap();
        ix
    })
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn query_parser_takes_any_query(q in text(), newest in any::<bool>(), offset in 0usize..5) {
        let viewer = Viewer { terms: vec!["monitoring:all".into()] };
        let order = if newest { Order::Newest } else { Order::Relevance };
        // A refusal is a clean error; an answer holds only what the viewer may see.
        match index().search_page(&q, &viewer, 10, offset, order) {
            Ok(r) => {
                prop_assert!(r.hits.iter().all(|h| h.key != "case:2"), "a restricted document for {q:?}");
                prop_assert!(r.hits.iter().all(|h| !h.snippet.contains("secretword")));
                prop_assert!(r.total <= 2);
            }
            // A refusal is the user's query error (422), never the index's (500).
            Err(e) => prop_assert!(matches!(e, rightsdesk_search::SearchError::Query(_)), "{q:?}: {e}"),
        }
        if let Err(e) = index().top_keys(&q, &viewer, 10) {
            prop_assert!(matches!(e, rightsdesk_search::SearchError::Query(_)), "{q:?}: {e}");
        }
    }
}

/// Regression (found by `normalizer_and_tokenizers_take_any_text`): text
/// ending with a coeng (U+17D2), as a search box holds while someone is
/// still typing a subscript, sent the normalizer into an endless loop.
#[test]
fn text_ending_with_a_coeng_is_analysed() {
    for s in [
        "ស\u{17D2}",
        "\u{17D2}",
        "មនុស\u{17D2}",
        "ស\"%?ក\u{17d2}\u{17d2}\u{17b9} \u{17ca}ﬁ\"មន\u{17bb}ស\u{17d2}ស\u{17cb}ា\u{17d2}",
    ] {
        let n = analysis::normalize(s);
        assert_eq!(analysis::normalize(&n), n);
        check_tokens(&n, &analysis::words(&n));
        check_tokens(&n, &analysis::syllables(&n));
        let _ = analysis::syllable_grams(&n);
        let _ = analysis::syllable_gram_query(s);
    }
}
