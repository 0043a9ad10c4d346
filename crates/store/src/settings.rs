//! The database URL picks the backend: `sqlite://PATH` or `postgres://...`.

use crate::StoreError;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn as_str(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DatabaseUrl {
    Sqlite(PathBuf),
    Postgres(String),
}

impl DatabaseUrl {
    /// Parses a URL; `None` means the default SQLite file in the data directory.
    pub fn resolve(url: Option<&str>, data_dir: &Path) -> Result<Self, StoreError> {
        let Some(url) = url.map(str::trim).filter(|u| !u.is_empty()) else {
            return Ok(DatabaseUrl::Sqlite(data_dir.join("rightsdesk.db")));
        };
        if let Some(rest) = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:")) {
            let path = rest.split('?').next().unwrap_or_default();
            if path.is_empty() {
                return Err(StoreError::Unsupported("sqlite URL without a file path".into()));
            }
            return Ok(DatabaseUrl::Sqlite(PathBuf::from(path)));
        }
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Ok(DatabaseUrl::Postgres(url.to_string()));
        }
        Err(StoreError::Unsupported(
            "database URL must start with sqlite:// or postgres:// (any other scheme is not supported)".into(),
        ))
    }

    pub fn backend(&self) -> Backend {
        match self {
            DatabaseUrl::Sqlite(_) => Backend::Sqlite,
            DatabaseUrl::Postgres(_) => Backend::Postgres,
        }
    }

    /// The URL without its password, fit for logs and messages.
    pub fn redacted(&self) -> String {
        match self {
            DatabaseUrl::Sqlite(p) => format!("sqlite://{}", p.display()),
            DatabaseUrl::Postgres(u) => match (u.find("://"), u.rfind('@')) {
                (Some(s), Some(at)) if at > s && u[s + 3..at].contains(':') => {
                    let user = u[s + 3..at].split(':').next().unwrap_or_default();
                    format!("{}://{}:***@{}", &u[..s], user, &u[at + 1..])
                }
                _ => u.clone(),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_picks_backend() {
        let d = Path::new("/data");
        assert_eq!(DatabaseUrl::resolve(None, d).unwrap(), DatabaseUrl::Sqlite("/data/rightsdesk.db".into()));
        assert_eq!(
            DatabaseUrl::resolve(Some("sqlite:///tmp/x.db"), d).unwrap(),
            DatabaseUrl::Sqlite("/tmp/x.db".into())
        );
        assert_eq!(DatabaseUrl::resolve(Some("postgres://u@h/db"), d).unwrap().backend(), Backend::Postgres);
        assert!(DatabaseUrl::resolve(Some("mysql://x"), d).is_err());
        let r = DatabaseUrl::resolve(Some("postgres://app:s3cret@db:5432/rd"), d).unwrap().redacted();
        assert!(!r.contains("s3cret"), "{r}");
        assert_eq!(r, "postgres://app:***@db:5432/rd");
        let plain = DatabaseUrl::resolve(Some("postgres://app@db/rd?sslmode=require"), d).unwrap().redacted();
        assert_eq!(plain, "postgres://app@db/rd?sslmode=require");
    }
}
