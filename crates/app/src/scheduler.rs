//! The protection scheduler inside `serve`: every pass derives what is due
//! from the database (never from timers in memory), raises the alerts that
//! have none yet, and e-mails the ones nobody has sent. A restart loses no
//! alert and sends none twice: the alert rows record what was raised and
//! what was sent. With PostgreSQL and several nodes, one pass at a time
//! holds the scheduler lock (the others skip), and each alert is claimed
//! before it is sent.

use crate::settings::{SmtpConfig, SmtpSecurity};
use anyhow::{Context, Result};
use lettre::message::{header::ContentType, Mailbox};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use rightsdesk_store::Store;
use std::sync::Arc;
use std::time::Duration;

/// Sends alert e-mails through the configured SMTP server.
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl Mailer {
    pub fn new(c: &SmtpConfig) -> Result<Mailer> {
        let from: Mailbox =
            c.from.parse().with_context(|| format!("smtp.from {:?} is not an e-mail address", c.from))?;
        let builder = match c.security {
            SmtpSecurity::Starttls => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&c.host)
                .with_context(|| format!("smtp.host {}", c.host))?
                .port(c.port.unwrap_or(587)),
            SmtpSecurity::Tls => AsyncSmtpTransport::<Tokio1Executor>::relay(&c.host)
                .with_context(|| format!("smtp.host {}", c.host))?
                .port(c.port.unwrap_or(465)),
            SmtpSecurity::None => {
                AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&c.host).port(c.port.unwrap_or(25))
            }
        };
        let password = std::env::var("RIGHTSDESK_SMTP_PASSWORD").ok().or_else(|| c.password.clone());
        let builder = match (&c.username, password) {
            (Some(u), Some(p)) => builder.credentials(Credentials::new(u.clone(), p)),
            _ => builder,
        };
        Ok(Mailer { transport: builder.timeout(Some(Duration::from_secs(20))).build(), from })
    }
}

/// What one pass did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Pass {
    pub raised: usize,
    pub emailed: usize,
    pub skipped: bool,
}

/// One pass at `now` (Unix seconds).
pub async fn pass(store: &dyn Store, mailer: Option<&Mailer>, public_url: &str, now: i64) -> Result<Pass> {
    let scan = store.scan_alerts(now).await?;
    let mut done = Pass { raised: scan.raised.len(), skipped: scan.skipped, emailed: 0 };
    if scan.skipped {
        return Ok(done);
    }
    let Some(mailer) = mailer else { return Ok(done) };
    for alert in store.claim_unsent_alerts(now, 200).await? {
        let mut sent = 0;
        let mut failed = false;
        for r in store.alert_recipients(alert.id).await? {
            let Ok(to) = r.email.parse::<Mailbox>() else {
                tracing::warn!(user = r.user_id, "an alert recipient's address is not usable");
                continue;
            };
            let (subject, body) = rightsdesk_web::protection::alert_email(&alert, r.locale, public_url);
            let message = Message::builder()
                .from(mailer.from.clone())
                .to(to)
                .subject(subject)
                .header(ContentType::TEXT_PLAIN)
                .body(body)
                .context("building an alert e-mail")?;
            match mailer.transport.send(message).await {
                Ok(_) => sent += 1,
                Err(e) => {
                    tracing::warn!(alert = alert.id, error = %e, "an alert e-mail could not be sent");
                    failed = true;
                }
            }
        }
        if sent == 0 && failed {
            // Nothing went out: give it back for the next pass.
            store.release_alert_claim(alert.id).await?;
        } else {
            store.set_alert_emailed(alert.id, sent).await?;
            done.emailed += 1;
        }
    }
    Ok(done)
}

/// The scheduler's loop, every `every`, until the task is aborted.
pub async fn run(store: Arc<dyn Store>, mailer: Option<Mailer>, public_url: String, every: Duration) {
    let mut tick = tokio::time::interval(every);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        let now = time::OffsetDateTime::now_utc().unix_timestamp();
        match pass(store.as_ref(), mailer.as_ref(), &public_url, now).await {
            Ok(p) if p.raised > 0 || p.emailed > 0 => {
                tracing::info!(raised = p.raised, emailed = p.emailed, "protection alerts")
            }
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "protection scheduler pass failed; retrying"),
        }
    }
}
