// Sessions of signed-in users.

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
        tx.audit_created(audit, user_id);
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
