// The dialogue log: meetings with their links, and the follow-up actions agreed.

const MEETING_COLUMNS: &str =
    "m.id, m.office_id, m.kind, m.held_on, m.title, m.place, m.province_code, m.summary, m.created_by, m.updated_at";

/// The link tables of a meeting: (table, column), in `MeetingLinks` order.
const MEETING_LINK_TABLES: [(&str, &str); 7] = [
    ("meeting_organisations", "organisation_id"),
    ("meeting_contacts", "contact_id"),
    ("meeting_staff", "user_id"),
    ("meeting_cases", "case_id"),
    ("meeting_interventions", "intervention_id"),
    ("meeting_recommendations", "recommendation_id"),
    ("meeting_laws", "law_id"),
];

fn link_lists(l: &MeetingLinks) -> [&Vec<i64>; 7] {
    [
        &l.organisation_ids,
        &l.contact_ids,
        &l.staff_ids,
        &l.case_ids,
        &l.intervention_ids,
        &l.recommendation_ids,
        &l.law_ids,
    ]
}

/// The meetings of `ids` with their topics, links, organisations and staff.
async fn meetings_in(conn: &mut Conn, rows: Vec<DbRow>) -> Result<Vec<Meeting>, StoreError> {
    let mut meetings: Vec<Meeting> = rows
        .iter()
        .map(|r| {
            Ok(Meeting {
                id: r.try_get("id").map_err(store_err)?,
                office_id: r.try_get("office_id").map_err(store_err)?,
                kind: choice_at(r, "kind", MeetingKind::parse)?,
                held_on: r.try_get("held_on").map_err(store_err)?,
                title: r.try_get("title").map_err(store_err)?,
                place: r.try_get("place").map_err(store_err)?,
                province_code: r.try_get("province_code").map_err(store_err)?,
                summary: r.try_get("summary").map_err(store_err)?,
                topics: vec![],
                organisations: vec![],
                staff: vec![],
                links: MeetingLinks::default(),
                created_by: r.try_get("created_by").map_err(store_err)?,
                updated_at: r.try_get("updated_at").map_err(store_err)?,
            })
        })
        .collect::<Result<_, StoreError>>()?;
    if meetings.is_empty() {
        return Ok(meetings);
    }
    let at: HashMap<i64, usize> = meetings.iter().enumerate().map(|(i, m)| (m.id, i)).collect();
    let ids: Vec<i64> = meetings.iter().map(|m| m.id).collect();
    let in_list = |head: &str| -> sqlx::QueryBuilder<'static, Db> {
        let mut q = sqlx::QueryBuilder::<Db>::new(head);
        q.push(" WHERE meeting_id IN (");
        let mut list = q.separated(", ");
        for id in &ids {
            list.push_bind(*id);
        }
        q.push(")");
        q
    };
    for r in in_list("SELECT meeting_id, topic FROM meeting_topics").build().fetch_all(&mut *conn).await.map_err(store_err)? {
        let m: i64 = r.try_get("meeting_id").map_err(store_err)?;
        meetings[at[&m]].topics.push(r.try_get("topic").map_err(store_err)?);
    }
    for (n, (table, column)) in MEETING_LINK_TABLES.iter().enumerate() {
        let mut q = in_list(&format!("SELECT meeting_id, {column} AS target FROM {table}"));
        q.push(" ORDER BY target");
        for r in q.build().fetch_all(&mut *conn).await.map_err(store_err)? {
            let m: i64 = r.try_get("meeting_id").map_err(store_err)?;
            let target: i64 = r.try_get("target").map_err(store_err)?;
            let l = &mut meetings[at[&m]].links;
            let list = match n {
                0 => &mut l.organisation_ids,
                1 => &mut l.contact_ids,
                2 => &mut l.staff_ids,
                3 => &mut l.case_ids,
                4 => &mut l.intervention_ids,
                5 => &mut l.recommendation_ids,
                _ => &mut l.law_ids,
            };
            list.push(target);
        }
    }
    let mut q = in_list(
        "SELECT mo.meeting_id, o.id, o.name_en, o.name_km FROM meeting_organisations mo JOIN organisations o ON o.id = mo.organisation_id",
    );
    q.push(" ORDER BY o.name_en");
    for r in q.build().fetch_all(&mut *conn).await.map_err(store_err)? {
        let m: i64 = r.try_get("meeting_id").map_err(store_err)?;
        meetings[at[&m]].organisations.push(OrgRef {
            id: r.try_get("id").map_err(store_err)?,
            name_en: r.try_get("name_en").map_err(store_err)?,
            name_km: r.try_get("name_km").map_err(store_err)?,
        });
    }
    let mut q = in_list("SELECT ms.meeting_id, u.id, u.name FROM meeting_staff ms JOIN users u ON u.id = ms.user_id");
    q.push(" ORDER BY u.name");
    for r in q.build().fetch_all(&mut *conn).await.map_err(store_err)? {
        let m: i64 = r.try_get("meeting_id").map_err(store_err)?;
        meetings[at[&m]].staff.push(StaffRef { id: r.try_get("id").map_err(store_err)?, name: r.try_get("name").map_err(store_err)? });
    }
    for m in &mut meetings {
        m.topics.sort();
    }
    Ok(meetings)
}

async fn meeting_in(conn: &mut Conn, id: i64) -> Result<Option<Meeting>, StoreError> {
    let sql = format!("SELECT {MEETING_COLUMNS} FROM meetings m WHERE m.id = $1");
    let rows = sqlx::query(&sql).bind(id).fetch_all(&mut *conn).await.map_err(store_err)?;
    Ok(meetings_in(conn, rows).await?.pop())
}

/// Writes a meeting's topics and links (after removing the old ones). An
/// unknown record fails with `Constraint` naming its column.
async fn set_meeting_links(tx: &mut Write, id: i64, input: &rightsdesk_domain::engagement::MeetingInput) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM meeting_topics WHERE meeting_id = $1").bind(id).execute(&mut **tx).await.map_err(store_err)?;
    if !input.topics.is_empty() {
        insert_rows(tx, "INSERT INTO meeting_topics (meeting_id, topic) ", 2, &input.topics, |mut b, t| {
            b.push_bind(id).push_bind(t);
        })
        .await?;
    }
    for ((table, column), ids) in MEETING_LINK_TABLES.iter().zip(link_lists(&input.links)) {
        sqlx::query(&format!("DELETE FROM {table} WHERE meeting_id = $1"))
            .bind(id)
            .execute(&mut **tx)
            .await
            .map_err(store_err)?;
        // One check per list, so the error names the field.
        if !ids.is_empty() {
            let target = match *table {
                "meeting_organisations" => "organisations",
                "meeting_contacts" => "contacts",
                "meeting_staff" => "users",
                "meeting_cases" => "cases",
                "meeting_interventions" => "interventions",
                "meeting_recommendations" => "recommendations",
                _ => "laws",
            };
            let mut q = sqlx::QueryBuilder::<Db>::new(format!("SELECT COUNT(*) FROM {target} WHERE id IN ("));
            let mut list = q.separated(", ");
            for t in ids.iter() {
                list.push_bind(*t);
            }
            q.push(")");
            let found: i64 = q.build_query_scalar().fetch_one(&mut **tx).await.map_err(store_err)?;
            if found != ids.len() as i64 {
                return Err(StoreError::Constraint(format!("{table}.{column}")));
            }
            let head = format!("INSERT INTO {table} (meeting_id, {column}) ");
            insert_rows(tx, &head, 2, ids, |mut b, t| {
                b.push_bind(id).push_bind(*t);
            })
            .await?;
        }
    }
    Ok(())
}

fn push_meeting_filter(q: &mut sqlx::QueryBuilder<'_, Db>, f: &MeetingFilter) {
    q.push(" WHERE 1 = 1");
    let links = [
        (f.organisation_id, "meeting_organisations", "organisation_id"),
        (f.contact_id, "meeting_contacts", "contact_id"),
        (f.case_id, "meeting_cases", "case_id"),
        (f.recommendation_id, "meeting_recommendations", "recommendation_id"),
        (f.law_id, "meeting_laws", "law_id"),
    ];
    for (value, table, column) in links {
        if let Some(v) = value {
            q.push(format!(" AND m.id IN (SELECT meeting_id FROM {table} WHERE {column} = ")).push_bind(v).push(")");
        }
    }
    if let Some(k) = f.kind {
        q.push(" AND m.kind = ").push_bind(k.as_str());
    }
    if let Some(d) = &f.from {
        q.push(" AND m.held_on >= ").push_bind(d.clone());
    }
    if let Some(d) = &f.to {
        q.push(" AND m.held_on <= ").push_bind(d.clone());
    }
}

const MEETING_ACTION_COLUMNS: &str = "a.id, a.meeting_id, m.title AS meeting_title, a.action, a.owner_id, u.name AS owner_name, \
     a.due_on, a.done_on";
const MEETING_ACTION_FROM: &str = "meeting_actions a JOIN meetings m ON m.id = a.meeting_id JOIN users u ON u.id = a.owner_id";

fn meeting_action_from_row(r: &DbRow) -> Result<MeetingAction, StoreError> {
    Ok(MeetingAction {
        id: r.try_get("id").map_err(store_err)?,
        meeting_id: r.try_get("meeting_id").map_err(store_err)?,
        meeting_title: r.try_get("meeting_title").map_err(store_err)?,
        action: r.try_get("action").map_err(store_err)?,
        owner_id: r.try_get("owner_id").map_err(store_err)?,
        owner_name: r.try_get("owner_name").map_err(store_err)?,
        due_on: r.try_get("due_on").map_err(store_err)?,
        done_on: r.try_get("done_on").map_err(store_err)?,
    })
}

#[async_trait::async_trait]
impl MeetingStore for SqlStore {
    async fn create_meeting(&self, new: &NewMeeting<'_>, audit: &AuditEntry) -> StoreResult<Meeting> {
        let i = new.input;
        let now = now_micros();
        let mut tx = self.write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO meetings (office_id, kind, held_on, title, place, province_code, summary, created_by, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id",
        )
        .bind(new.office_id)
        .bind(i.kind.as_str())
        .bind(&i.held_on)
        .bind(&i.title)
        .bind(&i.place)
        .bind(&i.province_code)
        .bind(&i.summary)
        .bind(new.by)
        .bind(now)
        .fetch_one(&mut *tx)
        .await
        .map_err(store_err)?;
        set_meeting_links(&mut tx, id, i).await?;
        tx.audit(audit.clone().record("meeting", id).summary(i.kind.as_str()));
        tx.changed("meetings", id, "insert");
        let created = meeting_in(&mut tx, id).await?.ok_or(StoreError::NotFound)?;
        tx.commit().await?;
        Ok(created)
    }

    async fn update_meeting(&self, id: i64, new: &NewMeeting<'_>, audit: &AuditEntry) -> StoreResult<Meeting> {
        let i = new.input;
        let mut tx = self.write().await?;
        let done = sqlx::query(
            "UPDATE meetings SET kind = $1, held_on = $2, title = $3, place = $4, province_code = $5, summary = $6, \
             updated_at = $7 WHERE id = $8",
        )
        .bind(i.kind.as_str())
        .bind(&i.held_on)
        .bind(&i.title)
        .bind(&i.place)
        .bind(&i.province_code)
        .bind(&i.summary)
        .bind(now_micros())
        .bind(id)
        .execute(&mut *tx)
        .await
        .map_err(store_err)?;
        one_row(done.rows_affected())?;
        set_meeting_links(&mut tx, id, i).await?;
        tx.audit(audit.clone().record("meeting", id).summary(i.kind.as_str()));
        tx.changed("meetings", id, "update");
        let updated = meeting_in(&mut tx, id).await?.ok_or(StoreError::NotFound)?;
        tx.commit().await?;
        Ok(updated)
    }

    async fn meeting(&self, id: i64) -> StoreResult<Option<Meeting>> {
        let mut conn = self.reader.acquire().await.map_err(store_err)?;
        meeting_in(&mut conn, id).await
    }

    async fn list_meetings(&self, f: &MeetingFilter) -> StoreResult<Vec<Meeting>> {
        let mut q = sqlx::QueryBuilder::<Db>::new(format!("SELECT {MEETING_COLUMNS} FROM meetings m"));
        push_meeting_filter(&mut q, f);
        q.push(" ORDER BY m.held_on DESC, m.id DESC LIMIT ").push_bind(f.limit.clamp(1, 1000)).push(" OFFSET ").push_bind(f.offset.max(0));
        let mut conn = self.reader.acquire().await.map_err(store_err)?;
        let rows = q.build().fetch_all(&mut *conn).await.map_err(store_err)?;
        meetings_in(&mut conn, rows).await
    }

    async fn count_meetings(&self, f: &MeetingFilter) -> StoreResult<i64> {
        let mut q = sqlx::QueryBuilder::<Db>::new("SELECT COUNT(*) FROM meetings m");
        push_meeting_filter(&mut q, f);
        q.build_query_scalar().fetch_one(&self.reader).await.map_err(store_err)
    }

    async fn add_meeting_action(&self, meeting_id: i64, i: &MeetingActionInput, audit: &AuditEntry) -> StoreResult<MeetingAction> {
        let mut tx = self.write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO meeting_actions (meeting_id, action, owner_id, due_on, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(meeting_id)
        .bind(&i.action)
        .bind(i.owner_id)
        .bind(&i.due_on)
        .bind(now_micros())
        .fetch_one(&mut *tx)
        .await
        .map_err(store_err)?;
        tx.audit(audit.clone().record("meeting", meeting_id).summary(format!("follow-up {id} due {}", i.due_on)));
        let row = sqlx::query(&format!("SELECT {MEETING_ACTION_COLUMNS} FROM {MEETING_ACTION_FROM} WHERE a.id = $1"))
            .bind(id)
            .fetch_one(&mut *tx)
            .await
            .map_err(store_err)?;
        let action = meeting_action_from_row(&row)?;
        tx.commit().await?;
        Ok(action)
    }

    async fn set_meeting_action_done(&self, meeting_id: i64, action_id: i64, on: Option<&str>, audit: &AuditEntry) -> StoreResult<()> {
        let mut tx = self.write().await?;
        let done = sqlx::query("UPDATE meeting_actions SET done_on = $1 WHERE id = $2 AND meeting_id = $3")
            .bind(on)
            .bind(action_id)
            .bind(meeting_id)
            .execute(&mut *tx)
            .await
            .map_err(store_err)?;
        one_row(done.rows_affected())?;
        let what = match on {
            Some(d) => format!("follow-up {action_id} done {d}"),
            None => format!("follow-up {action_id} open again"),
        };
        tx.audit(audit.clone().record("meeting", meeting_id).summary(what));
        tx.commit().await?;
        Ok(())
    }

    async fn meeting_actions(&self, meeting_id: i64) -> StoreResult<Vec<MeetingAction>> {
        let sql = format!("SELECT {MEETING_ACTION_COLUMNS} FROM {MEETING_ACTION_FROM} WHERE a.meeting_id = $1 ORDER BY a.due_on, a.id");
        let rows = sqlx::query(&sql).bind(meeting_id).fetch_all(&self.reader).await.map_err(store_err)?;
        rows.iter().map(meeting_action_from_row).collect()
    }

    async fn open_actions_of(&self, owner_id: i64) -> StoreResult<Vec<MeetingAction>> {
        let sql = format!(
            "SELECT {MEETING_ACTION_COLUMNS} FROM {MEETING_ACTION_FROM} WHERE a.owner_id = $1 AND a.done_on IS NULL ORDER BY a.due_on, a.id"
        );
        let rows = sqlx::query(&sql).bind(owner_id).fetch_all(&self.reader).await.map_err(store_err)?;
        rows.iter().map(meeting_action_from_row).collect()
    }

    async fn open_meeting_actions(&self) -> StoreResult<Vec<MeetingAction>> {
        let sql = format!("SELECT {MEETING_ACTION_COLUMNS} FROM {MEETING_ACTION_FROM} WHERE a.done_on IS NULL ORDER BY a.due_on, a.id LIMIT 5000");
        let rows = sqlx::query(&sql).fetch_all(&self.reader).await.map_err(store_err)?;
        rows.iter().map(meeting_action_from_row).collect()
    }
}
