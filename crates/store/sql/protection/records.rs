// What a protection file holds: threats, assessments, measures, check-ins.

const THREAT_COLUMNS: &str = "th.id, th.file_id, th.occurred_on, th.date_precision, th.kind, th.actor_organisation_id, \
     o.name_en AS actor_en, o.name_km AS actor_km, th.actor_person_id, ap.code AS actor_person_code, \
     apc.reference AS actor_person_case, th.actor_description, th.description, th.act_id, th.created_at";
/// Threats with the names of their suspected organisation and the code and
/// case of their suspected person.
const THREAT_FROM: &str = "protection_threats th LEFT JOIN organisations o ON o.id = th.actor_organisation_id \
     LEFT JOIN persons ap ON ap.id = th.actor_person_id LEFT JOIN cases apc ON apc.id = ap.case_id";
const RISK_ASSESSMENT_COLUMNS: &str = "id, file_id, likelihood, impact, vulnerabilities, capacities, computed, level, \
     override_reason, assessed_by, assessed_at, next_due_at";
const MEASURE_COLUMNS: &str = "id, file_id, kind, responsible_user_id, responsible_organisation_id, status, starts_on, \
     ends_on, review_on, description, outcome, intervention_id, updated_at";
const CHECKIN_COLUMNS: &str = "id, file_id, checked_at, channel, outcome, note, recorded_by";

fn threat_from_row(r: &DbRow) -> Result<Threat, StoreError> {
    Ok(Threat {
        id: r.try_get("id").map_err(store_err)?,
        file_id: r.try_get("file_id").map_err(store_err)?,
        date: r.try_get("occurred_on").map_err(store_err)?,
        precision: choice_at(r, "date_precision", DatePrecision::parse)?,
        kind: choice_at(r, "kind", ThreatKind::parse)?,
        actor_organisation_id: r.try_get("actor_organisation_id").map_err(store_err)?,
        actor_organisation_en: r.try_get("actor_en").map_err(store_err)?,
        actor_organisation_km: r.try_get("actor_km").map_err(store_err)?,
        actor_person_id: r.try_get("actor_person_id").map_err(store_err)?,
        actor_person: match (
            r.try_get::<Option<String>, _>("actor_person_case").map_err(store_err)?,
            r.try_get::<Option<String>, _>("actor_person_code").map_err(store_err)?,
        ) {
            (Some(case), Some(code)) => Some(format!("{case} {code}")),
            _ => None,
        },
        actor_description: r.try_get("actor_description").map_err(store_err)?,
        description: r.try_get("description").map_err(store_err)?,
        act_id: r.try_get("act_id").map_err(store_err)?,
        created_at: r.try_get("created_at").map_err(store_err)?,
    })
}

fn lines_of(text: String) -> Vec<String> {
    text.lines().filter(|l| !l.is_empty()).map(str::to_string).collect()
}

fn rating_at(r: &DbRow, column: &'static str) -> Result<u8, StoreError> {
    let n: i64 = r.try_get(column).map_err(store_err)?;
    u8::try_from(n).ok().filter(|n| (1..=5).contains(n)).ok_or_else(|| corrupt(column))
}

fn risk_assessment_from_row(r: &DbRow) -> Result<RiskAssessment, StoreError> {
    Ok(RiskAssessment {
        id: r.try_get("id").map_err(store_err)?,
        file_id: r.try_get("file_id").map_err(store_err)?,
        likelihood: rating_at(r, "likelihood")?,
        impact: rating_at(r, "impact")?,
        vulnerabilities: lines_of(r.try_get("vulnerabilities").map_err(store_err)?),
        capacities: lines_of(r.try_get("capacities").map_err(store_err)?),
        computed: choice_at(r, "computed", RiskLevel::parse)?,
        level: choice_at(r, "level", RiskLevel::parse)?,
        override_reason: r.try_get("override_reason").map_err(store_err)?,
        assessed_by: r.try_get("assessed_by").map_err(store_err)?,
        assessed_at: r.try_get("assessed_at").map_err(store_err)?,
        next_due_at: r.try_get("next_due_at").map_err(store_err)?,
    })
}

fn measure_from_row(r: &DbRow) -> Result<Measure, StoreError> {
    Ok(Measure {
        id: r.try_get("id").map_err(store_err)?,
        file_id: r.try_get("file_id").map_err(store_err)?,
        kind: choice_at(r, "kind", MeasureKind::parse)?,
        responsible_user_id: r.try_get("responsible_user_id").map_err(store_err)?,
        responsible_organisation_id: r.try_get("responsible_organisation_id").map_err(store_err)?,
        status: choice_at(r, "status", MeasureStatus::parse)?,
        starts_on: r.try_get("starts_on").map_err(store_err)?,
        ends_on: r.try_get("ends_on").map_err(store_err)?,
        review_on: r.try_get("review_on").map_err(store_err)?,
        description: r.try_get("description").map_err(store_err)?,
        outcome: r.try_get("outcome").map_err(store_err)?,
        intervention_id: r.try_get("intervention_id").map_err(store_err)?,
        updated_at: r.try_get("updated_at").map_err(store_err)?,
    })
}

fn checkin_from_row(r: &DbRow) -> Result<Checkin, StoreError> {
    Ok(Checkin {
        id: r.try_get("id").map_err(store_err)?,
        file_id: r.try_get("file_id").map_err(store_err)?,
        at: r.try_get("checked_at").map_err(store_err)?,
        channel: choice_at(r, "channel", CheckinChannel::parse)?,
        outcome: choice_at(r, "outcome", CheckinOutcome::parse)?,
        note: r.try_get("note").map_err(store_err)?,
        recorded_by: r.try_get("recorded_by").map_err(store_err)?,
    })
}

fn unix_now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

/// Marks a file changed (its page and list order follow `updated_at`).
async fn touch_file(tx: &mut Write, file_id: i64) -> Result<(), StoreError> {
    let done = sqlx::query("UPDATE protection_files SET updated_at = $1 WHERE id = $2")
        .bind(now_micros())
        .bind(file_id)
        .execute(&mut **tx)
        .await
        .map_err(store_err)?;
    one_row(done.rows_affected())
}

/// Resolves the file's open alerts of `kinds` (and, with a subject, of that measure only).
async fn resolve_alerts(
    tx: &mut Write,
    file_id: i64,
    kinds: &[AlertKind],
    subject_id: i64,
    due_before: i64,
) -> Result<u64, StoreError> {
    let mut total = 0;
    for kind in kinds {
        let done = sqlx::query(
            "UPDATE protection_alerts SET state = 'resolved', resolved_at = $1 \
             WHERE file_id = $2 AND kind = $3 AND subject_id = $4 AND due_at < $5 AND state <> 'resolved'",
        )
        .bind(unix_now())
        .bind(file_id)
        .bind(kind.as_str())
        .bind(subject_id)
        .bind(due_before)
        .execute(&mut **tx)
        .await
        .map_err(store_err)?;
        total += done.rows_affected();
    }
    Ok(total)
}

/// Sets the file's next check-in from its plan and last reaching check-in.
async fn schedule_next_checkin(tx: &mut Write, file_id: i64) -> Result<Option<i64>, StoreError> {
    let file = file_in(tx, "id", file_id).await?.ok_or(StoreError::NotFound)?;
    let next = file.checkins.map(|p| p.schedule().next(file.last_reached_at, 0));
    sqlx::query("UPDATE protection_files SET checkin_due_at = $1, checkin_missed_at = $2 WHERE id = $3")
        .bind(next.map(|n| n.due_at))
        .bind(next.map(|n| n.missed_at))
        .bind(file_id)
        .execute(&mut **tx)
        .await
        .map_err(store_err)?;
    Ok(next.map(|n| n.due_at))
}

async fn measure_in(conn: &mut Conn, file_id: i64, id: i64) -> Result<Measure, StoreError> {
    let sql = format!("SELECT {MEASURE_COLUMNS} FROM protection_measures WHERE id = $1 AND file_id = $2");
    let row = sqlx::query(&sql).bind(id).bind(file_id).fetch_optional(&mut *conn).await.map_err(store_err)?;
    measure_from_row(&row.ok_or(StoreError::NotFound)?)
}

#[async_trait::async_trait]
impl ProtectionRecordStore for SqlStore {
    async fn add_threat(&self, file_id: i64, new: &NewThreat<'_>, audit: &AuditEntry) -> StoreResult<Threat> {
        let i = new.input;
        let mut tx = self.write().await?;
        touch_file(&mut tx, file_id).await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO protection_threats (file_id, occurred_on, date_precision, kind, actor_organisation_id, \
             actor_person_id, actor_description, description, act_id, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
        )
        .bind(file_id)
        .bind(&i.date.value)
        .bind(i.date.precision.as_str())
        .bind(i.kind.as_str())
        .bind(i.actor_organisation_id)
        .bind(i.actor_person_id)
        .bind(&i.actor_description)
        .bind(&i.description)
        .bind(i.act_id)
        .bind(new.by)
        .bind(now_micros())
        .fetch_one(&mut *tx)
        .await
        .map_err(store_err)?;
        tx.audit(audit.clone().record("protection_file", file_id).summary(format!("threat {id}: {}", i.kind)));
        tx.changed("protection_files", file_id, "update");
        let sql = format!("SELECT {THREAT_COLUMNS} FROM {THREAT_FROM} WHERE th.id = $1");
        let row = sqlx::query(&sql).bind(id).fetch_one(&mut *tx).await.map_err(store_err)?;
        let threat = threat_from_row(&row)?;
        tx.commit().await?;
        Ok(threat)
    }

    async fn add_risk_assessment(
        &self,
        file_id: i64,
        new: &NewAssessment<'_>,
        audit: &AuditEntry,
    ) -> StoreResult<RiskAssessment> {
        let i = new.input;
        let level = i.level();
        let reason = i.overridden.as_ref().map(|(_, r)| r.as_str()).unwrap_or("");
        let mut tx = self.write().await?;
        let done = sqlx::query(
            "UPDATE protection_files SET level = $1, reassess_due_at = $2, updated_at = $3 WHERE id = $4",
        )
        .bind(level.as_str())
        .bind(new.next_due_at)
        .bind(now_micros())
        .bind(file_id)
        .execute(&mut *tx)
        .await
        .map_err(store_err)?;
        one_row(done.rows_affected())?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO protection_assessments (file_id, likelihood, impact, vulnerabilities, capacities, computed, level, \
             override_reason, assessed_by, assessed_at, next_due_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
        )
        .bind(file_id)
        .bind(i.likelihood.get() as i64)
        .bind(i.impact.get() as i64)
        .bind(i.vulnerabilities.join("\n"))
        .bind(i.capacities.join("\n"))
        .bind(i.computed.as_str())
        .bind(level.as_str())
        .bind(reason)
        .bind(new.by)
        .bind(new.at)
        .bind(new.next_due_at)
        .fetch_one(&mut *tx)
        .await
        .map_err(store_err)?;
        resolve_alerts(&mut tx, file_id, &[AlertKind::ReassessmentOverdue], 0, i64::MAX).await?;
        let summary = match &i.overridden {
            Some(_) => format!("assessment {id}: {level} (computed {}, overridden with a reason)", i.computed),
            None => format!("assessment {id}: {level}"),
        };
        tx.audit(audit.clone().record("protection_file", file_id).summary(summary));
        tx.changed("protection_files", file_id, "update");
        let sql = format!("SELECT {RISK_ASSESSMENT_COLUMNS} FROM protection_assessments WHERE id = $1");
        let row = sqlx::query(&sql).bind(id).fetch_one(&mut *tx).await.map_err(store_err)?;
        let a = risk_assessment_from_row(&row)?;
        tx.commit().await?;
        Ok(a)
    }

    async fn add_measure(&self, file_id: i64, new: &NewMeasure<'_>, audit: &AuditEntry) -> StoreResult<Measure> {
        let i = new.input;
        let mut tx = self.write().await?;
        touch_file(&mut tx, file_id).await?;
        let now = now_micros();
        let intervention_id = match (&new.intervention, i.intervention) {
            (Some(iv), Some((case_id, _))) => {
                let iid = insert_intervention_in(&mut tx, case_id, iv, new.by, now).await?;
                tx.audit(
                    audit
                        .clone()
                        .record("case", case_id)
                        .summary(format!("intervention {iid} from protection file {file_id}")),
                );
                tx.changed("interventions", iid, "insert");
                Some(iid)
            }
            _ => None,
        };
        let open_review = if i.status.is_open() { new.review_due_at } else { None };
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO protection_measures (file_id, kind, responsible_user_id, responsible_organisation_id, status, \
             starts_on, ends_on, review_on, review_due_at, description, outcome, intervention_id, created_by, created_at, \
             updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14) RETURNING id",
        )
        .bind(file_id)
        .bind(i.kind.as_str())
        .bind(i.responsible_user_id)
        .bind(i.responsible_organisation_id)
        .bind(i.status.as_str())
        .bind(&i.starts_on)
        .bind(&i.ends_on)
        .bind(&i.review_on)
        .bind(open_review)
        .bind(&i.description)
        .bind(&i.outcome)
        .bind(intervention_id)
        .bind(new.by)
        .bind(now)
        .fetch_one(&mut *tx)
        .await
        .map_err(store_err)?;
        tx.audit(audit.clone().record("protection_file", file_id).summary(format!("measure {id}: {}", i.kind)));
        tx.changed("protection_files", file_id, "update");
        let m = measure_in(&mut tx, file_id, id).await?;
        tx.commit().await?;
        Ok(m)
    }

    async fn update_measure(
        &self,
        file_id: i64,
        measure_id: i64,
        new: &NewMeasure<'_>,
        audit: &AuditEntry,
    ) -> StoreResult<Measure> {
        let i = new.input;
        let mut tx = self.write().await?;
        let before = measure_in(&mut tx, file_id, measure_id).await?;
        touch_file(&mut tx, file_id).await?;
        let open_review = if i.status.is_open() { new.review_due_at } else { None };
        sqlx::query(
            "UPDATE protection_measures SET responsible_user_id = $1, responsible_organisation_id = $2, status = $3, \
             starts_on = $4, ends_on = $5, review_on = $6, review_due_at = $7, description = $8, outcome = $9, \
             updated_at = $10 WHERE id = $11 AND file_id = $12",
        )
        .bind(i.responsible_user_id)
        .bind(i.responsible_organisation_id)
        .bind(i.status.as_str())
        .bind(&i.starts_on)
        .bind(&i.ends_on)
        .bind(&i.review_on)
        .bind(open_review)
        .bind(&i.description)
        .bind(&i.outcome)
        .bind(now_micros())
        .bind(measure_id)
        .bind(file_id)
        .execute(&mut *tx)
        .await
        .map_err(store_err)?;
        // The review that was overdue is done once the date moves or the measure closes.
        let until = open_review.unwrap_or(i64::MAX);
        resolve_alerts(&mut tx, file_id, &[AlertKind::MeasureReviewOverdue], measure_id, until).await?;
        let summary = format!("measure {measure_id}: {} → {}", before.status, i.status);
        tx.audit(audit.clone().record("protection_file", file_id).summary(summary));
        tx.changed("protection_files", file_id, "update");
        let m = measure_in(&mut tx, file_id, measure_id).await?;
        tx.commit().await?;
        Ok(m)
    }

    async fn set_checkin_plan(&self, file_id: i64, plan: Option<&CheckinPlan>, audit: &AuditEntry) -> StoreResult<()> {
        let mut tx = self.write().await?;
        let done = sqlx::query(
            "UPDATE protection_files SET checkin_every = $1, checkin_channel = $2, checkin_grace = $3, \
             checkin_escalate = $4, checkin_starts_at = $5, updated_at = $6 WHERE id = $7",
        )
        .bind(plan.map(|p| p.every))
        .bind(plan.map(|p| p.channel.as_str()))
        .bind(plan.map(|p| p.grace))
        .bind(plan.map(|p| p.escalate_after))
        .bind(plan.map(|p| p.starts_at))
        .bind(now_micros())
        .bind(file_id)
        .execute(&mut *tx)
        .await
        .map_err(store_err)?;
        one_row(done.rows_affected())?;
        let next = schedule_next_checkin(&mut tx, file_id).await?;
        // A new schedule starts afresh: what the old one missed is settled
        // by the decision to change it (it stays in the history as resolved).
        let kinds = [AlertKind::MissedCheckin, AlertKind::EscalatedCheckin];
        resolve_alerts(&mut tx, file_id, &kinds, 0, next.unwrap_or(i64::MAX)).await?;
        let summary = match plan {
            Some(p) => format!("check-ins every {} h by {}", p.every / 3_600, p.channel),
            None => "check-ins stopped".to_string(),
        };
        tx.audit(audit.clone().record("protection_file", file_id).summary(summary));
        tx.commit().await.map(drop)
    }

    async fn record_checkin(
        &self,
        file_id: i64,
        i: &CheckinInput,
        by: i64,
        audit: &AuditEntry,
    ) -> StoreResult<Checkin> {
        let mut tx = self.write().await?;
        touch_file(&mut tx, file_id).await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO protection_checkins (file_id, checked_at, channel, outcome, note, recorded_by, recorded_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(file_id)
        .bind(i.at)
        .bind(i.channel.as_str())
        .bind(i.outcome.as_str())
        .bind(&i.note)
        .bind(by)
        .bind(now_micros())
        .fetch_one(&mut *tx)
        .await
        .map_err(store_err)?;
        if i.outcome.reached() {
            sqlx::query(
                "UPDATE protection_files SET last_reached_at = $1 WHERE id = $2 \
                 AND (last_reached_at IS NULL OR last_reached_at < $1)",
            )
            .bind(i.at)
            .bind(file_id)
            .execute(&mut *tx)
            .await
            .map_err(store_err)?;
            if let Some(next) = schedule_next_checkin(&mut tx, file_id).await? {
                let kinds = [AlertKind::MissedCheckin, AlertKind::EscalatedCheckin];
                resolve_alerts(&mut tx, file_id, &kinds, 0, next).await?;
            }
        }
        tx.audit(audit.clone().record("protection_file", file_id).summary(format!("check-in {id}: {}", i.outcome)));
        let sql = format!("SELECT {CHECKIN_COLUMNS} FROM protection_checkins WHERE id = $1");
        let row = sqlx::query(&sql).bind(id).fetch_one(&mut *tx).await.map_err(store_err)?;
        let c = checkin_from_row(&row)?;
        tx.commit().await?;
        Ok(c)
    }
}
