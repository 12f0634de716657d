//! Starting the server: lock the data directory, open the database (checking what must hold
//! before serving), sweep crash debris, make the TLS material, bind every listener, then run
//! the database's full check in the background. `serve`, `demo` and the integration tests all
//! start through here.

use crate::app::{App, AppInner};
use crate::db::Db;
use crate::settings::Settings;
use crate::web::{self, Mode};
use nix::fcntl::{Flock, FlockArg};
use std::fs::File;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tokio::net::TcpListener;

#[derive(Debug, Clone)]
pub struct Options {
    pub data: PathBuf,
    /// Plain-HTTP listeners: the portal on a loopback address, a redirect to HTTPS otherwise.
    pub http: Vec<SocketAddr>,
    pub https: Vec<SocketAddr>,
    /// Read templates from this folder on every render (development).
    pub templates: Option<PathBuf>,
    /// SMTP listeners: incoming mail for the school (25), submission with STARTTLS (587),
    /// submission with TLS (465).
    pub smtp: Vec<SocketAddr>,
    pub submission: Vec<SocketAddr>,
    pub submissions: Vec<SocketAddr>,
    pub smtp_limits: crate::smtp::Limits,
    /// Holds the full database check (run in the background after start) until released.
    pub integrity_hold: Option<crate::ops::integrity::Hold>,
}

impl Options {
    /// Options with no listener at all, to fill in.
    pub fn new(data: PathBuf) -> Options {
        Options {
            data,
            http: Vec::new(),
            https: Vec::new(),
            templates: None,
            smtp: Vec::new(),
            submission: Vec::new(),
            submissions: Vec::new(),
            smtp_limits: crate::smtp::Limits::default(),
            integrity_hold: None,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("another Cartable server is already using the data directory {0}; stop it first")]
    Locked(PathBuf),
    #[error("cannot use the data directory {path}: {source}")]
    DataDir {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(transparent)]
    Db(#[from] crate::db::Error),
    #[error(transparent)]
    Tls(#[from] crate::tls::Error),
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
}

/// A running server: its shared core and the addresses it really listens on (port 0 in the
/// options becomes the port the system chose).
pub struct Running {
    pub app: App,
    pub http: Vec<(SocketAddr, Mode)>,
    pub https: Vec<SocketAddr>,
    pub smtp: Vec<(SocketAddr, crate::smtp::Kind)>,
    _indexer: crate::library::index::worker::Indexer,
    _lock: Flock<File>,
}

/// Creates the data directory if needed; only the service's user may read it.
pub fn prepare_data_dir(data: &Path) -> Result<(), StartError> {
    use std::os::unix::fs::DirBuilderExt;
    let err = |source| StartError::DataDir {
        path: data.to_owned(),
        source,
    };
    if !data.exists() {
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(data)
            .map_err(err)?;
    }
    Ok(())
}

/// Opens the database of a data directory, creating both if needed.
pub fn open_db(data: &Path) -> Result<Db, StartError> {
    prepare_data_dir(data)?;
    let db = Db::open(&data.join("cartable.db"))?;
    let fresh: bool = db.read_blocking(|c| {
        Ok(c.query_row("SELECT count(*) = 0 FROM settings", [], |r| r.get(0))?)
    })?;
    if fresh {
        db.write_blocking(|tx| Ok(Settings::default().save(tx)?))?;
    }
    Ok(db)
}

fn lock(data: &Path) -> Result<Flock<File>, StartError> {
    let path = data.join("cartable.lock");
    let file = File::create(&path).map_err(|source| StartError::DataDir {
        path: path.clone(),
        source,
    })?;
    Flock::lock(file, FlockArg::LockExclusiveNonblock)
        .map_err(|_| StartError::Locked(data.to_owned()))
}

pub async fn start(opts: Options) -> Result<Running, StartError> {
    prepare_data_dir(&opts.data)?;
    let lock = lock(&opts.data)?;
    let db = open_db(&opts.data)?;
    crate::ops::debris::sweep(&opts.data);
    match crate::mail::store::sweep(&db, &opts.data) {
        Ok(0) => {}
        Ok(n) => log::warn!("removed {n} mail files left unfinished by a crash"),
        Err(e) => log::warn!("could not sweep the mail store: {e}"),
    }
    let data = opts.data.clone();
    let purged = db.write_blocking(move |tx| {
        crate::files::trash::purge(tx, &data, crate::now(), true)
            .map_err(|e| crate::db::Error::Task(e.to_string()))
    });
    if let Err(e) = purged {
        log::warn!("could not purge the trash: {e}");
    }
    let settings = db.read_blocking(|c| Ok(Settings::load(c)?))?;
    // The identity provider's first signing key, before anyone can ask for a token.
    if let Err(e) = crate::idp::keys::ensure(&db) {
        log::error!("the identity provider has no signing key: {e}");
    }
    let tls = crate::tls::ensure(
        &opts.data.join("tls"),
        &settings.school_name,
        &settings.host_names,
    )?;
    // Before any listener: whoever asks from now on hears that the full check has not finished.
    let integrity = crate::ops::integrity::begin(&opts.data);
    let app = AppInner::new(
        db,
        opts.data.clone(),
        settings,
        tls.ca_pem.clone(),
        opts.templates.clone(),
    );
    let router = Arc::new(web::routes());

    let bind = |addr: SocketAddr| async move {
        TcpListener::bind(addr)
            .await
            .map_err(|source| StartError::Bind { addr, source })
    };
    let mut https = Vec::new();
    let mut https_listeners = Vec::new();
    for addr in &opts.https {
        let l = bind(*addr).await?;
        https.push(l.local_addr().map_err(|source| StartError::Bind {
            addr: *addr,
            source,
        })?);
        https_listeners.push(l);
    }
    let https_port = https.first().map(|a| a.port());
    let mut http = Vec::new();
    let mut http_listeners = Vec::new();
    for addr in &opts.http {
        let l = bind(*addr).await?;
        let local = l.local_addr().map_err(|source| StartError::Bind {
            addr: *addr,
            source,
        })?;
        let mode = if local.ip().is_loopback() {
            Mode::Portal { https: false }
        } else {
            Mode::Redirect { https_port }
        };
        http.push((local, mode));
        http_listeners.push((l, mode));
    }
    let acceptor = tokio_rustls::TlsAcceptor::from(tls.server_config.clone());
    for l in https_listeners {
        web::spawn_listener(
            app.clone(),
            router.clone(),
            l,
            Mode::Portal { https: true },
            Some(acceptor.clone()),
        );
    }
    for (l, mode) in http_listeners {
        web::spawn_listener(app.clone(), router.clone(), l, mode, None);
    }
    let mut smtp = Vec::new();
    let gates = crate::smtp::Gates::new(&opts.smtp_limits);
    let doors = [
        (&opts.smtp, crate::smtp::Kind::Incoming),
        (&opts.submission, crate::smtp::Kind::Submission),
        (&opts.submissions, crate::smtp::Kind::Submissions),
    ];
    for (addrs, kind) in doors {
        for addr in addrs {
            let l = bind(*addr).await?;
            let local = l.local_addr().map_err(|source| StartError::Bind {
                addr: *addr,
                source,
            })?;
            smtp.push((local, kind));
            crate::smtp::spawn_listener(
                app.clone(),
                l,
                kind,
                acceptor.clone(),
                opts.smtp_limits,
                &gates,
            );
        }
    }
    crate::mail::queue::release_leases(&app.db)?;
    app.mail_queue.spawn_worker();
    // The library's full-text indexes, built in the background; stops with `Running`.
    let indexer = crate::library::index::worker::spawn(&app);
    // Logouts queued while the server was down (or before a crash) go out now.
    crate::idp::backchannel::spawn(app.clone());
    integrity.spawn(opts.integrity_hold.clone());
    // New collections in the staff share's Library folder or on a USB disk, now and then.
    crate::library::scan::spawn(app.clone());
    // Sessions' last uses, kept in memory, reach the database once a minute.
    let auth = app.auth.clone();
    tokio::spawn(async move {
        loop {
            tokio::time::sleep(crate::auth::cache::SAVE_EVERY).await;
            if let Err(e) = auth.save_session_uses().await {
                log::warn!("saving sessions' last uses: {e}");
            }
        }
    });
    Ok(Running {
        app,
        http,
        https,
        smtp,
        _indexer: indexer,
        _lock: lock,
    })
}

impl Running {
    /// One line per listener, as `serve` prints them (scripts and tests read these).
    pub fn describe(&self) -> Vec<String> {
        let mut out = Vec::new();
        for (addr, mode) in &self.http {
            out.push(match mode {
                Mode::Portal { .. } => format!("listening on http://{addr} (portal)"),
                Mode::Redirect { .. } => format!("listening on http://{addr} (redirects to HTTPS)"),
            });
        }
        for addr in &self.https {
            out.push(format!("listening on https://{addr} (portal)"));
        }
        for (addr, kind) in &self.smtp {
            out.push(format!(
                "listening on {}://{addr} ({})",
                kind.scheme(),
                kind.describe()
            ));
        }
        out
    }
}
