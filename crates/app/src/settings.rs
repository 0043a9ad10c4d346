//! Settings: flags, then environment, then the TOML file, then defaults.

use crate::cli::{GlobalArgs, ServeArgs};
use anyhow::{bail, Context, Result};
use rightsdesk_store::DatabaseUrl;
use rightsdesk_web::WebConfig;
use serde::Deserialize;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The optional TOML file. Every key is optional.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    pub data_dir: Option<PathBuf>,
    pub database_url: Option<String>,
    pub key_file: Option<PathBuf>,
    pub listen: Option<SocketAddr>,
    pub secure_cookies: Option<bool>,
    pub trust_proxy: Option<bool>,
    pub require_totp_for_admins: Option<bool>,
    pub session_idle_minutes: Option<u64>,
    pub session_max_hours: Option<u64>,
    pub max_upload_mb: Option<u64>,
}

#[derive(Debug)]
pub struct Settings {
    pub data_dir: PathBuf,
    pub database: DatabaseUrl,
    pub key_file: PathBuf,
    pub file: FileConfig,
}

fn read_file_config(path: &Path) -> Result<FileConfig> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read configuration file {}", path.display()))?;
    toml::from_str(&text).with_context(|| format!("configuration file {} is not valid", path.display()))
}

/// `RIGHTSDESK_DATABASE_URL_FILE`: the URL (with its password) kept in a file.
fn database_url_from_file() -> Result<Option<String>> {
    match std::env::var_os("RIGHTSDESK_DATABASE_URL_FILE") {
        Some(p) => {
            let text = std::fs::read_to_string(&p)
                .with_context(|| format!("cannot read RIGHTSDESK_DATABASE_URL_FILE {}", PathBuf::from(&p).display()))?;
            Ok(Some(text.trim().to_string()))
        }
        None => Ok(None),
    }
}

impl Settings {
    pub fn resolve(g: &GlobalArgs) -> Result<Self> {
        let explicit_config = g.config.clone();
        let pre_dir = g.data_dir.clone().unwrap_or_else(|| PathBuf::from("rightsdesk-data"));
        let file = match &explicit_config {
            Some(p) => read_file_config(p)?,
            None => {
                let p = pre_dir.join("rightsdesk.toml");
                if p.exists() {
                    read_file_config(&p)?
                } else {
                    FileConfig::default()
                }
            }
        };
        let data_dir = g.data_dir.clone().or_else(|| file.data_dir.clone()).unwrap_or(pre_dir);
        let url = match g.database.clone() {
            Some(u) => Some(u),
            None => database_url_from_file()?.or_else(|| file.database_url.clone()),
        };
        let database = DatabaseUrl::resolve(url.as_deref(), &data_dir).map_err(|e| anyhow::anyhow!("{e}"))?;
        let key_file =
            g.key_file.clone().or_else(|| file.key_file.clone()).unwrap_or_else(|| data_dir.join("rightsdesk.key"));
        Ok(Settings { data_dir, database, key_file, file })
    }

    pub fn listen(&self, a: &ServeArgs) -> SocketAddr {
        a.listen.or(self.file.listen).unwrap_or_else(|| SocketAddr::from(([127, 0, 0, 1], 8080)))
    }

    pub fn web_config(&self, a: &ServeArgs) -> Result<WebConfig> {
        let d = WebConfig::default();
        let idle = a
            .session_idle_minutes
            .or(self.file.session_idle_minutes)
            .map(|m| Duration::from_secs(m * 60))
            .unwrap_or(d.session_idle);
        let max = a
            .session_max_hours
            .or(self.file.session_max_hours)
            .map(|h| Duration::from_secs(h * 3600))
            .unwrap_or(d.session_absolute);
        if idle.is_zero() || max.is_zero() {
            bail!("session durations must be greater than zero");
        }
        Ok(WebConfig {
            secure_cookies: a.secure_cookies.or(self.file.secure_cookies).unwrap_or(false),
            trust_proxy: a.trust_proxy.or(self.file.trust_proxy).unwrap_or(false),
            require_totp_for_admins: a.require_totp_for_admins.or(self.file.require_totp_for_admins).unwrap_or(false),
            session_idle: idle,
            session_absolute: max,
            files_dir: self.data_dir.join("files"),
            max_upload_bytes: a
                .max_upload_mb
                .or(self.file.max_upload_mb)
                .map(|m| m * 1024 * 1024)
                .unwrap_or(d.max_upload_bytes),
            ..d
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_win_over_file_and_defaults_fill_in() {
        let dir = tempfile::tempdir().unwrap();
        let cfg = dir.path().join("c.toml");
        std::fs::write(&cfg, "listen = \"0.0.0.0:9000\"\nsession_idle_minutes = 5\nsecure_cookies = true\n").unwrap();
        let g = GlobalArgs { data_dir: Some(dir.path().to_path_buf()), config: Some(cfg), ..Default::default() };
        let s = Settings::resolve(&g).unwrap();
        assert_eq!(s.database, DatabaseUrl::Sqlite(dir.path().join("rightsdesk.db")));
        assert_eq!(s.key_file, dir.path().join("rightsdesk.key"));
        let a = ServeArgs { listen: Some("127.0.0.1:1".parse().unwrap()), ..Default::default() };
        assert_eq!(s.listen(&a).port(), 1);
        assert_eq!(s.listen(&ServeArgs::default()).port(), 9000);
        let w = s.web_config(&ServeArgs::default()).unwrap();
        assert_eq!(w.session_idle, Duration::from_secs(300));
        assert!(w.secure_cookies);
    }

    #[test]
    fn unknown_file_keys_are_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let cfg = dir.path().join("c.toml");
        std::fs::write(&cfg, "lisen = \"x\"\n").unwrap();
        let g = GlobalArgs { config: Some(cfg), ..Default::default() };
        assert!(Settings::resolve(&g).is_err());
    }
}
