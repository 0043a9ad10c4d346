//! The page of one case.

use super::*;

pub struct HistoryRow {
    pub when: String,
    pub who: String,
    pub change: String,
    pub reason: String,
}

#[derive(Template)]
#[template(path = "monitoring/case_view.html")]
pub(crate) struct CasePage {
    l: Layout,
    c: Case,
    status: String,
    restricted: bool,
    sensitivity: String,
    urgency: String,
    place: String,
    start: String,
    end: String,
    team: Vec<String>,
    next: Vec<(String, String)>,
    reopen: bool,
    can_edit: bool,
    can_write: bool,
    history: Vec<HistoryRow>,
    members: Vec<(i64, String, bool)>,
    persons: Vec<PersonRow>,
    acts: Vec<ActRow>,
    interventions: Vec<InterventionRow>,
    sources: Vec<SourceRow>,
    evidence: Vec<EvidenceRow>,
    custody_actions: Vec<(String, String)>,
    show_names: bool,
    named_in_narrative: Vec<String>,
    /// UN recommendations this case bears on (id, mechanism and session, text).
    recommendations: Vec<(i64, String, String)>,
    /// Recommendations its interventions raise: (intervention date and addressee, recommendation id, heading, text).
    raised: Vec<(String, i64, String, String)>,
    /// Interventions to choose from when linking one to a recommendation: (id, date and addressee).
    intervention_choices: Vec<(i64, String)>,
    can_link_recommendations: bool,
    /// Draft laws linked to the case (id, title, stage), as the reader's law scope shows them.
    laws: Vec<(i64, String, String)>,
    /// Meetings of the dialogue log about the case (id, date, subject), for engagement staff.
    meetings: Vec<(i64, String, String)>,
    can_log_meeting: bool,
    /// The "find a recommendation" box of the raise form: its words, where it
    /// leads, and what it found.
    find: String,
    find_action: String,
    found: Vec<crate::mechanisms::service::RecommendationChoice>,
    error: Option<String>,
}

pub struct InterventionRow {
    pub id: i64,
    pub date: String,
    pub organisation: String,
    pub kind: String,
    pub request: String,
    pub status: String,
    pub response: String,
    pub next_follow_up: String,
    pub overdue: bool,
}

pub fn intervention_row(tr: &Tr, i: &rightsdesk_store::Intervention, today: &str) -> InterventionRow {
    let open = i.status.is_open();
    InterventionRow {
        id: i.id,
        date: tr.iso_date(&i.date),
        organisation: tr.pick(&i.organisation_en, &i.organisation_km).to_string(),
        kind: crate::choice_label!(tr, i.kind),
        request: i.request.clone(),
        status: crate::choice_label!(tr, i.status),
        response: i.response.clone(),
        next_follow_up: tr.iso_date(&i.next_follow_up),
        overdue: open && i.next_follow_up.as_deref().is_some_and(|d| d < today),
    }
}

pub struct ActRow {
    pub act_type: String,
    /// Labels of imported vocabulary terms (HURIDOCS).
    pub terms: Vec<String>,
    pub date: String,
    pub place: String,
    pub description: String,
    pub victims: String,
    pub perpetrators: String,
    pub rights: Vec<(String, String)>,
}

pub struct PersonRow {
    pub code: String,
    pub role: String,
    pub kind: String,
    pub name: String,
    pub aliases: String,
    pub contact: String,
    pub sex: String,
    pub age: String,
    pub occupation: String,
}

pub(crate) async fn case_page(ctx: &Ctx, c: Case, error: Option<String>) -> Result<Html<String>, PageError> {
    case_page_finding(ctx, c, error, String::new()).await
}

/// The case page with the words of its "find a recommendation" box.
pub(crate) async fn case_page_finding(
    ctx: &Ctx,
    c: Case,
    error: Option<String>,
    find: String,
) -> Result<Html<String>, PageError> {
    let store = &ctx.state.store;
    let tr = &ctx.tr;
    // The case's records in one round trip (they were a dozen statements).
    let rec = store.case_records(c.id).await?;
    let users = rec.staff;
    let name_of =
        |id: i64| users.iter().find(|u| u.id == id).map(|u| u.name.clone()).unwrap_or_else(|| format!("#{id}"));
    let history = rec
        .history
        .into_iter()
        .map(|h| HistoryRow {
            when: tr.datetime(h.changed_at),
            who: h.changed_by_name,
            change: match h.from_status {
                Some(from) => format!("{} → {}", status_label(tr, from), status_label(tr, h.to_status)),
                None => status_label(tr, h.to_status),
            },
            reason: h.reason,
        })
        .collect();
    let cref = case_ref(ctx.user.as_ref().map(|u| u.id), &c);
    let can_edit = ctx.allows(Action::Update, Resource::Case(cref));
    // Free text is written by those who see the names (decision 0011).
    let can_write = ctx.allows(Action::WriteNarrative, Resource::Case(cref));
    let show_names = ctx.allows(Action::ViewIdentifying, Resource::Case(cref));
    let records = rec.persons;
    let mut persons = vec![];
    // The names the narrative check looks for, from the identities opened
    // for the table (each is decrypted once per view).
    let mut looked_for = vec![];
    for p in &records {
        let who = if show_names {
            let who = p.identity(&ctx.state.keys).map_err(|e| {
                tracing::error!(person = p.id, error = %e, "identifying fields do not open");
                ErrorCode::Internal
            })?;
            looked_for.extend(p.names_in(&who));
            Some(who)
        } else {
            None
        };
        persons.push(PersonRow {
            code: p.code.clone(),
            role: choice_label(tr, "person-role", p.profile.role.as_str()),
            kind: choice_label(tr, "person-kind", &p.profile.kind),
            name: who.as_ref().map(|w| w.name.clone()).unwrap_or_default(),
            aliases: who.as_ref().map(|w| w.aliases.join("; ")).unwrap_or_default(),
            contact: who.as_ref().map(|w| w.contact.clone()).unwrap_or_default(),
            sex: choice_label(tr, "sex", &p.profile.sex),
            age: p
                .profile
                .age
                .map(|a| tr.num(a))
                .unwrap_or_else(|| choice_label(tr, "age-group", &p.profile.age_group)),
            occupation: choice_label(tr, "occupation", &p.profile.occupation),
        });
    }
    let acts = rec
        .acts
        .into_iter()
        .map(|a| ActRow {
            act_type: choice_label(tr, "act-type", &a.act_type),
            terms: a.terms.iter().map(|t| tr.pick(&t.label_en, &t.label_km).to_string()).collect(),
            date: date_label(tr, &a.date),
            place: a.location_text,
            description: a.description,
            victims: a.victims.join(", "),
            perpetrators: a
                .perpetrators
                .iter()
                .map(|(code, how)| format!("{code} ({})", choice_label(tr, "involvement", how)))
                .collect::<Vec<_>>()
                .join(", "),
            rights: a
                .rights
                .iter()
                .map(|r| (format!("/reference/instruments/{}#art-{}", r.instrument_code, r.number), r.label()))
                .collect(),
        })
        .collect();
    let day = today();
    let ivs = rec.interventions;
    let interventions = ivs.iter().map(|i| intervention_row(tr, i, &day)).collect();
    let sources = rec.sources.iter().map(|x| source_row(tr, x)).collect();
    let evidence = if show_names { evidence_rows(ctx, rec.evidence).await? } else { vec![] };
    if show_names && !records.is_empty() {
        store
            .append_audit(
                &ctx.audit("case.identifying_view")
                    .record("case", c.id)
                    .summary(format!("names of {} people shown", records.len())),
            )
            .await?;
    }
    // Names left in the narrative are flagged for the people who can edit it.
    let mut named_in_narrative: Vec<String> = if can_edit && show_names {
        names_in_text(&c.summary, &looked_for).into_iter().map(|(code, _)| code).collect()
    } else {
        vec![]
    };
    named_in_narrative.dedup();
    let next = c.status.next().iter().map(|s| (s.as_str().to_string(), status_label(tr, *s))).collect();
    // Officers of the case's office who could join its team.
    let members = users
        .iter()
        .filter(|u| u.office_id == c.office_id && !u.disabled && u.role.joins_case_teams())
        .map(|u| (u.id, u.name.clone(), c.assigned.contains(&u.id)))
        .collect();
    let recommendations = if ctx.allows(Action::View, Resource::Module(Module::Mechanisms)) {
        ctx.state
            .store
            .case_recommendations(c.id)
            .await?
            .into_iter()
            .map(|r| (r.id, format!("{} {}", r.mechanism_code, tr.digits(&r.session)), r.text))
            .collect()
    } else {
        vec![]
    };
    let can_link_recommendations = can_edit && ctx.allows(Action::View, Resource::Module(Module::Mechanisms));
    let label_of = |iid: i64| {
        ivs.iter()
            .find(|i| i.id == iid)
            .map(|i| format!("{} {}", tr.iso_date(&i.date), tr.pick(&i.organisation_en, &i.organisation_km)))
            .unwrap_or_default()
    };
    // Recommendations raised in an intervention: none without interventions.
    let raised = if !ivs.is_empty() && ctx.allows(Action::View, Resource::Module(Module::Mechanisms)) {
        store
            .case_intervention_recommendations(c.id)
            .await?
            .into_iter()
            .map(|(iid, r)| (label_of(iid), r.id, tr.t1("recommendation-title", "id", &tr.num(r.id)), r.text))
            .collect()
    } else {
        vec![]
    };
    let intervention_choices: Vec<_> = ivs.iter().map(|i| (i.id, label_of(i.id))).collect();
    let found = if can_link_recommendations && !intervention_choices.is_empty() {
        crate::mechanisms::service::recommendation_choices(ctx, &find).await?
    } else {
        vec![]
    };
    let laws = match rightsdesk_domain::law_scope(&ctx.actor) {
        Some(scope) => {
            let f = rightsdesk_store::legislation::LawFilter {
                scope: Some(scope),
                case_id: Some(c.id),
                limit: 100,
                ..Default::default()
            };
            store
                .list_laws(&f)
                .await?
                .iter()
                .map(|law| (law.id, crate::legislation::title(tr, law), crate::choice_label!(tr, law.stage)))
                .collect()
        }
        None => vec![],
    };
    let engagement = Resource::Module(Module::Engagement);
    let meetings = if ctx.allows(Action::View, engagement.clone()) {
        let f = rightsdesk_store::engagement::MeetingFilter { case_id: Some(c.id), limit: 100, ..Default::default() };
        store
            .list_meetings(&f)
            .await?
            .into_iter()
            .map(|m| (m.id, tr.iso_date(&Some(m.held_on.clone())), m.title))
            .collect()
    } else {
        vec![]
    };
    render(CasePage {
        laws,
        meetings,
        can_log_meeting: ctx.allows(Action::Create, engagement),
        find_action: format!("/monitoring/cases/{}#interventions", c.id),
        find,
        found,
        raised,
        intervention_choices,
        can_link_recommendations,
        recommendations,
        l: ctx.layout(c.reference.clone()),
        status: status_label(tr, c.status),
        restricted: c.sensitivity == Sensitivity::Restricted,
        sensitivity: sensitivity_label(tr, c.sensitivity),
        urgency: crate::choice_label!(tr, c.urgency),
        place: place_label(ctx, &c).await?,
        start: date_label(tr, &c.start),
        end: date_label(tr, &c.end),
        team: c.assigned.iter().map(|id| name_of(*id)).collect(),
        reopen: c.status == CaseStatus::Closed,
        next,
        can_edit,
        can_write,
        history,
        members,
        persons,
        acts,
        interventions,
        sources,
        evidence,
        custody_actions: CUSTODY_MANUAL.iter().map(|a| (a.to_string(), choice_label(tr, "custody", a))).collect(),
        show_names,
        named_in_narrative,
        error,
        c,
    })
}

pub async fn view(
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    PageQuery(q): PageQuery<crate::mechanisms::service::FindQuery>,
) -> Result<Html<String>, PageError> {
    let c = load_case(&ctx, id, Action::View).await?;
    case_page_finding(&ctx, c, None, q.find).await
}
