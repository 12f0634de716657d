//! The applications that log in through Cartable, in the administration: the list, a form to
//! add or change one (a preset and the application's address fill the usual values, on the
//! server, so the page needs no JavaScript), a new client secret shown once, removal.
//!
//! The rules and the audit log are `idp::apps`'s, the same as `cartable app ...`; every
//! handler starts with `authorize(ManageApps)`, so anyone but an admin gets 403.

use crate::auth::{Action, Role};
use crate::idp::apps::{self, App, AppInput, ClaimProfile, Protocol};
use crate::idp::presets::{self, Preset};
use crate::idp::{IdpError, Result as IdpResult};
use crate::ids::{AppId, ClassId};
use crate::web::Response;
use crate::web::error::WebError;
use crate::web::req::{Req, redirect};
use hyper::StatusCode;
use minijinja::context;
use serde::Serialize;

/// The form as the page shows and sends it: lists as one-per-line text.
#[derive(Serialize, Default, Clone)]
struct AppForm {
    slug: String,
    name: String,
    icon: String,
    protocol: String,
    preset: String,
    base: String,
    launch_url: String,
    redirect_uris: String,
    post_logout_uris: String,
    cas_services: String,
    logout_url: String,
    backchannel_logout_url: String,
    internal_url: String,
    roles: Vec<String>,
    classes: Vec<String>,
    claims: String,
    public: bool,
    disabled: bool,
}

impl AppForm {
    fn new() -> AppForm {
        AppForm {
            protocol: "oidc".into(),
            preset: "generic".into(),
            claims: "standard".into(),
            ..Default::default()
        }
    }

    fn of(app: &App) -> AppForm {
        AppForm {
            slug: app.slug.clone(),
            name: app.name.clone(),
            icon: app.icon.clone(),
            protocol: app.protocol.as_str().into(),
            preset: app.preset.clone(),
            base: String::new(),
            launch_url: app.launch_url.clone(),
            redirect_uris: app.redirect_uris.join("\n"),
            post_logout_uris: app.post_logout_uris.join("\n"),
            cas_services: app.cas_services.join("\n"),
            logout_url: app.logout_url.clone(),
            backchannel_logout_url: app.backchannel_logout_url.clone(),
            internal_url: app.internal_url.clone(),
            roles: app.roles.iter().map(|r| r.as_str().to_owned()).collect(),
            classes: app.classes.iter().map(|c| c.to_string()).collect(),
            claims: app.claim_profile.as_str().into(),
            public: app.public,
            disabled: app.disabled,
        }
    }

    /// Reads the posted pairs (checkboxes repeat their name); returns the form and whether
    /// it was the preset chooser's (a form of its own, so that Enter in a field saves).
    fn read(pairs: Vec<(String, String)>) -> (AppForm, bool) {
        let mut f = AppForm::default();
        let mut fill = false;
        for (k, v) in pairs {
            match k.as_str() {
                "slug" => f.slug = v,
                "name" => f.name = v,
                "icon" => f.icon = v,
                "protocol" => f.protocol = v,
                "preset" => f.preset = v,
                "base" => f.base = v,
                "launch_url" => f.launch_url = v,
                "redirect_uris" => f.redirect_uris = v,
                "post_logout_uris" => f.post_logout_uris = v,
                "cas_services" => f.cas_services = v,
                "logout_url" => f.logout_url = v,
                "backchannel_logout_url" => f.backchannel_logout_url = v,
                "internal_url" => f.internal_url = v,
                "roles" if !f.roles.contains(&v) => f.roles.push(v),
                "classes" if !f.classes.contains(&v) => f.classes.push(v),
                "claims" => f.claims = v,
                "public" => f.public = true,
                "disabled" => f.disabled = true,
                "action" => fill = v == "fill",
                _ => {}
            }
        }
        (f, fill)
    }

    /// The preset's usual values from the address typed beside it.
    fn fill(&mut self) -> Result<(), &'static str> {
        let p = presets::find(self.preset.trim()).ok_or("apps.error_preset")?;
        if !apps::valid_url(self.base.trim()) {
            return Err("apps_admin.error_base");
        }
        let base = self.base.trim().to_owned();
        if !p.name.is_empty() && self.name.trim().is_empty() {
            self.name = p.name.into();
        }
        self.icon = p.icon.into();
        self.protocol = p.protocol.as_str().into();
        self.claims = p.claim_profile.as_str().into();
        let uris = Preset::fill_all(p.uris, &base).join("\n");
        match p.protocol {
            Protocol::Cas => self.cas_services = uris,
            _ => self.redirect_uris = uris,
        }
        self.post_logout_uris = Preset::fill_all(p.post_logout, &base).join("\n");
        self.backchannel_logout_url = Preset::fill(p.backchannel_logout, &base);
        self.logout_url = Preset::fill(p.logout, &base);
        self.launch_url = Preset::fill(p.launch, &base);
        self.roles = p.roles.iter().map(|r| r.as_str().to_owned()).collect();
        Ok(())
    }

    fn input(&self) -> AppInput {
        let lines = |s: &str| -> Vec<String> {
            s.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(str::to_owned)
                .collect()
        };
        AppInput {
            slug: self.slug.clone(),
            name: self.name.clone(),
            icon: self.icon.clone(),
            launch_url: self.launch_url.clone(),
            protocol: Protocol::parse(&self.protocol),
            preset: self.preset.clone(),
            public: self.public,
            claim_profile: ClaimProfile::parse(&self.claims),
            logout_url: self.logout_url.clone(),
            backchannel_logout_url: self.backchannel_logout_url.clone(),
            internal_url: self.internal_url.clone(),
            disabled: self.disabled,
            redirect_uris: lines(&self.redirect_uris),
            post_logout_uris: lines(&self.post_logout_uris),
            cas_services: lines(&self.cas_services),
            roles: Role::ALL
                .into_iter()
                .filter(|r| self.roles.iter().any(|v| v == r.as_str()))
                .collect(),
            // An id that is not a number names no class: the domain refuses it.
            classes: self
                .classes
                .iter()
                .map(|c| c.parse().unwrap_or(ClassId(0)))
                .collect(),
        }
    }
}

#[derive(Serialize)]
struct ClassChoice {
    id: ClassId,
    name: String,
    school_year: String,
}

/// This school year's classes, and any older one the application still names.
fn class_choices(
    c: &rusqlite::Connection,
    keep: &[ClassId],
) -> crate::db::Result<Vec<ClassChoice>> {
    let year = crate::settings::Settings::load(c)?.school_year;
    let all = crate::accounts::list_classes(c)?;
    Ok(all
        .into_iter()
        .filter(|k| k.school_year == year || keep.contains(&k.id))
        .map(|k| ClassChoice {
            id: k.id,
            name: k.name,
            school_year: k.school_year,
        })
        .collect())
}

fn preset_choices() -> Vec<(&'static str, &'static str)> {
    presets::PRESETS.iter().map(|p| (p.key, p.name)).collect()
}

/// A refusal the form can explain, or the error page for the rest.
fn problem(e: IdpError) -> Result<&'static str, WebError> {
    match e {
        IdpError::Invalid(k) => Ok(k),
        IdpError::NotFound => Err(WebError::NotFound),
        IdpError::Denied => Err(WebError::Forbidden),
        IdpError::Db(d) => Err(d.into()),
    }
}

/// Runs a registry read; its refusals become pages.
async fn read<T: Send + 'static>(
    req: &Req,
    f: impl FnOnce(&rusqlite::Connection) -> IdpResult<T> + Send + 'static,
) -> Result<T, WebError> {
    req.app
        .db
        .read(move |c| Ok(f(c)))
        .await?
        .map_err(|e| match problem(e) {
            Ok(k) => WebError::BadRequest(k),
            Err(w) => w,
        })
}

pub async fn list(mut req: Req) -> Result<Response, WebError> {
    req.allow(&Action::ManageApps)?;
    let all = read(&req, apps::list).await?;
    req.render("admin/apps.html", context! { apps => all })
}

async fn form_page(
    mut req: Req,
    form: AppForm,
    error: Option<&'static str>,
    status: StatusCode,
) -> Result<Response, WebError> {
    let keep: Vec<ClassId> = form.classes.iter().filter_map(|c| c.parse().ok()).collect();
    let classes = req.app.db.read(move |c| class_choices(c, &keep)).await?;
    let roles: Vec<&str> = Role::ALL.iter().map(|r| r.as_str()).collect();
    req.render_status(
        status,
        "admin/app_form.html",
        context! {
            form => form, error => error, classes => classes, all_roles => roles,
            presets => preset_choices(),
        },
    )
}

pub async fn new_form(req: Req) -> Result<Response, WebError> {
    req.allow(&Action::ManageApps)?;
    form_page(req, AppForm::new(), None, StatusCode::OK).await
}

pub async fn create(mut req: Req) -> Result<Response, WebError> {
    let allowed = req.allow(&Action::ManageApps)?;
    let pairs: Vec<(String, String)> = req.form().await?;
    let (mut form, fill) = AppForm::read(pairs);
    if fill {
        form = AppForm {
            preset: form.preset,
            base: form.base,
            ..AppForm::new()
        };
        return match form.fill() {
            Ok(()) => form_page(req, form, None, StatusCode::OK).await,
            Err(k) => form_page(req, form, Some(k), StatusCode::BAD_REQUEST).await,
        };
    }
    let input = form.input();
    let made = req
        .app
        .db
        .write_as(move |tx| apps::create(tx, &allowed, input))
        .await;
    match made {
        Ok((app, secret)) => app_page(req, app, secret, None, None, StatusCode::OK).await,
        Err(e) => {
            let k = problem(e)?;
            form_page(req, form, Some(k), StatusCode::BAD_REQUEST).await
        }
    }
}

/// The application's page: what to paste into it, the form to change it, a new secret (shown
/// here once, right after it was made), removal.
async fn app_page(
    mut req: Req,
    app: App,
    secret: Option<String>,
    form: Option<AppForm>,
    error: Option<&'static str>,
    status: StatusCode,
) -> Result<Response, WebError> {
    let form = form.unwrap_or_else(|| AppForm::of(&app));
    let mut keep: Vec<ClassId> = form.classes.iter().filter_map(|c| c.parse().ok()).collect();
    keep.extend(app.classes.iter().copied());
    let (classes, settings) = req
        .app
        .db
        .read(move |c| {
            Ok((
                class_choices(c, &keep)?,
                crate::settings::Settings::load(c)?,
            ))
        })
        .await?;
    let paste = crate::idp::apps::paste(&app, &settings);
    let roles: Vec<&str> = Role::ALL.iter().map(|r| r.as_str()).collect();
    req.render_status(
        status,
        "admin/app.html",
        context! {
            app => app, secret => secret, paste => paste, form => form, error => error,
            classes => classes, all_roles => roles, presets => preset_choices(),
        },
    )
}

async fn load(req: &Req, id: AppId) -> Result<App, WebError> {
    read(req, move |c| apps::get(c, id))
        .await?
        .ok_or(WebError::NotFound)
}

pub async fn view(req: Req) -> Result<Response, WebError> {
    req.allow(&Action::ManageApps)?;
    let id: AppId = req.param("id")?;
    let app = load(&req, id).await?;
    app_page(req, app, None, None, None, StatusCode::OK).await
}

pub async fn save(mut req: Req) -> Result<Response, WebError> {
    let allowed = req.allow(&Action::ManageApps)?;
    let id: AppId = req.param("id")?;
    let pairs: Vec<(String, String)> = req.form().await?;
    let app = load(&req, id).await?;
    let (mut form, fill) = AppForm::read(pairs);
    form.slug = app.slug.clone();
    if fill {
        // The chooser is a form of its own: the rest comes from what the application holds.
        form = AppForm {
            preset: form.preset,
            base: form.base,
            ..AppForm::of(&app)
        };
        let (error, status) = match form.fill() {
            Ok(()) => (None, StatusCode::OK),
            Err(k) => (Some(k), StatusCode::BAD_REQUEST),
        };
        return app_page(req, app, None, Some(form), error, status).await;
    }
    let input = form.input();
    let saved = req
        .app
        .db
        .write_as(move |tx| apps::update(tx, &allowed, id, input))
        .await;
    match saved {
        Ok(_) => Ok(redirect(&format!("/admin/apps/{id}?msg=apps_admin.saved"))),
        Err(e) => {
            let k = problem(e)?;
            app_page(req, app, None, Some(form), Some(k), StatusCode::BAD_REQUEST).await
        }
    }
}

pub async fn secret(mut req: Req) -> Result<Response, WebError> {
    let allowed = req.allow(&Action::ManageApps)?;
    let id: AppId = req.param("id")?;
    let _: Vec<(String, String)> = req.form().await?;
    let made = req
        .app
        .db
        .write_as(move |tx| {
            let s = apps::replace_secret(tx, &allowed, id)?;
            Ok::<_, IdpError>((s, apps::get(tx, id)?))
        })
        .await;
    match made {
        Ok((s, Some(app))) => app_page(req, app, Some(s), None, None, StatusCode::OK).await,
        Ok((_, None)) => Err(WebError::NotFound),
        Err(e) => {
            let k = problem(e)?;
            let app = load(&req, id).await?;
            app_page(req, app, None, None, Some(k), StatusCode::BAD_REQUEST).await
        }
    }
}

pub async fn delete(mut req: Req) -> Result<Response, WebError> {
    let allowed = req.allow(&Action::ManageApps)?;
    let id: AppId = req.param("id")?;
    let _: Vec<(String, String)> = req.form().await?;
    req.app
        .db
        .write_as(move |tx| apps::remove(tx, &allowed, id))
        .await
        .map_err(|e| match problem(e) {
            Ok(k) => WebError::BadRequest(k),
            Err(w) => w,
        })?;
    Ok(redirect("/admin/apps?msg=apps_admin.removed"))
}
