//! Exports of cases (CSV, XLSX, JSON).

use super::*;

#[derive(Deserialize, Default)]
pub struct ExportQuery {
    #[serde(flatten)]
    pub list: ListQuery,
    /// `csv` or `xlsx`.
    #[serde(default)]
    pub format: String,
    /// Include names and contacts (heads of office, for their own cases).
    #[serde(default)]
    pub names: String,
}

/// Most rows one export may hold; narrow the filters for more.
pub const EXPORT_LIMIT: i64 = 50_000;

/// The filtered case list as CSV or XLSX. Restricted cases the user may not
/// see are never in it; information whose source withdrew consent is left
/// out; names only with the permission and only for cases the user may see
/// names of. Every export is audited. A POST with the form's anti-forgery
/// token, so that no link from elsewhere can make a browser export (and
/// write an audit event) behind its user's back.
pub async fn export(ctx: Ctx, PageForm(q): PageForm<ExportQuery>) -> Result<Response, PageError> {
    use axum::http::header;
    ctx.require(Action::Export, Resource::Module(Module::Monitoring))?;
    let with_names = q.names == "1" || q.names == "on";
    if with_names {
        ctx.require(Action::ExportIdentifying, Resource::Module(Module::Monitoring))?;
    }
    let xlsx = match q.format.as_str() {
        "csv" | "" => false,
        "xlsx" => true,
        _ => return Err(ErrorCode::BadRequest.into()),
    };
    let scope = case_scope(&ctx.actor).ok_or(ErrorCode::Forbidden)?;
    let me = ctx.me()?.id;
    let store = ctx.state.store.as_ref();
    let mut filter = case_filter(store, scope, me, &q.list).await.map_err(|_| ErrorCode::BadRequest)?;
    filter.after = None;
    let (table, skipped) = export_table(&ctx, &mut filter, with_names).await?;
    let rows = table.rows.len();
    store
        .append_audit(&ctx.audit("case.export").record("export", "cases").summary(format!(
            "{rows} cases ({skipped} listed but not exportable by this user), {}, names {}, filters: {}",
            if xlsx { "xlsx" } else { "csv" },
            if with_names { "included" } else { "excluded" },
            list_query_string(&q.list)
        )))
        .await?;
    let stamp = today();
    let (body, mime, ext) = if xlsx {
        let bytes = rightsdesk_export::to_xlsx(&table, "Cases").map_err(|e| {
            tracing::error!(error = %e, "xlsx export failed");
            ErrorCode::Internal
        })?;
        (bytes, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx")
    } else {
        (rightsdesk_export::to_csv(&table), "text/csv; charset=utf-8", "csv")
    };
    let disposition = format!("attachment; filename=\"rightsdesk-cases-{stamp}.{ext}\"");
    Ok(([(header::CONTENT_TYPE, mime.to_string()), (header::CONTENT_DISPOSITION, disposition)], body).into_response())
}

pub(crate) async fn export_table(
    ctx: &Ctx,
    filter: &mut CaseFilter,
    with_names: bool,
) -> Result<(rightsdesk_export::Table, usize), PageError> {
    let store = ctx.state.store.as_ref();
    let me = ctx.me()?.id;
    let mut skipped = 0;
    let mut headers: Vec<String> = [
        "reference",
        "office",
        "title",
        "status",
        "sensitivity",
        "urgency",
        "province",
        "district",
        "commune",
        "place",
        "start_date",
        "end_date",
        "themes",
        "act_types",
        "rights",
        "victims",
        "victims_female",
        "victims_male",
        "perpetrator_types",
        "interventions",
        "open_follow_ups",
        "sources_usable",
        "summary",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    if with_names {
        headers.push("victim_names".into());
    }
    let mut rows = vec![];
    filter.limit = 500;
    'pages: loop {
        let page = store.list_cases(filter).await?;
        let Some(last) = page.last() else { break };
        filter.after = Some(filter.sort.cursor_of(last));
        for summary in &page {
            if rows.len() as i64 >= EXPORT_LIMIT {
                break 'pages;
            }
            let Some(c) = store.case(summary.id).await? else { continue };
            // Seeing a case is not leave to export it (other offices' cases).
            if !ctx.allows(Action::Export, Resource::Case(case_ref(Some(me), &c))) {
                skipped += 1;
                continue;
            }
            let persons = store.persons(c.id).await?;
            let acts = store.acts(c.id).await?;
            let interventions = store.interventions(c.id).await?;
            // Information whose source withdrew consent leaves every export.
            let sources = store.sources(c.id).await?;
            let victims: Vec<&PersonRecord> = persons.iter().filter(|p| p.profile.role == PersonRole::Victim).collect();
            let mut act_types: Vec<String> = acts.iter().map(|a| a.act_type.clone()).collect();
            act_types.dedup();
            let mut rights: Vec<String> = acts.iter().flat_map(|a| a.rights.iter().map(|r| r.label())).collect();
            rights.sort();
            rights.dedup();
            let mut perpetrator_types: Vec<String> = persons
                .iter()
                .filter(|p| p.profile.role == PersonRole::Perpetrator && !p.profile.perpetrator_type.is_empty())
                .map(|p| p.profile.perpetrator_type.clone())
                .collect();
            perpetrator_types.sort();
            perpetrator_types.dedup();
            let open = interventions.iter().filter(|i| i.status.is_open()).count();
            let usable = sources.iter().filter(|s| !s.withdrawn()).count();
            let mut row = vec![
                c.reference.clone(),
                c.office_code.clone(),
                c.title.clone(),
                c.status.as_str().to_string(),
                c.sensitivity.as_str().to_string(),
                c.urgency.as_str().to_string(),
                c.province_code.clone().unwrap_or_default(),
                c.district_code.clone().unwrap_or_default(),
                c.commune_code.clone().unwrap_or_default(),
                c.location_text.clone(),
                c.start.as_ref().map(|d| d.value.clone()).unwrap_or_default(),
                c.end.as_ref().map(|d| d.value.clone()).unwrap_or_default(),
                c.themes.join(", "),
                act_types.join(", "),
                rights.join(", "),
                victims.len().to_string(),
                victims.iter().filter(|v| v.profile.sex == "female").count().to_string(),
                victims.iter().filter(|v| v.profile.sex == "male").count().to_string(),
                perpetrator_types.join(", "),
                interventions.len().to_string(),
                open.to_string(),
                usable.to_string(),
                c.summary.clone(),
            ];
            if with_names {
                let cref = case_ref(Some(me), &c);
                let allowed = ctx.allows(Action::ViewIdentifying, Resource::Case(cref));
                let names = if allowed {
                    let mut list = vec![];
                    for v in &victims {
                        let who = v.identity(&ctx.state.keys).map_err(|_| ErrorCode::Internal)?;
                        list.push(format!("{}: {}", v.code, who.name));
                    }
                    list.join("; ")
                } else {
                    String::new()
                };
                row.push(names);
            }
            rows.push(row);
        }
    }
    Ok((rightsdesk_export::Table { headers, rows }, skipped))
}

// ---- Evidence --------------------------------------------------------------
