//! Two versions of a law compared article by article: which articles are
//! the same, changed, renumbered, added or removed, and in each changed
//! article the words that changed.
//!
//! Articles are paired in passes, most certain first: the same text
//! (whatever its number now), then a nearly identical text under another
//! number (an article inserted before it), then the same number, then the
//! most similar of what is left. Similarity is the Dice coefficient of the
//! two texts' words; the marked words come from a Myers diff of the word
//! sequences (the `similar` crate). Words are cut by the caller's splitter:
//! [`latin_words`] for English, the search crate's Khmer segmentation for
//! Khmer.

use super::Article;
use serde::Serialize;
use similar::{Algorithm, ChangeTag};
use std::collections::HashMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ArticleChangeKind {
    Unchanged,
    Changed,
    /// Under another number; `text_changed` says whether the words changed too.
    Renumbered,
    Added,
    Removed,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Mark {
    Same,
    Removed,
    Added,
}

/// A run of text and whether it is in both versions, only the old or only the new.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct MarkedText {
    pub mark: Mark,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ArticleChange {
    pub kind: ArticleChangeKind,
    /// Index of the article in the old version's articles.
    pub old: Option<usize>,
    /// Index of the article in the new version's articles.
    pub new: Option<usize>,
    pub old_number: Option<String>,
    pub new_number: Option<String>,
    /// The share of words the two texts have in common, 0 to 100.
    pub similarity: u8,
    pub text_changed: bool,
    /// The new text with the changes marked (the old text for a removed
    /// article, the new one for an added article).
    pub words: Vec<MarkedText>,
}

/// Cuts a text into the pieces a comparison marks: words and what stands
/// between them, which together give back the whole text.
pub type WordSplitter<'s> = &'s dyn for<'a> Fn(&'a str) -> Vec<&'a str>;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    Word,
    Space,
    Other,
}

fn class(c: char) -> Class {
    if c.is_alphanumeric() || ('\u{1780}'..='\u{17FF}').contains(&c) || crate::text::is_zero_width(c) {
        Class::Word
    } else if c.is_whitespace() {
        Class::Space
    } else {
        Class::Other
    }
}

/// Words, runs of white space and single punctuation marks, in order. A
/// run of Khmer stays one piece: for Khmer words pass the search crate's
/// segmentation instead.
pub fn latin_words(text: &str) -> Vec<&str> {
    let mut pieces = vec![];
    let mut start = 0;
    let mut current: Option<Class> = None;
    for (i, c) in text.char_indices() {
        let k = class(c);
        if current.is_some_and(|p| p != k || k == Class::Other) {
            pieces.push(&text[start..i]);
            start = i;
        }
        current = Some(k);
    }
    if start < text.len() {
        pieces.push(&text[start..]);
    }
    pieces
}

/// The text as a reader sees it: Khmer spelling variants and zero-width
/// characters normalized (decision 0008), white space folded. Two texts
/// with the same key are the same article text.
fn text_key(text: &str) -> String {
    crate::text::normalize_khmer(text).split_whitespace().collect::<Vec<_>>().join(" ")
}

/// An article's words as sorted ids, for the Dice coefficient.
struct Bag(Vec<u32>);

fn bags(texts: &[Article], words: WordSplitter<'_>, ids: &mut HashMap<String, u32>) -> Vec<Bag> {
    texts
        .iter()
        .map(|a| {
            // Words of the text as a reader sees it (one normalization per article).
            let normalized = crate::text::normalize_khmer(&a.text);
            let mut bag: Vec<u32> = words(&normalized)
                .into_iter()
                .filter(|w| w.chars().any(|c| class(c) == Class::Word))
                .map(|w| {
                    let next = ids.len() as u32;
                    *ids.entry(w.to_lowercase()).or_insert(next)
                })
                .collect();
            bag.sort_unstable();
            Bag(bag)
        })
        .collect()
}

fn dice(a: &Bag, b: &Bag) -> f64 {
    if a.0.is_empty() && b.0.is_empty() {
        return 1.0;
    }
    let (mut i, mut j, mut common) = (0, 0, 0);
    while i < a.0.len() && j < b.0.len() {
        match a.0[i].cmp(&b.0[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                common += 1;
                i += 1;
                j += 1;
            }
        }
    }
    2.0 * common as f64 / (a.0.len() + b.0.len()) as f64
}

/// The new text with what changed from the old marked.
pub fn mark_changes(old: &str, new: &str, words: WordSplitter<'_>) -> Vec<MarkedText> {
    let (a, b) = (words(old), words(new));
    // Myers' cost grows with length × edits: past the deadline the diff is
    // coarser (larger runs marked), never wrong and never a hang.
    let diff = similar::TextDiff::configure()
        .algorithm(Algorithm::Myers)
        .timeout(std::time::Duration::from_millis(500))
        .diff_slices(&a, &b);
    let mut marked: Vec<MarkedText> = vec![];
    for change in diff.iter_all_changes() {
        let mark = match change.tag() {
            ChangeTag::Equal => Mark::Same,
            ChangeTag::Delete => Mark::Removed,
            ChangeTag::Insert => Mark::Added,
        };
        match marked.last_mut() {
            Some(last) if last.mark == mark => last.text.push_str(change.value()),
            _ => marked.push(MarkedText { mark, text: change.value().to_string() }),
        }
    }
    marked
}

/// Pairs the unpaired articles whose similarity reaches `threshold`, best first.
fn pair_best(
    old_bags: &[Bag],
    new_bags: &[Bag],
    old_pair: &mut [Option<usize>],
    new_pair: &mut [Option<usize>],
    threshold: f64,
    same_number_only: Option<(&[Article], &[Article])>,
) {
    let mut candidates = vec![];
    if let Some((old, new)) = same_number_only {
        let by_number: HashMap<&str, usize> = old
            .iter()
            .enumerate()
            .filter(|(i, _)| old_pair[*i].is_none())
            .map(|(i, a)| (a.number.as_str(), i))
            .collect();
        for (j, a) in new.iter().enumerate().filter(|(j, _)| new_pair[*j].is_none()) {
            if let Some(&i) = by_number.get(a.number.as_str()) {
                let score = dice(&old_bags[i], &new_bags[j]);
                if score >= threshold {
                    candidates.push((score, i, j));
                }
            }
        }
    } else {
        for (j, nb) in new_bags.iter().enumerate().filter(|(j, _)| new_pair[*j].is_none()) {
            for (i, ob) in old_bags.iter().enumerate().filter(|(i, _)| old_pair[*i].is_none()) {
                let score = dice(ob, nb);
                if score >= threshold {
                    candidates.push((score, i, j));
                }
            }
        }
    }
    candidates.sort_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)));
    for (_, i, j) in candidates {
        if old_pair[i].is_none() && new_pair[j].is_none() {
            old_pair[i] = Some(j);
            new_pair[j] = Some(i);
        }
    }
}

/// Compares two versions' articles.
pub fn compare_articles(old: &[Article], new: &[Article], words: WordSplitter<'_>) -> Vec<ArticleChange> {
    let mut ids = HashMap::new();
    let old_bags = bags(old, words, &mut ids);
    let new_bags = bags(new, words, &mut ids);
    let mut old_pair: Vec<Option<usize>> = vec![None; old.len()];
    let mut new_pair: Vec<Option<usize>> = vec![None; new.len()];
    // 1. The same text, the same number first.
    let mut by_text: HashMap<String, Vec<usize>> = HashMap::new();
    let old_keys: Vec<String> = old.iter().map(|a| text_key(&a.text)).collect();
    let new_keys: Vec<String> = new.iter().map(|a| text_key(&a.text)).collect();
    for (i, key) in old_keys.iter().enumerate() {
        by_text.entry(key.clone()).or_default().push(i);
    }
    for same_number in [true, false] {
        for (j, a) in new.iter().enumerate() {
            if new_pair[j].is_some() {
                continue;
            }
            let Some(found) = by_text.get(&new_keys[j]) else { continue };
            let pick = found.iter().find(|i| old_pair[**i].is_none() && (!same_number || old[**i].number == a.number));
            if let Some(&i) = pick {
                old_pair[i] = Some(j);
                new_pair[j] = Some(i);
            }
        }
    }
    // 2. Nearly the same text under another number; 3. the same number; 4. the most alike.
    pair_best(&old_bags, &new_bags, &mut old_pair, &mut new_pair, 0.8, None);
    pair_best(&old_bags, &new_bags, &mut old_pair, &mut new_pair, 0.3, Some((old, new)));
    pair_best(&old_bags, &new_bags, &mut old_pair, &mut new_pair, 0.5, None);

    let mut changes: Vec<((usize, u8, usize), ArticleChange)> = vec![];
    for (j, a) in new.iter().enumerate() {
        let change = match new_pair[j] {
            Some(i) => {
                let o = &old[i];
                let text_changed = old_keys[i] != new_keys[j];
                let kind = match (o.number == a.number, text_changed) {
                    (true, false) => ArticleChangeKind::Unchanged,
                    (true, true) => ArticleChangeKind::Changed,
                    (false, _) => ArticleChangeKind::Renumbered,
                };
                ArticleChange {
                    kind,
                    old: Some(i),
                    new: Some(j),
                    old_number: Some(o.number.clone()),
                    new_number: Some(a.number.clone()),
                    similarity: (dice(&old_bags[i], &new_bags[j]) * 100.0).round() as u8,
                    text_changed,
                    words: if text_changed {
                        mark_changes(&o.text, &a.text, words)
                    } else {
                        vec![MarkedText { mark: Mark::Same, text: a.text.clone() }]
                    },
                }
            }
            None => ArticleChange {
                kind: ArticleChangeKind::Added,
                old: None,
                new: Some(j),
                old_number: None,
                new_number: Some(a.number.clone()),
                similarity: 0,
                text_changed: true,
                words: vec![MarkedText { mark: Mark::Added, text: a.text.clone() }],
            },
        };
        changes.push(((j, 1, 0), change));
    }
    // A removed article goes after the new place of the old article before
    // it (key (j, 2, i): after new article j), or first.
    for (i, a) in old.iter().enumerate().filter(|(i, _)| old_pair[*i].is_none()) {
        let key = match (0..i).rev().find_map(|k| old_pair[k]) {
            Some(j) => (j, 2, i),
            None => (0, 0, i),
        };
        changes.push((
            key,
            ArticleChange {
                kind: ArticleChangeKind::Removed,
                old: Some(i),
                new: None,
                old_number: Some(a.number.clone()),
                new_number: None,
                similarity: 0,
                text_changed: true,
                words: vec![MarkedText { mark: Mark::Removed, text: a.text.clone() }],
            },
        ));
    }
    changes.sort_by_key(|(key, _)| *key);
    changes.into_iter().map(|(_, c)| c).collect()
}

#[cfg(test)]
mod tests {
    use super::super::split_law;
    use super::*;

    fn kinds(changes: &[ArticleChange]) -> Vec<(ArticleChangeKind, Option<&str>, Option<&str>)> {
        changes.iter().map(|c| (c.kind, c.old_number.as_deref(), c.new_number.as_deref())).collect()
    }

    #[test]
    fn added_removed_renumbered_and_changed_articles() {
        let old = split_law(
            "Article 1\nThis law governs associations and non-governmental organisations.\n\
             Article 2\nEvery association shall register with the Ministry of Interior.\n\
             Article 3\nA registered association may open a bank account.\n\
             Article 4\nThe Ministry may suspend an association for political neutrality reasons.",
        );
        let new = split_law(
            "Article 1\nThis law governs associations and non-governmental organisations.\n\
             Article 2\nThe purpose of registration is to keep a public list.\n\
             Article 3\nEvery association shall register with the Ministry of Interior within 30 days.\n\
             Article 4\nA registered association may open a bank account.",
        );
        let changes = compare_articles(&old.articles, &new.articles, &latin_words);
        use ArticleChangeKind::*;
        assert_eq!(
            kinds(&changes),
            [
                (Unchanged, Some("1"), Some("1")),
                (Added, None, Some("2")),
                (Renumbered, Some("2"), Some("3")),
                (Renumbered, Some("3"), Some("4")),
                (Removed, Some("4"), None),
            ]
        );
        let renumbered = &changes[2];
        assert!(renumbered.text_changed && renumbered.similarity > 80, "{renumbered:?}");
        let added: Vec<_> =
            renumbered.words.iter().filter(|w| w.mark == Mark::Added).map(|w| w.text.as_str()).collect();
        assert_eq!(added, [" within 30 days"]);
        assert!(!changes[3].text_changed);
    }

    #[test]
    fn a_rewritten_article_keeps_its_number() {
        let old = split_law("Article 8\nAssociations shall report annually on their activities and finances.");
        let new = split_law("Article 8\nAssociations shall report every two years on their activities.");
        let changes = compare_articles(&old.articles, &new.articles, &latin_words);
        assert_eq!(changes.len(), 1);
        assert_eq!(changes[0].kind, ArticleChangeKind::Changed);
        let marked: String = changes[0]
            .words
            .iter()
            .map(|w| match w.mark {
                Mark::Same => w.text.clone(),
                Mark::Removed => format!("[-{}-]", w.text),
                Mark::Added => format!("{{+{}+}}", w.text),
            })
            .collect();
        assert_eq!(
            marked,
            "Associations shall report [-annually-]{+every two years+} on their activities[- and finances-]."
        );
    }

    #[test]
    fn khmer_words_come_from_the_callers_splitter() {
        // Stand-in for the search crate's segmentation (tested there on
        // unspaced Khmer): words set apart by spaces.
        let article =
            |text: &str| Article {
                number: "1".into(), heading: "មាត្រា ១".into(), chapter: None, text: text.into()
            };
        let old = [article("សមាគម ត្រូវ ចុះបញ្ជី នៅ ក្រសួង។")];
        let new = [article("សមាគម អាច ចុះបញ្ជី នៅ ក្រសួង។")];
        let changes = compare_articles(&old, &new, &latin_words);
        assert_eq!(changes[0].kind, ArticleChangeKind::Changed);
        let changed: Vec<_> =
            changes[0].words.iter().filter(|w| w.mark != Mark::Same).map(|w| w.text.as_str()).collect();
        assert_eq!(changed, ["ត្រូវ", "អាច"]);
    }

    #[test]
    fn the_same_text_keeps_its_number_first() {
        let old = split_law("Article 5\nThe Ministry may suspend.\nArticle 9\nRepealed.");
        let new = split_law("Article 5\nRepealed.\nArticle 9\nRepealed.");
        let changes = compare_articles(&old.articles, &new.articles, &latin_words);
        use ArticleChangeKind::*;
        // Article 9 is the same, not renumbered to 5; article 5 shares no
        // word with its old text, so it reads as replaced.
        assert_eq!(
            kinds(&changes),
            [(Removed, Some("5"), None), (Added, None, Some("5")), (Unchanged, Some("9"), Some("9"))]
        );
    }

    #[test]
    fn invisible_differences_are_no_change() {
        let old = split_law("មាត្រា ១\nសមាគម\u{200B}ត្រូវចុះបញ្ជី។");
        let new = split_law("មាត្រា ១\nសមាគមត្រូវចុះបញ្ជី។");
        let changes = compare_articles(&old.articles, &new.articles, &latin_words);
        assert_eq!(changes[0].kind, ArticleChangeKind::Unchanged);
    }

    #[test]
    fn pieces_give_back_the_text() {
        let text = "Article 19 (2): freedom of expression, \"in any form\" — 2026.";
        assert_eq!(latin_words(text).concat(), text);
        assert!(latin_words(text).contains(&"expression"));
    }
}
