//! Accounts in the administration area: finding them, creating one, editing one (names, role,
//! language, disabled), its parent-child links, and giving it a fresh one-time password.
//!
//! The rules live in `accounts` and the decisions in `auth::policy`; these handlers turn forms
//! into calls and refusals into messages on the same page.

use super::{account_error, missing_user};
use crate::accounts::{self, AccountError, NewUser, User, UserChanges, UserFilter};
use crate::auth::{self, Action, Principal, Role, generate_password};
use crate::ids::{ClassId, UserId};
use crate::web::Response;
use crate::web::error::WebError;
use crate::web::req::{Req, redirect, safe_next};
use hyper::StatusCode;
use minijinja::context;
use serde::{Deserialize, Serialize};

/// The roles `p` may give an account, in the order menus list them.
pub(super) fn creatable_roles(p: &Principal) -> Vec<&'static str> {
    Role::ALL
        .into_iter()
        .filter(|&role| auth::authorize(p, &Action::CreateAccount { role }).is_ok())
        .map(Role::as_str)
        .collect()
}

/// `""` is the school's default language; anything else must be a language we speak.
fn parse_language(s: &str) -> Result<Option<String>, &'static str> {
    match s.trim() {
        "" => Ok(None),
        l => crate::i18n::supported(l)
            .filter(|code| *code == l)
            .map(|code| Some(code.to_owned()))
            .ok_or("admin_users.error_language"),
    }
}

#[derive(Serialize)]
struct Row {
    user: User,
    editable: bool,
}

pub async fn list(mut req: Req) -> Result<Response, WebError> {
    req.allow(&Action::ListAccounts)?;
    let filter: UserFilter = req.query()?;
    let f = filter.clone();
    let users = accounts::read(&req.app.db, move |c| accounts::find_users(c, &f))
        .await
        .map_err(account_error)?;
    let p = req.principal()?;
    let more = users.len() == accounts::PAGE_SIZE as usize;
    let rows: Vec<Row> = users
        .into_iter()
        .map(|user| Row {
            editable: auth::authorize(
                p,
                &Action::EditAccount {
                    target: user.id,
                    role: user.role,
                },
            )
            .is_ok(),
            user,
        })
        .collect();
    let can_create = !creatable_roles(p).is_empty();
    let roles: Vec<&str> = Role::ALL.into_iter().map(Role::as_str).collect();
    let role = Role::parse(&filter.role).map(Role::as_str).unwrap_or("");
    req.render(
        "admin/users.html",
        context! {
            users => rows, q => filter.q, role => role, page => filter.page, more => more,
            can_create => can_create, roles => roles,
        },
    )
}

/// The new-account form's fields, also used to refill it after a refusal.
#[derive(Deserialize, Serialize, Default)]
struct NewAccountForm {
    #[serde(default)]
    first_name: String,
    #[serde(default)]
    last_name: String,
    #[serde(default)]
    username: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    language: String,
    #[serde(default)]
    class: String,
}

async fn new_form_page(
    mut req: Req,
    form: NewAccountForm,
    error: Option<&str>,
    status: StatusCode,
) -> Result<Response, WebError> {
    let roles = creatable_roles(req.principal()?);
    let classes = accounts::read(&req.app.db, accounts::list_classes)
        .await
        .map_err(account_error)?;
    req.render_status(
        status,
        "admin/user_form.html",
        context! { form => form, roles => roles, classes => classes, error => error },
    )
}

pub async fn new_form(req: Req) -> Result<Response, WebError> {
    req.allow(&Action::AdminArea)?;
    if creatable_roles(req.principal()?).is_empty() {
        return Err(WebError::Forbidden);
    }
    // `?role=pupil&class=3` preselects, as the class page's "new pupil" link does.
    let mut form: NewAccountForm = req.query().unwrap_or_default();
    form.first_name.clear();
    form.last_name.clear();
    form.username.clear();
    if form.role.is_empty() {
        form.role = Role::Pupil.as_str().into();
    }
    new_form_page(req, form, None, StatusCode::OK).await
}

pub async fn create(mut req: Req) -> Result<Response, WebError> {
    req.allow(&Action::AdminArea)?;
    let form: NewAccountForm = req.form().await?;
    let refuse = |req, form, key| new_form_page(req, form, Some(key), StatusCode::BAD_REQUEST);
    let Some(role) = Role::parse(&form.role) else {
        return refuse(req, form, "admin_users.error_role").await;
    };
    let allowed = req.allow(&Action::CreateAccount { role })?;
    let class = match form.class.trim() {
        "" => None,
        c => match c.parse::<ClassId>() {
            Ok(id) => Some(id),
            Err(_) => return refuse(req, form, "error.bad_form").await,
        },
    };
    let class_allowed = match class {
        None => None,
        Some(_) if !matches!(role, Role::Pupil | Role::Teacher) => {
            return refuse(req, form, "admin_users.error_class_role").await;
        }
        Some(_) => Some(req.allow(&Action::ManageClasses)?),
    };
    let language = match parse_language(&form.language) {
        Ok(l) => l,
        Err(key) => return refuse(req, form, key).await,
    };
    // Refuse what the database would refuse before spending a password hash on it.
    let username = form.username.trim().to_lowercase();
    if form.first_name.trim().is_empty() && form.last_name.trim().is_empty() {
        return refuse(req, form, AccountError::NameMissing.key()).await;
    }
    if !username.is_empty()
        && let Err(e) = accounts::check_username(&username)
    {
        return refuse(req, form, e.key()).await;
    }
    let password = generate_password();
    let hash = req.app.auth.hash_password(&password).await;
    let (first, last) = (form.first_name.clone(), form.last_name.clone());
    let created = accounts::write(&req.app.db, move |tx| {
        let username = if username.is_empty() {
            accounts::suggest_username(tx, &first, &last, &[])?
        } else {
            username
        };
        let new = NewUser {
            username,
            first_name: first,
            last_name: last,
            role: Some(role),
            language,
        };
        let id = accounts::create_user(tx, &allowed, &new, Some(&hash), true)?;
        if let (Some(class), Some(a)) = (class, &class_allowed) {
            accounts::add_member(tx, a, class, id)?;
        }
        accounts::get_user(tx, id)
    })
    .await;
    match created {
        Ok(user) => {
            let back = format!("/admin/users/{}", user.id);
            one_time_password_page(req, user, &password, true, &back)
        }
        Err(AccountError::Db(e)) => Err(e.into()),
        Err(e) => refuse(req, form, e.key()).await,
    }
}

/// The page that shows a new password, once: after a reset and after creating an account.
fn one_time_password_page(
    mut req: Req,
    user: User,
    password: &str,
    created: bool,
    back: &str,
) -> Result<Response, WebError> {
    let portal = req.app.settings().portal_url();
    let slip = context! {
        display_name => user.display_name, username => user.username, password => password,
        class_name => "",
    };
    req.render(
        "admin/password_reset.html",
        context! { slip => slip, created => created, back => back, portal => portal },
    )
}

/// Loads the account `id` names, or answers as if it were forbidden to those who may not
/// know whether it exists.
async fn target(req: &Req, id: UserId) -> Result<User, WebError> {
    match accounts::read(&req.app.db, move |c| accounts::get_user(c, id)).await {
        Ok(u) => Ok(u),
        Err(AccountError::NotFound) => Err(missing_user(req, id)),
        Err(e) => Err(account_error(e)),
    }
}

/// The edit form's fields, also used to refill it after a refusal.
#[derive(Deserialize, Serialize)]
struct EditForm {
    #[serde(default)]
    first_name: String,
    #[serde(default)]
    last_name: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    language: String,
    /// A checkbox: present when ticked.
    #[serde(default)]
    disabled: Option<String>,
}

impl EditForm {
    fn from_user(u: &User) -> EditForm {
        EditForm {
            first_name: u.first_name.clone(),
            last_name: u.last_name.clone(),
            role: u.role.as_str().into(),
            language: u.language.clone().unwrap_or_default(),
            disabled: u.disabled.then(|| "on".into()),
        }
    }
}

#[derive(Serialize)]
struct ClassLink {
    id: ClassId,
    name: String,
    school_year: String,
    viewable: bool,
}

/// The account page: its edit form, classes, family links and password reset.
async fn user_page(
    mut req: Req,
    user: User,
    form: Option<EditForm>,
    error: Option<&str>,
    status: StatusCode,
) -> Result<Response, WebError> {
    let (id, role) = (user.id, user.role);
    let (pupil_of, taught, parents, children) = accounts::read(&req.app.db, move |c| {
        let pupil_of = accounts::classes_of_pupil(c, id)?;
        let taught = accounts::classes_taught(c, id)?;
        let mut all = pupil_of.clone();
        all.extend(&taught);
        let classes = accounts::classes_by_id(c, &all)?;
        let (pupil_of, taught): (Vec<_>, Vec<_>) =
            classes.into_iter().partition(|k| pupil_of.contains(&k.id));
        Ok((
            pupil_of,
            taught,
            accounts::parents_of(c, id)?,
            accounts::children_of(c, id)?,
        ))
    })
    .await
    .map_err(account_error)?;
    let p = req.principal()?.clone();
    let pupil_class_ids: Vec<ClassId> = pupil_of.iter().map(|k| k.id).collect();
    let can = |a: &Action<'_>| auth::authorize(&p, a).is_ok();
    let link = |k: accounts::Class| ClassLink {
        viewable: can(&Action::ViewClass { class: k.id }),
        id: k.id,
        name: k.name,
        school_year: k.school_year,
    };
    let pupil_of: Vec<ClassLink> = pupil_of.into_iter().map(link).collect();
    let taught: Vec<ClassLink> = taught.into_iter().map(link).collect();
    let is_self = p.id == id;
    let can_reset = !is_self
        && can(&Action::ResetPassword {
            target: id,
            role,
            classes: &pupil_class_ids,
        });
    let can_link = matches!(role, Role::Parent | Role::Pupil) && can(&Action::ManageParentLinks);
    // The role menu: the current role, and those this principal may give.
    let mut roles = creatable_roles(&p);
    if !roles.contains(&role.as_str()) {
        roles.insert(0, role.as_str());
    }
    let form = form.unwrap_or_else(|| EditForm::from_user(&user));
    req.render_status(
        status,
        "admin/user.html",
        context! {
            user => user, form => form, roles => roles, is_self => is_self,
            pupil_of => pupil_of, taught => taught, parents => parents, children => children,
            can_reset => can_reset, can_link => can_link, error => error,
        },
    )
}

pub async fn view(req: Req) -> Result<Response, WebError> {
    req.allow(&Action::AdminArea)?;
    let id: UserId = req.param("id")?;
    let user = target(&req, id).await?;
    req.allow(&Action::EditAccount {
        target: id,
        role: user.role,
    })?;
    user_page(req, user, None, None, StatusCode::OK).await
}

pub async fn save(mut req: Req) -> Result<Response, WebError> {
    req.allow(&Action::AdminArea)?;
    let id: UserId = req.param("id")?;
    let user = target(&req, id).await?;
    let allowed = req.allow(&Action::EditAccount {
        target: id,
        role: user.role,
    })?;
    let form: EditForm = req.form().await?;
    let refuse =
        |req, user, form, key| user_page(req, user, Some(form), Some(key), StatusCode::BAD_REQUEST);
    let Some(role) = Role::parse(&form.role) else {
        return refuse(req, user, form, "admin_users.error_role").await;
    };
    if role != user.role {
        // Changing a role is giving it: the office cannot make an administrator.
        req.allow(&Action::CreateAccount { role })?;
    }
    let language = match parse_language(&form.language) {
        Ok(l) => l,
        Err(key) => return refuse(req, user, form, key).await,
    };
    let changes = UserChanges {
        first_name: form.first_name.clone(),
        last_name: form.last_name.clone(),
        role,
        language,
        disabled: form.disabled.is_some(),
    };
    match accounts::write(&req.app.db, move |tx| {
        accounts::update_user(tx, &allowed, id, &changes)
    })
    .await
    {
        Ok(()) => Ok(redirect(&format!("/admin/users/{id}?msg=saved"))),
        Err(AccountError::Db(e)) => Err(e.into()),
        Err(e) => refuse(req, user, form, e.key()).await,
    }
}

#[derive(Deserialize, Default)]
struct ResetForm {
    /// Where the result page links back to (the class page the button was on, say).
    back: Option<String>,
}

pub async fn reset_password(mut req: Req) -> Result<Response, WebError> {
    req.allow(&Action::AdminArea)?;
    let id: UserId = req.param("id")?;
    let user = target(&req, id).await?;
    let classes = accounts::read(&req.app.db, move |c| accounts::classes_of_pupil(c, id))
        .await
        .map_err(account_error)?;
    let allowed = req.allow(&Action::ResetPassword {
        target: id,
        role: user.role,
        classes: &classes,
    })?;
    let form: ResetForm = req.form().await?;
    if req.principal()?.id == id {
        // One's own password is changed knowing the current one, not reset.
        return Ok(redirect("/password"));
    }
    let back = match form.back.as_deref() {
        Some(b) if b.starts_with("/admin/") => safe_next(Some(b)),
        _ => format!("/admin/users/{id}"),
    };
    let password = generate_password();
    let hash = req.app.auth.hash_password(&password).await;
    let user = accounts::write(&req.app.db, move |tx| {
        accounts::set_password_hash(tx, &allowed, id, &hash, true, None)?;
        accounts::get_user(tx, id)
    })
    .await
    .map_err(account_error)?;
    one_time_password_page(req, user, &password, false, &back)
}

#[derive(Deserialize)]
struct LinkForm {
    #[serde(default)]
    username: String,
}

/// The (parent, child) pair a link between the page's account and `other` makes.
fn family(user: &User, other: UserId) -> Option<(UserId, UserId)> {
    match user.role {
        Role::Parent => Some((user.id, other)),
        Role::Pupil => Some((other, user.id)),
        _ => None,
    }
}

/// The account whose family links a request changes, once the principal may edit it and
/// manage links at all.
async fn link_target(req: &Req) -> Result<(UserId, User, crate::auth::Allowed), WebError> {
    req.allow(&Action::AdminArea)?;
    let id: UserId = req.param("id")?;
    let user = target(req, id).await?;
    req.allow(&Action::EditAccount {
        target: id,
        role: user.role,
    })?;
    let allowed = req.allow(&Action::ManageParentLinks)?;
    Ok((id, user, allowed))
}

pub async fn add_link(mut req: Req) -> Result<Response, WebError> {
    let (id, user, allowed) = link_target(&req).await?;
    let form: LinkForm = req.form().await?;
    let name = form.username.trim().to_lowercase();
    let other =
        match accounts::read(&req.app.db, move |c| accounts::get_user_by_name(c, &name)).await {
            Ok(o) => o,
            Err(AccountError::NotFound) => {
                return user_page(
                    req,
                    user,
                    None,
                    Some("admin_users.error_unknown_username"),
                    StatusCode::BAD_REQUEST,
                )
                .await;
            }
            Err(e) => return Err(account_error(e)),
        };
    let Some((parent, child)) = family(&user, other.id) else {
        return user_page(
            req,
            user,
            None,
            Some(AccountError::WrongRole.key()),
            StatusCode::BAD_REQUEST,
        )
        .await;
    };
    match accounts::write(&req.app.db, move |tx| {
        accounts::link_parent(tx, &allowed, parent, child)
    })
    .await
    {
        Ok(()) => Ok(redirect(&format!("/admin/users/{id}?msg=admin.link_added"))),
        Err(AccountError::Db(e)) => Err(e.into()),
        Err(e) => user_page(req, user, None, Some(e.key()), StatusCode::BAD_REQUEST).await,
    }
}

#[derive(Deserialize)]
struct UnlinkForm {
    other: UserId,
}

pub async fn remove_link(mut req: Req) -> Result<Response, WebError> {
    let (id, user, allowed) = link_target(&req).await?;
    let form: UnlinkForm = req.form().await?;
    let (parent, child) =
        family(&user, form.other).ok_or(WebError::BadRequest("error.bad_form"))?;
    accounts::write(&req.app.db, move |tx| {
        accounts::unlink_parent(tx, &allowed, parent, child)
    })
    .await
    .map_err(account_error)?;
    Ok(redirect(&format!(
        "/admin/users/{id}?msg=admin.link_removed"
    )))
}
