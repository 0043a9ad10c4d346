// The state's treaty commitments (ratifications and what it accepted).

#[async_trait::async_trait]
impl TreatyStore for SqlStore {
    async fn treaty_commitments(&self, state: &str) -> StoreResult<Vec<TreatyCommitment>> {
        let rows = sqlx::query(
            "SELECT instrument_code, state, reservations, declarations, individual_complaints, updated_at \
             FROM treaty_commitments WHERE state = $1 ORDER BY instrument_code",
        )
        .bind(state)
        .fetch_all(&self.reader)
        .await
        .map_err(store_err)?;
        rows.iter()
            .map(|r| {
                Ok(TreatyCommitment {
                    instrument_code: r.try_get("instrument_code").map_err(store_err)?,
                    state: r.try_get("state").map_err(store_err)?,
                    reservations: r.try_get("reservations").map_err(store_err)?,
                    declarations: r.try_get("declarations").map_err(store_err)?,
                    individual_complaints: r.try_get("individual_complaints").map_err(store_err)?,
                    updated_at: r.try_get("updated_at").map_err(store_err)?,
                })
            })
            .collect()
    }

    async fn set_treaty_commitment(
        &self,
        instrument_code: &str,
        state: &str,
        f: &rightsdesk_domain::reference::CommitmentFields,
        by: i64,
        audit: &AuditEntry,
    ) -> StoreResult<()> {
        let mut tx = self.write().await?;
        sqlx::query(
            "INSERT INTO treaty_commitments (instrument_code, state, reservations, declarations, individual_complaints, updated_by, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (instrument_code, state) DO UPDATE SET \
             reservations = excluded.reservations, declarations = excluded.declarations, \
             individual_complaints = excluded.individual_complaints, updated_by = excluded.updated_by, updated_at = excluded.updated_at",
        )
        .bind(instrument_code)
        .bind(state)
        .bind(&f.reservations)
        .bind(&f.declarations)
        .bind(&f.individual_complaints)
        .bind(by)
        .bind(now_micros())
        .execute(&mut *tx)
        .await
        .map_err(store_err)?;
        let entry = audit
            .clone()
            .record("treaty", instrument_code)
            .summary(format!("{state}: complaints {}", f.individual_complaints));
        tx.audit(entry);
        tx.commit().await.map(drop)
    }
}
