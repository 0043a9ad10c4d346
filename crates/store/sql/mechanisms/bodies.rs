// Mechanisms: treaty bodies, the UPR, special procedures.

#[async_trait::async_trait]
impl MechanismStore for SqlStore {
    async fn mechanisms(&self) -> StoreResult<Vec<Mechanism>> {
        let rows = sqlx::query("SELECT code, kind, name_en, name_km, instrument_code FROM mechanisms ORDER BY kind DESC, code")
            .fetch_all(&self.reader)
            .await
            .map_err(store_err)?;
        rows.iter()
            .map(|r| {
                let kind: String = r.try_get("kind").map_err(store_err)?;
                Ok(Mechanism {
                    code: r.try_get("code").map_err(store_err)?,
                    kind: MechanismKind::parse(&kind).ok_or_else(|| corrupt("mechanisms.kind"))?,
                    name_en: r.try_get("name_en").map_err(store_err)?,
                    name_km: r.try_get("name_km").map_err(store_err)?,
                    instrument_code: r.try_get("instrument_code").map_err(store_err)?,
                })
            })
            .collect()
    }

    async fn create_mechanism(&self, m: &rightsdesk_domain::mechanisms::MechanismFields, audit: &AuditEntry) -> StoreResult<()> {
        let mut tx = self.write().await?;
        sqlx::query("INSERT INTO mechanisms (code, kind, name_en, name_km, instrument_code) VALUES ($1, $2, $3, $4, NULL)")
            .bind(&m.code)
            .bind(&m.kind)
            .bind(&m.name_en)
            .bind(&m.name_km)
            .execute(&mut *tx)
            .await
            .map_err(store_err)?;
        tx.audit(audit.clone().record("mechanism", m.code.as_str()).summary(m.kind.clone()));
        tx.commit().await.map(drop)
    }
}
