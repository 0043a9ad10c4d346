//! The institutions and organisations interventions go to.

use super::*;

#[derive(Template)]
#[template(path = "monitoring/organisations.html")]
pub(crate) struct OrganisationsPage {
    l: Layout,
    rows: Vec<(String, String, String, i64)>,
    can_create: bool,
    f: OrganisationForm,
    kinds: Vec<(String, String)>,
    errors: FormErrors,
}

#[derive(Deserialize, Default)]
pub struct OrganisationForm {
    #[serde(default)]
    pub name_en: String,
    #[serde(default)]
    pub name_km: String,
    #[serde(default)]
    pub kind: String,
}

pub(crate) async fn organisations_page(
    ctx: &Ctx,
    f: OrganisationForm,
    errors: FormErrors,
) -> Result<Html<String>, PageError> {
    let tr = &ctx.tr;
    let rows = ctx
        .state
        .store
        .organisations()
        .await?
        .into_iter()
        .map(|o| (o.name_en, o.name_km, choice_label(tr, "organisation-kind", &o.kind), o.id))
        .collect();
    render(OrganisationsPage {
        l: ctx.layout(tr.t("organisations-title")),
        rows,
        can_create: ctx.allows(Action::Create, Resource::Module(Module::Monitoring)),
        f,
        kinds: rightsdesk_domain::engagement::StakeholderKind::ALL
            .iter()
            .map(|k| (k.as_str().to_string(), tr.t(&k.fluent_key())))
            .collect(),
        errors,
    })
}

pub async fn organisations(ctx: Ctx) -> Result<Html<String>, PageError> {
    ctx.require(Action::View, Resource::Module(Module::Monitoring))?;
    organisations_page(&ctx, OrganisationForm::default(), FormErrors::default()).await
}

pub async fn create_organisation(ctx: Ctx, PageForm(f): PageForm<OrganisationForm>) -> Result<Response, PageError> {
    ctx.require(Action::Create, Resource::Module(Module::Monitoring))?;
    let mut errs = vec![];
    let name_en = rightsdesk_domain::platform::required_text("name_en", &f.name_en, 200).map_err(|e| errs.push(e)).ok();
    let name_km = rightsdesk_domain::platform::required_text("name_km", &f.name_km, 200).map_err(|e| errs.push(e)).ok();
    if rightsdesk_domain::engagement::StakeholderKind::parse(f.kind.as_str()).is_none() {
        errs.push(ValidationError::new("kind", "invalid-choice"));
    }
    let (Some(name_en), Some(name_km), true) = (name_en, name_km, errs.is_empty()) else {
        let errors = FormErrors::from_validation(&ctx.tr, &errs);
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, organisations_page(&ctx, f, errors).await?).into_response());
    };
    let new = rightsdesk_store::NewOrganisation { name_en, name_km, kind: f.kind.clone() };
    match ctx.state.store.create_organisation(&new, &ctx.audit("organisation.create")).await {
        Ok(_) => Ok(Redirect::to("/monitoring/organisations").into_response()),
        Err(rightsdesk_store::StoreError::Conflict(_)) => {
            let mut errors = FormErrors::default();
            errors.add("name_en", ctx.tr.t("field-error-organisation-taken"));
            Ok((StatusCode::UNPROCESSABLE_ENTITY, organisations_page(&ctx, f, errors).await?).into_response())
        }
        Err(e) => Err(e.into()),
    }
}
