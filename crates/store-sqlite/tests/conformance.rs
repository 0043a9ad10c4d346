//! The shared conformance suite on SQLite: a fresh database file per test.

use rightsdesk_store::conformance::{BoxFut, TestDb};
use rightsdesk_store_sqlite::SqliteStore;
use std::sync::Arc;

fn fresh_sqlite() -> BoxFut<Option<TestDb>> {
    Box::pin(async {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = SqliteStore::open(&dir.path().join("test.db")).await.expect("open sqlite");
        Some(TestDb { store: Arc::new(store), cleanup: Some(Box::pin(async move { drop(dir) })) })
    })
}

rightsdesk_store::conformance_tests!(fresh_sqlite);
