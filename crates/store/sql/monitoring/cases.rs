// Cases: the reference number, the visibility rule in SQL, the list and
// its filters, status changes, the team, and the reads of one case with all
// its records in one round trip (`case_records`).

const CASE_COLUMNS: &str = "c.id, c.reference, c.office_id, o.code AS office_code, c.title, c.summary, c.status, \
     c.sensitivity, c.urgency, c.province_code, c.district_code, c.commune_code, c.location_text, c.start_date, \
     c.start_precision, c.end_date, c.end_precision, c.themes, c.created_by, c.created_at, c.updated_at";

/// The visibility rule of `domain::policy::CaseScope`, in SQL: parameters
/// `$1` (user id) and `$2` (office id of a head of office, or NULL).
///
/// The team test is a scalar subquery, not `EXISTS`: PostgreSQL turns an
/// `EXISTS` under `OR` into a hash of every case the user is assigned to,
/// built on each list (20 ms for an officer with 100,000 cases), where
/// this one probes the primary key only for the restricted cases it meets.
///
/// The office test comes before the team test: both backends try the terms
/// of an OR in order, and the office test needs no subquery.
const CASE_VISIBLE: &str = "(c.sensitivity = 'normal' \
     OR ($2 IS NOT NULL AND c.office_id = $2) \
     OR (SELECT 1 FROM case_assignments va WHERE va.case_id = c.id AND va.user_id = $1 LIMIT 1) IS NOT NULL)";

/// Cases whose people's names the user may see (the policy's `ViewIdentifying`):
/// the case's team and the head of its office. A duplicate warning must not
/// tell anyone else that a name appears in a case.
const CASE_NAMES_VISIBLE: &str = "(EXISTS (SELECT 1 FROM case_assignments na WHERE na.case_id = c.id AND na.user_id = $1) \
     OR ($2 IS NOT NULL AND c.office_id = $2))";

/// A value bound to a numbered parameter of a built statement.
enum Arg {
    Int(i64),
    Text(String),
}

/// The case list's WHERE clause for one filter: the visibility rule
/// (`$1`, `$2`), then only the filters that are set, numbered from `$3`.
/// Built per request rather than written `$n IS NULL OR ...`, so that the
/// planner sees the real conditions: an act-type filter becomes a semi-join
/// on the `acts_type` index instead of a test on every case.
fn case_where(f: &CaseFilter) -> (String, Vec<Arg>) {
    let mut clauses = vec![CASE_VISIBLE.to_string()];
    let mut args = vec![];
    // Adds an argument; its placeholder (`$3`, `$4`, ...).
    let mut p = |a: Arg| {
        args.push(a);
        format!("${}", args.len() + 2)
    };
    if let Some(o) = f.office_id {
        clauses.push(format!("c.office_id = {}", p(Arg::Int(o))));
    }
    if let Some(st) = f.status {
        clauses.push(format!("c.status = {}", p(Arg::Text(st.as_str().into()))));
    }
    if let Some(code) = &f.province_code {
        clauses.push(format!("c.province_code = {}", p(Arg::Text(code.clone()))));
    }
    if let Some(se) = f.sensitivity {
        clauses.push(format!("c.sensitivity = {}", p(Arg::Text(se.as_str().into()))));
    }
    if let Some(u) = f.urgency {
        clauses.push(format!("c.urgency = {}", p(Arg::Text(u.as_str().into()))));
    }
    if let Some(u) = f.assigned_to {
        clauses.push(format!(
            "EXISTS (SELECT 1 FROM case_assignments fa WHERE fa.case_id = c.id AND fa.user_id = {})",
            p(Arg::Int(u))
        ));
    }
    if let Some(d) = &f.from {
        clauses.push(format!("c.start_sort >= {}", p(Arg::Text(d.clone()))));
    }
    if let Some(d) = &f.to {
        clauses.push(format!("c.start_sort <= {}", p(Arg::Text(d.clone()))));
    }
    if let Some(t) = &f.act_type {
        clauses.push(format!(
            "EXISTS (SELECT 1 FROM acts ft WHERE ft.case_id = c.id AND ft.act_type = {})",
            p(Arg::Text(t.clone()))
        ));
    }
    if let Some(r) = &f.right {
        let (code, number) = (p(Arg::Text(r.instrument_code.clone())), p(Arg::Int(r.number)));
        clauses.push(format!(
            "EXISTS (SELECT 1 FROM acts fr JOIN act_rights r ON r.act_id = fr.id \
             WHERE fr.case_id = c.id AND r.instrument_code = {code} AND r.article_number = {number})"
        ));
    }
    if let Some(t) = &f.perpetrator_type {
        clauses.push(format!(
            "EXISTS (SELECT 1 FROM persons fp WHERE fp.case_id = c.id AND fp.role = 'perpetrator' \
             AND fp.perpetrator_type = {})",
            p(Arg::Text(t.clone()))
        ));
    }
    (clauses.join(" AND "), args)
}

/// Binds the scope (`$1`, `$2`) and then the filter's arguments in order.
fn bind_case_where<'q>(
    mut q: sqlx::query::Query<'q, Db, <Db as Database>::Arguments<'q>>,
    f: &CaseFilter,
    args: Vec<Arg>,
) -> sqlx::query::Query<'q, Db, <Db as Database>::Arguments<'q>> {
    q = q.bind(f.scope.user_id).bind(f.scope.head_of_office);
    for a in args {
        q = match a {
            Arg::Int(i) => q.bind(i),
            Arg::Text(t) => q.bind(t),
        };
    }
    q
}

fn case_from_row(r: &DbRow, assigned: Vec<i64>) -> Result<Case, StoreError> {
    let status: String = r.try_get("status").map_err(store_err)?;
    let sensitivity: String = r.try_get("sensitivity").map_err(store_err)?;
    let urgency: String = r.try_get("urgency").map_err(store_err)?;
    let themes: String = r.try_get("themes").map_err(store_err)?;
    Ok(Case {
        id: r.try_get("id").map_err(store_err)?,
        reference: r.try_get("reference").map_err(store_err)?,
        office_id: r.try_get("office_id").map_err(store_err)?,
        office_code: r.try_get("office_code").map_err(store_err)?,
        title: r.try_get("title").map_err(store_err)?,
        summary: r.try_get("summary").map_err(store_err)?,
        status: CaseStatus::parse(&status).ok_or_else(|| corrupt("cases.status"))?,
        sensitivity: Sensitivity::parse(&sensitivity).ok_or_else(|| corrupt("cases.sensitivity"))?,
        urgency: Urgency::parse(&urgency).ok_or_else(|| corrupt("cases.urgency"))?,
        province_code: r.try_get("province_code").map_err(store_err)?,
        district_code: r.try_get("district_code").map_err(store_err)?,
        commune_code: r.try_get("commune_code").map_err(store_err)?,
        location_text: r.try_get("location_text").map_err(store_err)?,
        start: fuzzy_from_columns(r.try_get("start_date").map_err(store_err)?, r.try_get("start_precision").map_err(store_err)?),
        end: fuzzy_from_columns(r.try_get("end_date").map_err(store_err)?, r.try_get("end_precision").map_err(store_err)?),
        themes: themes.split(',').filter(|t| !t.is_empty()).map(str::to_string).collect(),
        assigned,
        created_by: r.try_get("created_by").map_err(store_err)?,
        created_at: r.try_get("created_at").map_err(store_err)?,
        updated_at: r.try_get("updated_at").map_err(store_err)?,
    })
}

fn summary_from_row(r: &DbRow) -> Result<CaseSummary, StoreError> {
    let status: String = r.try_get("status").map_err(store_err)?;
    let sensitivity: String = r.try_get("sensitivity").map_err(store_err)?;
    let urgency: String = r.try_get("urgency").map_err(store_err)?;
    Ok(CaseSummary {
        id: r.try_get("id").map_err(store_err)?,
        reference: r.try_get("reference").map_err(store_err)?,
        office_code: r.try_get("office_code").map_err(store_err)?,
        title: r.try_get("title").map_err(store_err)?,
        status: CaseStatus::parse(&status).ok_or_else(|| corrupt("cases.status"))?,
        sensitivity: Sensitivity::parse(&sensitivity).ok_or_else(|| corrupt("cases.sensitivity"))?,
        urgency: Urgency::parse(&urgency).ok_or_else(|| corrupt("cases.urgency"))?,
        province_code: r.try_get("province_code").map_err(store_err)?,
        start: fuzzy_from_columns(r.try_get("start_date").map_err(store_err)?, r.try_get("start_precision").map_err(store_err)?),
        updated_at: r.try_get("updated_at").map_err(store_err)?,
    })
}

fn themes_text(input: &CaseInput) -> String {
    input.themes.iter().map(|t| t.replace(',', " ")).collect::<Vec<_>>().join(",")
}

// The reads of one case and its records, each with `$1` the case id: the
// single reads and `case_file` (all of them in one round trip) share them.
fn case_sql() -> String {
    format!("SELECT {CASE_COLUMNS} FROM cases c JOIN offices o ON o.id = c.office_id WHERE c.id = $1")
}

/// The case's team and the staff of its office (`CaseRecords::staff`).
const STAFF_SQL: &str = "SELECT id, name, office_id, role, disabled FROM users \
     WHERE office_id = (SELECT office_id FROM cases WHERE id = $1) \
        OR id IN (SELECT user_id FROM case_assignments WHERE case_id = $1) ORDER BY email";

fn staff_from_row(r: &DbRow) -> Result<StaffMember, StoreError> {
    Ok(StaffMember {
        id: r.try_get("id").map_err(store_err)?,
        name: r.try_get("name").map_err(store_err)?,
        office_id: r.try_get("office_id").map_err(store_err)?,
        role: choice_at(r, "role", |code| code.parse::<Role>().ok())?,
        disabled: r.try_get("disabled").map_err(store_err)?,
    })
}

const TEAM_SQL: &str = "SELECT user_id FROM case_assignments WHERE case_id = $1 ORDER BY user_id";

const HISTORY_SQL: &str = "SELECT h.from_status, h.to_status, h.reason, h.changed_by, COALESCE(u.name, '') AS changed_by_name, \
     h.changed_at FROM case_status_history h LEFT JOIN users u ON u.id = h.changed_by WHERE h.case_id = $1 ORDER BY h.id";

fn team_from_rows(rows: &[DbRow]) -> Result<Vec<i64>, StoreError> {
    rows.iter().map(|r| r.try_get("user_id").map_err(store_err)).collect()
}

fn history_from_row(r: &DbRow) -> Result<StatusChange, StoreError> {
    let from: Option<String> = r.try_get("from_status").map_err(store_err)?;
    let to: String = r.try_get("to_status").map_err(store_err)?;
    Ok(StatusChange {
        from_status: from.as_deref().and_then(CaseStatus::parse),
        to_status: CaseStatus::parse(&to).ok_or_else(|| corrupt("case_status_history.to_status"))?,
        reason: r.try_get("reason").map_err(store_err)?,
        changed_by: r.try_get("changed_by").map_err(store_err)?,
        changed_by_name: r.try_get("changed_by_name").map_err(store_err)?,
        changed_at: r.try_get("changed_at").map_err(store_err)?,
    })
}

async fn case_in(conn: &mut Conn, id: i64) -> Result<Option<Case>, StoreError> {
    let s = read_sections(conn, &[case_sql(), TEAM_SQL.into()], id).await?;
    match s[0].first() {
        Some(row) => case_from_row(row, team_from_rows(&s[1])?).map(Some),
        None => Ok(None),
    }
}

/// A row of `cases`.
struct CaseRow<'a> {
    id: i64,
    reference: String,
    office_id: i64,
    input: &'a CaseInput,
    status: CaseStatus,
    themes: String,
    created_by: i64,
    at: i64,
}

impl TableRow for CaseRow<'_> {
    const INSERT: &'static str = "INSERT INTO cases (id, reference, office_id, title, summary, status, sensitivity, \
         province_code, district_code, commune_code, location_text, start_date, start_precision, start_sort, end_date, \
         end_precision, themes, created_by, created_at, updated_at, urgency) ";
    fn push<'a>(&'a self, q: &mut sqlx::query_builder::Separated<'_, 'a, Db, &'static str>) {
        let i = self.input;
        q.push_bind(self.id)
            .push_bind(&self.reference)
            .push_bind(self.office_id)
            .push_bind(&i.title)
            .push_bind(&i.summary)
            .push_bind(self.status.as_str())
            .push_bind(i.sensitivity.as_str())
            .push_bind(&i.province_code)
            .push_bind(&i.district_code)
            .push_bind(&i.commune_code)
            .push_bind(&i.location_text)
            .push_bind(i.start.as_ref().map(|d| d.value.as_str()))
            .push_bind(rightsdesk_store::monitoring::precision_str_pub(&i.start))
            .push_bind(i.start.as_ref().map(|d| d.sort_key()))
            .push_bind(i.end.as_ref().map(|d| d.value.as_str()))
            .push_bind(rightsdesk_store::monitoring::precision_str_pub(&i.end))
            .push_bind(&self.themes)
            .push_bind(self.created_by)
            .push_bind(self.at)
            .push_bind(self.at)
            .push_bind(i.urgency.as_str());
    }
}

async fn insert_case_in(tx: &mut Write, new: &NewCase, audit: &AuditEntry) -> Result<i64, StoreError> {
    let i = &new.input;
    let office: String = sqlx::query("SELECT code FROM offices WHERE id = $1")
        .bind(new.office_id)
        .fetch_optional(&mut **tx)
        .await
        .map_err(store_err)?
        .ok_or_else(|| StoreError::Constraint("cases.office_id".into()))?
        .try_get("code")
        .map_err(store_err)?;
    let number: i64 = sqlx::query(
        "INSERT INTO case_numbers (office_id, year, last_number) VALUES ($1, $2, 1) \
         ON CONFLICT (office_id, year) DO UPDATE SET last_number = case_numbers.last_number + 1 RETURNING last_number",
    )
    .bind(new.office_id)
    .bind(new.year as i64)
    .fetch_one(&mut **tx)
    .await
    .map_err(store_err)?
    .try_get("last_number")
    .map_err(store_err)?;
    let reference = reference_number(&office, new.year, number);
    let now = now_micros();
    let id = reserve_id(tx, "cases").await?;
    let row = CaseRow {
        id,
        reference: reference.clone(),
        office_id: new.office_id,
        input: i,
        status: CaseStatus::Received,
        themes: themes_text(i),
        created_by: new.created_by,
        at: now,
    };
    insert_table_rows(tx, std::slice::from_ref(&row)).await?;
    for user in &new.assigned {
        sqlx::query("INSERT INTO case_assignments (case_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
            .bind(id)
            .bind(user)
            .execute(&mut **tx)
            .await
            .map_err(store_err)?;
    }
    sqlx::query(
        "INSERT INTO case_status_history (case_id, from_status, to_status, reason, changed_by, changed_at) \
         VALUES ($1, NULL, $2, '', $3, $4)",
    )
    .bind(id)
    .bind(CaseStatus::Received.as_str())
    .bind(new.created_by)
    .bind(now)
    .execute(&mut **tx)
    .await
    .map_err(store_err)?;
    // The audit log is read by administrators who may not see a restricted
    // case: its summary says no more than that it exists.
    let entry = audit.clone().record("case", id).summary(match i.sensitivity {
        Sensitivity::Restricted => format!("opened {reference} (restricted)"),
        Sensitivity::Normal => format!("opened {reference} (normal, {})", i.province_code.as_deref().unwrap_or("no province")),
    });
    tx.audit(entry);
    tx.changed("cases", id, "insert");
    Ok(id)
}

/// Moves a case from `from` to `to` if it is still at `from`, with its
/// history row; false when it was not. No audit.
async fn transition_in(
    tx: &mut Conn,
    id: i64,
    from: CaseStatus,
    to: CaseStatus,
    reason: &str,
    by: i64,
    now: i64,
) -> Result<bool, StoreError> {
        let done = sqlx::query("UPDATE cases SET status = $1, updated_at = $2 WHERE id = $3 AND status = $4")
            .bind(to.as_str())
            .bind(now)
            .bind(id)
            .bind(from.as_str())
            .execute(&mut *tx)
            .await
            .map_err(store_err)?;
        if done.rows_affected() == 0 {
            return Ok(false);
        }
        sqlx::query(
            "INSERT INTO case_status_history (case_id, from_status, to_status, reason, changed_by, changed_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(id)
        .bind(from.as_str())
        .bind(to.as_str())
        .bind(reason)
        .bind(by)
        .bind(now)
        .execute(&mut *tx)
        .await
        .map_err(store_err)?;
    Ok(true)
}

#[async_trait::async_trait]
impl CaseStore for SqlStore {
    async fn create_case(&self, new: &NewCase, audit: &AuditEntry) -> StoreResult<Case> {
        let mut tx = self.write().await?;
        let id = insert_case_in(&mut tx, new, audit).await?;
        let case = case_in(&mut tx, id).await?.ok_or(StoreError::NotFound)?;
        tx.commit().await?;
        Ok(case)
    }

    async fn import_cases(&self, cases: &[NewCase], audit: &AuditEntry) -> StoreResult<Vec<String>> {
        // One transaction: every row or none.
        let mut tx = self.write().await?;
        let mut refs = Vec::with_capacity(cases.len());
        for new in cases {
            let id = insert_case_in(&mut tx, new, audit).await?;
            let reference: String = sqlx::query("SELECT reference FROM cases WHERE id = $1")
                .bind(id)
                .fetch_one(&mut *tx)
                .await
                .map_err(store_err)?
                .try_get("reference")
                .map_err(store_err)?;
            refs.push(reference);
        }
        tx.commit().await?;
        Ok(refs)
    }

    async fn insert_case_bundles(
        &self,
        bundles: &[CaseBundle],
        keys: &rightsdesk_crypto::Keyring,
        audit: &AuditEntry,
    ) -> StoreResult<Vec<i64>> {
        let mut tx = self.write().await?;
        let ids = insert_bundles_in(&mut tx, bundles, keys, audit).await?;
        tx.commit().await?;
        Ok(ids)
    }

    async fn case(&self, id: i64) -> StoreResult<Option<Case>> {
        let mut conn = self.reader.acquire().await.map_err(store_err)?;
        case_in(&mut conn, id).await
    }

    async fn case_by_reference(&self, reference: &str) -> StoreResult<Option<Case>> {
        let mut conn = self.reader.acquire().await.map_err(store_err)?;
        let id: Option<i64> = sqlx::query_scalar("SELECT id FROM cases WHERE reference = $1")
            .bind(reference)
            .fetch_optional(&mut *conn)
            .await
            .map_err(store_err)?;
        match id {
            Some(id) => case_in(&mut conn, id).await,
            None => Ok(None),
        }
    }

    async fn update_case(&self, id: i64, i: &CaseInput, audit: &AuditEntry) -> StoreResult<Case> {
        let mut tx = self.write().await?;
        let done = sqlx::query(
            "UPDATE cases SET title = $1, summary = $2, sensitivity = $3, province_code = $4, district_code = $5, \
             commune_code = $6, location_text = $7, start_date = $8, start_precision = $9, start_sort = $10, \
             end_date = $11, end_precision = $12, themes = $13, updated_at = $14, urgency = $16 WHERE id = $15",
        )
        .bind(&i.title)
        .bind(&i.summary)
        .bind(i.sensitivity.as_str())
        .bind(&i.province_code)
        .bind(&i.district_code)
        .bind(&i.commune_code)
        .bind(&i.location_text)
        .bind(i.start.as_ref().map(|d| d.value.clone()))
        .bind(rightsdesk_store::monitoring::precision_str_pub(&i.start))
        .bind(i.start.as_ref().map(|d| d.sort_key()))
        .bind(i.end.as_ref().map(|d| d.value.clone()))
        .bind(rightsdesk_store::monitoring::precision_str_pub(&i.end))
        .bind(themes_text(i))
        .bind(now_micros())
        .bind(id)
        .bind(i.urgency.as_str())
        .execute(&mut *tx)
        .await
        .map_err(store_err)?;
        one_row(done.rows_affected())?;
        tx.audit(audit.clone().record("case", id));
        tx.changed("cases", id, "update");
        let case = case_in(&mut tx, id).await?.ok_or(StoreError::NotFound)?;
        tx.commit().await?;
        Ok(case)
    }

    async fn transition_case(
        &self,
        id: i64,
        from: CaseStatus,
        to: CaseStatus,
        reason: &str,
        by: i64,
        audit: &AuditEntry,
    ) -> StoreResult<bool> {
        let mut tx = self.write().await?;
        let now = now_micros();
        if !transition_in(&mut tx, id, from, to, reason, by, now).await? {
            return Ok(false);
        }
        let entry = audit.clone().record("case", id).summary(format!("{} -> {}", from.as_str(), to.as_str()));
        tx.audit(entry);
        tx.changed("cases", id, "update");
        tx.commit().await?;
        Ok(true)
    }

    async fn set_case_team(&self, id: i64, user_ids: &[i64], audit: &AuditEntry) -> StoreResult<()> {
        let mut tx = self.write().await?;
        sqlx::query("DELETE FROM case_assignments WHERE case_id = $1").bind(id).execute(&mut *tx).await.map_err(store_err)?;
        for user in user_ids {
            sqlx::query("INSERT INTO case_assignments (case_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
                .bind(id)
                .bind(user)
                .execute(&mut *tx)
                .await
                .map_err(store_err)?;
        }
        let ids: Vec<String> = user_ids.iter().map(|u| u.to_string()).collect();
        tx.audit(audit.clone().record("case", id).summary(format!("team: users {}", ids.join(","))));
        tx.changed("cases", id, "update");
        tx.commit().await.map(drop)
    }

    async fn case_history(&self, id: i64) -> StoreResult<Vec<StatusChange>> {
        let rows = sqlx::query(HISTORY_SQL).bind(id).fetch_all(&self.reader).await.map_err(store_err)?;
        rows.iter().map(history_from_row).collect()
    }

    async fn case_records(&self, case_id: i64) -> StoreResult<CaseRecords> {
        let statements = [
            STAFF_SQL.into(),
            HISTORY_SQL.into(),
            persons_sql(),
            ACTS_SQL.into(),
            ACT_VICTIMS_SQL.into(),
            ACT_PERPETRATORS_SQL.into(),
            ACT_RIGHTS_SQL.into(),
            ACT_TERMS_SQL.into(),
            interventions_sql(),
            sources_sql(),
            EVIDENCE_SQL.into(),
        ];
        let mut conn = self.reader.acquire().await.map_err(store_err)?;
        let s = read_sections(&mut conn, &statements, case_id).await?;
        Ok(CaseRecords {
            staff: s[0].iter().map(staff_from_row).collect::<Result<_, _>>()?,
            history: s[1].iter().map(history_from_row).collect::<Result<_, _>>()?,
            persons: s[2].iter().map(person_from_row).collect::<Result<_, _>>()?,
            acts: acts_from_rows(&s[3], &s[4], &s[5], &s[6], &s[7])?,
            interventions: s[8].iter().map(intervention_from_row).collect::<Result<_, _>>()?,
            sources: s[9].iter().map(source_from_row).collect::<Result<_, _>>()?,
            evidence: s[10].iter().map(evidence_from_row).collect::<Result<_, _>>()?,
        })
    }

    async fn list_cases(&self, f: &CaseFilter) -> StoreResult<Vec<CaseSummary>> {
        let (filters, args) = case_where(f);
        // Parameters after the filters': the cursor (id, or key then id),
        // then the limit. Each order has an index to walk from the top
        // (cases_updated, cases_incident).
        let n = args.len() + 3;
        let (after, order) = match f.sort {
            CaseSort::Newest => (format!("c.id < ${n}"), "c.id DESC"),
            CaseSort::Oldest => (format!("c.id > ${n}"), "c.id ASC"),
            CaseSort::Updated => (
                format!("(c.updated_at < ${n} OR (c.updated_at = ${n} AND c.id < ${}))", n + 1),
                "c.updated_at DESC, c.id DESC",
            ),
            CaseSort::Incident => (
                format!(
                    "(COALESCE(c.start_sort, '') < ${n} OR (COALESCE(c.start_sort, '') = ${n} AND c.id < ${}))",
                    n + 1
                ),
                "COALESCE(c.start_sort, '') DESC, c.id DESC",
            ),
        };
        let (after, limit) = match (&f.after, f.sort) {
            (None, _) => ("1 = 1".to_string(), n),
            (Some(_), CaseSort::Newest | CaseSort::Oldest) => (after, n + 1),
            (Some(_), _) => (after, n + 2),
        };
        let sql = format!(
            "SELECT c.id, c.reference, o.code AS office_code, c.title, c.status, c.sensitivity, c.urgency, c.province_code, \
             c.start_date, c.start_precision, c.updated_at FROM cases c JOIN offices o ON o.id = c.office_id \
             WHERE {filters} AND {after} ORDER BY {order} LIMIT ${limit}"
        );
        let q = bind_case_where(sqlx::query(&sql), f, args);
        let q = match (&f.after, f.sort) {
            (None, _) => q,
            (Some(c), CaseSort::Updated) => {
                q.bind(c.key.parse::<i64>().map_err(|_| StoreError::Constraint("cursor".into()))?).bind(c.id)
            }
            (Some(c), CaseSort::Incident) => q.bind(c.key.clone()).bind(c.id),
            (Some(c), _) => q.bind(c.id),
        };
        let rows = q.bind(f.limit.clamp(1, 500)).fetch_all(&self.reader).await.map_err(store_err)?;
        rows.iter().map(summary_from_row).collect()
    }

    async fn count_cases(&self, f: &CaseFilter) -> StoreResult<i64> {
        let (filters, args) = case_where(f);
        let sql = match f.count_cap {
            None => format!("SELECT COUNT(*) AS n FROM cases c WHERE {filters}"),
            Some(_) => format!(
                "SELECT COUNT(*) AS n FROM (SELECT 1 FROM cases c WHERE {filters} LIMIT ${}) capped",
                args.len() + 3
            ),
        };
        let mut q = bind_case_where(sqlx::query(&sql), f, args);
        if let Some(cap) = f.count_cap {
            q = q.bind(cap.max(0) + 1);
        }
        q.fetch_one(&self.reader).await.map_err(store_err)?.try_get("n").map_err(store_err)
    }
}
