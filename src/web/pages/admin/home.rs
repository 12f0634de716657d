//! The administration home: a tile for each page the principal may use, with counts for the
//! office and, for a teacher, the classes they teach.

use super::account_error;
use super::users::creatable_roles;
use crate::accounts;
use crate::auth::{self, Action};
use crate::web::Response;
use crate::web::error::WebError;
use crate::web::req::Req;
use minijinja::context;

pub async fn home(mut req: Req) -> Result<Response, WebError> {
    req.allow(&Action::AdminArea)?;
    let p = req.principal()?.clone();
    let can = |a: &Action<'_>| auth::authorize(&p, a).is_ok();
    let users = can(&Action::ListAccounts);
    let manage_classes = can(&Action::ManageClasses);
    let tiles = context! {
        users => users,
        new_user => !creatable_roles(&p).is_empty(),
        classes => manage_classes,
        import => can(&Action::ImportAccounts),
        audit => can(&Action::ViewAudit),
        settings => can(&Action::EditSettings),
        system => can(&Action::ViewSystem),
        mail => can(&Action::ManageMailQueue),
        forum => can(&Action::ManageForumCategories),
        apps => can(&Action::ManageApps),
        library => can(&Action::ManageLibrary),
    };
    let teaches = p.teaches.clone();
    let (counts, teaching) = accounts::read(&req.app.db, move |c| {
        let counts = if users {
            accounts::count_by_role(c)?
        } else {
            vec![]
        };
        let teaching = if manage_classes {
            vec![]
        } else {
            accounts::classes_by_id(c, &teaches)?
        };
        Ok((counts, teaching))
    })
    .await
    .map_err(account_error)?;
    let teaching: Vec<accounts::Class> = teaching
        .into_iter()
        .filter(|k| can(&Action::ViewClass { class: k.id }))
        .collect();
    let counts: Vec<(String, i64)> = counts
        .into_iter()
        .map(|(r, n)| (r.as_str().to_owned(), n))
        .collect();
    req.render(
        "admin/home.html",
        context! { counts => counts, tiles => tiles, teaching => teaching },
    )
}
