//! `cartable app ...`: the application registry from the command line, for provisioning
//! scripts and maintainers over SSH. It writes through the same `idp::apps` functions as the
//! admin pages, so the rules and the audit log are the same, and it may run while the server
//! does (the server reads the registry per request).

use super::Result;
use crate::accounts;
use crate::auth::{Allowed, Role};
use crate::cli::{AppAdd, AppCommand, AppOptions};
use crate::db::Db;
use crate::idp::apps::{self, App, AppInput, ClaimProfile, Protocol};
use crate::idp::presets::{self, Preset};
use crate::idp::{IdpError, keys};
use crate::server;
use crate::settings::Settings;
use std::path::Path;

/// The action the audit log records, the same as the admin pages'.
const ACTION: &str = "manage_apps";

pub fn app(data: &Path, cmd: AppCommand) -> Result<()> {
    let db = server::open_db(data).map_err(|e| e.to_string())?;
    match cmd {
        AppCommand::Add(a) => add(&db, *a),
        AppCommand::List => {
            for a in read(&db, apps::list)? {
                println!("{}\t{}\t{}", a.slug, a.protocol.as_str(), a.name);
            }
            Ok(())
        }
        AppCommand::Show { slug } => show(&db, &slug),
        AppCommand::Edit {
            slug,
            options,
            enabled,
        } => edit(&db, &slug, *options, enabled),
        AppCommand::Remove { slug } => {
            let app = find(&db, &slug)?;
            let allowed = Allowed::system(ACTION);
            db.write_blocking_as(|tx| apps::remove(tx, &allowed, app.id))
                .map_err(refused)?;
            println!("removed {slug}");
            Ok(())
        }
        AppCommand::Secret { slug } => {
            let app = find(&db, &slug)?;
            let allowed = Allowed::system(ACTION);
            let secret = db
                .write_blocking_as(|tx| apps::replace_secret(tx, &allowed, app.id))
                .map_err(refused)?;
            println!("client_id: {}", app.slug);
            println!("client_secret: {secret}");
            println!("(shown this once: paste it into the application now)");
            Ok(())
        }
        AppCommand::RotateKey { now } => {
            let der = keys::generate_der()?;
            let allowed = Allowed::system("rotate_signing_key");
            let (kid, notice) = db
                .write_blocking(|tx| {
                    // With no key signing today (a server never started here), the new one
                    // signs at once: nothing can have cached a key yet.
                    let t = crate::now();
                    let signing: bool = tx.query_row(
                        "SELECT EXISTS (SELECT 1 FROM idp_keys WHERE signs_from <= ?1
                                         AND (retire_after IS NULL OR retire_after > ?1))",
                        [t],
                        |r| r.get(0),
                    )?;
                    let notice = if now || !signing {
                        0
                    } else {
                        keys::ROTATION_NOTICE
                    };
                    let kid = keys::rotate(tx, &der, notice)?;
                    accounts::audit(tx, &allowed, "idp signing key", &format!("new key {kid}"))?;
                    Ok((kid, notice))
                })
                .map_err(|e| e.to_string())?;
            println!("kid: {kid}");
            println!(
                "signs from: {}",
                crate::clock::format_local(crate::now() + notice)
            );
            Ok(())
        }
    }
}

fn read<T>(db: &Db, f: impl FnOnce(&rusqlite::Connection) -> crate::idp::Result<T>) -> Result<T> {
    db.read_blocking(|c| Ok(f(c)))
        .map_err(|e| e.to_string())?
        .map_err(refused)
}

fn find(db: &Db, slug: &str) -> Result<App> {
    let s = slug.to_owned();
    read(db, move |c| apps::by_slug(c, &s))?.ok_or_else(|| format!("no application named {slug}"))
}

/// A refusal in one line, in English (the catalog's message for the key).
fn refused(e: IdpError) -> String {
    match e {
        IdpError::Db(d) => d.to_string(),
        other => format!(
            "refused: {}",
            crate::i18n::I18n::new().get("en", other.key())
        ),
    }
}

fn add(db: &Db, a: AppAdd) -> Result<()> {
    let mut input = AppInput {
        slug: a.slug.unwrap_or_default(),
        ..Default::default()
    };
    let o = a.options;
    if let Some(key) = &o.preset {
        let base = o.base.as_deref().unwrap_or("");
        apply_preset(&mut input, key, base)?;
    }
    overlay(db, &mut input, o, false)?;
    let allowed = Allowed::system(ACTION);
    let (app, secret) = db
        .write_blocking_as(|tx| apps::create(tx, &allowed, input))
        .map_err(refused)?;
    println!("client_id: {}", app.slug);
    if let Some(secret) = secret {
        println!("client_secret: {secret}");
        println!("(shown this once: paste it into the application now)");
    }
    if app.roles.is_empty() {
        println!("note: no role may use it yet (add --role)");
    }
    Ok(())
}

fn edit(db: &Db, slug: &str, o: AppOptions, enabled: bool) -> Result<()> {
    let app = find(db, slug)?;
    let mut input = input_of(&app);
    if let Some(key) = &o.preset {
        apply_preset(&mut input, key, o.base.as_deref().unwrap_or(""))?;
    }
    overlay(db, &mut input, o, true)?;
    if enabled {
        input.disabled = false;
    }
    let allowed = Allowed::system(ACTION);
    let id = app.id;
    db.write_blocking_as(|tx| apps::update(tx, &allowed, id, input))
        .map_err(refused)?;
    println!("saved {slug}");
    Ok(())
}

/// What an application holds, as the input that would make it again.
pub(crate) fn input_of(app: &App) -> AppInput {
    AppInput {
        slug: app.slug.clone(),
        name: app.name.clone(),
        icon: app.icon.clone(),
        launch_url: app.launch_url.clone(),
        protocol: Some(app.protocol),
        preset: app.preset.clone(),
        public: app.public,
        claim_profile: Some(app.claim_profile),
        logout_url: app.logout_url.clone(),
        backchannel_logout_url: app.backchannel_logout_url.clone(),
        internal_url: app.internal_url.clone(),
        disabled: app.disabled,
        redirect_uris: app.redirect_uris.clone(),
        post_logout_uris: app.post_logout_uris.clone(),
        cas_services: app.cas_services.clone(),
        roles: app.roles.clone(),
        classes: app.classes.clone(),
    }
}

/// The preset's usual values from the application's address; options given after win.
fn apply_preset(input: &mut AppInput, key: &str, base: &str) -> Result<()> {
    let p = presets::find(key.trim()).ok_or_else(|| {
        let known: Vec<&str> = presets::PRESETS.iter().map(|p| p.key).collect();
        format!("unknown preset {key:?}: use {}", known.join(", "))
    })?;
    if !apps::valid_url(base.trim()) {
        return Err(format!(
            "--base must be the application's full http:// or https:// address, not {base:?}"
        ));
    }
    if !p.name.is_empty() {
        input.name = p.name.into();
    }
    input.icon = p.icon.into();
    input.protocol = Some(p.protocol);
    input.preset = p.key.into();
    input.claim_profile = Some(p.claim_profile);
    let uris = Preset::fill_all(p.uris, base);
    match p.protocol {
        Protocol::Cas => input.cas_services = uris,
        _ => input.redirect_uris = uris,
    }
    input.post_logout_uris = Preset::fill_all(p.post_logout, base);
    input.backchannel_logout_url = Preset::fill(p.backchannel_logout, base);
    input.logout_url = Preset::fill(p.logout, base);
    input.launch_url = Preset::fill(p.launch, base);
    input.roles = p.roles.to_vec();
    Ok(())
}

/// The options given on the command line, over `input`. Lists given replace the whole list;
/// on `edit`, what is not given stays.
fn overlay(db: &Db, input: &mut AppInput, o: AppOptions, editing: bool) -> Result<()> {
    let set = |field: &mut String, v: Option<String>| {
        if let Some(v) = v {
            *field = v;
        }
    };
    set(&mut input.name, o.name);
    set(&mut input.icon, o.icon);
    set(&mut input.launch_url, o.launch_url);
    set(&mut input.logout_url, o.logout_url);
    set(&mut input.backchannel_logout_url, o.backchannel_logout_url);
    set(&mut input.internal_url, o.internal_url);
    if let Some(p) = o.protocol {
        input.protocol = Some(
            Protocol::parse(&p)
                .ok_or_else(|| format!("unknown protocol {p:?}: use oidc, cas or proxy"))?,
        );
    }
    if let Some(c) = o.claims {
        input.claim_profile = Some(
            ClaimProfile::parse(&c)
                .ok_or_else(|| format!("unknown claim profile {c:?}: use standard or ent_fr"))?,
        );
    }
    if !o.redirect_uris.is_empty() {
        input.redirect_uris = o.redirect_uris;
    }
    if !o.post_logout_uris.is_empty() {
        input.post_logout_uris = o.post_logout_uris;
    }
    if !o.services.is_empty() {
        input.cas_services = o.services;
    }
    if !o.roles.is_empty() {
        // `--role ''` empties the list (nobody), as `--class ''` does (every class).
        input.roles = o
            .roles
            .iter()
            .filter(|r| !r.trim().is_empty())
            .map(|r| {
                Role::parse(r).ok_or_else(|| {
                    format!("unknown role {r:?}: use admin, staff, teacher, pupil or parent")
                })
            })
            .collect::<Result<_>>()?;
    }
    if !o.classes.is_empty() {
        let names: Vec<String> = o
            .classes
            .into_iter()
            .filter(|c| !c.trim().is_empty())
            .collect();
        let (year, found) = {
            let names = names.clone();
            db.read_blocking(move |c| {
                let year = Settings::load(c)?.school_year;
                let mut found = Vec::new();
                for n in &names {
                    found.push(accounts::find_class(c, n, &year).map_err(|e| {
                        crate::db::Error::Task(format!("class lookup failed: {e}"))
                    })?);
                }
                Ok((year, found))
            })
            .map_err(|e| e.to_string())?
        };
        input.classes = Vec::new();
        for (name, id) in names.iter().zip(found) {
            let id =
                id.ok_or_else(|| format!("no class named {name:?} in the school year {year}"))?;
            input.classes.push(id);
        }
    }
    if o.public {
        input.public = true;
    }
    if o.disabled {
        input.disabled = true;
    } else if !editing {
        input.disabled = false;
    }
    Ok(())
}

fn show(db: &Db, slug: &str) -> Result<()> {
    let app = find(db, slug)?;
    let ids = app.classes.clone();
    let (settings, classes) = db
        .read_blocking(move |c| {
            let classes = accounts::classes_by_id(c, &ids)?;
            Ok((Settings::load(c)?, classes))
        })
        .map_err(|e| e.to_string())?;
    let yes_no = |b: bool| if b { "yes" } else { "no" };
    println!("slug: {}", app.slug);
    println!("name: {}", app.name);
    println!("protocol: {}", app.protocol.as_str());
    println!("preset: {}", app.preset);
    println!("icon: {}", app.icon);
    println!("launch_url: {}", app.launch_url);
    if app.protocol == Protocol::Oidc {
        println!(
            "client: {}",
            if app.public {
                "public (no secret, PKCE required)"
            } else {
                "confidential (secret set; `cartable app secret` makes a new one)"
            }
        );
    }
    println!("claims: {}", app.claim_profile.as_str());
    println!("disabled: {}", yes_no(app.disabled));
    for u in &app.redirect_uris {
        println!("redirect_uri: {u}");
    }
    for u in &app.post_logout_uris {
        println!("post_logout_uri: {u}");
    }
    for u in &app.cas_services {
        println!("service: {u}");
    }
    println!("logout_url: {}", app.logout_url);
    println!("backchannel_logout_url: {}", app.backchannel_logout_url);
    if app.protocol == Protocol::Proxy || !app.internal_url.is_empty() {
        println!("internal_url: {}", app.internal_url);
    }
    let roles: Vec<&str> = app.roles.iter().map(|r| r.as_str()).collect();
    println!(
        "roles: {}",
        if roles.is_empty() {
            "(none: nobody may use it)".into()
        } else {
            roles.join(", ")
        }
    );
    let classes: Vec<String> = classes
        .iter()
        .map(|c| format!("{} ({})", c.name, c.school_year))
        .collect();
    println!(
        "classes: {}",
        if classes.is_empty() {
            "(any)".into()
        } else {
            classes.join(", ")
        }
    );
    println!("created: {}", crate::clock::format_local(app.created_at));
    println!("updated: {}", crate::clock::format_local(app.updated_at));
    println!();
    println!("To paste into the application:");
    for (k, v) in crate::idp::apps::paste(&app, &settings) {
        println!("{k}: {v}");
    }
    Ok(())
}
