//! Test support: a real server on free loopback ports with its own data directory, accounts
//! made through the domain functions, and an HTTP client that keeps cookies like a browser.

#![allow(dead_code)]

pub mod oidc;
pub mod process;

use cartable::accounts::{self, NewUser};
use cartable::auth::{Allowed, Role};
use cartable::ids::{ClassId, UserId};
use cartable::server::{self, Options, Running};
use std::net::SocketAddr;

pub struct TestServer {
    pub running: Running,
    pub base: String,
    pub https_base: String,
    pub dir: tempfile::TempDir,
}

/// A password that meets the rules, used for every test account.
pub const PASSWORD: &str = "correct-horse-battery";

impl TestServer {
    pub async fn start() -> TestServer {
        Self::start_with(vec!["127.0.0.1:0".parse().unwrap()]).await
    }

    pub async fn start_with(http: Vec<SocketAddr>) -> TestServer {
        Self::start_on(tempfile::tempdir().unwrap(), http).await
    }

    /// Starts a server on an existing data directory (one a stopped server left).
    pub async fn start_in(dir: tempfile::TempDir) -> TestServer {
        Self::start_on(dir, vec!["127.0.0.1:0".parse().unwrap()]).await
    }

    /// Stops using this server and hands back its data directory, for a restart. Its
    /// listeners keep running until the test ends, but the data directory's lock is released
    /// and nothing is cached across: a new server starts from what is on disk.
    pub fn stop(self) -> tempfile::TempDir {
        drop(self.running);
        self.dir
    }

    async fn start_on(dir: tempfile::TempDir, http: Vec<SocketAddr>) -> TestServer {
        let any: SocketAddr = "127.0.0.1:0".parse().unwrap();
        let running = server::start(Options {
            http,
            https: vec![any],
            smtp: vec![any],
            submission: vec![any],
            submissions: vec![any],
            ..Options::new(dir.path().to_owned())
        })
        .await
        .expect("the server starts");
        let base = running
            .http
            .iter()
            .find(|(a, _)| a.ip().is_loopback())
            .map(|(a, _)| format!("http://{a}"))
            .unwrap_or_default();
        let https_base = format!("https://{}", running.https[0]);
        TestServer {
            running,
            base,
            https_base,
            dir,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// Creates an account with [`PASSWORD`].
    pub async fn user(&self, username: &str, role: Role) -> UserId {
        self.user_with(username, role, false).await
    }

    pub async fn user_with(&self, username: &str, role: Role, must_change: bool) -> UserId {
        self.account(username, role, must_change, None).await
    }

    /// Creates an account whose own language is `lang`, with [`PASSWORD`].
    pub async fn user_in(&self, username: &str, role: Role, lang: &str) -> UserId {
        self.account(username, role, false, Some(lang)).await
    }

    async fn account(
        &self,
        username: &str,
        role: Role,
        must_change: bool,
        language: Option<&str>,
    ) -> UserId {
        let hash = self.running.app.auth.hash_password(PASSWORD).await;
        let new = NewUser {
            username: username.into(),
            first_name: "Test".into(),
            last_name: username.into(),
            role: Some(role),
            language: language.map(str::to_owned),
        };
        self.running
            .app
            .db
            .write(move |tx| {
                Ok(accounts::create_user(
                    tx,
                    &Allowed::system("test"),
                    &new,
                    Some(&hash),
                    must_change,
                )?)
            })
            .await
            .unwrap()
    }

    pub async fn class(&self, name: &str) -> ClassId {
        let name = name.to_owned();
        self.running
            .app
            .db
            .write(move |tx| {
                Ok(accounts::create_class(
                    tx,
                    &Allowed::system("test"),
                    &name,
                    "2026-2027",
                )?)
            })
            .await
            .unwrap()
    }

    pub async fn add_member(&self, class: ClassId, user: UserId) {
        self.running
            .app
            .db
            .write(move |tx| {
                Ok(accounts::add_member(
                    tx,
                    &Allowed::system("test"),
                    class,
                    user,
                )?)
            })
            .await
            .unwrap()
    }

    pub async fn link_parent(&self, parent: UserId, child: UserId) {
        self.running
            .app
            .db
            .write(move |tx| {
                Ok(accounts::link_parent(
                    tx,
                    &Allowed::system("test"),
                    parent,
                    child,
                )?)
            })
            .await
            .unwrap()
    }

    /// Changes the mail settings in the database (each SMTP session and queue pass reads
    /// them afresh).
    pub async fn set_mail(&self, f: impl FnOnce(&mut cartable::mail::MailSettings)) {
        let db = &self.running.app.db;
        let mut m = db
            .read(|c| Ok(cartable::mail::MailSettings::load(c)?))
            .await
            .unwrap();
        f(&mut m);
        db.write(move |tx| Ok(m.save(tx)?)).await.unwrap();
    }

    pub async fn set_default_language(&self, lang: &str) {
        let mut s = (*self.running.app.settings()).clone();
        s.default_language = lang.into();
        let saved = s.clone();
        self.running
            .app
            .db
            .write(move |tx| Ok(saved.save(tx)?))
            .await
            .unwrap();
        self.running.app.set_settings(s);
    }

    /// A browser-like client for this server: keeps cookies, does not follow redirects (so
    /// tests see them), and trusts the server's own CA for HTTPS.
    pub fn client(&self) -> reqwest::Client {
        let ca = reqwest::Certificate::from_pem(self.running.app.ca_pem.as_bytes()).unwrap();
        reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .add_root_certificate(ca)
            .build()
            .unwrap()
    }

    /// Logs `username` in with [`PASSWORD`] on a new client and returns it.
    pub async fn logged_in(&self, username: &str) -> reqwest::Client {
        let c = self.client();
        let r = login(&c, &self.base, username, PASSWORD).await;
        assert_eq!(r.status(), 303, "login of {username} failed");
        c
    }
}

/// The hidden `csrf` input of a page's first form.
pub fn csrf_in(html: &str) -> String {
    let at = html
        .find("name=\"csrf\" value=\"")
        .expect("the page has a csrf field")
        + 19;
    html[at..].split('"').next().unwrap().to_owned()
}

/// GETs `path` and returns the csrf token of its form.
pub async fn csrf_for(c: &reqwest::Client, base: &str, path: &str) -> String {
    let html = c
        .get(format!("{base}{path}"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    csrf_in(&html)
}

pub async fn login(
    c: &reqwest::Client,
    base: &str,
    username: &str,
    password: &str,
) -> reqwest::Response {
    let csrf = csrf_for(c, base, "/login").await;
    c.post(format!("{base}/login"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("username", username),
            ("password", password),
            ("next", "/"),
        ])
        .send()
        .await
        .unwrap()
}

pub fn location(r: &reqwest::Response) -> String {
    r.headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned()
}

/// The full `Set-Cookie` line that carries the session, if the response sets one.
pub fn session_set_cookie(r: &reqwest::Response) -> Option<String> {
    r.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("cartable_session="))
        .map(str::to_owned)
}

/// `cartable_session=TOKEN`, as a `Cookie` header would send it back.
pub fn session_cookie(r: &reqwest::Response) -> String {
    let line = session_set_cookie(r).expect("a session cookie");
    line.split(';').next().unwrap().to_owned()
}

/// A client that keeps no cookies and does not follow redirects: a script replaying a header
/// by hand, or a WebDAV client sending Basic credentials.
pub fn plain_client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// A browser-like client for a server started as a separate program (no CA to trust: it is
/// used on the loopback HTTP portal).
pub fn cookie_client() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// GETs `url` and returns the body, without Fluent's isolation marks (see [`plain`]).
pub async fn page_text(c: &reqwest::Client, url: String) -> String {
    plain(&c.get(url).send().await.unwrap().text().await.unwrap())
}

/// `s` without the bidirectional isolation marks (U+2068, U+2069) Fluent puts around every
/// value it fills into a message, for comparing a page with a sentence.
pub fn plain(s: &str) -> String {
    s.replace(['\u{2068}', '\u{2069}'], "")
}

/// The small ZIM collections `tests/library/make_zim.py` writes with the real libzim (zstd,
/// none, xz, extended xz, v5, split, and `expected.json`), once per test process. `zstd.zim`
/// and `none.zim` are two collections (two UUIDs); the others are copies of one of them.
pub fn zim_fixtures() -> &'static std::path::Path {
    static DIR: std::sync::OnceLock<tempfile::TempDir> = std::sync::OnceLock::new();
    DIR.get_or_init(|| {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let script =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/library/make_zim.py");
        let out = std::process::Command::new("python3")
            .arg(&script)
            .arg(dir.path())
            .output()
            .expect("python3 is needed to write the test ZIM files");
        assert!(
            out.status.success(),
            "{} failed (it needs PyPI's libzim: sh tests/install-deps.sh):\n{}",
            script.display(),
            String::from_utf8_lossy(&out.stderr)
        );
        dir
    })
    .path()
}

impl TestServer {
    /// Installs a ZIM collection as `cartable library add` would (on a blocking thread).
    pub async fn install_zim(
        &self,
        file: &std::path::Path,
        audience: cartable::auth::SchoolAudience,
    ) -> cartable::library::registry::Collection {
        let (app, file) = (self.running.app.clone(), file.to_owned());
        tokio::task::spawn_blocking(move || {
            cartable::library::install::install(
                &app.db,
                app.library.dir(),
                &file,
                audience,
                "cli",
                &Allowed::system("manage_library"),
            )
            .expect("the collection installs")
        })
        .await
        .unwrap()
    }
}

/// Runs a Python checker of the tests (`tests/<script>`: a real client such as `icalendar` or
/// `feedparser` reading one of the server's documents) on `url` against `expected`, written
/// as JSON; returns what it said, having asserted that it succeeded.
pub async fn python_check(
    script: &str,
    url: String,
    expected: &serde_json::Value,
    who: &str,
) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("expected.json");
    std::fs::write(&path, expected.to_string()).unwrap();
    let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(script);
    let out = tokio::task::spawn_blocking(move || {
        std::process::Command::new("python3")
            .arg(script)
            .arg(url)
            .arg(path)
            .output()
    })
    .await
    .unwrap()
    .expect("python3 runs (tests/install-deps.sh installs what the tests need)");
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "{who} says:\n{said}");
    said
}

/// An account's display name, by username.
pub async fn display_name(s: &TestServer, username: &'static str) -> String {
    s.running
        .app
        .db
        .read(move |c| {
            Ok(c.query_row(
                "SELECT display_name FROM users WHERE username = ?1",
                [username],
                |r| r.get::<_, String>(0),
            )?)
        })
        .await
        .unwrap()
}
