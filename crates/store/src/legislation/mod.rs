//! Records of the legislation module: the register of draft laws, their
//! stages, versions split into articles, the office's comments with the
//! Government's response, and links to recommendations, cases and
//! interventions.
//!
//! Lists and counts take a [`rightsdesk_domain::LawScope`]: to a focal
//! point only the laws linked to a recommendation of their institution
//! exist, in the database as on the page.

mod records;

pub use records::*;

use crate::*;
use async_trait::async_trait;
use rightsdesk_domain::legislation::{LawInput, LawStage};

/// The register: laws, their stages, the links.
#[async_trait]
pub trait LawStore {
    async fn create_law(&self, new: &NewLaw, audit: &AuditEntry) -> StoreResult<Law>;
    async fn law(&self, id: i64) -> StoreResult<Option<Law>>;
    async fn update_law(&self, id: i64, input: &LawInput, audit: &AuditEntry) -> StoreResult<Law>;
    /// Records the law at `change.stage` since `change.on` (the domain
    /// checked the move and the date); `Conflict` when the law is no longer
    /// at `change.from`.
    async fn change_law_stage(&self, id: i64, change: &NewStage<'_>, audit: &AuditEntry) -> StoreResult<()>;
    async fn law_stages(&self, id: i64) -> StoreResult<Vec<LawStageChange>>;
    /// Laws in the filter's scope, highest priority and latest change first.
    async fn list_laws(&self, f: &LawFilter) -> StoreResult<Vec<Law>>;
    async fn count_laws(&self, f: &LawFilter) -> StoreResult<i64>;
    /// How many laws of the filter (its stage aside) are at each stage.
    async fn count_laws_by_stage(&self, f: &LawFilter) -> StoreResult<Vec<(LawStage, i64)>>;
    /// Whether a focal point's institution has a recommendation linked to the law.
    async fn law_linked_to_institution(&self, id: i64, organisation_id: i64) -> StoreResult<bool>;
    /// Laws with a public-consultation window (for the reporting calendar).
    async fn law_consultations(&self) -> StoreResult<Vec<Law>>;
    /// Links (`Constraint` for an unknown record; linking twice changes nothing).
    async fn link_law(&self, id: i64, kind: LawLinkKind, target: i64, audit: &AuditEntry) -> StoreResult<()>;
    async fn unlink_law(&self, id: i64, kind: LawLinkKind, target: i64, audit: &AuditEntry) -> StoreResult<()>;
    async fn law_links(&self, id: i64) -> StoreResult<LawLinks>;
}

/// Versions of a law and their articles.
#[derive(Debug, Clone)]
pub struct VersionArticles {
    pub version: LawVersion,
    pub articles: Vec<LawArticle>,
}

#[async_trait]
pub trait LawVersionStore {
    /// Adds a version with its articles and file, and moves the comments of
    /// the previous latest version as `new.moves` says, in one transaction.
    /// `Conflict` when the law's latest version is no longer `new.previous`.
    async fn add_law_version(&self, law_id: i64, new: &NewVersion, audit: &AuditEntry) -> StoreResult<LawVersion>;
    /// Oldest first.
    async fn law_versions(&self, law_id: i64) -> StoreResult<Vec<LawVersion>>;
    async fn law_version(&self, version_id: i64) -> StoreResult<Option<VersionArticles>>;
    async fn law_version_file(&self, version_id: i64) -> StoreResult<Option<VersionFile>>;
    /// The version's whole text (what its articles were split from).
    async fn law_version_text(&self, version_id: i64) -> StoreResult<Option<String>>;
    /// Replaces a version's text and articles (the officer's correction of
    /// the split, or the text pasted for a scanned PDF) and moves comments
    /// as `fix.moves` says, in one transaction.
    async fn replace_law_text(&self, version_id: i64, fix: &TextCorrection, audit: &AuditEntry) -> StoreResult<()>;
}

/// The analysis: comments and the Government's responses.
#[async_trait]
pub trait LawCommentStore {
    /// `Constraint` for an unknown instrument article or recommendation;
    /// `Conflict` when `new.version_id` is no longer the law's latest version.
    async fn add_law_comment(&self, law_id: i64, new: &NewComment<'_>, audit: &AuditEntry) -> StoreResult<LawComment>;
    /// Changes a comment still on `new.version_id` (`Conflict` when a new
    /// version moved it meanwhile); the comment stays on its version.
    async fn update_law_comment(
        &self,
        law_id: i64,
        comment_id: i64,
        new: &NewComment<'_>,
        audit: &AuditEntry,
    ) -> StoreResult<LawComment>;
    async fn set_law_comment_response(
        &self,
        law_id: i64,
        comment_id: i64,
        response: &NewResponse<'_>,
        audit: &AuditEntry,
    ) -> StoreResult<LawComment>;
    /// A law's comments in article order (general comments first).
    async fn law_comments(&self, law_id: i64) -> StoreResult<Vec<LawComment>>;
    async fn law_comment(&self, comment_id: i64) -> StoreResult<Option<LawComment>>;
}

/// Legislation as a whole.
pub trait LegislationStore: LawStore + LawVersionStore + LawCommentStore {}

impl<T: LawStore + LawVersionStore + LawCommentStore> LegislationStore for T {}
