//! PostgreSQL backend: for a headquarters deployment serving many offices
//! (and, through the wire protocol, the distributed Postgres engines).
//!
//! Backups use the server's own tools (`pg_dump` / `pg_restore`); see the
//! README. The audit chain is serialized with a transaction-scoped advisory
//! lock, so concurrent writers on several application nodes still produce
//! one gap-free chain, and change-log sequence numbers commit in order.

use rightsdesk_store::{Backend, EncryptedField, MaintenanceStore, StoreError, StoreResult};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{Pool, Postgres, Transaction};
use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

type Db = Postgres;

/// A prepared statement is one statement: several go one after another
/// (`read_sections`).
const MULTI_STATEMENT_BINDS: bool = false;

/// "Is one of the ids of the JSON array bound as `$1`": a statement text
/// that does not change with the number of ids. `= ANY (ARRAY(...))` and not
/// `IN (SELECT ...)`: with the subquery the planner guessed 100 rows and
/// hashed a sequential scan of the tag table (13 ms against 0.4 ms).
const ID_IN_LIST: &str = "= ANY (ARRAY(SELECT jsonb_array_elements_text($1::jsonb)::bigint))";

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// Key of the advisory lock that serializes audit-chain appends.
const AUDIT_CHAIN_LOCK: i64 = 0x7269_6768_7473; // "rights"
const SCHEDULER_LOCK: i64 = 0x7072_6f74_6563; // "protec"

pub struct SqlStore {
    writer: Pool<Db>,
    reader: Pool<Db>,
}

/// The PostgreSQL store.
pub type PostgresStore = SqlStore;

impl SqlStore {
    /// Connects and applies migrations.
    pub async fn connect(url: &str) -> StoreResult<Self> {
        let opts =
            PgConnectOptions::from_str(url).map_err(|e| StoreError::Unsupported(format!("bad PostgreSQL URL: {e}")))?;
        // Plans made for the values at hand: the case list's optional filters
        // are written `$n IS NULL OR ...`, which a generic (cached) plan
        // cannot prune, so it scanned where an index would do (65 ms against
        // 8 ms for the count at 100k cases). And no JIT: the generic plan's
        // high cost estimate set off JIT compilation, 450 ms for a query that
        // runs in 1 ms. See docs/benchmarks.md.
        let opts = opts.options([("jit", "off"), ("plan_cache_mode", "force_custom_plan")]);
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .acquire_timeout(Duration::from_secs(30))
            .connect_with(opts)
            .await
            .map_err(store_err)?;
        MIGRATOR.run(&pool).await.map_err(|e| StoreError::Backend(format!("migration failed: {e}")))?;
        Ok(SqlStore { writer: pool.clone(), reader: pool })
    }

    async fn begin_write(&self) -> StoreResult<Transaction<'static, Db>> {
        self.writer.begin().await.map_err(store_err)
    }
}

async fn lock_audit_chain(conn: &mut sqlx::PgConnection) -> sqlx::Result<()> {
    sqlx::query("SELECT pg_advisory_xact_lock($1)").bind(AUDIT_CHAIN_LOCK).execute(conn).await?;
    Ok(())
}

/// Ids for `n` new rows of `table`, from its sequence in one round trip.
async fn reserve_ids(conn: &mut sqlx::PgConnection, table: &'static str, n: usize) -> sqlx::Result<Vec<i64>> {
    if n == 0 {
        return Ok(vec![]);
    }
    sqlx::query_scalar("SELECT nextval(pg_get_serial_sequence($1, 'id')) FROM generate_series(1, $2)")
        .bind(table)
        .bind(n as i64)
        .fetch_all(conn)
        .await
}

/// The protection scheduler: one pass at a time across every node
/// (a transaction-level advisory lock; a node that does not get it skips).
///
/// The pass reads the pending partial indexes (migration 0018) by plain
/// index scans only. Each pass updates the rows it raises, which leaves
/// their old index entries behind until a vacuum; an index scan marks them
/// dead as it passes (the next pass skips them without reading the table),
/// a bitmap scan does not, and after a large pass the statistics make the
/// planner choose one (measured: 7 ms a pass over 4,766 dead entries,
/// 0.2 ms with the index scan). Both settings end with the transaction.
async fn try_scheduler_lock(conn: &mut sqlx::PgConnection) -> sqlx::Result<bool> {
    let locked: bool =
        sqlx::query_scalar("SELECT pg_try_advisory_xact_lock($1)").bind(SCHEDULER_LOCK).fetch_one(&mut *conn).await?;
    if locked {
        sqlx::query("SELECT set_config('enable_seqscan', 'off', true), set_config('enable_bitmapscan', 'off', true)")
            .execute(&mut *conn)
            .await?;
    }
    Ok(locked)
}

/// After a write that changed many rows of a table (a scheduler pass that
/// raised a backlog), fresh planner statistics: with stale ones the alerts
/// page's query sorts every open alert instead of walking its index (93 ms
/// against 6 ms at 13,656 open alerts). Autovacuum would do it later, or
/// never where it is off.
async fn refresh_statistics(pool: &sqlx::PgPool, tables: &[&'static str]) -> sqlx::Result<()> {
    for table in tables {
        sqlx::query(&format!("ANALYZE {table}")).execute(pool).await?;
    }
    Ok(())
}

include!("../../store/sql/shared.rs");

#[async_trait::async_trait]
impl MaintenanceStore for SqlStore {
    fn backend(&self) -> Backend {
        Backend::Postgres
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

    async fn backup_to(&self, _path: &Path) -> StoreResult<()> {
        Err(StoreError::Unsupported(
            "on PostgreSQL, back up with pg_dump --format=custom and restore with pg_restore (see README)".into(),
        ))
    }

    async fn close(&self) {
        self.writer.close().await;
    }
}

/// Test support: a throw-away database per test on the server named by
/// `RIGHTSDESK_TEST_POSTGRES_URL`.
pub mod testing {
    use sqlx::Connection;

    pub const ENV: &str = "RIGHTSDESK_TEST_POSTGRES_URL";

    /// The URL of a new, empty database, and its name (for dropping).
    pub async fn create_database() -> Option<(String, String)> {
        let base = std::env::var(ENV).ok().filter(|u| !u.is_empty())?;
        let name = format!("rd_test_{:016x}", rand::random::<u64>());
        let mut admin =
            sqlx::PgConnection::connect(&base).await.unwrap_or_else(|e| panic!("{ENV}: cannot connect: {e}"));
        sqlx::query(&format!("CREATE DATABASE {name}")).execute(&mut admin).await.expect("create test database");
        admin.close().await.ok();
        Some((with_database(&base, &name), name))
    }

    /// The same server URL (credentials and options kept) naming another database.
    pub fn with_database(base: &str, name: &str) -> String {
        let (no_query, query) = match base.split_once('?') {
            Some((a, b)) => (a, format!("?{b}")),
            None => (base, String::new()),
        };
        let host_start = no_query.find("://").map(|i| i + 3).unwrap_or(0);
        match no_query[host_start..].find('/') {
            Some(i) => format!("{}/{name}{query}", &no_query[..host_start + i]),
            None => format!("{no_query}/{name}{query}"),
        }
    }

    pub async fn drop_database(name: &str) {
        let Ok(base) = std::env::var(ENV) else { return };
        if let Ok(mut admin) = sqlx::PgConnection::connect(&base).await {
            let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).execute(&mut admin).await;
            admin.close().await.ok();
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn test_database_url_keeps_credentials_and_options() {
        use super::testing::with_database;
        assert_eq!(
            with_database("postgres://u:p@h:5432/test?sslmode=disable", "x"),
            "postgres://u:p@h:5432/x?sslmode=disable"
        );
        assert_eq!(with_database("postgres://u@h", "x"), "postgres://u@h/x");
    }
}
