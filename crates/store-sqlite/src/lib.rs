//! SQLite backend: the default, embedded in the one binary.
//!
//! One writer connection (SQLite allows one writer at a time anyway; holding
//! it in-process avoids busy errors) and a small pool of readers, in WAL mode
//! with foreign keys on. Write transactions start with `BEGIN IMMEDIATE`, so a
//! second process (the CLI next to a running server) waits for the lock
//! instead of failing half-way.

use rightsdesk_store::{Backend, EncryptedField, MaintenanceStore, StoreError, StoreResult};
use sqlx::pool::PoolOptions;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous};
use sqlx::{Pool, Sqlite, Transaction};
use std::path::{Path, PathBuf};
use std::time::Duration;

type Db = Sqlite;

/// A text of several statements is prepared (and cached) as one, each
/// statement taking its own binds (`read_sections`).
const MULTI_STATEMENT_BINDS: bool = true;

/// "Is one of the ids of the JSON array bound as `$1`": a statement text
/// that does not change with the number of ids.
const ID_IN_LIST: &str = "IN (SELECT value FROM json_each($1))";

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

pub struct SqlStore {
    writer: Pool<Db>,
    reader: Pool<Db>,
    path: PathBuf,
}

/// Rebuilds `users` with the focal-point role and the account's institution
/// (what migration 0009 does on PostgreSQL), once: SQLite changes a CHECK
/// constraint only by the rebuild of its documented "other schema changes"
/// procedure, with foreign keys off, which cannot happen inside the
/// transaction sqlx wraps each migration in. Ids are kept, so every table
/// that refers to `users` still finds its rows; `foreign_key_check` must come
/// back empty or nothing changes.
async fn focal_point_accounts(pool: &Pool<Db>) -> StoreResult<()> {
    let mut conn = pool.acquire().await.map_err(store_err)?;
    let table: Option<String> =
        sqlx::query_scalar("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'users'")
            .fetch_optional(&mut *conn)
            .await
            .map_err(store_err)?;
    if table.is_none_or(|sql| sql.contains("focal_point")) {
        return Ok(());
    }
    sqlx::query("PRAGMA foreign_keys = OFF").execute(&mut *conn).await.map_err(store_err)?;
    let rebuilt = rebuild_users(&mut conn).await;
    if rebuilt.is_err() {
        let _ = sqlx::query("ROLLBACK").execute(&mut *conn).await;
    }
    sqlx::query("PRAGMA foreign_keys = ON").execute(&mut *conn).await.map_err(store_err)?;
    rebuilt.map_err(|e| StoreError::Backend(format!("migration of accounts for focal points failed: {e}")))
}

/// The rebuild of `focal_point_accounts`, in its own transaction.
async fn rebuild_users(conn: &mut sqlx::SqliteConnection) -> sqlx::Result<()> {
    sqlx::query("BEGIN IMMEDIATE").execute(&mut *conn).await?;
    for statement in [
        "CREATE TABLE users_new (
                id              INTEGER PRIMARY KEY,
                email           TEXT NOT NULL UNIQUE,
                name            TEXT NOT NULL,
                role            TEXT NOT NULL CHECK (role IN ('admin', 'head_of_office', 'officer', 'legal_officer',
                                    'mechanisms_officer', 'programme_officer', 'analyst', 'viewer', 'focal_point')),
                office_id       INTEGER NOT NULL REFERENCES offices (id),
                locale          TEXT NOT NULL DEFAULT 'en' CHECK (locale IN ('en', 'km')),
                khmer_digits    INTEGER NOT NULL DEFAULT 0 CHECK (khmer_digits IN (0, 1)),
                password_hash   TEXT NOT NULL,
                totp_secret     BLOB,
                totp_last_step  INTEGER,
                disabled        INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
                failed_logins   INTEGER NOT NULL DEFAULT 0,
                locked_until    INTEGER,
                created_at      INTEGER NOT NULL,
                last_login_at   INTEGER,
                organisation_id INTEGER REFERENCES organisations (id),
                CHECK ((role = 'focal_point') = (organisation_id IS NOT NULL))
            )",
        "INSERT INTO users_new (id, email, name, role, office_id, locale, khmer_digits, password_hash, totp_secret,
                                   totp_last_step, disabled, failed_logins, locked_until, created_at, last_login_at)
                SELECT id, email, name, role, office_id, locale, khmer_digits, password_hash, totp_secret,
                       totp_last_step, disabled, failed_logins, locked_until, created_at, last_login_at FROM users",
        "DROP TABLE users",
        "ALTER TABLE users_new RENAME TO users",
        "CREATE INDEX users_organisation ON users (organisation_id)",
    ] {
        sqlx::query(statement).execute(&mut *conn).await?;
    }
    let broken = sqlx::query("PRAGMA foreign_key_check").fetch_all(&mut *conn).await?;
    if !broken.is_empty() {
        return Err(sqlx::Error::Protocol(format!("{} rows would lose their account", broken.len())));
    }
    sqlx::query("COMMIT").execute(&mut *conn).await?;
    Ok(())
}

/// The SQLite store, opened on a file.
pub type SqliteStore = SqlStore;

fn options(path: &Path) -> SqliteConnectOptions {
    SqliteConnectOptions::new()
        .filename(path)
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(10))
}

impl SqlStore {
    /// Opens (creating if needed) the database file and applies migrations.
    pub async fn open(path: &Path) -> StoreResult<Self> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .map_err(|e| StoreError::Backend(format!("cannot create {}: {e}", dir.display())))?;
        }
        let writer = PoolOptions::<Db>::new()
            .max_connections(1)
            .acquire_timeout(Duration::from_secs(30))
            .connect_with(options(path))
            .await
            .map_err(store_err)?;
        MIGRATOR.run(&writer).await.map_err(|e| StoreError::Backend(format!("migration failed: {e}")))?;
        focal_point_accounts(&writer).await?;
        let reader = PoolOptions::<Db>::new()
            .max_connections(4)
            .connect_with(options(path).read_only(true))
            .await
            .map_err(store_err)?;
        Ok(SqlStore { writer, reader, path: path.to_path_buf() })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    async fn begin_write(&self) -> StoreResult<Transaction<'static, Db>> {
        self.writer.begin_with("BEGIN IMMEDIATE").await.map_err(store_err)
    }

    /// Writes the write-ahead log back into the database file and empties it,
    /// so the file alone holds every committed transaction (before it is
    /// moved or copied without its `-wal`).
    pub async fn checkpoint(&self) -> StoreResult<()> {
        let row = sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)").fetch_one(&self.writer).await.map_err(store_err)?;
        // (busy, log frames, checkpointed frames): busy = 1 means it could not finish.
        let busy: i64 = row.try_get(0).map_err(store_err)?;
        if busy != 0 {
            return Err(StoreError::Backend("the write-ahead log could not be checkpointed (database busy)".into()));
        }
        Ok(())
    }

    /// `PRAGMA integrity_check`: "ok" when the file is sound.
    pub async fn integrity_check(&self) -> StoreResult<String> {
        let row = sqlx::query("PRAGMA integrity_check").fetch_one(&self.writer).await.map_err(store_err)?;
        row.try_get::<String, _>(0).map_err(store_err)
    }
}

/// The write lock taken by `BEGIN IMMEDIATE` already serializes the chain.
async fn lock_audit_chain(_conn: &mut sqlx::SqliteConnection) -> sqlx::Result<()> {
    Ok(())
}

/// Ids for `n` new rows of `table`. The caller holds the write transaction
/// (BEGIN IMMEDIATE), so no one else inserts, and these tables have no
/// AUTOINCREMENT: every id above the largest is free.
async fn reserve_ids(conn: &mut sqlx::SqliteConnection, table: &'static str, n: usize) -> sqlx::Result<Vec<i64>> {
    let max: i64 = sqlx::query_scalar(&format!("SELECT COALESCE(MAX(id), 0) FROM {table}")).fetch_one(conn).await?;
    Ok((max + 1..=max + n as i64).collect())
}

/// The protection scheduler's lock: one node, and the write transaction
/// (BEGIN IMMEDIATE) already serializes its passes.
async fn try_scheduler_lock(_conn: &mut sqlx::SqliteConnection) -> sqlx::Result<bool> {
    Ok(true)
}

/// Planner statistics after a large write: SQLite's planner does without
/// (the scheduler's queries use their indexes on a fresh database too).
async fn refresh_statistics(_pool: &sqlx::SqlitePool, _tables: &[&'static str]) -> sqlx::Result<()> {
    Ok(())
}

include!("../../store/sql/shared.rs");

#[async_trait::async_trait]
impl MaintenanceStore for SqlStore {
    fn backend(&self) -> Backend {
        Backend::Sqlite
    }

    async fn ping(&self) -> StoreResult<()> {
        sqlx::query("SELECT 1").execute(&self.reader).await.map_err(store_err)?;
        Ok(())
    }

    async fn analyze(&self) -> StoreResult<()> {
        sqlx::query("ANALYZE").execute(&self.writer).await.map_err(store_err)?;
        Ok(())
    }

    async fn migrate(&self) -> StoreResult<()> {
        MIGRATOR.run(&self.writer).await.map_err(|e| StoreError::Backend(format!("migration failed: {e}")))
    }

    async fn encrypted_values(&self, field: EncryptedField) -> StoreResult<Vec<(i64, Vec<u8>)>> {
        self.encrypted_values_shared(field).await
    }

    async fn replace_encrypted_value(
        &self,
        field: EncryptedField,
        id: i64,
        old: &[u8],
        new: &[u8],
    ) -> StoreResult<bool> {
        self.replace_encrypted_value_shared(field, id, old, new).await
    }

    /// `VACUUM INTO` writes a consistent, compacted copy while the database
    /// stays in use.
    async fn backup_to(&self, path: &Path) -> StoreResult<()> {
        // VACUUM INTO writes into a new or empty file only.
        if std::fs::metadata(path).is_ok_and(|m| m.len() > 0) {
            return Err(StoreError::Conflict(format!("{} already exists", path.display())));
        }
        let target = path.to_str().ok_or_else(|| StoreError::Unsupported("backup path is not UTF-8".into()))?;
        sqlx::query("VACUUM INTO $1").bind(target).execute(&self.writer).await.map_err(store_err)?;
        Ok(())
    }

    async fn close(&self) {
        self.reader.close().await;
        self.writer.close().await;
    }
}
