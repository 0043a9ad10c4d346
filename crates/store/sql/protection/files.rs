// Protection files: reference numbers, team, links, lists within a scope.

const FILE_COLUMNS: &str = "f.id, f.reference, f.office_id, f.subject, f.label, f.profile, f.province_code, \
     f.district_code, f.commune_code, f.status, f.status_reason, f.level, f.reassess_due_at, f.checkin_every, \
     f.checkin_channel, f.checkin_grace, f.checkin_escalate, f.checkin_starts_at, f.last_reached_at, \
     f.checkin_due_at, f.checkin_missed_at, f.created_at, f.updated_at";

fn optional_choice<T>(r: &DbRow, column: &'static str, parse: fn(&str) -> Option<T>) -> Result<Option<T>, StoreError> {
    let code: Option<String> = r.try_get(column).map_err(store_err)?;
    code.map(|c| parse(&c).ok_or_else(|| corrupt(column))).transpose()
}

fn file_from_row(r: &DbRow, team: Vec<i64>) -> Result<ProtectionFile, StoreError> {
    let every: Option<i64> = r.try_get("checkin_every").map_err(store_err)?;
    let checkins = match (every, optional_choice(r, "checkin_channel", CheckinChannel::parse)?) {
        (Some(every), Some(channel)) => Some(CheckinPlan {
            every,
            channel,
            grace: r.try_get::<Option<i64>, _>("checkin_grace").map_err(store_err)?.unwrap_or(0),
            escalate_after: r.try_get::<Option<i64>, _>("checkin_escalate").map_err(store_err)?.unwrap_or(0),
            starts_at: r.try_get::<Option<i64>, _>("checkin_starts_at").map_err(store_err)?.unwrap_or(0),
        }),
        _ => None,
    };
    Ok(ProtectionFile {
        id: r.try_get("id").map_err(store_err)?,
        reference: r.try_get("reference").map_err(store_err)?,
        office_id: r.try_get("office_id").map_err(store_err)?,
        subject: choice_at(r, "subject", FileSubject::parse)?,
        label: r.try_get("label").map_err(store_err)?,
        profile: choice_at(r, "profile", ProfileCategory::parse)?,
        province_code: r.try_get("province_code").map_err(store_err)?,
        district_code: r.try_get("district_code").map_err(store_err)?,
        commune_code: r.try_get("commune_code").map_err(store_err)?,
        status: choice_at(r, "status", FileStatus::parse)?,
        status_reason: r.try_get("status_reason").map_err(store_err)?,
        level: optional_choice(r, "level", RiskLevel::parse)?,
        reassess_due_at: r.try_get("reassess_due_at").map_err(store_err)?,
        checkins,
        last_reached_at: r.try_get("last_reached_at").map_err(store_err)?,
        checkin_due_at: r.try_get("checkin_due_at").map_err(store_err)?,
        checkin_missed_at: r.try_get("checkin_missed_at").map_err(store_err)?,
        team,
        created_at: r.try_get("created_at").map_err(store_err)?,
        updated_at: r.try_get("updated_at").map_err(store_err)?,
    })
}

async fn file_in(conn: &mut Conn, column: &str, value: impl ToString) -> Result<Option<ProtectionFile>, StoreError> {
    let sql = format!("SELECT {FILE_COLUMNS} FROM protection_files f WHERE f.{column} = $1");
    let q = sqlx::query(&sql);
    let q = if column == "id" {
        q.bind(value.to_string().parse::<i64>().map_err(|_| StoreError::NotFound)?)
    } else {
        q.bind(value.to_string())
    };
    let Some(row) = q.fetch_optional(&mut *conn).await.map_err(store_err)? else {
        return Ok(None);
    };
    let id: i64 = row.try_get("id").map_err(store_err)?;
    let team: Vec<i64> =
        sqlx::query_scalar("SELECT user_id FROM protection_file_team WHERE file_id = $1 ORDER BY user_id")
            .bind(id)
            .fetch_all(&mut *conn)
            .await
            .map_err(store_err)?;
    file_from_row(&row, team).map(Some)
}

/// Pushes the filter's conditions (after `WHERE <scope>`), binding `$1`/`$2` first.
fn push_file_filter<'a>(q: &mut sqlx::QueryBuilder<'a, Db>, f: &'a ProtectionFileFilter) {
    if let Some(s) = f.status {
        q.push(" AND f.status = ").push_bind(s.as_str());
    }
    if let Some(l) = f.level {
        q.push(" AND f.level = ").push_bind(l.as_str());
    }
    if let Some(p) = f.profile {
        q.push(" AND f.profile = ").push_bind(p.as_str());
    }
    if let Some(p) = &f.province_code {
        q.push(" AND f.province_code = ").push_bind(p);
    }
    if let Some(u) = f.officer {
        q.push(" AND EXISTS (SELECT 1 FROM protection_file_team o WHERE o.file_id = f.id AND o.user_id = ")
            .push_bind(u)
            .push(")");
    }
    if f.overdue {
        q.push(" AND EXISTS (SELECT 1 FROM protection_alerts oa WHERE oa.file_id = f.id AND oa.state = 'open')");
    }
}

fn scoped_query<'a>(head: &str, f: &'a ProtectionFileFilter) -> sqlx::QueryBuilder<'a, Db> {
    let (user, office) = scope_params(&f.scope);
    // `$1` and `$2` of FILE_SCOPE are the first two binds.
    let mut q = sqlx::QueryBuilder::<Db>::new(head);
    q.push(" WHERE (EXISTS (SELECT 1 FROM protection_file_team t WHERE t.file_id = f.id AND t.user_id = ")
        .push_bind(user)
        .push(") OR f.office_id = ")
        .push_bind(office)
        .push(")");
    push_file_filter(&mut q, f);
    q
}

/// A row of `protection_files`, as a new file or a generated one writes it.
struct FileRow<'a> {
    id: i64,
    reference: String,
    number: i64,
    new: &'a NewProtectionFile,
    level: Option<&'static str>,
    reassess_due_at: Option<i64>,
    plan: Option<&'a CheckinPlan>,
    last_reached_at: Option<i64>,
    next: Option<rightsdesk_domain::protection::NextCheckin>,
    at: i64,
}

impl TableRow for FileRow<'_> {
    const INSERT: &'static str = "INSERT INTO protection_files (id, reference, office_id, year, number, subject, label, \
         profile, province_code, district_code, commune_code, status, level, reassess_due_at, checkin_every, \
         checkin_channel, checkin_grace, checkin_escalate, checkin_starts_at, last_reached_at, checkin_due_at, \
         checkin_missed_at, created_by, created_at, updated_at) ";
    fn push<'a>(&'a self, q: &mut sqlx::query_builder::Separated<'_, 'a, Db, &'static str>) {
        let i = &self.new.input;
        q.push_bind(self.id)
            .push_bind(&self.reference)
            .push_bind(self.new.office_id)
            .push_bind(self.new.year as i64)
            .push_bind(self.number)
            .push_bind(i.subject.as_str())
            .push_bind(&i.label)
            .push_bind(i.profile.as_str())
            .push_bind(&i.province_code)
            .push_bind(&i.district_code)
            .push_bind(&i.commune_code)
            .push_bind("open")
            .push_bind(self.level)
            .push_bind(self.reassess_due_at)
            .push_bind(self.plan.map(|p| p.every))
            .push_bind(self.plan.map(|p| p.channel.as_str()))
            .push_bind(self.plan.map(|p| p.grace))
            .push_bind(self.plan.map(|p| p.escalate_after))
            .push_bind(self.plan.map(|p| p.starts_at))
            .push_bind(self.last_reached_at)
            .push_bind(self.next.map(|n| n.due_at))
            .push_bind(self.next.map(|n| n.missed_at))
            .push_bind(self.new.created_by)
            .push_bind(self.at)
            .push_bind(self.at);
    }
}

/// Writes whole files (team, check-ins, an assessment) in the open
/// transaction, numbered per office and year; returns `(id, reference)`.
async fn insert_protection_bundles_in(tx: &mut Write, bundles: &[ProtectionBundle]) -> Result<Vec<(i64, String)>, StoreError> {
    let offices: Vec<(i64, String)> = sqlx::query_as("SELECT id, code FROM offices")
        .fetch_all(&mut **tx)
        .await
        .map_err(store_err)?;
    // Numbers: one counter update per office and year for the whole batch.
    let mut wanted: Vec<((i64, i32), i64)> = vec![];
    for b in bundles {
        let key = (b.file.office_id, b.file.year);
        match wanted.iter_mut().find(|(k, _)| *k == key) {
            Some((_, n)) => *n += 1,
            None => wanted.push((key, 1)),
        }
    }
    let mut next_number = std::collections::HashMap::new();
    for ((office, year), n) in &wanted {
        if !offices.iter().any(|(id, _)| id == office) {
            return Err(StoreError::Constraint("protection_files.office_id".into()));
        }
        let last: i64 = sqlx::query_scalar(
            "INSERT INTO protection_numbers (office_id, year, last_number) VALUES ($1, $2, $3) \
             ON CONFLICT (office_id, year) DO UPDATE SET last_number = protection_numbers.last_number + $3 \
             RETURNING last_number",
        )
        .bind(office)
        .bind(*year as i64)
        .bind(n)
        .fetch_one(&mut **tx)
        .await
        .map_err(store_err)?;
        next_number.insert((*office, *year), last - n + 1);
    }
    let ids = reserve_ids(tx, "protection_files", bundles.len()).await.map_err(store_err)?;
    let at = now_micros();
    let mut rows = Vec::with_capacity(bundles.len());
    let mut team = vec![];
    let mut checkins = vec![];
    let mut assessments = vec![];
    for (b, id) in bundles.iter().zip(&ids) {
        let key = (b.file.office_id, b.file.year);
        let number = next_number[&key];
        next_number.insert(key, number + 1);
        let code = offices.iter().find(|(o, _)| *o == b.file.office_id).map(|(_, c)| c.as_str()).unwrap_or("");
        let last_reached_at = b.checkins.iter().filter(|c| c.outcome.reached()).map(|c| c.at).max();
        let next = b.plan.as_ref().map(|p| p.schedule().next(last_reached_at, 0));
        let assessed = b.assessment.as_ref();
        rows.push(FileRow {
            id: *id,
            reference: rightsdesk_domain::protection::file_reference(code, b.file.year, number),
            number,
            new: &b.file,
            level: assessed.map(|a| a.input.level().as_str()),
            reassess_due_at: assessed.map(|a| a.next_due_at),
            plan: b.plan.as_ref(),
            last_reached_at,
            next,
            at,
        });
        let mut members = b.file.team.clone();
        members.push(b.file.created_by);
        members.sort_unstable();
        members.dedup();
        team.extend(members.into_iter().map(|u| (*id, u)));
        checkins.extend(b.checkins.iter().map(|c| (*id, c, b.file.created_by)));
        if let Some(a) = assessed {
            assessments.push((*id, a));
        }
    }
    insert_table_rows(tx, &rows).await?;
    insert_rows(tx, "INSERT INTO protection_file_team (file_id, user_id) ", 2, &team, |mut q, (f, u)| {
        q.push_bind(*f).push_bind(*u);
    })
    .await?;
    insert_rows(
        tx,
        "INSERT INTO protection_checkins (file_id, checked_at, channel, outcome, note, recorded_by, recorded_at) ",
        7,
        &checkins,
        |mut q, (f, c, by)| {
            q.push_bind(*f)
                .push_bind(c.at)
                .push_bind(c.channel.as_str())
                .push_bind(c.outcome.as_str())
                .push_bind(&c.note)
                .push_bind(*by)
                .push_bind(at);
        },
    )
    .await?;
    insert_rows(
        tx,
        "INSERT INTO protection_assessments (file_id, likelihood, impact, vulnerabilities, capacities, computed, level, \
         override_reason, assessed_by, assessed_at, next_due_at) ",
        11,
        &assessments,
        |mut q, (f, a)| {
            let i = &a.input;
            q.push_bind(*f)
                .push_bind(i.likelihood.get() as i64)
                .push_bind(i.impact.get() as i64)
                .push_bind(i.vulnerabilities.join("\n"))
                .push_bind(i.capacities.join("\n"))
                .push_bind(i.computed.as_str())
                .push_bind(i.level().as_str())
                .push_bind(i.overridden.as_ref().map(|(_, r)| r.clone()).unwrap_or_default())
                .push_bind(a.by)
                .push_bind(a.at)
                .push_bind(a.next_due_at);
        },
    )
    .await?;
    Ok(rows.into_iter().map(|r| (r.id, r.reference)).collect())
}

#[async_trait::async_trait]
impl ProtectionFileStore for SqlStore {
    async fn insert_protection_bundles(&self, bundles: &[ProtectionBundle], audit: &AuditEntry) -> StoreResult<usize> {
        let mut tx = self.write().await?;
        let written = insert_protection_bundles_in(&mut tx, bundles).await?;
        for (id, _) in &written {
            tx.changed("protection_files", id, "insert");
        }
        tx.audit(audit.clone().record("protection_files", "bulk").summary(format!("{} files written", written.len())));
        tx.commit().await?;
        Ok(written.len())
    }

    async fn create_protection_file(&self, new: &NewProtectionFile, audit: &AuditEntry) -> StoreResult<ProtectionFile> {
        let mut tx = self.write().await?;
        let bundle = ProtectionBundle { file: new.clone(), plan: None, checkins: vec![], assessment: None };
        let (id, reference) = insert_protection_bundles_in(&mut tx, std::slice::from_ref(&bundle)).await?.remove(0);
        tx.audit(audit.clone().record("protection_file", id).summary(format!("{reference} opened")));
        tx.changed("protection_files", id, "insert");
        let file = file_in(&mut tx, "id", id).await?.ok_or(StoreError::NotFound)?;
        tx.commit().await?;
        Ok(file)
    }

    async fn protection_file(&self, id: i64) -> StoreResult<Option<ProtectionFile>> {
        let mut conn = self.reader.acquire().await.map_err(store_err)?;
        file_in(&mut conn, "id", id).await
    }

    async fn protection_file_by_reference(&self, reference: &str) -> StoreResult<Option<ProtectionFile>> {
        let mut conn = self.reader.acquire().await.map_err(store_err)?;
        file_in(&mut conn, "reference", reference).await
    }

    async fn update_protection_file(
        &self,
        id: i64,
        i: &ProtectionFileInput,
        audit: &AuditEntry,
    ) -> StoreResult<ProtectionFile> {
        let mut tx = self.write().await?;
        let done = sqlx::query(
            "UPDATE protection_files SET subject = $1, label = $2, profile = $3, province_code = $4, district_code = $5, \
             commune_code = $6, updated_at = $7 WHERE id = $8",
        )
        .bind(i.subject.as_str())
        .bind(&i.label)
        .bind(i.profile.as_str())
        .bind(&i.province_code)
        .bind(&i.district_code)
        .bind(&i.commune_code)
        .bind(now_micros())
        .bind(id)
        .execute(&mut *tx)
        .await
        .map_err(store_err)?;
        one_row(done.rows_affected())?;
        tx.audit(audit.clone().record("protection_file", id).summary("details changed"));
        tx.changed("protection_files", id, "update");
        let file = file_in(&mut tx, "id", id).await?.ok_or(StoreError::NotFound)?;
        tx.commit().await?;
        Ok(file)
    }

    async fn transition_protection_file(
        &self,
        id: i64,
        status: FileStatus,
        reason: &str,
        audit: &AuditEntry,
    ) -> StoreResult<()> {
        let mut tx = self.write().await?;
        let before: String = sqlx::query_scalar("SELECT status FROM protection_files WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await
            .map_err(store_err)?
            .ok_or(StoreError::NotFound)?;
        sqlx::query("UPDATE protection_files SET status = $1, status_reason = $2, updated_at = $3 WHERE id = $4")
            .bind(status.as_str())
            .bind(reason)
            .bind(now_micros())
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(store_err)?;
        if !status.is_active() {
            // A closed file needs no more attention: its alerts end with it.
            sqlx::query(
                "UPDATE protection_alerts SET state = 'resolved', resolved_at = $1 WHERE file_id = $2 AND state <> 'resolved'",
            )
            .bind(time::OffsetDateTime::now_utc().unix_timestamp())
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(store_err)?;
        }
        // The reason may name people; the audit log says only that there was one.
        let summary = format!("{before} → {status}{}", if reason.is_empty() { "" } else { " (with a reason)" });
        tx.audit(audit.clone().record("protection_file", id).summary(summary));
        tx.changed("protection_files", id, "update");
        tx.commit().await.map(drop)
    }

    async fn set_protection_team(&self, id: i64, user_ids: &[i64], audit: &AuditEntry) -> StoreResult<()> {
        if user_ids.is_empty() {
            return Err(StoreError::Constraint("protection_file_team: a file needs a team".into()));
        }
        let mut tx = self.write().await?;
        let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM protection_files WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await
            .map_err(store_err)?;
        exists.ok_or(StoreError::NotFound)?;
        sqlx::query("DELETE FROM protection_file_team WHERE file_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(store_err)?;
        let mut ids = user_ids.to_vec();
        ids.sort_unstable();
        ids.dedup();
        for u in &ids {
            sqlx::query("INSERT INTO protection_file_team (file_id, user_id) VALUES ($1, $2)")
                .bind(id)
                .bind(u)
                .execute(&mut *tx)
                .await
                .map_err(store_err)?;
        }
        let list = ids.iter().map(|u| u.to_string()).collect::<Vec<_>>().join(", ");
        tx.audit(audit.clone().record("protection_file", id).summary(format!("team: {list}")));
        tx.changed("protection_files", id, "update");
        tx.commit().await.map(drop)
    }

    async fn link_protection_person(&self, id: i64, person_id: i64, audit: &AuditEntry) -> StoreResult<()> {
        let mut tx = self.write().await?;
        let done = sqlx::query(
            "INSERT INTO protection_file_persons (file_id, person_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
        )
        .bind(id)
        .bind(person_id)
        .execute(&mut *tx)
        .await
        .map_err(store_err)?;
        if done.rows_affected() == 1 {
            tx.audit(audit.clone().record("protection_file", id).summary(format!("person {person_id} linked")));
        }
        tx.commit().await.map(drop)
    }

    async fn link_protection_case(&self, id: i64, case_id: i64, audit: &AuditEntry) -> StoreResult<()> {
        let mut tx = self.write().await?;
        let done =
            sqlx::query("INSERT INTO protection_file_cases (file_id, case_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
                .bind(id)
                .bind(case_id)
                .execute(&mut *tx)
                .await
                .map_err(store_err)?;
        if done.rows_affected() == 1 {
            tx.audit(audit.clone().record("protection_file", id).summary(format!("case {case_id} linked")));
        }
        tx.commit().await.map(drop)
    }

    async fn list_protection_files(&self, f: &ProtectionFileFilter) -> StoreResult<Vec<ProtectionFileSummary>> {
        let mut q = scoped_query(
            "SELECT f.id, f.reference, f.office_id, f.label, f.profile, f.province_code, f.status, f.level, \
             f.checkin_due_at, f.reassess_due_at, f.updated_at, \
             (SELECT COUNT(*) FROM protection_alerts a WHERE a.file_id = f.id AND a.state = 'open') AS open_alerts \
             FROM protection_files f",
            f,
        );
        q.push(
            " ORDER BY open_alerts DESC, CASE f.level WHEN 'critical' THEN 4 WHEN 'high' THEN 3 WHEN 'medium' THEN 2 \
             WHEN 'low' THEN 1 ELSE 0 END DESC, f.updated_at DESC, f.id DESC LIMIT ",
        )
        .push_bind(f.limit.clamp(1, 500))
        .push(" OFFSET ")
        .push_bind(f.offset.max(0));
        let mut conn = self.reader.acquire().await.map_err(store_err)?;
        let rows = q.build().fetch_all(&mut *conn).await.map_err(store_err)?;
        rows.iter()
            .map(|r| {
                Ok(ProtectionFileSummary {
                    id: r.try_get("id").map_err(store_err)?,
                    reference: r.try_get("reference").map_err(store_err)?,
                    office_id: r.try_get("office_id").map_err(store_err)?,
                    label: r.try_get("label").map_err(store_err)?,
                    profile: choice_at(r, "profile", ProfileCategory::parse)?,
                    province_code: r.try_get("province_code").map_err(store_err)?,
                    status: choice_at(r, "status", FileStatus::parse)?,
                    level: optional_choice(r, "level", RiskLevel::parse)?,
                    checkin_due_at: r.try_get("checkin_due_at").map_err(store_err)?,
                    reassess_due_at: r.try_get("reassess_due_at").map_err(store_err)?,
                    open_alerts: r.try_get("open_alerts").map_err(store_err)?,
                    updated_at: r.try_get("updated_at").map_err(store_err)?,
                })
            })
            .collect()
    }

    async fn count_protection_files(&self, f: &ProtectionFileFilter) -> StoreResult<i64> {
        let mut q = scoped_query("SELECT COUNT(*) FROM protection_files f", f);
        let mut conn = self.reader.acquire().await.map_err(store_err)?;
        q.build_query_scalar().fetch_one(&mut *conn).await.map_err(store_err)
    }

    async fn protection_records(&self, id: i64) -> StoreResult<ProtectionRecords> {
        let statements = [
            format!(
                "SELECT {PERSON_COLUMNS} FROM persons WHERE id IN \
                 (SELECT person_id FROM protection_file_persons WHERE file_id = $1) ORDER BY id"
            ),
            "SELECT c.id, c.reference, c.title FROM cases c JOIN protection_file_cases pc ON pc.case_id = c.id \
             WHERE pc.file_id = $1 ORDER BY c.id"
                .to_string(),
            format!("SELECT {THREAT_COLUMNS} FROM {THREAT_FROM} WHERE th.file_id = $1 ORDER BY th.occurred_on DESC, th.id DESC"),
            format!("SELECT {RISK_ASSESSMENT_COLUMNS} FROM protection_assessments WHERE file_id = $1 ORDER BY assessed_at DESC, id DESC"),
            format!("SELECT {MEASURE_COLUMNS} FROM protection_measures WHERE file_id = $1 ORDER BY id"),
            format!("SELECT {CHECKIN_COLUMNS} FROM protection_checkins WHERE file_id = $1 ORDER BY checked_at DESC, id DESC LIMIT 100"),
            format!("SELECT {ALERT_COLUMNS} FROM protection_alerts a JOIN protection_files f ON f.id = a.file_id WHERE a.file_id = $1 ORDER BY a.raised_at DESC, a.id DESC LIMIT 100"),
        ];
        let mut conn = self.reader.acquire().await.map_err(store_err)?;
        let s = read_sections(&mut conn, &statements, id).await?;
        let cases = s[1]
            .iter()
            .map(|r| {
                Ok((
                    r.try_get("id").map_err(store_err)?,
                    r.try_get("reference").map_err(store_err)?,
                    r.try_get("title").map_err(store_err)?,
                ))
            })
            .collect::<Result<_, StoreError>>()?;
        Ok(ProtectionRecords {
            persons: s[0].iter().map(person_from_row).collect::<Result<_, _>>()?,
            cases,
            threats: s[2].iter().map(threat_from_row).collect::<Result<_, _>>()?,
            assessments: s[3].iter().map(risk_assessment_from_row).collect::<Result<_, _>>()?,
            measures: s[4].iter().map(measure_from_row).collect::<Result<_, _>>()?,
            checkins: s[5].iter().map(checkin_from_row).collect::<Result<_, _>>()?,
            alerts: s[6].iter().map(alert_from_row).collect::<Result<_, _>>()?,
        })
    }

    async fn protection_files_of_case(&self, case_id: i64) -> StoreResult<Vec<i64>> {
        let mut conn = self.reader.acquire().await.map_err(store_err)?;
        sqlx::query_scalar("SELECT file_id FROM protection_file_cases WHERE case_id = $1 ORDER BY file_id")
            .bind(case_id)
            .fetch_all(&mut *conn)
            .await
            .map_err(store_err)
    }
}
