//! The dashboard every account lands on, shaped by role, and the profile page.
//!
//! Later services (documents, mail, forum, school life) add their tiles and counts here; the
//! mail tile shows the unread count and the forum tile the unread notifications, with the
//! latest five listed; the school's news (must-read items still waiting for this reader
//! first) and the next events come above and below the tiles. The applications the person
//! may use (through Cartable's login, or behind the portal) get tiles of their own. All are
//! read in one snapshot.

use crate::accounts;
use crate::auth::{Allowed, Role};
use crate::web::Response;
use crate::web::error::WebError;
use crate::web::req::{Req, redirect};
use minijinja::context;
use serde::{Deserialize, Serialize};

#[derive(Serialize)]
struct ClassCard {
    id: crate::ids::ClassId,
    name: String,
    school_year: String,
    pupils: i64,
    teachers: Vec<String>,
}

/// An application's tile: where it leads is its launch address, or `/apps/<slug>/` for one
/// behind the portal.
#[derive(Serialize)]
struct AppTile {
    name: String,
    icon: String,
    url: String,
}

#[derive(Serialize)]
struct ChildCard {
    display_name: String,
    classes: Vec<String>,
}

pub async fn dashboard(mut req: Req) -> Result<Response, WebError> {
    let p = req.principal()?.clone();
    let role = p.role;
    let (classes, teaching, children, counts, unread, forum, school, attendance, apps, blogs) = req
        .app
        .db
        .read(move |c| {
            let card = |class: &accounts::Class| -> accounts::Result<ClassCard> {
                let teachers = accounts::class_teachers(c, class.id)?
                    .into_iter()
                    .map(|t| t.display_name)
                    .collect();
                Ok(ClassCard {
                    id: class.id,
                    name: class.name.clone(),
                    school_year: class.school_year.clone(),
                    pupils: class.pupils,
                    teachers,
                })
            };
            let mine: Vec<ClassCard> = accounts::classes_by_id(c, &p.classes)?
                .iter()
                .map(card)
                .collect::<accounts::Result<_>>()?;
            let teaching: Vec<ClassCard> = accounts::classes_by_id(c, &p.teaches)?
                .iter()
                .map(card)
                .collect::<accounts::Result<_>>()?;
            let mut children = Vec::new();
            let kids = if role == Role::Parent {
                accounts::children_of(c, p.id)?
            } else {
                Vec::new()
            };
            for child in kids {
                let ids = accounts::classes_of_pupil(c, child.id)?;
                let classes = accounts::classes_by_id(c, &ids)?
                    .into_iter()
                    .map(|k| k.name)
                    .collect();
                children.push(ChildCard {
                    display_name: child.display_name,
                    classes,
                });
            }
            let counts = if matches!(role, Role::Admin | Role::Staff) {
                accounts::count_by_role(c)?
            } else {
                vec![]
            };
            let unread = crate::mail::mailbox::unread(c, p.id)?;
            // A parent's absences to explain; the office's justifications to review.
            let attendance = (
                crate::school::attendance::family::unexplained(c, &p)?,
                crate::school::attendance::office::waiting(c, &p)?,
            );
            let forum = match crate::forum::notify::list(c, &p, 5) {
                Ok(f) => f,
                Err(crate::forum::ForumError::Db(e)) => return Err(e),
                Err(e) => return Err(crate::db::Error::Task(e.to_string())),
            };
            let blogs = (|| {
                let latest = crate::blog::posts::latest(c, &p, 3)?;
                let waiting = crate::blog::posts::waiting(c, &p)?.len()
                    + crate::blog::comments::waiting(c, &p)?.len();
                Ok::<_, crate::blog::BlogError>((latest, waiting))
            })()
            .map_err(|e| match e {
                crate::blog::BlogError::Db(e) => e,
                other => crate::db::Error::Task(other.to_string()),
            })?;
            let school = (
                crate::school::news::latest(c, &p, 5)?,
                crate::school::agenda::upcoming(c, &p, crate::now(), 3)?,
                crate::school::book::due_soon(c, &p, crate::now())?,
            );
            let apps: Vec<AppTile> = crate::idp::apps::tiles(c, &p)?
                .into_iter()
                .map(|a| AppTile {
                    url: a.tile_url(),
                    name: a.name,
                    icon: a.icon,
                })
                .collect();
            Ok((
                mine, teaching, children, counts, unread, forum, school, attendance, apps, blogs,
            ))
        })
        .await?;
    let (news, events, due) = school;
    let school_name = req.app.settings().school_name.clone();
    let (blog_posts, blog_waiting) = blogs;
    let blog_posts: Vec<_> = blog_posts
        .into_iter()
        .map(|(b, p)| context! { blog => super::blog::title_of(&b, &school_name), post => p })
        .collect();
    let due = super::school::book::due_views(&req, due);
    let news: Vec<_> = news
        .into_iter()
        .map(|n| super::school::news::view_of(&req, n))
        .collect();
    let events: Vec<_> = events
        .into_iter()
        .map(|e| super::school::agenda::view_of(&req, e))
        .collect();
    let counts: Vec<(String, i64)> = counts
        .into_iter()
        .map(|(r, n)| (r.as_str().to_owned(), n))
        .collect();
    let (notices, forum_unread) = forum;
    let notices: Vec<_> = notices.into_iter().filter(|n| !n.seen).collect();
    req.render(
        "dashboard.html",
        context! {
            classes => classes, teaching => teaching, children => children, counts => counts,
            role => role, unread => unread, notices => notices, forum_unread => forum_unread,
            unexplained => attendance.0.0, unexplained_child => attendance.0.1,
            justifications => attendance.1,
            news => news, events => events, due => due, apps => apps,
            blog_posts => blog_posts, blog_waiting => blog_waiting,
        },
    )
}

pub async fn profile(mut req: Req) -> Result<Response, WebError> {
    let id = req.principal()?.id;
    let user = req
        .app
        .db
        .read(move |c| Ok(accounts::get_user(c, id)?))
        .await?;
    req.render("profile.html", context! { user => user })
}

#[derive(Deserialize)]
struct ProfileForm {
    language: String,
}

pub async fn save_profile(mut req: Req) -> Result<Response, WebError> {
    let p = req.principal()?.clone();
    let form: ProfileForm = req.form().await?;
    let lang = match form.language.as_str() {
        "" => None,
        l => Some(
            crate::i18n::supported(l)
                .ok_or(WebError::BadRequest("error.bad_form"))?
                .to_owned(),
        ),
    };
    let allowed = Allowed::for_self(&p, "set_own_language");
    req.app
        .db
        .write(move |tx| {
            tx.execute(
                "UPDATE users SET language = ?1, updated_at = ?2 WHERE id = ?3",
                rusqlite::params![lang, crate::now(), allowed.actor()],
            )?;
            Ok(())
        })
        .await?;
    Ok(redirect("/profile?msg=saved"))
}
