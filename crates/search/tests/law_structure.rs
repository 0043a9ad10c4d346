//! Splitting and comparing a real Khmer text (issue 18, decision 0015):
//! the Universal Declaration in Khmer has 30 articles headed មាត្រា with
//! Khmer digits. The file is outside the repository (no explicit licence),
//! so this check is optional; the rules' own tests are in the domain crate.

use rightsdesk_domain::legislation::{compare_articles, split_law, ArticleChangeKind, Mark};
use rightsdesk_search::analysis::word_pieces;

#[test]
fn the_khmer_udhr_splits_into_its_thirty_articles_and_compares() {
    let Some(path) = rightsdesk_testdata::outside_optional("khmer/udhr_khm.txt") else { return };
    let text = std::fs::read_to_string(path).unwrap();
    let law = split_law(&text);
    let numbers: Vec<String> = law.articles.iter().map(|a| a.number.clone()).collect();
    let expected: Vec<String> = (1..=30).map(|n| n.to_string()).collect();
    assert_eq!(numbers, expected);
    assert!(law.preamble.contains("បុព្វកថា"), "the preamble stays before article 1");
    assert!(law.articles[0].text.contains("សេចក្ដីថ្លៃថ្នូរ"), "{}", law.articles[0].text);
    // A second version: article 3 changed, a new article after 5, article 30 removed.
    let mut edited = String::new();
    let mut number = 0;
    for (i, a) in law.articles.iter().enumerate() {
        if i == 29 {
            break;
        }
        let body = if i == 2 {
            a.text.replace("សេរីភាព", "សុវត្ថិភាពផ្ទាល់ខ្លួន")
        } else {
            a.text.clone()
        };
        number += 1;
        edited.push_str(&format!("មាត្រា {number}\n{body}\n"));
        if i == 4 {
            number += 1;
            edited.push_str(&format!("មាត្រា {number}\nការការពារអ្នកការពារសិទ្ធិមនុស្ស។\n"));
        }
    }
    let next = split_law(&edited);
    assert_eq!(next.articles.len(), 30);
    let changes = compare_articles(&law.articles, &next.articles, &word_pieces);
    let count = |k: ArticleChangeKind| changes.iter().filter(|c| c.kind == k).count();
    assert_eq!(
        (count(ArticleChangeKind::Unchanged), count(ArticleChangeKind::Changed), count(ArticleChangeKind::Renumbered)),
        (4, 1, 24),
        "{:?}",
        changes.iter().map(|c| (c.kind, c.old_number.clone(), c.new_number.clone())).collect::<Vec<_>>()
    );
    assert_eq!((count(ArticleChangeKind::Added), count(ArticleChangeKind::Removed)), (1, 1));
    let changed = changes.iter().find(|c| c.kind == ArticleChangeKind::Changed).unwrap();
    assert!(changed.words.iter().any(|w| w.mark == Mark::Added && w.text.contains("សុវត្ថិភាព")));
}
