//! `migrate`, `audit verify`, `key rotate`, `backup` and `restore`.

use super::serve::lock_data_dir;
use super::{now_iso, open_store};
use crate::settings::Settings;
use anyhow::{bail, Context, Result};
use rightsdesk_crypto::{FieldRef, Keyring};
use rightsdesk_store::audit::{verify_chain, ChainError};
use rightsdesk_store::{AuditEntry, DatabaseUrl, ENCRYPTED_FIELDS};
use rightsdesk_store_sqlite::SqliteStore;
use std::path::Path;
use std::process::ExitCode;

const PG_BACKUP_HELP: &str = "On PostgreSQL use the server's tools:\n  \
    pg_dump --format=custom --file=rightsdesk.dump \"$RIGHTSDESK_DATABASE_URL\"\n  \
    pg_restore --clean --if-exists --dbname=\"$RIGHTSDESK_DATABASE_URL\" rightsdesk.dump\n\
    and back up the key file separately.";

pub async fn migrate(settings: &Settings) -> Result<ExitCode> {
    let store = open_store(settings).await?;
    store.migrate().await?;
    println!("database {} is up to date", settings.database.redacted());
    Ok(ExitCode::SUCCESS)
}

pub async fn audit_verify(settings: &Settings) -> Result<ExitCode> {
    let store = open_store(settings).await?;
    match verify_chain(store.as_ref()).await {
        Ok(r) => {
            println!("audit chain intact: {} events, head {}", r.events, r.head_hash);
            Ok(ExitCode::SUCCESS)
        }
        Err(ChainError::Broken { seq, reason }) => {
            println!("audit chain BROKEN at event {seq}: {reason}");
            Ok(ExitCode::from(1))
        }
        Err(ChainError::Store(e)) => bail!("cannot read the audit log: {e}"),
    }
}

pub async fn key_rotate(settings: &Settings) -> Result<ExitCode> {
    let mut keys = Keyring::load(&settings.key_file).context("key rotation needs the existing key file")?;
    let store = open_store(settings).await?;
    let new_id = keys.rotate(&now_iso());
    // Save first: the file then holds old and new keys, so every value opens
    // whether or not the re-encryption below finishes.
    keys.save(&settings.key_file)?;
    let mut done = 0usize;
    for field in ENCRYPTED_FIELDS {
        for (id, old) in store.encrypted_values(*field).await? {
            let at = FieldRef { table: field.table, column: field.column, record_id: id };
            let new = keys
                .reencrypt(at, &old)
                .with_context(|| format!("{}.{} of record {id} does not open", field.table, field.column))?;
            if store.replace_encrypted_value(*field, id, &old, &new).await? {
                done += 1;
            }
        }
    }
    store
        .append_audit(
            &AuditEntry::new(None, "command line", "key.rotate")
                .record("key", new_id)
                .summary(format!("{done} values re-encrypted")),
        )
        .await?;
    println!(
        "new key {new_id} is active; {done} encrypted values re-encrypted. Back up {} now.",
        settings.key_file.display()
    );
    Ok(ExitCode::SUCCESS)
}

pub async fn backup(settings: &Settings, file: &Path) -> Result<ExitCode> {
    if let DatabaseUrl::Postgres(_) = settings.database {
        eprintln!("{PG_BACKUP_HELP}");
        return Ok(ExitCode::from(2));
    }
    let store = open_store(settings).await?;
    store.backup_to(file).await.with_context(|| format!("backup to {} failed", file.display()))?;
    let size = std::fs::metadata(file).map(|m| m.len()).unwrap_or(0);
    println!(
        "backup written to {} ({size} bytes). The key file {} is not in it: back it up separately.",
        file.display(),
        settings.key_file.display()
    );
    Ok(ExitCode::SUCCESS)
}

pub async fn restore(settings: &Settings, file: &Path) -> Result<ExitCode> {
    let DatabaseUrl::Sqlite(db_path) = &settings.database else {
        eprintln!("{PG_BACKUP_HELP}");
        return Ok(ExitCode::from(2));
    };
    if !file.is_file() {
        bail!("{} is not a file", file.display());
    }
    let _lock = lock_data_dir(&settings.data_dir)?;
    // Check a copy first: the current database is touched only once the backup proved sound.
    let staging = db_path.with_extension("restore-staging");
    for p in
        [staging.clone(), staging.with_extension("restore-staging-wal"), staging.with_extension("restore-staging-shm")]
    {
        let _ = std::fs::remove_file(p);
    }
    std::fs::copy(file, &staging).with_context(|| format!("cannot copy {}", file.display()))?;
    let checked = async {
        let store = SqliteStore::open(&staging).await.context("the file is not a rightsdesk database")?;
        let integrity = store.integrity_check().await?;
        if integrity != "ok" {
            bail!("the backup fails PRAGMA integrity_check: {integrity}");
        }
        let chain =
            verify_chain(&store).await.map_err(|e| anyhow::anyhow!("the backup's audit chain does not verify: {e}"))?;
        let users = rightsdesk_store::UserStore::count_users(&store).await?;
        rightsdesk_store::MaintenanceStore::close(&store).await;
        Ok((chain, users))
    }
    .await;
    let (chain, users) = match checked {
        Ok(v) => v,
        Err(e) => {
            let _ = std::fs::remove_file(&staging);
            return Err(e);
        }
    };
    if db_path.exists() {
        let aside =
            db_path.with_extension(format!("before-restore-{}", time::OffsetDateTime::now_utc().unix_timestamp()));
        std::fs::rename(db_path, &aside).context("cannot move the current database aside")?;
        for ext in ["db-wal", "db-shm"] {
            let _ = std::fs::remove_file(db_path.with_extension(ext));
        }
        println!("the previous database was kept as {}", aside.display());
    }
    std::fs::rename(&staging, db_path).context("cannot move the restored database into place")?;
    println!(
        "restored {} into {}: {users} accounts, {} audit events (chain verified, head {})",
        file.display(),
        db_path.display(),
        chain.events,
        chain.head_hash
    );
    Ok(ExitCode::SUCCESS)
}
