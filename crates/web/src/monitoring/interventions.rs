//! Interventions with the authorities and recommendations raised.

use super::*;

#[derive(Template)]
#[template(path = "monitoring/intervention_form.html")]
pub(crate) struct InterventionFormPage {
    l: Layout,
    c: Case,
    action: String,
    f: rightsdesk_domain::monitoring::intervention::InterventionFields,
    organisations: Vec<(String, String)>,
    kinds: Vec<(String, String)>,
    statuses: Vec<(String, String)>,
    errors: FormErrors,
}

pub(crate) async fn intervention_form(
    ctx: &Ctx,
    c: Case,
    action: String,
    f: rightsdesk_domain::monitoring::intervention::InterventionFields,
    errors: FormErrors,
) -> Result<Html<String>, PageError> {
    use rightsdesk_domain::monitoring::intervention as iv;
    let tr = &ctx.tr;
    let organisations = ctx
        .state
        .store
        .organisations()
        .await?
        .into_iter()
        .map(|o| (o.id.to_string(), tr.pick(&o.name_en, &o.name_km).to_string()))
        .collect();
    render(InterventionFormPage {
        l: ctx.layout(tr.t1("intervention-title", "reference", &c.reference)),
        c,
        action,
        f,
        organisations,
        kinds: crate::choice_options!(tr, iv::InterventionKind),
        statuses: crate::choice_options!(tr, iv::InterventionStatus),
        errors,
    })
}

pub async fn new_intervention_form(ctx: Ctx, PagePath(id): PagePath<i64>) -> Result<Html<String>, PageError> {
    let c = load_case_for_form(&ctx, id, Action::WriteNarrative).await?;
    let f = rightsdesk_domain::monitoring::intervention::InterventionFields { date: today(), ..Default::default() };
    intervention_form(&ctx, c, format!("/monitoring/cases/{id}/interventions"), f, FormErrors::default()).await
}

pub async fn add_intervention(
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    PageForm(f): PageForm<rightsdesk_domain::monitoring::intervention::InterventionFields>,
) -> Result<Response, PageError> {
    let c = load_case(&ctx, id, Action::WriteNarrative).await?;
    let mut errors = match f.parse() {
        Ok(_) => FormErrors::default(),
        Err(errs) => FormErrors::from_validation(&ctx.tr, &errs),
    };
    let matcher = case_matcher(&ctx, c.id).await?;
    names_in_fields(&ctx, &c, &matcher, &[("request", &f.request), ("response", &f.response)], &mut errors);
    let input = match f.parse() {
        Ok(i) if errors.is_empty() => i,
        _ => {
            let page = intervention_form(&ctx, c, format!("/monitoring/cases/{id}/interventions"), f, errors).await?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
    };
    match ctx.state.store.add_intervention(id, &input, ctx.me()?.id, &ctx.audit("intervention.add")).await {
        Ok(_) => Ok(Redirect::to(&format!("/monitoring/cases/{id}#interventions")).into_response()),
        Err(rightsdesk_store::StoreError::Constraint(_)) => {
            let errors =
                FormErrors::from_validation(&ctx.tr, &[ValidationError::new("organisation_id", "invalid-choice")]);
            let page = intervention_form(&ctx, c, format!("/monitoring/cases/{id}/interventions"), f, errors).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct RaiseForm {
    pub intervention_id: String,
    pub recommendation_id: String,
}

/// Records that an intervention of this case raises a UN recommendation
/// (shown on the case and on the recommendation).
pub async fn raise_recommendation(
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    PageForm(f): PageForm<RaiseForm>,
) -> Result<Response, PageError> {
    let c = load_case(&ctx, id, Action::Update).await?;
    ctx.require(Action::View, Resource::Module(Module::Mechanisms))?;
    let store = ctx.state.store.as_ref();
    let iid: i64 = f.intervention_id.trim().parse().map_err(|_| ErrorCode::BadRequest)?;
    if !store.interventions(c.id).await?.iter().any(|i| i.id == iid) {
        return Err(ErrorCode::NotFound.into());
    }
    let rec = match f.recommendation_id.trim().parse::<i64>() {
        Ok(rid) => store.recommendation(rid).await?,
        Err(_) => None,
    };
    let Some(rec) = rec else {
        let page = case_page(&ctx, c, Some(ctx.tr.t("actions-no-such-recommendation"))).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    };
    store.link_intervention(rec.id, iid, &ctx.audit("intervention.raise")).await?;
    Ok(Redirect::to(&format!("/monitoring/cases/{id}#interventions")).into_response())
}

/// The intervention and its case, if the user may act on the case.
pub(crate) async fn load_intervention(
    ctx: &Ctx,
    iid: i64,
    action: Action,
) -> Result<(rightsdesk_store::Intervention, Case), PageError> {
    let i = ctx.state.store.intervention(iid).await?.ok_or(ErrorCode::NotFound)?;
    let c = load_case(ctx, i.case_id, action).await?;
    Ok((i, c))
}

pub async fn edit_intervention_form(ctx: Ctx, PagePath(iid): PagePath<i64>) -> Result<Html<String>, PageError> {
    let (i, c) = load_intervention(&ctx, iid, Action::WriteNarrative).await?;
    audit_restricted_read(&ctx, &c, "restricted case read (form)").await?;
    let f = rightsdesk_domain::monitoring::intervention::InterventionFields {
        organisation_id: i.organisation_id.to_string(),
        kind: i.kind.as_str().to_string(),
        date: i.date.unwrap_or_default(),
        request: i.request,
        status: i.status.as_str().to_string(),
        response_date: i.response_date.unwrap_or_default(),
        response: i.response,
        next_follow_up: i.next_follow_up.unwrap_or_default(),
    };
    intervention_form(&ctx, c, format!("/monitoring/interventions/{iid}"), f, FormErrors::default()).await
}

pub async fn update_intervention(
    ctx: Ctx,
    PagePath(iid): PagePath<i64>,
    PageForm(f): PageForm<rightsdesk_domain::monitoring::intervention::InterventionFields>,
) -> Result<Response, PageError> {
    let (_, c) = load_intervention(&ctx, iid, Action::WriteNarrative).await?;
    let case_id = c.id;
    let mut errors = match f.parse() {
        Ok(_) => FormErrors::default(),
        Err(errs) => FormErrors::from_validation(&ctx.tr, &errs),
    };
    let matcher = case_matcher(&ctx, c.id).await?;
    names_in_fields(&ctx, &c, &matcher, &[("request", &f.request), ("response", &f.response)], &mut errors);
    let input = match f.parse() {
        Ok(i) if errors.is_empty() => i,
        _ => {
            let page = intervention_form(&ctx, c, format!("/monitoring/interventions/{iid}"), f, errors).await?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
    };
    match ctx.state.store.update_intervention(iid, &input, &ctx.audit("intervention.update")).await {
        Ok(_) => Ok(Redirect::to(&format!("/monitoring/cases/{case_id}#interventions")).into_response()),
        Err(rightsdesk_store::StoreError::Constraint(_)) => {
            let errors =
                FormErrors::from_validation(&ctx.tr, &[ValidationError::new("organisation_id", "invalid-choice")]);
            let page = intervention_form(&ctx, c, format!("/monitoring/interventions/{iid}"), f, errors).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}
