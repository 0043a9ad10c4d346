// Acts with their victims, perpetrators, rights and vocabulary terms.

const ACTS_SQL: &str = "SELECT id, case_id, act_type, act_date, date_precision, location_text, description, created_at \
     FROM acts WHERE case_id = $1 ORDER BY id";

const ACT_VICTIMS_SQL: &str = "SELECT v.act_id, p.code FROM act_victims v JOIN persons p ON p.id = v.person_id \
     JOIN acts a ON a.id = v.act_id WHERE a.case_id = $1 ORDER BY p.code";

const ACT_PERPETRATORS_SQL: &str = "SELECT x.act_id, p.code, x.involvement FROM act_perpetrators x \
     JOIN persons p ON p.id = x.person_id JOIN acts a ON a.id = x.act_id WHERE a.case_id = $1 ORDER BY p.code";

const ACT_RIGHTS_SQL: &str = "SELECT r.act_id, r.instrument_code, r.article_number FROM act_rights r \
     JOIN acts a ON a.id = r.act_id WHERE a.case_id = $1 ORDER BY r.instrument_code, r.article_number";

const ACT_TERMS_SQL: &str = "SELECT x.act_id, x.vocabulary_code, x.term_code, t.label_en, t.label_km FROM act_terms x \
     JOIN vocabulary_terms t ON t.vocabulary_code = x.vocabulary_code AND t.code = x.term_code \
     JOIN acts a ON a.id = x.act_id WHERE a.case_id = $1 ORDER BY x.vocabulary_code, x.term_code";

/// Acts with their victims, perpetrators, rights and terms (the rows of
/// `ACTS_SQL` and the four that follow it).
fn acts_from_rows(
    rows: &[DbRow],
    victims: &[DbRow],
    perpetrators: &[DbRow],
    rights: &[DbRow],
    terms: &[DbRow],
) -> Result<Vec<Act>, StoreError> {
    let mut acts = vec![];
    for r in rows {
        let id: i64 = r.try_get("id").map_err(store_err)?;
        let mut act = Act {
            id,
            case_id: r.try_get("case_id").map_err(store_err)?,
            act_type: r.try_get("act_type").map_err(store_err)?,
            date: fuzzy_from_columns(r.try_get("act_date").map_err(store_err)?, r.try_get("date_precision").map_err(store_err)?),
            location_text: r.try_get("location_text").map_err(store_err)?,
            description: r.try_get("description").map_err(store_err)?,
            victims: vec![],
            perpetrators: vec![],
            rights: vec![],
            terms: vec![],
            created_at: r.try_get("created_at").map_err(store_err)?,
        };
        for t in terms {
            if t.try_get::<i64, _>("act_id").map_err(store_err)? == id {
                act.terms.push(ActTerm {
                    vocabulary: t.try_get("vocabulary_code").map_err(store_err)?,
                    code: t.try_get("term_code").map_err(store_err)?,
                    label_en: t.try_get("label_en").map_err(store_err)?,
                    label_km: t.try_get("label_km").map_err(store_err)?,
                });
            }
        }
        for v in victims {
            if v.try_get::<i64, _>("act_id").map_err(store_err)? == id {
                act.victims.push(v.try_get("code").map_err(store_err)?);
            }
        }
        for p in perpetrators {
            if p.try_get::<i64, _>("act_id").map_err(store_err)? == id {
                act.perpetrators.push((p.try_get("code").map_err(store_err)?, p.try_get("involvement").map_err(store_err)?));
            }
        }
        for x in rights {
            if x.try_get::<i64, _>("act_id").map_err(store_err)? == id {
                act.rights.push(rightsdesk_domain::monitoring::ArticleRef {
                    instrument_code: x.try_get("instrument_code").map_err(store_err)?,
                    number: x.try_get("article_number").map_err(store_err)?,
                });
            }
        }
        acts.push(act);
    }
    Ok(acts)
}

/// A row of `acts` (its people, rights and terms are rows of their own).
struct ActRow<'a> {
    id: i64,
    case_id: i64,
    input: &'a rightsdesk_domain::monitoring::ActInput,
    created_by: i64,
    at: i64,
}

impl TableRow for ActRow<'_> {
    const INSERT: &'static str = "INSERT INTO acts (id, case_id, act_type, act_date, date_precision, location_text, \
         description, created_by, created_at) ";
    fn push<'a>(&'a self, q: &mut sqlx::query_builder::Separated<'_, 'a, Db, &'static str>) {
        let a = self.input;
        q.push_bind(self.id)
            .push_bind(self.case_id)
            .push_bind(&a.act_type)
            .push_bind(a.date.as_ref().map(|d| d.value.as_str()))
            .push_bind(rightsdesk_store::monitoring::precision_str_pub(&a.date))
            .push_bind(&a.location_text)
            .push_bind(&a.description)
            .push_bind(self.created_by)
            .push_bind(self.at);
    }
}

/// Inserts an act with its victims, perpetrators (people of the same case
/// in the right role, else `Constraint`) and articles. No audit.
async fn insert_act_in(tx: &mut Conn, new: &NewAct) -> Result<i64, StoreError> {
    let i = &new.input;
        let id = reserve_id(&mut *tx, "acts").await?;
        let row = ActRow { id, case_id: new.case_id, input: i, created_by: new.created_by, at: now_micros() };
        insert_table_rows(&mut *tx, std::slice::from_ref(&row)).await?;
        // People are linked only if they belong to this case and fit the role.
        for (people, table, role) in [(&new.victims, "act_victims", "victim"), (&new.perpetrators, "act_perpetrators", "perpetrator")] {
            for person in people {
                let sql = if table == "act_victims" {
                    "INSERT INTO act_victims (act_id, person_id) SELECT $1, id FROM persons WHERE id = $2 AND case_id = $3 AND role = $4".to_string()
                } else {
                    "INSERT INTO act_perpetrators (act_id, person_id, involvement) SELECT $1, id, $5 FROM persons \
                     WHERE id = $2 AND case_id = $3 AND role = $4"
                        .to_string()
                };
                let mut q = sqlx::query(&sql).bind(id).bind(person).bind(new.case_id).bind(role);
                if table == "act_perpetrators" {
                    q = q.bind(&i.involvement);
                }
                let done = q.execute(&mut *tx).await.map_err(store_err)?;
                if done.rows_affected() != 1 {
                    return Err(StoreError::Constraint(format!("{table}.person_id")));
                }
            }
        }
        for (vocabulary, term) in &i.extra_terms {
            // Checked here, not left to the foreign key: SQLite does not say
            // which key failed, and the caller must tell this from an article.
            let known = sqlx::query("SELECT 1 AS x FROM vocabulary_terms WHERE vocabulary_code = $1 AND code = $2 AND visible")
                .bind(vocabulary)
                .bind(term)
                .fetch_optional(&mut *tx)
                .await
                .map_err(store_err)?;
            if known.is_none() {
                return Err(StoreError::Constraint("act_terms.term_code".into()));
            }
            sqlx::query("INSERT INTO act_terms (act_id, vocabulary_code, term_code) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
                .bind(id)
                .bind(vocabulary)
                .bind(term)
                .execute(&mut *tx)
                .await
                .map_err(store_err)?;
        }
        for r in &i.rights {
            sqlx::query("INSERT INTO act_rights (act_id, instrument_code, article_number) VALUES ($1, $2, $3)")
                .bind(id)
                .bind(&r.instrument_code)
                .bind(r.number)
                .execute(&mut *tx)
                .await
                .map_err(store_err)?;
        }
    Ok(id)
}

#[async_trait::async_trait]
impl ActStore for SqlStore {
    async fn add_act(&self, new: &NewAct, audit: &AuditEntry) -> StoreResult<Act> {
        let i = &new.input;
        let mut tx = self.write().await?;
        let id = insert_act_in(&mut tx, new).await?;
        sqlx::query("UPDATE cases SET updated_at = $1 WHERE id = $2").bind(now_micros()).bind(new.case_id).execute(&mut *tx).await.map_err(store_err)?;
        let entry = audit.clone().record("case", new.case_id).summary(format!("act {id} added ({})", i.act_type));
        tx.audit(entry);
        tx.changed("cases", new.case_id, "update");
        tx.commit().await?;
        self.acts(new.case_id).await?.into_iter().find(|a| a.id == id).ok_or(StoreError::NotFound)
    }

    async fn acts(&self, case_id: i64) -> StoreResult<Vec<Act>> {
        let mut conn = self.reader.acquire().await.map_err(store_err)?;
        let statements =
            [ACTS_SQL, ACT_VICTIMS_SQL, ACT_PERPETRATORS_SQL, ACT_RIGHTS_SQL, ACT_TERMS_SQL].map(String::from);
        let s = read_sections(&mut conn, &statements, case_id).await?;
        acts_from_rows(&s[0], &s[1], &s[2], &s[3], &s[4])
    }
}
