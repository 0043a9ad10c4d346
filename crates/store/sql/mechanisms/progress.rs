// Progress updates from institutions' focal points and their review.

#[async_trait::async_trait]
impl ProgressUpdateStore for SqlStore {
    async fn submit_progress_update(
        &self,
        recommendation_id: i64,
        organisation_id: i64,
        by: i64,
        status: ImplementationStatus,
        text: &str,
        audit: &AuditEntry,
    ) -> StoreResult<ProgressUpdate> {
        let mut tx = self.write().await?;
        // Only for a recommendation assigned to that institution.
        let assigned: Option<i64> = sqlx::query_scalar(
            "SELECT organisation_id FROM recommendation_institutions WHERE recommendation_id = $1 AND organisation_id = $2",
        )
        .bind(recommendation_id)
        .bind(organisation_id)
        .fetch_optional(&mut *tx)
        .await
        .map_err(store_err)?;
        if assigned.is_none() {
            return Err(StoreError::NotFound);
        }
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO progress_updates (recommendation_id, organisation_id, submitted_by, submitted_at, status, text) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(recommendation_id)
        .bind(organisation_id)
        .bind(by)
        .bind(now_micros())
        .bind(status.as_str())
        .bind(text)
        .fetch_one(&mut *tx)
        .await
        .map_err(store_err)?;
        let entry = audit
            .clone()
            .record("recommendation", recommendation_id)
            .summary(format!("progress update {id} from organisation {organisation_id}: {}", status.as_str()));
        tx.audit(entry);
        let update = update_in(&mut tx, id).await?.ok_or(StoreError::NotFound)?;
        tx.commit().await?;
        Ok(update)
    }

    async fn progress_updates(&self, recommendation_id: i64, organisation_id: Option<i64>) -> StoreResult<Vec<ProgressUpdate>> {
        let rows = sqlx::query(&format!(
            "SELECT {UPDATE_COLUMNS} FROM {UPDATE_FROM} WHERE p.recommendation_id = $1 \
             AND ($2 IS NULL OR p.organisation_id = $2) ORDER BY p.id DESC"
        ))
        .bind(recommendation_id)
        .bind(organisation_id)
        .fetch_all(&self.reader)
        .await
        .map_err(store_err)?;
        rows.iter().map(update_from_row).collect()
    }

    async fn pending_progress_updates(&self) -> StoreResult<Vec<ProgressUpdate>> {
        let rows = sqlx::query(&format!(
            "SELECT {UPDATE_COLUMNS} FROM {UPDATE_FROM} WHERE p.review = 'submitted' ORDER BY p.id LIMIT 500"
        ))
        .fetch_all(&self.reader)
        .await
        .map_err(store_err)?;
        rows.iter().map(update_from_row).collect()
    }

    async fn progress_update(&self, id: i64) -> StoreResult<Option<ProgressUpdate>> {
        let mut conn = self.reader.acquire().await.map_err(store_err)?;
        update_in(&mut conn, id).await
    }

    async fn review_progress_update(
        &self,
        id: i64,
        accept: bool,
        comment: &str,
        on: &str,
        reviewer: i64,
        audit: &AuditEntry,
    ) -> StoreResult<ProgressUpdate> {
        let mut tx = self.write().await?;
        let now = now_micros();
        let done = sqlx::query(
            "UPDATE progress_updates SET review = $1, reviewed_by = $2, reviewed_at = $3, review_comment = $4 \
             WHERE id = $5 AND review = 'submitted'",
        )
        .bind(if accept { "accepted" } else { "returned" })
        .bind(reviewer)
        .bind(now)
        .bind(comment)
        .bind(id)
        .execute(&mut *tx)
        .await
        .map_err(store_err)?;
        let update = update_in(&mut tx, id).await?.ok_or(StoreError::NotFound)?;
        if done.rows_affected() == 0 {
            return Err(StoreError::Conflict("progress_updates.review".into()));
        }
        if accept {
            // The update becomes an assessment of the office, in the history.
            sqlx::query(
                "INSERT INTO recommendation_assessments (recommendation_id, status, assessed_on, evidence, source, assessor_id, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(update.recommendation_id)
            .bind(update.status.as_str())
            .bind(on)
            .bind(&update.text)
            .bind(format!("{} ({})", update.organisation_name, update.submitted_by_name))
            .bind(reviewer)
            .bind(now)
            .execute(&mut *tx)
            .await
            .map_err(store_err)?;
            sqlx::query(
                "UPDATE recommendations SET updated_at = $2, status = (SELECT a.status FROM recommendation_assessments a \
                 WHERE a.recommendation_id = $1 ORDER BY a.assessed_on DESC, a.id DESC LIMIT 1) WHERE id = $1",
            )
            .bind(update.recommendation_id)
            .bind(now)
            .execute(&mut *tx)
            .await
            .map_err(store_err)?;
            tx.changed("recommendations", update.recommendation_id, "update");
        }
        let entry = audit.clone().record("recommendation", update.recommendation_id).summary(format!(
            "progress update {id} {}",
            if accept { "accepted" } else { "sent back" }
        ));
        tx.audit(entry);
        tx.commit().await?;
        Ok(update)
    }
}

const UPDATE_COLUMNS: &str = "p.id, p.recommendation_id, p.organisation_id, o.name_en AS organisation_name, \
     COALESCE(s.name, '') AS submitted_by_name, p.submitted_at, p.status, p.text, p.review, \
     COALESCE(v.name, '') AS reviewed_by_name, p.reviewed_at, p.review_comment";

const UPDATE_FROM: &str = "progress_updates p JOIN organisations o ON o.id = p.organisation_id \
     LEFT JOIN users s ON s.id = p.submitted_by LEFT JOIN users v ON v.id = p.reviewed_by";

fn update_from_row(r: &DbRow) -> Result<ProgressUpdate, StoreError> {
    let status: String = r.try_get("status").map_err(store_err)?;
    Ok(ProgressUpdate {
        id: r.try_get("id").map_err(store_err)?,
        recommendation_id: r.try_get("recommendation_id").map_err(store_err)?,
        organisation_id: r.try_get("organisation_id").map_err(store_err)?,
        organisation_name: r.try_get("organisation_name").map_err(store_err)?,
        submitted_by_name: r.try_get("submitted_by_name").map_err(store_err)?,
        submitted_at: r.try_get("submitted_at").map_err(store_err)?,
        status: ImplementationStatus::parse(&status).ok_or_else(|| corrupt("progress_updates.status"))?,
        text: r.try_get("text").map_err(store_err)?,
        review: r.try_get("review").map_err(store_err)?,
        reviewed_by_name: r.try_get("reviewed_by_name").map_err(store_err)?,
        reviewed_at: r.try_get("reviewed_at").map_err(store_err)?,
        review_comment: r.try_get("review_comment").map_err(store_err)?,
    })
}

async fn update_in(conn: &mut Conn, id: i64) -> Result<Option<ProgressUpdate>, StoreError> {
    let row = sqlx::query(&format!("SELECT {UPDATE_COLUMNS} FROM {UPDATE_FROM} WHERE p.id = $1"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await
        .map_err(store_err)?;
    row.as_ref().map(update_from_row).transpose()
}
