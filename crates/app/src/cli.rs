//! Command-line interface: `rightsdesk <command>`.

use clap::{Args, Parser, Subcommand};
use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(
    name = "rightsdesk",
    version,
    about = "rightsdesk: the information system of a human rights field office",
    long_about = "rightsdesk: the information system of a human rights field office.\n\n\
                  Settings come from command-line flags, then RIGHTSDESK_* environment variables, \
                  then the TOML file given by --config (or rightsdesk.toml in the data directory). \
                  Secrets can be read from files: RIGHTSDESK_DATABASE_URL_FILE."
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Args, Debug, Clone, Default)]
pub struct GlobalArgs {
    /// Directory for the SQLite database, the key file and uploaded files [default: ./rightsdesk-data]
    #[arg(long, global = true, env = "RIGHTSDESK_DATA_DIR", value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// Database URL: sqlite://PATH or postgres://USER:PASSWORD@HOST/DB [default: SQLite file in the data directory]
    #[arg(long, global = true, env = "RIGHTSDESK_DATABASE_URL", value_name = "URL", hide_env_values = true)]
    pub database: Option<String>,
    /// Field-encryption key file [default: DATA_DIR/rightsdesk.key]
    #[arg(long, global = true, env = "RIGHTSDESK_KEY_FILE", value_name = "FILE")]
    pub key_file: Option<PathBuf>,
    /// TOML configuration file [default: DATA_DIR/rightsdesk.toml, if present]
    #[arg(long, global = true, env = "RIGHTSDESK_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Run the web server (pages and API)
    Serve(ServeArgs),
    /// Apply database migrations and exit
    Migrate,
    /// Build the search index again from the database (stop the server first)
    Reindex,
    /// Manage staff accounts
    #[command(subcommand)]
    User(UserCommand),
    /// Manage API tokens
    #[command(subcommand)]
    Token(TokenCommand),
    /// Check the audit log
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Manage the field-encryption keys
    #[command(subcommand)]
    Key(KeyCommand),
    /// Fictional demonstration data
    #[command(subcommand)]
    Demo(DemoCommand),
    /// Extra vocabularies (HURIDOCS micro-thesauri)
    #[command(subcommand)]
    Vocabulary(VocabularyCommand),
    /// Import recommendations of UN mechanisms
    #[command(subcommand)]
    Import(ImportCommand),
    /// Ratification status of other States
    #[command(subcommand)]
    Treaties(TreatiesCommand),
    /// Names of people in the free text of their cases
    #[command(subcommand)]
    Names(NamesCommand),
    /// Write a backup while the server runs: a consistent copy of the SQLite database and its evidence files
    Backup {
        /// The backup directory to create (must not exist): the database and every evidence file
        file: PathBuf,
    },
    /// Replace the SQLite database and evidence files with a backup (stop the server first)
    Restore {
        /// A backup directory written by `rightsdesk backup` (or a database file alone)
        file: PathBuf,
    },
}

#[derive(Args, Debug, Clone, Default)]
pub struct ServeArgs {
    /// Address to listen on [default: 127.0.0.1:8080]
    #[arg(long, env = "RIGHTSDESK_LISTEN", value_name = "ADDR")]
    pub listen: Option<SocketAddr>,
    /// On an empty database: load a small fictional demo dataset and create a demo administrator
    #[arg(long)]
    pub demo: bool,
    /// Mark cookies Secure (serve over HTTPS, directly or behind a proxy)
    #[arg(long, env = "RIGHTSDESK_SECURE_COOKIES", num_args = 0..=1, default_missing_value = "true", value_name = "BOOL")]
    pub secure_cookies: Option<bool>,
    /// Trust X-Forwarded-For from a reverse proxy
    #[arg(long, env = "RIGHTSDESK_TRUST_PROXY", num_args = 0..=1, default_missing_value = "true", value_name = "BOOL")]
    pub trust_proxy: Option<bool>,
    /// Administrators must use an authenticator app (TOTP)
    #[arg(long, env = "RIGHTSDESK_REQUIRE_TOTP_FOR_ADMINS", num_args = 0..=1, default_missing_value = "true", value_name = "BOOL")]
    pub require_totp_for_admins: Option<bool>,
    /// Minutes of inactivity after which a session ends [default: 60]
    #[arg(long, env = "RIGHTSDESK_SESSION_IDLE_MINUTES")]
    pub session_idle_minutes: Option<u64>,
    /// Hours after sign-in when a session ends regardless [default: 12]
    #[arg(long, env = "RIGHTSDESK_SESSION_MAX_HOURS")]
    pub session_max_hours: Option<u64>,
    /// Largest evidence file accepted, in MiB [default: 50]
    #[arg(long, env = "RIGHTSDESK_MAX_UPLOAD_MB")]
    pub max_upload_mb: Option<u64>,
}

#[derive(Subcommand, Debug)]
pub enum UserCommand {
    /// Create a staff account
    Add {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        /// admin, head_of_office, officer, legal_officer, mechanisms_officer, programme_officer, analyst, viewer
        /// or focal_point
        #[arg(long)]
        role: String,
        /// Office code, e.g. PNH or BTB
        #[arg(long)]
        office: String,
        /// For a focal point: the English name of their institution (an organisation)
        #[arg(long)]
        institution: Option<String>,
        /// Read the password from standard input (otherwise a strong one is generated and printed)
        #[arg(long)]
        password_stdin: bool,
    },
    /// List staff accounts
    List,
    /// Disable an account: ends its sessions and revokes its API tokens
    Disable {
        #[arg(long)]
        email: String,
    },
}

#[derive(Subcommand, Debug)]
pub enum TokenCommand {
    /// Create an API token for a user and print it (it is stored hashed and cannot be shown again)
    Create {
        #[arg(long)]
        email: String,
        #[arg(long)]
        label: String,
    },
}

#[derive(Subcommand, Debug)]
pub enum AuditCommand {
    /// Check the hash chain: exit 0 when intact, 1 naming the first event that does not verify
    Verify,
}

#[derive(Subcommand, Debug)]
pub enum KeyCommand {
    /// Add a new encryption key, make it active and re-encrypt every encrypted field with it
    Rotate,
}

#[derive(Subcommand, Debug)]
pub enum DemoCommand {
    /// Add N realistic, clearly fictional cases (people, acts, interventions), the same for the same seed
    Generate {
        #[arg(long, default_value_t = 100)]
        cases: u64,
        #[arg(long, default_value_t = 2026)]
        seed: u64,
        /// Also add this many fictional protection files, each with a check-in schedule and history
        #[arg(long, default_value_t = 0)]
        protection_files: u64,
        /// Check-ins recorded per generated protection file
        #[arg(long, default_value_t = 20)]
        checkins_per_file: u64,
    },
}

#[derive(Subcommand, Debug)]
pub enum VocabularyCommand {
    /// Import the HURIDOCS micro-thesauri terms file (CSV with list_code, list_name, vocab_number, huri_code,
    /// term_level, parent_vocab_number, term_order, visible, english, french, spanish); every bad row is
    /// reported with its line and column and nothing is imported unless all are valid
    ImportHuridocs {
        file: PathBuf,
        /// Check the file only
        #[arg(long)]
        dry_run: bool,
    },
}

#[derive(Subcommand, Debug)]
pub enum ImportCommand {
    /// Import UPR recommendations from a CSV file in the UPR Info layout (id, session, state_under_review,
    /// recommendation, recommending_state, response, action_category, issues). Re-importing updates
    /// recommendations instead of adding them again; each rejected row is reported with its line, column
    /// and reason, and the other rows are imported
    Upr {
        file: PathBuf,
        /// Check the file and report what would be added, updated and rejected, without writing
        #[arg(long)]
        dry_run: bool,
    },
    /// Import recommendations of any mechanism (treaty bodies, special procedures) from a CSV or XLSX file,
    /// with its columns mapped to fields: --map text=Recommendation --map document_symbol=Symbol ...
    /// Fields: text (required), mechanism_code, state_under_review, document_symbol, paragraph, session,
    /// issued_on, recommending_state, response, themes, source_key
    Recommendations {
        file: PathBuf,
        /// FIELD=COLUMN HEADER, once per mapped field
        #[arg(long = "map", value_name = "FIELD=HEADER")]
        map: Vec<String>,
        /// Mechanism of rows without one (CCPR, CRC, SR-CAMBODIA, ...)
        #[arg(long, default_value = "")]
        mechanism: String,
        /// State of rows without one
        #[arg(long, default_value = "Cambodia")]
        state: String,
        #[arg(long)]
        dry_run: bool,
    },
}

#[derive(Subcommand, Debug)]
pub enum NamesCommand {
    /// Check the stored free text of every case (title, narrative, acts, interventions, sources,
    /// evidence descriptions, custody notes, status reasons) for the names of its people, as the
    /// forms do; list each record to fix with the codes found, never the names. Exits 1 when any
    /// is found
    Check,
}

#[derive(Subcommand, Debug)]
pub enum TreatiesCommand {
    /// Import the status of States under the core instruments from a CSV in either layout of
    /// testdata/treaties/ (UN Treaty Collection participation, or the 2022 UN-member status table);
    /// a State already known is updated
    Import {
        file: PathBuf,
        #[arg(long)]
        dry_run: bool,
    },
}
