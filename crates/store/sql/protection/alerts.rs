// Alerts: the scheduler's scan, who sees them, acknowledgement, e-mail.

const ALERT_COLUMNS: &str = "a.id, a.file_id, f.reference AS file_reference, f.office_id, a.kind, a.subject_id, a.due_at, \
     a.raised_at, a.state, a.acknowledged_by, a.acknowledged_at, a.note, a.resolved_at, a.emailed_at, a.emailed_to";

fn alert_from_row(r: &DbRow) -> Result<Alert, StoreError> {
    Ok(Alert {
        id: r.try_get("id").map_err(store_err)?,
        file_id: r.try_get("file_id").map_err(store_err)?,
        file_reference: r.try_get("file_reference").map_err(store_err)?,
        office_id: r.try_get("office_id").map_err(store_err)?,
        kind: choice_at(r, "kind", AlertKind::parse)?,
        subject_id: r.try_get("subject_id").map_err(store_err)?,
        due_at: r.try_get("due_at").map_err(store_err)?,
        raised_at: r.try_get("raised_at").map_err(store_err)?,
        state: choice_at(r, "state", AlertState::parse)?,
        acknowledged_by: r.try_get("acknowledged_by").map_err(store_err)?,
        acknowledged_at: r.try_get("acknowledged_at").map_err(store_err)?,
        note: r.try_get("note").map_err(store_err)?,
        resolved_at: r.try_get("resolved_at").map_err(store_err)?,
        emailed_at: r.try_get("emailed_at").map_err(store_err)?,
        emailed_to: r.try_get("emailed_to").map_err(store_err)?,
    })
}

/// What the scheduler raises, a pair of statements per kind (migration
/// 0018). `mark` reads the pending partial index (rows whose due time
/// passed and whose alert is not raised yet), records the due time as
/// raised and locks the rows; `raise` inserts the alerts of the marked ids
/// (`$1`, a JSON list) at `$2`. Marking first means a write that moves a
/// due time between the two statements waits for the pass, and a pass
/// reads only what fell due since the last one; the unique key stays the
/// backstop against two passes.
struct Scan {
    mark: &'static str,
    raise: &'static str,
}

const SCANS: [Scan; 4] = [
    // A check-in not recorded by its due time plus grace.
    Scan {
        mark: "UPDATE protection_files SET checkin_raised_due = checkin_due_at \
               WHERE status <> 'closed' AND checkin_raised_due IS DISTINCT FROM checkin_due_at \
               AND checkin_missed_at <= $1 RETURNING id",
        raise: "SELECT f.id, 'missed_checkin', 0, f.checkin_due_at, $2, 'open' FROM protection_files f WHERE f.id ",
    },
    // A missed check-in still open after the escalation period: the head of
    // office. A missed alert acknowledged before then escalates nothing.
    Scan {
        mark: "UPDATE protection_files SET escalation_raised_due = checkin_due_at \
               WHERE status <> 'closed' AND escalation_raised_due IS DISTINCT FROM checkin_due_at \
               AND checkin_missed_at <= $1 AND checkin_missed_at + COALESCE(checkin_escalate, 0) <= $1 RETURNING id",
        raise: "SELECT f.id, 'escalated_checkin', 0, f.checkin_due_at, $2, 'open' FROM protection_files f \
                JOIN protection_alerts m ON m.file_id = f.id AND m.kind = 'missed_checkin' AND m.subject_id = 0 \
                AND m.due_at = f.checkin_due_at AND m.state = 'open' WHERE f.id ",
    },
    Scan {
        mark: "UPDATE protection_files SET reassess_raised_due = reassess_due_at \
               WHERE status <> 'closed' AND reassess_raised_due IS DISTINCT FROM reassess_due_at \
               AND reassess_due_at <= $1 RETURNING id",
        raise: "SELECT f.id, 'reassessment_overdue', 0, f.reassess_due_at, $2, 'open' FROM protection_files f WHERE f.id ",
    },
    // An open measure past its review date, on a file that is not closed
    // (a closed file's measures stay pending until it reopens).
    Scan {
        mark: "UPDATE protection_measures SET review_raised_due = review_due_at \
               WHERE review_raised_due IS DISTINCT FROM review_due_at AND review_due_at <= $1 \
               AND status IN ('planned', 'active') AND EXISTS (SELECT 1 FROM protection_files f \
               WHERE f.id = protection_measures.file_id AND f.status <> 'closed') RETURNING id",
        raise: "SELECT m.file_id, 'measure_review_overdue', m.id, m.review_due_at, $2, 'open' FROM protection_measures m WHERE m.id ",
    },
];

/// A pass that raised this many alerts changed enough rows for the
/// planner's statistics to be refreshed (a backlog after a restart, the
/// first pass after an import).
const LARGE_PASS: usize = 1_000;

async fn alerts_by_ids(conn: &mut Conn, ids: &[i64]) -> Result<Vec<Alert>, StoreError> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    let list = serde_json::to_string(ids).map_err(|e| StoreError::Backend(e.to_string()))?;
    let sql = format!(
        "SELECT {ALERT_COLUMNS} FROM protection_alerts a JOIN protection_files f ON f.id = a.file_id \
         WHERE a.id {ID_IN_LIST} ORDER BY a.id"
    );
    let rows = sqlx::query(&sql).bind(list).fetch_all(&mut *conn).await.map_err(store_err)?;
    rows.iter().map(alert_from_row).collect()
}

fn alert_query<'a>(head: &str, f: &'a AlertFilter) -> sqlx::QueryBuilder<'a, Db> {
    let (user, office) = scope_params(&f.scope);
    let mut q = sqlx::QueryBuilder::<Db>::new(head);
    q.push(" WHERE (EXISTS (SELECT 1 FROM protection_file_team t WHERE t.file_id = f.id AND t.user_id = ")
        .push_bind(user)
        .push(") OR f.office_id = ")
        .push_bind(office)
        .push(")");
    if f.for_user {
        // What needs this user: their files' alerts, and escalations for the head of the office.
        q.push(" AND (EXISTS (SELECT 1 FROM protection_file_team t2 WHERE t2.file_id = f.id AND t2.user_id = ")
            .push_bind(user)
            .push(") OR (a.kind = 'escalated_checkin' AND f.office_id = ")
            .push_bind(office)
            .push("))");
    }
    if f.open_only {
        q.push(" AND a.state = 'open'");
    }
    q
}

#[async_trait::async_trait]
impl AlertStore for SqlStore {
    async fn scan_alerts(&self, now: i64) -> StoreResult<ScanOutcome> {
        let mut tx = self.write().await?;
        if !try_scheduler_lock(&mut tx).await.map_err(store_err)? {
            tx.rollback().await?;
            return Ok(ScanOutcome { skipped: true, ..Default::default() });
        }
        let mut ids: Vec<i64> = vec![];
        let mut marked_any = false;
        for scan in SCANS {
            let marked: Vec<i64> = sqlx::query_scalar(scan.mark).bind(now).fetch_all(&mut *tx).await.map_err(store_err)?;
            if marked.is_empty() {
                continue;
            }
            marked_any = true;
            let list = serde_json::to_string(&marked).map_err(|e| StoreError::Backend(e.to_string()))?;
            let sql = format!(
                "INSERT INTO protection_alerts (file_id, kind, subject_id, due_at, raised_at, state) {}{ID_IN_LIST} \
                 ON CONFLICT DO NOTHING RETURNING id",
                scan.raise
            );
            let raised: Vec<i64> =
                sqlx::query_scalar(&sql).bind(list).bind(now).fetch_all(&mut *tx).await.map_err(store_err)?;
            ids.extend(raised);
        }
        if ids.is_empty() {
            // Nothing raised: keep the marks (an escalation whose missed
            // alert was acknowledged, say) without an audit event.
            if marked_any {
                tx.commit().await?;
            } else {
                tx.rollback().await?;
            }
            return Ok(ScanOutcome::default());
        }
        let raised = alerts_by_ids(&mut tx, &ids).await?;
        let entry = AuditEntry::system("protection.alerts").record("protection_alerts", ids[0]);
        tx.audit(entry.summary(format!("{} alerts raised", ids.len())));
        tx.commit().await?;
        if ids.len() >= LARGE_PASS {
            // The pass is committed: a failure here must not hide its alerts from the caller.
            if let Err(e) = refresh_statistics(&self.writer, &["protection_alerts", "protection_files"]).await {
                tracing::warn!(error = %e, "planner statistics not refreshed after a large pass");
            }
        }
        Ok(ScanOutcome { skipped: false, raised })
    }

    async fn alerts(&self, f: &AlertFilter) -> StoreResult<Vec<Alert>> {
        let head = format!("SELECT {ALERT_COLUMNS} FROM protection_alerts a JOIN protection_files f ON f.id = a.file_id");
        let mut q = alert_query(&head, f);
        // Open alerts newest first straight from the (state, raised_at)
        // index; the history puts open ones first, then the rest.
        if f.open_only {
            q.push(" ORDER BY a.raised_at DESC, a.id DESC LIMIT ");
        } else {
            q.push(" ORDER BY CASE a.state WHEN 'open' THEN 0 ELSE 1 END, a.raised_at DESC, a.id DESC LIMIT ");
        }
        q.push_bind(f.limit.clamp(1, 1_000));
        let mut conn = self.reader.acquire().await.map_err(store_err)?;
        let rows = q.build().fetch_all(&mut *conn).await.map_err(store_err)?;
        rows.iter().map(alert_from_row).collect()
    }

    async fn count_alerts(&self, f: &AlertFilter) -> StoreResult<i64> {
        let mut q =
            alert_query("SELECT COUNT(*) FROM protection_alerts a JOIN protection_files f ON f.id = a.file_id", f);
        let mut conn = self.reader.acquire().await.map_err(store_err)?;
        q.build_query_scalar().fetch_one(&mut *conn).await.map_err(store_err)
    }

    async fn alert(&self, id: i64) -> StoreResult<Option<Alert>> {
        let mut conn = self.reader.acquire().await.map_err(store_err)?;
        Ok(alerts_by_ids(&mut conn, &[id]).await?.pop())
    }

    async fn acknowledge_alert(&self, id: i64, by: i64, note: &str, audit: &AuditEntry) -> StoreResult<()> {
        let mut tx = self.write().await?;
        let done = sqlx::query(
            "UPDATE protection_alerts SET state = 'acknowledged', acknowledged_by = $1, acknowledged_at = $2, note = $3 \
             WHERE id = $4 AND state = 'open'",
        )
        .bind(by)
        .bind(unix_now())
        .bind(note)
        .bind(id)
        .execute(&mut *tx)
        .await
        .map_err(store_err)?;
        one_row(done.rows_affected())?;
        let file_id: i64 = sqlx::query_scalar("SELECT file_id FROM protection_alerts WHERE id = $1")
            .bind(id)
            .fetch_one(&mut *tx)
            .await
            .map_err(store_err)?;
        tx.audit(audit.clone().record("protection_file", file_id).summary(format!("alert {id} acknowledged")));
        tx.commit().await.map(drop)
    }

    async fn claim_unsent_alerts(&self, now: i64, limit: i64) -> StoreResult<Vec<Alert>> {
        let mut tx = self.write().await?;
        // Claimed before sending: another pass or node that reads the same
        // rows finds them taken (the second UPDATE re-checks `emailed_at`).
        let ids: Vec<i64> = sqlx::query_scalar(
            "UPDATE protection_alerts SET emailed_at = $1 WHERE emailed_at IS NULL AND state = 'open' AND id IN \
             (SELECT id FROM protection_alerts WHERE emailed_at IS NULL AND state = 'open' ORDER BY id LIMIT $2) \
             RETURNING id",
        )
        .bind(now)
        .bind(limit)
        .fetch_all(&mut *tx)
        .await
        .map_err(store_err)?;
        let alerts = alerts_by_ids(&mut tx, &ids).await?;
        tx.commit().await?;
        Ok(alerts)
    }

    async fn set_alert_emailed(&self, id: i64, recipients: i64) -> StoreResult<()> {
        let mut tx = self.write().await?;
        let done = sqlx::query("UPDATE protection_alerts SET emailed_to = $1 WHERE id = $2")
            .bind(recipients)
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(store_err)?;
        one_row(done.rows_affected())?;
        let entry = AuditEntry::system("protection.alert.email").record("protection_alerts", id);
        tx.audit(entry.summary(format!("sent to {recipients}")));
        tx.commit().await.map(drop)
    }

    async fn release_alert_claim(&self, id: i64) -> StoreResult<()> {
        sqlx::query("UPDATE protection_alerts SET emailed_at = NULL WHERE id = $1 AND emailed_to = 0")
            .bind(id)
            .execute(&self.writer)
            .await
            .map_err(store_err)?;
        Ok(())
    }

    async fn alert_recipients(&self, id: i64) -> StoreResult<Vec<AlertRecipient>> {
        let mut conn = self.reader.acquire().await.map_err(store_err)?;
        let rows = sqlx::query(
            "SELECT u.id, u.email, u.locale FROM users u, protection_alerts a JOIN protection_files f ON f.id = a.file_id \
             WHERE a.id = $1 AND u.disabled = $2 AND ( \
               EXISTS (SELECT 1 FROM protection_file_team t WHERE t.file_id = a.file_id AND t.user_id = u.id) \
               OR (a.kind = 'escalated_checkin' AND u.role = 'head_of_office' AND u.office_id = f.office_id)) \
             ORDER BY u.id",
        )
        .bind(id)
        .bind(false)
        .fetch_all(&mut *conn)
        .await
        .map_err(store_err)?;
        rows.iter()
            .map(|r| {
                let locale: String = r.try_get("locale").map_err(store_err)?;
                Ok(AlertRecipient {
                    user_id: r.try_get("id").map_err(store_err)?,
                    email: r.try_get("email").map_err(store_err)?,
                    locale: locale.parse().map_err(|_| corrupt("users.locale"))?,
                })
            })
            .collect()
    }
}
