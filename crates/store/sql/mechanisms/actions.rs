// Implementation actions and their indicators.

#[async_trait::async_trait]
impl ActionStore for SqlStore {
    async fn actions(&self) -> StoreResult<Vec<ImplementationAction>> {
        let mut conn = self.reader.acquire().await.map_err(store_err)?;
        actions_in(&mut conn, "1 = 1", None).await
    }

    async fn action(&self, id: i64) -> StoreResult<Option<ImplementationAction>> {
        let mut conn = self.reader.acquire().await.map_err(store_err)?;
        Ok(actions_in(&mut conn, "a.id = $1", Some(id)).await?.pop())
    }

    async fn create_action(
        &self,
        i: &rightsdesk_domain::mechanisms::ActionInput,
        by: i64,
        audit: &AuditEntry,
    ) -> StoreResult<ImplementationAction> {
        let mut tx = self.write().await?;
        let now = now_micros();
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO implementation_actions (title, description, organisation_id, due_on, status, created_by, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id",
        )
        .bind(&i.title)
        .bind(&i.description)
        .bind(i.organisation_id)
        .bind(&i.due_on)
        .bind(&i.status)
        .bind(by)
        .bind(now)
        .fetch_one(&mut *tx)
        .await
        .map_err(store_err)?;
        tx.audit(audit.clone().record("action", id).summary(i.status.clone()));
        let action = actions_in(&mut tx, "a.id = $1", Some(id)).await?.pop().ok_or(StoreError::NotFound)?;
        tx.commit().await?;
        Ok(action)
    }

    async fn update_action(
        &self,
        id: i64,
        i: &rightsdesk_domain::mechanisms::ActionInput,
        audit: &AuditEntry,
    ) -> StoreResult<ImplementationAction> {
        let mut tx = self.write().await?;
        let done = sqlx::query(
            "UPDATE implementation_actions SET title = $1, description = $2, organisation_id = $3, due_on = $4, status = $5, \
             updated_at = $6 WHERE id = $7",
        )
        .bind(&i.title)
        .bind(&i.description)
        .bind(i.organisation_id)
        .bind(&i.due_on)
        .bind(&i.status)
        .bind(now_micros())
        .bind(id)
        .execute(&mut *tx)
        .await
        .map_err(store_err)?;
        one_row(done.rows_affected())?;
        tx.audit(audit.clone().record("action", id).summary(i.status.clone()));
        let action = actions_in(&mut tx, "a.id = $1", Some(id)).await?.pop().ok_or(StoreError::NotFound)?;
        tx.commit().await?;
        Ok(action)
    }

    async fn add_indicator(
        &self,
        action_id: i64,
        f: &rightsdesk_domain::mechanisms::IndicatorFields,
        audit: &AuditEntry,
    ) -> StoreResult<Indicator> {
        let mut tx = self.write().await?;
        let now = now_micros();
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO action_indicators (action_id, name, baseline, target, current, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(action_id)
        .bind(&f.name)
        .bind(&f.baseline)
        .bind(&f.target)
        .bind(&f.current)
        .bind(now)
        .fetch_one(&mut *tx)
        .await
        .map_err(store_err)?;
        tx.audit(audit.clone().record("action", action_id).summary(format!("indicator {id} added")));
        tx.commit().await?;
        Ok(Indicator {
            id,
            name: f.name.clone(),
            baseline: f.baseline.clone(),
            target: f.target.clone(),
            current: f.current.clone(),
            updated_at: now,
        })
    }

    async fn update_indicator(&self, action_id: i64, indicator_id: i64, current: &str, audit: &AuditEntry) -> StoreResult<()> {
        let mut tx = self.write().await?;
        let done = sqlx::query("UPDATE action_indicators SET current = $1, updated_at = $2 WHERE id = $3 AND action_id = $4")
            .bind(current)
            .bind(now_micros())
            .bind(indicator_id)
            .bind(action_id)
            .execute(&mut *tx)
            .await
            .map_err(store_err)?;
        one_row(done.rows_affected())?;
        let entry = audit.clone().record("action", action_id).summary(format!("indicator {indicator_id} now {current}"));
        tx.audit(entry);
        tx.commit().await.map(drop)
    }

    async fn link_action(&self, action_id: i64, recommendation_id: i64, audit: &AuditEntry) -> StoreResult<()> {
        let mut tx = self.write().await?;
        let done = sqlx::query(
            "INSERT INTO action_recommendations (action_id, recommendation_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
        )
        .bind(action_id)
        .bind(recommendation_id)
        .execute(&mut *tx)
        .await
        .map_err(store_err)?;
        if done.rows_affected() == 1 {
            let entry = audit.clone().record("action", action_id).summary(format!("serves recommendation {recommendation_id}"));
            tx.audit(entry);
        }
        tx.commit().await.map(drop)
    }

    async fn recommendation_actions(&self, recommendation_id: i64) -> StoreResult<Vec<ImplementationAction>> {
        let mut conn = self.reader.acquire().await.map_err(store_err)?;
        actions_in(
            &mut conn,
            "EXISTS (SELECT 1 FROM action_recommendations ar WHERE ar.action_id = a.id AND ar.recommendation_id = $1)",
            Some(recommendation_id),
        )
        .await
    }
}

const ACTION_COLUMNS: &str = "a.id, a.title, a.description, a.organisation_id, o.name_en AS organisation_name, a.due_on, \
     a.status, a.updated_at";

/// Actions with their indicators and recommendations; `filter` is SQL after WHERE.
async fn actions_in(conn: &mut Conn, filter: &str, arg: Option<i64>) -> Result<Vec<ImplementationAction>, StoreError> {
    let sql = format!(
        "SELECT {ACTION_COLUMNS} FROM implementation_actions a LEFT JOIN organisations o ON o.id = a.organisation_id \
         WHERE {filter} ORDER BY CASE WHEN a.due_on IS NULL THEN 1 ELSE 0 END, a.due_on, a.id"
    );
    let mut q = sqlx::query(&sql);
    if let Some(arg) = arg {
        q = q.bind(arg);
    }
    let rows = q.fetch_all(&mut *conn).await.map_err(store_err)?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let id: i64 = r.try_get("id").map_err(store_err)?;
        let indicators = sqlx::query(
            "SELECT id, name, baseline, target, current, updated_at FROM action_indicators WHERE action_id = $1 ORDER BY id",
        )
        .bind(id)
        .fetch_all(&mut *conn)
        .await
        .map_err(store_err)?
        .iter()
        .map(|i| {
            Ok(Indicator {
                id: i.try_get("id").map_err(store_err)?,
                name: i.try_get("name").map_err(store_err)?,
                baseline: i.try_get("baseline").map_err(store_err)?,
                target: i.try_get("target").map_err(store_err)?,
                current: i.try_get("current").map_err(store_err)?,
                updated_at: i.try_get("updated_at").map_err(store_err)?,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
        let recommendation_ids: Vec<i64> = sqlx::query_scalar(
            "SELECT recommendation_id FROM action_recommendations WHERE action_id = $1 ORDER BY recommendation_id",
        )
        .bind(id)
        .fetch_all(&mut *conn)
        .await
        .map_err(store_err)?;
        out.push(ImplementationAction {
            id,
            title: r.try_get("title").map_err(store_err)?,
            description: r.try_get("description").map_err(store_err)?,
            organisation_id: r.try_get("organisation_id").map_err(store_err)?,
            organisation_name: r.try_get("organisation_name").map_err(store_err)?,
            due_on: r.try_get("due_on").map_err(store_err)?,
            status: r.try_get("status").map_err(store_err)?,
            indicators,
            recommendation_ids,
            updated_at: r.try_get("updated_at").map_err(store_err)?,
        });
    }
    Ok(out)
}
