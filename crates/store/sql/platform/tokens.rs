// API tokens.

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
        tx.audit_created(audit, token.id);
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
        tx.audit_created(audit, token_id);
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
