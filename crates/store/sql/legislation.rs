// Legislation SQL shared by both backends (see shared.rs for how the files
// are compiled into each backend crate): the register, versions, comments.

use rightsdesk_domain::legislation::{
    ArticleChangeKind, CommentSeverity, CommentStatus, GovernmentResponse, LawInput, LawPriority, LawStage,
    LawStructure, VersionFormat,
};
use rightsdesk_store::legislation::*;

include!("legislation/laws.rs");
include!("legislation/versions.rs");
include!("legislation/comments.rs");
