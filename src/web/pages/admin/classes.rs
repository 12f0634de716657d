//! Classes in the administration area: the list (a teacher sees the classes they teach), a
//! new class, and one class's pupils and teachers with their per-pupil password reset and
//! the form that prints the class's login slips.
//!
//! Which classes appear is decided class by class by `Action::ViewClass`, so the list and
//! the class pages can never disagree.

use super::account_error;
use crate::accounts::{self, AccountError, Class, User};
use crate::auth::{self, Action, Role};
use crate::ids::{ClassId, UserId};
use crate::web::Response;
use crate::web::error::WebError;
use crate::web::req::{Req, redirect};
use hyper::StatusCode;
use minijinja::context;
use serde::{Deserialize, Serialize};

#[derive(Deserialize, Serialize, Default)]
struct NewClassForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    school_year: String,
}

async fn list_page(
    mut req: Req,
    form: NewClassForm,
    error: Option<&str>,
    status: StatusCode,
) -> Result<Response, WebError> {
    let p = req.principal()?.clone();
    let classes: Vec<Class> = accounts::read(&req.app.db, accounts::list_classes)
        .await
        .map_err(account_error)?
        .into_iter()
        .filter(|k| auth::authorize(&p, &Action::ViewClass { class: k.id }).is_ok())
        .collect();
    let can_manage = auth::authorize(&p, &Action::ManageClasses).is_ok();
    req.render_status(
        status,
        "admin/classes.html",
        context! { classes => classes, can_manage => can_manage, form => form, error => error },
    )
}

pub async fn list(req: Req) -> Result<Response, WebError> {
    req.allow(&Action::AdminArea)?;
    let form = NewClassForm {
        name: String::new(),
        school_year: req.app.settings().school_year.clone(),
    };
    list_page(req, form, None, StatusCode::OK).await
}

pub async fn create(mut req: Req) -> Result<Response, WebError> {
    let allowed = req.allow(&Action::ManageClasses)?;
    let mut form: NewClassForm = req.form().await?;
    form.school_year = form.school_year.trim().to_owned();
    if form.school_year.is_empty() {
        form.school_year = req.app.settings().school_year.clone();
    }
    let (name, year) = (form.name.clone(), form.school_year.clone());
    match accounts::write(&req.app.db, move |tx| {
        accounts::create_class(tx, &allowed, &name, &year)
    })
    .await
    {
        Ok(id) => Ok(redirect(&format!(
            "/admin/classes/{id}?msg=admin.class_created"
        ))),
        Err(AccountError::Db(e)) => Err(e.into()),
        Err(e) => list_page(req, form, Some(e.key()), StatusCode::BAD_REQUEST).await,
    }
}

#[derive(Serialize)]
struct PupilRow {
    user: User,
    can_reset: bool,
    can_edit: bool,
}

#[derive(Serialize)]
struct TeacherRow {
    user: User,
    can_edit: bool,
}

/// The class page, with an optional message about the form that was just refused.
pub(super) async fn class_page(
    mut req: Req,
    id: ClassId,
    error: Option<&str>,
    status: StatusCode,
) -> Result<Response, WebError> {
    let loaded = accounts::read(&req.app.db, move |c| {
        let class = accounts::get_class(c, id)?;
        let mut pupils = Vec::new();
        for u in accounts::class_pupils(c, id)? {
            let classes = accounts::classes_of_pupil(c, u.id)?;
            pupils.push((u, classes));
        }
        Ok((class, pupils, accounts::class_teachers(c, id)?))
    })
    .await;
    // Only those allowed to view this class get here, and they may know it is gone.
    let (class, pupils, teachers) = loaded.map_err(account_error)?;
    let p = req.principal()?.clone();
    let can = |a: &Action<'_>| auth::authorize(&p, a).is_ok();
    let pupils: Vec<PupilRow> = pupils
        .into_iter()
        .map(|(user, classes)| PupilRow {
            can_reset: user.id != p.id
                && can(&Action::ResetPassword {
                    target: user.id,
                    role: user.role,
                    classes: &classes,
                }),
            can_edit: can(&Action::EditAccount {
                target: user.id,
                role: user.role,
            }),
            user,
        })
        .collect();
    let teachers: Vec<TeacherRow> = teachers
        .into_iter()
        .map(|user| TeacherRow {
            can_edit: can(&Action::EditAccount {
                target: user.id,
                role: user.role,
            }),
            user,
        })
        .collect();
    let can_manage = can(&Action::ManageClasses);
    let can_slips = can(&Action::PrintSlips { class: id });
    let can_create_pupil = can(&Action::CreateAccount { role: Role::Pupil });
    let enabled_pupils = pupils.iter().filter(|r| !r.user.disabled).count();
    req.render_status(
        status,
        "admin/class.html",
        context! {
            class => class, pupils => pupils, teachers => teachers, can_manage => can_manage,
            can_slips => can_slips, can_create_pupil => can_create_pupil,
            enabled_pupils => enabled_pupils, error => error,
        },
    )
}

pub async fn view(req: Req) -> Result<Response, WebError> {
    req.allow(&Action::AdminArea)?;
    let id: ClassId = req.param("id")?;
    // Asked before anything is loaded: an unknown class and another teacher's look the same.
    req.allow(&Action::ViewClass { class: id })?;
    class_page(req, id, None, StatusCode::OK).await
}

#[derive(Deserialize)]
struct AddMemberForm {
    #[serde(default)]
    username: String,
}

pub async fn add_member(mut req: Req) -> Result<Response, WebError> {
    req.allow(&Action::AdminArea)?;
    let id: ClassId = req.param("id")?;
    let allowed = req.allow(&Action::ManageClasses)?;
    let form: AddMemberForm = req.form().await?;
    let name = form.username.trim().to_lowercase();
    let added = accounts::write(&req.app.db, move |tx| {
        accounts::get_class(tx, id)?;
        let user = match accounts::get_user_by_name(tx, &name) {
            Err(AccountError::NotFound) => return Ok(false),
            other => other?,
        };
        accounts::add_member(tx, &allowed, id, user.id)?;
        Ok(true)
    })
    .await;
    match added {
        Ok(true) => Ok(redirect(&format!(
            "/admin/classes/{id}?msg=admin.member_added"
        ))),
        Ok(false) => {
            let key = "admin_users.error_unknown_username";
            class_page(req, id, Some(key), StatusCode::BAD_REQUEST).await
        }
        Err(e @ (AccountError::NotFound | AccountError::Db(_))) => Err(account_error(e)),
        Err(e) => class_page(req, id, Some(e.key()), StatusCode::BAD_REQUEST).await,
    }
}

#[derive(Deserialize)]
struct RemoveMemberForm {
    user: UserId,
}

pub async fn remove_member(mut req: Req) -> Result<Response, WebError> {
    req.allow(&Action::AdminArea)?;
    let id: ClassId = req.param("id")?;
    let allowed = req.allow(&Action::ManageClasses)?;
    let form: RemoveMemberForm = req.form().await?;
    accounts::write(&req.app.db, move |tx| {
        accounts::remove_member(tx, &allowed, id, form.user)
    })
    .await
    .map_err(account_error)?;
    Ok(redirect(&format!(
        "/admin/classes/{id}?msg=admin.member_removed"
    )))
}
