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
    /// The address users reach rightsdesk at (links in alert e-mails), e.g. `https://rightsdesk.example.org`.
    pub public_url: Option<String>,
    /// Seconds between two passes of the protection scheduler (default 60).
    pub alert_scan_seconds: Option<u64>,
    /// Days until a protection file is assessed again, per risk level.
    pub reassessment_days: Option<rightsdesk_domain::protection::ReassessmentDays>,
    /// The SMTP server alert e-mails go through; none: alerts stay in the application.
    pub smtp: Option<SmtpConfig>,
}

/// `[smtp]` of the configuration file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SmtpConfig {
    pub host: String,
    /// Default: 587 with `starttls`, 465 with `tls`, 25 with `none`.
    pub port: Option<u16>,
    pub username: Option<String>,
    /// Or `RIGHTSDESK_SMTP_PASSWORD` in the environment (kept out of the file).
    pub password: Option<String>,
    /// The sender, `rightsdesk <alerts@example.org>`.
    pub from: String,
    /// `starttls` (default), `tls`, or `none` (a relay on the same machine or a test).
    #[serde(default)]
    pub security: SmtpSecurity,
}

#[derive(Debug, Clone, Copy, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum SmtpSecurity {
    #[default]
    Starttls,
    Tls,
    None,
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
            reassessment_days: self.file.reassessment_days.unwrap_or_default(),
            alert_email: self.file.smtp.as_ref().map(|s| s.from.clone()),
            ..d
        })
    }

    /// Where links in e-mails point: `public_url`, else the address served.
    pub fn public_url(&self, served: &str) -> String {
        self.file.public_url.clone().unwrap_or_else(|| served.to_string()).trim_end_matches('/').to_string()
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
    fn smtp_and_reassessment_days_come_from_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let cfg = dir.path().join("c.toml");
        std::fs::write(
            &cfg,
            "public_url = \"https://rd.example.org/\"\n[smtp]\nhost = \"mail.example.org\"\nfrom = \"rightsdesk <alerts@example.org>\"\nsecurity = \"tls\"\n[reassessment_days]\ncritical = 3\n",
        )
        .unwrap();
        let g = GlobalArgs { data_dir: Some(dir.path().to_path_buf()), config: Some(cfg), ..Default::default() };
        let s = Settings::resolve(&g).unwrap();
        let smtp = s.file.smtp.clone().unwrap();
        assert_eq!((smtp.security, smtp.port), (SmtpSecurity::Tls, None));
        let w = s.web_config(&ServeArgs::default()).unwrap();
        assert_eq!(w.alert_email.as_deref(), Some("rightsdesk <alerts@example.org>"));
        assert_eq!((w.reassessment_days.critical, w.reassessment_days.low), (3, 90));
        assert_eq!(s.public_url("http://127.0.0.1:1/"), "https://rd.example.org");
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
