//! Acts: what was done to whom, with HURIDOCS terms and the rights at stake.

use super::*;

#[derive(Template)]
#[template(path = "monitoring/act_form.html")]
pub(crate) struct ActFormPage {
    l: Layout,
    c: Case,
    f: ActFields,
    act_types: Vec<(String, String)>,
    involvements: Vec<(String, String)>,
    victims: Vec<(i64, String, bool)>,
    perpetrators: Vec<(i64, String, bool)>,
    /// HURIDOCS types of acts, when the office has imported them: value
    /// (`vocabulary/term`) and label indented by level.
    huridocs_acts: Vec<(String, String)>,
    errors: FormErrors,
}

/// The articles of an act that the treaty texts do not have, as typed
/// (`ICCPR 99`): asked only after the store refused them, so a good act
/// costs no extra reads.
pub(crate) async fn unknown_articles(
    store: &dyn rightsdesk_store::Store,
    rights: &[rightsdesk_domain::monitoring::ArticleRef],
) -> Result<Vec<String>, rightsdesk_store::StoreError> {
    let mut unknown = vec![];
    let mut instruments: Vec<&str> = rights.iter().map(|r| r.instrument_code.as_str()).collect();
    instruments.dedup();
    for code in instruments {
        let known: Vec<i64> = store.articles(code).await?.into_iter().map(|a| a.number).collect();
        for r in rights.iter().filter(|r| r.instrument_code == code && !known.contains(&r.number)) {
            unknown.push(format!("{} {}", r.instrument_code, r.number));
        }
    }
    Ok(unknown)
}

pub(crate) async fn act_form(
    ctx: &Ctx,
    c: Case,
    f: ActFields,
    chosen: &[i64],
    errors: FormErrors,
) -> Result<Html<String>, PageError> {
    let tr = &ctx.tr;
    let persons = ctx.state.store.persons(c.id).await?;
    let pick = |role: PersonRole| -> Vec<(i64, String, bool)> {
        persons
            .iter()
            .filter(|p| p.profile.role == role)
            .map(|p| {
                let what = choice_label(
                    tr,
                    if role == PersonRole::Perpetrator { "perpetrator-type" } else { "person-kind" },
                    if role == PersonRole::Perpetrator { &p.profile.perpetrator_type } else { &p.profile.kind },
                );
                (p.id, format!("{} {}", p.code, what).trim().to_string(), chosen.contains(&p.id))
            })
            .collect()
    };
    render(ActFormPage {
        l: ctx.layout(tr.t1("act-add-title", "reference", &c.reference)),
        act_types: act_type_options(tr),
        involvements: rightsdesk_domain::monitoring::INVOLVEMENT
            .iter()
            .map(|v| (v.to_string(), choice_label(tr, "involvement", v)))
            .collect(),
        victims: pick(PersonRole::Victim),
        perpetrators: pick(PersonRole::Perpetrator),
        huridocs_acts: ctx
            .state
            .store
            .vocabulary_terms(HURIDOCS_ACTS)
            .await?
            .into_iter()
            .filter(|t| t.visible)
            .map(|t| {
                let indent = "\u{a0}\u{a0}".repeat(t.level.clamp(0, 8) as usize);
                (format!("{HURIDOCS_ACTS}/{}", t.code), format!("{indent}{}", tr.pick(&t.label_en, &t.label_km)))
            })
            .collect(),
        c,
        f,
        errors,
    })
}

pub async fn new_act_form(ctx: Ctx, PagePath(id): PagePath<i64>) -> Result<Html<String>, PageError> {
    let c = load_case_for_form(&ctx, id, Action::WriteNarrative).await?;
    act_form(&ctx, c, ActFields::default(), &[], FormErrors::default()).await
}

pub async fn add_act(
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    PageForm(pairs): PageForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let c = load_case(&ctx, id, Action::WriteNarrative).await?;
    let me = ctx.me()?.id;
    // Repeated fields (victim, perpetrator) and the rest of the form.
    let mut victims = vec![];
    let mut perpetrators = vec![];
    let mut rest = vec![];
    for (k, v) in pairs {
        match k.as_str() {
            "victim" => victims.push(v.parse::<i64>().map_err(|_| ErrorCode::BadRequest)?),
            "perpetrator" => perpetrators.push(v.parse::<i64>().map_err(|_| ErrorCode::BadRequest)?),
            _ => rest.push((k, v)),
        }
    }
    let f: ActFields = serde_urlencoded::from_str(&serde_urlencoded::to_string(&rest).unwrap_or_default())
        .map_err(|_| ErrorCode::BadRequest)?;
    let chosen: Vec<i64> = victims.iter().chain(perpetrators.iter()).copied().collect();
    let mut errs = match f.parse() {
        Ok(_) => vec![],
        Err(e) => e,
    };
    // Names must not enter act descriptions either.
    let mut errors = FormErrors::from_validation(&ctx.tr, &errs);
    let texts = [("description", f.description.as_str()), ("location_text", f.location_text.as_str())];
    names_in_fields(&ctx, &c, &case_matcher(&ctx, id).await?, &texts, &mut errors);
    let input = match f.parse() {
        Ok(i) if errors.is_empty() => i,
        _ => {
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, act_form(&ctx, c, f, &chosen, errors).await?).into_response())
        }
    };
    let rights = input.rights.clone();
    let new = rightsdesk_store::NewAct { case_id: id, input, victims, perpetrators, created_by: me };
    match ctx.state.store.add_act(&new, &ctx.audit("act.add")).await {
        Ok(_) => Ok(Redirect::to(&format!("/monitoring/cases/{id}#acts")).into_response()),
        Err(rightsdesk_store::StoreError::Constraint(what)) => {
            // An article that is not in the reference texts, or a person not of this case.
            let mut errors = FormErrors::default();
            if what.contains("person") {
                errs.push(ValidationError::new("victims", "invalid-choice"));
            } else if what.contains("act_terms") {
                errs.push(ValidationError::new("extra_term", "invalid-choice"));
            } else {
                let unknown = unknown_articles(ctx.state.store.as_ref(), &rights).await?;
                errors.add("rights", ctx.tr.t1("field-error-unknown-article", "articles", &unknown.join(", ")));
            }
            errors.extend(FormErrors::from_validation(&ctx.tr, &errs));
            Ok((StatusCode::UNPROCESSABLE_ENTITY, act_form(&ctx, c, f, &chosen, errors).await?).into_response())
        }
        Err(e) => Err(e.into()),
    }
}
