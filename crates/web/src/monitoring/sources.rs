//! Sources of information, their reliability and consent.

use super::*;

pub struct SourceRow {
    pub id: i64,
    pub code: String,
    pub received: String,
    pub method: String,
    pub reliability: String,
    pub validity: String,
    pub consent: String,
    pub withdrawn: String,
    pub information: String,
}

pub fn source_row(tr: &Tr, s: &rightsdesk_store::Source) -> SourceRow {
    SourceRow {
        id: s.id,
        code: s.person_code.clone().unwrap_or_else(|| "—".into()),
        received: tr.iso_date(&s.received),
        method: crate::choice_label!(tr, s.method),
        reliability: crate::choice_label!(tr, s.reliability),
        validity: crate::choice_label!(tr, s.validity),
        consent: crate::choice_label!(tr, s.consent),
        withdrawn: s.consent_withdrawn_on.as_ref().map(|d| tr.iso_date(&Some(d.clone()))).unwrap_or_default(),
        information: s.information.clone(),
    }
}

#[derive(Template)]
#[template(path = "monitoring/source_form.html")]
pub(crate) struct SourceFormPage {
    l: Layout,
    c: Case,
    f: rightsdesk_domain::monitoring::source::SourceFields,
    codes: Vec<String>,
    methods: Vec<(String, String)>,
    reliabilities: Vec<(String, String)>,
    validities: Vec<(String, String)>,
    consents: Vec<(String, String)>,
    errors: FormErrors,
}

pub(crate) async fn source_form(
    ctx: &Ctx,
    c: Case,
    f: rightsdesk_domain::monitoring::source::SourceFields,
    errors: FormErrors,
) -> Result<Html<String>, PageError> {
    use rightsdesk_domain::monitoring::source as src;
    let tr = &ctx.tr;
    let codes = ctx
        .state
        .store
        .persons(c.id)
        .await?
        .into_iter()
        .filter(|p| p.profile.role == PersonRole::Source)
        .map(|p| p.code)
        .collect();
    render(SourceFormPage {
        l: ctx.layout(tr.t1("source-add-title", "reference", &c.reference)),
        c,
        f,
        codes,
        methods: crate::choice_options!(tr, src::SourceMethod),
        reliabilities: crate::choice_options!(tr, src::Reliability),
        validities: crate::choice_options!(tr, src::Validity),
        consents: crate::choice_options!(tr, src::Consent),
        errors,
    })
}

pub async fn new_source_form(ctx: Ctx, PagePath(id): PagePath<i64>) -> Result<Html<String>, PageError> {
    let c = load_case_for_form(&ctx, id, Action::WriteNarrative).await?;
    let f = rightsdesk_domain::monitoring::source::SourceFields { received: today(), ..Default::default() };
    source_form(&ctx, c, f, FormErrors::default()).await
}

pub async fn add_source(
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    PageForm(f): PageForm<rightsdesk_domain::monitoring::source::SourceFields>,
) -> Result<Response, PageError> {
    let c = load_case(&ctx, id, Action::WriteNarrative).await?;
    let mut errs = match f.parse() {
        Ok(_) => vec![],
        Err(e) => e,
    };
    let mut errors = FormErrors::from_validation(&ctx.tr, &errs);
    names_in_fields(&ctx, &c, &case_matcher(&ctx, id).await?, &[("information", &f.information)], &mut errors);
    let input = match f.parse() {
        Ok(i) if errors.is_empty() => i,
        _ => return Ok((StatusCode::UNPROCESSABLE_ENTITY, source_form(&ctx, c, f, errors).await?).into_response()),
    };
    match ctx.state.store.add_source(id, &input, ctx.me()?.id, &ctx.audit("source.add")).await {
        Ok(_) => Ok(Redirect::to(&format!("/monitoring/cases/{id}#sources")).into_response()),
        Err(rightsdesk_store::StoreError::Constraint(_)) => {
            errs.push(ValidationError::new("person_code", "invalid-choice"));
            let errors = FormErrors::from_validation(&ctx.tr, &errs);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, source_form(&ctx, c, f, errors).await?).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct WithdrawForm {
    #[serde(default)]
    pub date: String,
    #[serde(default)]
    pub note: String,
}

/// Consent withdrawn: from that day the information leaves every export,
/// report and letter.
pub async fn withdraw_consent(
    ctx: Ctx,
    PagePath(sid): PagePath<i64>,
    PageForm(f): PageForm<WithdrawForm>,
) -> Result<Response, PageError> {
    let source = ctx.state.store.source(sid).await?.ok_or(ErrorCode::NotFound)?;
    let c = load_case(&ctx, source.case_id, Action::Update).await?;
    let day = if f.date.trim().is_empty() {
        Some(today())
    } else {
        rightsdesk_domain::monitoring::intervention::day("date", &f.date).ok().flatten()
    };
    let Some(day) = day else {
        let msg = ctx.tr.t("field-error-invalid-day");
        audit_restricted_read(&ctx, &c, "restricted case read (form)").await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, case_page(&ctx, c, Some(msg)).await?).into_response());
    };
    let note: String = f.note.trim().chars().take(2000).collect();
    // Anyone who may change the case records a withdrawal at once; a note
    // is free text, for those who see the names and checked for them
    // (decision 0011).
    if !note.is_empty() {
        ctx.require(Action::WriteNarrative, Resource::Case(case_ref(ctx.user.as_ref().map(|u| u.id), &c)))?;
        let mut errors = FormErrors::default();
        names_in_fields(&ctx, &c, &case_matcher(&ctx, c.id).await?, &[("note", &note)], &mut errors);
        if !errors.is_empty() {
            let msg = errors.get("note");
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, case_page(&ctx, c, Some(msg)).await?).into_response());
        }
    }
    ctx.state.store.withdraw_consent(sid, &day, &note, &ctx.audit("source.consent_withdrawn")).await?;
    Ok(Redirect::to(&format!("/monitoring/cases/{}#sources", c.id)).into_response())
}
