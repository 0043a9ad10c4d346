//! `rightsdesk user ...` and `rightsdesk token ...`.

use super::open_store;
use crate::settings::Settings;
use anyhow::{bail, Context, Result};
use rightsdesk_crypto::{hash_password, new_token};
use rightsdesk_domain::{check_password, NewUserInput};
use rightsdesk_store::{AuditEntry, NewUser, StoreError};
use std::io::BufRead;
use std::process::ExitCode;

fn cli_audit(action: &str) -> AuditEntry {
    AuditEntry::new(None, "command line", action)
}

/// A strong, typeable password: 20 characters from an unambiguous alphabet.
pub fn generate_password() -> String {
    use rand::Rng;
    const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut rng = rand::rngs::OsRng;
    (0..20).map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char).collect()
}

pub async fn add_user(
    settings: &Settings,
    email: &str,
    name: &str,
    role: &str,
    office: &str,
    institution: Option<&str>,
    password_stdin: bool,
) -> Result<ExitCode> {
    let input = NewUserInput::parse(email, name, role, office).map_err(|errs| {
        let list: Vec<String> = errs.iter().map(|e| format!("--{}: {}", e.field, e.code)).collect();
        anyhow::anyhow!("invalid account: {}", list.join(", "))
    })?;
    let (password, generated) = if password_stdin {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line).context("cannot read the password from standard input")?;
        (line.trim_end_matches(['\r', '\n']).to_string(), false)
    } else {
        (generate_password(), true)
    };
    check_password("password", &password).map_err(|e| anyhow::anyhow!("password: {}", e.code))?;
    let store = open_store(settings).await?;
    let Some(office) = store.office_by_code(input.office.as_str()).await? else {
        bail!(
            "no office with code {} (offices are created when the server first starts, or on the admin page)",
            input.office
        );
    };
    // A focal point belongs to an institution; no one else does.
    let organisation_id = match (input.role, institution) {
        (rightsdesk_domain::Role::FocalPoint, Some(name)) => {
            let orgs = store.organisations().await?;
            match orgs.iter().find(|o| o.name_en.eq_ignore_ascii_case(name.trim())) {
                Some(o) => Some(o.id),
                None => bail!("no organisation named {name:?} (add it on the organisations page first)"),
            }
        }
        (rightsdesk_domain::Role::FocalPoint, None) => bail!("a focal point needs --institution"),
        (_, Some(_)) => bail!("--institution is only for the focal_point role"),
        (_, None) => None,
    };
    let new = NewUser {
        email: input.email.as_str().into(),
        name: input.name,
        role: input.role,
        office_id: office.id,
        organisation_id,
        locale: Default::default(),
        password_hash: hash_password(&password)?,
    };
    let audit =
        cli_audit("user.create").record("user", "").summary(format!("role={} office={}", input.role, office.code));
    match store.create_user(&new, &audit).await {
        Ok(u) => {
            println!("created user {} ({}, {}, office {})", u.id, u.email, u.role, u.office_code);
            if generated {
                println!("password: {password}");
                println!("(shown once; ask the user to change it on the profile page)");
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(StoreError::Conflict(_)) => {
            bail!("an account with e-mail {}, or one that looks the same, already exists", input.email)
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn list_users(settings: &Settings) -> Result<ExitCode> {
    let store = open_store(settings).await?;
    println!("{:<5} {:<36} {:<20} {:<6} {:<9} name", "id", "email", "role", "office", "status");
    for u in store.list_users().await? {
        let status = if u.disabled { "disabled" } else { "active" };
        println!("{:<5} {:<36} {:<20} {:<6} {:<9} {}", u.id, u.email, u.role.as_str(), u.office_code, status, u.name);
    }
    Ok(ExitCode::SUCCESS)
}

pub async fn disable_user(settings: &Settings, email: &str) -> Result<ExitCode> {
    let store = open_store(settings).await?;
    let email =
        rightsdesk_domain::Email::parse(email).map_err(|_| anyhow::anyhow!("--email: not an e-mail address"))?;
    let Some(u) = store.user_by_email(email.as_str()).await? else { bail!("no account with e-mail {email}") };
    store.set_user_disabled(u.id, true, &cli_audit("user.disable").record("user", u.id)).await?;
    println!("disabled user {} ({}); their sessions ended and API tokens were revoked", u.id, u.email);
    Ok(ExitCode::SUCCESS)
}

pub async fn create_token(settings: &Settings, email: &str, label: &str) -> Result<ExitCode> {
    let label = rightsdesk_domain::platform::required_text("label", label, 80)
        .map_err(|e| anyhow::anyhow!("--label: {}", e.code))?;
    let store = open_store(settings).await?;
    let email =
        rightsdesk_domain::Email::parse(email).map_err(|_| anyhow::anyhow!("--email: not an e-mail address"))?;
    let Some(u) = store.user_by_email(email.as_str()).await? else { bail!("no account with e-mail {email}") };
    if u.disabled {
        bail!("account {email} is disabled");
    }
    let (token, hash) = new_token("rdk_");
    let t = store
        .create_api_token(
            u.id,
            &label,
            &hash,
            &cli_audit("token.create").record("api_token", "").summary(format!("for user {}", u.id)),
        )
        .await?;
    eprintln!("created API token {} \"{}\" for {} (shown once; it is stored hashed)", t.id, t.label, u.email);
    println!("{token}");
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    #[test]
    fn generated_passwords_pass_the_policy_and_differ() {
        let a = super::generate_password();
        assert!(rightsdesk_domain::check_password("p", &a).is_ok());
        assert_ne!(a, super::generate_password());
    }
}
