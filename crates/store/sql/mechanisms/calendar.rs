// The reporting calendar and its iCalendar feeds.

#[async_trait::async_trait]
impl CalendarStore for SqlStore {
    // The reporting calendar and its feeds.
    async fn reporting_events(&self) -> StoreResult<Vec<ReportingEvent>> {
        let rows = sqlx::query(&format!("SELECT {EVENT_COLUMNS} FROM reporting_events ORDER BY due_on, id"))
            .fetch_all(&self.reader)
            .await
            .map_err(store_err)?;
        rows.iter().map(event_from_row).collect()
    }

    async fn add_reporting_event(
        &self,
        i: &rightsdesk_domain::mechanisms::ReportingEventInput,
        by: i64,
        audit: &AuditEntry,
    ) -> StoreResult<ReportingEvent> {
        let mut tx = self.write().await?;
        let now = now_micros();
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO reporting_events (mechanism_code, kind, cycle, title, due_on, status, notes, title_km, cycle_km, notes_km, \
             created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, 'open', $6, $7, $8, $9, $10, $11, $11) RETURNING id",
        )
        .bind(&i.mechanism_code)
        .bind(&i.kind)
        .bind(&i.cycle)
        .bind(&i.title)
        .bind(&i.due_on)
        .bind(&i.notes)
        .bind(&i.title_km)
        .bind(&i.cycle_km)
        .bind(&i.notes_km)
        .bind(by)
        .bind(now)
        .fetch_one(&mut *tx)
        .await
        .map_err(store_err)?;
        let entry = audit.clone().record("reporting_event", id).summary(format!("{} {} due {}", i.mechanism_code, i.kind, i.due_on));
        tx.audit(entry);
        let event = event_in(&mut tx, id).await?;
        tx.commit().await?;
        Ok(event)
    }

    async fn set_reporting_event_status(
        &self,
        id: i64,
        status: &str,
        done_on: Option<&str>,
        audit: &AuditEntry,
    ) -> StoreResult<ReportingEvent> {
        let mut tx = self.write().await?;
        let done = sqlx::query("UPDATE reporting_events SET status = $1, done_on = $2, updated_at = $3 WHERE id = $4")
            .bind(status)
            .bind(done_on)
            .bind(now_micros())
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(store_err)?;
        one_row(done.rows_affected())?;
        let entry = audit.clone().record("reporting_event", id).summary(format!("{status} {}", done_on.unwrap_or("")));
        tx.audit(entry);
        let event = event_in(&mut tx, id).await?;
        tx.commit().await?;
        Ok(event)
    }

    async fn create_calendar_feed(&self, user_id: i64, token_hash: &str, audit: &AuditEntry) -> StoreResult<()> {
        let mut tx = self.write().await?;
        let now = now_micros();
        sqlx::query("UPDATE calendar_feeds SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL")
            .bind(now)
            .bind(user_id)
            .execute(&mut *tx)
            .await
            .map_err(store_err)?;
        sqlx::query("INSERT INTO calendar_feeds (user_id, token_hash, created_at) VALUES ($1, $2, $3)")
            .bind(user_id)
            .bind(token_hash)
            .bind(now)
            .execute(&mut *tx)
            .await
            .map_err(store_err)?;
        tx.audit(audit.clone().record("user", user_id).summary("calendar feed started"));
        tx.commit().await.map(drop)
    }

    async fn revoke_calendar_feeds(&self, user_id: i64, audit: &AuditEntry) -> StoreResult<()> {
        let mut tx = self.write().await?;
        sqlx::query("UPDATE calendar_feeds SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL")
            .bind(now_micros())
            .bind(user_id)
            .execute(&mut *tx)
            .await
            .map_err(store_err)?;
        tx.audit(audit.clone().record("user", user_id).summary("calendar feed revoked"));
        tx.commit().await.map(drop)
    }

    async fn calendar_feed_user(&self, token_hash: &str) -> StoreResult<Option<i64>> {
        sqlx::query_scalar("SELECT user_id FROM calendar_feeds WHERE token_hash = $1 AND revoked_at IS NULL")
            .bind(token_hash)
            .fetch_optional(&self.reader)
            .await
            .map_err(store_err)
    }

    async fn has_calendar_feed(&self, user_id: i64) -> StoreResult<bool> {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM calendar_feeds WHERE user_id = $1 AND revoked_at IS NULL")
            .bind(user_id)
            .fetch_one(&self.reader)
            .await
            .map_err(store_err)?;
        Ok(n > 0)
    }
}

const EVENT_COLUMNS: &str =
    "id, mechanism_code, kind, cycle, title, due_on, status, done_on, notes, title_km, cycle_km, notes_km, updated_at";

fn event_from_row(r: &DbRow) -> Result<ReportingEvent, StoreError> {
    Ok(ReportingEvent {
        id: r.try_get("id").map_err(store_err)?,
        mechanism_code: r.try_get("mechanism_code").map_err(store_err)?,
        kind: r.try_get("kind").map_err(store_err)?,
        cycle: r.try_get("cycle").map_err(store_err)?,
        title: r.try_get("title").map_err(store_err)?,
        due_on: r.try_get("due_on").map_err(store_err)?,
        status: r.try_get("status").map_err(store_err)?,
        done_on: r.try_get("done_on").map_err(store_err)?,
        notes: r.try_get("notes").map_err(store_err)?,
        title_km: r.try_get("title_km").map_err(store_err)?,
        cycle_km: r.try_get("cycle_km").map_err(store_err)?,
        notes_km: r.try_get("notes_km").map_err(store_err)?,
        updated_at: r.try_get("updated_at").map_err(store_err)?,
    })
}

async fn event_in(conn: &mut Conn, id: i64) -> Result<ReportingEvent, StoreError> {
    let row = sqlx::query(&format!("SELECT {EVENT_COLUMNS} FROM reporting_events WHERE id = $1"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await
        .map_err(store_err)?
        .ok_or(StoreError::NotFound)?;
    event_from_row(&row)
}
