//! The mechanisms themselves (treaty bodies, special procedures, the UPR).

use super::*;

#[derive(Template)]
#[template(path = "mechanisms/list.html")]
pub(crate) struct MechanismsPage {
    l: Layout,
    /// code, kind label, name
    rows: Vec<(String, String, String)>,
    can_edit: bool,
    form: rightsdesk_domain::mechanisms::MechanismFields,
    errors: FormErrors,
    kinds: Vec<(String, String)>,
}

pub(crate) async fn mechanisms_page(
    ctx: &Ctx,
    form: rightsdesk_domain::mechanisms::MechanismFields,
    errors: FormErrors,
) -> Result<Html<String>, PageError> {
    let tr = &ctx.tr;
    let rows = ctx
        .state
        .store
        .mechanisms()
        .await?
        .into_iter()
        .map(|m| {
            (
                m.code,
                tr.t(&format!("mechanism-kind-{}", m.kind.as_str().replace('_', "-"))),
                tr.pick(&m.name_en, &m.name_km).to_string(),
            )
        })
        .collect();
    let kinds = ["special_procedure", "treaty_body", "upr"]
        .iter()
        .map(|k| (k.to_string(), tr.t(&format!("mechanism-kind-{}", k.replace('_', "-")))))
        .collect();
    render(MechanismsPage {
        l: ctx.layout(tr.t("mechanisms-list-title")),
        rows,
        can_edit: ctx.allows(Action::Create, MODULE),
        form,
        errors,
        kinds,
    })
}

/// The mechanisms recommendations come from; the office adds special
/// procedure mandates as it deals with them.
pub async fn mechanisms_list(ctx: Ctx) -> Result<Html<String>, PageError> {
    ctx.require(Action::View, MODULE)?;
    mechanisms_page(&ctx, Default::default(), FormErrors::default()).await
}

pub async fn create_mechanism(
    ctx: Ctx,
    PageForm(f): PageForm<rightsdesk_domain::mechanisms::MechanismFields>,
) -> Result<Response, PageError> {
    ctx.require(Action::Create, MODULE)?;
    let errors = match f.parse() {
        Ok(m) => match ctx.state.store.create_mechanism(&m, &ctx.audit("mechanism.create")).await {
            Ok(()) => return Ok(Redirect::to("/mechanisms/mechanisms").into_response()),
            Err(rightsdesk_store::StoreError::Conflict(_)) => vec![ValidationError::new("code", "taken")],
            Err(e) => return Err(e.into()),
        },
        Err(errs) => errs,
    };
    let page = mechanisms_page(&ctx, f, FormErrors::from_validation(&ctx.tr, &errors)).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}
