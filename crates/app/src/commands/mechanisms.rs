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
    let table = rightsdesk_export::read_table(&bytes);
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

/// `treaties import`: the status of other States under the core instruments.
pub async fn import_treaties(settings: &Settings, file: &Path, dry_run: bool) -> Result<ExitCode> {
    let bytes = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
    let table = match rightsdesk_export::read_csv(&bytes) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("{}: not a readable CSV file: {e}", file.display());
            return Ok(ExitCode::from(1));
        }
    };
    let store = open_store(settings).await?;
    super::serve::bootstrap(&store).await?;
    let instruments: Vec<String> = store.instruments().await?.into_iter().map(|i| i.code).collect();
    let rows = match rightsdesk_domain::reference::parse_participation(&table.headers, &table.rows, &instruments) {
        Ok(r) => r,
        Err(errors) => {
            for e in &errors {
                eprintln!("{}: {e}", file.display());
            }
            eprintln!("{} bad rows; nothing was imported", errors.len());
            return Ok(ExitCode::from(1));
        }
    };
    // Cambodia's status ships with the product, merged from both tables; and
    // a year-only row (the 2022 table) does not replace a dated one that
    // says the same (party or not).
    let mut kept = Vec::with_capacity(rows.len());
    let mut known: std::collections::HashMap<String, Vec<rightsdesk_domain::reference::Ratification>> =
        std::collections::HashMap::new();
    for r in rows {
        if r.state == rightsdesk_store::reference::HOME_STATE {
            continue;
        }
        if !known.contains_key(&r.state) {
            known.insert(r.state.clone(), store.ratifications(&r.state).await?);
        }
        let dated = known[&r.state].iter().any(|k| {
            k.instrument_code == r.instrument_code
                && k.status.is_party() == r.status.is_party()
                && k.consent_date.as_ref().is_some_and(|d| d.len() == 10)
                && r.consent_date.as_ref().is_none_or(|d| d.len() < 10)
        });
        if !dated {
            kept.push(r);
        }
    }
    let rows = kept;
    let states: std::collections::BTreeSet<&str> = rows.iter().map(|r| r.state.as_str()).collect();
    if dry_run {
        println!("{} rows for {} States: all valid (dry run, nothing imported)", rows.len(), states.len());
        return Ok(ExitCode::SUCCESS);
    }
    let audit = AuditEntry::system("treaties.import").summary(format!("{}", file.display()));
    let n = store.import_ratifications(&rows, &audit).await?;
    println!("imported {n} rows for {} States", states.len());
    Ok(ExitCode::SUCCESS)
}
