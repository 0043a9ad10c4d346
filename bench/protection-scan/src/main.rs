//! Times the protection scheduler's pass (`AlertStore::scan_alerts`) and the
//! alerts query behind the alerts page on a database made with
//! `rightsdesk demo generate --protection-files N` (see bench/protection.py).
//!
//! The first pass raises the backlog (every file already overdue); then
//! passes run as the scheduler runs them, a minute apart in simulated time,
//! each raising what fell due in that minute.

use anyhow::{Context, Result};
use clap::Parser;
use rightsdesk_store::protection::{AlertFilter, ProtectionFileFilter};
use rightsdesk_store::{DatabaseUrl, Store};
use std::sync::Arc;
use std::time::{Duration, Instant};

#[derive(Parser)]
struct Args {
    /// `sqlite://PATH` or `postgres://...`
    #[arg(long)]
    database: String,
    /// Passes to time after the first.
    #[arg(long, default_value_t = 200)]
    passes: u32,
    /// Simulated seconds between passes.
    #[arg(long, default_value_t = 60)]
    step: i64,
}

fn quantile(v: &mut [Duration], q: f64) -> Duration {
    v.sort();
    v[((v.len() as f64 - 1.0) * q).round() as usize]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> Result<()> {
    let args = Args::parse();
    let store: Arc<dyn Store> = match DatabaseUrl::resolve(Some(&args.database), std::path::Path::new("."))
        .map_err(|e| anyhow::anyhow!("{e}"))?
    {
        DatabaseUrl::Sqlite(p) => {
            Arc::new(rightsdesk_store_sqlite::SqliteStore::open(&p).await.context("open sqlite")?)
        }
        DatabaseUrl::Postgres(u) => {
            Arc::new(rightsdesk_store_postgres::PostgresStore::connect(&u).await.context("open postgres")?)
        }
    };
    let users = store.list_users().await?;
    let head = users.iter().find(|u| u.role == rightsdesk_domain::Role::HeadOfOffice).context("a head of office")?;
    let officer = users.iter().find(|u| u.role == rightsdesk_domain::Role::Officer).context("an officer")?;
    let scope_of = |u: &rightsdesk_store::User| rightsdesk_domain::ProtectionScope {
        user_id: u.id,
        head_of_office: (u.role == rightsdesk_domain::Role::HeadOfOffice).then_some(u.office_id),
    };
    let files = store.count_protection_files(&ProtectionFileFilter::new(scope_of(head))).await?;
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let started = Instant::now();
    let first = store.scan_alerts(now).await?;
    let first_time = started.elapsed();
    let mut times = vec![];
    let mut raised = 0;
    for k in 1..=args.passes {
        let started = Instant::now();
        let pass = store.scan_alerts(now + k as i64 * args.step).await?;
        times.push(started.elapsed());
        raised += pass.raised.len();
    }
    let queries = |u: &rightsdesk_store::User| {
        let f = AlertFilter { scope: scope_of(u), for_user: true, open_only: true, limit: 500 };
        let store = store.clone();
        async move {
            let mut t = vec![];
            let mut n = 0;
            for _ in 0..args.passes {
                let started = Instant::now();
                n = store.alerts(&f).await?.len();
                t.push(started.elapsed());
            }
            anyhow::Ok((t, n))
        }
    };
    let (mut head_times, head_n) = queries(head).await?;
    let (mut officer_times, officer_n) = queries(officer).await?;
    println!("backend: {:?}; files the head of office sees: {files}", store.backend());
    println!("first pass (the backlog): {} raised in {}", first.raised.len(), ms(first_time));
    println!(
        "{} passes {} s apart: {raised} raised; p50 {}, p99 {}, max {}",
        args.passes,
        args.step,
        ms(quantile(&mut times, 0.5)),
        ms(quantile(&mut times, 0.99)),
        ms(*times.iter().max().unwrap_or(&Duration::ZERO))
    );
    println!(
        "alerts query, head of office ({head_n} rows): p50 {}, p99 {}",
        ms(quantile(&mut head_times, 0.5)),
        ms(quantile(&mut head_times, 0.99))
    );
    println!(
        "alerts query, officer ({officer_n} rows): p50 {}, p99 {}",
        ms(quantile(&mut officer_times, 0.5)),
        ms(quantile(&mut officer_times, 0.99))
    );
    store.close().await;
    Ok(())
}
