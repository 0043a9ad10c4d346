// Offices.

fn office_from_row(r: &DbRow) -> Result<Office, StoreError> {
    Ok(Office {
        id: r.try_get("id").map_err(store_err)?,
        code: r.try_get("code").map_err(store_err)?,
        name_en: r.try_get("name_en").map_err(store_err)?,
        name_km: r.try_get("name_km").map_err(store_err)?,
    })
}

#[async_trait::async_trait]
impl OfficeStore for SqlStore {
    async fn list_offices(&self) -> StoreResult<Vec<Office>> {
        let rows = sqlx::query("SELECT id, code, name_en, name_km FROM offices ORDER BY id")
            .fetch_all(&self.reader)
            .await
            .map_err(store_err)?;
        rows.iter().map(office_from_row).collect()
    }

    async fn office_by_code(&self, code: &str) -> StoreResult<Option<Office>> {
        let row = sqlx::query("SELECT id, code, name_en, name_km FROM offices WHERE code = $1")
            .bind(code)
            .fetch_optional(&self.reader)
            .await
            .map_err(store_err)?;
        row.as_ref().map(office_from_row).transpose()
    }

    async fn create_office(&self, new: &NewOffice, audit: &AuditEntry) -> StoreResult<Office> {
        let mut tx = self.write().await?;
        let row = sqlx::query(
            "INSERT INTO offices (code, name_en, name_km, created_at) VALUES ($1, $2, $3, $4) \
             RETURNING id, code, name_en, name_km",
        )
        .bind(&new.code)
        .bind(&new.name_en)
        .bind(&new.name_km)
        .bind(now_micros())
        .fetch_one(&mut *tx)
        .await
        .map_err(store_err)?;
        let office = office_from_row(&row)?;
        let id = office.id.to_string();
        tx.audit_created(audit, &id);
        tx.changed("offices", &id, "insert");
        tx.commit().await?;
        Ok(office)
    }
}
