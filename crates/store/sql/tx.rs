// The one write path (see docs/architecture.md, "Store"). Every write
// begins with `SqlStore::write`, says what it did with `audit` and `changed`,
// and ends with `Write::commit`, which chains the audit events, records the
// changes for the search indexer and commits, in that order, in one place.
//
// The audit chain is taken at commit, not at the first event: on PostgreSQL
// the chain is an advisory lock held until the transaction ends, so taking it
// last keeps every other writer waiting for the shortest time, and events and
// change-log entries get their sequence numbers in commit order. Dropping a
// `Write` without `commit` rolls everything back (sqlx's `Transaction`).

/// A write transaction with the audit events and changes it will record.
struct Write {
    tx: sqlx::Transaction<'static, Db>,
    events: Vec<(AuditEntry, Option<String>)>,
    changes: Vec<(&'static str, String, &'static str)>,
}

impl SqlStore {
    /// Begins the one kind of write transaction (`begin_write` is the
    /// backend's: `BEGIN IMMEDIATE` on SQLite, a plain `BEGIN` on PostgreSQL).
    async fn write(&self) -> StoreResult<Write> {
        Ok(Write { tx: self.begin_write().await?, events: vec![], changes: vec![] })
    }
}

impl std::ops::Deref for Write {
    type Target = Conn;
    fn deref(&self) -> &Conn {
        &self.tx
    }
}

impl std::ops::DerefMut for Write {
    fn deref_mut(&mut self) -> &mut Conn {
        &mut self.tx
    }
}

impl Write {
    /// Records `entry` in the audit chain when this write commits.
    fn audit(&mut self, entry: AuditEntry) {
        self.events.push((entry, None));
    }

    /// The same, with the id of the record the write created (known only
    /// after its INSERT) in place of the entry's.
    fn audit_created(&mut self, entry: &AuditEntry, record_id: impl ToString) {
        self.events.push((entry.clone(), Some(record_id.to_string())));
    }

    /// Tells the search indexer that a row of an indexed table changed.
    fn changed(&mut self, table: &'static str, record_id: impl ToString, op: &'static str) {
        self.changes.push((table, record_id.to_string(), op));
    }

    /// Undoes the write at once (dropping it does the same when the
    /// connection is next used).
    async fn rollback(self) -> StoreResult<()> {
        self.tx.rollback().await.map_err(store_err)
    }

    /// Chains the audit events, records the changes and commits; returns the
    /// events as written.
    async fn commit(mut self) -> StoreResult<Vec<AuditEvent>> {
        let mut written = Vec::with_capacity(self.events.len());
        if !self.events.is_empty() {
            let mut head = audit_head_in(&mut self.tx).await?;
            for (entry, record_id) in &self.events {
                written.push(next_audit_event(&mut head, entry, record_id.as_deref()));
            }
            insert_audit_events(&mut self.tx, &written).await?;
        }
        if !self.changes.is_empty() {
            let now = now_micros();
            insert_rows(
                &mut self.tx,
                "INSERT INTO change_log (table_name, record_id, op, at_micros) ",
                4,
                &self.changes,
                |mut b, (table, id, op)| {
                    b.push_bind(*table).push_bind(id).push_bind(*op).push_bind(now);
                },
            )
            .await?;
        }
        self.tx.commit().await.map_err(store_err)?;
        Ok(written)
    }
}
