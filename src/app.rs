//! The one shared core every door is given: database, auth, translations, templates and the
//! school's settings.

use crate::auth::Auth;
use crate::db::Db;
use crate::i18n::I18n;
use crate::settings::Settings;
use std::path::PathBuf;
use std::sync::{Arc, RwLock};

pub type App = Arc<AppInner>;

pub struct AppInner {
    pub db: Db,
    pub auth: Auth,
    pub i18n: Arc<I18n>,
    pub templates: crate::web::templates::Templates,
    settings: RwLock<Arc<Settings>>,
    pub data_dir: PathBuf,
    /// The local certificate authority, in PEM, that browsers are asked to trust.
    pub ca_pem: String,
    /// The outbound mail queue (its worker runs only in a server).
    pub mail_queue: crate::mail::queue::Queue,
    /// Webmail messages with attachments being received and built at once. Each holds its
    /// attachments and the encoded message in memory (about four times the attachments, up to
    /// the school's largest message): a class sending at once must not add that up on a board
    /// with 1 GB. The others wait their turn, their uploads unread.
    pub mail_builds: Arc<tokio::sync::Semaphore>,
    /// The identity provider's shared state (its signing keys).
    pub idp: crate::idp::Idp,
    /// The offline library's open collections and their shared cluster cache.
    pub library: crate::library::Library,
    /// The library's discovery (staff share `Library` folder, USB disks): one scan at a time.
    pub scanner: crate::library::scan::Scanner,
}

/// See [`AppInner::mail_builds`].
const MAIL_BUILDS: usize = 2;

impl AppInner {
    pub fn new(
        db: Db,
        data_dir: PathBuf,
        settings: Settings,
        ca_pem: String,
        templates_dir: Option<PathBuf>,
    ) -> App {
        let auth = Auth::new(db.clone());
        let i18n = Arc::new(I18n::new());
        let mail_queue = crate::mail::queue::Queue::new(db.clone(), &data_dir, i18n.clone());
        Arc::new(AppInner {
            mail_queue,
            db,
            auth,
            i18n: i18n.clone(),
            templates: crate::web::templates::Templates::new(i18n, templates_dir),
            settings: RwLock::new(Arc::new(settings)),
            ca_pem,
            mail_builds: Arc::new(tokio::sync::Semaphore::new(MAIL_BUILDS)),
            idp: crate::idp::Idp::new(),
            library: crate::library::Library::new(
                &data_dir,
                crate::library::Library::cache_bytes_from_env(),
            ),
            scanner: crate::library::scan::Scanner::new(),
            data_dir,
        })
    }

    pub fn settings(&self) -> Arc<Settings> {
        self.settings
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Replaces the cached settings after they were saved to the database.
    pub fn set_settings(&self, s: Settings) {
        *self.settings.write().unwrap_or_else(|p| p.into_inner()) = Arc::new(s);
    }
}
