//! Opening, editing, moving and staffing a case.

use super::*;

#[derive(Template)]
#[template(path = "monitoring/case_form.html")]
pub(crate) struct FormPage {
    l: Layout,
    action: String,
    f: CaseFields,
    start_approximate: bool,
    end_approximate: bool,
    provinces: Vec<(String, String)>,
    districts: Vec<(String, String)>,
    communes: Vec<(String, String)>,
    urgencies: Vec<(String, String)>,
    errors: FormErrors,
}

pub(crate) async fn form_page(
    ctx: &Ctx,
    title: String,
    action: String,
    f: CaseFields,
    errors: FormErrors,
) -> Result<Html<String>, PageError> {
    let store = &ctx.state.store;
    let tr = &ctx.tr;
    let districts = if f.province.len() == 2 {
        store
            .districts(&f.province)
            .await?
            .into_iter()
            .map(|d| (d.code.clone(), tr.pick(&d.name_en, &d.name_km).to_string()))
            .collect()
    } else {
        vec![]
    };
    let communes = if f.district.len() == 4 {
        store
            .communes(&f.district)
            .await?
            .into_iter()
            .map(|c| (c.code.clone(), tr.pick(&c.name_en, &c.name_km).to_string()))
            .collect()
    } else {
        vec![]
    };
    render(FormPage {
        l: ctx.layout(title),
        action,
        start_approximate: f.start_approximate.is_some(),
        end_approximate: f.end_approximate.is_some(),
        f,
        provinces: province_names(ctx).await?,
        districts,
        communes,
        urgencies: crate::choice_options!(&ctx.tr, Urgency),
        errors,
    })
}

pub async fn new_form(ctx: Ctx) -> Result<Html<String>, PageError> {
    ctx.require(Action::Create, Resource::Module(Module::Monitoring))?;
    form_page(&ctx, ctx.tr.t("case-new"), "/monitoring/cases".into(), CaseFields::default(), FormErrors::default())
        .await
}

/// Validates a case form, including that the places exist.
pub(crate) async fn validate(ctx: &Ctx, f: &CaseFields) -> Result<CaseInput, Vec<ValidationError>> {
    validate_fields(ctx.state.store.as_ref(), f).await
}

pub async fn create(ctx: Ctx, PageForm(f): PageForm<CaseFields>) -> Result<Response, PageError> {
    ctx.require(Action::Create, Resource::Module(Module::Monitoring))?;
    let me = ctx.me()?;
    let input = match validate(&ctx, &f).await {
        Ok(i) => i,
        Err(errs) => {
            let errors = FormErrors::from_validation(&ctx.tr, &errs);
            let page = form_page(&ctx, ctx.tr.t("case-new"), "/monitoring/cases".into(), f, errors).await?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
    };
    let year = (time::OffsetDateTime::now_utc()
        .to_offset(time::UtcOffset::from_hms(7, 0, 0).unwrap_or(time::UtcOffset::UTC)))
    .year();
    let new = NewCase { input, office_id: me.office_id, year, created_by: me.id, assigned: vec![me.id] };
    let case = ctx.state.store.create_case(&new, &ctx.audit("case.create")).await?;
    Ok(Redirect::to(&format!("/monitoring/cases/{}", case.id)).into_response())
}

pub(crate) fn fields_of(c: &Case) -> CaseFields {
    let approx = |d: &Option<FuzzyDate>| {
        d.as_ref()
            .filter(|d| d.precision == rightsdesk_domain::monitoring::DatePrecision::Approximate)
            .map(|_| "on".to_string())
    };
    CaseFields {
        title: c.title.clone(),
        summary: c.summary.clone(),
        sensitivity: c.sensitivity.as_str().into(),
        urgency: c.urgency.as_str().into(),
        province: c.province_code.clone().unwrap_or_default(),
        district: c.district_code.clone().unwrap_or_default(),
        commune: c.commune_code.clone().unwrap_or_default(),
        location_text: c.location_text.clone(),
        start_date: c.start.as_ref().map(|d| d.value.clone()).unwrap_or_default(),
        start_approximate: approx(&c.start),
        end_date: c.end.as_ref().map(|d| d.value.clone()).unwrap_or_default(),
        end_approximate: approx(&c.end),
        themes: c.themes.join(", "),
    }
}

pub async fn edit_form(ctx: Ctx, PagePath(id): PagePath<i64>) -> Result<Html<String>, PageError> {
    let c = load_case_for_form(&ctx, id, Action::WriteNarrative).await?;
    form_page(
        &ctx,
        ctx.tr.t1("case-edit", "reference", &c.reference),
        format!("/monitoring/cases/{id}"),
        fields_of(&c),
        FormErrors::default(),
    )
    .await
}

#[derive(Deserialize)]
pub struct CaseEditForm {
    #[serde(flatten)]
    fields: CaseFields,
    /// Replace names of the case's people in the narrative by their codes.
    #[serde(default)]
    replace_names: Option<String>,
}

pub async fn update(
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    PageForm(form): PageForm<CaseEditForm>,
) -> Result<Response, PageError> {
    let c = load_case(&ctx, id, Action::WriteNarrative).await?;
    let mut f = form.fields;
    // Names must not sit in the narrative in clear (nor, later, in the search index).
    let names = names_of(&ctx, &ctx.state.store.persons(id).await?)?;
    // Replacing shows which name is whose, so it is for those who see names.
    let replace = form.replace_names.is_some() && sees_names(&ctx, &c);
    if replace {
        f.summary = replace_names(&f.summary, &names);
    }
    let matcher = rightsdesk_domain::names::NameMatcher::new(&names);
    let found = matcher.codes_in(&f.summary);
    let mut errors = FormErrors::default();
    if !found.is_empty() {
        let key = if replace { "case-names-left" } else { "case-names-found" };
        errors.add("summary", names_found_message(&ctx, &c, key, &found));
    }
    // The title and the place, too.
    names_in_fields(&ctx, &c, &matcher, &[("title", &f.title), ("location_text", &f.location_text)], &mut errors);
    if !errors.is_empty() {
        let title = ctx.tr.t1("case-edit", "reference", &c.reference);
        let page = form_page(&ctx, title, format!("/monitoring/cases/{id}"), f, errors).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    }
    let input = match validate(&ctx, &f).await {
        Ok(i) => i,
        Err(errs) => {
            let errors = FormErrors::from_validation(&ctx.tr, &errs);
            let title = ctx.tr.t1("case-edit", "reference", &c.reference);
            let page = form_page(&ctx, title, format!("/monitoring/cases/{id}"), f, errors).await?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
    };
    ctx.state.store.update_case(id, &input, &ctx.audit("case.update")).await?;
    Ok(Redirect::to(&format!("/monitoring/cases/{id}")).into_response())
}

#[derive(Deserialize)]
pub struct StatusForm {
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    reason: String,
}

pub async fn change_status(
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    PageForm(f): PageForm<StatusForm>,
) -> Result<Response, PageError> {
    let c = load_case(&ctx, id, Action::WriteNarrative).await?;
    let me = ctx.me()?;
    let to = CaseStatus::parse(&f.to).ok_or(ErrorCode::BadRequest)?;
    // The form names the status it was shown at: a stale page cannot move the case.
    let from = CaseStatus::parse(&f.from).unwrap_or(c.status);
    if from != c.status {
        let msg = ctx.tr.t("case-status-changed-meanwhile");
        return Ok((StatusCode::CONFLICT, case_page(&ctx, c, Some(msg)).await?).into_response());
    }
    if let Err(e) = c.status.can_move_to(to, &f.reason) {
        let msg = crate::kit::field_message(&ctx.tr, &e);
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, case_page(&ctx, c, Some(msg)).await?).into_response());
    }
    let reason = f.reason.trim();
    let codes = case_matcher(&ctx, id).await?.codes_in(reason);
    if !codes.is_empty() {
        let msg = names_found_message(&ctx, &c, "case-names-found", &codes);
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, case_page(&ctx, c, Some(msg)).await?).into_response());
    }
    if reason.chars().count() > 2000 {
        let msg = ctx.tr.t("field-error-too-long");
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, case_page(&ctx, c, Some(msg)).await?).into_response());
    }
    let moved = ctx.state.store.transition_case(id, from, to, reason, me.id, &ctx.audit("case.status")).await?;
    if !moved {
        let msg = ctx.tr.t("case-status-changed-meanwhile");
        return Ok((StatusCode::CONFLICT, case_page(&ctx, c, Some(msg)).await?).into_response());
    }
    Ok(Redirect::to(&format!("/monitoring/cases/{id}")).into_response())
}

pub async fn set_team(
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    PageForm(pairs): PageForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let c = load_case(&ctx, id, Action::Update).await?;
    // Joining a team grants the names of the case's people, so only those who
    // already see them (the team and the head of office) change the team.
    ctx.require(Action::ViewIdentifying, Resource::Case(case_ref(ctx.user.as_ref().map(|u| u.id), &c)))?;
    let users = ctx.state.store.list_users().await?;
    let mut team = vec![];
    for (k, v) in pairs {
        if k == "member" {
            let uid: i64 = v.parse().map_err(|_| ErrorCode::BadRequest)?;
            // Only active officers of the case's office can join its team.
            let ok = users
                .iter()
                .any(|u| u.id == uid && u.office_id == c.office_id && !u.disabled && u.role.joins_case_teams());
            if !ok {
                return Err(ErrorCode::BadRequest.into());
            }
            team.push(uid);
        }
    }
    if team.is_empty() {
        let msg = ctx.tr.t("case-team-empty");
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, case_page(&ctx, c, Some(msg)).await?).into_response());
    }
    team.sort_unstable();
    team.dedup();
    ctx.state.store.set_case_team(id, &team, &ctx.audit("case.team")).await?;
    Ok(Redirect::to(&format!("/monitoring/cases/{id}")).into_response())
}

#[derive(Deserialize, Default)]
pub struct PlaceQuery {
    #[serde(default)]
    province: String,
    #[serde(default)]
    district: String,
}

#[derive(Template)]
#[template(path = "monitoring/place_options.html")]
pub(crate) struct PlaceOptions {
    empty_label: String,
    options: Vec<(String, String)>,
}

/// `<option>`s of the districts of a province, or the communes of a district
/// (htmx fills the next picker when one changes).
pub async fn place_options(ctx: Ctx, PageQuery(q): PageQuery<PlaceQuery>) -> Result<Html<String>, PageError> {
    ctx.require(Action::View, Resource::ReferenceData)?;
    let store = &ctx.state.store;
    let tr = &ctx.tr;
    let options = if !q.district.is_empty() {
        store
            .communes(&q.district)
            .await?
            .into_iter()
            .map(|c| (c.code.clone(), tr.pick(&c.name_en, &c.name_km).to_string()))
            .collect()
    } else if !q.province.is_empty() {
        store
            .districts(&q.province)
            .await?
            .into_iter()
            .map(|d| (d.code.clone(), tr.pick(&d.name_en, &d.name_km).to_string()))
            .collect()
    } else {
        vec![]
    };
    render(PlaceOptions { empty_label: tr.t("choose"), options })
}
