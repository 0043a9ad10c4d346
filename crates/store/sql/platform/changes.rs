// The change log the search indexer follows.

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
