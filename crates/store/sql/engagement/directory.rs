// The stakeholder directory: organisations, their relations, what is linked to them.

const STAKEHOLDER_COLUMNS: &str = "o.id, o.name_en, o.name_km, o.acronym, o.kind, o.parent_id, \
     p.name_en AS parent_en, p.name_km AS parent_km, o.province_code, pr.name_en AS province_en, \
     pr.name_km AS province_km, o.notes, o.updated_at, \
     (SELECT COUNT(*) FROM contacts c WHERE c.organisation_id = o.id) AS contact_count, \
     (SELECT COUNT(*) FROM meeting_organisations mo WHERE mo.organisation_id = o.id) AS meeting_count";
const STAKEHOLDER_FROM: &str = "organisations o LEFT JOIN organisations p ON p.id = o.parent_id \
     LEFT JOIN provinces pr ON pr.code = o.province_code";

fn stakeholder_from_row(r: &DbRow) -> Result<Stakeholder, StoreError> {
    Ok(Stakeholder {
        id: r.try_get("id").map_err(store_err)?,
        name_en: r.try_get("name_en").map_err(store_err)?,
        name_km: r.try_get("name_km").map_err(store_err)?,
        acronym: r.try_get("acronym").map_err(store_err)?,
        kind: choice_at(r, "kind", StakeholderKind::parse)?,
        parent_id: r.try_get("parent_id").map_err(store_err)?,
        parent_en: r.try_get("parent_en").map_err(store_err)?,
        parent_km: r.try_get("parent_km").map_err(store_err)?,
        province_code: r.try_get("province_code").map_err(store_err)?,
        province_en: r.try_get("province_en").map_err(store_err)?,
        province_km: r.try_get("province_km").map_err(store_err)?,
        notes: r.try_get("notes").map_err(store_err)?,
        contacts: r.try_get("contact_count").map_err(store_err)?,
        meetings: r.try_get("meeting_count").map_err(store_err)?,
        updated_at: r.try_get("updated_at").map_err(store_err)?,
    })
}

async fn stakeholder_in(conn: &mut Conn, id: i64) -> Result<Option<Stakeholder>, StoreError> {
    let sql = format!("SELECT {STAKEHOLDER_COLUMNS} FROM {STAKEHOLDER_FROM} WHERE o.id = $1");
    let row = sqlx::query(&sql).bind(id).fetch_optional(&mut *conn).await.map_err(store_err)?;
    row.as_ref().map(stakeholder_from_row).transpose()
}

/// The WHERE clause of a directory filter; the kind is left out for the counts per kind.
fn push_stakeholder_filter(q: &mut sqlx::QueryBuilder<'_, Db>, f: &StakeholderFilter, with_kind: bool) {
    q.push(" WHERE 1 = 1");
    if let (true, Some(kind)) = (with_kind, f.kind) {
        q.push(" AND o.kind = ").push_bind(kind.as_str());
    }
    if let Some(p) = &f.province_code {
        q.push(" AND o.province_code = ").push_bind(p.clone());
    }
    if let Some(p) = f.parent_id {
        q.push(" AND o.parent_id = ").push_bind(p);
    }
    if let Some(t) = f.text.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        let like = format!("%{}%", t.to_lowercase().replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_"));
        q.push(" AND (LOWER(o.name_en) LIKE ")
            .push_bind(like.clone())
            .push(" ESCAPE '\\' OR LOWER(o.name_km) LIKE ")
            .push_bind(like.clone())
            .push(" ESCAPE '\\' OR LOWER(o.acronym) LIKE ")
            .push_bind(like)
            .push(" ESCAPE '\\')");
    }
}

/// Whether making `parent` the parent of `id` would put `id` inside itself.
async fn parent_loops(conn: &mut Conn, id: i64, parent: i64) -> Result<bool, StoreError> {
    let mut at = Some(parent);
    for _ in 0..64 {
        match at {
            None => return Ok(false),
            Some(p) if p == id => return Ok(true),
            Some(p) => {
                at = sqlx::query_scalar::<_, Option<i64>>("SELECT parent_id FROM organisations WHERE id = $1")
                    .bind(p)
                    .fetch_optional(&mut *conn)
                    .await
                    .map_err(store_err)?
                    .flatten();
            }
        }
    }
    Ok(true)
}

#[async_trait::async_trait]
impl DirectoryStore for SqlStore {
    async fn create_stakeholder(&self, i: &OrganisationInput, audit: &AuditEntry) -> StoreResult<Stakeholder> {
        let now = now_micros();
        let mut tx = self.write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO organisations (name_en, name_km, acronym, kind, parent_id, province_code, notes, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id",
        )
        .bind(&i.name_en)
        .bind(&i.name_km)
        .bind(&i.acronym)
        .bind(i.kind.as_str())
        .bind(i.parent_id)
        .bind(&i.province_code)
        .bind(&i.notes)
        .bind(now)
        .fetch_one(&mut *tx)
        .await
        .map_err(store_err)?;
        tx.audit(audit.clone().record("organisation", id).summary(i.kind.as_str()));
        tx.changed("organisations", id, "insert");
        let created = stakeholder_in(&mut tx, id).await?.ok_or(StoreError::NotFound)?;
        tx.commit().await?;
        Ok(created)
    }

    async fn update_stakeholder(&self, id: i64, i: &OrganisationInput, audit: &AuditEntry) -> StoreResult<Stakeholder> {
        let mut tx = self.write().await?;
        if let Some(parent) = i.parent_id {
            if parent_loops(&mut tx, id, parent).await? {
                return Err(StoreError::Constraint("organisations.parent_id loop".into()));
            }
        }
        let done = sqlx::query(
            "UPDATE organisations SET name_en = $1, name_km = $2, acronym = $3, kind = $4, parent_id = $5, \
             province_code = $6, notes = $7, updated_at = $8 WHERE id = $9",
        )
        .bind(&i.name_en)
        .bind(&i.name_km)
        .bind(&i.acronym)
        .bind(i.kind.as_str())
        .bind(i.parent_id)
        .bind(&i.province_code)
        .bind(&i.notes)
        .bind(now_micros())
        .bind(id)
        .execute(&mut *tx)
        .await
        .map_err(store_err)?;
        one_row(done.rows_affected())?;
        tx.audit(audit.clone().record("organisation", id).summary(i.kind.as_str()));
        tx.changed("organisations", id, "update");
        let updated = stakeholder_in(&mut tx, id).await?.ok_or(StoreError::NotFound)?;
        tx.commit().await?;
        Ok(updated)
    }

    async fn stakeholder(&self, id: i64) -> StoreResult<Option<Stakeholder>> {
        let mut conn = self.reader.acquire().await.map_err(store_err)?;
        stakeholder_in(&mut conn, id).await
    }

    async fn list_stakeholders(&self, f: &StakeholderFilter) -> StoreResult<Vec<Stakeholder>> {
        let mut q = sqlx::QueryBuilder::<Db>::new(format!("SELECT {STAKEHOLDER_COLUMNS} FROM {STAKEHOLDER_FROM}"));
        push_stakeholder_filter(&mut q, f, true);
        q.push(" ORDER BY o.name_en, o.id LIMIT ").push_bind(f.limit.clamp(1, 1000)).push(" OFFSET ").push_bind(f.offset.max(0));
        let rows = q.build().fetch_all(&self.reader).await.map_err(store_err)?;
        rows.iter().map(stakeholder_from_row).collect()
    }

    async fn count_stakeholders(&self, f: &StakeholderFilter) -> StoreResult<i64> {
        let mut q = sqlx::QueryBuilder::<Db>::new("SELECT COUNT(*) FROM organisations o");
        push_stakeholder_filter(&mut q, f, true);
        q.build_query_scalar().fetch_one(&self.reader).await.map_err(store_err)
    }

    async fn count_stakeholders_by_kind(&self, f: &StakeholderFilter) -> StoreResult<Vec<(StakeholderKind, i64)>> {
        let mut q = sqlx::QueryBuilder::<Db>::new("SELECT o.kind, COUNT(*) AS n FROM organisations o");
        push_stakeholder_filter(&mut q, f, false);
        q.push(" GROUP BY o.kind");
        let rows = q.build().fetch_all(&self.reader).await.map_err(store_err)?;
        let mut counts: Vec<(StakeholderKind, i64)> = rows
            .iter()
            .map(|r| Ok((choice_at(r, "kind", StakeholderKind::parse)?, r.try_get("n").map_err(store_err)?)))
            .collect::<Result<_, StoreError>>()?;
        counts.sort();
        Ok(counts)
    }

    async fn relate(&self, from: i64, kind: RelationKind, to: i64, audit: &AuditEntry) -> StoreResult<()> {
        let mut tx = self.write().await?;
        let done = sqlx::query(
            "INSERT INTO organisation_relations (from_id, to_id, kind) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
        )
        .bind(from)
        .bind(to)
        .bind(kind.as_str())
        .execute(&mut *tx)
        .await
        .map_err(store_err)?;
        if done.rows_affected() > 0 {
            tx.audit(audit.clone().record("organisation", from).summary(format!("{} {to}", kind.as_str())));
            tx.changed("organisations", from, "update");
        }
        tx.commit().await?;
        Ok(())
    }

    async fn unrelate(&self, from: i64, kind: RelationKind, to: i64, audit: &AuditEntry) -> StoreResult<()> {
        let mut tx = self.write().await?;
        let done = sqlx::query("DELETE FROM organisation_relations WHERE from_id = $1 AND to_id = $2 AND kind = $3")
            .bind(from)
            .bind(to)
            .bind(kind.as_str())
            .execute(&mut *tx)
            .await
            .map_err(store_err)?;
        one_row(done.rows_affected())?;
        tx.audit(audit.clone().record("organisation", from).summary(format!("no longer {} {to}", kind.as_str())));
        tx.changed("organisations", from, "update");
        tx.commit().await?;
        Ok(())
    }

    async fn organisation_links(&self, id: i64) -> StoreResult<OrganisationLinks> {
        let statements = [
            "SELECT i.id, i.case_id, c.reference, i.kind, i.sent_date, c.office_id, c.sensitivity, i.status, \
             i.response_date FROM interventions i JOIN cases c ON c.id = i.case_id WHERE i.organisation_id = $1 \
             ORDER BY i.sent_date DESC, i.id DESC"
                .to_string(),
            "SELECT r.id, r.mechanism_code, r.document_symbol, r.paragraph, r.text, r.status \
             FROM recommendations r JOIN recommendation_institutions ri ON ri.recommendation_id = r.id \
             WHERE ri.organisation_id = $1 ORDER BY r.id"
                .to_string(),
            "SELECT ri.recommendation_id, ri.organisation_id FROM recommendation_institutions ri \
             WHERE ri.recommendation_id IN (SELECT recommendation_id FROM recommendation_institutions WHERE organisation_id = $1)"
                .to_string(),
            "SELECT id, name_en, name_km FROM organisations WHERE parent_id = $1 ORDER BY name_en".to_string(),
            "SELECT r.kind, r.from_id, r.to_id, o.id AS other_id, o.name_en, o.name_km FROM organisation_relations r \
             JOIN organisations o ON o.id = CASE WHEN r.from_id = $1 THEN r.to_id ELSE r.from_id END \
             WHERE r.from_id = $1 OR r.to_id = $1 ORDER BY o.name_en, r.kind"
                .to_string(),
        ];
        let mut conn = self.reader.acquire().await.map_err(store_err)?;
        let s = read_sections(&mut conn, &statements, id).await?;
        let interventions = s[0]
            .iter()
            .map(|r| {
                Ok(AddressedIntervention {
                    intervention: rightsdesk_store::legislation::LinkedIntervention {
                        id: r.try_get("id").map_err(store_err)?,
                        case_id: r.try_get("case_id").map_err(store_err)?,
                        case_reference: r.try_get("reference").map_err(store_err)?,
                        kind: r.try_get("kind").map_err(store_err)?,
                        date: r.try_get("sent_date").map_err(store_err)?,
                        office_id: r.try_get("office_id").map_err(store_err)?,
                        restricted: r.try_get::<String, _>("sensitivity").map_err(store_err)? == "restricted",
                    },
                    status: r.try_get("status").map_err(store_err)?,
                    response_date: r.try_get("response_date").map_err(store_err)?,
                })
            })
            .collect::<Result<_, StoreError>>()?;
        let institutions = institutions_of(&s[2])?;
        let recommendations = s[1]
            .iter()
            .map(|r| {
                Ok(ResponsibleFor {
                    recommendation: linked_recommendation_from_row(r, &institutions)?,
                    status: r.try_get("status").map_err(store_err)?,
                })
            })
            .collect::<Result<_, StoreError>>()?;
        let children = s[3]
            .iter()
            .map(|r| {
                Ok(OrgRef {
                    id: r.try_get("id").map_err(store_err)?,
                    name_en: r.try_get("name_en").map_err(store_err)?,
                    name_km: r.try_get("name_km").map_err(store_err)?,
                })
            })
            .collect::<Result<_, StoreError>>()?;
        let relations = s[4]
            .iter()
            .map(|r| {
                Ok(Relation {
                    kind: choice_at(r, "kind", RelationKind::parse)?,
                    outgoing: r.try_get::<i64, _>("from_id").map_err(store_err)? == id,
                    other_id: r.try_get("other_id").map_err(store_err)?,
                    other_en: r.try_get("name_en").map_err(store_err)?,
                    other_km: r.try_get("name_km").map_err(store_err)?,
                })
            })
            .collect::<Result<_, StoreError>>()?;
        Ok(OrganisationLinks { interventions, recommendations, children, relations })
    }
}
