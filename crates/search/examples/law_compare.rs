//! Benchmark (issue 18): split two versions of a 300-article Khmer law and
//! compare them article by article with Khmer word segmentation. Target:
//! < 100 ms. Run: `cargo run --release -p rightsdesk-search --example law_compare`.
//!
//! The law is made from the project's own Khmer test text
//! (testdata/khmer/rights_text_km.txt): article k holds three of its
//! paragraphs and its own number. The second version changes words in every
//! tenth article, inserts three articles and removes two, so every kind of
//! change and the renumbering after an insertion are exercised.

use rightsdesk_domain::legislation::{compare_articles, latin_digits, split_law, ArticleChangeKind};
use rightsdesk_search::analysis::word_pieces;
use std::time::{Duration, Instant};

fn khmer_number(n: usize) -> String {
    n.to_string().chars().map(|c| char::from_u32('០' as u32 + c.to_digit(10).unwrap()).unwrap()).collect()
}

fn main() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../testdata/khmer/rights_text_km.txt");
    let source = std::fs::read_to_string(path).expect("testdata/khmer/rights_text_km.txt");
    let paragraphs: Vec<&str> = source.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()).collect();
    let article = |k: usize| {
        let p = |j: usize| paragraphs[(k * 7 + j * 3) % paragraphs.len()];
        format!("លេខ{} {} {} {}", khmer_number(k), p(0), p(1), p(2))
    };
    let mut old = String::from("ច្បាប់ស្តីពីការសាកល្បង\n");
    let mut new = String::from("ច្បាប់ស្តីពីការសាកល្បង\n");
    let mut number = 0;
    for k in 1..=300 {
        old.push_str(&format!("ជំពូកទី{}\nជំពូកសាកល្បង\n", khmer_number(k)).repeat(usize::from(k % 30 == 1)));
        old.push_str(&format!("មាត្រា {}\n{}\n", khmer_number(k), article(k)));
        new.push_str(&format!("ជំពូកទី{}\nជំពូកសាកល្បង\n", khmer_number(k)).repeat(usize::from(k % 30 == 1)));
        if k == 120 || k == 251 {
            continue; // removed
        }
        if k % 100 == 50 {
            number += 1;
            new.push_str(&format!("មាត្រា {}\nមាត្រាថ្មីលេខ{} អំពីការការពារអ្នកការពារសិទ្ធិមនុស្ស។\n", khmer_number(number), k));
        }
        number += 1;
        let text = if k % 10 == 0 {
            article(k).replacen("សិទ្ធិ", "សេរីភាព", 1)
        } else {
            article(k)
        };
        new.push_str(&format!("មាត្រា {}\n{}\n", khmer_number(number), text));
    }
    let mut times = vec![];
    let mut summary = String::new();
    for _ in 0..30 {
        let started = Instant::now();
        let a = split_law(&old);
        let b = split_law(&new);
        let changes = compare_articles(&a.articles, &b.articles, &word_pieces);
        times.push(started.elapsed());
        let count = |k: ArticleChangeKind| changes.iter().filter(|c| c.kind == k).count();
        summary = format!(
            "{} and {} articles ({} Khmer characters in all): unchanged {}, changed {}, renumbered {}, added {}, removed {}",
            a.articles.len(),
            b.articles.len(),
            old.chars().count() + new.chars().count(),
            count(ArticleChangeKind::Unchanged),
            count(ArticleChangeKind::Changed),
            count(ArticleChangeKind::Renumbered),
            count(ArticleChangeKind::Added),
            count(ArticleChangeKind::Removed)
        );
        assert_eq!(latin_digits(&b.articles.last().unwrap().number), "301");
    }
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!("{summary}");
    println!(
        "split both + compare, 30 runs: p50 {:.1} ms, max {:.1} ms (target < 100 ms)",
        ms(times[times.len() / 2]),
        ms(times[times.len() - 1])
    );
}
