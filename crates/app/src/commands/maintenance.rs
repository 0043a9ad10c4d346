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

/// `names check`: the stored free text of every case against the names of
/// its people, with the same matcher as the forms (records written before
/// the matcher knew a spelling). Prints where, and the codes, never a name.
pub async fn names_check(settings: &Settings) -> Result<ExitCode> {
    let keys = Keyring::load(&settings.key_file).context("checking names needs the key file")?;
    let store = open_store(settings).await?;
    // Every case id, from the change log (which records each case written).
    let mut ids = std::collections::BTreeSet::new();
    let mut after = 0;
    loop {
        let changes = store.changes_since(after, 10_000).await?;
        let Some(last) = changes.last() else { break };
        after = last.seq;
        ids.extend(changes.iter().filter(|c| c.table_name == "cases").filter_map(|c| c.record_id.parse::<i64>().ok()));
    }
    let (mut checked, mut found) = (0usize, 0usize);
    for id in ids {
        let Some(case) = store.case(id).await? else { continue };
        let persons = store.persons(id).await?;
        if persons.is_empty() {
            continue;
        }
        checked += 1;
        let mut names = vec![];
        for p in &persons {
            names.extend(
                p.names_to_look_for(&keys).with_context(|| format!("people of {} do not open", case.reference))?,
            );
        }
        let matcher = rightsdesk_domain::names::NameMatcher::new(&names);
        let mut texts: Vec<(String, String)> =
            vec![("title".into(), case.title.clone()), ("summary".into(), case.summary.clone())];
        texts.push(("place".into(), case.location_text.clone()));
        for a in store.acts(id).await? {
            texts.push((format!("act {} description", a.id), a.description.clone()));
            texts.push((format!("act {} place", a.id), a.location_text.clone()));
        }
        for i in store.interventions(id).await? {
            texts.push((format!("intervention {} request", i.id), i.request.clone()));
            texts.push((format!("intervention {} response", i.id), i.response.clone()));
        }
        for s in store.sources(id).await? {
            texts.push((format!("source {} information", s.id), s.information.clone()));
        }
        for e in store.case_evidence(id).await? {
            texts.push((format!("evidence {} description", e.id), e.description.clone()));
            for (n, c) in store.custody(e.id).await?.into_iter().enumerate() {
                texts.push((format!("evidence {} custody entry {}", e.id, n + 1), c.note));
            }
        }
        for (n, h) in store.case_history(id).await?.into_iter().enumerate() {
            texts.push((format!("status change {} reason", n + 1), h.reason));
        }
        for (what, text) in texts {
            let codes = matcher.codes_in(&text);
            if !codes.is_empty() {
                found += 1;
                println!("{} {what}: {}", case.reference, codes.join(", "));
            }
        }
    }
    println!("{checked} cases with people checked, {found} texts name them");
    Ok(if found == 0 { ExitCode::SUCCESS } else { ExitCode::from(1) })
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

/// What a backup's database holds: its audit chain (the server may have
/// written more events since the snapshot) and the evidence files it refers
/// to, read from a scratch copy so the backup is never opened for writing.
async fn backup_contents(file: &Path) -> Result<(String, Vec<String>)> {
    let scratch = file.with_extension("verify-scratch");
    let wal_shm = [scratch.with_extension("verify-scratch-wal"), scratch.with_extension("verify-scratch-shm")];
    std::fs::copy(file, &scratch).with_context(|| format!("cannot copy {}", file.display()))?;
    let result = async {
        let store = SqliteStore::open(&scratch).await.context("the backup does not open")?;
        let chain =
            verify_chain(&store).await.map_err(|e| anyhow::anyhow!("the backup's audit chain does not verify: {e}"))?;
        let hashes = rightsdesk_store::EvidenceStore::evidence_hashes(&store).await?;
        rightsdesk_store::MaintenanceStore::close(&store).await;
        Ok((format!("{} events, head {}", chain.events, chain.head_hash), hashes))
    }
    .await;
    for p in std::iter::once(&scratch).chain(wal_shm.iter()) {
        let _ = std::fs::remove_file(p);
    }
    result
}

/// The name of the database inside a backup directory.
const BACKUP_DATABASE: &str = "rightsdesk.db";

/// Reads a stored evidence file as it is on disk (sealed, or in clear from a
/// release before sealing) and checks it: a sealed file must open with the
/// key file (every chunk authentic, none missing), and its plaintext must be
/// the content its name says. Backups copy the sealed bytes as they are.
fn read_evidence(files_dir: &Path, sha256: &str, keys: Option<&Keyring>) -> Result<Vec<u8>> {
    use sha2::Digest;
    let path = rightsdesk_web::monitoring::evidence_path(files_dir, sha256);
    let bytes = std::fs::read(&path).with_context(|| format!("evidence file {} is missing", path.display()))?;
    let plain_hash = if rightsdesk_crypto::is_sealed_file(&bytes) {
        let keys =
            keys.with_context(|| format!("evidence file {} is sealed: the key file is needed", path.display()))?;
        let plain = keys
            .open_file(&bytes)
            .map_err(|e| anyhow::anyhow!("evidence file {} does not open: {e}", path.display()))?;
        hex::encode(sha2::Sha256::digest(&plain))
    } else {
        hex::encode(sha2::Sha256::digest(&bytes))
    };
    if plain_hash != sha256 {
        bail!("evidence file {} is damaged: its content no longer matches its SHA-256", path.display());
    }
    Ok(bytes)
}

/// Writes an evidence file under `files_dir`, readable by its owner only.
fn write_evidence(files_dir: &Path, sha256: &str, bytes: &[u8], keys: Option<&Keyring>) -> Result<()> {
    let path = rightsdesk_web::monitoring::evidence_path(files_dir, sha256);
    if read_evidence(files_dir, sha256, keys).is_ok() {
        return Ok(()); // content-addressed: the same name, checked, is the same content
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).with_context(|| format!("cannot create {}", parent.display()))?;
    }
    let partial = path.with_extension("partial");
    private_file(&partial)?;
    std::fs::write(&partial, bytes).with_context(|| format!("cannot write {}", partial.display()))?;
    std::fs::rename(&partial, &path).with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}

/// Creates an empty file readable by its owner only (backups are as
/// confidential as the database).
fn private_file(path: &Path) -> Result<()> {
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    opts.open(path).with_context(|| format!("cannot create {}", path.display()))?;
    Ok(())
}

/// Writes a backup directory: a consistent snapshot of the database, taken
/// while the server runs, and every evidence file it refers to (checked
/// against its SHA-256 on the way).
pub async fn backup(settings: &Settings, dir: &Path) -> Result<ExitCode> {
    if let DatabaseUrl::Postgres(_) = settings.database {
        eprintln!("{PG_BACKUP_HELP}");
        return Ok(ExitCode::from(2));
    }
    let store = open_store(settings).await?;
    if dir.exists() {
        bail!("{} already exists: choose a new name for the backup directory", dir.display());
    }
    // Evidence files are sealed: checking them needs the key file (which
    // the backup does not hold: keep its copy apart).
    let keys = Keyring::load(&settings.key_file).ok();
    {
        let mut builder = std::fs::DirBuilder::new();
        #[cfg(unix)]
        {
            use std::os::unix::fs::DirBuilderExt;
            builder.mode(0o700);
        }
        builder.create(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    let written = async {
        let file = dir.join(BACKUP_DATABASE);
        private_file(&file)?;
        store.backup_to(&file).await.map_err(|e| anyhow::Error::new(e).context("the database snapshot failed"))?;
        drop(store);
        let (head, hashes) = backup_contents(&file).await?;
        let files_dir = settings.data_dir.join("files");
        let (mut bytes, mut copied, mut bad) = (0u64, 0usize, vec![]);
        for sha256 in &hashes {
            // One lost or damaged file must not cost the backup of everything
            // else: it is reported, the rest is copied.
            match read_evidence(&files_dir, sha256, keys.as_ref()) {
                Ok(content) => {
                    write_evidence(&dir.join("files"), sha256, &content, keys.as_ref())?;
                    bytes += content.len() as u64;
                    copied += 1;
                }
                Err(e) => bad.push(format!("{e:#}")),
            }
        }
        let size = std::fs::metadata(&file).map(|m| m.len()).unwrap_or(0);
        Ok::<_, anyhow::Error>((head, copied, bytes, size, bad))
    }
    .await;
    let (head, files, bytes, size, bad) = match written {
        Ok(v) => v,
        Err(e) => {
            // No half-written backup left to be mistaken for a good one.
            let _ = std::fs::remove_dir_all(dir);
            return Err(e.context(format!("backup to {} failed; nothing was kept", dir.display())));
        }
    };
    println!(
        "backup written to {}: database ({size} bytes) and {files} evidence files ({bytes} bytes).",
        dir.display()
    );
    println!("audit chain at backup time: {head} (record it apart from the backup: it shows later that the backup was not rewritten)");
    println!("The key file {} is not in the backup: back it up separately.", settings.key_file.display());
    if !bad.is_empty() {
        for problem in &bad {
            eprintln!("{problem}");
        }
        eprintln!(
            "the backup holds the database and {files} evidence files, but {} evidence files could not be backed up \
             (above): restore it with those files put back in place, or find them in an older backup",
            bad.len()
        );
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

pub async fn restore(settings: &Settings, from: &Path) -> Result<ExitCode> {
    let DatabaseUrl::Sqlite(db_path) = &settings.database else {
        eprintln!("{PG_BACKUP_HELP}");
        return Ok(ExitCode::from(2));
    };
    // Sealed evidence files are checked with the key file in place.
    let keys = Keyring::load(&settings.key_file).ok();
    // A backup directory, or a database file alone (backups before evidence
    // files were included; its files must then already be in place).
    let (file, backup_files) = if from.is_dir() {
        (from.join(BACKUP_DATABASE), from.join("files"))
    } else if from.is_file() {
        (from.to_path_buf(), settings.data_dir.join("files"))
    } else {
        bail!("{} is neither a backup directory nor a database file", from.display());
    };
    let file = file.as_path();
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
        // Every evidence file the records refer to, whole, before anything
        // is replaced.
        let hashes = rightsdesk_store::EvidenceStore::evidence_hashes(&store).await?;
        for sha256 in &hashes {
            read_evidence(&backup_files, sha256, keys.as_ref())
                .context("the backup is incomplete; nothing was replaced")?;
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
        Ok((chain, users, hashes))
    }
    .await;
    let (chain, users, hashes) = match checked {
        Ok(v) => v,
        Err(e) => {
            let _ = std::fs::remove_file(&staging);
            return Err(e);
        }
    };
    let files_dir = settings.data_dir.join("files");
    // An older backup's files may be in clear: the next start seals them.
    rightsdesk_web::files::files_may_be_in_clear(&files_dir);
    if backup_files != files_dir {
        let copied: Result<()> = hashes.iter().try_for_each(|sha256| {
            let content = read_evidence(&backup_files, sha256, keys.as_ref())?;
            write_evidence(&files_dir, sha256, &content, keys.as_ref())
        });
        if let Err(e) = copied {
            // Files already copied are harmless (named by their content, and
            // referred to by the database in place only if it has them).
            let _ = std::fs::remove_file(&staging);
            return Err(e.context("copying the evidence files failed; the database was not replaced"));
        }
    }
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
        "restored {} into {}: {users} accounts, {} evidence files, {} audit events (chain verified, head {})",
        from.display(),
        db_path.display(),
        hashes.len(),
        chain.events,
        chain.head_hash
    );
    Ok(ExitCode::SUCCESS)
}
