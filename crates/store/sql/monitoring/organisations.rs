// Organisations that interventions address.

fn organisation_from_row(r: &DbRow) -> Result<Organisation, StoreError> {
    Ok(Organisation {
        id: r.try_get("id").map_err(store_err)?,
        name_en: r.try_get("name_en").map_err(store_err)?,
        name_km: r.try_get("name_km").map_err(store_err)?,
        kind: r.try_get("kind").map_err(store_err)?,
    })
}

#[async_trait::async_trait]
impl OrganisationStore for SqlStore {
    async fn create_organisation(&self, new: &NewOrganisation, audit: &AuditEntry) -> StoreResult<Organisation> {
        let mut tx = self.write().await?;
        let id: i64 = sqlx::query("INSERT INTO organisations (name_en, name_km, kind, created_at, updated_at) VALUES ($1, $2, $3, $4, $4) RETURNING id")
            .bind(&new.name_en)
            .bind(&new.name_km)
            .bind(&new.kind)
            .bind(now_micros())
            .fetch_one(&mut *tx)
            .await
            .map_err(store_err)?
            .try_get("id")
            .map_err(store_err)?;
        tx.audit(audit.clone().record("organisation", id).summary(new.kind.clone()));
        tx.changed("organisations", id, "insert");
        tx.commit().await?;
        Ok(Organisation { id, name_en: new.name_en.clone(), name_km: new.name_km.clone(), kind: new.kind.clone() })
    }

    async fn organisations(&self) -> StoreResult<Vec<Organisation>> {
        let rows = sqlx::query("SELECT id, name_en, name_km, kind FROM organisations ORDER BY name_en")
            .fetch_all(&self.reader)
            .await
            .map_err(store_err)?;
        rows.iter().map(organisation_from_row).collect()
    }
}
