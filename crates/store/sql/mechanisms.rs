// Mechanisms SQL shared by both backends (see shared_impl.rs for how the
// files are compiled into each backend crate).

use rightsdesk_domain::mechanisms::{AssessmentInput, ImplementationStatus, MechanismKind, RecommendationInput, Response};
use rightsdesk_store::mechanisms::recommendation_fingerprint;

const RECOMMENDATION_COLUMNS: &str = "r.id, r.source_key, r.mechanism_code, r.state_under_review, r.session, r.cycle, \
     r.document_symbol, r.paragraph, r.issued_on, r.recommending_state, r.text, r.response, r.response_raw, \
     r.action_category, r.status, r.updated_at, \
     (SELECT cl.name FROM recommendation_clusters cl WHERE cl.id = r.cluster_id) AS cluster";

/// Themes, SDG targets and groups of some recommendations, by id.
#[derive(Default)]
struct Tags {
    themes: Vec<String>,
    sdg_targets: Vec<String>,
    affected_groups: Vec<String>,
}

fn recommendation_from_row(r: &DbRow, tags: Tags) -> Result<Recommendation, StoreError> {
    let response: Option<String> = r.try_get("response").map_err(store_err)?;
    let status: String = r.try_get("status").map_err(store_err)?;
    Ok(Recommendation {
        id: r.try_get("id").map_err(store_err)?,
        source_key: r.try_get("source_key").map_err(store_err)?,
        mechanism_code: r.try_get("mechanism_code").map_err(store_err)?,
        state_under_review: r.try_get("state_under_review").map_err(store_err)?,
        session: r.try_get("session").map_err(store_err)?,
        cycle: r.try_get("cycle").map_err(store_err)?,
        document_symbol: r.try_get("document_symbol").map_err(store_err)?,
        paragraph: r.try_get("paragraph").map_err(store_err)?,
        issued_on: r.try_get("issued_on").map_err(store_err)?,
        recommending_state: r.try_get("recommending_state").map_err(store_err)?,
        text: r.try_get("text").map_err(store_err)?,
        response: match response {
            Some(s) => Some(Response::parse(&s).ok_or_else(|| corrupt("recommendations.response"))?),
            None => None,
        },
        response_raw: r.try_get("response_raw").map_err(store_err)?,
        action_category: r.try_get("action_category").map_err(store_err)?,
        status: ImplementationStatus::parse(&status).ok_or_else(|| corrupt("recommendations.status"))?,
        themes: tags.themes,
        sdg_targets: tags.sdg_targets,
        affected_groups: tags.affected_groups,
        cluster: r.try_get("cluster").map_err(store_err)?,
        updated_at: r.try_get("updated_at").map_err(store_err)?,
    })
}

/// The recommendation list's WHERE clause: only the filters that are set,
/// numbered from `$1`. Filters on the join tables are `r.id IN (SELECT ...)`
/// so that both planners start from the tag's index (SQLite 3.46 walked
/// every recommendation with a correlated EXISTS: 80 ms against 4 ms).
fn recommendation_where(f: &RecommendationFilter) -> (String, Vec<Arg>) {
    let mut clauses = vec!["1 = 1".to_string()];
    let mut args = vec![];
    let mut p = |a: Arg| {
        args.push(a);
        format!("${}", args.len())
    };
    if let Some(s) = &f.state_under_review {
        clauses.push(format!("r.state_under_review = {}", p(Arg::Text(s.clone()))));
    }
    if let Some(m) = &f.mechanism_code {
        clauses.push(format!("r.mechanism_code = {}", p(Arg::Text(m.clone()))));
    }
    if let Some(c) = f.cycle {
        clauses.push(format!("r.cycle = {}", p(Arg::Int(c))));
    }
    if let Some(s) = &f.session {
        clauses.push(format!("r.session = {}", p(Arg::Text(s.clone()))));
    }
    if let Some(r) = f.response {
        clauses.push(format!("r.response = {}", p(Arg::Text(r.as_str().into()))));
    }
    if let Some(s) = f.status {
        clauses.push(format!("r.status = {}", p(Arg::Text(s.as_str().into()))));
    }
    if let Some(s) = &f.recommending_state {
        clauses.push(format!("r.recommending_state = {}", p(Arg::Text(s.clone()))));
    }
    if let Some(t) = &f.theme {
        clauses.push(format!(
            "r.id IN (SELECT ft.recommendation_id FROM recommendation_themes ft WHERE ft.theme = {})",
            p(Arg::Text(t.clone()))
        ));
    }
    if let Some(o) = f.institution {
        clauses.push(format!(
            "r.id IN (SELECT fi.recommendation_id FROM recommendation_institutions fi WHERE fi.organisation_id = {})",
            p(Arg::Int(o))
        ));
    }
    if let Some(goal) = f.sdg_goal {
        clauses.push(format!(
            "r.id IN (SELECT fs.recommendation_id FROM recommendation_sdg_targets fs WHERE fs.goal = {})",
            p(Arg::Int(goal))
        ));
    }
    if let Some(g) = &f.affected_group {
        clauses.push(format!(
            "r.id IN (SELECT fg.recommendation_id FROM recommendation_groups fg WHERE fg.affected_group = {})",
            p(Arg::Text(g.clone()))
        ));
    }
    if let Some(c) = f.cluster_id {
        clauses.push(format!("r.cluster_id = {}", p(Arg::Int(c))));
    }
    if let Some(words) = &f.text {
        // Every word, anywhere in the text, ignoring case (ASCII letters:
        // LOWER() of both backends agrees on those). Full search is the
        // search module's; this is the list's quick narrowing.
        for w in words.split_whitespace().take(8) {
            let pattern = format!("%{}%", w.to_lowercase().replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_"));
            clauses.push(format!("LOWER(r.text) LIKE {} ESCAPE '\\'", p(Arg::Text(pattern))));
        }
    }
    (clauses.join(" AND "), args)
}

fn bind_args<'q>(
    mut q: sqlx::query::Query<'q, Db, <Db as Database>::Arguments<'q>>,
    args: Vec<Arg>,
) -> sqlx::query::Query<'q, Db, <Db as Database>::Arguments<'q>> {
    for a in args {
        q = match a {
            Arg::Int(i) => q.bind(i),
            Arg::Text(t) => q.bind(t),
        };
    }
    q
}

/// Themes, SDG targets and groups of the given recommendations, a query
/// per table for each 500.
async fn tags_of(conn: &mut Conn, ids: &[i64]) -> Result<std::collections::HashMap<i64, Tags>, StoreError> {
    let mut out: std::collections::HashMap<i64, Tags> = std::collections::HashMap::new();
    for (table, column) in
        [("recommendation_themes", "theme"), ("recommendation_sdg_targets", "target_code"), ("recommendation_groups", "affected_group")]
    {
        for chunk in ids.chunks(500) {
            let mut q = sqlx::QueryBuilder::<Db>::new(format!(
                "SELECT recommendation_id, {column} AS value FROM {table} WHERE recommendation_id IN ("
            ));
            let mut sep = q.separated(", ");
            for id in chunk {
                sep.push_bind(*id);
            }
            q.push(format!(") ORDER BY recommendation_id, {column}"));
            for r in q.build().fetch_all(&mut *conn).await.map_err(store_err)? {
                let tags = out.entry(r.try_get("recommendation_id").map_err(store_err)?).or_default();
                let value: String = r.try_get("value").map_err(store_err)?;
                match table {
                    "recommendation_themes" => tags.themes.push(value),
                    "recommendation_sdg_targets" => tags.sdg_targets.push(value),
                    _ => tags.affected_groups.push(value),
                }
            }
        }
    }
    Ok(out)
}

async fn recommendations_in(conn: &mut Conn, sql: &str, args: Vec<Arg>) -> Result<Vec<Recommendation>, StoreError> {
    let rows = bind_args(sqlx::query(sql), args).fetch_all(&mut *conn).await.map_err(store_err)?;
    let ids: Vec<i64> = rows.iter().map(|r| r.try_get("id").map_err(store_err)).collect::<Result<_, _>>()?;
    let mut tags = tags_of(conn, &ids).await?;
    rows.iter()
        .map(|r| {
            let id: i64 = r.try_get("id").map_err(store_err)?;
            recommendation_from_row(r, tags.remove(&id).unwrap_or_default())
        })
        .collect()
}

async fn facet(conn: &mut Conn, sql: &str, args: Vec<Arg>) -> Result<Vec<FacetCount>, StoreError> {
    let rows = bind_args(sqlx::query(sql), args).fetch_all(&mut *conn).await.map_err(store_err)?;
    rows.iter()
        .map(|r| {
            // The value column is text or a number depending on the facet.
            let value = match r.try_get::<Option<String>, _>("value") {
                Ok(v) => v.unwrap_or_default(),
                Err(_) => r.try_get::<Option<i64>, _>("value").map_err(store_err)?.map(|v| v.to_string()).unwrap_or_default(),
            };
            Ok(FacetCount { value, count: r.try_get("n").map_err(store_err)? })
        })
        .collect()
}

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
impl MechanismsStore for SqlStore {
    async fn mechanisms(&self) -> StoreResult<Vec<Mechanism>> {
        let rows = sqlx::query("SELECT code, kind, name_en, name_km, instrument_code FROM mechanisms ORDER BY kind DESC, code")
            .fetch_all(&self.reader)
            .await
            .map_err(store_err)?;
        rows.iter()
            .map(|r| {
                let kind: String = r.try_get("kind").map_err(store_err)?;
                Ok(Mechanism {
                    code: r.try_get("code").map_err(store_err)?,
                    kind: MechanismKind::parse(&kind).ok_or_else(|| corrupt("mechanisms.kind"))?,
                    name_en: r.try_get("name_en").map_err(store_err)?,
                    name_km: r.try_get("name_km").map_err(store_err)?,
                    instrument_code: r.try_get("instrument_code").map_err(store_err)?,
                })
            })
            .collect()
    }

    async fn create_mechanism(&self, m: &rightsdesk_domain::mechanisms::MechanismFields, audit: &AuditEntry) -> StoreResult<()> {
        let mut tx = self.write().await?;
        sqlx::query("INSERT INTO mechanisms (code, kind, name_en, name_km, instrument_code) VALUES ($1, $2, $3, $4, NULL)")
            .bind(&m.code)
            .bind(&m.kind)
            .bind(&m.name_en)
            .bind(&m.name_km)
            .execute(&mut *tx)
            .await
            .map_err(store_err)?;
        tx.audit(audit.clone().record("mechanism", m.code.as_str()).summary(m.kind.clone()));
        tx.commit().await.map(drop)
    }

    async fn import_recommendations(
        &self,
        rows: &[RecommendationInput],
        audit: &AuditEntry,
        dry_run: bool,
        progress: &(dyn Fn(usize) + Send + Sync),
    ) -> StoreResult<ImportOutcome> {
        let mut tx = self.write().await?;
        // What is there already, by source key: (id, fingerprint).
        let mut known: std::collections::HashMap<String, (i64, String)> = std::collections::HashMap::new();
        for chunk in rows.chunks(1000) {
            let mut q = sqlx::QueryBuilder::<Db>::new("SELECT id, source_key, fingerprint FROM recommendations WHERE source_key IN (");
            let mut sep = q.separated(", ");
            for r in chunk {
                sep.push_bind(&r.source_key);
            }
            q.push(")");
            for r in q.build().fetch_all(&mut *tx).await.map_err(store_err)? {
                known.insert(
                    r.try_get("source_key").map_err(store_err)?,
                    (r.try_get("id").map_err(store_err)?, r.try_get("fingerprint").map_err(store_err)?),
                );
            }
        }
        let mut outcome = ImportOutcome::default();
        let mut fresh = vec![];
        let mut changed = vec![];
        let mut in_file = std::collections::HashSet::new();
        for r in rows {
            if !in_file.insert(r.source_key.as_str()) {
                return Err(StoreError::Constraint("recommendations.source_key".into()));
            }
            let print = recommendation_fingerprint(r);
            match known.get(&r.source_key) {
                None => fresh.push((r, print)),
                Some((id, old)) if *old != print => changed.push((*id, r, print)),
                Some(_) => outcome.unchanged += 1,
            }
        }
        progress(outcome.unchanged);
        let mut done = outcome.unchanged;
        let ids = reserve_ids(&mut tx, "recommendations", fresh.len()).await.map_err(store_err)?;
        let now = now_micros();
        let new_rows: Vec<(i64, &RecommendationInput, &String)> =
            fresh.iter().zip(ids.iter()).map(|((r, print), id)| (*id, *r, print)).collect();
        let changed_rows: Vec<(i64, &RecommendationInput, &String)> =
            changed.iter().map(|(id, r, print)| (*id, *r, print)).collect();
        // New rows under their reserved ids; changed rows through an upsert
        // on the source key (both backends know ON CONFLICT and `excluded`).
        for (rows, upsert) in [(&new_rows, false), (&changed_rows, true)] {
            for chunk in rows.chunks(30_000 / 17) {
                let mut q = sqlx::QueryBuilder::<Db>::new(if upsert {
                    "INSERT INTO recommendations (source_key, fingerprint, mechanism_code, state_under_review, session, \
                     cycle, document_symbol, paragraph, issued_on, recommending_state, text, response, response_raw, \
                     action_category, created_at, updated_at) "
                } else {
                    "INSERT INTO recommendations (id, source_key, fingerprint, mechanism_code, state_under_review, session, \
                     cycle, document_symbol, paragraph, issued_on, recommending_state, text, response, response_raw, \
                     action_category, created_at, updated_at) "
                });
                q.push_values(chunk, |mut b, (id, r, print)| {
                    if !upsert {
                        b.push_bind(*id);
                    }
                    b.push_bind(&r.source_key)
                        .push_bind(*print)
                        .push_bind(&r.mechanism_code)
                        .push_bind(&r.state_under_review)
                        .push_bind(&r.session)
                        .push_bind(r.cycle)
                        .push_bind(&r.document_symbol)
                        .push_bind(&r.paragraph)
                        .push_bind(&r.issued_on)
                        .push_bind(&r.recommending_state)
                        .push_bind(&r.text)
                        .push_bind(r.response.map(|x| x.as_str()))
                        .push_bind(&r.response_raw)
                        .push_bind(r.action_category)
                        .push_bind(now)
                        .push_bind(now);
                });
                if upsert {
                    q.push(
                        " ON CONFLICT (source_key) DO UPDATE SET fingerprint = excluded.fingerprint, \
                         mechanism_code = excluded.mechanism_code, state_under_review = excluded.state_under_review, \
                         session = excluded.session, cycle = excluded.cycle, document_symbol = excluded.document_symbol, \
                         paragraph = excluded.paragraph, issued_on = excluded.issued_on, \
                         recommending_state = excluded.recommending_state, text = excluded.text, \
                         response = excluded.response, response_raw = excluded.response_raw, \
                         action_category = excluded.action_category, updated_at = excluded.updated_at",
                    );
                }
                q.build().execute(&mut *tx).await.map_err(store_err)?;
                done += chunk.len();
                progress(done);
            }
        }
        // Themes of changed rows are replaced.
        for chunk in changed.chunks(1000) {
            let mut q = sqlx::QueryBuilder::<Db>::new("DELETE FROM recommendation_themes WHERE recommendation_id IN (");
            let mut sep = q.separated(", ");
            for (id, _, _) in chunk {
                sep.push_bind(*id);
            }
            q.push(")");
            q.build().execute(&mut *tx).await.map_err(store_err)?;
        }
        let themes: Vec<(i64, &String)> =
            new_rows.iter().chain(changed_rows.iter()).flat_map(|(id, r, _)| r.themes.iter().map(move |t| (*id, t))).collect();
        insert_rows(&mut tx, "INSERT INTO recommendation_themes (recommendation_id, theme) ", 2, &themes, |mut b, (id, t)| {
            b.push_bind(*id).push_bind(*t);
        })
        .await?;
        let changes: Vec<(String, &str)> = fresh
            .iter()
            .zip(ids.iter())
            .map(|(_, id)| (id.to_string(), "insert"))
            .chain(changed.iter().map(|(id, _, _)| (id.to_string(), "update")))
            .collect();
        outcome.added = fresh.len();
        outcome.updated = changed.len();
        let entry = audit.clone().record("recommendation", "import").summary(format!(
            "{}: {} added, {} updated, {} unchanged",
            audit.summary, outcome.added, outcome.updated, outcome.unchanged
        ));
        // Change-log numbers are taken at commit, after the audit chain's
        // lock, so they follow commit order, which the indexer and the facet
        // counts kept by the web layer rely on.
        tx.audit(entry);
        for (id, op) in changes {
            tx.changed("recommendations", id, op);
        }
        if dry_run {
            tx.rollback().await?;
        } else {
            tx.commit().await?;
        }
        Ok(outcome)
    }

    async fn recommendations(&self, f: &RecommendationFilter) -> StoreResult<Vec<Recommendation>> {
        let (filters, mut args) = recommendation_where(f);
        let after = match f.after {
            Some(id) => {
                args.push(Arg::Int(id));
                format!(" AND r.id < ${}", args.len())
            }
            None => String::new(),
        };
        args.push(Arg::Int(f.limit.clamp(1, 500)));
        let sql = format!(
            "SELECT {RECOMMENDATION_COLUMNS} FROM recommendations r WHERE {filters}{after} ORDER BY r.id DESC LIMIT ${}",
            args.len()
        );
        let mut conn = self.reader.acquire().await.map_err(store_err)?;
        recommendations_in(&mut conn, &sql, args).await
    }

    async fn recommendation_facets(&self, f: &RecommendationFilter) -> StoreResult<RecommendationFacets> {
        let (filters, args) = recommendation_where(f);
        let again = || recommendation_where(f).1;
        let mut conn = self.reader.acquire().await.map_err(store_err)?;
        let total: i64 = bind_args(sqlx::query(&format!("SELECT COUNT(*) AS n FROM recommendations r WHERE {filters}")), args)
            .fetch_one(&mut *conn)
            .await
            .map_err(store_err)?
            .try_get("n")
            .map_err(store_err)?;
        let by = |column: &str| {
            format!(
                "SELECT {column} AS value, COUNT(*) AS n FROM recommendations r WHERE {filters} \
                 GROUP BY {column} ORDER BY n DESC, value"
            )
        };
        Ok(RecommendationFacets {
            total,
            mechanism: facet(&mut conn, &by("r.mechanism_code"), again()).await?,
            response: facet(&mut conn, &by("r.response"), again()).await?,
            status: facet(&mut conn, &by("r.status"), again()).await?,
            cycle: facet(&mut conn, &by("r.cycle"), again()).await?,
            theme: facet(
                &mut conn,
                &format!(
                    "SELECT t.theme AS value, COUNT(*) AS n FROM recommendations r \
                     JOIN recommendation_themes t ON t.recommendation_id = r.id WHERE {filters} \
                     GROUP BY t.theme ORDER BY n DESC, value LIMIT 40"
                ),
                again(),
            )
            .await?,
        })
    }

    async fn recommendation(&self, id: i64) -> StoreResult<Option<Recommendation>> {
        let mut conn = self.reader.acquire().await.map_err(store_err)?;
        let sql = format!("SELECT {RECOMMENDATION_COLUMNS} FROM recommendations r WHERE r.id = $1");
        Ok(recommendations_in(&mut conn, &sql, vec![Arg::Int(id)]).await?.pop())
    }

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
        tx.changed("recommendations", &recommendation_id.to_string(), "update");
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
            tx.changed("recommendations", &recommendation_id.to_string(), "update");
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
        tx.changed("recommendations", &recommendation_id.to_string(), "update");
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
        tx.changed("recommendations", &recommendation_id.to_string(), "update");
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

    async fn update_recommendation_details(
        &self,
        id: i64,
        d: &rightsdesk_domain::mechanisms::RecommendationDetails,
        audit: &AuditEntry,
    ) -> StoreResult<()> {
        let mut tx = self.write().await?;
        let cluster_id: Option<i64> = match &d.cluster {
            None => None,
            Some(name) => Some(
                sqlx::query_scalar(
                    "INSERT INTO recommendation_clusters (name, created_at) VALUES ($1, $2) \
                     ON CONFLICT (name) DO UPDATE SET name = excluded.name RETURNING id",
                )
                .bind(name)
                .bind(now_micros())
                .fetch_one(&mut *tx)
                .await
                .map_err(store_err)?,
            ),
        };
        let done = sqlx::query("UPDATE recommendations SET cluster_id = $1, updated_at = $2 WHERE id = $3")
            .bind(cluster_id)
            .bind(now_micros())
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(store_err)?;
        one_row(done.rows_affected())?;
        for table in ["recommendation_themes", "recommendation_sdg_targets", "recommendation_groups", "recommendation_institutions"] {
            sqlx::query(&format!("DELETE FROM {table} WHERE recommendation_id = $1"))
                .bind(id)
                .execute(&mut *tx)
                .await
                .map_err(store_err)?;
        }
        insert_rows(&mut tx, "INSERT INTO recommendation_themes (recommendation_id, theme) ", 2, &d.themes, |mut b, t| {
            b.push_bind(id).push_bind(t);
        })
        .await?;
        insert_rows(
            &mut tx,
            "INSERT INTO recommendation_sdg_targets (recommendation_id, target_code, goal) ",
            3,
            &d.sdg_targets,
            |mut b, (code, goal)| {
                b.push_bind(id).push_bind(code).push_bind(*goal);
            },
        )
        .await?;
        insert_rows(
            &mut tx,
            "INSERT INTO recommendation_groups (recommendation_id, affected_group) ",
            2,
            &d.affected_groups,
            |mut b, g| {
                b.push_bind(id).push_bind(g);
            },
        )
        .await?;
        insert_rows(
            &mut tx,
            "INSERT INTO recommendation_institutions (recommendation_id, organisation_id) ",
            2,
            &d.institutions,
            |mut b, o| {
                b.push_bind(id).push_bind(*o);
            },
        )
        .await?;
        let entry = audit.clone().record("recommendation", id).summary(format!(
            "themes {}; SDG targets {}; groups {}; cluster {}; institutions {}",
            d.themes.join(", "),
            d.sdg_targets.iter().map(|t| t.0.as_str()).collect::<Vec<_>>().join(", "),
            d.affected_groups.join(", "),
            d.cluster.as_deref().unwrap_or("none"),
            d.institutions.iter().map(|i| i.to_string()).collect::<Vec<_>>().join(",")
        ));
        tx.audit(entry);
        tx.changed("recommendations", &id.to_string(), "update");
        tx.commit().await.map(drop)
    }

    async fn clusters(&self) -> StoreResult<Vec<Cluster>> {
        let rows = sqlx::query(
            "SELECT cl.id, cl.name, (SELECT COUNT(*) FROM recommendations r WHERE r.cluster_id = cl.id) AS n \
             FROM recommendation_clusters cl ORDER BY cl.name",
        )
        .fetch_all(&self.reader)
        .await
        .map_err(store_err)?;
        rows.iter()
            .map(|r| {
                Ok(Cluster {
                    id: r.try_get("id").map_err(store_err)?,
                    name: r.try_get("name").map_err(store_err)?,
                    recommendations: r.try_get("n").map_err(store_err)?,
                })
            })
            .collect()
    }

    async fn recommendation_progress(
        &self,
        dimension: ProgressDimension,
        f: &RecommendationFilter,
    ) -> StoreResult<Vec<ProgressRow>> {
        let (filters, args) = recommendation_where(f);
        // (key expression, label expression, joins)
        let (key, label, join) = match dimension {
            ProgressDimension::Theme => ("g.theme", "g.theme", "JOIN recommendation_themes g ON g.recommendation_id = r.id"),
            ProgressDimension::Institution => (
                "CAST(g.organisation_id AS TEXT)",
                "o.name_en",
                "JOIN recommendation_institutions g ON g.recommendation_id = r.id JOIN organisations o ON o.id = g.organisation_id",
            ),
            ProgressDimension::Mechanism => ("r.mechanism_code", "r.mechanism_code", ""),
            ProgressDimension::Cycle => ("CAST(r.cycle AS TEXT)", "CAST(r.cycle AS TEXT)", ""),
            ProgressDimension::SdgGoal => (
                "CAST(g.goal AS TEXT)",
                "CAST(g.goal AS TEXT)",
                "JOIN (SELECT DISTINCT recommendation_id, goal FROM recommendation_sdg_targets) g ON g.recommendation_id = r.id",
            ),
            ProgressDimension::AffectedGroup => {
                ("g.affected_group", "g.affected_group", "JOIN recommendation_groups g ON g.recommendation_id = r.id")
            }
            ProgressDimension::Cluster => (
                "CAST(r.cluster_id AS TEXT)",
                "g.name",
                "JOIN recommendation_clusters g ON g.id = r.cluster_id",
            ),
        };
        let sql = format!(
            "SELECT {key} AS k, MIN({label}) AS label, r.status AS status, COUNT(*) AS n \
             FROM recommendations r {join} WHERE {filters} GROUP BY {key}, r.status"
        );
        let rows = bind_args(sqlx::query(&sql), args).fetch_all(&self.reader).await.map_err(store_err)?;
        let mut groups: std::collections::HashMap<String, ProgressRow> = std::collections::HashMap::new();
        for r in rows {
            let k: Option<String> = r.try_get("k").map_err(store_err)?;
            let k = k.unwrap_or_default();
            let label: Option<String> = r.try_get("label").map_err(store_err)?;
            let status: String = r.try_get("status").map_err(store_err)?;
            let n: i64 = r.try_get("n").map_err(store_err)?;
            let row = groups.entry(k.clone()).or_insert_with(|| ProgressRow {
                key: k,
                label: label.unwrap_or_default(),
                total: 0,
                by_status: vec![0; ImplementationStatus::ALL.len()],
            });
            let at = ImplementationStatus::ALL
                .iter()
                .position(|s| s.as_str() == status)
                .ok_or_else(|| corrupt("recommendations.status"))?;
            row.by_status[at] += n;
            row.total += n;
        }
        let mut out: Vec<ProgressRow> = groups.into_values().collect();
        out.sort_by(|a, b| b.total.cmp(&a.total).then_with(|| a.label.cmp(&b.label)));
        out.truncate(60);
        Ok(out)
    }

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
            tx.changed("recommendations", &update.recommendation_id.to_string(), "update");
        }
        let entry = audit.clone().record("recommendation", update.recommendation_id).summary(format!(
            "progress update {id} {}",
            if accept { "accepted" } else { "sent back" }
        ));
        tx.audit(entry);
        tx.commit().await?;
        Ok(update)
    }

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
            tx.changed("recommendations", &recommendation_id.to_string(), "update");
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

    async fn treaty_commitments(&self, state: &str) -> StoreResult<Vec<TreatyCommitment>> {
        let rows = sqlx::query(
            "SELECT instrument_code, state, reservations, declarations, individual_complaints, updated_at \
             FROM treaty_commitments WHERE state = $1 ORDER BY instrument_code",
        )
        .bind(state)
        .fetch_all(&self.reader)
        .await
        .map_err(store_err)?;
        rows.iter()
            .map(|r| {
                Ok(TreatyCommitment {
                    instrument_code: r.try_get("instrument_code").map_err(store_err)?,
                    state: r.try_get("state").map_err(store_err)?,
                    reservations: r.try_get("reservations").map_err(store_err)?,
                    declarations: r.try_get("declarations").map_err(store_err)?,
                    individual_complaints: r.try_get("individual_complaints").map_err(store_err)?,
                    updated_at: r.try_get("updated_at").map_err(store_err)?,
                })
            })
            .collect()
    }

    async fn set_treaty_commitment(
        &self,
        instrument_code: &str,
        state: &str,
        f: &rightsdesk_domain::reference::CommitmentFields,
        by: i64,
        audit: &AuditEntry,
    ) -> StoreResult<()> {
        let mut tx = self.write().await?;
        sqlx::query(
            "INSERT INTO treaty_commitments (instrument_code, state, reservations, declarations, individual_complaints, updated_by, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (instrument_code, state) DO UPDATE SET \
             reservations = excluded.reservations, declarations = excluded.declarations, \
             individual_complaints = excluded.individual_complaints, updated_by = excluded.updated_by, updated_at = excluded.updated_at",
        )
        .bind(instrument_code)
        .bind(state)
        .bind(&f.reservations)
        .bind(&f.declarations)
        .bind(&f.individual_complaints)
        .bind(by)
        .bind(now_micros())
        .execute(&mut *tx)
        .await
        .map_err(store_err)?;
        let entry = audit
            .clone()
            .record("treaty", instrument_code)
            .summary(format!("{state}: complaints {}", f.individual_complaints));
        tx.audit(entry);
        tx.commit().await.map(drop)
    }

    // The reporting calendar and its feeds.
    async fn reporting_events(&self) -> StoreResult<Vec<ReportingEvent>> {
        let rows = sqlx::query(&format!("SELECT {EVENT_COLUMNS} FROM reporting_events ORDER BY due_on, id"))
            .fetch_all(&self.reader)
            .await
            .map_err(store_err)?;
        rows.iter().map(event_from_row).collect()
    }

    async fn add_reporting_event(
        &self,
        i: &rightsdesk_domain::mechanisms::ReportingEventInput,
        by: i64,
        audit: &AuditEntry,
    ) -> StoreResult<ReportingEvent> {
        let mut tx = self.write().await?;
        let now = now_micros();
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO reporting_events (mechanism_code, kind, cycle, title, due_on, status, notes, created_by, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, 'open', $6, $7, $8, $8) RETURNING id",
        )
        .bind(&i.mechanism_code)
        .bind(&i.kind)
        .bind(&i.cycle)
        .bind(&i.title)
        .bind(&i.due_on)
        .bind(&i.notes)
        .bind(by)
        .bind(now)
        .fetch_one(&mut *tx)
        .await
        .map_err(store_err)?;
        let entry = audit.clone().record("reporting_event", id).summary(format!("{} {} due {}", i.mechanism_code, i.kind, i.due_on));
        tx.audit(entry);
        let event = event_in(&mut tx, id).await?;
        tx.commit().await?;
        Ok(event)
    }

    async fn set_reporting_event_status(
        &self,
        id: i64,
        status: &str,
        done_on: Option<&str>,
        audit: &AuditEntry,
    ) -> StoreResult<ReportingEvent> {
        let mut tx = self.write().await?;
        let done = sqlx::query("UPDATE reporting_events SET status = $1, done_on = $2, updated_at = $3 WHERE id = $4")
            .bind(status)
            .bind(done_on)
            .bind(now_micros())
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(store_err)?;
        one_row(done.rows_affected())?;
        let entry = audit.clone().record("reporting_event", id).summary(format!("{status} {}", done_on.unwrap_or("")));
        tx.audit(entry);
        let event = event_in(&mut tx, id).await?;
        tx.commit().await?;
        Ok(event)
    }

    async fn create_calendar_feed(&self, user_id: i64, token_hash: &str, audit: &AuditEntry) -> StoreResult<()> {
        let mut tx = self.write().await?;
        let now = now_micros();
        sqlx::query("UPDATE calendar_feeds SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL")
            .bind(now)
            .bind(user_id)
            .execute(&mut *tx)
            .await
            .map_err(store_err)?;
        sqlx::query("INSERT INTO calendar_feeds (user_id, token_hash, created_at) VALUES ($1, $2, $3)")
            .bind(user_id)
            .bind(token_hash)
            .bind(now)
            .execute(&mut *tx)
            .await
            .map_err(store_err)?;
        tx.audit(audit.clone().record("user", user_id).summary("calendar feed started"));
        tx.commit().await.map(drop)
    }

    async fn revoke_calendar_feeds(&self, user_id: i64, audit: &AuditEntry) -> StoreResult<()> {
        let mut tx = self.write().await?;
        sqlx::query("UPDATE calendar_feeds SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL")
            .bind(now_micros())
            .bind(user_id)
            .execute(&mut *tx)
            .await
            .map_err(store_err)?;
        tx.audit(audit.clone().record("user", user_id).summary("calendar feed revoked"));
        tx.commit().await.map(drop)
    }

    async fn calendar_feed_user(&self, token_hash: &str) -> StoreResult<Option<i64>> {
        sqlx::query_scalar("SELECT user_id FROM calendar_feeds WHERE token_hash = $1 AND revoked_at IS NULL")
            .bind(token_hash)
            .fetch_optional(&self.reader)
            .await
            .map_err(store_err)
    }

    async fn has_calendar_feed(&self, user_id: i64) -> StoreResult<bool> {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM calendar_feeds WHERE user_id = $1 AND revoked_at IS NULL")
            .bind(user_id)
            .fetch_one(&self.reader)
            .await
            .map_err(store_err)?;
        Ok(n > 0)
    }
}

const EVENT_COLUMNS: &str = "id, mechanism_code, kind, cycle, title, due_on, status, done_on, notes, updated_at";

fn event_from_row(r: &DbRow) -> Result<ReportingEvent, StoreError> {
    Ok(ReportingEvent {
        id: r.try_get("id").map_err(store_err)?,
        mechanism_code: r.try_get("mechanism_code").map_err(store_err)?,
        kind: r.try_get("kind").map_err(store_err)?,
        cycle: r.try_get("cycle").map_err(store_err)?,
        title: r.try_get("title").map_err(store_err)?,
        due_on: r.try_get("due_on").map_err(store_err)?,
        status: r.try_get("status").map_err(store_err)?,
        done_on: r.try_get("done_on").map_err(store_err)?,
        notes: r.try_get("notes").map_err(store_err)?,
        updated_at: r.try_get("updated_at").map_err(store_err)?,
    })
}

async fn event_in(conn: &mut Conn, id: i64) -> Result<ReportingEvent, StoreError> {
    let row = sqlx::query(&format!("SELECT {EVENT_COLUMNS} FROM reporting_events WHERE id = $1"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await
        .map_err(store_err)?
        .ok_or(StoreError::NotFound)?;
    event_from_row(&row)
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
