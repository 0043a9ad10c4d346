// Accounts: sign-in state, roles, second factor.

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
        tx.audit_created(audit, id);
        tx.commit().await.map(drop)
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
        tx.audit_created(audit, id);
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
        tx.audit_created(audit, id);
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
        tx.audit_created(audit, id);
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
