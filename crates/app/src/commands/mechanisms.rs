//! `import upr`: UPR recommendations from the UPR Info database layout.

use super::open_store;
use crate::settings::Settings;
use anyhow::{Context, Result};
use rightsdesk_store::AuditEntry;
use std::path::Path;
use std::process::ExitCode;

/// Exit code when some rows were rejected (the others were imported).
const SOME_ROWS_REJECTED: u8 = 2;

pub async fn import_upr(settings: &Settings, file: &Path, dry_run: bool) -> Result<ExitCode> {
    let bytes = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
    let table = match rightsdesk_export::read_csv(&bytes) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("{}: not a readable CSV file: {e}", file.display());
            return Ok(ExitCode::from(1));
        }
    };
    let (good, rejected) = match rightsdesk_domain::mechanisms::parse_upr_info(&table.headers, &table.rows) {
        Ok(parsed) => parsed,
        Err(errors) => {
            for e in &errors {
                eprintln!("{}: {e}", file.display());
            }
            eprintln!("not a UPR Info file; nothing was imported");
            return Ok(ExitCode::from(1));
        }
    };
    for e in &rejected {
        eprintln!("{}: rejected: {e}", file.display());
    }
    let rows: Vec<_> = good.into_iter().map(|(_, r)| r).collect();
    let store = open_store(settings).await?;
    let bar = indicatif::ProgressBar::new(rows.len() as u64);
    bar.set_style(
        indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} recommendations, {per_sec}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    let audit = AuditEntry::system("recommendation.import").summary(format!("UPR Info file {}", file.display()));
    let started = std::time::Instant::now();
    let out = store.import_recommendations(&rows, &audit, dry_run, &|n| bar.set_position(n as u64)).await?;
    bar.finish_and_clear();
    let rejected_lines = {
        let mut lines: Vec<usize> = rejected.iter().map(|e| e.line).collect();
        lines.dedup();
        lines.len()
    };
    println!(
        "{}{} added, {} updated, {} unchanged, {} rejected ({} rows in {:.1} s)",
        if dry_run { "dry run, nothing written: " } else { "" },
        out.added,
        out.updated,
        out.unchanged,
        rejected_lines,
        table.rows.len(),
        started.elapsed().as_secs_f64()
    );
    Ok(if rejected.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(SOME_ROWS_REJECTED) })
}
