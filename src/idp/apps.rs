//! The registry of applications: what each one is, where it may send people back, who may use
//! it, and its client secret (stored as a SHA-256, shown once).
//!
//! A client secret is 32 random bytes, so a plain SHA-256 is as strong as a slow hash here and
//! keeps the token endpoint fast; people's passwords stay on argon2id. Every change is audited
//! with the [`Allowed`] proof the caller got from `authorize(ManageApps)` (or the command line's
//! system proof).

use super::{IdpError, Result};
use crate::accounts::audit;
use crate::auth::{Allowed, AppAudience, Role};
use crate::ids::{AppId, ClassId};
use rusqlite::{Connection, OptionalExtension, Transaction};
use serde::Serialize;

/// How an application learns who is there.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Protocol {
    Oidc,
    Cas,
    /// No login of its own: the portal forwards `/apps/<slug>/` to it for those allowed.
    Proxy,
}

impl Protocol {
    pub fn as_str(self) -> &'static str {
        match self {
            Protocol::Oidc => "oidc",
            Protocol::Cas => "cas",
            Protocol::Proxy => "proxy",
        }
    }
    pub fn parse(s: &str) -> Option<Protocol> {
        match s.trim().to_ascii_lowercase().as_str() {
            "oidc" | "openid" | "openid-connect" => Some(Protocol::Oidc),
            "cas" => Some(Protocol::Cas),
            "proxy" => Some(Protocol::Proxy),
            _ => None,
        }
    }
}

/// Which claims (OIDC) or attributes (CAS) an application receives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ClaimProfile {
    /// The OpenID Connect names, with `roles` and `groups`.
    Standard,
    /// The standard ones plus the French ENT names (`ENTPersonProfils`, `ENTClasse`,
    /// `ENTPersonStructRattachRNE`) that French publishers' resources expect.
    EntFr,
}

impl ClaimProfile {
    pub fn as_str(self) -> &'static str {
        match self {
            ClaimProfile::Standard => "standard",
            ClaimProfile::EntFr => "ent_fr",
        }
    }
    pub fn parse(s: &str) -> Option<ClaimProfile> {
        match s.trim() {
            "standard" => Some(ClaimProfile::Standard),
            "ent_fr" | "ent-fr" => Some(ClaimProfile::EntFr),
            _ => None,
        }
    }
}

/// A registered application.
#[derive(Debug, Clone, Serialize)]
pub struct App {
    pub id: AppId,
    /// The OIDC client id and the proxy's path; never changes.
    pub slug: String,
    pub name: String,
    pub icon: String,
    pub launch_url: String,
    pub protocol: Protocol,
    pub preset: String,
    /// A public client has no secret and must use PKCE.
    pub public: bool,
    #[serde(skip)]
    secret_hash: Option<String>,
    pub claim_profile: ClaimProfile,
    pub logout_url: String,
    pub backchannel_logout_url: String,
    pub internal_url: String,
    pub disabled: bool,
    pub redirect_uris: Vec<String>,
    pub post_logout_uris: Vec<String>,
    pub cas_services: Vec<String>,
    pub roles: Vec<Role>,
    pub classes: Vec<ClassId>,
    pub created_at: i64,
    pub updated_at: i64,
}

impl App {
    /// Who may use it, for [`crate::auth::Action::UseApp`].
    pub fn audience(&self) -> AppAudience {
        AppAudience {
            roles: self.roles.clone(),
            classes: self.classes.clone(),
            disabled: self.disabled,
        }
    }

    /// Whether `secret` is this confidential client's secret (compared in constant time).
    pub fn secret_matches(&self, secret: &str) -> bool {
        match &self.secret_hash {
            Some(h) => crate::constant_time_eq(h.as_bytes(), hash_secret(secret).as_bytes()),
            None => false,
        }
    }

    /// Whether `uri` is one of the exact redirect URIs registered (no prefix, no pattern).
    pub fn redirect_registered(&self, uri: &str) -> bool {
        self.redirect_uris.iter().any(|u| u == uri)
    }

    pub fn post_logout_registered(&self, uri: &str) -> bool {
        self.post_logout_uris.iter().any(|u| u == uri)
    }

    /// Whether a CAS `service` URL falls under one of the registered prefixes. A prefix
    /// matches at a path boundary only: `http://a/moodle` takes `http://a/moodle/login` and
    /// `http://a/moodle?x`, not `http://a/moodle-evil`.
    pub fn serves(&self, service: &str) -> bool {
        self.cas_services.iter().any(|p| service_under(service, p))
    }

    /// Where the dashboard's tile points.
    pub fn tile_url(&self) -> String {
        match self.protocol {
            Protocol::Proxy => format!("/apps/{}/", self.slug),
            _ => self.launch_url.clone(),
        }
    }
}

fn service_under(service: &str, prefix: &str) -> bool {
    let Some(rest) = service.strip_prefix(prefix) else {
        return false;
    };
    rest.is_empty()
        || prefix.ends_with('/')
        || prefix.ends_with('?')
        || rest.starts_with(['/', '?', '#'])
}

/// What a form or the command line says an application is.
#[derive(Debug, Clone, Default)]
pub struct AppInput {
    /// Made from the name when empty (on creation only).
    pub slug: String,
    pub name: String,
    pub icon: String,
    pub launch_url: String,
    pub protocol: Option<Protocol>,
    pub preset: String,
    /// OIDC only: no secret, PKCE required.
    pub public: bool,
    pub claim_profile: Option<ClaimProfile>,
    pub logout_url: String,
    pub backchannel_logout_url: String,
    pub internal_url: String,
    pub disabled: bool,
    pub redirect_uris: Vec<String>,
    pub post_logout_uris: Vec<String>,
    pub cas_services: Vec<String>,
    pub roles: Vec<Role>,
    pub classes: Vec<ClassId>,
}

pub fn hash_secret(secret: &str) -> String {
    crate::sha256_hex(secret)
}

/// A new client secret: 32 random bytes, hex encoded.
fn new_secret() -> String {
    crate::random_token(32)
}

const NAME_MAX: usize = 80;
const SLUG_MAX: usize = 40;
const URL_MAX: usize = 2000;
const URIS_MAX: usize = 20;

/// A slug from a name: `Wiki.js` → `wiki-js`.
pub fn slug_of(name: &str) -> String {
    let mut out = String::new();
    for c in deunicode::deunicode(name).to_ascii_lowercase().chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    out.truncate(SLUG_MAX);
    out.trim_end_matches('-').to_owned()
}

fn valid_slug(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= SLUG_MAX
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
}

/// An absolute `http` or `https` URL with a host, no fragment, no spaces or control bytes.
pub fn valid_url(u: &str) -> bool {
    if u.len() > URL_MAX || u.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return false;
    }
    if u.contains('#') {
        return false;
    }
    let Ok(uri) = u.parse::<hyper::Uri>() else {
        return false;
    };
    matches!(uri.scheme_str(), Some("http" | "https")) && uri.host().is_some_and(|h| !h.is_empty())
}

fn check_urls(list: &[String], key: &'static str) -> Result<Vec<String>> {
    let mut out: Vec<String> = Vec::new();
    for u in list.iter().map(|u| u.trim()).filter(|u| !u.is_empty()) {
        if !valid_url(u) {
            return Err(IdpError::Invalid(key));
        }
        if !out.iter().any(|o| o == u) {
            out.push(u.to_owned());
        }
    }
    if out.len() > URIS_MAX {
        return Err(IdpError::Invalid(key));
    }
    Ok(out)
}

fn check_optional_url(u: &str, key: &'static str) -> Result<String> {
    let u = u.trim();
    if u.is_empty() || valid_url(u) {
        Ok(u.to_owned())
    } else {
        Err(IdpError::Invalid(key))
    }
}

/// The input, checked and tidied; what the database will hold.
fn clean(conn: &Connection, mut input: AppInput) -> Result<AppInput> {
    input.name = crate::one_line(&input.name);
    if input.name.is_empty() || input.name.chars().count() > NAME_MAX {
        return Err(IdpError::Invalid("apps.error_name"));
    }
    let protocol = input
        .protocol
        .ok_or(IdpError::Invalid("apps.error_protocol"))?;
    input.icon = crate::one_line(&input.icon).chars().take(40).collect();
    input.preset = if input.preset.trim().is_empty() {
        "generic".into()
    } else if super::presets::find(input.preset.trim()).is_some() {
        input.preset.trim().to_owned()
    } else {
        return Err(IdpError::Invalid("apps.error_preset"));
    };
    input.launch_url = check_optional_url(&input.launch_url, "apps.error_launch_url")?;
    input.logout_url = check_optional_url(&input.logout_url, "apps.error_logout_url")?;
    input.backchannel_logout_url =
        check_optional_url(&input.backchannel_logout_url, "apps.error_backchannel_url")?;
    input.internal_url = check_optional_url(&input.internal_url, "apps.error_internal_url")?;
    input.redirect_uris = check_urls(&input.redirect_uris, "apps.error_redirect_uri")?;
    input.post_logout_uris = check_urls(&input.post_logout_uris, "apps.error_post_logout_uri")?;
    input.cas_services = check_urls(&input.cas_services, "apps.error_service")?;
    match protocol {
        Protocol::Oidc if input.redirect_uris.is_empty() => {
            return Err(IdpError::Invalid("apps.error_no_redirect_uri"));
        }
        Protocol::Cas if input.cas_services.is_empty() => {
            return Err(IdpError::Invalid("apps.error_no_service"));
        }
        Protocol::Proxy if input.internal_url.is_empty() => {
            return Err(IdpError::Invalid("apps.error_internal_url"));
        }
        _ => {}
    }
    if protocol != Protocol::Oidc {
        input.public = false;
    }
    input
        .roles
        .sort_by_key(|r| Role::ALL.iter().position(|x| x == r));
    input.roles.dedup();
    input.classes.sort();
    input.classes.dedup();
    for c in &input.classes {
        let exists: bool = conn
            .prepare_cached("SELECT EXISTS (SELECT 1 FROM classes WHERE id = ?1)")?
            .query_row([c], |r| r.get(0))?;
        if !exists {
            return Err(IdpError::Invalid("apps.error_class"));
        }
    }
    Ok(input)
}

/// Registers an application. Returns it and, for a confidential OIDC client, its secret: the
/// only time the secret is ever shown.
pub fn create(
    tx: &Transaction<'_>,
    allowed: &Allowed,
    input: AppInput,
) -> Result<(App, Option<String>)> {
    let mut input = clean(tx, input)?;
    if input.slug.trim().is_empty() {
        input.slug = slug_of(&input.name);
    }
    input.slug = input.slug.trim().to_owned();
    if !valid_slug(&input.slug) {
        return Err(IdpError::Invalid("apps.error_slug"));
    }
    if by_slug(tx, &input.slug)?.is_some() {
        return Err(IdpError::Invalid("apps.error_slug_taken"));
    }
    let protocol = input
        .protocol
        .ok_or(IdpError::Invalid("apps.error_protocol"))?;
    let secret = (protocol == Protocol::Oidc && !input.public).then(new_secret);
    let now = crate::now();
    tx.execute(
        "INSERT INTO apps (slug, name, icon, launch_url, protocol, preset, secret_hash,
                           claim_profile, logout_url, backchannel_logout_url, internal_url,
                           disabled, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?13)",
        rusqlite::params![
            input.slug,
            input.name,
            input.icon,
            input.launch_url,
            protocol.as_str(),
            input.preset,
            secret.as_deref().map(hash_secret),
            input
                .claim_profile
                .unwrap_or(ClaimProfile::Standard)
                .as_str(),
            input.logout_url,
            input.backchannel_logout_url,
            input.internal_url,
            input.disabled,
            now
        ],
    )?;
    let id = AppId(tx.last_insert_rowid());
    write_lists(tx, id, &input)?;
    audit(
        tx,
        allowed,
        &format!("app {}", input.slug),
        &format!("{} ({})", input.name, protocol.as_str()),
    )?;
    let app = get(tx, id)?.ok_or(IdpError::NotFound)?;
    Ok((app, secret))
}

/// Changes an application (every field but its slug and secret; the lists are replaced).
pub fn update(tx: &Transaction<'_>, allowed: &Allowed, id: AppId, input: AppInput) -> Result<App> {
    let old = get(tx, id)?.ok_or(IdpError::NotFound)?;
    let input = clean(tx, input)?;
    let protocol = input.protocol.unwrap_or(old.protocol);
    // Turning a confidential client public drops its secret; turning a public one
    // confidential needs `new_secret`.
    let secret_hash = if protocol == Protocol::Oidc && input.public {
        None
    } else {
        old.secret_hash.clone()
    };
    tx.execute(
        "UPDATE apps SET name = ?2, icon = ?3, launch_url = ?4, protocol = ?5, preset = ?6,
                secret_hash = ?7, claim_profile = ?8, logout_url = ?9,
                backchannel_logout_url = ?10, internal_url = ?11, disabled = ?12, updated_at = ?13
         WHERE id = ?1",
        rusqlite::params![
            id,
            input.name,
            input.icon,
            input.launch_url,
            protocol.as_str(),
            input.preset,
            secret_hash,
            input.claim_profile.unwrap_or(old.claim_profile).as_str(),
            input.logout_url,
            input.backchannel_logout_url,
            input.internal_url,
            input.disabled,
            crate::now()
        ],
    )?;
    tx.execute("DELETE FROM app_uris WHERE app_id = ?1", [id])?;
    tx.execute("DELETE FROM app_roles WHERE app_id = ?1", [id])?;
    tx.execute("DELETE FROM app_classes WHERE app_id = ?1", [id])?;
    write_lists(tx, id, &input)?;
    let new = get(tx, id)?.ok_or(IdpError::NotFound)?;
    audit(
        tx,
        allowed,
        &format!("app {}", old.slug),
        &changes(&old, &new),
    )?;
    Ok(new)
}

/// A short account of what changed, for the audit log.
fn changes(old: &App, new: &App) -> String {
    let mut out = Vec::new();
    let mut diff = |what: &str, a: String, b: String| {
        if a != b {
            out.push(format!("{what}: {a} → {b}"));
        }
    };
    diff("name", old.name.clone(), new.name.clone());
    diff(
        "disabled",
        old.disabled.to_string(),
        new.disabled.to_string(),
    );
    diff("public", old.public.to_string(), new.public.to_string());
    diff(
        "roles",
        format!("{:?}", old.roles),
        format!("{:?}", new.roles),
    );
    diff(
        "classes",
        format!("{:?}", old.classes),
        format!("{:?}", new.classes),
    );
    diff(
        "redirect_uris",
        old.redirect_uris.join(" "),
        new.redirect_uris.join(" "),
    );
    diff(
        "cas_services",
        old.cas_services.join(" "),
        new.cas_services.join(" "),
    );
    diff(
        "claims",
        old.claim_profile.as_str().into(),
        new.claim_profile.as_str().into(),
    );
    if out.is_empty() {
        "saved, nothing changed".into()
    } else {
        crate::one_line(&out.join("; ")).chars().take(500).collect()
    }
}

fn write_lists(tx: &Transaction<'_>, id: AppId, input: &AppInput) -> Result<()> {
    let mut uri =
        tx.prepare_cached("INSERT INTO app_uris (app_id, kind, uri) VALUES (?1, ?2, ?3)")?;
    for (kind, list) in [
        ("redirect", &input.redirect_uris),
        ("post_logout", &input.post_logout_uris),
        ("cas_service", &input.cas_services),
    ] {
        for u in list {
            uri.execute(rusqlite::params![id, kind, u])?;
        }
    }
    let mut role = tx.prepare_cached("INSERT INTO app_roles (app_id, role) VALUES (?1, ?2)")?;
    for r in &input.roles {
        role.execute(rusqlite::params![id, r])?;
    }
    let mut class =
        tx.prepare_cached("INSERT INTO app_classes (app_id, class_id) VALUES (?1, ?2)")?;
    for c in &input.classes {
        class.execute(rusqlite::params![id, c])?;
    }
    Ok(())
}

/// Removes an application: its grants go with it (its people are not logged out of it, it no
/// longer asks Cartable anything).
pub fn remove(tx: &Transaction<'_>, allowed: &Allowed, id: AppId) -> Result<()> {
    let app = get(tx, id)?.ok_or(IdpError::NotFound)?;
    tx.execute("DELETE FROM apps WHERE id = ?1", [id])?;
    audit(tx, allowed, &format!("app {}", app.slug), &app.name)?;
    Ok(())
}

/// Replaces a confidential client's secret (or makes a public client confidential) and
/// returns the new one, shown once. The old one stops working at once.
pub fn replace_secret(tx: &Transaction<'_>, allowed: &Allowed, id: AppId) -> Result<String> {
    let app = get(tx, id)?.ok_or(IdpError::NotFound)?;
    if app.protocol != Protocol::Oidc {
        return Err(IdpError::Invalid("apps.error_no_secret"));
    }
    let secret = new_secret();
    tx.execute(
        "UPDATE apps SET secret_hash = ?2, updated_at = ?3 WHERE id = ?1",
        rusqlite::params![id, hash_secret(&secret), crate::now()],
    )?;
    audit(
        tx,
        allowed,
        &format!("app {}", app.slug),
        "new client secret",
    )?;
    Ok(secret)
}

const APP: &str = "SELECT id, slug, name, icon, launch_url, protocol, preset, secret_hash,
        claim_profile, logout_url, backchannel_logout_url, internal_url, disabled, created_at,
        updated_at FROM apps";

fn app_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<App> {
    let protocol: String = r.get(5)?;
    let profile: String = r.get(8)?;
    let secret_hash: Option<String> = r.get(7)?;
    Ok(App {
        id: r.get(0)?,
        slug: r.get(1)?,
        name: r.get(2)?,
        icon: r.get(3)?,
        launch_url: r.get(4)?,
        protocol: Protocol::parse(&protocol).unwrap_or(Protocol::Proxy),
        preset: r.get(6)?,
        public: secret_hash.is_none(),
        secret_hash,
        claim_profile: ClaimProfile::parse(&profile).unwrap_or(ClaimProfile::Standard),
        logout_url: r.get(9)?,
        backchannel_logout_url: r.get(10)?,
        internal_url: r.get(11)?,
        disabled: r.get(12)?,
        created_at: r.get(13)?,
        updated_at: r.get(14)?,
        redirect_uris: Vec::new(),
        post_logout_uris: Vec::new(),
        cas_services: Vec::new(),
        roles: Vec::new(),
        classes: Vec::new(),
    })
}

fn fill(conn: &Connection, mut app: App) -> Result<App> {
    let mut uris = conn
        .prepare_cached("SELECT kind, uri FROM app_uris WHERE app_id = ?1 ORDER BY kind, rowid")?;
    for row in uris.query_map([app.id], |r| Ok((r.get::<_, String>(0)?, r.get(1)?)))? {
        let (kind, uri) = row?;
        match kind.as_str() {
            "redirect" => app.redirect_uris.push(uri),
            "post_logout" => app.post_logout_uris.push(uri),
            _ => app.cas_services.push(uri),
        }
    }
    let mut roles = conn.prepare_cached("SELECT role FROM app_roles WHERE app_id = ?1")?;
    app.roles = roles
        .query_map([app.id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    app.roles
        .sort_by_key(|r| Role::ALL.iter().position(|x| x == r));
    let mut classes = conn
        .prepare_cached("SELECT class_id FROM app_classes WHERE app_id = ?1 ORDER BY class_id")?;
    app.classes = classes
        .query_map([app.id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(app)
}

pub fn get(conn: &Connection, id: AppId) -> Result<Option<App>> {
    let app = conn
        .prepare_cached(&format!("{APP} WHERE id = ?1"))?
        .query_row([id], app_row)
        .optional()?;
    app.map(|a| fill(conn, a)).transpose()
}

pub fn by_slug(conn: &Connection, slug: &str) -> Result<Option<App>> {
    let app = conn
        .prepare_cached(&format!("{APP} WHERE slug = ?1"))?
        .query_row([slug], app_row)
        .optional()?;
    app.map(|a| fill(conn, a)).transpose()
}

/// Every application, by name.
pub fn list(conn: &Connection) -> Result<Vec<App>> {
    let mut stmt = conn.prepare_cached(&format!("{APP} ORDER BY name COLLATE NOCASE, id"))?;
    let apps: Vec<App> = stmt
        .query_map([], app_row)?
        .collect::<rusqlite::Result<_>>()?;
    apps.into_iter().map(|a| fill(conn, a)).collect()
}

/// The CAS application a `service` URL belongs to: the one with the longest matching prefix.
pub fn for_service(conn: &Connection, service: &str) -> Result<Option<App>> {
    // Only the prefixes are read (every CAS login and logout asks), then the one app.
    let mut stmt = conn.prepare_cached(
        "SELECT a.id, u.uri FROM app_uris u JOIN apps a ON a.id = u.app_id
         WHERE u.kind = 'cas_service' AND a.protocol = 'cas'
         ORDER BY a.name COLLATE NOCASE, a.id",
    )?;
    let mut best: Option<(usize, AppId)> = None;
    for row in stmt.query_map([], |r| Ok((r.get::<_, AppId>(0)?, r.get::<_, String>(1)?)))? {
        let (id, prefix) = row?;
        // The longest prefix wins; between equals, the first application by name.
        if service_under(service, &prefix) && best.is_none_or(|(len, _)| prefix.len() > len) {
            best = Some((prefix.len(), id));
        }
    }
    best.map(|(_, id)| get(conn, id))
        .transpose()
        .map(Option::flatten)
}

/// The applications `who` may use, with somewhere to go: the dashboard's tiles.
pub fn tiles(conn: &Connection, who: &crate::auth::Principal) -> Result<Vec<App>> {
    Ok(list(conn)?
        .into_iter()
        .filter(|a| {
            let audience = a.audience();
            crate::auth::authorize(who, &crate::auth::Action::UseApp { app: &audience }).is_ok()
                && !a.tile_url().is_empty()
        })
        .collect())
}

/// What the application's administrator enters on its side, by protocol.
pub fn paste(app: &App, settings: &crate::settings::Settings) -> Vec<(&'static str, String)> {
    // The same canonical issuer the provider falls back to (`https://<first host name>`).
    let origin = settings.portal_url().trim_end_matches('/').to_owned();
    let mut out = Vec::new();
    match app.protocol {
        Protocol::Oidc => {
            out.push(("issuer", origin.clone()));
            out.push((
                "discovery_url",
                format!("{origin}/.well-known/openid-configuration"),
            ));
            out.push(("client_id", app.slug.clone()));
        }
        Protocol::Cas => out.push(("cas_base_url", format!("{origin}/cas"))),
        Protocol::Proxy => out.push(("address", format!("{origin}/apps/{}/", app.slug))),
    }
    let ca = origin.replacen("https://", "http://", 1);
    out.push(("ca_certificate", format!("{ca}/ca.crt")));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_from_names() {
        assert_eq!(slug_of("Wiki.js"), "wiki-js");
        assert_eq!(slug_of("  Élève Moodle!! "), "eleve-moodle");
        assert_eq!(slug_of("!!!"), "");
        assert!(valid_slug("moodle-2"));
        assert!(!valid_slug("Moodle"));
        assert!(!valid_slug("-x"));
        assert!(!valid_slug("a/b"));
    }

    #[test]
    fn urls_must_be_absolute_http_without_fragment() {
        assert!(valid_url("https://moodle.school.lan/login/index.php"));
        assert!(valid_url("http://127.0.0.1:8080/oidc/redirect_uri"));
        assert!(!valid_url("javascript:alert(1)"));
        assert!(!valid_url("/relative"));
        assert!(!valid_url("https://a.test/cb#frag"));
        assert!(!valid_url("https://a.test/c b"));
        assert!(!valid_url("ftp://a.test/"));
    }

    #[test]
    fn service_prefixes_match_at_a_boundary() {
        assert!(service_under("http://a/moodle/login", "http://a/moodle"));
        assert!(service_under("http://a/moodle?x=1", "http://a/moodle"));
        assert!(service_under("http://a/moodle", "http://a/moodle"));
        assert!(!service_under("http://a/moodle-evil/", "http://a/moodle"));
        assert!(service_under("http://a/m/x", "http://a/m/"));
        assert!(!service_under("http://b/moodle", "http://a/moodle"));
    }
}
