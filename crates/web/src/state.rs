//! Shared state of the web server and its settings.

use rightsdesk_crypto::Keyring;
use rightsdesk_store::Store;
use std::collections::HashMap;
use std::net::IpAddr;
use std::ops::Deref;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[derive(Debug, Clone)]
pub struct WebConfig {
    /// Mark cookies `Secure` (set when rightsdesk is served over TLS, directly or behind a proxy).
    pub secure_cookies: bool,
    /// Trust `X-Forwarded-For` from a reverse proxy for the client address.
    pub trust_proxy: bool,
    pub session_idle: Duration,
    pub session_absolute: Duration,
    /// Administrators must enrol a second factor before they can do anything.
    pub require_totp_for_admins: bool,
    /// Failed sign-ins of one account before it is locked for `lockout`.
    pub lockout_threshold: i64,
    pub lockout: Duration,
    /// Failed sign-ins from one address within `ip_window` before it is throttled.
    pub ip_failure_limit: u32,
    pub ip_window: Duration,
    pub max_body_bytes: usize,
    /// Where evidence files are kept, by their SHA-256.
    pub files_dir: std::path::PathBuf,
    /// Largest evidence file accepted.
    pub max_upload_bytes: u64,
    /// Days until a protection file's risk is assessed again, per level.
    pub reassessment_days: rightsdesk_domain::protection::ReassessmentDays,
    /// The sender of alert e-mails, when SMTP is configured (`None`: alerts
    /// stay in the application, and the admin page says so).
    pub alert_email: Option<String>,
}

impl Default for WebConfig {
    fn default() -> Self {
        WebConfig {
            secure_cookies: false,
            trust_proxy: false,
            session_idle: Duration::from_secs(60 * 60),
            session_absolute: Duration::from_secs(12 * 60 * 60),
            require_totp_for_admins: false,
            lockout_threshold: 5,
            lockout: Duration::from_secs(15 * 60),
            ip_failure_limit: 20,
            ip_window: Duration::from_secs(15 * 60),
            max_body_bytes: 1024 * 1024,
            files_dir: std::path::PathBuf::from("rightsdesk-data/files"),
            max_upload_bytes: 50 * 1024 * 1024,
            reassessment_days: Default::default(),
            alert_email: None,
        }
    }
}

pub struct Inner {
    pub store: Arc<dyn Store>,
    pub keys: Arc<Keyring>,
    pub config: WebConfig,
    /// Failed sign-ins per client address (in memory: a restart forgives).
    pub ip_failures: Mutex<HashMap<IpAddr, (u32, Instant)>>,
    /// Failed sign-ins of addresses that have no account, counted as an
    /// account's are, so that after the same number of failures they get
    /// the same "locked for N minutes" answer and a lock tells a stranger
    /// nothing about which addresses exist.
    unknown_failures: Mutex<HashMap<String, (i64, Option<Instant>)>>,
    /// The search index of this node, once opened.
    pub search: Option<Arc<rightsdesk_search::SearchIndex>>,
    /// Facet counts of the recommendation list by filter, with the change
    /// log sequence they were counted at (six aggregate scans of the whole
    /// corpus otherwise on every list view: 75 ms of 41,066 rows, the
    /// largest cost in the load test's mix).
    pub recommendation_facets: Mutex<HashMap<String, (i64, rightsdesk_store::RecommendationFacets)>>,
    /// Names of Cambodia's provinces, districts and communes, read once: the
    /// gazetteer ships with the product and changes only by migration (a
    /// restart), and every case page and list shows place names.
    places: std::sync::OnceLock<Arc<Places>>,
    sdg_goals: std::sync::OnceLock<Arc<Vec<rightsdesk_domain::reference::SdgGoal>>>,
}

/// Names of places by code: `(English, Khmer)`.
#[derive(Default)]
pub struct Places {
    pub provinces: Vec<(String, String, String)>,
    names: HashMap<String, (String, String)>,
}

impl Places {
    /// `(English, Khmer)` of a province, district or commune code.
    pub fn name(&self, code: &str) -> Option<(&str, &str)> {
        self.names.get(code).map(|(en, km)| (en.as_str(), km.as_str()))
    }
}

#[derive(Clone)]
pub struct AppState(Arc<Inner>);

impl AppState {
    pub fn new(store: Arc<dyn Store>, keys: Arc<Keyring>, config: WebConfig) -> Self {
        AppState(Arc::new(Inner {
            store,
            keys,
            config,
            ip_failures: Mutex::new(HashMap::new()),
            unknown_failures: Default::default(),
            search: None,
            recommendation_facets: Default::default(),
            places: Default::default(),
            sdg_goals: Default::default(),
        }))
    }

    /// Facet counts of the recommendations matching `f` (its `after` is
    /// ignored): counted again only when a recommendation has changed (the
    /// change log of the table has moved) since they were counted for the
    /// same filter. Cases, interventions and the rest do not count.
    pub async fn recommendation_facets(
        &self,
        f: &rightsdesk_store::RecommendationFilter,
    ) -> rightsdesk_store::StoreResult<rightsdesk_store::RecommendationFacets> {
        let f = rightsdesk_store::RecommendationFilter { after: None, limit: 0, ..f.clone() };
        let key = format!("{f:?}");
        let seq = self.store.latest_change_seq("recommendations").await?;
        if let Some((at, facets)) = self.0.recommendation_facets.lock().expect("facet cache").get(&key) {
            if *at == seq {
                return Ok(facets.clone());
            }
        }
        let facets = self.store.recommendation_facets(&f).await?;
        let mut cache = self.0.recommendation_facets.lock().expect("facet cache");
        // Filters are many, the list's usual views few: start again when full.
        if cache.len() >= 256 {
            cache.clear();
        }
        cache.insert(key, (seq, facets.clone()));
        Ok(facets)
    }

    /// The SDG goals, read from the store on first use: reference data that
    /// changes only by migration, shown on every recommendation list.
    pub async fn sdg_goals(&self) -> rightsdesk_store::StoreResult<Arc<Vec<rightsdesk_domain::reference::SdgGoal>>> {
        if let Some(g) = self.0.sdg_goals.get() {
            return Ok(g.clone());
        }
        let goals = self.store.sdg_goals().await?;
        Ok(self.0.sdg_goals.get_or_init(|| Arc::new(goals)).clone())
    }

    /// The gazetteer's names, read from the store on first use.
    pub async fn places(&self) -> rightsdesk_store::StoreResult<Arc<Places>> {
        if let Some(p) = self.0.places.get() {
            return Ok(p.clone());
        }
        let store = &self.store;
        let mut places = Places::default();
        for p in store.provinces().await? {
            places.names.insert(p.code.clone(), (p.name_en.clone(), p.name_km.clone()));
            for d in store.districts(&p.code).await? {
                for c in store.communes(&d.code).await? {
                    places.names.insert(c.code, (c.name_en, c.name_km));
                }
                places.names.insert(d.code, (d.name_en, d.name_km));
            }
            places.provinces.push((p.code, p.name_en, p.name_km));
        }
        // Two requests may both read it the first time; either copy will do.
        Ok(self.0.places.get_or_init(|| Arc::new(places)).clone())
    }

    /// The same, with this node's search index.
    pub fn with_search(
        store: Arc<dyn Store>,
        keys: Arc<Keyring>,
        config: WebConfig,
        search: Arc<rightsdesk_search::SearchIndex>,
    ) -> Self {
        AppState(Arc::new(Inner {
            store,
            keys,
            config,
            ip_failures: Mutex::new(HashMap::new()),
            unknown_failures: Default::default(),
            search: Some(search),
            recommendation_facets: Default::default(),
            places: Default::default(),
            sdg_goals: Default::default(),
        }))
    }

    /// A failed sign-in with an address that has no account. Returns the
    /// minutes left when the address is "locked" as an account would be:
    /// after `lockout_threshold` failures, for `lockout`, and counted afresh
    /// once that has run out.
    pub fn unknown_address_failed(&self, email: &str) -> Option<i64> {
        let key = email.trim().to_lowercase();
        let mut map = self.unknown_failures.lock().unwrap_or_else(|e| e.into_inner());
        if map.len() > 100_000 {
            // Bounded memory under a flood of made-up addresses.
            map.clear();
        }
        let entry = map.entry(key).or_insert((0, None));
        if let Some(at) = entry.1 {
            let left = self.config.lockout.saturating_sub(at.elapsed());
            if !left.is_zero() {
                return Some(minutes_left(left));
            }
            *entry = (0, None);
        }
        entry.0 += 1;
        if entry.0 >= self.config.lockout_threshold {
            entry.1 = Some(Instant::now());
        }
        None
    }

    /// Whether this address has failed too often lately.
    pub fn ip_throttled(&self, ip: IpAddr) -> bool {
        let ip = throttle_bucket(ip);
        let map = self.ip_failures.lock().unwrap_or_else(|e| e.into_inner());
        map.get(&ip)
            .is_some_and(|(n, since)| *n >= self.config.ip_failure_limit && since.elapsed() < self.config.ip_window)
    }

    pub fn ip_failed(&self, ip: IpAddr) {
        let ip = throttle_bucket(ip);
        let mut map = self.ip_failures.lock().unwrap_or_else(|e| e.into_inner());
        if map.len() > 100_000 {
            let window = self.config.ip_window;
            map.retain(|_, (_, since)| since.elapsed() < window);
            if map.len() > 100_000 {
                // Bounded memory under a flood from very many addresses.
                map.clear();
            }
        }
        let e = map.entry(ip).or_insert((0, Instant::now()));
        if e.1.elapsed() >= self.config.ip_window {
            *e = (0, Instant::now());
        }
        e.0 += 1;
    }
}

/// IPv6 clients get a whole /64 each, so they are counted per /64.
fn throttle_bucket(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => {
            let s = v6.segments();
            IpAddr::V6(std::net::Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0))
        }
        v4 => v4,
    }
}

impl Deref for AppState {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.0
    }
}

/// Whole minutes left of a lock, rounded up, at least one.
pub fn minutes_left(left: Duration) -> i64 {
    (left.as_secs() as i64 + 59).div_euclid(60).max(1)
}
