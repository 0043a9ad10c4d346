// The tamper-evident audit chain: its head, the next event, and the reads of the log.

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
