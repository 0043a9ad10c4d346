// What a recommendation is linked to: cases, institutions, interventions.

#[async_trait::async_trait]
impl RecommendationLinkStore for SqlStore {
    async fn link_case(&self, recommendation_id: i64, case_id: i64, by: i64, audit: &AuditEntry) -> StoreResult<()> {
        let mut tx = self.write().await?;
        let done = sqlx::query(
            "INSERT INTO recommendation_cases (recommendation_id, case_id, linked_by, linked_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT DO NOTHING",
        )
        .bind(recommendation_id)
        .bind(case_id)
        .bind(by)
        .bind(now_micros())
        .execute(&mut *tx)
        .await
        .map_err(store_err)?;
        if done.rows_affected() == 1 {
            // Recorded on the case's trail: the recommendation is public,
            // the case may be restricted.
            let entry = audit.clone().record("case", case_id).summary(format!("linked to recommendation {recommendation_id}"));
            tx.audit(entry);
            tx.changed("recommendations", recommendation_id, "update");
        }
        tx.commit().await.map(drop)
    }

    async fn unlink_case(&self, recommendation_id: i64, case_id: i64, audit: &AuditEntry) -> StoreResult<()> {
        let mut tx = self.write().await?;
        let done = sqlx::query("DELETE FROM recommendation_cases WHERE recommendation_id = $1 AND case_id = $2")
            .bind(recommendation_id)
            .bind(case_id)
            .execute(&mut *tx)
            .await
            .map_err(store_err)?;
        one_row(done.rows_affected())?;
        let entry = audit.clone().record("case", case_id).summary(format!("unlinked from recommendation {recommendation_id}"));
        tx.audit(entry);
        tx.changed("recommendations", recommendation_id, "update");
        tx.commit().await.map(drop)
    }

    async fn linked_cases(&self, recommendation_id: i64, scope: &rightsdesk_domain::CaseScope) -> StoreResult<Vec<CaseSummary>> {
        let sql = format!(
            "SELECT c.id, c.reference, o.code AS office_code, c.title, c.status, c.sensitivity, c.urgency, c.province_code, \
             c.start_date, c.start_precision, c.updated_at \
             FROM recommendation_cases l JOIN cases c ON c.id = l.case_id JOIN offices o ON o.id = c.office_id \
             WHERE l.recommendation_id = $3 AND {CASE_VISIBLE} ORDER BY c.id DESC LIMIT 200"
        );
        let rows = sqlx::query(&sql)
            .bind(scope.user_id)
            .bind(scope.head_of_office)
            .bind(recommendation_id)
            .fetch_all(&self.reader)
            .await
            .map_err(store_err)?;
        rows.iter().map(summary_from_row).collect()
    }

    async fn case_recommendations(&self, case_id: i64) -> StoreResult<Vec<Recommendation>> {
        let sql = format!(
            "SELECT {RECOMMENDATION_COLUMNS} FROM recommendation_cases l JOIN recommendations r ON r.id = l.recommendation_id \
             WHERE l.case_id = $1 ORDER BY r.id DESC LIMIT 200"
        );
        let mut conn = self.reader.acquire().await.map_err(store_err)?;
        recommendations_in(&mut conn, &sql, vec![Arg::Int(case_id)]).await
    }

    async fn set_institutions(&self, recommendation_id: i64, organisation_ids: &[i64], audit: &AuditEntry) -> StoreResult<()> {
        let mut tx = self.write().await?;
        sqlx::query("DELETE FROM recommendation_institutions WHERE recommendation_id = $1")
            .bind(recommendation_id)
            .execute(&mut *tx)
            .await
            .map_err(store_err)?;
        let mut ids = organisation_ids.to_vec();
        ids.sort_unstable();
        ids.dedup();
        insert_rows(
            &mut tx,
            "INSERT INTO recommendation_institutions (recommendation_id, organisation_id) ",
            2,
            &ids,
            |mut b, org| {
                b.push_bind(recommendation_id).push_bind(*org);
            },
        )
        .await?;
        let list: Vec<String> = ids.iter().map(|i| i.to_string()).collect();
        let entry = audit
            .clone()
            .record("recommendation", recommendation_id)
            .summary(format!("institutions: organisations {}", list.join(",")));
        tx.audit(entry);
        // What a focal point's list and counts hold changes with it.
        tx.changed("recommendations", recommendation_id, "update");
        tx.commit().await.map(drop)
    }

    async fn institutions(&self, recommendation_id: i64) -> StoreResult<Vec<Organisation>> {
        let rows = sqlx::query(
            "SELECT o.id, o.name_en, o.name_km, o.kind FROM recommendation_institutions i \
             JOIN organisations o ON o.id = i.organisation_id WHERE i.recommendation_id = $1 ORDER BY o.name_en",
        )
        .bind(recommendation_id)
        .fetch_all(&self.reader)
        .await
        .map_err(store_err)?;
        rows.iter().map(organisation_from_row).collect()
    }

    async fn link_intervention(&self, recommendation_id: i64, intervention_id: i64, audit: &AuditEntry) -> StoreResult<()> {
        let mut tx = self.write().await?;
        let case_id: i64 = sqlx::query_scalar("SELECT case_id FROM interventions WHERE id = $1")
            .bind(intervention_id)
            .fetch_optional(&mut *tx)
            .await
            .map_err(store_err)?
            .ok_or(StoreError::NotFound)?;
        let done = sqlx::query(
            "INSERT INTO recommendation_interventions (recommendation_id, intervention_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
        )
        .bind(recommendation_id)
        .bind(intervention_id)
        .execute(&mut *tx)
        .await
        .map_err(store_err)?;
        if done.rows_affected() == 1 {
            // On the case's trail: the case may be restricted, the recommendation is not.
            let entry = audit
                .clone()
                .record("case", case_id)
                .summary(format!("intervention {intervention_id} raises recommendation {recommendation_id}"));
            tx.audit(entry);
            tx.changed("recommendations", recommendation_id, "update");
        }
        tx.commit().await.map(drop)
    }

    async fn recommendation_interventions(
        &self,
        recommendation_id: i64,
        scope: &rightsdesk_domain::CaseScope,
    ) -> StoreResult<Vec<Intervention>> {
        let sql = format!(
            "SELECT {INTERVENTION_COLUMNS} FROM recommendation_interventions l JOIN interventions i ON i.id = l.intervention_id \
             JOIN organisations o ON o.id = i.organisation_id JOIN cases c ON c.id = i.case_id \
             WHERE l.recommendation_id = $3 AND {CASE_VISIBLE} ORDER BY i.sent_date DESC, i.id DESC LIMIT 200"
        );
        let rows = sqlx::query(&sql)
            .bind(scope.user_id)
            .bind(scope.head_of_office)
            .bind(recommendation_id)
            .fetch_all(&self.reader)
            .await
            .map_err(store_err)?;
        rows.iter().map(intervention_from_row).collect()
    }

    async fn case_intervention_recommendations(&self, case_id: i64) -> StoreResult<Vec<(i64, Recommendation)>> {
        let sql = format!(
            "SELECT l.intervention_id, {RECOMMENDATION_COLUMNS} FROM recommendation_interventions l \
             JOIN interventions i ON i.id = l.intervention_id JOIN recommendations r ON r.id = l.recommendation_id \
             WHERE i.case_id = $1 ORDER BY l.intervention_id, r.id"
        );
        let rows = sqlx::query(&sql).bind(case_id).fetch_all(&self.reader).await.map_err(store_err)?;
        rows.iter()
            .map(|r| Ok((r.try_get("intervention_id").map_err(store_err)?, recommendation_from_row(r, Tags::default())?)))
            .collect()
    }
}
