//! `rightsdesk serve`: start-up, first-run seeding, and the web server.

use super::{demo, now_iso, open_store};
use crate::cli::ServeArgs;
use crate::settings::Settings;
use anyhow::{bail, Context, Result};
use rightsdesk_crypto::Keyring;
use rightsdesk_store::{AuditEntry, ReferenceData, Store, ENCRYPTED_FIELDS};
use rightsdesk_web::AppState;
use std::fs::File;
use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;

/// Held while a server runs on a data directory, so that `restore` cannot
/// swap the database under it and two servers cannot share one SQLite file.
pub fn lock_data_dir(data_dir: &Path) -> Result<File> {
    std::fs::create_dir_all(data_dir)
        .with_context(|| format!("cannot create data directory {}", data_dir.display()))?;
    let path = data_dir.join("rightsdesk.lock");
    let f = File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .with_context(|| format!("cannot open {}", path.display()))?;
    match f.try_lock() {
        Ok(()) => Ok(f),
        Err(_) => bail!("another rightsdesk process is using {} (stop the server first)", data_dir.display()),
    }
}

/// Offices and reference data on first start.
pub async fn bootstrap(store: &Arc<dyn Store>) -> Result<()> {
    if store.list_offices().await?.is_empty() {
        for o in rightsdesk_store::seed_offices() {
            store
                .create_office(
                    &o,
                    &AuditEntry::system("office.create").record("office", "").summary(format!("seed {}", o.code)),
                )
                .await?;
        }
    }
    if !store.reference_loaded().await? {
        let data = ReferenceData::embedded()?;
        let c = store
            .load_reference(&data, &AuditEntry::system("reference.load").summary("embedded reference data"))
            .await?;
        tracing::info!(
            provinces = c.provinces,
            districts = c.districts,
            communes = c.communes,
            articles = c.articles,
            "reference data loaded"
        );
    }
    Ok(())
}

/// Loads the key file, creating it only when no encrypted data exists yet:
/// a new key could never open data sealed with a lost one.
pub async fn load_keys(settings: &Settings, store: &Arc<dyn Store>) -> Result<Keyring> {
    if !settings.key_file.exists() {
        for field in ENCRYPTED_FIELDS {
            if !store.encrypted_values(*field).await?.is_empty() {
                bail!(
                    "the key file {} is missing, but the database holds encrypted data ({}.{}). \
                     Restore the key file from your backup; a new key cannot open this data.",
                    settings.key_file.display(),
                    field.table,
                    field.column
                );
            }
        }
    }
    let (keys, created) = Keyring::load_or_create(&settings.key_file, &now_iso()).context("field-encryption keys")?;
    if created {
        tracing::warn!(path = %settings.key_file.display(), "created a new encryption key file");
        eprintln!(
            "WARNING: created a new encryption key file at {}.\n         Back it up now, separately from the database backups: without it,\n         encrypted fields (identifying data, second factors) cannot be read.",
            settings.key_file.display()
        );
    }
    Ok(keys)
}

/// Seals evidence files stored in clear by a release before sealing (once;
/// later starts find nothing to do). Done before the server listens, so no
/// download meets a file half-way.
fn seal_stored_files(keys: &Keyring, files_dir: &std::path::Path) -> Result<()> {
    // Uploads cut off by a crash (in clear before sealing existed): no
    // upload is in progress before the server listens.
    if let Ok(entries) = std::fs::read_dir(files_dir.join("tmp")) {
        for entry in entries.flatten() {
            let _ = std::fs::remove_file(entry.path());
        }
    }
    let (sealed, mismatched) = rightsdesk_web::files::seal_plaintext_files(keys, files_dir)
        .with_context(|| format!("cannot seal the evidence files in {}", files_dir.display()))?;
    if sealed > 0 {
        tracing::info!(sealed, "evidence files stored in clear are now sealed with the field key");
    }
    for name in mismatched {
        tracing::error!(file = name, "evidence file left as it is: its content does not match its name (damaged?)");
    }
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
    tracing::info!("shutting down");
}

pub async fn serve(settings: &Settings, args: &ServeArgs) -> Result<ExitCode> {
    let _lock = lock_data_dir(&settings.data_dir)?;
    let config = settings.web_config(args)?;
    let store = open_store(settings).await?;
    let keys = load_keys(settings, &store).await?;
    bootstrap(&store).await?;
    seal_stored_files(&keys, &config.files_dir)?;
    let addr = settings.listen(args);
    let listener = tokio::net::TcpListener::bind(addr).await.with_context(|| format!("cannot listen on {addr}"))?;
    let local = listener.local_addr()?;
    let url = format!("http://{local}/");
    if args.demo {
        demo::load_if_empty(&store, &keys, &url).await?;
    }
    // The address once, on standard output (scripts and tests read it there).
    tracing::info!(database = %settings.database.redacted(), "serving");
    println!("rightsdesk listening on {url}");
    // The search index of this node, fed by the change log in the
    // background: built from scratch when empty, then caught up every two
    // seconds. Pages answer meanwhile; search results fill in as it goes.
    let index = Arc::new(open_index(settings)?);
    let feeder = {
        let (store, index) = (store.clone(), index.clone());
        tokio::spawn(async move {
            if index.is_empty() {
                match rightsdesk_search::indexer::rebuild(store.as_ref(), &index).await {
                    Ok(n) => tracing::info!(changes = n, documents = index.len(), "search index built"),
                    Err(e) => tracing::warn!(error = %e, "search index build failed; catching up instead"),
                }
            }
            let mut tick = tokio::time::interval(std::time::Duration::from_secs(2));
            loop {
                tick.tick().await;
                if let Err(e) = rightsdesk_search::indexer::catch_up(store.as_ref(), &index).await {
                    tracing::warn!(error = %e, "search indexing failed; retrying");
                }
            }
        })
    };
    // The protection scheduler: what is due, from the database, every pass.
    let mailer = match &settings.file.smtp {
        Some(smtp) => Some(crate::scheduler::Mailer::new(smtp)?),
        None => {
            tracing::info!("no SMTP server configured: protection alerts stay in the application");
            None
        }
    };
    let every = std::time::Duration::from_secs(settings.file.alert_scan_seconds.unwrap_or(60).max(1));
    let scheduler = tokio::spawn(crate::scheduler::run(store.clone(), mailer, settings.public_url(&url), every));
    let state = AppState::with_search(store.clone(), Arc::new(keys), config, index);
    rightsdesk_web::serve(listener, state, shutdown_signal()).await.context("server failed")?;
    scheduler.abort();
    feeder.abort();
    store.close().await;
    Ok(ExitCode::SUCCESS)
}

/// The search index in the data directory (`DATA_DIR/index`).
pub fn open_index(settings: &Settings) -> Result<rightsdesk_search::SearchIndex> {
    let dir = settings.data_dir.join("index");
    rightsdesk_search::SearchIndex::open(Some(&dir))
        .with_context(|| format!("cannot open the search index in {}", dir.display()))
}

/// `rightsdesk reindex`: builds the index again from the database.
pub async fn reindex(settings: &Settings) -> Result<ExitCode> {
    let _lock = lock_data_dir(&settings.data_dir)?;
    let store = open_store(settings).await?;
    bootstrap(&store).await?;
    let index = open_index(settings)?;
    let started = std::time::Instant::now();
    let n = rightsdesk_search::indexer::rebuild(store.as_ref(), &index).await?;
    println!("indexed {} documents from {n} changes in {:.1} s", index.len(), started.elapsed().as_secs_f64());
    Ok(ExitCode::SUCCESS)
}
