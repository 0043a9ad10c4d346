//! Load generator for issue 6: `clients` signed-in users, each in a closed
//! loop through the real HTML forms (CSRF token and session cookie, as a
//! browser sends them), for a fixed time; and a hello-world axum server to
//! measure the ceiling of the same stack on the same machine.
//!
//!   load-gen hello --listen 127.0.0.1:0
//!   load-gen run --base http://127.0.0.1:PORT --email E --password P --cases 100000
//!   load-gen run --base http://127.0.0.1:PORT --mix hello
//!
//! `run` prints one JSON object: requests, seconds, throughput, errors and
//! p50/p99 per kind of request, and the first few unexpected answers.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use clap::{Parser, Subcommand, ValueEnum};
use rand::{Rng, SeedableRng};
use reqwest::redirect::Policy;

#[derive(Parser)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve `GET /` with "Hello, world!" (axum, the same runtime settings as rightsdesk).
    Hello {
        #[arg(long, default_value = "127.0.0.1:0")]
        listen: String,
    },
    /// Drive a server with concurrent clients and print the figures as JSON.
    Run {
        #[arg(long)]
        base: String,
        #[arg(long, default_value_t = 64)]
        clients: usize,
        #[arg(long, default_value_t = 60)]
        seconds: u64,
        #[arg(long, value_enum, default_value_t = Mix::App)]
        mix: Mix,
        #[arg(long, default_value = "")]
        email: String,
        #[arg(long, default_value = "")]
        password: String,
        /// Cases in the database (ids 1..=N are opened at random).
        #[arg(long, default_value_t = 100_000)]
        cases: u64,
        /// Only this kind of request of the mix ("open case"), for profiling one page.
        #[arg(long)]
        only: Option<String>,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum Mix {
    /// The office's mix of pages and forms.
    App,
    /// `GET /` only, against `load-gen hello`.
    Hello,
}

/// The kinds of request and their share of the mix (per 1,000 requests).
/// An office user signs in once a day, so sign-ins are 0.1 % (issue 15);
/// every client signs in before the clock starts, one after another, and
/// that rate is reported on its own (argon2id: slow on purpose).
const KINDS: [(&str, u32); 7] = [
    ("sign in", 1),
    ("list cases", 153),
    ("open case", 255),
    ("search", 204),
    ("create case", 81),
    ("add intervention", 102),
    ("list recommendations", 204),
];

/// Words an officer searches for, English and Khmer.
const QUERIES: [&str; 10] =
    ["detention", "land", "torture", "freedom of expression", "eviction", "មនុស្ស", "សិទ្ធិ", "ដីធ្លី", "ការឃុំខ្លួន", "journalist"];

#[tokio::main]
async fn main() -> Result<()> {
    match Cli::parse().command {
        Command::Hello { listen } => hello(&listen).await,
        Command::Run { base, clients, seconds, mix, email, password, cases, only } => {
            let only = match only {
                Some(k) => Some(KINDS.iter().map(|(kind, _)| *kind).find(|kind| *kind == k).context("no such kind")?),
                None => None,
            };
            let cfg = Arc::new(Config { base, email, password, cases, mix, only });
            run(cfg, clients, Duration::from_secs(seconds)).await
        }
    }
}

async fn hello(listen: &str) -> Result<()> {
    let app = axum::Router::new().route("/", axum::routing::get(|| async { "Hello, world!" }));
    let listener = tokio::net::TcpListener::bind(listen).await?;
    println!("listening on {}", listener.local_addr()?);
    axum::serve(listener, app).await?;
    Ok(())
}

struct Config {
    base: String,
    email: String,
    password: String,
    cases: u64,
    mix: Mix,
    only: Option<&'static str>,
}

#[derive(Default)]
struct Tally {
    /// Latency in microseconds of every answered request, by kind.
    latencies: BTreeMap<&'static str, Vec<u32>>,
    errors: BTreeMap<&'static str, u64>,
    samples: Vec<String>,
}

impl Tally {
    fn record(&mut self, kind: &'static str, started: Instant, outcome: Result<()>) {
        self.latencies.entry(kind).or_default().push(started.elapsed().as_micros().min(u32::MAX as u128) as u32);
        if let Err(e) = outcome {
            *self.errors.entry(kind).or_default() += 1;
            if self.samples.len() < 5 {
                self.samples.push(format!("{kind}: {e:#}"));
            }
        }
    }
}

/// One signed-in user: a cookie jar and the session's CSRF token.
struct Session {
    http: reqwest::Client,
    csrf: String,
}

fn client() -> Result<reqwest::Client> {
    Ok(reqwest::Client::builder()
        .cookie_store(true)
        .redirect(Policy::none())
        .tcp_nodelay(true)
        .timeout(Duration::from_secs(30))
        .build()?)
}

fn csrf_of(html: &str) -> Result<String> {
    let at = html.find("name=\"_csrf\" value=\"").context("no CSRF token on the page")? + 20;
    Ok(html[at..].chars().take_while(|c| *c != '"').collect())
}

async fn expect(r: reqwest::Response, status: u16) -> Result<String> {
    let got = r.status().as_u16();
    let body = r.text().await?;
    if got != status {
        bail!("expected {status}, got {got}: {}", body.chars().take(200).collect::<String>());
    }
    Ok(body)
}

async fn sign_in(cfg: &Config) -> Result<Session> {
    let http = client()?;
    let page = expect(http.get(format!("{}/login", cfg.base)).send().await?, 200).await?;
    let token = csrf_of(&page)?;
    let form = [("_csrf", token.as_str()), ("email", cfg.email.as_str()), ("password", cfg.password.as_str())];
    expect(http.post(format!("{}/login", cfg.base)).form(&form).send().await?, 303).await?;
    // The session's token (it changes at sign-in).
    let page = expect(http.get(format!("{}/monitoring/cases/new", cfg.base)).send().await?, 200).await?;
    Ok(Session { csrf: csrf_of(&page)?, http })
}

/// The organisations an intervention can be addressed to; one is made when there are none.
async fn organisations(cfg: &Config, s: &Session) -> Result<Vec<String>> {
    let form_url = format!("{}/monitoring/cases/1/interventions/new", cfg.base);
    let options = |html: &str| -> Vec<String> {
        let Some(select) = html.split("name=\"organisation_id\"").nth(1) else { return vec![] };
        let select = select.split("</select>").next().unwrap_or("");
        select
            .split("value=\"")
            .skip(1)
            .filter_map(|v| v.split('"').next())
            .filter(|v| !v.is_empty())
            .map(str::to_string)
            .collect()
    };
    let found = options(&expect(s.http.get(&form_url).send().await?, 200).await?);
    if !found.is_empty() {
        return Ok(found);
    }
    let form = [
        ("_csrf", s.csrf.as_str()),
        ("name_en", "Provincial police (load test)"),
        ("name_km", "នគរបាលខេត្ត"),
        ("kind", "government"),
    ];
    expect(s.http.post(format!("{}/monitoring/organisations", cfg.base)).form(&form).send().await?, 303).await?;
    let found = options(&expect(s.http.get(&form_url).send().await?, 200).await?);
    if found.is_empty() {
        bail!("no organisation to address interventions to");
    }
    Ok(found)
}

async fn one_request(
    cfg: &Config,
    kind: &'static str,
    session: &mut Session,
    orgs: &[String],
    rng: &mut rand::rngs::StdRng,
    n: u64,
) -> Result<()> {
    let base = &cfg.base;
    let case_id = rng.gen_range(1..=cfg.cases.max(1));
    match kind {
        "sign in" => *session = sign_in(cfg).await?,
        "list cases" => {
            expect(session.http.get(format!("{base}/monitoring")).send().await?, 200).await?;
        }
        "open case" => {
            expect(session.http.get(format!("{base}/monitoring/cases/{case_id}")).send().await?, 200).await?;
        }
        "search" => {
            let q = QUERIES[rng.gen_range(0..QUERIES.len())];
            expect(session.http.get(format!("{base}/search")).query(&[("q", q)]).send().await?, 200).await?;
        }
        "create case" => {
            let title = format!("Load test case {n}");
            let form = [
                ("_csrf", session.csrf.as_str()),
                ("title", title.as_str()),
                ("province", "02"),
                ("district", "0203"),
                ("start_date", "2026-05"),
                ("summary", "V1 was detained without a warrant."),
                ("themes", "detention"),
            ];
            expect(session.http.post(format!("{base}/monitoring/cases")).form(&form).send().await?, 303).await?;
        }
        "add intervention" => {
            let org = &orgs[rng.gen_range(0..orgs.len())];
            let form = [
                ("_csrf", session.csrf.as_str()),
                ("organisation_id", org.as_str()),
                ("kind", "letter"),
                ("date", "2026-11-20"),
                ("request", "Release V1 or charge V1 before a court."),
                ("status", "sent"),
                ("next_follow_up", "2026-12-04"),
            ];
            let url = format!("{base}/monitoring/cases/{case_id}/interventions");
            expect(session.http.post(url).form(&form).send().await?, 303).await?;
        }
        "list recommendations" => {
            expect(session.http.get(format!("{base}/mechanisms/recommendations")).send().await?, 200).await?;
        }
        "hello" => {
            expect(session.http.get(format!("{base}/")).send().await?, 200).await?;
        }
        other => bail!("unknown kind {other}"),
    }
    Ok(())
}

fn pick(rng: &mut rand::rngs::StdRng) -> &'static str {
    let total: u32 = KINDS.iter().map(|(_, w)| w).sum();
    let mut r = rng.gen_range(0..total);
    for (kind, weight) in KINDS {
        if r < weight {
            return kind;
        }
        r -= weight;
    }
    KINDS[0].0
}

async fn run(cfg: Arc<Config>, clients: usize, duration: Duration) -> Result<()> {
    // Everyone signs in before the clock starts (the mix has its own
    // sign-ins), one after another: they share one account, and attempts in
    // flight count towards its lockout until one succeeds. The sign-in rate,
    // measured on its own.
    let sign_in_started = Instant::now();
    let mut sessions = Vec::with_capacity(clients);
    let mut sign_in_latencies = vec![];
    for i in 0..clients {
        let t0 = Instant::now();
        let s = match cfg.mix {
            Mix::App => sign_in(&cfg).await.with_context(|| format!("client {i} could not sign in"))?,
            Mix::Hello => Session { http: client()?, csrf: String::new() },
        };
        sign_in_latencies.push(t0.elapsed().as_micros() as u32);
        sessions.push(s);
    }
    let sign_in_seconds = sign_in_started.elapsed().as_secs_f64();
    sign_in_latencies.sort_unstable();
    let orgs = match cfg.mix {
        Mix::App => organisations(&cfg, &sessions[0]).await?,
        Mix::Hello => vec![],
    };
    let orgs = Arc::new(orgs);
    let started = Instant::now();
    let deadline = started + duration;
    let mut tasks = vec![];
    for (i, mut session) in sessions.into_iter().enumerate() {
        let cfg = cfg.clone();
        let orgs = orgs.clone();
        tasks.push(tokio::spawn(async move {
            let mut rng = rand::rngs::StdRng::seed_from_u64(i as u64);
            let mut tally = Tally::default();
            let mut n = 0u64;
            while Instant::now() < deadline {
                let kind = match cfg.mix {
                    Mix::App => cfg.only.unwrap_or_else(|| pick(&mut rng)),
                    Mix::Hello => "hello",
                };
                n += 1;
                let t0 = Instant::now();
                let outcome =
                    one_request(&cfg, kind, &mut session, &orgs, &mut rng, (i as u64) * 1_000_000_000 + n).await;
                tally.record(kind, t0, outcome);
            }
            tally
        }));
    }
    let mut all = Tally::default();
    for t in tasks {
        let t = t.await?;
        for (k, mut v) in t.latencies {
            all.latencies.entry(k).or_default().append(&mut v);
        }
        for (k, e) in t.errors {
            *all.errors.entry(k).or_default() += e;
        }
        all.samples.extend(t.samples.into_iter().take(5usize.saturating_sub(all.samples.len())));
    }
    let seconds = started.elapsed().as_secs_f64();
    let ms = |v: &[u32], q: f64| -> f64 {
        if v.is_empty() {
            return 0.0;
        }
        v[((v.len() as f64 * q) as usize).min(v.len() - 1)] as f64 / 1000.0
    };
    let mut kinds = serde_json::Map::new();
    let mut total = 0usize;
    let mut everything = vec![];
    for (k, v) in all.latencies.iter_mut() {
        v.sort_unstable();
        total += v.len();
        everything.extend_from_slice(v);
        kinds.insert(
            k.to_string(),
            serde_json::json!({
                "requests": v.len(),
                "per_second": v.len() as f64 / seconds,
                "errors": all.errors.get(k).copied().unwrap_or(0),
                "p50_ms": ms(v, 0.50),
                "p99_ms": ms(v, 0.99),
            }),
        );
    }
    everything.sort_unstable();
    let errors: u64 = all.errors.values().sum();
    let out = serde_json::json!({
        "clients": clients,
        "seconds": seconds,
        "requests": total,
        "per_second": total as f64 / seconds,
        "errors": errors,
        "p50_ms": ms(&everything, 0.50),
        "p99_ms": ms(&everything, 0.99),
        "kinds": kinds,
        "sign_in_at_start": {
            "sign_ins": clients,
            "seconds": sign_in_seconds,
            "per_second": clients as f64 / sign_in_seconds,
            "p50_ms": ms(&sign_in_latencies, 0.50),
            "p99_ms": ms(&sign_in_latencies, 0.99),
        },
        "error_samples": all.samples,
    });
    println!("{}", serde_json::to_string_pretty(&out)?);
    Ok(())
}
