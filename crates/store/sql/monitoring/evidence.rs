// Evidence files (the bytes are sealed on disk by the web layer) and their chain of custody.

fn evidence_from_row(r: &DbRow) -> Result<Evidence, StoreError> {
    Ok(Evidence {
        id: r.try_get("id").map_err(store_err)?,
        case_id: r.try_get("case_id").map_err(store_err)?,
        sha256: r.try_get("sha256").map_err(store_err)?,
        size_bytes: r.try_get("size_bytes").map_err(store_err)?,
        content_type: r.try_get("content_type").map_err(store_err)?,
        filename_enc: r.try_get("filename_enc").map_err(store_err)?,
        description: r.try_get("description").map_err(store_err)?,
        uploaded_by: r.try_get("uploaded_by").map_err(store_err)?,
        uploaded_at: r.try_get("uploaded_at").map_err(store_err)?,
    })
}

const EVIDENCE_SQL: &str = "SELECT id, case_id, sha256, size_bytes, content_type, filename_enc, description, uploaded_by, \
     uploaded_at FROM evidence WHERE case_id = $1 ORDER BY id";

#[async_trait::async_trait]
impl EvidenceStore for SqlStore {
    async fn add_evidence(&self, new: &NewEvidence, keys: &rightsdesk_crypto::Keyring, audit: &AuditEntry) -> StoreResult<Evidence> {
        let mut tx = self.write().await?;
        let now = now_micros();
        let id: i64 = sqlx::query(
            "INSERT INTO evidence (case_id, sha256, size_bytes, content_type, description, uploaded_by, uploaded_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(new.case_id)
        .bind(&new.sha256)
        .bind(new.size_bytes)
        .bind(&new.content_type)
        .bind(&new.description)
        .bind(new.uploaded_by)
        .bind(now)
        .fetch_one(&mut *tx)
        .await
        .map_err(store_err)?
        .try_get("id")
        .map_err(store_err)?;
        let sealed = keys.encrypt_str(rightsdesk_store::monitoring::evidence_filename_ref(id), &new.filename);
        sqlx::query("UPDATE evidence SET filename_enc = $1 WHERE id = $2").bind(&sealed).bind(id).execute(&mut *tx).await.map_err(store_err)?;
        sqlx::query("INSERT INTO custody (evidence_id, at_micros, user_id, action, note) VALUES ($1, $2, $3, 'uploaded', $4)")
            .bind(id)
            .bind(now)
            .bind(new.uploaded_by)
            .bind(format!("sha256 {}", new.sha256))
            .execute(&mut *tx)
            .await
            .map_err(store_err)?;
        let entry = audit.clone().record("case", new.case_id).summary(format!("evidence {id} uploaded ({} bytes, {})", new.size_bytes, new.content_type));
        tx.audit(entry);
        tx.changed("cases", new.case_id, "update");
        tx.commit().await?;
        self.evidence(id).await?.ok_or(StoreError::NotFound)
    }

    async fn evidence(&self, id: i64) -> StoreResult<Option<Evidence>> {
        let row = sqlx::query(
            "SELECT id, case_id, sha256, size_bytes, content_type, filename_enc, description, uploaded_by, uploaded_at FROM evidence WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(&self.writer)
        .await
        .map_err(store_err)?;
        row.as_ref().map(evidence_from_row).transpose()
    }

    async fn evidence_hash_in_use(&self, sha256: &str) -> StoreResult<bool> {
        let row = sqlx::query("SELECT 1 AS x FROM evidence WHERE sha256 = $1 LIMIT 1")
            .bind(sha256)
            .fetch_optional(&self.writer)
            .await
            .map_err(store_err)?;
        Ok(row.is_some())
    }

    async fn evidence_hashes(&self) -> StoreResult<Vec<String>> {
        sqlx::query_scalar("SELECT DISTINCT sha256 FROM evidence ORDER BY sha256")
            .fetch_all(&self.reader)
            .await
            .map_err(store_err)
    }

    async fn case_evidence(&self, case_id: i64) -> StoreResult<Vec<Evidence>> {
        let rows = sqlx::query(EVIDENCE_SQL).bind(case_id).fetch_all(&self.reader).await.map_err(store_err)?;
        rows.iter().map(evidence_from_row).collect()
    }

    async fn add_custody(&self, evidence_id: i64, user_id: i64, action: &str, note: &str, audit: &AuditEntry) -> StoreResult<()> {
        let mut tx = self.write().await?;
        let row = sqlx::query("SELECT case_id FROM evidence WHERE id = $1")
            .bind(evidence_id)
            .fetch_optional(&mut *tx)
            .await
            .map_err(store_err)?
            .ok_or(StoreError::NotFound)?;
        let case_id: i64 = row.try_get("case_id").map_err(store_err)?;
        sqlx::query("INSERT INTO custody (evidence_id, at_micros, user_id, action, note) VALUES ($1, $2, $3, $4, $5)")
            .bind(evidence_id)
            .bind(now_micros())
            .bind(user_id)
            .bind(action)
            .bind(note)
            .execute(&mut *tx)
            .await
            .map_err(store_err)?;
        tx.audit(audit.clone().record("case", case_id).summary(format!("evidence {evidence_id}: {action}")));
        tx.commit().await.map(drop)
    }

    async fn custody(&self, evidence_id: i64) -> StoreResult<Vec<CustodyEntry>> {
        let rows = sqlx::query(
            "SELECT c.at_micros, COALESCE(u.name, '') AS user_name, c.action, c.note FROM custody c \
             LEFT JOIN users u ON u.id = c.user_id WHERE c.evidence_id = $1 ORDER BY c.id",
        )
        .bind(evidence_id)
        .fetch_all(&self.reader)
        .await
        .map_err(store_err)?;
        rows.iter()
            .map(|r| {
                Ok(CustodyEntry {
                    at_micros: r.try_get("at_micros").map_err(store_err)?,
                    user_name: r.try_get("user_name").map_err(store_err)?,
                    action: r.try_get("action").map_err(store_err)?,
                    note: r.try_get("note").map_err(store_err)?,
                })
            })
            .collect()
    }
}
