//! The page of one recommendation: assessments, details, progress updates, linked cases.

use super::*;

pub struct AssessmentRow {
    pub status: String,
    pub assessed_on: String,
    pub evidence: String,
    pub source: String,
    pub assessor: String,
}

pub struct LinkedCase {
    pub id: i64,
    pub reference: String,
    pub title: String,
    pub status: String,
    pub restricted: bool,
}

#[derive(Template)]
#[template(path = "mechanisms/recommendation.html")]
pub(crate) struct RecommendationPage {
    l: Layout,
    r: Recommendation,
    mechanism: String,
    /// Session and cycle, as shown.
    session: String,
    response: String,
    status: String,
    issued_on: String,
    assessments: Vec<AssessmentRow>,
    institutions: Vec<String>,
    cases: Option<Vec<LinkedCase>>,
    can_edit: bool,
    f: Forms,
    statuses: Vec<(String, String)>,
    /// (goal, target code) of the SDG targets.
    sdg: Vec<(String, String)>,
    groups: Vec<String>,
    /// The details form: groups and institutions with whether they are ticked.
    group_options: Vec<(String, String, bool)>,
    institution_options: Vec<(i64, String, bool)>,
    cluster_names: Vec<String>,
    /// The office's view (assessments, cases, editing); a focal point sees
    /// the recommendation and their institution's updates only.
    office_view: bool,
    can_submit_update: bool,
    updates: Vec<UpdateRow>,
    /// (id, title, status) of the implementation actions serving it.
    actions: Vec<(i64, String, String)>,
    /// Interventions that raised it, on cases the user may see:
    /// (case id, date, addressee, request).
    interventions: Vec<(i64, String, String, String)>,
    /// Draft laws that would implement it, as the reader's law scope shows them: (id, title, stage).
    laws: Vec<(i64, String, String)>,
}

pub struct UpdateRow {
    pub id: i64,
    pub organisation: String,
    pub by: String,
    pub submitted: String,
    pub status: String,
    pub text: String,
    /// `submitted`, `accepted` or `returned`, as shown.
    pub review: String,
    pub pending: bool,
    pub comment: String,
}

pub(crate) fn update_row(tr: &Tr, u: rightsdesk_store::ProgressUpdate) -> UpdateRow {
    UpdateRow {
        id: u.id,
        organisation: u.organisation_name,
        by: u.submitted_by_name,
        submitted: tr.date(u.submitted_at),
        status: implementation_label(tr, u.status),
        text: u.text,
        review: tr.t(&format!("update-review-{}", u.review)),
        pending: u.review == "submitted",
        comment: u.review_comment,
    }
}

/// What a focal point types in the progress update form.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct UpdateFields {
    pub status: String,
    pub text: String,
}

/// What the forms of the recommendation page hold when it is shown again.
#[derive(Default)]
pub struct Forms {
    pub assessment: AssessmentFields,
    pub assessment_errors: FormErrors,
    pub link_reference: String,
    pub link_error: Option<String>,
    /// As typed, when the details form comes back with errors.
    pub details: Option<rightsdesk_domain::mechanisms::RecommendationDetailsFields>,
    pub details_errors: FormErrors,
    pub update: UpdateFields,
    pub update_errors: FormErrors,
}

pub fn group_label(tr: &Tr, g: &str) -> String {
    tr.t(&format!("group-{}", g.replace('_', "-")))
}

pub(crate) async fn recommendation_page(ctx: &Ctx, r: Recommendation, mut f: Forms) -> Result<Html<String>, PageError> {
    let store = ctx.state.store.as_ref();
    let tr = &ctx.tr;
    let mechanism = store
        .mechanisms()
        .await?
        .into_iter()
        .find(|m| m.code == r.mechanism_code)
        .map(|m| tr.pick(&m.name_en, &m.name_km).to_string())
        .unwrap_or_else(|| r.mechanism_code.clone());
    let assessments = store
        .assessments(r.id)
        .await?
        .into_iter()
        .map(|a| AssessmentRow {
            status: implementation_label(tr, a.status),
            assessed_on: tr.iso_date(&Some(a.assessed_on)),
            evidence: a.evidence,
            source: a.source,
            assessor: a.assessor_name,
        })
        .collect();
    // One read of the institutions: shown, ticked in the form, and what the
    // policy needs to know about a focal point.
    let current = store.institutions(r.id).await?;
    let institutions = current.iter().map(|o| tr.pick(&o.name_en, &o.name_km).to_string()).collect();
    // Cases only for those who work in monitoring, and only those they may see.
    let cases = match case_scope(&ctx.actor) {
        Some(scope) => Some(
            store
                .linked_cases(r.id, &scope)
                .await?
                .into_iter()
                .map(|c| LinkedCase {
                    id: c.id,
                    reference: c.reference,
                    title: c.title,
                    status: case_status_label(tr, c.status),
                    restricted: c.sensitivity == rightsdesk_domain::monitoring::Sensitivity::Restricted,
                })
                .collect(),
        ),
        None => None,
    };
    let details = f.details.take().unwrap_or_else(|| rightsdesk_domain::mechanisms::RecommendationDetailsFields {
        themes: r.themes.join(", "),
        sdg_targets: r.sdg_targets.join(", "),
        affected_groups: r.affected_groups.clone(),
        cluster: r.cluster.clone().unwrap_or_default(),
        institutions: current.iter().map(|o| o.id).collect(),
    });
    let group_options = rightsdesk_domain::mechanisms::AFFECTED_GROUPS
        .iter()
        .map(|g| (g.to_string(), group_label(tr, g), details.affected_groups.iter().any(|x| x == g)))
        .collect();
    let institution_options = store
        .organisations()
        .await?
        .into_iter()
        .map(|o| (o.id, tr.pick(&o.name_en, &o.name_km).to_string(), details.institutions.contains(&o.id)))
        .collect();
    let cluster_names = store.clusters().await?.into_iter().map(|c| c.name).collect();
    f.details = Some(details);
    let institution = recommendation_scope(&ctx.actor).and_then(|s| s.institution);
    let updates = store.progress_updates(r.id, institution).await?.into_iter().map(|u| update_row(tr, u)).collect();
    let own = ctx.user.as_ref().and_then(|u| u.organisation_id);
    let rref = RecommendationRef { assigned_to_actor: own.is_some_and(|o| current.iter().any(|i| i.id == o)) };
    let can_submit_update = institution.is_some() && ctx.allows(Action::Create, Resource::Recommendation(rref));
    let actions = if ctx.allows(Action::View, Resource::ImplementationActions) {
        store
            .recommendation_actions(r.id)
            .await?
            .into_iter()
            .map(|a| (a.id, a.title, actions::action_status_label(tr, &a.status)))
            .collect()
    } else {
        vec![]
    };
    let interventions = match case_scope(&ctx.actor) {
        Some(scope) => store
            .recommendation_interventions(r.id, &scope)
            .await?
            .into_iter()
            .map(|i| {
                (
                    i.case_id,
                    tr.iso_date(&i.date),
                    tr.pick(&i.organisation_en, &i.organisation_km).to_string(),
                    i.request,
                )
            })
            .collect(),
        None => vec![],
    };
    let laws = match rightsdesk_domain::law_scope(&ctx.actor) {
        Some(scope) => {
            let f = rightsdesk_store::legislation::LawFilter {
                scope: Some(scope),
                recommendation_id: Some(r.id),
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
    render(RecommendationPage {
        laws,
        actions,
        interventions,
        office_view: institution.is_none(),
        can_submit_update,
        updates,
        sdg: r.sdg_targets.iter().map(|t| (t.split('.').next().unwrap_or_default().to_string(), t.clone())).collect(),
        groups: r.affected_groups.iter().map(|g| group_label(tr, g)).collect(),
        group_options,
        institution_options,
        cluster_names,
        l: ctx.layout(tr.t1("recommendation-title", "id", &tr.num(r.id))),
        mechanism,
        session: match (r.session.is_empty(), r.cycle) {
            (true, _) => String::new(),
            (false, Some(c)) => format!("{} · {}", tr.digits(&r.session), tr.t1("cycle-number", "cycle", &tr.num(c))),
            (false, None) => tr.digits(&r.session),
        },
        response: response_label(tr, r.response),
        status: implementation_label(tr, r.status),
        issued_on: tr.iso_date(&r.issued_on),
        assessments,
        institutions,
        cases,
        can_edit: ctx.allows(Action::Update, MODULE),
        f,
        statuses: status_options(tr),
        r,
    })
}

pub(crate) async fn load(ctx: &Ctx, id: i64) -> Result<Recommendation, PageError> {
    Ok(ctx.state.store.recommendation(id).await?.ok_or(ErrorCode::NotFound)?)
}

/// The recommendation, if the policy lets this user do `action` on it; one
/// they may not see answers 404, like one that does not exist.
pub(crate) async fn load_for(ctx: &Ctx, id: i64, action: Action) -> Result<Recommendation, PageError> {
    let r = ctx.state.store.recommendation(id).await?;
    let rref = recommendation_ref(ctx.state.store.as_ref(), ctx.user.as_ref(), id).await?;
    ctx.require(action, Resource::Recommendation(rref))?;
    r.ok_or_else(|| ErrorCode::NotFound.into())
}

pub(crate) fn blank_assessment() -> AssessmentFields {
    AssessmentFields { assessed_on: crate::kit::today(), ..Default::default() }
}

pub async fn recommendation(ctx: Ctx, PagePath(id): PagePath<i64>) -> Result<Html<String>, PageError> {
    let r = load_for(&ctx, id, Action::View).await?;
    recommendation_page(&ctx, r, Forms { assessment: blank_assessment(), ..Default::default() }).await
}

pub async fn add_assessment(
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    PageForm(f): PageForm<AssessmentFields>,
) -> Result<Response, PageError> {
    ctx.require(Action::Update, MODULE)?;
    let r = load(&ctx, id).await?;
    match f.parse() {
        Ok(input) => {
            ctx.state.store.add_assessment(id, &input, ctx.me()?.id, &ctx.audit("recommendation.assess")).await?;
            Ok(Redirect::to(&format!("/mechanisms/recommendations/{id}#assessments")).into_response())
        }
        Err(errs) => {
            let errors = FormErrors::from_validation(&ctx.tr, &errs);
            let forms = Forms { assessment: f, assessment_errors: errors, ..Default::default() };
            let page = recommendation_page(&ctx, r, forms).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

/// A focal point reports progress on a recommendation of their institution.
pub async fn submit_update(
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    PageForm(f): PageForm<UpdateFields>,
) -> Result<Response, PageError> {
    let r = load_for(&ctx, id, Action::Create).await?;
    let me = ctx.me()?.clone();
    // Office staff assess directly; updates come from an institution.
    let Some(org) = me.organisation_id else {
        return Err(ErrorCode::Forbidden.into());
    };
    let mut errors = vec![];
    let status = ImplementationStatus::parse(f.status.trim());
    if status.is_none() {
        errors.push(ValidationError::new("status", "invalid-choice"));
    }
    let text = f.text.trim().to_string();
    if text.is_empty() {
        errors.push(ValidationError::new("text", "required"));
    } else if text.chars().count() > 5000 {
        errors.push(ValidationError::new("text", "too-long"));
    }
    let Some(status) = status.filter(|_| errors.is_empty()) else {
        let forms =
            Forms { update_errors: FormErrors::from_validation(&ctx.tr, &errors), update: f, ..Default::default() };
        let page = recommendation_page(&ctx, r, forms).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    };
    ctx.state.store.submit_progress_update(id, org, me.id, status, &text, &ctx.audit("recommendation.update")).await?;
    Ok(Redirect::to(&format!("/mechanisms/recommendations/{id}#updates")).into_response())
}

/// Saves what the office adds to a recommendation: themes, SDG targets,
/// affected groups, cluster and responsible institutions.
pub async fn update_details(
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    PageForm(pairs): PageForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    ctx.require(Action::Update, MODULE)?;
    let r = load(&ctx, id).await?;
    let mut fields = rightsdesk_domain::mechanisms::RecommendationDetailsFields::default();
    for (k, v) in pairs {
        match k.as_str() {
            "themes" => fields.themes = v,
            "sdg_targets" => fields.sdg_targets = v,
            "cluster" => fields.cluster = v,
            "affected_group" => fields.affected_groups.push(v),
            // A value that is not an id is no known institution: the store refuses it.
            "institution" => fields.institutions.push(v.trim().parse().unwrap_or(-1)),
            _ => {}
        }
    }
    let refuse = |errs: Vec<ValidationError>, fields| {
        let forms = Forms {
            assessment: blank_assessment(),
            details: Some(fields),
            details_errors: FormErrors::from_validation(&ctx.tr, &errs),
            ..Default::default()
        };
        let r = r.clone();
        let ctx = &ctx;
        async move {
            let page = recommendation_page(ctx, r, forms).await?;
            Ok::<_, PageError>((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    };
    let details = match fields.parse() {
        Ok(d) => d,
        Err(errs) => return refuse(errs, fields).await,
    };
    // Checked here, not left to the foreign key: SQLite does not say which key failed.
    let known: Vec<i64> = ctx.state.store.organisations().await?.iter().map(|o| o.id).collect();
    if details.institutions.iter().any(|i| !known.contains(i)) {
        return refuse(vec![ValidationError::new("institutions", "invalid-choice")], fields).await;
    }
    match ctx.state.store.update_recommendation_details(id, &details, &ctx.audit("recommendation.details")).await {
        Ok(()) => Ok(Redirect::to(&format!("/mechanisms/recommendations/{id}")).into_response()),
        // An SDG target that does not exist (institutions were checked above).
        Err(rightsdesk_store::StoreError::Constraint(_)) => {
            refuse(vec![ValidationError::new("sdg_targets", "invalid-choice")], fields).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Debug, Deserialize)]
pub struct LinkCaseForm {
    #[serde(default)]
    pub reference: String,
}

/// Links a case by its reference. A case the user may not see gets the
/// same answer as one that does not exist.
pub async fn link_case(
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    PageForm(f): PageForm<LinkCaseForm>,
) -> Result<Response, PageError> {
    ctx.require(Action::Update, MODULE)?;
    let r = load(&ctx, id).await?;
    let reference = f.reference.trim().to_uppercase();
    let store = ctx.state.store.as_ref();
    let found =
        if reference.is_empty() || reference.len() > 40 { None } else { store.case_by_reference(&reference).await? };
    let me = ctx.me()?.id;
    // Only a case this user may change (a link shows on the case and in its
    // trail); one they may not see gets the same answer as a missing one.
    match found.filter(|c| ctx.allows(Action::Update, Resource::Case(case_ref(Some(me), c)))) {
        Some(c) => {
            store.link_case(id, c.id, me, &ctx.audit("recommendation.link_case")).await?;
            Ok(Redirect::to(&format!("/mechanisms/recommendations/{id}#cases")).into_response())
        }
        None => {
            let message = Some(ctx.tr.t("recommendation-case-not-found"));
            let forms = Forms {
                assessment: blank_assessment(),
                link_reference: f.reference,
                link_error: message,
                ..Default::default()
            };
            let page = recommendation_page(&ctx, r, forms).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

pub async fn unlink_case(
    ctx: Ctx,
    PagePath((id, case_id)): PagePath<(i64, i64)>,
    PageForm(_): PageForm<serde::de::IgnoredAny>,
) -> Result<Response, PageError> {
    ctx.require(Action::Update, MODULE)?;
    let c = ctx.state.store.case(case_id).await?.ok_or(ErrorCode::NotFound)?;
    // A link shows on the case and writes to its trail: only those who may change the case.
    ctx.require(Action::Update, Resource::Case(case_ref(Some(ctx.me()?.id), &c)))?;
    match ctx.state.store.unlink_case(id, case_id, &ctx.audit("recommendation.unlink_case")).await {
        Ok(()) | Err(rightsdesk_store::StoreError::NotFound) => {
            Ok(Redirect::to(&format!("/mechanisms/recommendations/{id}#cases")).into_response())
        }
        Err(e) => Err(e.into()),
    }
}
