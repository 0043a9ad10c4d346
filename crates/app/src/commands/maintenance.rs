//! `migrate`, `audit verify`, `key rotate`, `backup` and `restore`.

use super::serve::lock_data_dir;
use super::{now_iso, open_store};
use crate::settings::Settings;
use anyhow::{bail, Context, Result};
use rightsdesk_crypto::{FieldRef, Keyring};
use rightsdesk_store::audit::{verify_chain, ChainError};
use rightsdesk_store::{AuditEntry, DatabaseUrl, ENCRYPTED_FIELDS};
use rightsdesk_store_sqlite::SqliteStore;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

const PG_BACKUP_HELP: &str = "On PostgreSQL use the server's tools:\n  \
    pg_dump --format=custom --file=rightsdesk.dump \"$RIGHTSDESK_DATABASE_URL\"\n  \
    pg_restore --clean --if-exists --dbname=\"$RIGHTSDESK_DATABASE_URL\" rightsdesk.dump\n\
    and back up the key file separately.";

pub async fn migrate(settings: &Settings) -> Result<ExitCode> {
    let store = open_store(settings).await?;
    store.migrate().await?;
    // First-run seeding too, so accounts can be added before the first start.
    super::serve::bootstrap(&store).await?;
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
    // A running server holds the old keyring in memory; stop it first (on
    // PostgreSQL: stop every application node and copy the new key file to each).
    let _lock = lock_data_dir(&settings.data_dir)?;
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

/// The audit chain as it is in the backup file itself (the server may have
/// written more events since the snapshot), read from a scratch copy so the
/// backup is never opened for writing.
async fn backup_chain_head(file: &Path) -> Result<String> {
    let scratch = file.with_extension("verify-scratch");
    let wal_shm = [scratch.with_extension("verify-scratch-wal"), scratch.with_extension("verify-scratch-shm")];
    std::fs::copy(file, &scratch).with_context(|| format!("cannot copy {}", file.display()))?;
    let result = async {
        let store = SqliteStore::open(&scratch).await.context("the backup does not open")?;
        let chain =
            verify_chain(&store).await.map_err(|e| anyhow::anyhow!("the backup's audit chain does not verify: {e}"))?;
        Ok(format!("{} events, head {}", chain.events, chain.head_hash))
    }
    .await;
    for p in std::iter::once(&scratch).chain(wal_shm.iter()) {
        let _ = std::fs::remove_file(p);
    }
    result
}

pub async fn backup(settings: &Settings, file: &Path) -> Result<ExitCode> {
    if let DatabaseUrl::Postgres(_) = settings.database {
        eprintln!("{PG_BACKUP_HELP}");
        return Ok(ExitCode::from(2));
    }
    let store = open_store(settings).await?;
    if file.exists() {
        bail!("{} already exists: choose a new file name", file.display());
    }
    // The copy is as confidential as the database: readable by its owner only.
    {
        let mut opts = std::fs::OpenOptions::new();
        opts.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            opts.mode(0o600);
        }
        opts.open(file).with_context(|| format!("cannot create {}", file.display()))?;
    }
    if let Err(e) = store.backup_to(file).await {
        let _ = std::fs::remove_file(file);
        return Err(anyhow::Error::new(e).context(format!("backup to {} failed", file.display())));
    }
    let size = std::fs::metadata(file).map(|m| m.len()).unwrap_or(0);
    drop(store);
    let head = backup_chain_head(file).await.unwrap_or_else(|e| format!("{e:#}"));
    println!("backup written to {} ({size} bytes).", file.display());
    println!("audit chain at backup time: {head} (record it apart from the backup: it shows later that the backup was not rewritten)");
    println!("The key file {} is not in the backup: back it up separately.", settings.key_file.display());
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
        // The key file in place must open what the backup holds encrypted.
        for field in ENCRYPTED_FIELDS {
            let values = rightsdesk_store::MaintenanceStore::encrypted_values(&store, *field).await?;
            if let Some((id, sealed)) = values.first() {
                let keys = Keyring::load(&settings.key_file).with_context(|| {
                    format!(
                        "the backup holds encrypted data; put the key file that was in use at {} first",
                        settings.key_file.display()
                    )
                })?;
                keys.decrypt(FieldRef { table: field.table, column: field.column, record_id: *id }, sealed)
                    .with_context(|| {
                        format!(
                            "the key file {} does not open the backup's encrypted data",
                            settings.key_file.display()
                        )
                    })?;
            }
        }
        // Sessions and tokens in the backup may have been ended or revoked
        // since: none of them comes back to life.
        let ended = rightsdesk_store::SessionStore::delete_all_sessions(&store).await?;
        let revoked = rightsdesk_store::TokenStore::revoke_api_tokens(
            &store,
            None,
            &AuditEntry::new(None, "command line", "token.revoke_all").summary("restore"),
        )
        .await?;
        // Only the main file is moved into place below: it must hold these
        // changes itself, not in a write-ahead log left behind (seen under
        // load: the revoked tokens came back).
        store.checkpoint().await?;
        rightsdesk_store::MaintenanceStore::close(&store).await;
        let wal = PathBuf::from(format!("{}-wal", staging.display()));
        if std::fs::metadata(&wal).is_ok_and(|m| m.len() > 0) {
            bail!("the restored database still has a write-ahead log at {}; nothing was replaced", wal.display());
        }
        println!(
            "ended {ended} sessions and revoked {revoked} API tokens from the backup (issue new tokens as needed)"
        );
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
        // Its write-ahead log holds committed transactions: keep it with it.
        for suffix in ["-wal", "-shm"] {
            let from = PathBuf::from(format!("{}{suffix}", db_path.display()));
            if from.exists() {
                std::fs::rename(&from, format!("{}{suffix}", aside.display()))
                    .context("cannot move the write-ahead log aside")?;
            }
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
