// Whole cases written in bulk (imports, demo data, load corpora).

/// Writes whole cases (people, acts, status walk, interventions, two audit
/// events each) in one transaction with a few multi-row statements per table
/// instead of ~27 statements per case: the same rows the forms would write,
/// checked the same way before anything is written.
async fn insert_bundles_in(
    tx: &mut Write,
    bundles: &[CaseBundle],
    keys: &rightsdesk_crypto::Keyring,
    audit: &AuditEntry,
) -> Result<Vec<i64>, StoreError> {
    use std::collections::{BTreeMap, BTreeSet};
    if bundles.is_empty() {
        return Ok(vec![]);
    }
    // Check everything that does not need the database first.
    let mut terms = BTreeSet::new();
    for b in bundles {
        let mut at = CaseStatus::Received;
        for to in &b.status_path {
            at.can_move_to(*to, "").map_err(|_| StoreError::Constraint("case_bundle.status_path".into()))?;
            at = *to;
        }
        for act in &b.acts {
            for (people, role, table) in
                [(&act.victims, PersonRole::Victim, "act_victims"), (&act.perpetrators, PersonRole::Perpetrator, "act_perpetrators")]
            {
                for i in people.iter() {
                    let person = b.persons.get(*i).ok_or_else(|| StoreError::Constraint("case_bundle.person".into()))?;
                    if person.0.role != role {
                        return Err(StoreError::Constraint(format!("{table}.person_id")));
                    }
                }
            }
            terms.extend(act.input.extra_terms.iter().cloned());
        }
    }
    for (vocabulary, term) in &terms {
        let known = sqlx::query("SELECT 1 AS x FROM vocabulary_terms WHERE vocabulary_code = $1 AND code = $2 AND visible")
            .bind(vocabulary)
            .bind(term)
            .fetch_optional(&mut **tx)
            .await
            .map_err(store_err)?;
        if known.is_none() {
            return Err(StoreError::Constraint("act_terms.term_code".into()));
        }
    }
    let offices: BTreeMap<i64, String> = sqlx::query("SELECT id, code FROM offices")
        .fetch_all(&mut **tx)
        .await
        .map_err(store_err)?
        .iter()
        .map(|r| Ok((r.try_get("id").map_err(store_err)?, r.try_get("code").map_err(store_err)?)))
        .collect::<Result<_, StoreError>>()?;
    // Reference numbers: one counter update per office and year.
    let mut per_year: BTreeMap<(i64, i32), i64> = BTreeMap::new();
    for b in bundles {
        if !offices.contains_key(&b.case.office_id) {
            return Err(StoreError::Constraint("cases.office_id".into()));
        }
        *per_year.entry((b.case.office_id, b.case.year)).or_default() += 1;
    }
    let mut next_number = BTreeMap::new();
    for ((office, year), count) in &per_year {
        let last: i64 = sqlx::query_scalar(
            "INSERT INTO case_numbers (office_id, year, last_number) VALUES ($1, $2, $3) \
             ON CONFLICT (office_id, year) DO UPDATE SET last_number = case_numbers.last_number + $3 RETURNING last_number",
        )
        .bind(office)
        .bind(*year as i64)
        .bind(count)
        .fetch_one(&mut **tx)
        .await
        .map_err(store_err)?;
        next_number.insert((*office, *year), last - count + 1);
    }
    let case_ids = reserve_ids(tx, "cases", bundles.len()).await.map_err(store_err)?;
    let person_ids = reserve_ids(tx, "persons", bundles.iter().map(|b| b.persons.len()).sum()).await.map_err(store_err)?;
    let act_ids = reserve_ids(tx, "acts", bundles.iter().map(|b| b.acts.len()).sum()).await.map_err(store_err)?;
    let now = now_micros();

    let mut cases = Vec::with_capacity(bundles.len());
    let mut team = vec![];
    let mut history = vec![];
    let mut persons = vec![];
    let mut person_numbers = vec![];
    let mut acts = vec![];
    let mut victims = vec![];
    let mut perpetrators = vec![];
    let mut act_terms = vec![];
    let mut act_rights = vec![];
    let mut interventions = vec![];
    let intervention_ids =
        reserve_ids(tx, "interventions", bundles.iter().map(|b| b.interventions.len()).sum()).await.map_err(store_err)?;
    let (mut next_person, mut next_act) = (person_ids.into_iter(), act_ids.into_iter());
    let mut next_intervention = intervention_ids.into_iter();
    for (b, id) in bundles.iter().zip(case_ids.iter().copied()) {
        let number = next_number.get_mut(&(b.case.office_id, b.case.year)).ok_or(StoreError::NotFound)?;
        let reference = reference_number(&offices[&b.case.office_id], b.case.year, *number);
        *number += 1;
        let i = &b.case.input;
        for user in b.case.assigned.iter().collect::<BTreeSet<_>>() {
            team.push((id, *user));
        }
        history.push((id, None, CaseStatus::Received, b.case.created_by));
        let mut at = CaseStatus::Received;
        for to in &b.status_path {
            history.push((id, Some(at), *to, b.case.created_by));
            at = *to;
        }
        // People: codes V1, W1, ... by role, sealed under their own ids.
        let mut counters: std::collections::HashMap<PersonRole, i64> = std::collections::HashMap::new();
        let mut people = Vec::with_capacity(b.persons.len());
        for (profile, identity) in &b.persons {
            let person_id = next_person.next().ok_or(StoreError::NotFound)?;
            let n = counters.entry(profile.role).or_default();
            *n += 1;
            let code = format!("{}{n}", profile.role.code_letter());
            persons.push(PersonRow::new(keys, person_id, id, code, profile, identity));
            people.push(person_id);
        }
        for (role, last) in counters {
            person_numbers.push((id, role, last));
        }
        for act in &b.acts {
            let act_id = next_act.next().ok_or(StoreError::NotFound)?;
            acts.push(ActRow { id: act_id, case_id: id, input: &act.input, created_by: b.case.created_by, at: now });
            victims.extend(act.victims.iter().map(|v| (act_id, people[*v])));
            perpetrators.extend(act.perpetrators.iter().map(|p| (act_id, people[*p], &act.input.involvement)));
            act_terms.extend(act.input.extra_terms.iter().collect::<BTreeSet<_>>().into_iter().map(|(v, t)| (act_id, v, t)));
            act_rights.extend(act.input.rights.iter().map(|r| (act_id, &r.instrument_code, r.number)));
        }
        for iv in &b.interventions {
            let intervention_id = next_intervention.next().ok_or(StoreError::NotFound)?;
            interventions.push(InterventionRow { id: intervention_id, case_id: id, input: iv, created_by: b.case.created_by, at: now });
        }
        // The audit log is read by administrators who may not see a restricted
        // case: its summary says no more than that it exists.
        let opened = audit.clone().record("case", id).summary(match i.sensitivity {
            Sensitivity::Restricted => format!("opened {reference} (restricted)"),
            Sensitivity::Normal => format!("opened {reference} (normal, {})", i.province_code.as_deref().unwrap_or("no province")),
        });
        tx.audit(opened);
        let rest = audit.clone().record("case", id).summary(format!(
            "with {} people, {} acts, {} status changes, {} interventions (bulk, author user {})",
            b.persons.len(),
            b.acts.len(),
            b.status_path.len(),
            b.interventions.len(),
            b.case.created_by
        ));
        tx.audit(rest);
        tx.changed("cases", id, "insert");
        cases.push(CaseRow {
            id,
            reference,
            office_id: b.case.office_id,
            input: i,
            status: at,
            themes: themes_text(i),
            created_by: b.case.created_by,
            at: now,
        });
    }

    insert_table_rows(tx, &cases).await?;
    insert_rows(tx, "INSERT INTO case_assignments (case_id, user_id) ", 2, &team, |mut q, (case, user)| {
        q.push_bind(*case).push_bind(*user);
    })
    .await?;
    insert_rows(
        tx,
        "INSERT INTO case_status_history (case_id, from_status, to_status, reason, changed_by, changed_at) ",
        6,
        &history,
        |mut q, (case, from, to, by)| {
            q.push_bind(*case).push_bind(from.map(|f| f.as_str())).push_bind(to.as_str()).push_bind("").push_bind(*by).push_bind(now);
        },
    )
    .await?;
    insert_table_rows(tx, &persons).await?;
    insert_rows(
        tx,
        "INSERT INTO case_person_numbers (case_id, role, last_number) ",
        3,
        &person_numbers,
        |mut q, (case, role, last)| {
            q.push_bind(*case).push_bind(role.as_str()).push_bind(*last);
        },
    )
    .await?;
    insert_table_rows(tx, &acts).await?;
    insert_rows(tx, "INSERT INTO act_victims (act_id, person_id) ", 2, &victims, |mut q, (act, person)| {
        q.push_bind(*act).push_bind(*person);
    })
    .await?;
    insert_rows(
        tx,
        "INSERT INTO act_perpetrators (act_id, person_id, involvement) ",
        3,
        &perpetrators,
        |mut q, (act, person, involvement)| {
            q.push_bind(*act).push_bind(*person).push_bind(*involvement);
        },
    )
    .await?;
    insert_rows(tx, "INSERT INTO act_terms (act_id, vocabulary_code, term_code) ", 3, &act_terms, |mut q, (act, v, t)| {
        q.push_bind(*act).push_bind(*v).push_bind(*t);
    })
    .await?;
    insert_rows(
        tx,
        "INSERT INTO act_rights (act_id, instrument_code, article_number) ",
        3,
        &act_rights,
        |mut q, (act, code, number)| {
            q.push_bind(*act).push_bind(*code).push_bind(*number);
        },
    )
    .await?;
    insert_table_rows(tx, &interventions).await?;
    Ok(case_ids)
}
