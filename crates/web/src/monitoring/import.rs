//! Importing cases from a spreadsheet.

use super::*;

/// Columns a case import understands (the header row names them).
pub const IMPORT_COLUMNS: &[&str] = &[
    "title",
    "summary",
    "sensitivity",
    "urgency",
    "province",
    "district",
    "commune",
    "location_text",
    "start_date",
    "end_date",
    "themes",
];

pub struct ImportProblem {
    pub line: usize,
    pub column: String,
    pub message: String,
}

#[derive(Template)]
#[template(path = "monitoring/import.html")]
pub(crate) struct ImportPage {
    l: Layout,
    columns: Vec<&'static str>,
    problems: Vec<ImportProblem>,
    outcome: Option<String>,
}

pub async fn import_form(ctx: Ctx) -> Result<Html<String>, PageError> {
    ctx.require(Action::Create, Resource::Module(Module::Monitoring))?;
    render(ImportPage {
        l: ctx.layout(ctx.tr.t("import-title")),
        columns: IMPORT_COLUMNS.to_vec(),
        problems: vec![],
        outcome: None,
    })
}

/// Checks every row; returns the cases to open or every problem with its
/// line and column.
pub async fn check_import(
    ctx: &Ctx,
    table: &rightsdesk_export::ReadTable,
    office_id: i64,
    year: i32,
    by: i64,
) -> Result<Vec<NewCase>, Vec<ImportProblem>> {
    let mut problems = vec![];
    let column = |i: usize, name: &str| format!("{} ({name})", rightsdesk_export::column_name(i));
    for (i, h) in table.headers.iter().enumerate() {
        if !IMPORT_COLUMNS.contains(&h.as_str()) {
            problems.push(ImportProblem { line: 1, column: column(i, h), message: ctx.tr.t("import-unknown-column") });
        }
    }
    if !table.headers.iter().any(|h| h == "title") {
        problems.push(ImportProblem { line: 1, column: "title".into(), message: ctx.tr.t("import-missing-title") });
    }
    if table.rows.is_empty() {
        problems.push(ImportProblem { line: 2, column: String::new(), message: ctx.tr.t("import-empty") });
    }
    let mut cases = vec![];
    for (line, cells) in &table.rows {
        let get = |name: &str| {
            table
                .headers
                .iter()
                .position(|h| h == name)
                .and_then(|i| cells.get(i))
                .map(|c| c.trim().to_string())
                .unwrap_or_default()
        };
        if cells.len() > table.headers.len() {
            problems.push(ImportProblem {
                line: *line,
                column: column(table.headers.len(), "?"),
                message: ctx.tr.t("import-extra-cells"),
            });
            continue;
        }
        let f = CaseFields {
            title: get("title"),
            summary: get("summary"),
            sensitivity: get("sensitivity"),
            urgency: get("urgency"),
            province: get("province"),
            district: get("district"),
            commune: get("commune"),
            location_text: get("location_text"),
            start_date: get("start_date"),
            end_date: get("end_date"),
            themes: get("themes"),
            ..Default::default()
        };
        match validate_fields(ctx.state.store.as_ref(), &f).await {
            Ok(input) => cases.push(NewCase { input, office_id, year, created_by: by, assigned: vec![by] }),
            Err(errs) => {
                for e in errs {
                    let name = e.field;
                    let idx = table.headers.iter().position(|h| h == name).unwrap_or(0);
                    problems.push(ImportProblem {
                        line: *line,
                        column: column(idx, name),
                        message: crate::kit::field_message(&ctx.tr, &e),
                    });
                }
            }
        }
    }
    if problems.is_empty() {
        Ok(cases)
    } else {
        Err(problems)
    }
}

pub async fn import(
    ctx: Ctx,
    multipart: Result<axum::extract::Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Response, PageError> {
    ctx.require(Action::Create, Resource::Module(Module::Monitoring))?;
    let me = ctx.me()?.clone();
    let upload = crate::kit::read_import_upload(&ctx, multipart).await?;
    let (dry_run, bytes) = (upload.dry_run(), upload.file);
    let tr = &ctx.tr;
    let page = |problems: Vec<ImportProblem>, outcome: Option<String>| ImportPage {
        l: ctx.layout(tr.t("import-title")),
        columns: IMPORT_COLUMNS.to_vec(),
        problems,
        outcome,
    };
    let Some(bytes) = bytes.filter(|b| !b.is_empty()) else {
        let p = vec![ImportProblem { line: 0, column: String::new(), message: tr.t("evidence-no-file") }];
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, render(page(p, None))?).into_response());
    };
    let table = rightsdesk_export::read_table(&bytes);
    let table = match table {
        Ok(t) => t,
        Err(e) => {
            let p =
                vec![ImportProblem { line: 0, column: String::new(), message: crate::kit::unreadable_upload(tr, &e) }];
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, render(page(p, None))?).into_response());
        }
    };
    let year = time::OffsetDateTime::now_utc()
        .to_offset(time::UtcOffset::from_hms(7, 0, 0).unwrap_or(time::UtcOffset::UTC))
        .year();
    match check_import(&ctx, &table, me.office_id, year, me.id).await {
        Err(problems) => {
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(page(problems, Some(tr.t("import-nothing-written"))))?)
                .into_response())
        }
        Ok(cases) if dry_run => {
            Ok(render(page(vec![], Some(tr.tn("import-dry-run-ok", "count", cases.len() as i64))))?.into_response())
        }
        Ok(cases) => {
            let refs = ctx
                .state
                .store
                .import_cases(&cases, &ctx.audit("case.import").summary(format!("{} rows", cases.len())))
                .await?;
            let first = refs.first().cloned().unwrap_or_default();
            let last = refs.last().cloned().unwrap_or_default();
            let msg = format!("{} {first} … {last}", tr.tn("import-done", "count", refs.len() as i64));
            Ok(render(page(vec![], Some(msg)))?.into_response())
        }
    }
}
