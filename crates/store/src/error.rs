use thiserror::Error;

/// Storage errors. Messages never carry record contents, only what failed.
#[derive(Debug, Error)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    /// A uniqueness rule was broken; names the rule, e.g. `users.email`.
    #[error("already exists: {0}")]
    Conflict(String),
    /// A foreign key or check constraint refused the write.
    #[error("refused by a database constraint: {0}")]
    Constraint(String),
    #[error("not supported by this backend: {0}")]
    Unsupported(String),
    #[error("invalid data in the database: {0}")]
    Corrupt(String),
    #[error("database error: {0}")]
    Backend(String),
}

pub type StoreResult<T> = Result<T, StoreError>;
