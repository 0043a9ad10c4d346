// Sources of a case, with informed consent and its withdrawal.

const SOURCE_COLUMNS: &str = "s.id, s.case_id, p.code AS person_code, s.received, s.method, s.reliability, s.validity, \
     s.consent, s.consent_withdrawn_on, s.information";

fn source_from_row(r: &DbRow) -> Result<Source, StoreError> {
    Ok(Source {
        id: r.try_get("id").map_err(store_err)?,
        case_id: r.try_get("case_id").map_err(store_err)?,
        person_code: r.try_get("person_code").map_err(store_err)?,
        received: r.try_get("received").map_err(store_err)?,
        method: choice_at(r, "method", SourceMethod::parse)?,
        reliability: choice_at(r, "reliability", Reliability::parse)?,
        validity: choice_at(r, "validity", Validity::parse)?,
        consent: choice_at(r, "consent", Consent::parse)?,
        consent_withdrawn_on: r.try_get("consent_withdrawn_on").map_err(store_err)?,
        information: r.try_get("information").map_err(store_err)?,
    })
}

fn sources_sql() -> String {
    format!("SELECT {SOURCE_COLUMNS} FROM sources s LEFT JOIN persons p ON p.id = s.person_id WHERE s.case_id = $1 ORDER BY s.id")
}

#[async_trait::async_trait]
impl SourceStore for SqlStore {
    async fn add_source(
        &self,
        case_id: i64,
        i: &rightsdesk_domain::monitoring::source::SourceInput,
        by: i64,
        audit: &AuditEntry,
    ) -> StoreResult<Source> {
        let mut tx = self.write().await?;
        let person_id: Option<i64> = match &i.person_code {
            None => None,
            Some(code) => Some(
                sqlx::query("SELECT id FROM persons WHERE case_id = $1 AND code = $2 AND role = 'source'")
                    .bind(case_id)
                    .bind(code)
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(store_err)?
                    .ok_or_else(|| StoreError::Constraint("sources.person_id".into()))?
                    .try_get("id")
                    .map_err(store_err)?,
            ),
        };
        let id: i64 = sqlx::query(
            "INSERT INTO sources (case_id, person_id, received, method, reliability, validity, consent, information, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
        )
        .bind(case_id)
        .bind(person_id)
        .bind(&i.received)
        .bind(i.method.as_str())
        .bind(i.reliability.as_str())
        .bind(i.validity.as_str())
        .bind(i.consent.as_str())
        .bind(&i.information)
        .bind(by)
        .bind(now_micros())
        .fetch_one(&mut *tx)
        .await
        .map_err(store_err)?
        .try_get("id")
        .map_err(store_err)?;
        let entry = audit.clone().record("case", case_id).summary(format!("source {id} added (consent {})", i.consent));
        tx.audit(entry);
        tx.changed("cases", case_id, "update");
        let row = sqlx::query(&format!("SELECT {SOURCE_COLUMNS} FROM sources s LEFT JOIN persons p ON p.id = s.person_id WHERE s.id = $1"))
            .bind(id)
            .fetch_one(&mut *tx)
            .await
            .map_err(store_err)?;
        let out = source_from_row(&row)?;
        tx.commit().await?;
        Ok(out)
    }

    async fn sources(&self, case_id: i64) -> StoreResult<Vec<Source>> {
        let rows = sqlx::query(&sources_sql()).bind(case_id).fetch_all(&self.reader).await.map_err(store_err)?;
        rows.iter().map(source_from_row).collect()
    }

    async fn source(&self, id: i64) -> StoreResult<Option<Source>> {
        let row = sqlx::query(&format!("SELECT {SOURCE_COLUMNS} FROM sources s LEFT JOIN persons p ON p.id = s.person_id WHERE s.id = $1"))
            .bind(id)
            .fetch_optional(&self.reader)
            .await
            .map_err(store_err)?;
        row.as_ref().map(source_from_row).transpose()
    }

    async fn withdraw_consent(&self, id: i64, day: &str, note: &str, audit: &AuditEntry) -> StoreResult<bool> {
        let mut tx = self.write().await?;
        let row = sqlx::query(
            "UPDATE sources SET consent_withdrawn_on = $1, withdrawal_note = $2 WHERE id = $3 AND consent_withdrawn_on IS NULL RETURNING case_id",
        )
        .bind(day)
        .bind(note)
        .bind(id)
        .fetch_optional(&mut *tx)
        .await
        .map_err(store_err)?;
        let Some(row) = row else { return Ok(false) };
        let case_id: i64 = row.try_get("case_id").map_err(store_err)?;
        tx.audit(audit.clone().record("case", case_id).summary(format!("consent of source {id} withdrawn on {day}")));
        tx.changed("cases", case_id, "update");
        tx.commit().await?;
        Ok(true)
    }
}
