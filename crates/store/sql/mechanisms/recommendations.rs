// Recommendations: the import, the list with its filters and facets, what the office adds, progress counts.

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

/// Themes, SDG targets and groups of the given recommendations in one
/// statement whose text does not change with the number of ids (they go as
/// one JSON array, `ID_IN_LIST`), so both backends prepare it once per
/// connection; an `IN ($1, $2, ...)` list was a new statement, parsed and
/// planned again, for every length.
async fn tags_of(conn: &mut Conn, ids: &[i64]) -> Result<std::collections::HashMap<i64, Tags>, StoreError> {
    let mut out: std::collections::HashMap<i64, Tags> = std::collections::HashMap::new();
    if ids.is_empty() {
        return Ok(out);
    }
    let sql = format!(
        "SELECT recommendation_id, 1 AS tag, theme AS value FROM recommendation_themes \
           WHERE recommendation_id {ID_IN_LIST} \
         UNION ALL SELECT recommendation_id, 2, target_code FROM recommendation_sdg_targets \
           WHERE recommendation_id {ID_IN_LIST} \
         UNION ALL SELECT recommendation_id, 3, affected_group FROM recommendation_groups \
           WHERE recommendation_id {ID_IN_LIST} \
         ORDER BY 1, 2, 3"
    );
    let list = serde_json::to_string(ids).map_err(|e| StoreError::Backend(e.to_string()))?;
    for r in sqlx::query(&sql).bind(list).fetch_all(&mut *conn).await.map_err(store_err)? {
        let tags = out.entry(r.try_get("recommendation_id").map_err(store_err)?).or_default();
        let value: String = r.try_get("value").map_err(store_err)?;
        let tag: i32 = r.try_get("tag").map_err(store_err)?;
        match tag {
            1 => tags.themes.push(value),
            2 => tags.sdg_targets.push(value),
            _ => tags.affected_groups.push(value),
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

#[async_trait::async_trait]
impl RecommendationStore for SqlStore {
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
        tx.changed("recommendations", id, "update");
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
}
