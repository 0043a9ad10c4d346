//! One module per group of commands.

mod accounts;
mod demo;
mod maintenance;
mod mechanisms;
mod serve;
mod vocabulary;

use crate::cli::{
    AuditCommand, Cli, Command, DemoCommand, ImportCommand, KeyCommand, NamesCommand, TokenCommand, TreatiesCommand,
    UserCommand, VocabularyCommand,
};
use crate::settings::Settings;
use anyhow::{Context, Result};
use rightsdesk_store::{DatabaseUrl, Store};
use rightsdesk_store_postgres::PostgresStore;
use rightsdesk_store_sqlite::SqliteStore;
use std::process::ExitCode;
use std::sync::Arc;

pub async fn run(cli: Cli) -> Result<ExitCode> {
    let settings = Settings::resolve(&cli.global)?;
    match cli.command {
        Command::Serve(args) => serve::serve(&settings, &args).await,
        Command::Migrate => maintenance::migrate(&settings).await,
        Command::Reindex => serve::reindex(&settings).await,
        Command::User(UserCommand::Add { email, name, role, office, institution, password_stdin }) => {
            accounts::add_user(&settings, &email, &name, &role, &office, institution.as_deref(), password_stdin).await
        }
        Command::User(UserCommand::List) => accounts::list_users(&settings).await,
        Command::User(UserCommand::Disable { email }) => accounts::disable_user(&settings, &email).await,
        Command::Token(TokenCommand::Create { email, label }) => {
            accounts::create_token(&settings, &email, &label).await
        }
        Command::Audit(AuditCommand::Verify) => maintenance::audit_verify(&settings).await,
        Command::Key(KeyCommand::Rotate) => maintenance::key_rotate(&settings).await,
        Command::Demo(DemoCommand::Generate { cases, seed, protection_files, checkins_per_file }) => {
            demo::generate_command(&settings, cases, seed, protection_files, checkins_per_file).await
        }
        Command::Vocabulary(VocabularyCommand::ImportHuridocs { file, dry_run }) => {
            vocabulary::import_huridocs(&settings, &file, dry_run).await
        }
        Command::Import(ImportCommand::Upr { file, dry_run }) => {
            mechanisms::import_upr(&settings, &file, dry_run).await
        }
        Command::Import(ImportCommand::Recommendations { file, map, mechanism, state, dry_run }) => {
            mechanisms::import_mapped(&settings, &file, &map, &mechanism, &state, dry_run).await
        }
        Command::Treaties(TreatiesCommand::Import { file, dry_run }) => {
            mechanisms::import_treaties(&settings, &file, dry_run).await
        }
        Command::Names(NamesCommand::Check) => maintenance::names_check(&settings).await,
        Command::Backup { file } => maintenance::backup(&settings, &file).await,
        Command::Restore { file } => maintenance::restore(&settings, &file).await,
    }
}

/// Opens the configured database and applies pending migrations.
pub async fn open_store(settings: &Settings) -> Result<Arc<dyn Store>> {
    let what = settings.database.redacted();
    let store: Arc<dyn Store> = match &settings.database {
        DatabaseUrl::Sqlite(path) => {
            Arc::new(SqliteStore::open(path).await.with_context(|| format!("cannot open database {what}"))?)
        }
        DatabaseUrl::Postgres(url) => {
            Arc::new(PostgresStore::connect(url).await.with_context(|| format!("cannot open database {what}"))?)
        }
    };
    Ok(store)
}

pub fn now_iso() -> String {
    time::OffsetDateTime::now_utc().format(&time::format_description::well_known::Rfc3339).unwrap_or_default()
}
