//! The people of a case (identifying fields encrypted).

use super::*;

#[derive(Template)]
#[template(path = "monitoring/person_form.html")]
pub(crate) struct PersonFormPage {
    l: Layout,
    c: Case,
    f: PersonFields,
    roles: Vec<(String, String)>,
    kinds: Vec<(String, String)>,
    sexes: Vec<(String, String)>,
    age_groups: Vec<(String, String)>,
    occupations: Vec<(String, String)>,
    disabilities: Vec<(String, String)>,
    perpetrator_types: Vec<(String, String)>,
    matches: Vec<(i64, String, String)>,
    errors: FormErrors,
}

pub(crate) fn person_form(
    ctx: &Ctx,
    c: Case,
    f: PersonFields,
    matches: Vec<(i64, String, String)>,
    errors: FormErrors,
) -> Result<Html<String>, PageError> {
    let tr = &ctx.tr;
    let roles =
        PersonRole::ALL.iter().map(|r| (r.as_str().to_string(), choice_label(tr, "person-role", r.as_str()))).collect();
    render(PersonFormPage {
        l: ctx.layout(tr.t1("person-add-title", "reference", &c.reference)),
        c,
        f,
        roles,
        kinds: options(tr, "person-kind", person_choices::KIND),
        sexes: options(tr, "sex", person_choices::SEX),
        age_groups: options(tr, "age-group", person_choices::AGE_GROUP),
        occupations: options(tr, "occupation", person_choices::OCCUPATION),
        disabilities: options(tr, "disability", person_choices::DISABILITY),
        perpetrator_types: options(tr, "perpetrator-type", person_choices::PERPETRATOR_TYPE),
        matches,
        errors,
    })
}

pub async fn new_person_form(ctx: Ctx, PagePath(id): PagePath<i64>) -> Result<Html<String>, PageError> {
    let c = load_case_for_form(&ctx, id, Action::Update).await?;
    person_form(&ctx, c, PersonFields { role: "victim".into(), ..Default::default() }, vec![], FormErrors::default())
}

#[derive(Deserialize)]
pub struct PersonForm {
    #[serde(flatten)]
    fields: PersonFields,
    /// The user saw the possible duplicates and adds the person anyway.
    #[serde(default)]
    confirm_duplicate: Option<String>,
}

pub async fn add_person(
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    PageForm(form): PageForm<PersonForm>,
) -> Result<Response, PageError> {
    let c = load_case(&ctx, id, Action::Update).await?;
    let (profile, identity) = match form.fields.parse() {
        Ok(v) => v,
        Err(errs) => {
            let errors = FormErrors::from_validation(&ctx.tr, &errs);
            return Ok(
                (StatusCode::UNPROCESSABLE_ENTITY, person_form(&ctx, c, form.fields, vec![], errors)?).into_response()
            );
        }
    };
    let store = &ctx.state.store;
    if form.confirm_duplicate.is_none() {
        let scope = case_scope(&ctx.actor).ok_or(ErrorCode::Forbidden)?;
        let bidx = rightsdesk_store::monitoring::person_name_bidx(&ctx.state.keys, &identity.name);
        let mut matches: Vec<(i64, String, String)> = store
            .person_matches(&bidx, &scope, id)
            .await?
            .into_iter()
            .map(|m| (m.case_id, m.reference, m.code))
            .collect();
        // People of this case with the same name count too (for those who see names).
        let here = if sees_names(&ctx, &c) { store.persons(id).await? } else { vec![] };
        for p in here {
            if rightsdesk_store::monitoring::person_name_bidx(
                &ctx.state.keys,
                &p.identity(&ctx.state.keys).unwrap_or_default().name,
            ) == bidx
            {
                matches.push((id, c.reference.clone(), p.code.clone()));
            }
        }
        if !matches.is_empty() {
            return Ok((StatusCode::CONFLICT, person_form(&ctx, c, form.fields, matches, FormErrors::default())?)
                .into_response());
        }
    }
    let person = store.add_person(id, &profile, &identity, &ctx.state.keys, &ctx.audit("person.add")).await?;
    Ok(Redirect::to(&format!("/monitoring/cases/{id}#person-{}", person.code)).into_response())
}
