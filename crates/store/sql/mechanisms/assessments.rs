// Assessments of a recommendation's implementation; the latest sets its status.

const ASSESSMENT_COLUMNS: &str = "a.id, a.recommendation_id, a.status, a.assessed_on, a.evidence, a.source, \
     a.assessor_id, COALESCE(u.name, '') AS assessor_name, a.created_at";

fn assessment_from_row(r: &DbRow) -> Result<Assessment, StoreError> {
    let status: String = r.try_get("status").map_err(store_err)?;
    Ok(Assessment {
        id: r.try_get("id").map_err(store_err)?,
        recommendation_id: r.try_get("recommendation_id").map_err(store_err)?,
        status: ImplementationStatus::parse(&status).ok_or_else(|| corrupt("recommendation_assessments.status"))?,
        assessed_on: r.try_get("assessed_on").map_err(store_err)?,
        evidence: r.try_get("evidence").map_err(store_err)?,
        source: r.try_get("source").map_err(store_err)?,
        assessor_id: r.try_get("assessor_id").map_err(store_err)?,
        assessor_name: r.try_get("assessor_name").map_err(store_err)?,
        created_at: r.try_get("created_at").map_err(store_err)?,
    })
}

#[async_trait::async_trait]
impl AssessmentStore for SqlStore {
    async fn add_assessment(
        &self,
        recommendation_id: i64,
        input: &AssessmentInput,
        by: i64,
        audit: &AuditEntry,
    ) -> StoreResult<Assessment> {
        let mut tx = self.write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO recommendation_assessments (recommendation_id, status, assessed_on, evidence, source, assessor_id, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(recommendation_id)
        .bind(input.status.as_str())
        .bind(&input.assessed_on)
        .bind(&input.evidence)
        .bind(&input.source)
        .bind(by)
        .bind(now_micros())
        .fetch_one(&mut *tx)
        .await
        .map_err(store_err)?;
        let done = sqlx::query(
            "UPDATE recommendations SET updated_at = $2, status = (SELECT a.status FROM recommendation_assessments a \
             WHERE a.recommendation_id = $1 ORDER BY a.assessed_on DESC, a.id DESC LIMIT 1) WHERE id = $1",
        )
        .bind(recommendation_id)
        .bind(now_micros())
        .execute(&mut *tx)
        .await
        .map_err(store_err)?;
        one_row(done.rows_affected())?;
        let entry = audit
            .clone()
            .record("recommendation", recommendation_id)
            .summary(format!("assessed {} on {}", input.status.as_str(), input.assessed_on));
        tx.audit(entry);
        tx.changed("recommendations", recommendation_id, "update");
        let row = sqlx::query(&format!(
            "SELECT {ASSESSMENT_COLUMNS} FROM recommendation_assessments a LEFT JOIN users u ON u.id = a.assessor_id WHERE a.id = $1"
        ))
        .bind(id)
        .fetch_one(&mut *tx)
        .await
        .map_err(store_err)?;
        let assessment = assessment_from_row(&row)?;
        tx.commit().await?;
        Ok(assessment)
    }

    async fn assessments(&self, recommendation_id: i64) -> StoreResult<Vec<Assessment>> {
        let rows = sqlx::query(&format!(
            "SELECT {ASSESSMENT_COLUMNS} FROM recommendation_assessments a LEFT JOIN users u ON u.id = a.assessor_id \
             WHERE a.recommendation_id = $1 ORDER BY a.assessed_on DESC, a.id DESC"
        ))
        .bind(recommendation_id)
        .fetch_all(&self.reader)
        .await
        .map_err(store_err)?;
        rows.iter().map(assessment_from_row).collect()
    }
}
