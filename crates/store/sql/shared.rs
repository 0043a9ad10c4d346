// The SQL both backends share, compiled into each backend crate with
// `include!` (see docs/decisions/0002-shared-sql.md and docs/architecture.md):
// each backend's lib.rs defines its `Db`, `SqlStore`, `begin_write`,
// `lock_audit_chain` and `reserve_ids`, then includes this file, which
// includes the rest: the helpers, the one write path, and a file per
// resource of the platform and of each line of work.

include!("kit.rs");
include!("tx.rs");

include!("platform/offices.rs");
include!("platform/users.rs");
include!("platform/sessions.rs");
include!("platform/tokens.rs");
include!("platform/audit.rs");
include!("platform/changes.rs");
include!("platform/reference.rs");
include!("platform/maintenance.rs");

include!("monitoring.rs");
include!("mechanisms.rs");
include!("protection.rs");
include!("legislation.rs");
include!("engagement.rs");
