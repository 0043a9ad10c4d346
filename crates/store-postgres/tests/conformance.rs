//! The shared conformance suite on PostgreSQL, when `RIGHTSDESK_TEST_POSTGRES_URL`
//! is set: a database created and dropped per test.

use rightsdesk_store::conformance::{BoxFut, TestDb};
use rightsdesk_store_postgres::{testing, PostgresStore};
use std::sync::Arc;

fn fresh_postgres() -> BoxFut<Option<TestDb>> {
    Box::pin(async {
        let (url, name) = testing::create_database().await?;
        let store = PostgresStore::connect(&url).await.expect("connect to test database");
        Some(TestDb {
            store: Arc::new(store),
            cleanup: Some(Box::pin(async move { testing::drop_database(&name).await })),
        })
    })
}

rightsdesk_store::conformance_tests!(fresh_postgres);
