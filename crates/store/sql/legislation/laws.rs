// The register of draft laws: laws, their stages and links.

use std::collections::HashMap;

const LAW_COLUMNS: &str = "l.id, l.title_en, l.title_km, l.short_name, l.ministry_id, o.name_en AS ministry_en, \
     o.name_km AS ministry_km, l.lead_user_id, u.name AS lead_name, l.priority, l.stage, l.stage_on, \
     l.consultation_opens, l.consultation_closes, l.created_at, l.updated_at, \
     (SELECT COUNT(*) FROM law_versions v WHERE v.law_id = l.id) AS version_count, \
     (SELECT COUNT(*) FROM law_comments c WHERE c.law_id = l.id) AS comment_count";
const LAW_FROM: &str =
    "laws l LEFT JOIN organisations o ON o.id = l.ministry_id LEFT JOIN users u ON u.id = l.lead_user_id";

fn law_from_row(r: &DbRow, themes: Vec<String>) -> Result<Law, StoreError> {
    Ok(Law {
        id: r.try_get("id").map_err(store_err)?,
        title_en: r.try_get("title_en").map_err(store_err)?,
        title_km: r.try_get("title_km").map_err(store_err)?,
        short_name: r.try_get("short_name").map_err(store_err)?,
        ministry_id: r.try_get("ministry_id").map_err(store_err)?,
        ministry_en: r.try_get("ministry_en").map_err(store_err)?,
        ministry_km: r.try_get("ministry_km").map_err(store_err)?,
        lead_user_id: r.try_get("lead_user_id").map_err(store_err)?,
        lead_name: r.try_get("lead_name").map_err(store_err)?,
        priority: choice_at(r, "priority", LawPriority::parse)?,
        stage: choice_at(r, "stage", LawStage::parse)?,
        stage_on: r.try_get("stage_on").map_err(store_err)?,
        themes,
        consultation_opens: r.try_get("consultation_opens").map_err(store_err)?,
        consultation_closes: r.try_get("consultation_closes").map_err(store_err)?,
        versions: r.try_get("version_count").map_err(store_err)?,
        comments: r.try_get("comment_count").map_err(store_err)?,
        created_at: r.try_get("created_at").map_err(store_err)?,
        updated_at: r.try_get("updated_at").map_err(store_err)?,
    })
}

/// The themes of each law in `ids`.
async fn law_themes_in(conn: &mut Conn, ids: &[i64]) -> Result<HashMap<i64, Vec<String>>, StoreError> {
    let mut themes: HashMap<i64, Vec<String>> = HashMap::new();
    if ids.is_empty() {
        return Ok(themes);
    }
    let mut q = sqlx::QueryBuilder::<Db>::new("SELECT law_id, theme FROM law_themes WHERE law_id IN (");
    let mut list = q.separated(", ");
    for id in ids {
        list.push_bind(*id);
    }
    q.push(") ORDER BY law_id, theme");
    for r in q.build().fetch_all(&mut *conn).await.map_err(store_err)? {
        themes.entry(r.try_get("law_id").map_err(store_err)?).or_default().push(r.try_get("theme").map_err(store_err)?);
    }
    Ok(themes)
}

async fn law_in(conn: &mut Conn, id: i64) -> Result<Option<Law>, StoreError> {
    let sql = format!("SELECT {LAW_COLUMNS} FROM {LAW_FROM} WHERE l.id = $1");
    let Some(row) = sqlx::query(&sql).bind(id).fetch_optional(&mut *conn).await.map_err(store_err)? else {
        return Ok(None);
    };
    let mut themes = law_themes_in(conn, &[id]).await?;
    law_from_row(&row, themes.remove(&id).unwrap_or_default()).map(Some)
}

async fn set_law_themes(tx: &mut Write, id: i64, themes: &[String]) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM law_themes WHERE law_id = $1").bind(id).execute(&mut **tx).await.map_err(store_err)?;
    if !themes.is_empty() {
        insert_rows(tx, "INSERT INTO law_themes (law_id, theme) ", 2, themes, |mut b, t| {
            b.push_bind(id).push_bind(t);
        })
        .await?;
    }
    Ok(())
}

/// Marks a law changed (its list order and the search index follow).
async fn touch_law(tx: &mut Write, id: i64) -> Result<(), StoreError> {
    let done = sqlx::query("UPDATE laws SET updated_at = $1 WHERE id = $2")
        .bind(now_micros())
        .bind(id)
        .execute(&mut **tx)
        .await
        .map_err(store_err)?;
    one_row(done.rows_affected())?;
    tx.changed("laws", id, "update");
    Ok(())
}

/// The WHERE clause of a law filter (`l` is the law). The stage is left
/// out for the counts per stage.
fn push_law_filter(q: &mut sqlx::QueryBuilder<'_, Db>, f: &LawFilter, with_stage: bool) {
    q.push(" WHERE 1 = 1");
    if let Some(institution) = f.scope.and_then(|s| s.institution) {
        q.push(
            " AND l.id IN (SELECT lr.law_id FROM law_recommendations lr JOIN recommendation_institutions ri \
             ON ri.recommendation_id = lr.recommendation_id WHERE ri.organisation_id = ",
        )
        .push_bind(institution)
        .push(")");
    }
    if let (true, Some(stage)) = (with_stage, f.stage) {
        q.push(" AND l.stage = ").push_bind(stage.as_str());
    }
    if let Some(m) = f.ministry_id {
        q.push(" AND l.ministry_id = ").push_bind(m);
    }
    if let Some(t) = &f.theme {
        q.push(" AND l.id IN (SELECT law_id FROM law_themes WHERE theme = ").push_bind(t.clone()).push(")");
    }
    if let Some(u) = f.lead_user_id {
        q.push(" AND l.lead_user_id = ").push_bind(u);
    }
    if let Some(p) = f.priority {
        q.push(" AND l.priority = ").push_bind(p.as_str());
    }
    if let Some(r) = f.recommendation_id {
        q.push(" AND l.id IN (SELECT law_id FROM law_recommendations WHERE recommendation_id = ").push_bind(r).push(")");
    }
    if let Some(c) = f.case_id {
        q.push(" AND l.id IN (SELECT law_id FROM law_cases WHERE case_id = ").push_bind(c).push(")");
    }
}

fn link_table(kind: LawLinkKind) -> (&'static str, &'static str) {
    match kind {
        LawLinkKind::Recommendation => ("law_recommendations", "recommendation_id"),
        LawLinkKind::Case => ("law_cases", "case_id"),
        LawLinkKind::Intervention => ("law_interventions", "intervention_id"),
    }
}

#[async_trait::async_trait]
impl LawStore for SqlStore {
    async fn create_law(&self, new: &NewLaw, audit: &AuditEntry) -> StoreResult<Law> {
        let i = &new.input;
        let now = now_micros();
        let mut tx = self.write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO laws (title_en, title_km, short_name, ministry_id, lead_user_id, priority, stage, stage_on, \
             consultation_opens, consultation_closes, created_by, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) RETURNING id",
        )
        .bind(&i.title_en)
        .bind(&i.title_km)
        .bind(&i.short_name)
        .bind(i.ministry_id)
        .bind(i.lead_user_id)
        .bind(i.priority.as_str())
        .bind(new.stage.as_str())
        .bind(&new.stage_on)
        .bind(i.consultation.as_ref().map(|c| c.0.clone()))
        .bind(i.consultation.as_ref().map(|c| c.1.clone()))
        .bind(new.by)
        .bind(now)
        .fetch_one(&mut *tx)
        .await
        .map_err(store_err)?;
        set_law_themes(&mut tx, id, &i.themes).await?;
        sqlx::query(
            "INSERT INTO law_stages (law_id, stage, stage_on, note, recorded_by, recorded_at) VALUES ($1, $2, $3, '', $4, $5)",
        )
        .bind(id)
        .bind(new.stage.as_str())
        .bind(&new.stage_on)
        .bind(new.by)
        .bind(now)
        .execute(&mut *tx)
        .await
        .map_err(store_err)?;
        tx.audit_created(&audit.clone().summary(format!("law {}: {}", i.short_name, new.stage)), id);
        tx.changed("laws", id, "insert");
        let law = law_in(&mut tx, id).await?.ok_or(StoreError::NotFound)?;
        tx.commit().await?;
        Ok(law)
    }

    async fn law(&self, id: i64) -> StoreResult<Option<Law>> {
        let mut conn = self.reader.acquire().await.map_err(store_err)?;
        law_in(&mut conn, id).await
    }

    async fn update_law(&self, id: i64, input: &LawInput, audit: &AuditEntry) -> StoreResult<Law> {
        let i = input;
        let mut tx = self.write().await?;
        let done = sqlx::query(
            "UPDATE laws SET title_en = $1, title_km = $2, short_name = $3, ministry_id = $4, lead_user_id = $5, \
             priority = $6, consultation_opens = $7, consultation_closes = $8, updated_at = $9 WHERE id = $10",
        )
        .bind(&i.title_en)
        .bind(&i.title_km)
        .bind(&i.short_name)
        .bind(i.ministry_id)
        .bind(i.lead_user_id)
        .bind(i.priority.as_str())
        .bind(i.consultation.as_ref().map(|c| c.0.clone()))
        .bind(i.consultation.as_ref().map(|c| c.1.clone()))
        .bind(now_micros())
        .bind(id)
        .execute(&mut *tx)
        .await
        .map_err(store_err)?;
        one_row(done.rows_affected())?;
        set_law_themes(&mut tx, id, &i.themes).await?;
        tx.audit(audit.clone().record("law", id).summary(format!("law {} updated", i.short_name)));
        tx.changed("laws", id, "update");
        let law = law_in(&mut tx, id).await?.ok_or(StoreError::NotFound)?;
        tx.commit().await?;
        Ok(law)
    }

    async fn change_law_stage(&self, id: i64, change: &NewStage<'_>, audit: &AuditEntry) -> StoreResult<()> {
        let NewStage { from: expected, stage, on: stage_on, note, by } = *change;
        let now = now_micros();
        let mut tx = self.write().await?;
        // Only from the stage the move was checked against: a change made
        // meanwhile by someone else is a conflict, not overwritten.
        let done = sqlx::query("UPDATE laws SET stage = $1, stage_on = $2, updated_at = $3 WHERE id = $4 AND stage = $5")
            .bind(stage.as_str())
            .bind(stage_on)
            .bind(now)
            .bind(id)
            .bind(expected.as_str())
            .execute(&mut *tx)
            .await
            .map_err(store_err)?;
        if done.rows_affected() == 0 {
            let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM laws WHERE id = $1")
                .bind(id)
                .fetch_optional(&mut *tx)
                .await
                .map_err(store_err)?;
            return Err(match exists {
                Some(_) => StoreError::Conflict("laws.stage: changed meanwhile".into()),
                None => StoreError::NotFound,
            });
        }
        let from = expected;
        sqlx::query(
            "INSERT INTO law_stages (law_id, stage, stage_on, note, recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(id)
        .bind(stage.as_str())
        .bind(stage_on)
        .bind(note)
        .bind(by)
        .bind(now)
        .execute(&mut *tx)
        .await
        .map_err(store_err)?;
        tx.audit(audit.clone().record("law", id).summary(format!("stage {from} → {stage} on {stage_on}")));
        tx.changed("laws", id, "update");
        tx.commit().await?;
        Ok(())
    }

    async fn law_stages(&self, id: i64) -> StoreResult<Vec<LawStageChange>> {
        let mut conn = self.reader.acquire().await.map_err(store_err)?;
        let rows = sqlx::query(
            "SELECT id, stage, stage_on, note, recorded_by, recorded_at FROM law_stages WHERE law_id = $1 ORDER BY id",
        )
        .bind(id)
        .fetch_all(&mut *conn)
        .await
        .map_err(store_err)?;
        rows.iter()
            .map(|r| {
                Ok(LawStageChange {
                    id: r.try_get("id").map_err(store_err)?,
                    stage: choice_at(r, "stage", LawStage::parse)?,
                    stage_on: r.try_get("stage_on").map_err(store_err)?,
                    note: r.try_get("note").map_err(store_err)?,
                    recorded_by: r.try_get("recorded_by").map_err(store_err)?,
                    recorded_at: r.try_get("recorded_at").map_err(store_err)?,
                })
            })
            .collect()
    }

    async fn list_laws(&self, f: &LawFilter) -> StoreResult<Vec<Law>> {
        let mut q = sqlx::QueryBuilder::<Db>::new(format!("SELECT {LAW_COLUMNS} FROM {LAW_FROM}"));
        push_law_filter(&mut q, f, true);
        q.push(
            " ORDER BY CASE l.priority WHEN 'high' THEN 0 WHEN 'medium' THEN 1 ELSE 2 END, l.updated_at DESC, l.id DESC LIMIT ",
        )
        .push_bind(f.limit.clamp(1, 500))
        .push(" OFFSET ")
        .push_bind(f.offset.max(0));
        let mut conn = self.reader.acquire().await.map_err(store_err)?;
        let rows = q.build().fetch_all(&mut *conn).await.map_err(store_err)?;
        let ids: Vec<i64> = rows.iter().map(|r| r.try_get("id")).collect::<Result<_, _>>().map_err(store_err)?;
        let mut themes = law_themes_in(&mut conn, &ids).await?;
        rows.iter()
            .zip(&ids)
            .map(|(r, id)| law_from_row(r, themes.remove(id).unwrap_or_default()))
            .collect()
    }

    async fn count_laws(&self, f: &LawFilter) -> StoreResult<i64> {
        let mut q = sqlx::QueryBuilder::<Db>::new("SELECT COUNT(*) FROM laws l");
        push_law_filter(&mut q, f, true);
        let mut conn = self.reader.acquire().await.map_err(store_err)?;
        q.build_query_scalar().fetch_one(&mut *conn).await.map_err(store_err)
    }

    async fn count_laws_by_stage(&self, f: &LawFilter) -> StoreResult<Vec<(LawStage, i64)>> {
        let mut q = sqlx::QueryBuilder::<Db>::new("SELECT l.stage, COUNT(*) AS n FROM laws l");
        push_law_filter(&mut q, f, false);
        q.push(" GROUP BY l.stage");
        let mut conn = self.reader.acquire().await.map_err(store_err)?;
        let rows = q.build().fetch_all(&mut *conn).await.map_err(store_err)?;
        let mut counts = rows
            .iter()
            .map(|r| Ok((choice_at(r, "stage", LawStage::parse)?, r.try_get("n").map_err(store_err)?)))
            .collect::<Result<Vec<(LawStage, i64)>, StoreError>>()?;
        counts.sort_by_key(|(s, _)| LawStage::ALL.iter().position(|x| x == s));
        Ok(counts)
    }

    async fn law_linked_to_institution(&self, id: i64, organisation_id: i64) -> StoreResult<bool> {
        let mut conn = self.reader.acquire().await.map_err(store_err)?;
        let found: Option<i64> = sqlx::query_scalar(
            "SELECT lr.law_id FROM law_recommendations lr JOIN recommendation_institutions ri \
             ON ri.recommendation_id = lr.recommendation_id WHERE lr.law_id = $1 AND ri.organisation_id = $2 LIMIT 1",
        )
        .bind(id)
        .bind(organisation_id)
        .fetch_optional(&mut *conn)
        .await
        .map_err(store_err)?;
        Ok(found.is_some())
    }

    async fn law_consultations(&self) -> StoreResult<Vec<Law>> {
        let sql = format!(
            "SELECT {LAW_COLUMNS} FROM {LAW_FROM} WHERE l.consultation_closes IS NOT NULL ORDER BY l.consultation_opens, l.id"
        );
        let mut conn = self.reader.acquire().await.map_err(store_err)?;
        let rows = sqlx::query(&sql).fetch_all(&mut *conn).await.map_err(store_err)?;
        rows.iter().map(|r| law_from_row(r, vec![])).collect()
    }

    async fn link_law(&self, id: i64, kind: LawLinkKind, target: i64, audit: &AuditEntry) -> StoreResult<()> {
        let (table, column) = link_table(kind);
        let mut tx = self.write().await?;
        touch_law(&mut tx, id).await?;
        let sql = format!("INSERT INTO {table} (law_id, {column}) VALUES ($1, $2) ON CONFLICT DO NOTHING");
        let done = sqlx::query(&sql).bind(id).bind(target).execute(&mut *tx).await.map_err(store_err)?;
        if done.rows_affected() == 0 {
            return tx.rollback().await;
        }
        tx.audit(audit.clone().record("law", id).summary(format!("linked {column} {target}")));
        tx.commit().await?;
        Ok(())
    }

    async fn unlink_law(&self, id: i64, kind: LawLinkKind, target: i64, audit: &AuditEntry) -> StoreResult<()> {
        let (table, column) = link_table(kind);
        let mut tx = self.write().await?;
        touch_law(&mut tx, id).await?;
        let sql = format!("DELETE FROM {table} WHERE law_id = $1 AND {column} = $2");
        let done = sqlx::query(&sql).bind(id).bind(target).execute(&mut *tx).await.map_err(store_err)?;
        one_row(done.rows_affected())?;
        tx.audit(audit.clone().record("law", id).summary(format!("unlinked {column} {target}")));
        tx.commit().await?;
        Ok(())
    }

    async fn law_links(&self, id: i64) -> StoreResult<LawLinks> {
        let statements = [
            "SELECT r.id, r.mechanism_code, r.document_symbol, r.paragraph, r.text \
             FROM recommendations r JOIN law_recommendations lr ON lr.recommendation_id = r.id \
             WHERE lr.law_id = $1 ORDER BY r.id"
                .to_string(),
            "SELECT c.id, c.reference, c.office_id, c.sensitivity FROM cases c JOIN law_cases lc ON lc.case_id = c.id \
             WHERE lc.law_id = $1 ORDER BY c.id"
                .to_string(),
            "SELECT i.id, i.case_id, c.reference, i.kind, i.sent_date, c.office_id, c.sensitivity FROM interventions i \
             JOIN law_interventions li ON li.intervention_id = i.id JOIN cases c ON c.id = i.case_id \
             WHERE li.law_id = $1 ORDER BY i.id"
                .to_string(),
            "SELECT ri.recommendation_id, ri.organisation_id FROM recommendation_institutions ri \
             JOIN law_recommendations lr ON lr.recommendation_id = ri.recommendation_id WHERE lr.law_id = $1"
                .to_string(),
        ];
        let mut conn = self.reader.acquire().await.map_err(store_err)?;
        let s = read_sections(&mut conn, &statements, id).await?;
        let institutions = institutions_of(&s[3])?;
        let recommendations =
            s[0].iter().map(|r| linked_recommendation_from_row(r, &institutions)).collect::<Result<_, _>>()?;
        let cases = s[1]
            .iter()
            .map(|r| {
                Ok(LinkedCase {
                    id: r.try_get("id").map_err(store_err)?,
                    reference: r.try_get("reference").map_err(store_err)?,
                    office_id: r.try_get("office_id").map_err(store_err)?,
                    restricted: r.try_get::<String, _>("sensitivity").map_err(store_err)? == "restricted",
                })
            })
            .collect::<Result<_, StoreError>>()?;
        let interventions = s[2]
            .iter()
            .map(|r| {
                Ok(LinkedIntervention {
                    id: r.try_get("id").map_err(store_err)?,
                    case_id: r.try_get("case_id").map_err(store_err)?,
                    case_reference: r.try_get("reference").map_err(store_err)?,
                    kind: r.try_get("kind").map_err(store_err)?,
                    date: r.try_get("sent_date").map_err(store_err)?,
                    office_id: r.try_get("office_id").map_err(store_err)?,
                    restricted: r.try_get::<String, _>("sensitivity").map_err(store_err)? == "restricted",
                })
            })
            .collect::<Result<_, StoreError>>()?;
        Ok(LawLinks { recommendations, cases, interventions })
    }
}

/// Recommendation id → the organisations it is assigned to, from rows of
/// (recommendation_id, organisation_id).
fn institutions_of(rows: &[DbRow]) -> Result<HashMap<i64, Vec<i64>>, StoreError> {
    let mut map: HashMap<i64, Vec<i64>> = HashMap::new();
    for r in rows {
        map.entry(r.try_get("recommendation_id").map_err(store_err)?)
            .or_default()
            .push(r.try_get("organisation_id").map_err(store_err)?);
    }
    Ok(map)
}

fn linked_recommendation_from_row(
    r: &DbRow,
    institutions: &HashMap<i64, Vec<i64>>,
) -> Result<LinkedRecommendation, StoreError> {
    let id: i64 = r.try_get("id").map_err(store_err)?;
    let symbol: String = r.try_get("document_symbol").map_err(store_err)?;
    let paragraph: String = r.try_get("paragraph").map_err(store_err)?;
    Ok(LinkedRecommendation {
        id,
        mechanism_code: r.try_get("mechanism_code").map_err(store_err)?,
        symbol: if paragraph.is_empty() { symbol } else { format!("{symbol} para. {paragraph}") },
        text: r.try_get("text").map_err(store_err)?,
        institutions: institutions.get(&id).cloned().unwrap_or_default(),
    })
}
