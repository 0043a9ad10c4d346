//! `vocabulary import-huridocs`: an office's own copy of the HURIDOCS
//! micro-thesauri, imported as extra vocabularies (not shipped with
//! rightsdesk: see docs/decisions/0006-huridocs-vocabularies.md).

use super::open_store;
use crate::settings::Settings;
use anyhow::{Context, Result};
use rightsdesk_store::AuditEntry;
use std::path::Path;
use std::process::ExitCode;

pub async fn import_huridocs(settings: &Settings, file: &Path, dry_run: bool) -> Result<ExitCode> {
    let bytes = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
    let table = match rightsdesk_export::read_csv(&bytes) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("{}: not a readable CSV file: {e}", file.display());
            return Ok(ExitCode::from(1));
        }
    };
    let vocabularies = match rightsdesk_domain::vocabulary::parse_huridocs(&table.headers, &table.rows) {
        Ok(v) => v,
        Err(errors) => {
            for e in &errors {
                eprintln!("{}: {e}", file.display());
            }
            eprintln!("{} bad rows; nothing was imported", errors.len());
            return Ok(ExitCode::from(1));
        }
    };
    let terms: usize = vocabularies.iter().map(|v| v.terms.len()).sum();
    if dry_run {
        println!("{} vocabularies, {terms} terms: all rows are valid (dry run, nothing imported)", vocabularies.len());
        return Ok(ExitCode::SUCCESS);
    }
    let store = open_store(settings).await?;
    let audit =
        AuditEntry::system("vocabulary.import").summary(format!("HURIDOCS micro-thesauri from {}", file.display()));
    let written = store.import_vocabularies(&vocabularies, &audit).await?;
    println!("imported {} vocabularies, {written} terms", vocabularies.len());
    Ok(ExitCode::SUCCESS)
}
