//! `import upr`: UPR recommendations from the UPR Info database layout.

use super::open_store;
use crate::settings::Settings;
use anyhow::{Context, Result};
use rightsdesk_store::AuditEntry;
use std::path::Path;
use std::process::ExitCode;

/// Exit code when some rows were rejected (the others were imported).
const SOME_ROWS_REJECTED: u8 = 2;

/// Writes what was read: rejected rows to standard error, counts to standard output.
async fn write(
    settings: &Settings,
    file: &Path,
    rows: Vec<rightsdesk_domain::mechanisms::RecommendationInput>,
    rejected: &[rightsdesk_domain::vocabulary::RowError],
    total: usize,
    what: &str,
    dry_run: bool,
) -> Result<ExitCode> {
    for e in rejected {
        eprintln!("{}: rejected: {e}", file.display());
    }
    let store = open_store(settings).await?;
    let bar = indicatif::ProgressBar::new(rows.len() as u64);
    bar.set_style(
        indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} recommendations, {per_sec}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    let audit = AuditEntry::system("recommendation.import").summary(format!("{what} {}", file.display()));
    let started = std::time::Instant::now();
    let out = store.import_recommendations(&rows, &audit, dry_run, &|n| bar.set_position(n as u64)).await?;
    bar.finish_and_clear();
    let mut lines: Vec<usize> = rejected.iter().map(|e| e.line).collect();
    lines.dedup();
    println!(
        "{}{} added, {} updated, {} unchanged, {} rejected ({} rows in {:.1} s)",
        if dry_run { "dry run, nothing written: " } else { "" },
        out.added,
        out.updated,
        out.unchanged,
        lines.len(),
        total,
        started.elapsed().as_secs_f64()
    );
    Ok(if rejected.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(SOME_ROWS_REJECTED) })
}

/// `import recommendations`: any mechanism, columns mapped to fields.
pub async fn import_mapped(
    settings: &Settings,
    file: &Path,
    map: &[String],
    mechanism: &str,
    state: &str,
    dry_run: bool,
) -> Result<ExitCode> {
    let bytes = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
    let table = if bytes.starts_with(b"PK") {
        rightsdesk_export::read_xlsx(&bytes)
    } else {
        rightsdesk_export::read_csv(&bytes)
    };
    let table = match table {
        Ok(t) => t,
        Err(e) => {
            eprintln!("{}: not a readable CSV or XLSX file: {e}", file.display());
            return Ok(ExitCode::from(1));
        }
    };
    let mut columns = vec![];
    for m in map {
        let Some((field, header)) = m.split_once('=') else {
            anyhow::bail!("--map takes FIELD=HEADER, not {m:?}");
        };
        columns.push((field.trim().to_string(), header.trim().to_string()));
    }
    let mapping = rightsdesk_domain::mechanisms::ColumnMapping {
        columns,
        default_mechanism: mechanism.to_string(),
        default_state: state.to_string(),
    };
    let store = open_store(settings).await?;
    let known: Vec<String> = store.mechanisms().await?.into_iter().map(|m| m.code).collect();
    drop(store);
    let (good, rejected) =
        match rightsdesk_domain::mechanisms::parse_mapped(&table.headers, &table.rows, &mapping, &known) {
            Ok(parsed) => parsed,
            Err(errors) => {
                for e in &errors {
                    eprintln!("{}: {e}", file.display());
                }
                eprintln!("columns in the file: {}", table.headers.join(", "));
                eprintln!("the mapping does not fit the file; nothing was imported");
                return Ok(ExitCode::from(1));
            }
        };
    let rows = good.into_iter().map(|(_, r)| r).collect();
    write(settings, file, rows, &rejected, table.rows.len(), "mapped file", dry_run).await
}

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
    let rows = good.into_iter().map(|(_, r)| r).collect();
    write(settings, file, rows, &rejected, table.rows.len(), "UPR Info file", dry_run).await
}
