//! Evidence files and their chain of custody (pages).

use super::*;

pub struct EvidenceRow {
    pub id: i64,
    pub description: String,
    pub content_type: String,
    pub size: String,
    pub sha256: String,
    pub uploaded: String,
    pub custody: Vec<(String, String, String, String)>,
}

pub(crate) async fn evidence_rows(
    ctx: &Ctx,
    evidence: Vec<rightsdesk_store::Evidence>,
) -> Result<Vec<EvidenceRow>, PageError> {
    let store = &ctx.state.store;
    let tr = &ctx.tr;
    let mut rows = vec![];
    for e in evidence {
        let custody = store
            .custody(e.id)
            .await?
            .into_iter()
            .map(|c| (tr.datetime(c.at_micros), c.user_name, choice_label(tr, "custody", &c.action), c.note))
            .collect();
        rows.push(EvidenceRow {
            id: e.id,
            description: e.description,
            content_type: e.content_type,
            size: tr.num(e.size_bytes),
            sha256: e.sha256,
            uploaded: tr.datetime(e.uploaded_at),
            custody,
        });
    }
    Ok(rows)
}

pub async fn upload_evidence(
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    multipart: Result<axum::extract::Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Response, PageError> {
    let c = load_case(&ctx, id, Action::WriteNarrative).await?;
    let mut multipart = multipart.map_err(|_| ErrorCode::BadRequest)?;
    let mut csrf = String::new();
    let mut description = String::new();
    let mut stored = None;
    let mut filename = String::new();
    let too_large = |e: axum::extract::multipart::MultipartError| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            PageError::Code(ErrorCode::PayloadTooLarge)
        } else {
            PageError::Code(ErrorCode::BadRequest)
        }
    };
    while let Some(field) = multipart.next_field().await.map_err(too_large)? {
        match field.name().unwrap_or_default() {
            "_csrf" => csrf = field.text().await.map_err(too_large)?,
            "description" => description = field.text().await.map_err(too_large)?.chars().take(2000).collect(),
            "file" if stored.is_none() => {
                // The form token comes first: nothing is written for a forged request.
                ctx.check_csrf(&csrf)?;
                filename = field.file_name().unwrap_or("file").chars().filter(|c| !c.is_control()).take(255).collect();
                stored = Some(store_upload(&ctx.state, field).await?);
            }
            _ => {}
        }
    }
    ctx.check_csrf(&csrf)?;
    let codes = case_matcher(&ctx, id).await?.codes_in(&description);
    if !codes.is_empty() {
        if let Some(file) = &stored {
            remove_unused_upload(&ctx.state, file).await;
        }
        let msg = names_found_message(&ctx, &c, "case-names-found", &codes);
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, case_page(&ctx, c, Some(msg)).await?).into_response());
    }
    let Some(file) = stored else {
        let msg = ctx.tr.t("evidence-no-file");
        audit_restricted_read(&ctx, &c, "restricted case read (form)").await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, case_page(&ctx, c, Some(msg)).await?).into_response());
    };
    let new = rightsdesk_store::NewEvidence {
        case_id: id,
        sha256: file.sha256.clone(),
        size_bytes: file.size as i64,
        content_type: file.content_type.clone(),
        filename,
        description: description.trim().to_string(),
        uploaded_by: ctx.me()?.id,
    };
    if let Err(e) = ctx.state.store.add_evidence(&new, &ctx.state.keys, &ctx.audit("evidence.upload")).await {
        // No record, no file: a file this upload brought is not left behind
        // (one already there belongs to another record).
        remove_unused_upload(&ctx.state, &file).await;
        return Err(e.into());
    }
    Ok(Redirect::to(&format!("/monitoring/cases/{id}#evidence")).into_response())
}

/// Evidence can show who people are: only for those who may see names.
pub(crate) async fn load_evidence(ctx: &Ctx, eid: i64) -> Result<(rightsdesk_store::Evidence, Case), PageError> {
    let e = ctx.state.store.evidence(eid).await?.ok_or(ErrorCode::NotFound)?;
    let c = load_case(ctx, e.case_id, Action::View).await?;
    ctx.require(Action::ViewIdentifying, Resource::Case(case_ref(ctx.user.as_ref().map(|u| u.id), &c)))?;
    Ok((e, c))
}

/// A POST with the form's token: a download writes the chain of custody and
/// the audit log, so no link from elsewhere may cause one.
pub async fn download_evidence(
    ctx: Ctx,
    PagePath(eid): PagePath<i64>,
    PageForm(_): PageForm<serde::de::IgnoredAny>,
) -> Result<Response, PageError> {
    let (e, _) = load_evidence(&ctx, eid).await?;
    let me = ctx.me()?.id;
    Ok(evidence_download(&ctx.state, &e, me, "", &ctx.audit("evidence.download")).await?)
}

/// Recomputes the file's SHA-256 and records the result in the chain of custody.
pub async fn verify_evidence(
    ctx: Ctx,
    PagePath(eid): PagePath<i64>,
    PageForm(_): PageForm<serde::de::IgnoredAny>,
) -> Result<Response, PageError> {
    let (e, c) = load_evidence(&ctx, eid).await?;
    let path = evidence_path(&ctx.state.config.files_dir, &e.sha256);
    // The plaintext's hash: the file must open with the key (every chunk
    // authentic, none missing) and be the content its record names.
    let exists = tokio::fs::try_exists(&path).await.unwrap_or(false);
    let actual = crate::files::plaintext_sha256(&ctx.state.keys, &path).await.unwrap_or_default();
    let ok = actual == e.sha256;
    let (action, note) = if ok {
        ("verified", format!("sha256 {actual}"))
    } else {
        let found = match (exists, actual.is_empty()) {
            (false, _) => "no file",
            (true, true) => "a file that does not open with the key",
            (true, false) => &actual,
        };
        ("verification_failed", format!("expected {}, found {found}", e.sha256))
    };
    ctx.state.store.add_custody(e.id, ctx.me()?.id, action, &note, &ctx.audit("evidence.verify")).await?;
    let msg = ctx.tr.t(if ok { "evidence-verified" } else { "evidence-verify-failed" });
    let status = if ok { StatusCode::OK } else { StatusCode::CONFLICT };
    Ok((status, case_page(&ctx, c, Some(msg)).await?).into_response())
}

// ---- Import ----------------------------------------------------------------

#[derive(Deserialize)]
pub struct CustodyForm {
    #[serde(default)]
    pub action: String,
    #[serde(default)]
    pub note: String,
}

/// Records a hand-over, an examination, where the original is kept, or its
/// return, with a note (required for a hand-over: to whom, how).
pub async fn add_custody(
    ctx: Ctx,
    PagePath(eid): PagePath<i64>,
    PageForm(f): PageForm<CustodyForm>,
) -> Result<Response, PageError> {
    let (e, c) = load_evidence(&ctx, eid).await?;
    ctx.require(Action::WriteNarrative, Resource::Case(case_ref(ctx.user.as_ref().map(|u| u.id), &c)))?;
    let note = f.note.trim();
    let names = names_of(&ctx, &ctx.state.store.persons(c.id).await?)?;
    if let Err((e, found)) = check_custody_entry(&f.action, note, &names) {
        let msg = match e.code {
            "contains-name" => names_found_message(&ctx, &c, "case-names-found", &found),
            "required" => ctx.tr.t("custody-note-required"),
            code => ctx.tr.t(&format!("field-error-{code}")),
        };
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, case_page(&ctx, c, Some(msg)).await?).into_response());
    }
    ctx.state.store.add_custody(e.id, ctx.me()?.id, &f.action, note, &ctx.audit("evidence.custody")).await?;
    Ok(Redirect::to(&format!("/monitoring/cases/{}#evidence", c.id)).into_response())
}
