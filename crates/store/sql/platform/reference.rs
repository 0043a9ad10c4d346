// Reference data: the gazetteer, instruments and articles, ratifications, SDGs, vocabularies.

fn province_from_row(r: &DbRow) -> Result<Province, StoreError> {
    Ok(Province {
        code: r.try_get("code").map_err(store_err)?,
        name_en: r.try_get("name_en").map_err(store_err)?,
        name_km: r.try_get("name_km").map_err(store_err)?,
    })
}

fn district_from_row(r: &DbRow) -> Result<District, StoreError> {
    Ok(District {
        code: r.try_get("code").map_err(store_err)?,
        province_code: r.try_get("province_code").map_err(store_err)?,
        name_en: r.try_get("name_en").map_err(store_err)?,
        name_km: r.try_get("name_km").map_err(store_err)?,
    })
}

fn instrument_from_row(r: &DbRow) -> Result<Instrument, StoreError> {
    Ok(Instrument {
        code: r.try_get("code").map_err(store_err)?,
        untc_id: r.try_get("untc_id").map_err(store_err)?,
        title: r.try_get("title").map_err(store_err)?,
        is_core: r.try_get("is_core").map_err(store_err)?,
        article_count: r.try_get("article_count").map_err(store_err)?,
    })
}

const INSTRUMENT_SELECT: &str = "SELECT i.code, i.untc_id, i.title, i.is_core, \
     (SELECT COUNT(*) FROM articles a WHERE a.instrument_code = i.code) AS article_count FROM instruments i";

async fn count(conn: &mut Conn, table: &str) -> Result<i64, StoreError> {
    // `table` comes only from the fixed list in `counts_in`.
    sqlx::query(&format!("SELECT COUNT(*) AS n FROM {table}"))
        .fetch_one(&mut *conn)
        .await
        .map_err(store_err)?
        .try_get("n")
        .map_err(store_err)
}

async fn counts_in(conn: &mut Conn) -> Result<ReferenceCounts, StoreError> {
    Ok(ReferenceCounts {
        provinces: count(conn, "provinces").await?,
        districts: count(conn, "districts").await?,
        communes: count(conn, "communes").await?,
        instruments: count(conn, "instruments").await?,
        articles: count(conn, "articles").await?,
        ratifications: count(conn, "ratifications").await?,
        sdg_goals: count(conn, "sdg_goals").await?,
        sdg_targets: count(conn, "sdg_targets").await?,
    })
}

#[async_trait::async_trait]
impl ReferenceStore for SqlStore {
    async fn reference_loaded(&self) -> StoreResult<bool> {
        let row = sqlx::query("SELECT loaded_at FROM reference_meta WHERE name = $1")
            .bind("embedded")
            .fetch_optional(&self.reader)
            .await
            .map_err(store_err)?;
        Ok(row.is_some())
    }

    async fn load_reference(&self, d: &ReferenceData, audit: &AuditEntry) -> StoreResult<ReferenceCounts> {
        let mut tx = self.write().await?;
        tx.audit(audit.clone());
        for p in &d.provinces {
            sqlx::query(
                "INSERT INTO provinces (code, name_en, name_km) VALUES ($1, $2, $3) \
                 ON CONFLICT (code) DO UPDATE SET name_en = excluded.name_en, name_km = excluded.name_km",
            )
            .bind(&p.code)
            .bind(&p.name_en)
            .bind(&p.name_km)
            .execute(&mut *tx)
            .await
            .map_err(store_err)?;
        }
        for x in &d.districts {
            sqlx::query(
                "INSERT INTO districts (code, province_code, name_en, name_km) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (code) DO UPDATE SET province_code = excluded.province_code, name_en = excluded.name_en, name_km = excluded.name_km",
            )
            .bind(&x.code)
            .bind(&x.province_code)
            .bind(&x.name_en)
            .bind(&x.name_km)
            .execute(&mut *tx)
            .await
            .map_err(store_err)?;
        }
        for c in &d.communes {
            sqlx::query(
                "INSERT INTO communes (code, district_code, name_en, name_km) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (code) DO UPDATE SET district_code = excluded.district_code, name_en = excluded.name_en, name_km = excluded.name_km",
            )
            .bind(&c.code)
            .bind(&c.district_code)
            .bind(&c.name_en)
            .bind(&c.name_km)
            .execute(&mut *tx)
            .await
            .map_err(store_err)?;
        }
        for i in &d.instruments {
            sqlx::query(
                "INSERT INTO instruments (code, untc_id, title, is_core) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (code) DO UPDATE SET untc_id = excluded.untc_id, title = excluded.title, is_core = excluded.is_core",
            )
            .bind(&i.code)
            .bind(&i.untc_id)
            .bind(&i.title)
            .bind(i.is_core)
            .execute(&mut *tx)
            .await
            .map_err(store_err)?;
        }
        for a in &d.articles {
            sqlx::query(
                "INSERT INTO articles (instrument_code, number, part, caption, text) VALUES ($1, $2, $3, $4, $5) \
                 ON CONFLICT (instrument_code, number) DO UPDATE SET part = excluded.part, caption = excluded.caption, text = excluded.text",
            )
            .bind(&a.instrument_code)
            .bind(a.number)
            .bind(&a.part)
            .bind(&a.caption)
            .bind(&a.text)
            .execute(&mut *tx)
            .await
            .map_err(store_err)?;
            tx.changed("articles", format!("{}:{}", a.instrument_code, a.number), "update");
        }
        for r in &d.ratifications {
            sqlx::query(
                "INSERT INTO ratifications (instrument_code, state, status, signature_date, consent_date, source) \
                 VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (instrument_code, state) DO UPDATE SET \
                 status = excluded.status, signature_date = excluded.signature_date, consent_date = excluded.consent_date, source = excluded.source",
            )
            .bind(&r.instrument_code)
            .bind(&r.state)
            .bind(r.status.as_str())
            .bind(&r.signature_date)
            .bind(&r.consent_date)
            .bind(&r.source)
            .execute(&mut *tx)
            .await
            .map_err(store_err)?;
        }
        for g in &d.sdg_goals {
            sqlx::query(
                "INSERT INTO sdg_goals (number, short_en, title_en, short_km, title_km) VALUES ($1, $2, $3, $4, $5) \
                 ON CONFLICT (number) DO UPDATE SET short_en = excluded.short_en, title_en = excluded.title_en, \
                 short_km = excluded.short_km, title_km = excluded.title_km",
            )
            .bind(g.number)
            .bind(&g.short_en)
            .bind(&g.title_en)
            .bind(&g.short_km)
            .bind(&g.title_km)
            .execute(&mut *tx)
            .await
            .map_err(store_err)?;
        }
        for t in &d.sdg_targets {
            sqlx::query(
                "INSERT INTO sdg_targets (code, goal, title_en, title_km) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (code) DO UPDATE SET goal = excluded.goal, title_en = excluded.title_en, title_km = excluded.title_km",
            )
            .bind(&t.code)
            .bind(t.goal)
            .bind(&t.title_en)
            .bind(&t.title_km)
            .execute(&mut *tx)
            .await
            .map_err(store_err)?;
        }
        sqlx::query(
            "INSERT INTO reference_meta (name, loaded_at) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET loaded_at = excluded.loaded_at",
        )
        .bind("embedded")
        .bind(now_micros())
        .execute(&mut *tx)
        .await
        .map_err(store_err)?;
        let counts = counts_in(&mut tx).await?;
        tx.commit().await?;
        Ok(counts)
    }

    async fn reference_counts(&self) -> StoreResult<ReferenceCounts> {
        let mut conn = self.reader.acquire().await.map_err(store_err)?;
        counts_in(&mut conn).await
    }

    async fn provinces(&self) -> StoreResult<Vec<Province>> {
        let rows = sqlx::query("SELECT code, name_en, name_km FROM provinces ORDER BY code")
            .fetch_all(&self.reader)
            .await
            .map_err(store_err)?;
        rows.iter().map(province_from_row).collect()
    }

    async fn province(&self, code: &str) -> StoreResult<Option<Province>> {
        let row = sqlx::query("SELECT code, name_en, name_km FROM provinces WHERE code = $1")
            .bind(code)
            .fetch_optional(&self.reader)
            .await
            .map_err(store_err)?;
        row.as_ref().map(province_from_row).transpose()
    }

    async fn districts(&self, province_code: &str) -> StoreResult<Vec<District>> {
        let rows = sqlx::query("SELECT code, province_code, name_en, name_km FROM districts WHERE province_code = $1 ORDER BY code")
            .bind(province_code)
            .fetch_all(&self.reader)
            .await
            .map_err(store_err)?;
        rows.iter().map(district_from_row).collect()
    }

    async fn district(&self, code: &str) -> StoreResult<Option<District>> {
        let row = sqlx::query("SELECT code, province_code, name_en, name_km FROM districts WHERE code = $1")
            .bind(code)
            .fetch_optional(&self.reader)
            .await
            .map_err(store_err)?;
        row.as_ref().map(district_from_row).transpose()
    }

    async fn communes(&self, district_code: &str) -> StoreResult<Vec<Commune>> {
        let rows = sqlx::query("SELECT code, district_code, name_en, name_km FROM communes WHERE district_code = $1 ORDER BY code")
            .bind(district_code)
            .fetch_all(&self.reader)
            .await
            .map_err(store_err)?;
        rows.iter()
            .map(|r| {
                Ok(Commune {
                    code: r.try_get("code").map_err(store_err)?,
                    district_code: r.try_get("district_code").map_err(store_err)?,
                    name_en: r.try_get("name_en").map_err(store_err)?,
                    name_km: r.try_get("name_km").map_err(store_err)?,
                })
            })
            .collect()
    }

    async fn instruments(&self) -> StoreResult<Vec<Instrument>> {
        let rows = sqlx::query(&format!("{INSTRUMENT_SELECT} ORDER BY i.is_core, i.untc_id"))
            .fetch_all(&self.reader)
            .await
            .map_err(store_err)?;
        rows.iter().map(instrument_from_row).collect()
    }

    async fn instrument(&self, code: &str) -> StoreResult<Option<Instrument>> {
        let row = sqlx::query(&format!("{INSTRUMENT_SELECT} WHERE i.code = $1"))
            .bind(code)
            .fetch_optional(&self.reader)
            .await
            .map_err(store_err)?;
        row.as_ref().map(instrument_from_row).transpose()
    }

    async fn articles(&self, instrument_code: &str) -> StoreResult<Vec<Article>> {
        let rows = sqlx::query(
            "SELECT instrument_code, number, part, caption, text FROM articles WHERE instrument_code = $1 ORDER BY number",
        )
        .bind(instrument_code)
        .fetch_all(&self.reader)
        .await
        .map_err(store_err)?;
        rows.iter()
            .map(|r| {
                Ok(Article {
                    instrument_code: r.try_get("instrument_code").map_err(store_err)?,
                    number: r.try_get("number").map_err(store_err)?,
                    part: r.try_get("part").map_err(store_err)?,
                    caption: r.try_get("caption").map_err(store_err)?,
                    text: r.try_get("text").map_err(store_err)?,
                })
            })
            .collect()
    }

    async fn import_ratifications(&self, rows: &[Ratification], audit: &AuditEntry) -> StoreResult<usize> {
        let mut tx = self.write().await?;
        for chunk in rows.chunks(30_000 / 6) {
            let mut q = sqlx::QueryBuilder::<Db>::new(
                "INSERT INTO ratifications (instrument_code, state, status, signature_date, consent_date, source) ",
            );
            q.push_values(chunk, |mut b, r| {
                b.push_bind(&r.instrument_code)
                    .push_bind(&r.state)
                    .push_bind(r.status.as_str())
                    .push_bind(&r.signature_date)
                    .push_bind(&r.consent_date)
                    .push_bind(&r.source);
            });
            q.push(
                " ON CONFLICT (instrument_code, state) DO UPDATE SET status = excluded.status, \
                 signature_date = excluded.signature_date, consent_date = excluded.consent_date, source = excluded.source",
            );
            q.build().execute(&mut *tx).await.map_err(store_err)?;
        }
        let entry = audit.clone().record("ratifications", "import").summary(format!("{} rows", rows.len()));
        tx.audit(entry);
        tx.commit().await?;
        Ok(rows.len())
    }

    async fn ratification_states(&self) -> StoreResult<Vec<String>> {
        sqlx::query_scalar("SELECT DISTINCT state FROM ratifications ORDER BY state")
            .fetch_all(&self.reader)
            .await
            .map_err(store_err)
    }

    async fn ratifications(&self, state: &str) -> StoreResult<Vec<Ratification>> {
        let rows = sqlx::query(
            "SELECT r.instrument_code, r.state, r.status, r.signature_date, r.consent_date, r.source \
             FROM ratifications r JOIN instruments i ON i.code = r.instrument_code WHERE r.state = $1 ORDER BY i.untc_id",
        )
        .bind(state)
        .fetch_all(&self.reader)
        .await
        .map_err(store_err)?;
        rows.iter()
            .map(|r| {
                let status: String = r.try_get("status").map_err(store_err)?;
                Ok(Ratification {
                    instrument_code: r.try_get("instrument_code").map_err(store_err)?,
                    state: r.try_get("state").map_err(store_err)?,
                    status: RatificationStatus::parse(&status).ok_or_else(|| corrupt("ratifications.status"))?,
                    signature_date: r.try_get("signature_date").map_err(store_err)?,
                    consent_date: r.try_get("consent_date").map_err(store_err)?,
                    source: r.try_get("source").map_err(store_err)?,
                })
            })
            .collect()
    }

    async fn sdg_goals(&self) -> StoreResult<Vec<SdgGoal>> {
        let rows = sqlx::query("SELECT number, short_en, title_en, short_km, title_km FROM sdg_goals ORDER BY number")
            .fetch_all(&self.reader)
            .await
            .map_err(store_err)?;
        rows.iter()
            .map(|r| {
                Ok(SdgGoal {
                    number: r.try_get("number").map_err(store_err)?,
                    short_en: r.try_get("short_en").map_err(store_err)?,
                    title_en: r.try_get("title_en").map_err(store_err)?,
                    short_km: r.try_get("short_km").map_err(store_err)?,
                    title_km: r.try_get("title_km").map_err(store_err)?,
                })
            })
            .collect()
    }

    async fn import_vocabularies(
        &self,
        vocabularies: &[rightsdesk_domain::vocabulary::Vocabulary],
        audit: &AuditEntry,
    ) -> StoreResult<i64> {
        let mut tx = self.write().await?;
        let now = now_micros();
        let mut written = 0i64;
        for v in vocabularies {
            sqlx::query(
                "INSERT INTO vocabularies (code, name, source, imported_at) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (code) DO UPDATE SET name = excluded.name, source = excluded.source, imported_at = excluded.imported_at",
            )
            .bind(&v.code)
            .bind(&v.name)
            .bind(&v.source)
            .bind(now)
            .execute(&mut *tx)
            .await
            .map_err(store_err)?;
            for t in &v.terms {
                // A Khmer label someone added is kept on a re-import.
                sqlx::query(
                    "INSERT INTO vocabulary_terms (vocabulary_code, code, parent_code, level, sort_order, visible, \
                     label_en, label_fr, label_es, label_km) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
                     ON CONFLICT (vocabulary_code, code) DO UPDATE SET parent_code = excluded.parent_code, \
                     level = excluded.level, sort_order = excluded.sort_order, visible = excluded.visible, \
                     label_en = excluded.label_en, label_fr = excluded.label_fr, label_es = excluded.label_es",
                )
                .bind(&v.code)
                .bind(&t.code)
                .bind(&t.parent)
                .bind(t.level)
                .bind(t.order)
                .bind(t.visible)
                .bind(&t.label_en)
                .bind(&t.label_fr)
                .bind(&t.label_es)
                .bind(&t.label_km)
                .execute(&mut *tx)
                .await
                .map_err(store_err)?;
                written += 1;
            }
        }
        let entry = audit.clone().record("vocabulary", "").summary(format!(
            "{} vocabularies, {written} terms",
            vocabularies.len()
        ));
        tx.audit(entry);
        tx.commit().await?;
        Ok(written)
    }

    async fn vocabularies(&self) -> StoreResult<Vec<VocabularySummary>> {
        let rows = sqlx::query(
            "SELECT v.code, v.name, v.source, v.imported_at, \
             (SELECT COUNT(*) FROM vocabulary_terms t WHERE t.vocabulary_code = v.code) AS terms \
             FROM vocabularies v ORDER BY v.code",
        )
        .fetch_all(&self.reader)
        .await
        .map_err(store_err)?;
        rows.iter()
            .map(|r| {
                Ok(VocabularySummary {
                    code: r.try_get("code").map_err(store_err)?,
                    name: r.try_get("name").map_err(store_err)?,
                    source: r.try_get("source").map_err(store_err)?,
                    terms: r.try_get("terms").map_err(store_err)?,
                    imported_at: r.try_get("imported_at").map_err(store_err)?,
                })
            })
            .collect()
    }

    async fn vocabulary_terms(&self, code: &str) -> StoreResult<Vec<rightsdesk_domain::vocabulary::VocabularyTerm>> {
        let rows = sqlx::query(
            "SELECT code, parent_code, level, sort_order, visible, label_en, label_fr, label_es, label_km \
             FROM vocabulary_terms WHERE vocabulary_code = $1",
        )
        .bind(code)
        .fetch_all(&self.reader)
        .await
        .map_err(store_err)?;
        let terms: Vec<rightsdesk_domain::vocabulary::VocabularyTerm> = rows
            .iter()
            .map(|r| {
                Ok(rightsdesk_domain::vocabulary::VocabularyTerm {
                    code: r.try_get("code").map_err(store_err)?,
                    parent: r.try_get("parent_code").map_err(store_err)?,
                    level: r.try_get("level").map_err(store_err)?,
                    order: r.try_get("sort_order").map_err(store_err)?,
                    visible: r.try_get("visible").map_err(store_err)?,
                    label_en: r.try_get("label_en").map_err(store_err)?,
                    label_fr: r.try_get("label_fr").map_err(store_err)?,
                    label_es: r.try_get("label_es").map_err(store_err)?,
                    label_km: r.try_get("label_km").map_err(store_err)?,
                })
            })
            .collect::<Result<_, StoreError>>()?;
        Ok(tree_order(terms))
    }

    async fn sdg_targets(&self, goal: i64) -> StoreResult<Vec<SdgTarget>> {
        let rows = sqlx::query("SELECT code, goal, title_en, title_km FROM sdg_targets WHERE goal = $1")
            .bind(goal)
            .fetch_all(&self.reader)
            .await
            .map_err(store_err)?;
        let mut targets: Vec<SdgTarget> = rows
            .iter()
            .map(|r| {
                Ok(SdgTarget {
                    code: r.try_get("code").map_err(store_err)?,
                    goal: r.try_get("goal").map_err(store_err)?,
                    title_en: r.try_get("title_en").map_err(store_err)?,
                    title_km: r.try_get("title_km").map_err(store_err)?,
                })
            })
            .collect::<Result<_, StoreError>>()?;
        // 16.2 before 16.10, and lettered targets (16.a) after the numbered ones.
        targets.sort_by_key(|t| {
            let sub = t.code.split('.').nth(1).unwrap_or_default().to_string();
            (sub.parse::<u32>().unwrap_or(u32::MAX), sub)
        });
        Ok(targets)
    }
}


/// Terms in tree order: each parent followed by its children, siblings by
/// their sort order; terms whose parent is missing come at the top level.
fn tree_order(
    mut terms: Vec<rightsdesk_domain::vocabulary::VocabularyTerm>,
) -> Vec<rightsdesk_domain::vocabulary::VocabularyTerm> {
    terms.sort_by(|a, b| (a.order, &a.code).cmp(&(b.order, &b.code)));
    let codes: std::collections::HashSet<String> = terms.iter().map(|t| t.code.clone()).collect();
    let mut children: std::collections::HashMap<Option<String>, Vec<usize>> = std::collections::HashMap::new();
    for (i, t) in terms.iter().enumerate() {
        let parent = t.parent.clone().filter(|p| codes.contains(p) && p != &t.code);
        children.entry(parent).or_default().push(i);
    }
    let mut out = Vec::with_capacity(terms.len());
    let mut seen = vec![false; terms.len()];
    let mut stack: Vec<usize> = children.get(&None).cloned().unwrap_or_default().into_iter().rev().collect();
    while let Some(i) = stack.pop() {
        if std::mem::replace(&mut seen[i], true) {
            continue;
        }
        out.push(i);
        if let Some(kids) = children.get(&Some(terms[i].code.clone())) {
            stack.extend(kids.iter().rev());
        }
    }
    // A cycle leaves terms unreached: list them rather than lose them.
    out.extend((0..terms.len()).filter(|i| !seen[*i]));
    let mut slots: Vec<Option<rightsdesk_domain::vocabulary::VocabularyTerm>> = terms.into_iter().map(Some).collect();
    out.into_iter().filter_map(|i| slots[i].take()).collect()
}
