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

const USER_COLUMNS: &str = "u.id, u.email, u.name, u.role, u.office_id, o.code AS office_code, u.locale, \
     u.khmer_digits, u.disabled, u.password_hash, u.totp_secret, u.failed_logins, u.locked_until, \
     u.created_at, u.last_login_at, u.organisation_id";

fn user_from_row(r: &DbRow) -> Result<User, StoreError> {
    let role: String = r.try_get("role").map_err(store_err)?;
    let locale: String = r.try_get("locale").map_err(store_err)?;
    Ok(User {
        id: r.try_get("id").map_err(store_err)?,
        email: r.try_get("email").map_err(store_err)?,
        name: r.try_get("name").map_err(store_err)?,
        role: role.parse::<Role>().map_err(|_| corrupt("users.role"))?,
        office_id: r.try_get("office_id").map_err(store_err)?,
        office_code: r.try_get("office_code").map_err(store_err)?,
        locale: locale.parse::<Locale>().map_err(|_| corrupt("users.locale"))?,
        khmer_digits: r.try_get("khmer_digits").map_err(store_err)?,
        disabled: r.try_get("disabled").map_err(store_err)?,
        password_hash: r.try_get("password_hash").map_err(store_err)?,
        totp_secret: r.try_get("totp_secret").map_err(store_err)?,
        failed_logins: r.try_get("failed_logins").map_err(store_err)?,
        locked_until: r.try_get("locked_until").map_err(store_err)?,
        created_at: r.try_get("created_at").map_err(store_err)?,
        last_login_at: r.try_get("last_login_at").map_err(store_err)?,
        organisation_id: r.try_get("organisation_id").map_err(store_err)?,
    })
}

fn office_from_row(r: &DbRow) -> Result<Office, StoreError> {
    Ok(Office {
        id: r.try_get("id").map_err(store_err)?,
        code: r.try_get("code").map_err(store_err)?,
        name_en: r.try_get("name_en").map_err(store_err)?,
        name_km: r.try_get("name_km").map_err(store_err)?,
    })
}

fn audit_from_row(r: &DbRow) -> Result<AuditEvent, StoreError> {
    Ok(AuditEvent {
        seq: r.try_get("seq").map_err(store_err)?,
        at_micros: r.try_get("at_micros").map_err(store_err)?,
        actor_id: r.try_get("actor_id").map_err(store_err)?,
        actor_label: r.try_get("actor_label").map_err(store_err)?,
        action: r.try_get("action").map_err(store_err)?,
        record_type: r.try_get("record_type").map_err(store_err)?,
        record_id: r.try_get("record_id").map_err(store_err)?,
        summary: r.try_get("summary").map_err(store_err)?,
        prev_hash: r.try_get("prev_hash").map_err(store_err)?,
        hash: r.try_get("hash").map_err(store_err)?,
    })
}

fn token_from_row(r: &DbRow) -> Result<ApiToken, StoreError> {
    Ok(ApiToken {
        id: r.try_get("id").map_err(store_err)?,
        user_id: r.try_get("user_id").map_err(store_err)?,
        label: r.try_get("label").map_err(store_err)?,
        created_at: r.try_get("created_at").map_err(store_err)?,
        last_used_at: r.try_get("last_used_at").map_err(store_err)?,
        revoked_at: r.try_get("revoked_at").map_err(store_err)?,
    })
}

/// Takes the audit chain for this transaction and reads its head (last
/// sequence number and hash); events chained on it with `next_audit_event`
/// are written with `insert_audit_events` before the transaction commits.
async fn audit_head_in(conn: &mut Conn) -> Result<(i64, String), StoreError> {
    lock_audit_chain(&mut *conn).await.map_err(store_err)?;
    let last = sqlx::query("SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1")
        .fetch_optional(&mut *conn)
        .await
        .map_err(store_err)?;
    Ok(match last {
        Some(r) => (r.try_get("seq").map_err(store_err)?, r.try_get("hash").map_err(store_err)?),
        None => (0, GENESIS_HASH.to_string()),
    })
}

/// The next event of the chain after `head`, which it then becomes.
fn next_audit_event(head: &mut (i64, String), entry: &AuditEntry, record_id: Option<&str>) -> AuditEvent {
    let mut ev = AuditEvent {
        seq: head.0 + 1,
        at_micros: now_micros(),
        actor_id: entry.actor_id,
        actor_label: entry.actor_label.clone(),
        action: entry.action.clone(),
        record_type: entry.record_type.clone(),
        record_id: record_id.unwrap_or(&entry.record_id).to_string(),
        summary: entry.summary.clone(),
        prev_hash: std::mem::take(&mut head.1),
        hash: String::new(),
    };
    ev.hash = chain_hash(&ev.prev_hash, &ev.link());
    *head = (ev.seq, ev.hash.clone());
    ev
}

async fn insert_audit_events(conn: &mut Conn, events: &[AuditEvent]) -> Result<(), StoreError> {
    insert_rows(
        conn,
        "INSERT INTO audit_events (seq, at_micros, actor_id, actor_label, action, record_type, record_id, summary, prev_hash, hash) ",
        10,
        events,
        |mut b, ev| {
            b.push_bind(ev.seq)
                .push_bind(ev.at_micros)
                .push_bind(ev.actor_id)
                .push_bind(&ev.actor_label)
                .push_bind(&ev.action)
                .push_bind(&ev.record_type)
                .push_bind(&ev.record_id)
                .push_bind(&ev.summary)
                .push_bind(&ev.prev_hash)
                .push_bind(&ev.hash);
        },
    )
    .await
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

/// Fails with NotFound when an UPDATE touched no row.
fn one_row(affected: u64) -> Result<(), StoreError> {
    if affected == 0 {
        Err(StoreError::NotFound)
    } else {
        Ok(())
    }
}

impl SqlStore {
    async fn fetch_user(&self, by_id: Option<i64>, by_email: Option<&str>) -> Result<Option<User>, StoreError> {
        let sql = format!(
            "SELECT {USER_COLUMNS} FROM users u JOIN offices o ON o.id = u.office_id \
             WHERE ($1 IS NULL OR u.id = $1) AND ($2 IS NULL OR u.email = $2)"
        );
        let row = sqlx::query(&sql).bind(by_id).bind(by_email).fetch_optional(&self.reader).await.map_err(store_err)?;
        row.as_ref().map(user_from_row).transpose()
    }

    async fn user_in(conn: &mut Conn, id: i64) -> Result<User, StoreError> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users u JOIN offices o ON o.id = u.office_id WHERE u.id = $1");
        let row = sqlx::query(&sql).bind(id).fetch_one(&mut *conn).await.map_err(store_err)?;
        user_from_row(&row)
    }

    /// Runs a one-statement user update with its audit event in one transaction.
    async fn update_user_with<'q>(
        &self,
        id: i64,
        query: sqlx::query::Query<'q, Db, <Db as Database>::Arguments<'q>>,
        audit: &AuditEntry,
    ) -> Result<(), StoreError> {
        let mut tx = self.write().await?;
        let done = query.execute(&mut *tx).await.map_err(store_err)?;
        one_row(done.rows_affected())?;
        tx.audit_created(audit, &id.to_string());
        tx.commit().await.map(drop)
    }
}

#[async_trait::async_trait]
impl OfficeStore for SqlStore {
    async fn list_offices(&self) -> StoreResult<Vec<Office>> {
        let rows = sqlx::query("SELECT id, code, name_en, name_km FROM offices ORDER BY id")
            .fetch_all(&self.reader)
            .await
            .map_err(store_err)?;
        rows.iter().map(office_from_row).collect()
    }

    async fn office_by_code(&self, code: &str) -> StoreResult<Option<Office>> {
        let row = sqlx::query("SELECT id, code, name_en, name_km FROM offices WHERE code = $1")
            .bind(code)
            .fetch_optional(&self.reader)
            .await
            .map_err(store_err)?;
        row.as_ref().map(office_from_row).transpose()
    }

    async fn create_office(&self, new: &NewOffice, audit: &AuditEntry) -> StoreResult<Office> {
        let mut tx = self.write().await?;
        let row = sqlx::query(
            "INSERT INTO offices (code, name_en, name_km, created_at) VALUES ($1, $2, $3, $4) \
             RETURNING id, code, name_en, name_km",
        )
        .bind(&new.code)
        .bind(&new.name_en)
        .bind(&new.name_km)
        .bind(now_micros())
        .fetch_one(&mut *tx)
        .await
        .map_err(store_err)?;
        let office = office_from_row(&row)?;
        let id = office.id.to_string();
        tx.audit_created(audit, &id);
        tx.changed("offices", &id, "insert");
        tx.commit().await?;
        Ok(office)
    }
}

#[async_trait::async_trait]
impl UserStore for SqlStore {
    async fn create_user(&self, new: &NewUser, audit: &AuditEntry) -> StoreResult<User> {
        let mut tx = self.write().await?;
        // No two accounts whose addresses look the same (issue 14): checked
        // here, in the write transaction, for every way an account is made.
        let key = rightsdesk_domain::Email::lookalike_key(&new.email);
        let emails: Vec<String> = sqlx::query_scalar("SELECT email FROM users").fetch_all(&mut *tx).await.map_err(store_err)?;
        if emails.iter().any(|e| rightsdesk_domain::Email::lookalike_key(e) == key) {
            return Err(StoreError::Conflict("an account with this e-mail address, or one that looks the same, exists".into()));
        }
        let id: i64 = sqlx::query(
            "INSERT INTO users (email, name, role, office_id, locale, password_hash, created_at, organisation_id) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(&new.email)
        .bind(&new.name)
        .bind(new.role.as_str())
        .bind(new.office_id)
        .bind(new.locale.as_str())
        .bind(&new.password_hash)
        .bind(now_micros())
        .bind(new.organisation_id)
        .fetch_one(&mut *tx)
        .await
        .map_err(store_err)?
        .try_get("id")
        .map_err(store_err)?;
        tx.audit_created(audit, &id.to_string());
        let user = Self::user_in(&mut tx, id).await?;
        tx.commit().await?;
        Ok(user)
    }

    async fn user_by_id(&self, id: i64) -> StoreResult<Option<User>> {
        self.fetch_user(Some(id), None).await
    }

    async fn user_by_email(&self, email: &str) -> StoreResult<Option<User>> {
        self.fetch_user(None, Some(email)).await
    }

    async fn list_users(&self) -> StoreResult<Vec<User>> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users u JOIN offices o ON o.id = u.office_id ORDER BY u.email");
        let rows = sqlx::query(&sql).fetch_all(&self.reader).await.map_err(store_err)?;
        rows.iter().map(user_from_row).collect()
    }

    async fn count_users(&self) -> StoreResult<i64> {
        sqlx::query("SELECT COUNT(*) AS n FROM users")
            .fetch_one(&self.reader)
            .await
            .map_err(store_err)?
            .try_get("n")
            .map_err(store_err)
    }

    async fn update_user(
        &self,
        id: i64,
        name: &str,
        role: Role,
        office_id: i64,
        organisation_id: Option<i64>,
        audit: &AuditEntry,
    ) -> StoreResult<User> {
        let mut tx = self.write().await?;
        let done = sqlx::query("UPDATE users SET name = $1, role = $2, office_id = $3, organisation_id = $4 WHERE id = $5")
            .bind(name)
            .bind(role.as_str())
            .bind(office_id)
            .bind(organisation_id)
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(store_err)?;
        one_row(done.rows_affected())?;
        tx.audit_created(audit, &id.to_string());
        let user = Self::user_in(&mut tx, id).await?;
        tx.commit().await?;
        Ok(user)
    }

    async fn set_user_disabled(&self, id: i64, disabled: bool, audit: &AuditEntry) -> StoreResult<()> {
        let mut tx = self.write().await?;
        let done = sqlx::query("UPDATE users SET disabled = $1 WHERE id = $2")
            .bind(disabled)
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(store_err)?;
        one_row(done.rows_affected())?;
        if disabled {
            sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(id).execute(&mut *tx).await.map_err(store_err)?;
            // Secrets that act for the account die with it, and do not come
            // back when it is enabled again: API tokens and calendar feeds.
            for revoke in [
                "UPDATE api_tokens SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL",
                "UPDATE calendar_feeds SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL",
            ] {
                sqlx::query(revoke).bind(now_micros()).bind(id).execute(&mut *tx).await.map_err(store_err)?;
            }
        }
        tx.audit_created(audit, &id.to_string());
        tx.commit().await.map(drop)
    }

    async fn set_password_hash(&self, id: i64, hash: &str, audit: &AuditEntry) -> StoreResult<()> {
        let q = sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2").bind(hash.to_string()).bind(id);
        self.update_user_with(id, q, audit).await
    }

    async fn set_preferences(&self, id: i64, locale: Locale, khmer_digits: bool, audit: &AuditEntry) -> StoreResult<()> {
        let q = sqlx::query("UPDATE users SET locale = $1, khmer_digits = $2 WHERE id = $3")
            .bind(locale.as_str())
            .bind(khmer_digits)
            .bind(id);
        self.update_user_with(id, q, audit).await
    }

    async fn set_totp_secret(&self, id: i64, secret: Option<&[u8]>, audit: &AuditEntry) -> StoreResult<()> {
        let q = sqlx::query("UPDATE users SET totp_secret = $1 WHERE id = $2").bind(secret.map(<[u8]>::to_vec)).bind(id);
        self.update_user_with(id, q, audit).await
    }

    async fn claim_login_attempt(&self, id: i64, now: i64, threshold: i64, lock_micros: i64) -> StoreResult<Option<LoginThrottle>> {
        let mut tx = self.write().await?;
        // A lock that has run out starts a fresh count.
        sqlx::query(
            "UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = $1 AND locked_until IS NOT NULL AND locked_until <= $2",
        )
        .bind(id)
        .bind(now)
        .execute(&mut *tx)
        .await
        .map_err(store_err)?;
        let row = sqlx::query(
            "UPDATE users SET failed_logins = failed_logins + 1, \
             locked_until = CASE WHEN failed_logins + 1 >= $1 THEN $2 ELSE NULL END \
             WHERE id = $3 AND (locked_until IS NULL OR locked_until <= $4) RETURNING failed_logins, locked_until",
        )
        .bind(threshold)
        .bind(now + lock_micros)
        .bind(id)
        .bind(now)
        .fetch_optional(&mut *tx)
        .await
        .map_err(store_err)?;
        tx.commit().await?;
        row.map(|row| {
            Ok(LoginThrottle {
                failed_logins: row.try_get("failed_logins").map_err(store_err)?,
                locked_until: row.try_get("locked_until").map_err(store_err)?,
            })
        })
        .transpose()
    }

    async fn use_totp_step(&self, id: i64, step: i64) -> StoreResult<bool> {
        let done = sqlx::query(
            "UPDATE users SET totp_last_step = $1 WHERE id = $2 AND (totp_last_step IS NULL OR totp_last_step < $1)",
        )
        .bind(step)
        .bind(id)
        .execute(&self.writer)
        .await
        .map_err(store_err)?;
        Ok(done.rows_affected() == 1)
    }

    async fn record_successful_login(&self, id: i64, now: i64, audit: &AuditEntry) -> StoreResult<()> {
        let q = sqlx::query("UPDATE users SET failed_logins = 0, locked_until = NULL, last_login_at = $1 WHERE id = $2")
            .bind(now)
            .bind(id);
        self.update_user_with(id, q, audit).await
    }
}

#[async_trait::async_trait]
impl SessionStore for SqlStore {
    async fn create_session(&self, new: &NewSession) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO sessions (id_hash, user_id, created_at, last_seen_at, expires_at, second_factor_pending) \
             VALUES ($1, $2, $3, $3, $4, $5)",
        )
        .bind(&new.id_hash)
        .bind(new.user_id)
        .bind(new.now)
        .bind(new.expires_at)
        .bind(new.second_factor_pending)
        .execute(&self.writer)
        .await
        .map_err(store_err)?;
        Ok(())
    }

    async fn session(&self, id_hash: &str) -> StoreResult<Option<SessionRecord>> {
        let row = sqlx::query(
            "SELECT id_hash, user_id, created_at, last_seen_at, expires_at, second_factor_pending FROM sessions WHERE id_hash = $1",
        )
        .bind(id_hash)
        .fetch_optional(&self.reader)
        .await
        .map_err(store_err)?;
        row.map(|r| {
            Ok(SessionRecord {
                id_hash: r.try_get("id_hash").map_err(store_err)?,
                user_id: r.try_get("user_id").map_err(store_err)?,
                created_at: r.try_get("created_at").map_err(store_err)?,
                last_seen_at: r.try_get("last_seen_at").map_err(store_err)?,
                expires_at: r.try_get("expires_at").map_err(store_err)?,
                second_factor_pending: r.try_get("second_factor_pending").map_err(store_err)?,
            })
        })
        .transpose()
    }

    async fn session_user(&self, id_hash: &str) -> StoreResult<Option<(SessionRecord, User)>> {
        let sql = format!(
            "SELECT {USER_COLUMNS}, s.id_hash, s.created_at AS s_created_at, s.last_seen_at, s.expires_at, \
             s.second_factor_pending FROM sessions s JOIN users u ON u.id = s.user_id \
             JOIN offices o ON o.id = u.office_id WHERE s.id_hash = $1"
        );
        let row = sqlx::query(&sql).bind(id_hash).fetch_optional(&self.reader).await.map_err(store_err)?;
        row.map(|r| {
            let user = user_from_row(&r)?;
            let session = SessionRecord {
                id_hash: r.try_get("id_hash").map_err(store_err)?,
                user_id: user.id,
                created_at: r.try_get("s_created_at").map_err(store_err)?,
                last_seen_at: r.try_get("last_seen_at").map_err(store_err)?,
                expires_at: r.try_get("expires_at").map_err(store_err)?,
                second_factor_pending: r.try_get("second_factor_pending").map_err(store_err)?,
            };
            Ok((session, user))
        })
        .transpose()
    }

    async fn touch_session(&self, id_hash: &str, now: i64) -> StoreResult<()> {
        sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE id_hash = $2")
            .bind(now)
            .bind(id_hash)
            .execute(&self.writer)
            .await
            .map_err(store_err)?;
        Ok(())
    }

    async fn complete_second_factor(&self, id_hash: &str, user_id: i64, now: i64, audit: &AuditEntry) -> StoreResult<()> {
        let mut tx = self.write().await?;
        let done = sqlx::query("UPDATE sessions SET second_factor_pending = $1 WHERE id_hash = $2 AND user_id = $3")
            .bind(false)
            .bind(id_hash)
            .bind(user_id)
            .execute(&mut *tx)
            .await
            .map_err(store_err)?;
        one_row(done.rows_affected())?;
        sqlx::query("UPDATE users SET failed_logins = 0, locked_until = NULL, last_login_at = $1 WHERE id = $2")
            .bind(now)
            .bind(user_id)
            .execute(&mut *tx)
            .await
            .map_err(store_err)?;
        tx.audit_created(audit, &user_id.to_string());
        tx.commit().await.map(drop)
    }

    async fn delete_session(&self, id_hash: &str) -> StoreResult<()> {
        sqlx::query("DELETE FROM sessions WHERE id_hash = $1").bind(id_hash).execute(&self.writer).await.map_err(store_err)?;
        Ok(())
    }

    async fn delete_user_sessions(&self, user_id: i64) -> StoreResult<()> {
        sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(user_id).execute(&self.writer).await.map_err(store_err)?;
        Ok(())
    }

    async fn delete_all_sessions(&self) -> StoreResult<u64> {
        let done = sqlx::query("DELETE FROM sessions").execute(&self.writer).await.map_err(store_err)?;
        Ok(done.rows_affected())
    }

    async fn purge_sessions(&self, now: i64, idle_before: i64) -> StoreResult<u64> {
        let done = sqlx::query("DELETE FROM sessions WHERE expires_at <= $1 OR last_seen_at < $2")
            .bind(now)
            .bind(idle_before)
            .execute(&self.writer)
            .await
            .map_err(store_err)?;
        Ok(done.rows_affected())
    }
}

#[async_trait::async_trait]
impl TokenStore for SqlStore {
    async fn create_api_token(&self, user_id: i64, label: &str, token_hash: &str, audit: &AuditEntry) -> StoreResult<ApiToken> {
        let mut tx = self.write().await?;
        let row = sqlx::query(
            "INSERT INTO api_tokens (user_id, label, token_hash, created_at) VALUES ($1, $2, $3, $4) \
             RETURNING id, user_id, label, created_at, last_used_at, revoked_at",
        )
        .bind(user_id)
        .bind(label)
        .bind(token_hash)
        .bind(now_micros())
        .fetch_one(&mut *tx)
        .await
        .map_err(store_err)?;
        let token = token_from_row(&row)?;
        tx.audit_created(audit, &token.id.to_string());
        tx.commit().await?;
        Ok(token)
    }

    async fn api_token_user(&self, token_hash: &str, now: i64) -> StoreResult<Option<(ApiToken, User)>> {
        let row = sqlx::query(
            "SELECT id, user_id, label, created_at, last_used_at, revoked_at FROM api_tokens \
             WHERE token_hash = $1 AND revoked_at IS NULL",
        )
        .bind(token_hash)
        .fetch_optional(&self.reader)
        .await
        .map_err(store_err)?;
        let Some(row) = row else { return Ok(None) };
        let mut token = token_from_row(&row)?;
        // Record use at most once a minute: a busy script must not turn
        // every read into a write.
        if token.last_used_at.is_none_or(|t| now - t >= 60_000_000) {
            sqlx::query("UPDATE api_tokens SET last_used_at = $1 WHERE id = $2")
                .bind(now)
                .bind(token.id)
                .execute(&self.writer)
                .await
                .map_err(store_err)?;
            token.last_used_at = Some(now);
        }
        let user = self.user_by_id(token.user_id).await?.ok_or(StoreError::NotFound)?;
        Ok(Some((token, user)))
    }

    async fn list_api_tokens(&self, user_id: i64) -> StoreResult<Vec<ApiToken>> {
        let rows = sqlx::query(
            "SELECT id, user_id, label, created_at, last_used_at, revoked_at FROM api_tokens WHERE user_id = $1 ORDER BY id",
        )
        .bind(user_id)
        .fetch_all(&self.reader)
        .await
        .map_err(store_err)?;
        rows.iter().map(token_from_row).collect()
    }

    async fn revoke_api_token(&self, user_id: i64, token_id: i64, audit: &AuditEntry) -> StoreResult<bool> {
        let mut tx = self.write().await?;
        let done = sqlx::query("UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND user_id = $3 AND revoked_at IS NULL")
            .bind(now_micros())
            .bind(token_id)
            .bind(user_id)
            .execute(&mut *tx)
            .await
            .map_err(store_err)?;
        if done.rows_affected() == 0 {
            return Ok(false); // dropping the transaction rolls it back
        }
        tx.audit_created(audit, &token_id.to_string());
        tx.commit().await?;
        Ok(true)
    }

    async fn revoke_api_tokens(&self, user_id: Option<i64>, audit: &AuditEntry) -> StoreResult<u64> {
        self.revoke_tokens_in(user_id, audit).await
    }
}

impl SqlStore {
    async fn revoke_tokens_in(&self, user_id: Option<i64>, audit: &AuditEntry) -> StoreResult<u64> {
        let mut tx = self.write().await?;
        let done = sqlx::query("UPDATE api_tokens SET revoked_at = $1 WHERE revoked_at IS NULL AND ($2 IS NULL OR user_id = $2)")
            .bind(now_micros())
            .bind(user_id)
            .execute(&mut *tx)
            .await
            .map_err(store_err)?;
        let n = done.rows_affected();
        let entry = audit.clone().summary(format!("{n} tokens revoked"));
        tx.audit(entry);
        tx.commit().await?;
        Ok(n)
    }
}

#[async_trait::async_trait]
impl AuditStore for SqlStore {
    async fn append_audit(&self, entry: &AuditEntry) -> StoreResult<AuditEvent> {
        let mut tx = self.write().await?;
        tx.audit(entry.clone());
        let mut events = tx.commit().await?;
        events.pop().ok_or_else(|| StoreError::Backend("no audit event written".into()))
    }

    async fn list_audit(&self, f: &AuditFilter) -> StoreResult<Vec<AuditEvent>> {
        // Absent filters are passed as NULL so one statement serves every combination.
        let prefix = f.action_prefix.as_ref().map(|p| {
            let escaped = p.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
            format!("{escaped}%")
        });
        let rows = sqlx::query(
            "SELECT seq, at_micros, actor_id, actor_label, action, record_type, record_id, summary, prev_hash, hash \
             FROM audit_events WHERE \
             ($1 IS NULL OR actor_id = $1) AND \
             ($2 IS NULL OR action LIKE $2 ESCAPE '\\') AND \
             ($3 IS NULL OR record_type = $3) AND \
             ($4 IS NULL OR at_micros >= $4) AND \
             ($5 IS NULL OR at_micros <= $5) AND \
             ($6 IS NULL OR seq < $6) \
             ORDER BY seq DESC LIMIT $7",
        )
        .bind(f.actor_id)
        .bind(prefix)
        .bind(f.record_type.clone())
        .bind(f.from_micros)
        .bind(f.to_micros)
        .bind(f.before_seq)
        .bind(f.limit.clamp(1, 1000))
        .fetch_all(&self.reader)
        .await
        .map_err(store_err)?;
        rows.iter().map(audit_from_row).collect()
    }

    async fn audit_events_after(&self, after_seq: i64, limit: i64) -> StoreResult<Vec<AuditEvent>> {
        let rows = sqlx::query(
            "SELECT seq, at_micros, actor_id, actor_label, action, record_type, record_id, summary, prev_hash, hash \
             FROM audit_events WHERE seq > $1 ORDER BY seq LIMIT $2",
        )
        .bind(after_seq)
        .bind(limit)
        .fetch_all(&self.reader)
        .await
        .map_err(store_err)?;
        rows.iter().map(audit_from_row).collect()
    }
}

#[async_trait::async_trait]
impl ChangeLogStore for SqlStore {
    async fn latest_change_seq(&self, table_name: &str) -> StoreResult<i64> {
        let seq: Option<i64> = sqlx::query_scalar("SELECT MAX(seq) FROM change_log WHERE table_name = $1")
            .bind(table_name)
            .fetch_one(&self.reader)
            .await
            .map_err(store_err)?;
        Ok(seq.unwrap_or(0))
    }

    async fn changes_since(&self, after_seq: i64, limit: i64) -> StoreResult<Vec<Change>> {
        let rows = sqlx::query(
            "SELECT seq, table_name, record_id, op, at_micros FROM change_log WHERE seq > $1 ORDER BY seq LIMIT $2",
        )
        .bind(after_seq)
        .bind(limit)
        .fetch_all(&self.reader)
        .await
        .map_err(store_err)?;
        rows.iter()
            .map(|r| {
                Ok(Change {
                    seq: r.try_get("seq").map_err(store_err)?,
                    table_name: r.try_get("table_name").map_err(store_err)?,
                    record_id: r.try_get("record_id").map_err(store_err)?,
                    op: r.try_get("op").map_err(store_err)?,
                    at_micros: r.try_get("at_micros").map_err(store_err)?,
                })
            })
            .collect()
    }
}

fn province_from_row(r: &DbRow) -> Result<Province, StoreError> {
    Ok(Province {
        code: r.try_get("code").map_err(store_err)?,
        name_en: r.try_get("name_en").map_err(store_err)?,
        name_km: r.try_get("name_km").map_err(store_err)?,
    })
}

fn district_from_row(r: &DbRow) -> Result<District, StoreError> {
    Ok(District {
        code: r.try_get("code").map_err(store_err)?,
        province_code: r.try_get("province_code").map_err(store_err)?,
        name_en: r.try_get("name_en").map_err(store_err)?,
        name_km: r.try_get("name_km").map_err(store_err)?,
    })
}

fn instrument_from_row(r: &DbRow) -> Result<Instrument, StoreError> {
    Ok(Instrument {
        code: r.try_get("code").map_err(store_err)?,
        untc_id: r.try_get("untc_id").map_err(store_err)?,
        title: r.try_get("title").map_err(store_err)?,
        is_core: r.try_get("is_core").map_err(store_err)?,
        article_count: r.try_get("article_count").map_err(store_err)?,
    })
}

const INSTRUMENT_SELECT: &str = "SELECT i.code, i.untc_id, i.title, i.is_core, \
     (SELECT COUNT(*) FROM articles a WHERE a.instrument_code = i.code) AS article_count FROM instruments i";

async fn count(conn: &mut Conn, table: &str) -> Result<i64, StoreError> {
    // `table` comes only from the fixed list in `counts_in`.
    sqlx::query(&format!("SELECT COUNT(*) AS n FROM {table}"))
        .fetch_one(&mut *conn)
        .await
        .map_err(store_err)?
        .try_get("n")
        .map_err(store_err)
}

async fn counts_in(conn: &mut Conn) -> Result<ReferenceCounts, StoreError> {
    Ok(ReferenceCounts {
        provinces: count(conn, "provinces").await?,
        districts: count(conn, "districts").await?,
        communes: count(conn, "communes").await?,
        instruments: count(conn, "instruments").await?,
        articles: count(conn, "articles").await?,
        ratifications: count(conn, "ratifications").await?,
        sdg_goals: count(conn, "sdg_goals").await?,
        sdg_targets: count(conn, "sdg_targets").await?,
    })
}

#[async_trait::async_trait]
impl ReferenceStore for SqlStore {
    async fn reference_loaded(&self) -> StoreResult<bool> {
        let row = sqlx::query("SELECT loaded_at FROM reference_meta WHERE name = $1")
            .bind("embedded")
            .fetch_optional(&self.reader)
            .await
            .map_err(store_err)?;
        Ok(row.is_some())
    }

    async fn load_reference(&self, d: &ReferenceData, audit: &AuditEntry) -> StoreResult<ReferenceCounts> {
        let mut tx = self.write().await?;
        tx.audit(audit.clone());
        for p in &d.provinces {
            sqlx::query(
                "INSERT INTO provinces (code, name_en, name_km) VALUES ($1, $2, $3) \
                 ON CONFLICT (code) DO UPDATE SET name_en = excluded.name_en, name_km = excluded.name_km",
            )
            .bind(&p.code)
            .bind(&p.name_en)
            .bind(&p.name_km)
            .execute(&mut *tx)
            .await
            .map_err(store_err)?;
        }
        for x in &d.districts {
            sqlx::query(
                "INSERT INTO districts (code, province_code, name_en, name_km) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (code) DO UPDATE SET province_code = excluded.province_code, name_en = excluded.name_en, name_km = excluded.name_km",
            )
            .bind(&x.code)
            .bind(&x.province_code)
            .bind(&x.name_en)
            .bind(&x.name_km)
            .execute(&mut *tx)
            .await
            .map_err(store_err)?;
        }
        for c in &d.communes {
            sqlx::query(
                "INSERT INTO communes (code, district_code, name_en, name_km) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (code) DO UPDATE SET district_code = excluded.district_code, name_en = excluded.name_en, name_km = excluded.name_km",
            )
            .bind(&c.code)
            .bind(&c.district_code)
            .bind(&c.name_en)
            .bind(&c.name_km)
            .execute(&mut *tx)
            .await
            .map_err(store_err)?;
        }
        for i in &d.instruments {
            sqlx::query(
                "INSERT INTO instruments (code, untc_id, title, is_core) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (code) DO UPDATE SET untc_id = excluded.untc_id, title = excluded.title, is_core = excluded.is_core",
            )
            .bind(&i.code)
            .bind(&i.untc_id)
            .bind(&i.title)
            .bind(i.is_core)
            .execute(&mut *tx)
            .await
            .map_err(store_err)?;
        }
        for a in &d.articles {
            sqlx::query(
                "INSERT INTO articles (instrument_code, number, part, caption, text) VALUES ($1, $2, $3, $4, $5) \
                 ON CONFLICT (instrument_code, number) DO UPDATE SET part = excluded.part, caption = excluded.caption, text = excluded.text",
            )
            .bind(&a.instrument_code)
            .bind(a.number)
            .bind(&a.part)
            .bind(&a.caption)
            .bind(&a.text)
            .execute(&mut *tx)
            .await
            .map_err(store_err)?;
            tx.changed("articles", &format!("{}:{}", a.instrument_code, a.number), "update");
        }
        for r in &d.ratifications {
            sqlx::query(
                "INSERT INTO ratifications (instrument_code, state, status, signature_date, consent_date, source) \
                 VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (instrument_code, state) DO UPDATE SET \
                 status = excluded.status, signature_date = excluded.signature_date, consent_date = excluded.consent_date, source = excluded.source",
            )
            .bind(&r.instrument_code)
            .bind(&r.state)
            .bind(r.status.as_str())
            .bind(&r.signature_date)
            .bind(&r.consent_date)
            .bind(&r.source)
            .execute(&mut *tx)
            .await
            .map_err(store_err)?;
        }
        for g in &d.sdg_goals {
            sqlx::query(
                "INSERT INTO sdg_goals (number, short_en, title_en, short_km, title_km) VALUES ($1, $2, $3, $4, $5) \
                 ON CONFLICT (number) DO UPDATE SET short_en = excluded.short_en, title_en = excluded.title_en, \
                 short_km = excluded.short_km, title_km = excluded.title_km",
            )
            .bind(g.number)
            .bind(&g.short_en)
            .bind(&g.title_en)
            .bind(&g.short_km)
            .bind(&g.title_km)
            .execute(&mut *tx)
            .await
            .map_err(store_err)?;
        }
        for t in &d.sdg_targets {
            sqlx::query(
                "INSERT INTO sdg_targets (code, goal, title_en, title_km) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (code) DO UPDATE SET goal = excluded.goal, title_en = excluded.title_en, title_km = excluded.title_km",
            )
            .bind(&t.code)
            .bind(t.goal)
            .bind(&t.title_en)
            .bind(&t.title_km)
            .execute(&mut *tx)
            .await
            .map_err(store_err)?;
        }
        sqlx::query(
            "INSERT INTO reference_meta (name, loaded_at) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET loaded_at = excluded.loaded_at",
        )
        .bind("embedded")
        .bind(now_micros())
        .execute(&mut *tx)
        .await
        .map_err(store_err)?;
        let counts = counts_in(&mut tx).await?;
        tx.commit().await?;
        Ok(counts)
    }

    async fn reference_counts(&self) -> StoreResult<ReferenceCounts> {
        let mut conn = self.reader.acquire().await.map_err(store_err)?;
        counts_in(&mut conn).await
    }

    async fn provinces(&self) -> StoreResult<Vec<Province>> {
        let rows = sqlx::query("SELECT code, name_en, name_km FROM provinces ORDER BY code")
            .fetch_all(&self.reader)
            .await
            .map_err(store_err)?;
        rows.iter().map(province_from_row).collect()
    }

    async fn province(&self, code: &str) -> StoreResult<Option<Province>> {
        let row = sqlx::query("SELECT code, name_en, name_km FROM provinces WHERE code = $1")
            .bind(code)
            .fetch_optional(&self.reader)
            .await
            .map_err(store_err)?;
        row.as_ref().map(province_from_row).transpose()
    }

    async fn districts(&self, province_code: &str) -> StoreResult<Vec<District>> {
        let rows = sqlx::query("SELECT code, province_code, name_en, name_km FROM districts WHERE province_code = $1 ORDER BY code")
            .bind(province_code)
            .fetch_all(&self.reader)
            .await
            .map_err(store_err)?;
        rows.iter().map(district_from_row).collect()
    }

    async fn district(&self, code: &str) -> StoreResult<Option<District>> {
        let row = sqlx::query("SELECT code, province_code, name_en, name_km FROM districts WHERE code = $1")
            .bind(code)
            .fetch_optional(&self.reader)
            .await
            .map_err(store_err)?;
        row.as_ref().map(district_from_row).transpose()
    }

    async fn communes(&self, district_code: &str) -> StoreResult<Vec<Commune>> {
        let rows = sqlx::query("SELECT code, district_code, name_en, name_km FROM communes WHERE district_code = $1 ORDER BY code")
            .bind(district_code)
            .fetch_all(&self.reader)
            .await
            .map_err(store_err)?;
        rows.iter()
            .map(|r| {
                Ok(Commune {
                    code: r.try_get("code").map_err(store_err)?,
                    district_code: r.try_get("district_code").map_err(store_err)?,
                    name_en: r.try_get("name_en").map_err(store_err)?,
                    name_km: r.try_get("name_km").map_err(store_err)?,
                })
            })
            .collect()
    }

    async fn instruments(&self) -> StoreResult<Vec<Instrument>> {
        let rows = sqlx::query(&format!("{INSTRUMENT_SELECT} ORDER BY i.is_core, i.untc_id"))
            .fetch_all(&self.reader)
            .await
            .map_err(store_err)?;
        rows.iter().map(instrument_from_row).collect()
    }

    async fn instrument(&self, code: &str) -> StoreResult<Option<Instrument>> {
        let row = sqlx::query(&format!("{INSTRUMENT_SELECT} WHERE i.code = $1"))
            .bind(code)
            .fetch_optional(&self.reader)
            .await
            .map_err(store_err)?;
        row.as_ref().map(instrument_from_row).transpose()
    }

    async fn articles(&self, instrument_code: &str) -> StoreResult<Vec<Article>> {
        let rows = sqlx::query(
            "SELECT instrument_code, number, part, caption, text FROM articles WHERE instrument_code = $1 ORDER BY number",
        )
        .bind(instrument_code)
        .fetch_all(&self.reader)
        .await
        .map_err(store_err)?;
        rows.iter()
            .map(|r| {
                Ok(Article {
                    instrument_code: r.try_get("instrument_code").map_err(store_err)?,
                    number: r.try_get("number").map_err(store_err)?,
                    part: r.try_get("part").map_err(store_err)?,
                    caption: r.try_get("caption").map_err(store_err)?,
                    text: r.try_get("text").map_err(store_err)?,
                })
            })
            .collect()
    }

    async fn import_ratifications(&self, rows: &[Ratification], audit: &AuditEntry) -> StoreResult<usize> {
        let mut tx = self.write().await?;
        for chunk in rows.chunks(30_000 / 6) {
            let mut q = sqlx::QueryBuilder::<Db>::new(
                "INSERT INTO ratifications (instrument_code, state, status, signature_date, consent_date, source) ",
            );
            q.push_values(chunk, |mut b, r| {
                b.push_bind(&r.instrument_code)
                    .push_bind(&r.state)
                    .push_bind(r.status.as_str())
                    .push_bind(&r.signature_date)
                    .push_bind(&r.consent_date)
                    .push_bind(&r.source);
            });
            q.push(
                " ON CONFLICT (instrument_code, state) DO UPDATE SET status = excluded.status, \
                 signature_date = excluded.signature_date, consent_date = excluded.consent_date, source = excluded.source",
            );
            q.build().execute(&mut *tx).await.map_err(store_err)?;
        }
        let entry = audit.clone().record("ratifications", "import").summary(format!("{} rows", rows.len()));
        tx.audit(entry);
        tx.commit().await?;
        Ok(rows.len())
    }

    async fn ratification_states(&self) -> StoreResult<Vec<String>> {
        sqlx::query_scalar("SELECT DISTINCT state FROM ratifications ORDER BY state")
            .fetch_all(&self.reader)
            .await
            .map_err(store_err)
    }

    async fn ratifications(&self, state: &str) -> StoreResult<Vec<Ratification>> {
        let rows = sqlx::query(
            "SELECT r.instrument_code, r.state, r.status, r.signature_date, r.consent_date, r.source \
             FROM ratifications r JOIN instruments i ON i.code = r.instrument_code WHERE r.state = $1 ORDER BY i.untc_id",
        )
        .bind(state)
        .fetch_all(&self.reader)
        .await
        .map_err(store_err)?;
        rows.iter()
            .map(|r| {
                let status: String = r.try_get("status").map_err(store_err)?;
                Ok(Ratification {
                    instrument_code: r.try_get("instrument_code").map_err(store_err)?,
                    state: r.try_get("state").map_err(store_err)?,
                    status: RatificationStatus::parse(&status).ok_or_else(|| corrupt("ratifications.status"))?,
                    signature_date: r.try_get("signature_date").map_err(store_err)?,
                    consent_date: r.try_get("consent_date").map_err(store_err)?,
                    source: r.try_get("source").map_err(store_err)?,
                })
            })
            .collect()
    }

    async fn sdg_goals(&self) -> StoreResult<Vec<SdgGoal>> {
        let rows = sqlx::query("SELECT number, short_en, title_en, short_km, title_km FROM sdg_goals ORDER BY number")
            .fetch_all(&self.reader)
            .await
            .map_err(store_err)?;
        rows.iter()
            .map(|r| {
                Ok(SdgGoal {
                    number: r.try_get("number").map_err(store_err)?,
                    short_en: r.try_get("short_en").map_err(store_err)?,
                    title_en: r.try_get("title_en").map_err(store_err)?,
                    short_km: r.try_get("short_km").map_err(store_err)?,
                    title_km: r.try_get("title_km").map_err(store_err)?,
                })
            })
            .collect()
    }

    async fn import_vocabularies(
        &self,
        vocabularies: &[rightsdesk_domain::vocabulary::Vocabulary],
        audit: &AuditEntry,
    ) -> StoreResult<i64> {
        let mut tx = self.write().await?;
        let now = now_micros();
        let mut written = 0i64;
        for v in vocabularies {
            sqlx::query(
                "INSERT INTO vocabularies (code, name, source, imported_at) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (code) DO UPDATE SET name = excluded.name, source = excluded.source, imported_at = excluded.imported_at",
            )
            .bind(&v.code)
            .bind(&v.name)
            .bind(&v.source)
            .bind(now)
            .execute(&mut *tx)
            .await
            .map_err(store_err)?;
            for t in &v.terms {
                // A Khmer label someone added is kept on a re-import.
                sqlx::query(
                    "INSERT INTO vocabulary_terms (vocabulary_code, code, parent_code, level, sort_order, visible, \
                     label_en, label_fr, label_es, label_km) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
                     ON CONFLICT (vocabulary_code, code) DO UPDATE SET parent_code = excluded.parent_code, \
                     level = excluded.level, sort_order = excluded.sort_order, visible = excluded.visible, \
                     label_en = excluded.label_en, label_fr = excluded.label_fr, label_es = excluded.label_es",
                )
                .bind(&v.code)
                .bind(&t.code)
                .bind(&t.parent)
                .bind(t.level)
                .bind(t.order)
                .bind(t.visible)
                .bind(&t.label_en)
                .bind(&t.label_fr)
                .bind(&t.label_es)
                .bind(&t.label_km)
                .execute(&mut *tx)
                .await
                .map_err(store_err)?;
                written += 1;
            }
        }
        let entry = audit.clone().record("vocabulary", "").summary(format!(
            "{} vocabularies, {written} terms",
            vocabularies.len()
        ));
        tx.audit(entry);
        tx.commit().await?;
        Ok(written)
    }

    async fn vocabularies(&self) -> StoreResult<Vec<VocabularySummary>> {
        let rows = sqlx::query(
            "SELECT v.code, v.name, v.source, v.imported_at, \
             (SELECT COUNT(*) FROM vocabulary_terms t WHERE t.vocabulary_code = v.code) AS terms \
             FROM vocabularies v ORDER BY v.code",
        )
        .fetch_all(&self.reader)
        .await
        .map_err(store_err)?;
        rows.iter()
            .map(|r| {
                Ok(VocabularySummary {
                    code: r.try_get("code").map_err(store_err)?,
                    name: r.try_get("name").map_err(store_err)?,
                    source: r.try_get("source").map_err(store_err)?,
                    terms: r.try_get("terms").map_err(store_err)?,
                    imported_at: r.try_get("imported_at").map_err(store_err)?,
                })
            })
            .collect()
    }

    async fn vocabulary_terms(&self, code: &str) -> StoreResult<Vec<rightsdesk_domain::vocabulary::VocabularyTerm>> {
        let rows = sqlx::query(
            "SELECT code, parent_code, level, sort_order, visible, label_en, label_fr, label_es, label_km \
             FROM vocabulary_terms WHERE vocabulary_code = $1",
        )
        .bind(code)
        .fetch_all(&self.reader)
        .await
        .map_err(store_err)?;
        let terms: Vec<rightsdesk_domain::vocabulary::VocabularyTerm> = rows
            .iter()
            .map(|r| {
                Ok(rightsdesk_domain::vocabulary::VocabularyTerm {
                    code: r.try_get("code").map_err(store_err)?,
                    parent: r.try_get("parent_code").map_err(store_err)?,
                    level: r.try_get("level").map_err(store_err)?,
                    order: r.try_get("sort_order").map_err(store_err)?,
                    visible: r.try_get("visible").map_err(store_err)?,
                    label_en: r.try_get("label_en").map_err(store_err)?,
                    label_fr: r.try_get("label_fr").map_err(store_err)?,
                    label_es: r.try_get("label_es").map_err(store_err)?,
                    label_km: r.try_get("label_km").map_err(store_err)?,
                })
            })
            .collect::<Result<_, StoreError>>()?;
        Ok(tree_order(terms))
    }

    async fn sdg_targets(&self, goal: i64) -> StoreResult<Vec<SdgTarget>> {
        let rows = sqlx::query("SELECT code, goal, title_en, title_km FROM sdg_targets WHERE goal = $1")
            .bind(goal)
            .fetch_all(&self.reader)
            .await
            .map_err(store_err)?;
        let mut targets: Vec<SdgTarget> = rows
            .iter()
            .map(|r| {
                Ok(SdgTarget {
                    code: r.try_get("code").map_err(store_err)?,
                    goal: r.try_get("goal").map_err(store_err)?,
                    title_en: r.try_get("title_en").map_err(store_err)?,
                    title_km: r.try_get("title_km").map_err(store_err)?,
                })
            })
            .collect::<Result<_, StoreError>>()?;
        // 16.2 before 16.10, and lettered targets (16.a) after the numbered ones.
        targets.sort_by_key(|t| {
            let sub = t.code.split('.').nth(1).unwrap_or_default().to_string();
            (sub.parse::<u32>().unwrap_or(u32::MAX), sub)
        });
        Ok(targets)
    }
}

/// Shared parts of maintenance: the encrypted-column registry.
impl SqlStore {
    fn check_field(field: EncryptedField) -> Result<(), StoreError> {
        if ENCRYPTED_FIELDS.contains(&field) {
            Ok(())
        } else {
            Err(StoreError::Unsupported(format!("{}.{} is not an encrypted field", field.table, field.column)))
        }
    }

    async fn encrypted_values_shared(&self, field: EncryptedField) -> StoreResult<Vec<(i64, Vec<u8>)>> {
        Self::check_field(field)?;
        let sql = format!(
            "SELECT id, {c} AS v FROM {t} WHERE {c} IS NOT NULL ORDER BY id",
            c = field.column,
            t = field.table
        );
        let rows = sqlx::query(&sql).fetch_all(&self.writer).await.map_err(store_err)?;
        rows.iter()
            .map(|r| Ok((r.try_get("id").map_err(store_err)?, r.try_get("v").map_err(store_err)?)))
            .collect()
    }

    async fn replace_encrypted_value_shared(&self, field: EncryptedField, id: i64, old: &[u8], new: &[u8]) -> StoreResult<bool> {
        Self::check_field(field)?;
        let sql = format!("UPDATE {t} SET {c} = $1 WHERE id = $2 AND {c} = $3", c = field.column, t = field.table);
        let done = sqlx::query(&sql)
            .bind(new.to_vec())
            .bind(id)
            .bind(old.to_vec())
            .execute(&self.writer)
            .await
            .map_err(store_err)?;
        Ok(done.rows_affected() == 1)
    }
}

/// Terms in tree order: each parent followed by its children, siblings by
/// their sort order; terms whose parent is missing come at the top level.
fn tree_order(
    mut terms: Vec<rightsdesk_domain::vocabulary::VocabularyTerm>,
) -> Vec<rightsdesk_domain::vocabulary::VocabularyTerm> {
    terms.sort_by(|a, b| (a.order, &a.code).cmp(&(b.order, &b.code)));
    let codes: std::collections::HashSet<String> = terms.iter().map(|t| t.code.clone()).collect();
    let mut children: std::collections::HashMap<Option<String>, Vec<usize>> = std::collections::HashMap::new();
    for (i, t) in terms.iter().enumerate() {
        let parent = t.parent.clone().filter(|p| codes.contains(p) && p != &t.code);
        children.entry(parent).or_default().push(i);
    }
    let mut out = Vec::with_capacity(terms.len());
    let mut seen = vec![false; terms.len()];
    let mut stack: Vec<usize> = children.get(&None).cloned().unwrap_or_default().into_iter().rev().collect();
    while let Some(i) = stack.pop() {
        if std::mem::replace(&mut seen[i], true) {
            continue;
        }
        out.push(i);
        if let Some(kids) = children.get(&Some(terms[i].code.clone())) {
            stack.extend(kids.iter().rev());
        }
    }
    // A cycle leaves terms unreached: list them rather than lose them.
    out.extend((0..terms.len()).filter(|i| !seen[*i]));
    let mut slots: Vec<Option<rightsdesk_domain::vocabulary::VocabularyTerm>> = terms.into_iter().map(Some).collect();
    out.into_iter().filter_map(|i| slots[i].take()).collect()
}
