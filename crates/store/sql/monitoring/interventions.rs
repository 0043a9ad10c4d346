// Interventions with the authorities and their follow-ups.

const INTERVENTION_COLUMNS: &str = "i.id, i.case_id, i.organisation_id, o.name_en AS organisation_en, \
     o.name_km AS organisation_km, i.kind, i.sent_date, i.request, i.status, i.response_date, i.response, \
     i.next_follow_up, i.updated_at";

fn intervention_from_row(r: &DbRow) -> Result<Intervention, StoreError> {
    Ok(Intervention {
        id: r.try_get("id").map_err(store_err)?,
        case_id: r.try_get("case_id").map_err(store_err)?,
        organisation_id: r.try_get("organisation_id").map_err(store_err)?,
        organisation_en: r.try_get("organisation_en").map_err(store_err)?,
        organisation_km: r.try_get("organisation_km").map_err(store_err)?,
        kind: choice_at(r, "kind", InterventionKind::parse)?,
        date: r.try_get("sent_date").map_err(store_err)?,
        request: r.try_get("request").map_err(store_err)?,
        status: choice_at(r, "status", InterventionStatus::parse)?,
        response_date: r.try_get("response_date").map_err(store_err)?,
        response: r.try_get("response").map_err(store_err)?,
        next_follow_up: r.try_get("next_follow_up").map_err(store_err)?,
        updated_at: r.try_get("updated_at").map_err(store_err)?,
    })
}

async fn intervention_in(conn: &mut Conn, id: i64) -> Result<Option<Intervention>, StoreError> {
    let sql = format!("SELECT {INTERVENTION_COLUMNS} FROM interventions i JOIN organisations o ON o.id = i.organisation_id WHERE i.id = $1");
    let row = sqlx::query(&sql).bind(id).fetch_optional(&mut *conn).await.map_err(store_err)?;
    row.as_ref().map(intervention_from_row).transpose()
}

fn interventions_sql() -> String {
    format!(
        "SELECT {INTERVENTION_COLUMNS} FROM interventions i JOIN organisations o ON o.id = i.organisation_id \
         WHERE i.case_id = $1 ORDER BY i.id"
    )
}

/// A row of `interventions`.
struct InterventionRow<'a> {
    id: i64,
    case_id: i64,
    input: &'a InterventionInput,
    created_by: i64,
    at: i64,
}

impl TableRow for InterventionRow<'_> {
    const INSERT: &'static str = "INSERT INTO interventions (id, case_id, organisation_id, kind, sent_date, request, \
         status, response_date, response, next_follow_up, created_by, created_at, updated_at) ";
    fn push<'a>(&'a self, q: &mut sqlx::query_builder::Separated<'_, 'a, Db, &'static str>) {
        let i = self.input;
        q.push_bind(self.id)
            .push_bind(self.case_id)
            .push_bind(i.organisation_id)
            .push_bind(i.kind.as_str())
            .push_bind(&i.date)
            .push_bind(&i.request)
            .push_bind(i.status.as_str())
            .push_bind(&i.response_date)
            .push_bind(&i.response)
            .push_bind(&i.next_follow_up)
            .push_bind(self.created_by)
            .push_bind(self.at)
            .push_bind(self.at);
    }
}

/// Inserts an intervention (the organisation must exist). No audit.
async fn insert_intervention_in(
    tx: &mut Conn,
    case_id: i64,
    i: &InterventionInput,
    by: i64,
    now: i64,
) -> Result<i64, StoreError> {
        let id = reserve_id(&mut *tx, "interventions").await?;
        insert_table_rows(&mut *tx, &[InterventionRow { id, case_id, input: i, created_by: by, at: now }]).await?;
    Ok(id)
}

#[async_trait::async_trait]
impl InterventionStore for SqlStore {
    async fn add_intervention(&self, case_id: i64, i: &InterventionInput, by: i64, audit: &AuditEntry) -> StoreResult<Intervention> {
        let mut tx = self.write().await?;
        let now = now_micros();
        let id = insert_intervention_in(&mut tx, case_id, i, by, now).await?;
        sqlx::query("UPDATE cases SET updated_at = $1 WHERE id = $2").bind(now).bind(case_id).execute(&mut *tx).await.map_err(store_err)?;
        let entry = audit.clone().record("case", case_id).summary(format!("intervention {id} added ({}, {})", i.kind, i.status));
        tx.audit(entry);
        tx.changed("cases", case_id, "update");
        let out = intervention_in(&mut tx, id).await?.ok_or(StoreError::NotFound)?;
        tx.commit().await?;
        Ok(out)
    }

    async fn update_intervention(&self, id: i64, i: &InterventionInput, audit: &AuditEntry) -> StoreResult<Intervention> {
        let mut tx = self.write().await?;
        let now = now_micros();
        let row = sqlx::query(
            "UPDATE interventions SET organisation_id = $1, kind = $2, sent_date = $3, request = $4, status = $5, \
             response_date = $6, response = $7, next_follow_up = $8, updated_at = $9 WHERE id = $10 RETURNING case_id",
        )
        .bind(i.organisation_id)
        .bind(i.kind.as_str())
        .bind(&i.date)
        .bind(&i.request)
        .bind(i.status.as_str())
        .bind(&i.response_date)
        .bind(&i.response)
        .bind(&i.next_follow_up)
        .bind(now)
        .bind(id)
        .fetch_optional(&mut *tx)
        .await
        .map_err(store_err)?
        .ok_or(StoreError::NotFound)?;
        let case_id: i64 = row.try_get("case_id").map_err(store_err)?;
        sqlx::query("UPDATE cases SET updated_at = $1 WHERE id = $2").bind(now).bind(case_id).execute(&mut *tx).await.map_err(store_err)?;
        let entry = audit.clone().record("case", case_id).summary(format!("intervention {id} updated ({})", i.status));
        tx.audit(entry);
        tx.changed("cases", case_id, "update");
        let out = intervention_in(&mut tx, id).await?.ok_or(StoreError::NotFound)?;
        tx.commit().await?;
        Ok(out)
    }

    async fn intervention(&self, id: i64) -> StoreResult<Option<Intervention>> {
        let mut conn = self.reader.acquire().await.map_err(store_err)?;
        intervention_in(&mut conn, id).await
    }

    async fn interventions(&self, case_id: i64) -> StoreResult<Vec<Intervention>> {
        let rows = sqlx::query(&interventions_sql()).bind(case_id).fetch_all(&self.reader).await.map_err(store_err)?;
        rows.iter().map(intervention_from_row).collect()
    }

    async fn follow_ups_due(
        &self,
        scope: &rightsdesk_domain::CaseScope,
        assigned_to: Option<i64>,
        until: &str,
        limit: i64,
    ) -> StoreResult<Vec<FollowUp>> {
        // The list of open statuses is a constant, not input.
        let open: Vec<String> =
            InterventionStatus::ALL.iter().filter(|s| s.is_open()).map(|s| format!("'{}'", s.as_str())).collect();
        let sql = format!(
            "SELECT {INTERVENTION_COLUMNS}, c.reference, c.title FROM interventions i \
             JOIN organisations o ON o.id = i.organisation_id JOIN cases c ON c.id = i.case_id \
             WHERE {CASE_VISIBLE} AND i.next_follow_up IS NOT NULL AND i.next_follow_up <= $3 \
             AND i.status IN ({}) \
             AND ($4 IS NULL OR EXISTS (SELECT 1 FROM case_assignments ma WHERE ma.case_id = c.id AND ma.user_id = $4)) \
             ORDER BY i.next_follow_up, i.id LIMIT $5",
            open.join(", ")
        );
        let rows = sqlx::query(&sql)
            .bind(scope.user_id)
            .bind(scope.head_of_office)
            .bind(until)
            .bind(assigned_to)
            .bind(limit.clamp(1, 1000))
            .fetch_all(&self.reader)
            .await
            .map_err(store_err)?;
        rows.iter()
            .map(|r| {
                Ok(FollowUp {
                    intervention: intervention_from_row(r)?,
                    case_reference: r.try_get("reference").map_err(store_err)?,
                    case_title: r.try_get("title").map_err(store_err)?,
                })
            })
            .collect()
    }
}
