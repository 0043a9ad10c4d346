//! What the legislation pages and API share: opening a law for a caller
//! (the policy, with a focal point's institution), filters, each write with
//! its checks, a new version's text read from its file and split, the
//! comparison of two versions, and where comments move. Pages and API are
//! adapters over these functions.

use crate::auth::Caller;
use crate::error::ErrorCode;
use rightsdesk_domain::legislation::*;
use rightsdesk_domain::{law_scope, Action, LawRef, LawScope, Module, Resource, ValidationError};
use rightsdesk_export::law_text::{extract_law_text, LawFileKind, LawTextError};
use rightsdesk_store::legislation::*;
use rightsdesk_store::StoreError;
use serde::Deserialize;

pub const MODULE: Resource = Resource::Module(Module::Legislation);

/// The largest file a version may come in (a long code as a scanned PDF).
pub const LAW_FILE_MAX_BYTES: usize = 25 * 1024 * 1024;

/// The limit a version's file is held to: 25 MB, or the installation's
/// upload limit when that is lower.
pub fn law_file_limit(state: &crate::state::AppState) -> usize {
    LAW_FILE_MAX_BYTES.min(state.config.max_upload_bytes as usize)
}

/// The field error of a file over the limit, with the limit in MB.
pub fn file_over_limit(state: &crate::state::AppState) -> ValidationError {
    ValidationError { field: "file", code: "law-file-over-limit", limit: Some(law_file_limit(state) / (1024 * 1024)) }
}

/// What a write gives back: done, or field errors and nothing written.
pub type Checked<T> = Result<T, Vec<ValidationError>>;

/// The caller's scope, or 403 when legislation is closed to them.
pub fn scope<C: Caller>(c: &C) -> Result<LawScope, C::Error> {
    c.require(Action::View, MODULE)?;
    law_scope(c.actor()).ok_or_else(|| ErrorCode::Forbidden.into())
}

/// What the policy needs to decide on one law for this caller.
pub async fn law_ref<C: Caller>(c: &C, law_id: i64) -> Result<LawRef, C::Error> {
    let linked = match c.user().and_then(|u| u.organisation_id) {
        Some(org) => c.state().store.law_linked_to_institution(law_id, org).await?,
        None => false,
    };
    Ok(LawRef { linked_to_actor_institution: linked })
}

/// Opens a law the caller may act on (`action`); one they may not see
/// answers 404 like one that does not exist.
pub async fn open_law<C: Caller>(c: &C, id: i64, action: Action) -> Result<Law, C::Error> {
    let law = c.state().store.law(id).await?.ok_or(ErrorCode::NotFound)?;
    c.require(action, Resource::Law(law_ref(c, id).await?))?;
    Ok(law)
}

/// A version of `law` (404 for another law's).
pub async fn open_version<C: Caller>(c: &C, law: &Law, version_id: i64) -> Result<VersionArticles, C::Error> {
    let v = c.state().store.law_version(version_id).await?.ok_or(ErrorCode::NotFound)?;
    if v.version.law_id != law.id {
        return Err(ErrorCode::NotFound.into());
    }
    Ok(v)
}

/// The register's filter as a page's query or the API's parameters give it.
#[derive(Debug, Clone, Default, Deserialize, serde::Serialize, utoipa::IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct LawQuery {
    /// `drafting`, `inter_ministerial`, ... `promulgated`, `withdrawn`, `shelved`.
    pub stage: String,
    /// An organisation id: the sponsoring ministry.
    pub ministry: String,
    pub theme: String,
    /// A user id: the lead legal officer.
    pub lead: String,
    /// `high`, `medium` or `low`.
    pub priority: String,
    pub page: String,
}

pub const PAGE_SIZE: i64 = 50;

/// Builds the store filter; an unknown value is an error, not ignored.
pub fn law_filter(scope: LawScope, q: &LawQuery) -> Result<LawFilter, ValidationError> {
    let mut f = LawFilter { scope: Some(scope), limit: PAGE_SIZE, ..Default::default() };
    let pick = |raw: &str| Some(raw.trim().to_string()).filter(|v| !v.is_empty());
    if let Some(v) = pick(&q.stage) {
        f.stage = Some(LawStage::parse(&v).ok_or(ValidationError::new("stage", "invalid-choice"))?);
    }
    if let Some(v) = pick(&q.priority) {
        f.priority = Some(LawPriority::parse(&v).ok_or(ValidationError::new("priority", "invalid-choice"))?);
    }
    if let Some(v) = pick(&q.ministry) {
        f.ministry_id = Some(v.parse().map_err(|_| ValidationError::new("ministry", "invalid-choice"))?);
    }
    if let Some(v) = pick(&q.lead) {
        f.lead_user_id = Some(v.parse().map_err(|_| ValidationError::new("lead", "invalid-choice"))?);
    }
    f.theme = pick(&q.theme);
    let page: i64 = q.page.trim().parse().unwrap_or(1).clamp(1, 10_000);
    f.offset = (page - 1) * f.limit;
    Ok(f)
}

/// A store refusal of an unknown record as the field error of the form.
fn unknown(field: &'static str) -> Vec<ValidationError> {
    vec![ValidationError::new(field, "unknown-record")]
}

/// Someone else changed the law between reading it and this write.
fn changed_meanwhile(field: &'static str) -> ValidationError {
    ValidationError::new(field, "law-changed-meanwhile")
}

/// The lead must be an active office user who works in legislation.
async fn check_people<C: Caller>(c: &C, input: &LawInput) -> Result<Vec<ValidationError>, C::Error> {
    let mut errors = vec![];
    if let Some(lead) = input.lead_user_id {
        let ok = c.state().store.user_by_id(lead).await?.is_some_and(|u| {
            !u.disabled
                && matches!(
                    u.role,
                    rightsdesk_domain::Role::LegalOfficer
                        | rightsdesk_domain::Role::HeadOfOffice
                        | rightsdesk_domain::Role::Admin
                )
        });
        if !ok {
            errors.push(ValidationError::new("lead_user_id", "unknown-record"));
        }
    }
    if let Some(m) = input.ministry_id {
        if !c.state().store.organisations().await?.iter().any(|o| o.id == m) {
            errors.push(ValidationError::new("ministry_id", "unknown-record"));
        }
    }
    Ok(errors)
}

pub async fn create_law<C: Caller>(c: &C, f: &LawFields) -> Result<Checked<Law>, C::Error> {
    c.require(Action::Create, MODULE)?;
    let me = c.user().ok_or(ErrorCode::Unauthorized)?;
    let (input, stage) = match (f.parse(), f.first_stage()) {
        (Ok(i), Ok(s)) => (i, s),
        (a, b) => return Ok(Err([a.err(), b.err()].into_iter().flatten().flatten().collect())),
    };
    let errors = check_people(c, &input).await?;
    if !errors.is_empty() {
        return Ok(Err(errors));
    }
    let new = NewLaw { input, stage: stage.0, stage_on: stage.1, by: me.id };
    Ok(Ok(c.state().store.create_law(&new, &c.audit("law.create")).await?))
}

pub async fn update_law<C: Caller>(c: &C, law: &Law, f: &LawFields) -> Result<Checked<Law>, C::Error> {
    c.require(Action::Update, Resource::Law(law_ref(c, law.id).await?))?;
    let input = match f.parse() {
        Ok(i) => i,
        Err(e) => return Ok(Err(e)),
    };
    let errors = check_people(c, &input).await?;
    if !errors.is_empty() {
        return Ok(Err(errors));
    }
    Ok(Ok(c.state().store.update_law(law.id, &input, &c.audit("law.update")).await?))
}

pub async fn change_stage<C: Caller>(c: &C, law: &Law, f: &StageFields) -> Result<Checked<()>, C::Error> {
    c.require(Action::Update, Resource::Law(law_ref(c, law.id).await?))?;
    let me = c.user().ok_or(ErrorCode::Unauthorized)?;
    let (stage, on) = match f.parse(Some(law.stage), Some(&law.stage_on)) {
        Ok(s) => s,
        Err(e) => return Ok(Err(e)),
    };
    let note = f.note.trim();
    let change = NewStage { from: law.stage, stage, on: &on, note, by: me.id };
    match c.state().store.change_law_stage(law.id, &change, &c.audit("law.stage")).await {
        Ok(()) => Ok(Ok(())),
        Err(StoreError::Conflict(_)) => Ok(Err(vec![changed_meanwhile("stage")])),
        Err(e) => Err(e.into()),
    }
}

/// Words as a comparison marks them: Khmer through the search crate's
/// dictionary segmentation, anything else by letters and spaces.
pub fn words(text: &str) -> Vec<&str> {
    if text.chars().any(|ch| ('\u{1780}'..='\u{17FF}').contains(&ch)) {
        rightsdesk_search::analysis::word_pieces(text)
    } else {
        latin_words(text)
    }
}

/// A new version as it arrives: the fields, and a file or pasted text.
#[derive(Debug, Default)]
pub struct VersionUpload {
    pub fields: VersionFields,
    /// The uploaded file's name and bytes.
    pub file: Option<(String, Vec<u8>)>,
    pub pasted: String,
}

fn file_error(e: &LawTextError) -> ValidationError {
    ValidationError::new(
        "file",
        match e {
            LawTextError::Unsupported => "law-file-unsupported",
            LawTextError::Encrypted => "law-file-encrypted",
            LawTextError::Damaged(_) => "law-file-damaged",
            LawTextError::TooLarge => "law-file-too-large",
        },
    )
}

/// Where each comment of the previous version goes in the new one.
pub fn comment_moves(comments: &[LawComment], previous: &VersionArticles, new: &[Article]) -> Vec<CommentMove> {
    let old: Vec<Article> = previous
        .articles
        .iter()
        .map(|a| Article { number: a.number.clone(), heading: a.heading.clone(), chapter: None, text: a.text.clone() })
        .collect();
    let changes = compare_articles(&old, new, &words);
    comments
        .iter()
        .filter(|c| c.version_id == previous.version.id)
        .filter_map(|c| {
            let number = c.article_number.as_ref()?;
            // An article the version does not have (after a corrected split)
            // is gone: the comment says so rather than being left behind.
            let gone = CommentMove { comment_id: c.id, article_number: None, change: ArticleChangeKind::Removed };
            let Some(at) = old.iter().position(|a| &a.number == number) else { return Some(gone) };
            Some(match changes.iter().find(|ch| ch.old == Some(at)) {
                Some(ch) => CommentMove { comment_id: c.id, article_number: ch.new_number.clone(), change: ch.kind },
                None => gone,
            })
        })
        .collect()
}

/// `comment_moves` off the request threads (a long law's comparison takes CPU time).
async fn moves_off_thread(
    comments: Vec<LawComment>,
    previous: VersionArticles,
    new: Vec<Article>,
) -> Result<Vec<CommentMove>, ErrorCode> {
    tokio::task::spawn_blocking(move || comment_moves(&comments, &previous, &new))
        .await
        .map_err(|_| ErrorCode::Internal)
}

/// Reads, splits and stores a new version; its comments move from the
/// previous version to the matching articles.
pub async fn add_version<C: Caller>(c: &C, law: &Law, up: VersionUpload) -> Result<Checked<LawVersion>, C::Error> {
    c.require(Action::Update, Resource::Law(law_ref(c, law.id).await?))?;
    let me = c.user().ok_or(ErrorCode::Unauthorized)?;
    let store = c.state().store.as_ref();
    let versions = store.law_versions(law.id).await?;
    let latest = versions.iter().max_by(|a, b| (&a.dated, a.id).cmp(&(&b.dated, b.id)));
    let mut errors = vec![];
    let input = up.fields.parse(latest.map(|v| v.dated.as_str())).map_err(|e| errors.extend(e)).ok();
    let pasted = up.pasted.trim();
    let mut file = None;
    let (format, text) = match (&up.file, pasted.is_empty()) {
        (Some((name, bytes)), _) => {
            if bytes.len() > law_file_limit(c.state()) {
                errors.push(file_over_limit(c.state()));
                (VersionFormat::Pasted, String::new())
            } else {
                // Reading a large PDF takes CPU time: off the request threads.
                let owned = bytes.clone();
                let read = tokio::task::spawn_blocking(move || extract_law_text(&owned))
                    .await
                    .map_err(|_| ErrorCode::Internal)?;
                match read {
                    Ok((kind, text)) => {
                        let (format, content_type) = match kind {
                            LawFileKind::Docx => (
                                VersionFormat::Docx,
                                "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                            ),
                            LawFileKind::Pdf => (VersionFormat::Pdf, "application/pdf"),
                            LawFileKind::Text => (VersionFormat::Text, "text/plain; charset=utf-8"),
                        };
                        file = Some(VersionFile {
                            file_name: clean_file_name(name),
                            content_type: content_type.into(),
                            sha256: hex::encode(<sha2::Sha256 as sha2::Digest>::digest(bytes)),
                            content: bytes.clone(),
                        });
                        // Pasted text stands in for a file without a text layer.
                        let text = if text.trim().is_empty() { pasted.to_string() } else { text };
                        (format, text)
                    }
                    Err(e) => {
                        errors.push(file_error(&e));
                        (VersionFormat::Pasted, String::new())
                    }
                }
            }
        }
        (None, false) => (VersionFormat::Pasted, pasted.to_string()),
        (None, true) => {
            errors.push(ValidationError::new("text", "law-text-or-file"));
            (VersionFormat::Pasted, String::new())
        }
    };
    if text.len() > LAW_TEXT_MAX_BYTES {
        errors.push(ValidationError::too_long("text", LAW_TEXT_MAX_BYTES / 1024));
    }
    let Some(input) = input.filter(|_| errors.is_empty()) else { return Ok(Err(errors)) };
    let text = text.replace("\r\n", "\n");
    let structure = split_law(&text);
    let has_text = !text.trim().is_empty();
    // The comments of the latest version move to this one; a version
    // without text (a scan) takes them when its text is pasted.
    let moves = match latest {
        Some(prev) if has_text => {
            let previous = store.law_version(prev.id).await?.ok_or(ErrorCode::NotFound)?;
            let comments = store.law_comments(law.id).await?;
            moves_off_thread(comments, previous, structure.articles.clone()).await?
        }
        _ => vec![],
    };
    let previous = latest.map(|v| v.id);
    let new = NewVersion { input, format, has_text, text, structure, file, previous, moves, by: me.id };
    match store.add_law_version(law.id, &new, &c.audit("law.version")).await {
        Ok(v) => Ok(Ok(v)),
        Err(StoreError::Conflict(_)) => Ok(Err(vec![changed_meanwhile("label")])),
        Err(e) => Err(e.into()),
    }
}

/// A file name as it may appear in a download header: no path, no controls, not too long.
pub fn clean_file_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String =
        base.chars().filter(|c| !c.is_control() && !matches!(c, '"' | ';')).take(120).collect::<String>();
    if cleaned.trim().is_empty() {
        "law".into()
    } else {
        cleaned.trim().to_string()
    }
}

/// The officer's corrected text of a version, split again.
pub async fn correct_text<C: Caller>(c: &C, law: &Law, version_id: i64, text: &str) -> Result<Checked<()>, C::Error> {
    c.require(Action::Update, Resource::Law(law_ref(c, law.id).await?))?;
    let version = open_version(c, law, version_id).await?;
    let text = text.replace("\r\n", "\n");
    if text.trim().is_empty() {
        return Ok(Err(vec![ValidationError::new("text", "required")]));
    }
    if text.len() > LAW_TEXT_MAX_BYTES {
        return Ok(Err(vec![ValidationError::too_long("text", LAW_TEXT_MAX_BYTES / 1024)]));
    }
    let structure = split_law(&text);
    let store = c.state().store.as_ref();
    let comments = store.law_comments(law.id).await?;
    let versions = store.law_versions(law.id).await?;
    let at = versions.iter().position(|v| v.id == version_id);
    let is_latest = at.is_some() && at == versions.len().checked_sub(1);
    // A scan's first text, on the latest version: the comments the previous
    // version kept come over now. Otherwise the version's own comments
    // follow their articles into the new split (only those whose number
    // changed, or whose article is gone, move).
    let previous = at.and_then(|i| i.checked_sub(1)).map(|i| versions[i].id);
    let (moves_from, moves) = match previous {
        Some(prev) if !version.version.has_text && is_latest => {
            let old = store.law_version(prev).await?.ok_or(ErrorCode::NotFound)?;
            (prev, moves_off_thread(comments, old, structure.articles.clone()).await?)
        }
        _ => {
            let before: std::collections::HashMap<i64, Option<String>> =
                comments.iter().map(|c| (c.id, c.article_number.clone())).collect();
            let moves = moves_off_thread(comments, version, structure.articles.clone())
                .await?
                .into_iter()
                .filter(|m| before.get(&m.comment_id) != Some(&m.article_number))
                .collect();
            (version_id, moves)
        }
    };
    let fix = TextCorrection { text, structure, moves_from, moves };
    match store.replace_law_text(version_id, &fix, &c.audit("law.text")).await {
        Ok(()) => Ok(Ok(())),
        Err(StoreError::Conflict(_)) => Ok(Err(vec![changed_meanwhile("text")])),
        Err(e) => Err(e.into()),
    }
}

/// A comment must name an article the version has (or none).
fn check_article(version: &VersionArticles, input: &CommentInput) -> Vec<ValidationError> {
    match &input.article_number {
        Some(n) if !version.articles.iter().any(|a| &a.number == n) => {
            vec![ValidationError::new("article_number", "no-such-article")]
        }
        _ => vec![],
    }
}

/// Recommendations and instrument articles a comment names must exist
/// (checked here, so both backends name the same field).
async fn check_references<C: Caller>(c: &C, input: &CommentInput) -> Result<Vec<ValidationError>, C::Error> {
    let store = c.state().store.as_ref();
    let mut errors = vec![];
    for id in &input.recommendation_ids {
        if store.recommendation(*id).await?.is_none() {
            errors.push(ValidationError::new("recommendation_ids", "unknown-record"));
            break;
        }
    }
    for (code, number) in &input.standard_articles {
        if !store.articles(code).await?.iter().any(|a| a.number == *number) {
            errors.push(ValidationError::new("standard_articles", "unknown-record"));
            break;
        }
    }
    Ok(errors)
}

fn comment_refused(e: StoreError) -> Result<Vec<ValidationError>, StoreError> {
    match e {
        StoreError::Constraint(what) if what.contains("recommendation") => Ok(unknown("recommendation_ids")),
        StoreError::Constraint(_) => Ok(unknown("standard_articles")),
        StoreError::Conflict(_) => Ok(vec![changed_meanwhile("article_number")]),
        e => Err(e),
    }
}

/// The version a comment form writes against: the one given, else the latest.
pub async fn add_comment<C: Caller>(
    c: &C,
    law: &Law,
    version_id: i64,
    f: &CommentFields,
) -> Result<Checked<LawComment>, C::Error> {
    c.require(Action::Update, Resource::Law(law_ref(c, law.id).await?))?;
    let me = c.user().ok_or(ErrorCode::Unauthorized)?;
    let version = open_version(c, law, version_id).await?;
    let input = match f.parse() {
        Ok(i) => i,
        Err(e) => return Ok(Err(e)),
    };
    let mut errors = check_article(&version, &input);
    // Comments are written on the latest version: they move with it to the next.
    let latest = c.state().store.law_versions(law.id).await?.last().map(|v| v.id);
    if latest != Some(version_id) {
        errors.push(ValidationError::new("article_number", "version-not-latest"));
    }
    errors.extend(check_references(c, &input).await?);
    if !errors.is_empty() {
        return Ok(Err(errors));
    }
    let new = NewComment { version_id, input: &input, by: me.id };
    match c.state().store.add_law_comment(law.id, &new, &c.audit("law.comment")).await {
        Ok(comment) => Ok(Ok(comment)),
        Err(e) => Ok(Err(comment_refused(e)?)),
    }
}

pub async fn update_comment<C: Caller>(
    c: &C,
    law: &Law,
    comment_id: i64,
    f: &CommentFields,
) -> Result<Checked<LawComment>, C::Error> {
    c.require(Action::Update, Resource::Law(law_ref(c, law.id).await?))?;
    let me = c.user().ok_or(ErrorCode::Unauthorized)?;
    let store = c.state().store.as_ref();
    let comment =
        store.law_comments(law.id).await?.into_iter().find(|x| x.id == comment_id).ok_or(ErrorCode::NotFound)?;
    let version = open_version(c, law, comment.version_id).await?;
    let input = match f.parse() {
        Ok(i) => i,
        Err(e) => return Ok(Err(e)),
    };
    let mut errors = check_article(&version, &input);
    errors.extend(check_references(c, &input).await?);
    if !errors.is_empty() {
        return Ok(Err(errors));
    }
    let new = NewComment { version_id: comment.version_id, input: &input, by: me.id };
    match store.update_law_comment(law.id, comment_id, &new, &c.audit("law.comment")).await {
        Ok(comment) => Ok(Ok(comment)),
        Err(e) => Ok(Err(comment_refused(e)?)),
    }
}

pub async fn respond<C: Caller>(
    c: &C,
    law: &Law,
    comment_id: i64,
    f: &ResponseFields,
) -> Result<Checked<LawComment>, C::Error> {
    c.require(Action::Update, Resource::Law(law_ref(c, law.id).await?))?;
    let input = match f.parse() {
        Ok(i) => i,
        Err(e) => return Ok(Err(e)),
    };
    match c
        .state()
        .store
        .set_law_comment_response(law.id, comment_id, &NewResponse { input: &input }, &c.audit("law.response"))
        .await
    {
        Ok(comment) => Ok(Ok(comment)),
        Err(StoreError::NotFound) => Err(ErrorCode::NotFound.into()),
        Err(e) => Err(e.into()),
    }
}

/// What a law links to, as a form gives it.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct LinkFields {
    /// `recommendation`, `case` or `intervention`.
    pub kind: String,
    /// The record's id.
    pub target: String,
    /// `1`: remove the link instead.
    pub remove: String,
}

/// Links (or unlinks) a record the caller may see: a case (and an
/// intervention's case) through monitoring's policy.
pub async fn link<C: Caller>(c: &C, law: &Law, f: &LinkFields) -> Result<Checked<()>, C::Error> {
    c.require(Action::Update, Resource::Law(law_ref(c, law.id).await?))?;
    let kind = match f.kind.trim() {
        "recommendation" => LawLinkKind::Recommendation,
        "case" => LawLinkKind::Case,
        "intervention" => LawLinkKind::Intervention,
        _ => return Ok(Err(vec![ValidationError::new("kind", "invalid-choice")])),
    };
    let Some(target) = f.target.trim().parse::<i64>().ok().filter(|t| *t > 0) else {
        return Ok(Err(unknown("target")));
    };
    let store = c.state().store.as_ref();
    // A record the caller may not see is refused like one that does not exist.
    let visible = match kind {
        LawLinkKind::Recommendation => store.recommendation(target).await?.is_some(),
        LawLinkKind::Case => case_visible(c, target).await?,
        LawLinkKind::Intervention => match store.intervention(target).await? {
            Some(i) => case_visible(c, i.case_id).await?,
            None => false,
        },
    };
    if !visible {
        return Ok(Err(unknown("target")));
    }
    let remove = matches!(f.remove.trim(), "1" | "true" | "on");
    let done = if remove {
        store.unlink_law(law.id, kind, target, &c.audit("law.unlink")).await
    } else {
        store.link_law(law.id, kind, target, &c.audit("law.link")).await
    };
    match done {
        Ok(()) => Ok(Ok(())),
        Err(StoreError::Constraint(_)) | Err(StoreError::NotFound) => Ok(Err(unknown("target"))),
        Err(e) => Err(e.into()),
    }
}

async fn case_visible<C: Caller>(c: &C, case_id: i64) -> Result<bool, C::Error> {
    let Some(case) = c.state().store.case(case_id).await? else { return Ok(false) };
    let r = crate::monitoring::service::case_ref(c.user_id(), &case);
    Ok(c.allows(Action::View, Resource::Case(r)))
}

/// The links a caller may see: cases (and their interventions) through
/// monitoring's policy, recommendations through mechanisms' (a focal point
/// sees their institution's only).
pub async fn visible_links<C: Caller>(c: &C, law: &Law) -> Result<LawLinks, C::Error> {
    let mut links = c.state().store.law_links(law.id).await?;
    let mut visible = std::collections::HashMap::new();
    let case_ids: Vec<i64> =
        links.cases.iter().map(|k| k.id).chain(links.interventions.iter().map(|k| k.case_id)).collect();
    for id in case_ids {
        if let std::collections::hash_map::Entry::Vacant(slot) = visible.entry(id) {
            slot.insert(case_visible(c, id).await?);
        }
    }
    links.cases.retain(|k| visible.get(&k.id) == Some(&true));
    links.interventions.retain(|k| visible.get(&k.case_id) == Some(&true));
    visible_recommendations(c, &mut links.recommendations);
    Ok(links)
}

/// What of a list of recommendations the caller may see: none without the
/// mechanisms module, a focal point's institution's only.
pub fn visible_recommendations<C: Caller>(c: &C, recs: &mut Vec<LinkedRecommendation>) {
    if !c.allows(Action::View, Resource::Module(Module::Mechanisms)) {
        recs.clear();
        return;
    }
    if c.user().is_some_and(|u| u.role == rightsdesk_domain::Role::FocalPoint) {
        let org = c.user().and_then(|u| u.organisation_id);
        recs.retain(|r| org.is_some_and(|o| r.institutions.contains(&o)));
    }
}

/// A law's comments with only the recommendations the caller may see.
pub async fn visible_comments<C: Caller>(c: &C, law_id: i64) -> Result<Vec<LawComment>, C::Error> {
    let mut comments = c.state().store.law_comments(law_id).await?;
    for comment in &mut comments {
        visible_recommendations(c, &mut comment.recommendations);
    }
    Ok(comments)
}

/// How many of the office's recommendations on a law the Government took up.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct ResponseSummary {
    pub comments: i64,
    pub responded: i64,
    pub accepted: i64,
    pub partly_accepted: i64,
    pub rejected: i64,
    pub no_response: i64,
    /// Accepted in full or in part.
    pub taken_up: i64,
}

pub fn response_summary(comments: &[LawComment]) -> ResponseSummary {
    let mut s = ResponseSummary { comments: comments.len() as i64, ..Default::default() };
    for r in comments.iter().filter_map(|c| c.response) {
        s.responded += 1;
        match r {
            GovernmentResponse::Accepted => s.accepted += 1,
            GovernmentResponse::PartlyAccepted => s.partly_accepted += 1,
            GovernmentResponse::Rejected => s.rejected += 1,
            GovernmentResponse::NoResponse => s.no_response += 1,
        }
        if r.taken_up() {
            s.taken_up += 1;
        }
    }
    s
}

/// Two versions of a law compared article by article.
pub struct Comparison {
    pub from: VersionArticles,
    pub to: VersionArticles,
    pub changes: Vec<ArticleChange>,
}

pub async fn compare<C: Caller>(c: &C, law: &Law, from: i64, to: i64) -> Result<Comparison, C::Error> {
    let from = open_version(c, law, from).await?;
    let to = open_version(c, law, to).await?;
    let as_articles = |v: &VersionArticles| -> Vec<Article> {
        v.articles
            .iter()
            .map(|a| Article {
                number: a.number.clone(),
                heading: a.heading.clone(),
                chapter: None,
                text: a.text.clone(),
            })
            .collect()
    };
    let (old, new) = (as_articles(&from), as_articles(&to));
    let changes = tokio::task::spawn_blocking(move || compare_articles(&old, &new, &words))
        .await
        .map_err(|_| ErrorCode::Internal)?;
    Ok(Comparison { from, to, changes })
}
