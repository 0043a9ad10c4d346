//! The search index: tantivy in the data directory, with the Khmer-aware
//! analysis of [`crate::analysis`], and the access policy applied inside the
//! query so that results, counts and snippets come only from documents the
//! user may see.

use crate::analysis;
use std::collections::HashMap;
use std::path::Path;
use tantivy::collector::{Collector, Count, SegmentCollector, TopDocs};
use tantivy::columnar::StrColumn;
use tantivy::query::{BooleanQuery, Occur, Query, QueryParser};
use tantivy::schema::{Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, Value, FAST, STORED, STRING};
use tantivy::tokenizer::{Language, Stemmer, TextAnalyzer, Token, TokenStream, Tokenizer};
use tantivy::{
    doc, DocId, Index, IndexReader, IndexWriter, Score, SegmentOrdinal, SegmentReader, TantivyDocument, Term,
};

#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("search index: {0}")]
    Index(#[from] tantivy::TantivyError),
    #[error("search index directory: {0}")]
    Directory(String),
    #[error("query: {0}")]
    Query(String),
}

/// Who may see a document, as terms qualified by module:
/// `monitoring:all` (everyone who works in monitoring), `monitoring:user:ID`
/// (the team of a restricted case), `monitoring:office:ID` (the head of that
/// office), `mechanisms:all`, `mechanisms:org:ID` (a focal point's
/// institution), `reference:all`.
#[derive(Debug, Clone, Default)]
pub struct Audience {
    pub terms: Vec<String>,
}

/// What a user may see, from the policy: the audience terms that are theirs.
#[derive(Debug, Clone, Default)]
pub struct Viewer {
    pub terms: Vec<String>,
}

/// A document to index. Only non-identifying text: never a person's name.
#[derive(Debug, Clone)]
pub struct SearchDocument {
    /// `case:12`, `recommendation:7`.
    pub key: String,
    /// `monitoring`, `mechanisms`: who may search it at all.
    pub module: String,
    pub kind: String,
    pub title: String,
    pub body: String,
    pub audience: Audience,
    /// Values a query can filter on: `status:verified`, `province:02`,
    /// `theme:detention`, `year:2026`, `mechanism:upr` (lower case).
    pub filters: Vec<(&'static str, String)>,
    /// For date order: microseconds since the epoch (last change).
    pub date: i64,
}

/// The fields a query may filter on (`type:` is the document kind).
pub const FILTER_FIELDS: [&str; 6] = ["type", "status", "province", "theme", "year", "mechanism"];

/// How results are ordered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Order {
    #[default]
    Relevance,
    Newest,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    pub key: String,
    pub kind: String,
    pub title: String,
    /// HTML with `<b>` around matches; the text is escaped.
    pub snippet: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Results {
    pub total: usize,
    pub hits: Vec<Hit>,
    /// How many of the matches are of each kind (case, recommendation, ...),
    /// in the order of the module registry.
    pub kinds: Vec<(String, usize)>,
    /// For each filter field but `type` (status, province, theme, year,
    /// mechanism), its values among the matches with their counts, the
    /// most frequent first; fields without values are left out.
    pub facets: Vec<Facet>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facet {
    pub field: String,
    pub values: Vec<(String, usize)>,
}

const WORDS: &str = "rd_words";
const SYLLABLES: &str = "rd_syllables";
const GRAMS: &str = "rd_syllable_grams";

/// Which analysis a tokenizer runs.
#[derive(Clone, Copy)]
enum Analysis {
    Words,
    Syllables,
    Grams,
    /// The syllable field at query time: a lone Khmer syllable only.
    LoneSyllable,
    /// The n-gram field at query time: one term per Khmer run.
    GramQuery,
}

/// A tantivy tokenizer over one of the analyses.
#[derive(Clone)]
struct AnalysisTokenizer {
    analysis: Analysis,
}

struct VecTokenStream {
    tokens: Vec<Token>,
    at: usize,
}

impl TokenStream for VecTokenStream {
    fn advance(&mut self) -> bool {
        self.at += 1;
        self.at <= self.tokens.len()
    }
    fn token(&self) -> &Token {
        &self.tokens[self.at - 1]
    }
    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.at - 1]
    }
}

impl Tokenizer for AnalysisTokenizer {
    type TokenStream<'a> = VecTokenStream;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> VecTokenStream {
        let tokens = match self.analysis {
            Analysis::Words => analysis::words(text),
            Analysis::Syllables => analysis::syllables(text),
            Analysis::Grams => analysis::syllable_grams(text),
            Analysis::LoneSyllable => analysis::lone_syllable(text),
            Analysis::GramQuery => analysis::syllable_gram_query(text),
        };
        VecTokenStream {
            tokens: tokens
                .into_iter()
                .map(|t| Token {
                    offset_from: t.from,
                    offset_to: t.to,
                    position: t.position,
                    text: t.text,
                    position_length: 1,
                })
                .collect(),
            at: 0,
        }
    }
}

struct Fields {
    key: Field,
    module: Field,
    kind: Field,
    filters: Vec<(&'static str, Field)>,
    date: Field,
    audience: Field,
    title: Field,
    words: Field,
    syllables: Field,
    grams: Field,
}

pub struct SearchIndex {
    index: Index,
    /// The analyzers for queries: as for indexing, but the syllable field
    /// takes only a lone syllable (see [`analysis::lone_syllable`]).
    query_tokenizers: tantivy::tokenizer::TokenizerManager,
    audiences: crate::audience::AudienceCache,
    reader: IndexReader,
    writer: std::sync::Mutex<IndexWriter>,
    f: Fields,
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let text = |tokenizer: &str, stored: bool| {
        let o = TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(tokenizer)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        );
        if stored {
            o.set_stored()
        } else {
            o
        }
    };
    let f = Fields {
        key: b.add_text_field("key", STRING | STORED),
        module: b.add_text_field("module", STRING),
        // Filter fields are also columns, for the counts per value.
        kind: b.add_text_field("type", STRING | STORED | FAST),
        filters: FILTER_FIELDS[1..].iter().map(|name| (*name, b.add_text_field(name, STRING | FAST))).collect(),
        date: b.add_i64_field("date", tantivy::schema::FAST),
        audience: b.add_text_field("audience", STRING),
        title: b.add_text_field("title", text(WORDS, true)),
        words: b.add_text_field("words", text(WORDS, true)),
        syllables: b.add_text_field("syllables", text(SYLLABLES, false)),
        grams: b.add_text_field("syllable_grams", text(GRAMS, false)),
    };
    (b.build(), f)
}

fn analyzer(analysis: Analysis) -> TextAnalyzer {
    match analysis {
        Analysis::Words => {
            TextAnalyzer::builder(AnalysisTokenizer { analysis }).filter(Stemmer::new(Language::English)).build()
        }
        _ => TextAnalyzer::builder(AnalysisTokenizer { analysis }).build(),
    }
}

fn register(index: &Index) -> tantivy::tokenizer::TokenizerManager {
    index.tokenizers().register(WORDS, analyzer(Analysis::Words));
    index.tokenizers().register(SYLLABLES, analyzer(Analysis::Syllables));
    index.tokenizers().register(GRAMS, analyzer(Analysis::Grams));
    let query = tantivy::tokenizer::TokenizerManager::default();
    query.register(WORDS, analyzer(Analysis::Words));
    query.register(SYLLABLES, analyzer(Analysis::LoneSyllable));
    query.register(GRAMS, analyzer(Analysis::GramQuery));
    query
}

impl SearchIndex {
    /// Opens the index in `dir`, creating it if needed; `None` keeps it in memory (tests).
    pub fn open(dir: Option<&Path>) -> Result<Self, SearchError> {
        let (schema, f) = schema();
        let index = match dir {
            None => Index::create_in_ram(schema),
            Some(dir) => {
                std::fs::create_dir_all(dir).map_err(|e| SearchError::Directory(e.to_string()))?;
                let open =
                    || tantivy::directory::MmapDirectory::open(dir).map_err(|e| SearchError::Directory(e.to_string()));
                // An index made by an earlier release with other fields is
                // emptied; the server then rebuilds it from the database.
                if Index::exists(&open()?).map_err(|e| SearchError::Directory(e.to_string()))?
                    && Index::open(open()?)?.schema() != schema
                {
                    std::fs::remove_dir_all(dir).map_err(|e| SearchError::Directory(e.to_string()))?;
                    std::fs::create_dir_all(dir).map_err(|e| SearchError::Directory(e.to_string()))?;
                }
                Index::open_or_create(open()?, schema)?
            }
        };
        let query_tokenizers = register(&index);
        let writer = index.writer(50_000_000)?;
        let reader = index.reader()?;
        Ok(SearchIndex {
            index,
            query_tokenizers,
            audiences: Default::default(),
            reader,
            writer: std::sync::Mutex::new(writer),
            f,
        })
    }

    /// Adds or replaces a document (by key). Visible after `commit`.
    pub fn upsert(&self, d: &SearchDocument) -> Result<(), SearchError> {
        let w = self.writer.lock().map_err(|_| SearchError::Directory("writer lock poisoned".into()))?;
        w.delete_term(Term::from_field_text(self.f.key, &d.key));
        // Stored and indexed in normalized form, so that snippet offsets match.
        let body = analysis::normalize(&d.body);
        let title = analysis::normalize(&d.title);
        let mut document = doc!(
            self.f.key => d.key.clone(),
            self.f.module => d.module.clone(),
            self.f.kind => d.kind.clone(),
            self.f.title => title.clone(),
            self.f.words => body.clone(),
            self.f.syllables => format!("{title}\n{body}"),
            self.f.grams => format!("{title}\n{body}"),
        );
        for t in &d.audience.terms {
            document.add_text(self.f.audience, t);
        }
        for (name, value) in &d.filters {
            if let Some((_, field)) = self.f.filters.iter().find(|(n, _)| n == name) {
                document.add_text(*field, value.to_lowercase());
            }
        }
        document.add_i64(self.f.date, d.date);
        w.add_document(document)?;
        Ok(())
    }

    pub fn delete(&self, key: &str) -> Result<(), SearchError> {
        let w = self.writer.lock().map_err(|_| SearchError::Directory("writer lock poisoned".into()))?;
        w.delete_term(Term::from_field_text(self.f.key, key));
        Ok(())
    }

    pub fn commit(&self) -> Result<(), SearchError> {
        self.commit_at(None)
    }

    /// Commits, recording the last change-log sequence the index holds
    /// (with the documents, in one commit: a crash loses both or neither).
    pub fn commit_at(&self, seq: Option<i64>) -> Result<(), SearchError> {
        let mut w = self.writer.lock().map_err(|_| SearchError::Directory("writer lock poisoned".into()))?;
        let mut prepared = w.prepare_commit()?;
        if let Some(seq) = seq {
            prepared.set_payload(&format!("seq={seq}"));
        }
        prepared.commit()?;
        drop(w);
        self.reader.reload()?;
        Ok(())
    }

    /// The change-log sequence of the last commit (0 for a new index).
    pub fn indexed_seq(&self) -> Result<i64, SearchError> {
        let metas = self.index.load_metas()?;
        Ok(metas.payload.as_deref().and_then(|p| p.strip_prefix("seq=")).and_then(|n| n.parse().ok()).unwrap_or(0))
    }

    /// How many documents the index holds.
    pub fn len(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Removes every document (before a rebuild).
    pub fn clear(&self) -> Result<(), SearchError> {
        let w = self.writer.lock().map_err(|_| SearchError::Directory("writer lock poisoned".into()))?;
        w.delete_all_documents()?;
        drop(w);
        self.commit_at(Some(0))
    }

    /// The policy's view of the user as a filter inside the query: one of
    /// the audience terms that are theirs.
    fn permission_filter(&self, viewer: &Viewer) -> Box<dyn Query> {
        Box::new(self.audiences.filter(self.f.audience, &viewer.terms))
    }

    /// Searches what `viewer` may see: the words, phrases ("..."), AND, OR,
    /// NOT, prefix* and `field:value` filters of the query parser, with the
    /// policy's filter added inside. An empty permission set finds nothing.
    pub fn search(&self, query: &str, viewer: &Viewer, limit: usize) -> Result<Results, SearchError> {
        self.search_page(query, viewer, limit, 0, Order::Relevance)
    }

    /// The user's query with the policy's filter inside, or `None` when
    /// nothing can match (no query, or a user who may see nothing).
    fn query_for(&self, query: &str, viewer: &Viewer) -> Result<Option<BooleanQuery>, SearchError> {
        if viewer.terms.is_empty() || query.trim().is_empty() {
            return Ok(None);
        }
        let mut parser = QueryParser::new(
            self.index.schema(),
            vec![self.f.title, self.f.words, self.f.syllables, self.f.grams],
            self.query_tokenizers.clone(),
        );
        parser.set_conjunction_by_default();
        // Filters are typed in any case; values are stored in lower case.
        let query = lower_filter_values(&only_documented_filters(&analysis::normalize(query))?);
        let user_query = parser.parse_query(&query).map_err(|e| SearchError::Query(e.to_string()))?;
        Ok(Some(BooleanQuery::new(vec![(Occur::Must, user_query), (Occur::Must, self.permission_filter(viewer))])))
    }

    /// The lean search: the total and the keys of the `limit` best
    /// documents, without snippets or facets (the benchmark's unit of work,
    /// the same as it asks of SQLite FTS5 and PostgreSQL).
    pub fn top_keys(&self, query: &str, viewer: &Viewer, limit: usize) -> Result<(usize, Vec<String>), SearchError> {
        let Some(full) = self.query_for(query, viewer)? else { return Ok((0, vec![])) };
        let searcher = self.reader.searcher();
        let (top, total) = searcher.search(&full, &(TopDocs::with_limit(limit.max(1)).order_by_score(), Count))?;
        let keys = top.into_iter().map(|(_, a)| self.key_of(&searcher, a)).collect::<Result<_, _>>()?;
        Ok((total, keys))
    }

    /// The keys of every document that matches (for recall measurements).
    pub fn matching_keys(&self, query: &str, viewer: &Viewer) -> Result<Vec<String>, SearchError> {
        let Some(full) = self.query_for(query, viewer)? else { return Ok(vec![]) };
        let searcher = self.reader.searcher();
        let all = searcher.search(&full, &tantivy::collector::DocSetCollector)?;
        all.into_iter().map(|a| self.key_of(&searcher, a)).collect()
    }

    fn key_of(&self, searcher: &tantivy::Searcher, address: tantivy::DocAddress) -> Result<String, SearchError> {
        let d: TantivyDocument = searcher.doc(address)?;
        Ok(d.get_first(self.f.key).and_then(|v| v.as_str()).unwrap_or_default().to_string())
    }

    pub fn search_page(
        &self,
        query: &str,
        viewer: &Viewer,
        limit: usize,
        offset: usize,
        order: Order,
    ) -> Result<Results, SearchError> {
        let Some(full) = self.query_for(query, viewer)? else { return Ok(Results::default()) };
        let searcher = self.reader.searcher();
        let limit = limit.clamp(1, 1000);
        let facets = FacetCounts;
        let (addresses, total, mut counts): (Vec<tantivy::DocAddress>, usize, FacetValues) = match order {
            Order::Relevance => {
                let collector = TopDocs::with_limit(limit).and_offset(offset).order_by_score();
                let (top, total, counts) = searcher.search(&full, &(collector, Count, facets))?;
                (top.into_iter().map(|(_, a)| a).collect(), total, counts)
            }
            Order::Newest => {
                let collector = TopDocs::with_limit(limit)
                    .and_offset(offset)
                    .order_by_fast_field::<i64>("date", tantivy::Order::Desc);
                let (top, total, counts) = searcher.search(&full, &(collector, Count, facets))?;
                (top.into_iter().map(|(_, a)| a).collect(), total, counts)
            }
        };
        let mut hits = vec![];
        if !addresses.is_empty() {
            let snippets = tantivy::snippet::SnippetGenerator::create(&searcher, &full, self.f.words)?;
            for address in addresses {
                let d: TantivyDocument = searcher.doc(address)?;
                let text = |f: Field| d.get_first(f).and_then(|v| v.as_str()).unwrap_or_default().to_string();
                hits.push(Hit {
                    key: text(self.f.key),
                    kind: text(self.f.kind),
                    title: text(self.f.title),
                    // Only a fragment that shows what matched: when the
                    // words matched elsewhere (the title, a Khmer syllable
                    // run), the first lines of the text would be unrelated.
                    snippet: {
                        let s = snippets.snippet_from_doc(&d);
                        if s.highlighted().is_empty() {
                            String::new()
                        } else {
                            s.to_html()
                        }
                    },
                });
            }
        }
        let by_kind = counts.remove(0);
        let kinds = crate::sources::kinds().filter_map(|k| by_kind.get(k).map(|n| (k.to_string(), *n))).collect();
        let facets = FILTER_FIELDS[1..]
            .iter()
            .zip(counts)
            .filter(|(_, values)| !values.is_empty())
            .map(|(field, values)| {
                let mut values: Vec<(String, usize)> = values.into_iter().collect();
                values.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
                Facet { field: field.to_string(), values }
            })
            .collect();
        Ok(Results { total, hits, kinds, facets })
    }
}

/// The query with only the documented `field:value` filters left as
/// filters: any other `name:` (the index's own fields such as `audience:`,
/// `key:`, `module:`, `title:`, or anything else) becomes plain words, and a
/// lone `*` is dropped. A filter whose value is a wildcard or a range is
/// refused (tantivy would scan or fail on it; issue 14).
fn only_documented_filters(query: &str) -> Result<String, SearchError> {
    let mut out = String::with_capacity(query.len());
    let mut in_quotes = false;
    let chars: Vec<char> = query.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        match c {
            '"' => {
                in_quotes = !in_quotes;
                out.push(c);
            }
            ':' if !in_quotes => {
                let name: String = out
                    .chars()
                    .rev()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect::<Vec<_>>()
                    .into_iter()
                    .rev()
                    .collect();
                if FILTER_FIELDS.contains(&name.to_lowercase().as_str()) {
                    let value = chars.get(i + 1).copied().unwrap_or(' ');
                    // A quoted value (`theme:"human rights defenders"`, as the
                    // facet links write it) is a value; a wildcard or range is not.
                    if matches!(value, '*' | '[' | '{' | ' ' | '(')
                        || !chars[i + 1..].iter().any(|c| !c.is_whitespace())
                    {
                        return Err(SearchError::Query(format!("{name}: takes a value")));
                    }
                    out.push(':');
                } else {
                    out.push(' ');
                }
            }
            '*' if !in_quotes && !out.chars().last().is_some_and(|p| p.is_alphanumeric()) => out.push(' '),
            _ => out.push(c),
        }
    }
    Ok(out)
}

/// For each filter field (`type` first), the count of matching documents
/// per value.
type FacetValues = Vec<HashMap<String, usize>>;

/// Counts the values of the filter fields among the matching documents, in
/// the same pass as the top documents and the total: per segment by term
/// ordinal in the field's column, turned into strings once at the end.
struct FacetCounts;

struct SegmentFacetCounts {
    columns: Vec<Option<StrColumn>>,
    counts: Vec<Vec<u32>>,
}

impl Collector for FacetCounts {
    type Fruit = FacetValues;
    type Child = SegmentFacetCounts;

    fn for_segment(&self, _: SegmentOrdinal, segment: &SegmentReader) -> tantivy::Result<SegmentFacetCounts> {
        let columns =
            FILTER_FIELDS.iter().map(|f| segment.fast_fields().str(f)).collect::<tantivy::Result<Vec<_>>>()?;
        let counts = columns.iter().map(|c| vec![0; c.as_ref().map_or(0, |c| c.num_terms())]).collect();
        Ok(SegmentFacetCounts { columns, counts })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, segments: Vec<FacetValues>) -> tantivy::Result<FacetValues> {
        let mut merged: FacetValues = vec![HashMap::new(); FILTER_FIELDS.len()];
        for segment in segments {
            for (into, from) in merged.iter_mut().zip(segment) {
                for (value, n) in from {
                    *into.entry(value).or_default() += n;
                }
            }
        }
        Ok(merged)
    }
}

impl SegmentCollector for SegmentFacetCounts {
    type Fruit = FacetValues;

    fn collect(&mut self, doc: DocId, _: Score) {
        for (column, counts) in self.columns.iter().zip(self.counts.iter_mut()) {
            if let Some(column) = column {
                for ord in column.term_ords(doc) {
                    counts[ord as usize] += 1;
                }
            }
        }
    }

    fn harvest(self) -> FacetValues {
        self.columns
            .iter()
            .zip(self.counts)
            .map(|(column, counts)| {
                let mut values = HashMap::new();
                let Some(column) = column else { return values };
                for (ord, n) in counts.into_iter().enumerate().filter(|(_, n)| *n > 0) {
                    let mut value = String::new();
                    if column.ord_to_str(ord as u64, &mut value).unwrap_or(false) {
                        values.insert(value, n as usize);
                    }
                }
                values
            })
            .collect()
    }
}

/// `Status:Verified` becomes `status:verified`, so filters match the stored
/// lower-case values whatever the typing.
fn lower_filter_values(query: &str) -> String {
    query
        .split(' ')
        .map(|part| match part.split_once(':') {
            Some((field, value)) if FILTER_FIELDS.contains(&field.to_lowercase().as_str()) => {
                format!("{}:{}", field.to_lowercase(), value.to_lowercase())
            }
            _ => part.to_string(),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn case(key: &str, body: &str, audience: &[&str]) -> SearchDocument {
        SearchDocument {
            key: key.into(),
            module: "monitoring".into(),
            kind: "case".into(),
            title: format!("Case {key}"),
            body: body.into(),
            audience: Audience { terms: audience.iter().map(|s| format!("monitoring:{s}")).collect() },
            filters: vec![("status", "Received".into()), ("year", "2026".into())],
            date: key.len() as i64,
        }
    }

    fn viewer(terms: &[&str]) -> Viewer {
        Viewer { terms: terms.iter().map(|s| format!("monitoring:{s}")).collect() }
    }

    #[test]
    fn khmer_words_inside_compounds_and_english_stems_are_found() {
        let ix = SearchIndex::open(None).unwrap();
        ix.upsert(&case("case:1", "ការរំលោភសិទ្ធិមនុស្សនៅខេត្តបាត់ដំបង", &["all"])).unwrap();
        ix.upsert(&case("case:2", "Villagers were evicted from their land in 2026", &["all"])).unwrap();
        ix.commit().unwrap();
        let all = viewer(&["all"]);
        let keys = |q: &str| ix.search(q, &all, 10).unwrap().hits.into_iter().map(|h| h.key).collect::<Vec<_>>();
        assert_eq!(keys("មនុស្ស"), ["case:1"], "a word inside a compound");
        assert_eq!(keys("មនុ\u{200B}ស្ស"), ["case:1"], "typed with a zero-width space");
        assert_eq!(keys("evict"), ["case:2"], "English stemming");
        assert_eq!(keys("២០២៦"), ["case:2"], "Khmer digits");
        assert!(keys("ក្រុង").is_empty());
    }

    #[test]
    fn an_exact_word_ranks_above_the_same_letters_inside_a_compound() {
        let ix = SearchIndex::open(None).unwrap();
        ix.upsert(&case("case:1", "ជំនួយមនុស្សធម៌ពីអង្គការ", &["all"])).unwrap();
        ix.upsert(&case("case:2", "ជំនួយមនុស្ស ពីអង្គការ", &["all"])).unwrap();
        ix.commit().unwrap();
        let words: Vec<String> = analysis::words("ជំនួយមនុស្សធម៌ពីអង្គការ").into_iter().map(|t| t.text).collect();
        assert!(!words.contains(&"មនុស្ស".to_string()), "the compound stays whole: {words:?}");
        let hits = ix.search("មនុស្ស", &viewer(&["all"]), 10).unwrap().hits;
        assert_eq!(hits.iter().map(|h| h.key.as_str()).collect::<Vec<_>>(), ["case:2", "case:1"]);
    }

    #[test]
    fn a_snippet_shows_what_matched_or_nothing() {
        let ix = SearchIndex::open(None).unwrap();
        let mut d = case("case:1", "ការប្រជុំជាមួយអាជ្ញាធរខេត្ត\nA later paragraph about the eviction of families.", &["all"]);
        d.title = "Eviction in Sangkae".into();
        ix.upsert(&d).unwrap();
        ix.upsert(&case("case:2", "ការប្រជុំជាមួយអាជ្ញាធរខេត្ត", &["all"])).unwrap();
        ix.commit().unwrap();
        let hits = ix.search("eviction", &viewer(&["all"]), 10).unwrap().hits;
        assert_eq!(hits.len(), 1);
        assert!(hits[0].snippet.contains("<b>eviction</b>"), "the matching line: {}", hits[0].snippet);
        // Matched in the title only ("Case case:2"): no fragment of the text.
        let hits = ix.search("case", &viewer(&["all"]), 10).unwrap().hits;
        assert!(hits.iter().all(|h| h.snippet.is_empty()), "{:?}", hits.iter().map(|h| &h.snippet).collect::<Vec<_>>());
    }

    #[test]
    fn restricted_words_are_not_found_counted_or_shown_to_outsiders() {
        let ix = SearchIndex::open(None).unwrap();
        ix.upsert(&case("case:1", "Zephyrine witness threatened near the border", &["user:7", "office:1"])).unwrap();
        ix.upsert(&case("case:2", "Public meeting near the border", &["all"])).unwrap();
        ix.commit().unwrap();
        let outsider = viewer(&["all", "user:8"]);
        let r = ix.search("zephyrine", &outsider, 10).unwrap();
        assert_eq!((r.total, r.hits.len()), (0, 0));
        let r = ix.search("border", &outsider, 10).unwrap();
        assert_eq!(r.total, 1, "the restricted case is not counted");
        assert_eq!(r.kinds, [("case".to_string(), 1)]);
        let status = r.facets.iter().find(|f| f.field == "status").unwrap();
        assert_eq!(status.values, [("received".to_string(), 1)], "nor in a facet");
        assert!(r.hits.iter().all(|h| !h.snippet.to_lowercase().contains("zephyrine")));
        let member = viewer(&["all", "user:7"]);
        let r = ix.search("zephyrine", &member, 10).unwrap();
        assert_eq!(r.hits[0].key, "case:1");
        assert!(r.hits[0].snippet.contains("<b>Zephyrine</b>"), "{}", r.hits[0].snippet);
        let head = viewer(&["all", "office:1"]);
        assert_eq!(ix.search("zephyrine", &head, 10).unwrap().total, 1);
        // Another module's "all", or no term: nothing at all.
        assert_eq!(ix.search("border", &Viewer { terms: vec!["mechanisms:all".into()] }, 10).unwrap().total, 0);
        assert_eq!(ix.search("border", &Viewer::default(), 10).unwrap().total, 0);
        // Replaced and deleted documents go away.
        ix.upsert(&case("case:2", "Meeting moved", &["all"])).unwrap();
        ix.delete("case:1").unwrap();
        ix.commit().unwrap();
        assert_eq!(ix.search("border", &member, 10).unwrap().total, 0);
    }

    #[test]
    fn filters_kinds_order_and_pages() {
        let ix = SearchIndex::open(None).unwrap();
        for i in 1..=12 {
            let mut d = case(&format!("case:{i}"), "land dispute in the province", &["all"]);
            d.date = i;
            if i % 2 == 0 {
                d.filters = vec![("status", "verified".into())];
            }
            ix.upsert(&d).unwrap();
        }
        ix.commit().unwrap();
        let v = viewer(&["all"]);
        assert_eq!(ix.search("land Status:Verified", &v, 50).unwrap().total, 6);
        assert_eq!(ix.search("land type:case", &v, 50).unwrap().kinds, [("case".to_string(), 12)]);
        let facets = ix.search("land", &v, 1).unwrap().facets;
        let values = |field: &str| facets.iter().find(|f| f.field == field).map(|f| f.values.clone());
        assert_eq!(values("status").unwrap(), [("received".to_string(), 6), ("verified".to_string(), 6)]);
        assert_eq!(values("year").unwrap(), [("2026".to_string(), 6)], "cases without a year are not counted");
        assert_eq!(values("province"), None, "a field without values is left out");
        let narrowed = ix.search("land status:verified", &v, 1).unwrap().facets;
        assert_eq!(narrowed.iter().find(|f| f.field == "status").unwrap().values, [("verified".to_string(), 6)]);
        let newest = ix.search_page("land", &v, 5, 0, Order::Newest).unwrap();
        assert_eq!(
            newest.hits.iter().map(|h| h.key.as_str()).collect::<Vec<_>>(),
            ["case:12", "case:11", "case:10", "case:9", "case:8"]
        );
        let next = ix.search_page("land", &v, 5, 5, Order::Newest).unwrap();
        assert_eq!(next.hits[0].key, "case:7");
        assert!(matches!(ix.search("land AND (", &v, 5), Err(SearchError::Query(_))));
    }

    #[test]
    fn only_the_documented_filters_parse() {
        let ix = SearchIndex::open(None).unwrap();
        let mut d = case("case:1", "land eviction", &["all"]);
        d.filters = vec![("status", "received".into())];
        ix.upsert(&d).unwrap();
        ix.upsert(&case("case:2", "secret", &["team"])).unwrap();
        ix.commit().unwrap();
        let all = viewer(&["all"]);
        // Internal fields are words, not filters: they neither widen what is
        // seen nor fail inside the index (at worst the query is refused).
        for q in ["title:*", "*", "audience:team", "key:case:2", "module:monitoring", "date:[0 TO 9]", "words:secret"] {
            let r = ix.search(q, &all, 10);
            assert!(matches!(r, Ok(_) | Err(SearchError::Query(_))), "{q}: {r:?}");
            assert!(!ix.matching_keys(q, &all).unwrap_or_default().contains(&"case:2".to_string()), "{q}");
        }
        assert!(ix.search("title:*", &all, 10).is_ok() && ix.search("audience:team", &all, 10).is_ok());
        // Were `key:` a filter, this would find case:1; as words it finds nothing.
        assert!(ix.matching_keys("key:case:1", &all).unwrap().is_empty());
        assert!(ix.matching_keys("module:monitoring", &all).unwrap().is_empty());
        // A quoted filter value, as the facet links write it.
        let mut d = case("case:3", "defenders met", &["all"]);
        d.filters = vec![("theme", "human rights defenders".into())];
        ix.upsert(&d).unwrap();
        ix.commit().unwrap();
        assert_eq!(ix.matching_keys("defenders theme:\"Human rights defenders\"", &all).unwrap(), ["case:3"]);
        assert_eq!(ix.matching_keys("land status:received", &all).unwrap(), ["case:1"]);
        assert_eq!(ix.matching_keys("land STATUS:Received", &all).unwrap(), ["case:1"]);
        assert_eq!(ix.matching_keys("\"land eviction\"", &all).unwrap(), ["case:1"]);
        assert_eq!(ix.matching_keys("evict*", &all).unwrap(), ["case:1"], "a prefix still works");
        for q in ["status:*", "status:[a TO z]", "land status:", "year:{2020 TO 2030}"] {
            assert!(matches!(ix.search(q, &all, 10), Err(SearchError::Query(_))), "{q}");
        }
    }

    #[test]
    fn the_index_survives_a_reopen() {
        let dir = std::env::temp_dir().join(format!("rd-index-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        {
            let ix = SearchIndex::open(Some(&dir)).unwrap();
            ix.upsert(&case("case:1", "សេរីភាពនៃការបញ្ចេញមតិ", &["all"])).unwrap();
            ix.commit().unwrap();
        }
        let ix = SearchIndex::open(Some(&dir)).unwrap();
        assert_eq!(ix.search("សេរីភាព", &viewer(&["all"]), 10).unwrap().total, 1);
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// One document per paragraph: through the index, every paragraph whose
    /// normalized text contains a query word (alone or inside a compound,
    /// one to five syllables) is found, whatever code-point spelling the
    /// query uses, and nothing else; the English articles are found by stem.
    fn found_word_by_word_in_both_languages(text: &str) {
        let paragraphs: Vec<&str> = text
            .lines()
            .filter(|l| !l.starts_with('#') && l.chars().any(|c| ('\u{1780}'..='\u{17B3}').contains(&c)))
            .collect();
        let ix = SearchIndex::open(None).unwrap();
        for (i, p) in paragraphs.iter().enumerate() {
            ix.upsert(&case(&format!("p:{i}"), p, &["all"])).unwrap();
        }
        ix.upsert(&case("en:18", "Everyone has the right to freedom of thought, conscience and religion", &["all"]))
            .unwrap();
        ix.commit().unwrap();
        let all = viewer(&["all"]);
        let plain = |s: &str| analysis::normalize(s).replace(char::is_whitespace, "");
        for q in ["ដី", "មនុស្ស", "សិទ្ធិ", "សេរីភាព", "អប់រំ", "ច្បាប់", "គ្រួសារ", "ការងារ", "សាសនា", "សញ្ជាតិ", "សេចក្តី", "អនុវត្ត"]
        {
            let expected: std::collections::BTreeSet<String> = (0..paragraphs.len())
                .filter(|i| plain(paragraphs[*i]).contains(&plain(q)))
                .map(|i| format!("p:{i}"))
                .collect();
            assert!(!expected.is_empty(), "{q} is in the text");
            let mid = q.char_indices().nth(2).map(|(i, _)| i).unwrap_or(q.len());
            let zwsp = format!("{}\u{200B}{}", &q[..mid], &q[mid..]);
            // Subscript TA typed as subscript DA, and the other way round.
            let subscript = if q.contains("\u{17D2}\u{178F}") {
                q.replace("\u{17D2}\u{178F}", "\u{17D2}\u{178A}")
            } else {
                q.replace("\u{17D2}\u{178A}", "\u{17D2}\u{178F}")
            };
            for query in [q.to_string(), zwsp, subscript] {
                let found: std::collections::BTreeSet<String> =
                    ix.matching_keys(&query, &all).unwrap().into_iter().collect();
                assert_eq!(found, expected, "{query:?}");
            }
        }
        assert_eq!(ix.matching_keys("religions", &all).unwrap(), ["en:18"]);
        assert_eq!(ix.matching_keys("\"freedom of thought\"", &all).unwrap(), ["en:18"]);
    }

    /// The project's own Khmer test text (testdata/khmer/).
    #[test]
    fn the_test_text_is_found_word_by_word_in_both_languages() {
        let text = std::fs::read_to_string(rightsdesk_testdata::repo("khmer/rights_text_km.txt")).unwrap();
        found_word_by_word_in_both_languages(&text);
    }

    /// The Khmer Universal Declaration, when the outside test data has it
    /// (RIGHTSDESK_TEST_DATA; not redistributable, so optional).
    #[test]
    fn the_udhr_is_found_word_by_word_in_both_languages() {
        let Some(path) = rightsdesk_testdata::outside_optional("khmer/udhr_khm.txt") else { return };
        found_word_by_word_in_both_languages(&std::fs::read_to_string(path).unwrap());
    }

    #[test]
    fn an_index_with_other_fields_is_emptied_for_a_rebuild() {
        let dir = std::env::temp_dir().join(format!("rd-index-old-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        {
            // An earlier release's index: other fields.
            let mut b = Schema::builder();
            let key = b.add_text_field("key", STRING | STORED);
            let old = Index::create_in_dir(&dir, b.build()).unwrap();
            let mut w: IndexWriter = old.writer(15_000_000).unwrap();
            w.add_document(doc!(key => "case:1")).unwrap();
            w.commit().unwrap();
        }
        let ix = SearchIndex::open(Some(&dir)).unwrap();
        assert!(ix.is_empty());
        assert_eq!(ix.indexed_seq().unwrap(), 0, "the indexer starts again from the beginning");
        ix.upsert(&case("case:2", "land", &["all"])).unwrap();
        ix.commit().unwrap();
        assert_eq!(ix.search("land", &viewer(&["all"]), 10).unwrap().total, 1);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
