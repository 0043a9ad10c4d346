//! What pages and API share: loading a case for a caller, filters, the
//! files of evidence, dates. Neither pages nor API reach into each other.

use super::*;
use crate::auth::Caller;

/// Loads a case the caller may act on (`action`); a case they may not see
/// answers 404 exactly like one that does not exist. When `audit_as` is given
/// and the case is restricted, the read goes in the audit log under it
/// ("restricted case read (API)"): pages, forms and the API all say which.
pub async fn open_case<C: Caller>(c: &C, id: i64, action: Action, audit_as: Option<&str>) -> Result<Case, C::Error> {
    let store = &c.state().store;
    let case = store.case(id).await?.ok_or(ErrorCode::NotFound)?;
    c.require(action, Resource::Case(case_ref(c.user_id(), &case)))?;
    if let Some(what) = audit_as {
        audit_restricted_read(c, &case, what).await?;
    }
    Ok(case)
}

/// Every read of a restricted case is in the audit log: its page, the forms
/// that show its content (edit, add a person, an act, ...) and the API.
pub async fn audit_restricted_read<C: Caller>(c: &C, case: &Case, what: &str) -> Result<(), C::Error> {
    if case.sensitivity == Sensitivity::Restricted {
        c.state().store.append_audit(&c.audit("case.view").record("case", case.id).summary(what)).await?;
    }
    Ok(())
}

/// The policy's view of one case for the current user.
pub fn case_ref(ctx_user_id: Option<i64>, c: &Case) -> CaseRef {
    CaseRef {
        office_id: c.office_id,
        restricted: c.sensitivity == Sensitivity::Restricted,
        assigned: ctx_user_id.is_some_and(|u| c.assigned.contains(&u)),
    }
}

/// `(code, name)` for every name and alias of the case's people (pages and API).
pub(crate) fn case_names(
    keys: &rightsdesk_crypto::Keyring,
    persons: &[PersonRecord],
) -> Result<Vec<(String, String)>, ErrorCode> {
    let mut names = vec![];
    for p in persons {
        names.extend(p.names_to_look_for(keys).map_err(|e| {
            tracing::error!(person = p.id, error = %e, "identifying fields do not open");
            ErrorCode::Internal
        })?);
    }
    Ok(names)
}

pub fn choice_label(tr: &Tr, group: &str, value: &str) -> String {
    if value.is_empty() {
        return String::new();
    }
    tr.t(&format!("{group}-{}", value.replace('_', "-")))
}

#[derive(Deserialize, Default, Clone)]
pub struct ListQuery {
    #[serde(default)]
    pub office: String,
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub province: String,
    #[serde(default)]
    pub sensitivity: String,
    /// routine, urgent, emergency.
    #[serde(default)]
    pub urgency: String,
    #[serde(default)]
    pub mine: String,
    #[serde(default)]
    pub act_type: String,
    /// An article such as `ICCPR 9`.
    #[serde(default)]
    pub right: String,
    #[serde(default)]
    pub perpetrator_type: String,
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
    /// newest (default), oldest, updated, incident.
    #[serde(default)]
    pub sort: String,
    /// Where the previous page ended (see `CaseCursor`).
    #[serde(default)]
    pub after: String,
}

pub(crate) fn iso_day(s: &str) -> Option<String> {
    let s = s.trim();
    (!s.is_empty()).then(|| FuzzyDate::parse("from", s, false).ok().flatten().map(|d| d.sort_key())).flatten()
}

/// Builds the store filter from a query; unknown values are errors, not ignored.
pub async fn case_filter(
    store: &dyn Store,
    scope: rightsdesk_domain::CaseScope,
    me: i64,
    q: &ListQuery,
) -> Result<CaseFilter, ValidationError> {
    let mut f = CaseFilter::new(scope);
    if !q.office.is_empty() {
        let o = store.office_by_code(&q.office).await.ok().flatten();
        f.office_id = Some(o.ok_or(ValidationError::new("office", "unknown-office"))?.id);
    }
    if !q.status.is_empty() {
        f.status = Some(CaseStatus::parse(&q.status).ok_or(ValidationError::new("status", "invalid-choice"))?);
    }
    if !q.province.is_empty() {
        f.province_code = Some(q.province.clone());
    }
    if !q.urgency.is_empty() {
        f.urgency = Some(Urgency::parse(&q.urgency).ok_or(ValidationError::new("urgency", "invalid-choice"))?);
    }
    if !q.sensitivity.is_empty() {
        f.sensitivity =
            Some(Sensitivity::parse(&q.sensitivity).ok_or(ValidationError::new("sensitivity", "invalid-choice"))?);
    }
    if q.mine == "1" || q.mine == "on" {
        f.assigned_to = Some(me);
    }
    if !q.act_type.is_empty() {
        if !rightsdesk_domain::monitoring::ACT_TYPES.contains(&q.act_type.as_str()) {
            return Err(ValidationError::new("act_type", "invalid-choice"));
        }
        f.act_type = Some(q.act_type.clone());
    }
    if !q.right.trim().is_empty() {
        f.right = Some(
            rightsdesk_domain::monitoring::ArticleRef::parse(&q.right)
                .ok_or(ValidationError::new("right", "invalid-article"))?,
        );
    }
    if !q.perpetrator_type.is_empty() {
        if !person_choices::PERPETRATOR_TYPE.contains(&q.perpetrator_type.as_str()) {
            return Err(ValidationError::new("perpetrator_type", "invalid-choice"));
        }
        f.perpetrator_type = Some(q.perpetrator_type.clone());
    }
    if !q.from.trim().is_empty() {
        f.from = Some(iso_day(&q.from).ok_or(ValidationError::new("from", "invalid-fuzzy-date"))?);
    }
    if !q.to.trim().is_empty() {
        f.to = Some(iso_day(&q.to).ok_or(ValidationError::new("to", "invalid-fuzzy-date"))?);
    }
    if !q.sort.is_empty() {
        f.sort = CaseSort::parse(&q.sort).ok_or(ValidationError::new("sort", "invalid-choice"))?;
    }
    if !q.after.is_empty() {
        f.after = Some(CaseCursor::parse(f.sort, &q.after).ok_or(ValidationError::new("after", "invalid-choice"))?);
    }
    Ok(f)
}

pub const PAGE_SIZE: i64 = 50;

/// The list counts up to this many cases, then says "more than".
pub const COUNT_CAP: i64 = 10_000;

/// Validates case fields (pages and API), including that the places exist.
pub async fn validate_fields(store: &dyn Store, f: &CaseFields) -> Result<CaseInput, Vec<ValidationError>> {
    let input = CaseInput::parse(f)?;
    let mut errors = vec![];
    if let Some(p) = &input.province_code {
        if store.province(p).await.ok().flatten().is_none() {
            errors.push(ValidationError::new("province", "unknown-place"));
        }
    }
    if let Some(d) = &input.district_code {
        if store.district(d).await.ok().flatten().is_none() {
            errors.push(ValidationError::new("district", "unknown-place"));
        }
    }
    if let Some(c) = &input.commune_code {
        let known = match &input.district_code {
            Some(d) => store.communes(d).await.map(|cs| cs.iter().any(|x| &x.code == c)).unwrap_or(false),
            None => false,
        };
        if !known {
            errors.push(ValidationError::new("commune", "unknown-place"));
        }
    }
    if errors.is_empty() {
        Ok(input)
    } else {
        Err(errors)
    }
}

/// Where a file with this hash lives: `files/ab/cd/abcd…`.
pub fn evidence_path(files_dir: &std::path::Path, sha256: &str) -> std::path::PathBuf {
    // Hashes come from our own records, but a short one must not panic.
    let part = |r: std::ops::Range<usize>| sha256.get(r).unwrap_or("_");
    files_dir.join(part(0..2)).join(part(2..4)).join(sha256)
}

pub(crate) struct Stored {
    pub sha256: String,
    pub size: u64,
    pub content_type: String,
    /// False when the same content was already stored (for another record).
    pub new_file: bool,
}

/// Streams an uploaded file to a temporary file while hashing it, stops at
/// the size limit (deleting what was written), then files it under its hash.
/// Its type is read from its first bytes, never taken from the client.
/// Removes a file an upload brought when its record could not be written,
/// unless some evidence record (another upload of the same content, made
/// meanwhile) refers to it.
pub(crate) async fn remove_unused_upload(state: &crate::AppState, file: &Stored) {
    if file.new_file && !state.store.evidence_hash_in_use(&file.sha256).await.unwrap_or(true) {
        let _ = tokio::fs::remove_file(evidence_path(&state.config.files_dir, &file.sha256)).await;
    }
}

pub(crate) async fn store_upload(
    state: &crate::AppState,
    mut field: axum::extract::multipart::Field<'_>,
) -> Result<Stored, PageError> {
    use sha2::Digest;
    use tokio::io::AsyncWriteExt;
    let dir = &state.config.files_dir;
    let tmp_dir = dir.join("tmp");
    let internal = |e: std::io::Error| {
        tracing::error!(error = %e, "cannot store an upload");
        PageError::Code(ErrorCode::Internal)
    };
    tokio::fs::create_dir_all(&tmp_dir).await.map_err(internal)?;
    let tmp = tmp_dir.join(rightsdesk_crypto::new_token("upload-").0);
    let mut file = tokio::fs::File::create(&tmp).await.map_err(internal)?;
    // Sealed as it is written: the plaintext never reaches the disk (issue 14).
    let mut sealer = state.keys.file_sealer();
    let mut hasher = sha2::Sha256::new();
    let mut size: u64 = 0;
    let mut head: Vec<u8> = Vec::new();
    let result: Result<(), PageError> = async {
        file.write_all(sealer.header()).await.map_err(internal)?;
        while let Some(chunk) = field.chunk().await.map_err(|e| {
            if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                PageError::Code(ErrorCode::PayloadTooLarge)
            } else {
                PageError::Code(ErrorCode::BadRequest)
            }
        })? {
            size += chunk.len() as u64;
            if size > state.config.max_upload_bytes {
                return Err(ErrorCode::PayloadTooLarge.into());
            }
            if head.len() < 8192 {
                head.extend_from_slice(&chunk[..chunk.len().min(8192 - head.len())]);
            }
            hasher.update(&chunk);
            file.write_all(&sealer.update(&chunk)).await.map_err(internal)?;
        }
        file.write_all(&sealer.finish()).await.map_err(internal)?;
        file.flush().await.map_err(internal)?;
        file.sync_all().await.map_err(internal)?;
        Ok(())
    }
    .await;
    drop(file);
    if let Err(e) = result {
        let _ = tokio::fs::remove_file(&tmp).await;
        return Err(e);
    }
    if size == 0 {
        let _ = tokio::fs::remove_file(&tmp).await;
        return Err(ErrorCode::BadRequest.into());
    }
    let sha256 = hex::encode(hasher.finalize());
    let target = evidence_path(dir, &sha256);
    if let Some(parent) = target.parent() {
        tokio::fs::create_dir_all(parent).await.map_err(internal)?;
    }
    let new_file = !tokio::fs::try_exists(&target).await.unwrap_or(false);
    if new_file {
        tokio::fs::rename(&tmp, &target).await.map_err(internal)?;
    } else {
        // Content-addressed: the same file is kept once.
        let _ = tokio::fs::remove_file(&tmp).await;
    }
    let content_type = infer::get(&head).map(|t| t.mime_type().to_string()).unwrap_or_else(|| {
        if std::str::from_utf8(&head).is_ok() {
            "text/plain".to_string()
        } else {
            "application/octet-stream".to_string()
        }
    });
    Ok(Stored { sha256, size, content_type, new_file })
}

/// A file name safe for a download header: no path, no quotes, no control
/// characters; the original name is also given UTF-8 encoded.
pub fn download_disposition(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or("file");
    let ascii: String = base
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | ' ') { c } else { '_' })
        .collect();
    let ascii = ascii.trim_start_matches('.').trim();
    let ascii = if ascii.is_empty() { "file" } else { ascii };
    let utf8 = percent_encoding::utf8_percent_encode(base, percent_encoding::NON_ALPHANUMERIC);
    format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{utf8}")
}

/// An evidence file as a download (pages and API; the caller has applied the
/// policy), recorded in the chain of custody. Always an attachment, never
/// shown inline: an uploaded page cannot run here.
pub(crate) async fn evidence_download(
    state: &crate::AppState,
    e: &rightsdesk_store::Evidence,
    user_id: i64,
    note: &str,
    audit: &rightsdesk_store::AuditEntry,
) -> Result<Response, ErrorCode> {
    use axum::http::header;
    let name = match &e.filename_enc {
        Some(sealed) => state
            .keys
            .decrypt_string(rightsdesk_store::monitoring::evidence_filename_ref(e.id), sealed)
            .unwrap_or_else(|_| "file".into()),
        None => "file".into(),
    };
    let path = evidence_path(&state.config.files_dir, &e.sha256);
    if !tokio::fs::try_exists(&path).await.unwrap_or(false) {
        tracing::error!(evidence = e.id, "evidence file missing");
        return Err(ErrorCode::NotFound);
    }
    state
        .store
        .add_custody(e.id, user_id, "downloaded", note, audit)
        .await
        .map_err(|err| crate::error::store_code(&err))?;
    // Opened as it is sent, and checked against its hash on the way: a file
    // that does not open or is another content ends the download short.
    let body = crate::files::plaintext_body(state.keys.clone(), path, e.sha256.clone());
    Ok((
        [
            (header::CONTENT_TYPE, "application/octet-stream".to_string()),
            (header::CONTENT_DISPOSITION, download_disposition(&name)),
            (header::CONTENT_LENGTH, e.size_bytes.to_string()),
            (header::HeaderName::from_static("x-content-sha256"), e.sha256.clone()),
        ],
        body,
    )
        .into_response())
}

/// Checks a custody entry made by hand (pages and API): a known action, a
/// note for a hand-over, no longer than 2,000 characters, and no name of the
/// case's people in it (the codes of those found come with the error).
pub(crate) fn check_custody_entry(
    action: &str,
    note: &str,
    names: &[(String, String)],
) -> Result<(), (ValidationError, Vec<String>)> {
    let error = |field, code| Err((ValidationError::new(field, code), vec![]));
    if !CUSTODY_MANUAL.contains(&action) {
        return error("action", "invalid-choice");
    }
    if action == "transferred" && note.is_empty() {
        return error("note", "required");
    }
    if note.chars().count() > 2000 {
        return error("note", "too-long");
    }
    let found: Vec<String> = names_in_text(note, names).into_iter().map(|(code, _)| code).collect();
    if !found.is_empty() {
        return Err((ValidationError::new("note", "contains-name"), found));
    }
    Ok(())
}

/// Custody entries a person records by hand; the others (uploaded,
/// downloaded, verified) are written by the system.
pub const CUSTODY_MANUAL: [&str; 4] = ["transferred", "examined", "stored", "returned"];
