//! Search benchmark (issue 5): rightsdesk's tantivy index side by side with
//! SQLite FTS5 and PostgreSQL full-text search (GIN on tsvector), on the same
//! documents, the same queries and the same user, in one run.
//!
//! The documents are what `rightsdesk reindex` would index, read from a
//! rightsdesk data directory (see bench/search.py, which makes one). The
//! peers are given the app's analysis of every document (normalized Khmer,
//! ICU words, Khmer syllables, folded Latin words) as space-separated tokens,
//! and each is configured as well as it can be: FTS5 with the porter stemmer
//! over unicode61 with combining marks as token characters, PostgreSQL with
//! the `english` configuration for words and `simple` for syllables, a
//! weighted title and a GIN index. Each engine answers the same unit of
//! work: the ten best documents by relevance and the total, for a user who
//! may not see restricted cases (the permission filter inside the query).

use anyhow::{bail, Result};
use clap::Parser;
use rightsdesk_search::{analysis, indexer, Order, SearchDocument, SearchIndex, Viewer};
use sqlx::{Connection, Row};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

#[derive(Parser)]
#[command(about = "rightsdesk search vs SQLite FTS5 vs PostgreSQL tsvector/GIN")]
struct Args {
    /// A rightsdesk data directory (SQLite) holding the corpus.
    #[arg(long)]
    data_dir: PathBuf,
    /// Where the engines' indexes are built (emptied first).
    #[arg(long)]
    work_dir: PathBuf,
    /// PostgreSQL for the tsvector peer (a table `bench_search` is made and dropped).
    #[arg(long)]
    postgres: Option<String>,
    /// Leave SQLite FTS5 out (with no --postgres: rightsdesk alone, to iterate quickly).
    #[arg(long)]
    no_fts5: bool,
    /// Seconds of queries per engine and thread count.
    #[arg(long, default_value_t = 6.0)]
    seconds: f64,
    /// Thread counts to measure.
    #[arg(long, default_value = "1,2", value_delimiter = ',')]
    threads: Vec<usize>,
}

/// The fixed query set: (class, query in rightsdesk's syntax).
const QUERIES: &[(&str, &str)] = &[
    ("en 1 word", "torture"),
    ("en 1 word", "journalist"),
    ("en 1 word", "education"),
    ("en 1 word", "eviction"),
    ("en 1 word", "Zimbabwe"),
    ("en 2 words", "land dispute"),
    ("en 2 words", "police custody"),
    ("en 2 words", "women rights"),
    ("en 2 words", "birth registration"),
    ("en phrase", "\"freedom of expression\""),
    ("en phrase", "\"human rights defenders\""),
    ("en phrase", "\"national preventive mechanism\""),
    ("en phrase", "\"without notice\""),
    ("km 1 word", "ដីធ្លី"),
    ("km 1 word", "ឃុំខ្លួន"),
    ("km 1 word", "មនុស្ស"),
    ("km 1 word", "ទូរស័ព្ទ"),
    ("km 1 word", "សហគមន៍"),
    ("km 2 words", "ចាប់ខ្លួន យប់"),
    ("km 2 words", "ទូរស័ព្ទ គំរាមកំហែង"),
    ("km 2 words", "សន្តិវិធី មនុស្ស"),
    ("km phrase", "\"ការជូនដំណឹង\""),
    ("km phrase", "\"កិច្ចប្រជុំសហគមន៍\""),
    ("km phrase", "\"វិវាទ ដីធ្លី\""),
];

/// Khmer queries for recall, with other code-point spellings of the same
/// words (zero-width space, non-joiner, subscript DA for TA).
const RECALL_QUERIES: &[&str] = &[
    "ដីធ្លី",
    "ដី\u{200B}ធ្លី",
    "ឃុំខ្លួន",
    "មនុស្ស",
    "មនុ\u{200C}ស្ស",
    "ទូរស័ព្ទ",
    "សហគមន៍",
    "បណ្តេញ",
    "បណ្ដេញ",
    "ចាប់ខ្លួន យប់",
    "ទូរស័ព្ទ គំរាមកំហែង",
    "សន្តិវិធី មនុស្ស",
    "\"ការជូនដំណឹង\"",
    "\"កិច្ចប្រជុំសហគមន៍\"",
    "\"វិវាទ ដីធ្លី\"",
];

/// The user the queries run as: an officer on no restricted case, so the
/// restricted tenth of the cases must be filtered out.
fn viewer() -> Viewer {
    Viewer {
        terms: ["mechanisms:all", "monitoring:all", "monitoring:user:999999", "organisations:all", "reference:all"]
            .map(String::from)
            .to_vec(),
    }
}

/// A document as the peers get it: the app's tokens, space-separated.
struct Analysed {
    key: String,
    audience: Vec<String>,
    title_words: String,
    words: String,
    syllables: String,
}

fn joined(tokens: Vec<analysis::Token>) -> String {
    tokens.into_iter().map(|t| t.text).collect::<Vec<_>>().join(" ")
}

fn analyse(d: &SearchDocument) -> Analysed {
    Analysed {
        key: d.key.clone(),
        audience: d.audience.terms.clone(),
        title_words: joined(analysis::words(&d.title)),
        words: joined(analysis::words(&d.body)),
        syllables: joined(analysis::syllables(&format!("{}\n{}", d.title, d.body))),
    }
}

/// A query cut into units (a word, or a "quoted phrase"), each analysed
/// like the documents.
struct Unit {
    words: String,
    syllables: String,
}

fn units(query: &str) -> Vec<Unit> {
    let mut out = vec![];
    for (i, part) in query.split('"').enumerate() {
        let pieces: Vec<&str> = if i % 2 == 1 { vec![part] } else { part.split_whitespace().collect() };
        for p in pieces.into_iter().filter(|p| !p.trim().is_empty()) {
            out.push(Unit { words: joined(analysis::words(p)), syllables: joined(analysis::syllables(p)) });
        }
    }
    out
}

/// Audience terms as FTS5 tokens (letters and digits only).
fn fts_token(term: &str) -> String {
    term.chars().filter(|c| c.is_ascii_alphanumeric()).collect()
}

fn fts_phrase(tokens: &str) -> String {
    format!("\"{}\"", tokens.replace('"', "\"\""))
}

/// The FTS5 MATCH expression of a query for the viewer.
fn fts_query(query: &str, viewer: &Viewer) -> String {
    let mut parts: Vec<String> = units(query)
        .iter()
        .map(|u| {
            format!("({{title_words words}} : {} OR syllables : {})", fts_phrase(&u.words), fts_phrase(&u.syllables))
        })
        .collect();
    let audience: Vec<String> = viewer.terms.iter().map(|t| fts_token(t)).collect();
    parts.push(format!("audience : ({})", audience.join(" OR ")));
    parts.join(" AND ")
}

/// The PostgreSQL tsquery expression of a query (SQL, with the tokens as literals).
fn pg_query_sql(query: &str) -> String {
    let lit = |s: &str| format!("'{}'", s.replace('\'', "''"));
    units(query)
        .iter()
        .map(|u| {
            format!(
                "(phraseto_tsquery('english', {}) || phraseto_tsquery('simple', {}))",
                lit(&u.words),
                lit(&u.syllables)
            )
        })
        .collect::<Vec<_>>()
        .join(" && ")
}

/// One engine, answering from one thread at a time.
trait Worker {
    /// The ten best keys' query: returns the total.
    fn top(&mut self, query: usize) -> Result<usize>;
    /// Every matching key (for recall).
    fn all(&mut self, query: &str) -> Result<HashSet<String>>;
}

struct Tantivy<'a> {
    index: &'a SearchIndex,
    viewer: Viewer,
    /// The full search page instead of the lean unit of work.
    page: bool,
}

impl Worker for Tantivy<'_> {
    fn top(&mut self, q: usize) -> Result<usize> {
        if self.page {
            Ok(self.index.search_page(QUERIES[q].1, &self.viewer, 20, 0, Order::Relevance)?.total)
        } else {
            Ok(self.index.top_keys(QUERIES[q].1, &self.viewer, 10)?.0)
        }
    }
    fn all(&mut self, query: &str) -> Result<HashSet<String>> {
        Ok(self.index.matching_keys(query, &self.viewer)?.into_iter().collect())
    }
}

struct Fts5 {
    rt: tokio::runtime::Runtime,
    conn: sqlx::SqliteConnection,
    queries: Vec<String>,
}

impl Fts5 {
    fn open(path: &Path, viewer: &Viewer) -> Result<Self> {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
        let conn = rt.block_on(sqlx::SqliteConnection::connect(&format!("sqlite://{}?mode=ro", path.display())))?;
        Ok(Fts5 { rt, conn, queries: QUERIES.iter().map(|(_, q)| fts_query(q, viewer)).collect() })
    }
}

impl Worker for Fts5 {
    fn top(&mut self, q: usize) -> Result<usize> {
        let expr = &self.queries[q];
        let conn = &mut self.conn;
        self.rt.block_on(async {
            let top = sqlx::query("SELECT key FROM fts WHERE fts MATCH ?1 ORDER BY rank LIMIT 10")
                .bind(expr)
                .fetch_all(&mut *conn)
                .await?;
            let total: i64 = sqlx::query_scalar("SELECT count(*) FROM fts WHERE fts MATCH ?1")
                .bind(expr)
                .fetch_one(&mut *conn)
                .await?;
            anyhow::ensure!(top.len() <= 10);
            Ok(total as usize)
        })
    }
    fn all(&mut self, query: &str) -> Result<HashSet<String>> {
        let expr = fts_query(query, &viewer());
        let conn = &mut self.conn;
        self.rt.block_on(async {
            let rows = sqlx::query("SELECT key FROM fts WHERE fts MATCH ?1").bind(&expr).fetch_all(&mut *conn).await?;
            Ok(rows.iter().map(|r| r.get::<String, _>(0)).collect())
        })
    }
}

struct Postgres {
    rt: tokio::runtime::Runtime,
    conn: sqlx::PgConnection,
    /// Each query's tsquery, as text.
    queries: Vec<String>,
    audience: Vec<String>,
}

impl Postgres {
    fn open(url: &str, viewer: &Viewer) -> Result<Self> {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
        let mut conn = rt.block_on(sqlx::PgConnection::connect(url))?;
        let mut queries = vec![];
        for (_, q) in QUERIES {
            queries.push(rt.block_on(pg_tsquery(&mut conn, q))?);
        }
        Ok(Postgres { rt, conn, queries, audience: viewer.terms.clone() })
    }
}

async fn pg_tsquery(conn: &mut sqlx::PgConnection, query: &str) -> Result<String> {
    Ok(sqlx::query_scalar::<_, String>(&format!("SELECT ({})::text", pg_query_sql(query))).fetch_one(conn).await?)
}

impl Worker for Postgres {
    fn top(&mut self, q: usize) -> Result<usize> {
        let (tsq, audience, conn) = (&self.queries[q], &self.audience, &mut self.conn);
        self.rt.block_on(async {
            sqlx::query(
                "SELECT key FROM bench_search WHERE tsv @@ $1::tsquery AND audience && $2 \
                 ORDER BY ts_rank(tsv, $1::tsquery) DESC LIMIT 10",
            )
            .bind(tsq)
            .bind(audience)
            .fetch_all(&mut *conn)
            .await?;
            let total: i64 =
                sqlx::query_scalar("SELECT count(*) FROM bench_search WHERE tsv @@ $1::tsquery AND audience && $2")
                    .bind(tsq)
                    .bind(audience)
                    .fetch_one(&mut *conn)
                    .await?;
            Ok(total as usize)
        })
    }
    fn all(&mut self, query: &str) -> Result<HashSet<String>> {
        let (audience, conn) = (&self.audience, &mut self.conn);
        self.rt.block_on(async {
            let tsq = pg_tsquery(conn, query).await?;
            let rows = sqlx::query("SELECT key FROM bench_search WHERE tsv @@ $1::tsquery AND audience && $2")
                .bind(&tsq)
                .bind(audience)
                .fetch_all(&mut *conn)
                .await?;
            Ok(rows.iter().map(|r| r.get::<String, _>(0)).collect())
        })
    }
}

fn dir_size(path: &Path) -> u64 {
    let Ok(entries) = std::fs::read_dir(path) else { return std::fs::metadata(path).map(|m| m.len()).unwrap_or(0) };
    entries.flatten().map(|e| dir_size(&e.path())).sum()
}

fn build_tantivy(docs: &[SearchDocument], dir: &Path) -> Result<(SearchIndex, Duration)> {
    let started = Instant::now();
    let index = SearchIndex::open(Some(dir))?;
    for d in docs {
        index.upsert(d)?;
    }
    index.commit()?;
    Ok((index, started.elapsed()))
}

fn build_fts5(docs: &[Analysed], path: &Path) -> Result<Duration> {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    let started = Instant::now();
    rt.block_on(async {
        let mut conn = sqlx::SqliteConnection::connect(&format!("sqlite://{}?mode=rwc", path.display())).await?;
        sqlx::query("PRAGMA journal_mode = WAL").execute(&mut conn).await?;
        sqlx::query("PRAGMA synchronous = NORMAL").execute(&mut conn).await?;
        sqlx::query(
            "CREATE VIRTUAL TABLE fts USING fts5(key UNINDEXED, title_words, words, syllables, audience, \
             tokenize = \"porter unicode61 remove_diacritics 2 categories 'L* N* Co M*'\")",
        )
        .execute(&mut conn)
        .await?;
        let mut tx = conn.begin().await?;
        for d in docs {
            let audience: Vec<String> = d.audience.iter().map(|t| fts_token(t)).collect();
            sqlx::query("INSERT INTO fts (key, title_words, words, syllables, audience) VALUES (?1, ?2, ?3, ?4, ?5)")
                .bind(&d.key)
                .bind(&d.title_words)
                .bind(&d.words)
                .bind(&d.syllables)
                .bind(audience.join(" "))
                .execute(&mut *tx)
                .await?;
        }
        sqlx::query("INSERT INTO fts (fts) VALUES ('optimize')").execute(&mut *tx).await?;
        tx.commit().await?;
        sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)").execute(&mut conn).await?;
        conn.close().await?;
        anyhow::Ok(())
    })?;
    Ok(started.elapsed())
}

/// A value in PostgreSQL's COPY text format.
fn copy_text(s: &str) -> String {
    s.replace('\\', "\\\\").replace('\t', "\\t").replace('\n', "\\n").replace('\r', "\\r")
}

fn build_postgres(docs: &[Analysed], url: &str) -> Result<(Duration, u64)> {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    let started = Instant::now();
    let size = rt.block_on(async {
        let mut conn = sqlx::PgConnection::connect(url).await?;
        sqlx::query("DROP TABLE IF EXISTS bench_search").execute(&mut conn).await?;
        sqlx::query(
            "CREATE TEMP TABLE bench_search_stage (id bigint, key text, audience text[], title_words text, \
             words text, syllables text)",
        )
        .execute(&mut conn)
        .await?;
        let mut copy = conn.copy_in_raw("COPY bench_search_stage FROM STDIN").await?;
        let mut buf = String::new();
        for (i, d) in docs.iter().enumerate() {
            let audience = format!("{{{}}}", d.audience.join(","));
            buf.push_str(&format!(
                "{i}\t{}\t{}\t{}\t{}\t{}\n",
                copy_text(&d.key),
                copy_text(&audience),
                copy_text(&d.title_words),
                copy_text(&d.words),
                copy_text(&d.syllables)
            ));
            if buf.len() > 1 << 20 {
                copy.send(std::mem::take(&mut buf).into_bytes()).await?;
            }
        }
        copy.send(buf.into_bytes()).await?;
        copy.finish().await?;
        sqlx::query(
            "CREATE TABLE bench_search AS SELECT id, key, audience, \
             setweight(to_tsvector('english', title_words), 'A') || to_tsvector('english', words) \
             || to_tsvector('simple', syllables) AS tsv FROM bench_search_stage",
        )
        .execute(&mut conn)
        .await?;
        sqlx::query("ALTER TABLE bench_search ADD PRIMARY KEY (id)").execute(&mut conn).await?;
        sqlx::query("CREATE INDEX bench_search_tsv ON bench_search USING gin (tsv)").execute(&mut conn).await?;
        sqlx::query("VACUUM ANALYZE bench_search").execute(&mut conn).await?;
        let size: i64 =
            sqlx::query_scalar("SELECT pg_total_relation_size('bench_search')").fetch_one(&mut conn).await?;
        anyhow::Ok(size as u64)
    })?;
    Ok((started.elapsed(), size))
}

/// Latencies of each query, from `threads` threads for `seconds`.
struct Run {
    /// (query index, latency)
    samples: Vec<(usize, Duration)>,
    wall: Duration,
}

fn measure<'a>(threads: usize, seconds: f64, make: &(dyn Fn() -> Result<Box<dyn Worker + 'a>> + Sync)) -> Result<Run> {
    let started = Instant::now();
    let mut samples = vec![];
    std::thread::scope(|s| -> Result<()> {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                s.spawn(move || -> Result<Vec<(usize, Duration)>> {
                    let mut w = make()?;
                    // One pass to warm caches, not counted.
                    for q in 0..QUERIES.len() {
                        w.top(q)?;
                    }
                    let deadline = Instant::now() + Duration::from_secs_f64(seconds);
                    let mut out = vec![];
                    let mut i = t * 7;
                    // At least two passes, however slow.
                    while Instant::now() < deadline || out.len() < 2 * QUERIES.len() {
                        let q = i % QUERIES.len();
                        let t0 = Instant::now();
                        w.top(q)?;
                        out.push((q, t0.elapsed()));
                        i += 1;
                    }
                    Ok(out)
                })
            })
            .collect();
        for h in handles {
            samples.extend(h.join().map_err(|_| anyhow::anyhow!("a benchmark thread panicked"))??);
        }
        Ok(())
    })?;
    Ok(Run { samples, wall: started.elapsed() })
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i].as_secs_f64() * 1000.0
}

fn classes() -> Vec<&'static str> {
    let mut c: Vec<&str> = QUERIES.iter().map(|(c, _)| *c).collect();
    c.dedup();
    c
}

fn mb(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / 1e6)
}

fn main() -> Result<()> {
    let args = Args::parse();
    let rt = tokio::runtime::Runtime::new()?;
    let db = args.data_dir.join("rightsdesk.db");
    if !db.exists() {
        bail!("no rightsdesk database at {}", db.display());
    }
    let _ = std::fs::remove_dir_all(&args.work_dir);
    std::fs::create_dir_all(&args.work_dir)?;

    eprintln!("reading documents from {}", db.display());
    let started = Instant::now();
    let docs = rt.block_on(async {
        let store = rightsdesk_store_sqlite::SqliteStore::open(&db).await?;
        anyhow::Ok(indexer::all_documents(&store).await?)
    })?;
    eprintln!("read {} documents in {:.1} s", docs.len(), started.elapsed().as_secs_f64());
    let cases = docs.iter().filter(|d| d.kind == "case").count();
    let recommendations = docs.iter().filter(|d| d.kind == "recommendation").count();
    println!(
        "## Search: {} documents ({cases} cases, {recommendations} recommendations, {} others)\n",
        docs.len(),
        docs.len() - cases - recommendations
    );

    eprintln!("analysing for the peers");
    let started = Instant::now();
    let peers = !args.no_fts5 || args.postgres.is_some();
    let analysed: Vec<Analysed> = if !peers {
        vec![]
    } else {
        let chunk = docs.len().div_ceil(2).max(1);
        std::thread::scope(|s| {
            let parts: Vec<_> =
                docs.chunks(chunk).map(|c| s.spawn(move || c.iter().map(analyse).collect::<Vec<_>>())).collect();
            parts.into_iter().flat_map(|h| h.join().unwrap_or_default()).collect()
        })
    };
    let analysis_time = started.elapsed();

    eprintln!("building rightsdesk (tantivy)");
    let tantivy_dir = args.work_dir.join("tantivy");
    let (index, tantivy_time) = build_tantivy(&docs, &tantivy_dir)?;
    let tantivy_size = dir_size(&tantivy_dir);
    let fts_path = args.work_dir.join("fts5.db");
    let fts = match args.no_fts5 {
        true => None,
        false => {
            eprintln!("building SQLite FTS5");
            let time = build_fts5(&analysed, &fts_path)?;
            Some((time, dir_size(&fts_path)))
        }
    };
    let pg = match &args.postgres {
        Some(url) => {
            eprintln!("building PostgreSQL tsvector/GIN");
            Some(build_postgres(&analysed, url)?)
        }
        None => None,
    };
    drop(analysed);

    println!(
        "Index build (the peers' times exclude the app's analysis they are given: {:.1} s on 2 threads)\n",
        analysis_time.as_secs_f64()
    );
    println!("| engine | build | size |\n|---|---:|---:|");
    println!(
        "| rightsdesk (tantivy, analysis included) | {:.1} s | {} |",
        tantivy_time.as_secs_f64(),
        mb(tantivy_size)
    );
    if let Some((t, size)) = fts {
        println!("| SQLite FTS5 | {:.1} s | {} |", t.as_secs_f64(), mb(size));
    }
    if let Some((t, size)) = pg {
        println!("| PostgreSQL tsvector + GIN | {:.1} s | {} |", t.as_secs_f64(), mb(size));
    }
    println!();

    let viewer = viewer();
    type Maker<'a> = Box<dyn Fn() -> Result<Box<dyn Worker + 'a>> + Sync + 'a>;
    let mut engines: Vec<(&str, Maker)> = vec![(
        "rightsdesk",
        Box::new(|| Ok(Box::new(Tantivy { index: &index, viewer: viewer.clone(), page: false }) as _)),
    )];
    if fts.is_some() {
        engines.push(("SQLite FTS5", Box::new(|| Ok(Box::new(Fts5::open(&fts_path, &viewer)?) as _))));
    }
    if let Some(url) = &args.postgres {
        let viewer = &viewer;
        engines.push(("PostgreSQL", Box::new(move || Ok(Box::new(Postgres::open(url, viewer)?) as _))));
    }
    engines.push((
        "rightsdesk search page (top 20, snippets, facets)",
        Box::new(|| Ok(Box::new(Tantivy { index: &index, viewer: viewer.clone(), page: true }) as _)),
    ));

    // Totals per query, side by side: the engines must agree closely for
    // the latencies to compare like with like.
    let mut totals: Vec<Vec<usize>> = vec![];
    for (_, make) in &engines {
        let mut w = make()?;
        totals.push((0..QUERIES.len()).map(|q| w.top(q)).collect::<Result<_>>()?);
    }

    for &threads in &args.threads {
        println!("Latency, ms (p50 / p99), {threads} thread(s), {:.0} s per engine\n", args.seconds);
        let mut header = "| engine | QPS |".to_string();
        for c in classes() {
            header.push_str(&format!(" {c} |"));
        }
        println!("{header}\n|---|---:|{}", "---:|".repeat(classes().len()));
        for (name, make) in &engines {
            eprintln!("measuring {name} on {threads} thread(s)");
            let run = measure(threads, args.seconds, make.as_ref())?;
            let mut row = format!("| {name} | {:.0} |", run.samples.len() as f64 / run.wall.as_secs_f64());
            for c in classes() {
                let mut ms: Vec<Duration> =
                    run.samples.iter().filter(|(q, _)| QUERIES[*q].0 == c).map(|(_, d)| *d).collect();
                ms.sort();
                row.push_str(&format!(" {:.1} / {:.1} |", percentile(&ms, 0.5), percentile(&ms, 0.99)));
            }
            println!("{row}");
        }
        println!();
    }

    println!("Matches per query (what each engine counts for the same user)\n");
    let names: Vec<&str> = engines.iter().map(|(n, _)| *n).take(engines.len() - 1).collect();
    println!("| query | {} |\n|---|{}", names.join(" | "), "---:|".repeat(names.len()));
    for (q, (_, text)) in QUERIES.iter().enumerate() {
        let row: Vec<String> = totals.iter().take(names.len()).map(|t| t[q].to_string()).collect();
        println!("| {} | {} |", text.replace('|', "\\|"), row.join(" | "));
    }
    println!();

    // Recall of Khmer queries against the documents that contain the
    // query's text (normalized, spaces ignored) and that the user may see.
    println!("Recall / precision of Khmer queries (truth: visible documents whose normalized text contains every word or phrase of the query)\n");
    println!("| query | truth | {} |\n|---|---:|{}", names.join(" | "), "---:|".repeat(names.len()));
    let texts: Vec<(String, bool)> = docs
        .iter()
        .map(|d| {
            let visible = d.audience.terms.iter().any(|t| viewer.terms.contains(t));
            (analysis::normalize(&format!("{}\n{}", d.title, d.body)).replace(char::is_whitespace, ""), visible)
        })
        .collect();
    let mut sums: HashMap<&str, (usize, usize, usize)> = HashMap::new();
    for query in RECALL_QUERIES {
        let needles: Vec<String> =
            query
                .split('"')
                .enumerate()
                .flat_map(|(i, p)| {
                    if i % 2 == 1 {
                        vec![p.to_string()]
                    } else {
                        p.split_whitespace().map(String::from).collect()
                    }
                })
                .filter(|p| !p.trim().is_empty())
                .map(|p| analysis::normalize(&p).replace(char::is_whitespace, ""))
                .collect();
        let truth: HashSet<&str> = docs
            .iter()
            .zip(&texts)
            .filter(|(_, (text, visible))| *visible && needles.iter().all(|n| text.contains(n.as_str())))
            .map(|(d, _)| d.key.as_str())
            .collect();
        let mut row =
            format!("| {} | {} |", query.replace('\u{200B}', "<ZWSP>").replace('\u{200C}', "<ZWNJ>"), truth.len());
        for (name, make) in engines.iter().take(names.len()) {
            let found = make()?.all(query)?;
            let hit = found.iter().filter(|k| truth.contains(k.as_str())).count();
            let e = sums.entry(name).or_default();
            *e = (e.0 + hit, e.1 + truth.len(), e.2 + found.len());
            row.push_str(&format!(
                " {:.1}% / {:.1}% |",
                100.0 * hit as f64 / truth.len().max(1) as f64,
                100.0 * hit as f64 / found.len().max(1) as f64
            ));
        }
        println!("{row}");
    }
    let mut row = "| all | |".to_string();
    for name in &names {
        let (hit, truth, found) = sums[name];
        row.push_str(&format!(
            " {:.1}% / {:.1}% |",
            100.0 * hit as f64 / truth.max(1) as f64,
            100.0 * hit as f64 / found.max(1) as f64
        ));
    }
    println!("{row}\n");

    if let Some(url) = &args.postgres {
        rt.block_on(async {
            let mut conn = sqlx::PgConnection::connect(url).await?;
            sqlx::query("DROP TABLE IF EXISTS bench_search").execute(&mut conn).await?;
            anyhow::Ok(())
        })?;
    }
    drop(engines);
    drop(index);
    let _ = std::fs::remove_dir_all(&args.work_dir);
    Ok(())
}
