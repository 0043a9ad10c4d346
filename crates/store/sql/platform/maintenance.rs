// What both backends' maintenance shares.

/// Shared parts of maintenance: the encrypted-column registry.
impl SqlStore {
    fn check_field(field: EncryptedField) -> Result<(), StoreError> {
        if ENCRYPTED_FIELDS.contains(&field) {
            Ok(())
        } else {
            Err(StoreError::Unsupported(format!("{}.{} is not an encrypted field", field.table, field.column)))
        }
    }

    async fn encrypted_values_shared(&self, field: EncryptedField) -> StoreResult<Vec<(i64, Vec<u8>)>> {
        Self::check_field(field)?;
        let sql = format!(
            "SELECT id, {c} AS v FROM {t} WHERE {c} IS NOT NULL ORDER BY id",
            c = field.column,
            t = field.table
        );
        let rows = sqlx::query(&sql).fetch_all(&self.writer).await.map_err(store_err)?;
        rows.iter()
            .map(|r| Ok((r.try_get("id").map_err(store_err)?, r.try_get("v").map_err(store_err)?)))
            .collect()
    }

    async fn replace_encrypted_value_shared(&self, field: EncryptedField, id: i64, old: &[u8], new: &[u8]) -> StoreResult<bool> {
        Self::check_field(field)?;
        let sql = format!("UPDATE {t} SET {c} = $1 WHERE id = $2 AND {c} = $3", c = field.column, t = field.table);
        let done = sqlx::query(&sql)
            .bind(new.to_vec())
            .bind(id)
            .bind(old.to_vec())
            .execute(&self.writer)
            .await
            .map_err(store_err)?;
        Ok(done.rows_affected() == 1)
    }
}
