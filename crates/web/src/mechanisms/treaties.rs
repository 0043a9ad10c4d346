//! Treaties and ratification: a State's status under each core instrument,
//! what it has not yet joined, the individual complaints it accepts, and
//! its reservations and declarations.

use crate::auth::Ctx;
use crate::error::{ErrorCode, PageError};
use crate::extract::{PageForm, PagePath, PageQuery};
use crate::kit::{render, Layout};
use crate::platform::reference::status_label;
use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use rightsdesk_domain::reference::{CommitmentFields, COMPLAINT_PROTOCOLS};
use rightsdesk_domain::{Action, Module, Resource};
use rightsdesk_store::reference::HOME_STATE;
use serde::Deserialize;

const MODULE: Resource = Resource::Module(Module::Mechanisms);

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct StateQuery {
    pub state: String,
}

pub struct TreatyRow {
    pub code: String,
    pub title: String,
    pub status: String,
    pub party: bool,
    pub signature: String,
    pub consent: String,
    pub source: String,
    /// What is known of individual complaints under it, as shown.
    pub complaints: String,
    pub complaints_value: String,
    pub reservations: String,
    pub declarations: String,
}

#[derive(Template)]
#[template(path = "mechanisms/treaties.html")]
struct TreatiesPage {
    l: Layout,
    state: String,
    states: Vec<String>,
    summary: String,
    rows: Vec<TreatyRow>,
    can_edit: bool,
    error: Option<String>,
    complaint_options: Vec<(String, String)>,
}

async fn treaties_page(ctx: &Ctx, state: &str, error: Option<String>) -> Result<Html<String>, PageError> {
    let store = ctx.state.store.as_ref();
    let tr = &ctx.tr;
    let states = store.ratification_states().await?;
    if !states.iter().any(|s| s == state) {
        return Err(ErrorCode::NotFound.into());
    }
    let titles: std::collections::HashMap<String, String> =
        store.instruments().await?.into_iter().map(|i| (i.code, i.title)).collect();
    let ratifications = store.ratifications(state).await?;
    let commitments = store.treaty_commitments(state).await?;
    let party = |code: &str| ratifications.iter().any(|r| r.instrument_code == code && r.status.is_party());
    let mut rows: Vec<TreatyRow> = ratifications
        .iter()
        .map(|r| {
            let c = commitments.iter().find(|c| c.instrument_code == r.instrument_code);
            // Complaints under a treaty come with its optional protocol, or
            // by a declaration the office records.
            let protocol = COMPLAINT_PROTOCOLS.iter().find(|(_, parent)| *parent == r.instrument_code).map(|(p, _)| *p);
            let recorded = c.map(|c| c.individual_complaints.clone()).unwrap_or_else(|| "unknown".into());
            let complaints = match protocol {
                Some(p) if party(p) => tr.t1("treaty-complaints-protocol", "protocol", p),
                _ => tr.t(&format!("treaty-complaints-{}", recorded.replace('_', "-"))),
            };
            TreatyRow {
                code: r.instrument_code.clone(),
                title: titles.get(&r.instrument_code).cloned().unwrap_or_default(),
                status: status_label(tr, r.status),
                party: r.status.is_party(),
                signature: tr.iso_date(&r.signature_date),
                consent: tr.iso_date(&r.consent_date),
                source: r.source.clone(),
                complaints,
                complaints_value: recorded,
                reservations: c.map(|c| c.reservations.clone()).unwrap_or_default(),
                declarations: c.map(|c| c.declarations.clone()).unwrap_or_default(),
            }
        })
        .collect();
    rows.sort_by_key(|r| r.party);
    let not_party = rows.iter().filter(|r| !r.party).count() as i64;
    render(TreatiesPage {
        l: ctx.layout(tr.t1("treaties-title", "state", state)),
        summary: tr.ta("treaties-not-party", &[("state", state.to_string()), ("count", tr.num(not_party))]),
        state: state.to_string(),
        states,
        rows,
        can_edit: ctx.allows(Action::Update, MODULE),
        error,
        complaint_options: ["unknown", "accepted", "not_accepted"]
            .iter()
            .map(|v| (v.to_string(), tr.t(&format!("treaty-complaints-{}", v.replace('_', "-")))))
            .collect(),
    })
}

/// A State's status under each core instrument, those not yet joined first.
pub async fn treaties(ctx: Ctx, PageQuery(q): PageQuery<StateQuery>) -> Result<Html<String>, PageError> {
    ctx.require(Action::View, MODULE)?;
    let state = if q.state.trim().is_empty() { HOME_STATE.to_string() } else { q.state.trim().to_string() };
    treaties_page(&ctx, &state, None).await
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct CommitmentForm {
    pub state: String,
    #[serde(flatten)]
    pub fields: CommitmentFields,
}

pub async fn set_commitment(
    ctx: Ctx,
    PagePath(code): PagePath<String>,
    PageForm(f): PageForm<CommitmentForm>,
) -> Result<Response, PageError> {
    ctx.require(Action::Update, MODULE)?;
    let store = ctx.state.store.as_ref();
    let state = f.state.trim().to_string();
    if !store.ratifications(&state).await?.iter().any(|r| r.instrument_code == code) {
        return Err(ErrorCode::NotFound.into());
    }
    match f.fields.parse() {
        Ok(fields) => {
            store.set_treaty_commitment(&code, &state, &fields, ctx.me()?.id, &ctx.audit("treaty.commitment")).await?;
            let q = serde_urlencoded::to_string([("state", state.as_str())]).unwrap_or_default();
            Ok(Redirect::to(&format!("/mechanisms/treaties?{q}#{code}")).into_response())
        }
        Err(errs) => {
            let message = errs.iter().map(|e| crate::kit::field_message(&ctx.tr, e)).collect::<Vec<_>>().join(" ");
            let page = treaties_page(&ctx, &state, Some(message)).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}
