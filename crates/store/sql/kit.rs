// The helpers every SQL file uses (see shared.rs for how the files are
// compiled into each backend).

// The SQL both backends share, compiled once into each of them with
// `include!` (see docs/decisions/0002-shared-sql.md). Every statement here is
// written in the dialect common to SQLite and PostgreSQL (`$n` parameters,
// `RETURNING`, `ON CONFLICT ... DO UPDATE`); what differs (how a write
// transaction starts, how the audit chain is serialized, backups,
// migrations) lives in each backend's own `lib.rs`, which defines:
//
//   type Db;                                   the sqlx database type
//   struct SqlStore { writer: Pool<Db>, reader: Pool<Db> }
//   impl SqlStore { async fn begin_write(&self); }  (used by tx.rs's `write` only)
//   async fn lock_audit_chain(conn: &mut <Db as Database>::Connection);
//   async fn reserve_ids(conn, table, n) -> Vec<i64>;  ids for bulk inserts
//   fn backend_kind() -> Backend; and the MaintenanceStore parts that differ.

use rightsdesk_crypto::{chain_hash, GENESIS_HASH};
use rightsdesk_domain::reference::{
    Article, Commune, District, Instrument, Province, Ratification, RatificationStatus, SdgGoal, SdgTarget,
};
use rightsdesk_domain::{Locale, Role};
use rightsdesk_store::*;
use sqlx::{Database, Row};
type Conn = <Db as Database>::Connection;
type DbRow = <Db as Database>::Row;

/// Runs several reads, each with `$1` = `id`, on one connection, and returns
/// the rows of each. On SQLite the text is one prepared (and cached)
/// statement list with one bind per statement, read in one round trip: there
/// every statement costs two thread hand-offs (sqlx runs a connection on its
/// own thread). PostgreSQL prepares single statements only, and a
/// simple-protocol text of several is parsed and planned again on every call
/// (measured: two thirds of the machine's CPU in the PostgreSQL backends), so
/// there each statement goes prepared, one after another on the connection.
async fn read_sections(conn: &mut Conn, statements: &[String], id: i64) -> Result<Vec<Vec<DbRow>>, StoreError> {
    if !MULTI_STATEMENT_BINDS {
        let mut sections = Vec::with_capacity(statements.len());
        for st in statements {
            sections.push(sqlx::query(st).bind(id).fetch_all(&mut *conn).await.map_err(store_err)?);
        }
        return Ok(sections);
    }
    use futures_util::TryStreamExt;
    use sqlx::Executor;
    let mut sections: Vec<Vec<DbRow>> = vec![vec![]];
    let text = statements.join(";\n");
    let mut q = sqlx::query(&text);
    for _ in statements {
        q = q.bind(id);
    }
    let mut stream = conn.fetch_many(q);
    while let Some(item) = stream.try_next().await.map_err(store_err)? {
        match item {
            sqlx::Either::Left(_) => sections.push(vec![]),
            sqlx::Either::Right(row) => sections.last_mut().expect("a section").push(row),
        }
    }
    drop(stream);
    // One result per statement (each statement ends with a result).
    sections.pop();
    if sections.len() != statements.len() {
        return Err(StoreError::Backend(format!("{} results for {} statements", sections.len(), statements.len())));
    }
    Ok(sections)
}

fn store_err(e: sqlx::Error) -> StoreError {
    match &e {
        sqlx::Error::RowNotFound => StoreError::NotFound,
        sqlx::Error::Database(db) if db.is_unique_violation() => {
            StoreError::Conflict(db.constraint().map(str::to_string).unwrap_or_else(|| db.message().to_string()))
        }
        sqlx::Error::Database(db) if db.is_foreign_key_violation() || db.is_check_violation() => {
            StoreError::Constraint(db.constraint().map(str::to_string).unwrap_or_else(|| db.message().to_string()))
        }
        _ => StoreError::Backend(e.to_string()),
    }
}

fn corrupt(what: &str) -> StoreError {
    StoreError::Corrupt(what.to_string())
}

/// Inserts `rows` with multi-row INSERT statements (`head` names the table
/// and columns; `bind` pushes one row's `cols` values), a few thousand rows
/// a statement: one round trip instead of one per row, which is what bulk
/// writes to PostgreSQL over a socket wait on.
async fn insert_rows<'a, T>(
    conn: &mut Conn,
    head: &str,
    cols: usize,
    rows: &'a [T],
    mut bind: impl FnMut(sqlx::query_builder::Separated<'_, 'a, Db, &'static str>, &'a T),
) -> Result<(), StoreError> {
    // SQLite takes at most 32,766 bound values a statement, PostgreSQL 65,535.
    let per_statement = (30_000 / cols.max(1)).max(1);
    for chunk in rows.chunks(per_statement) {
        let mut q = sqlx::QueryBuilder::<Db>::new(head);
        q.push_values(chunk, &mut bind);
        q.build().execute(&mut *conn).await.map_err(store_err)?;
    }
    Ok(())
}

/// A table's row as the store writes it. Its columns are named once, in
/// `INSERT`, and bound once, in `push`, for the single insert of a form and
/// the multi-row insert of an import alike; the id is always the row's own
/// (`reserve_ids`), so both paths write the same statement.
trait TableRow {
    /// `INSERT INTO table (id, column, ...) `
    const INSERT: &'static str;
    /// Pushes this row's values, in the order of `INSERT`'s columns.
    fn push<'a>(&'a self, q: &mut sqlx::query_builder::Separated<'_, 'a, Db, &'static str>);
}

/// Inserts `rows` of one table with as few statements as the backend's
/// bind limit allows.
async fn insert_table_rows<T: TableRow>(conn: &mut Conn, rows: &[T]) -> Result<(), StoreError> {
    let columns = T::INSERT.matches(',').count() + 1;
    insert_rows(conn, T::INSERT, columns, rows, |mut q, row| row.push(&mut q)).await
}

/// The id of one new row of `table`.
async fn reserve_id(conn: &mut Conn, table: &'static str) -> Result<i64, StoreError> {
    let ids = reserve_ids(conn, table, 1).await.map_err(store_err)?;
    ids.first().copied().ok_or_else(|| StoreError::Backend(format!("no id reserved for {table}")))
}

/// A closed-vocabulary column (`domain::choice!`) read back as its enum;
/// a code the enum does not know is a corrupt row, not a default.
fn choice_at<T>(r: &DbRow, column: &'static str, parse: fn(&str) -> Option<T>) -> Result<T, StoreError> {
    let code: String = r.try_get(column).map_err(store_err)?;
    parse(&code).ok_or_else(|| corrupt(column))
}

/// Fails with NotFound when an UPDATE touched no row.
fn one_row(affected: u64) -> Result<(), StoreError> {
    if affected == 0 {
        Err(StoreError::NotFound)
    } else {
        Ok(())
    }
}
