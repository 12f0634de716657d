//! Login slips: fresh one-time passwords for a class's pupils, on a page made to be printed
//! and cut, two slips a row. This is how pupils get their first password (and a new one when
//! a whole class has forgotten theirs).
//!
//! The passwords are hashed before the write, through the bounded hasher, then stored in one
//! transaction: either every slip on the page works, or none was issued.

use super::account_error;
use super::classes::class_page;
use crate::accounts::{self, AccountError};
use crate::auth::{Action, Role, generate_password};
use crate::ids::{ClassId, UserId};
use crate::web::Response;
use crate::web::error::WebError;
use crate::web::req::Req;
use futures_util::future::join_all;
use hyper::StatusCode;
use minijinja::context;
use serde::Serialize;

#[derive(Serialize)]
struct Slip {
    display_name: String,
    username: String,
    password: String,
    class_name: String,
}

pub async fn print(mut req: Req) -> Result<Response, WebError> {
    req.allow(&Action::AdminArea)?;
    let id: ClassId = req.param("id")?;
    let allowed = req.allow(&Action::PrintSlips { class: id })?;
    // Repeated `pupil` fields (the ticked boxes) do not fit a struct: read the pairs.
    let fields: Vec<(String, String)> = req.form().await?;
    let ticked: Vec<UserId> = fields
        .iter()
        .filter(|(k, _)| k == "pupil")
        .filter_map(|(_, v)| v.parse().ok())
        .collect();
    let (class, pupils) = accounts::read(&req.app.db, move |c| {
        Ok((accounts::get_class(c, id)?, accounts::class_pupils(c, id)?))
    })
    .await
    .map_err(account_error)?;
    let chosen: Vec<_> = pupils
        .into_iter()
        .filter(|u| u.role == Role::Pupil && !u.disabled)
        .filter(|u| ticked.is_empty() || ticked.contains(&u.id))
        .collect();
    if chosen.is_empty() {
        return class_page(req, id, Some("slips.error_none"), StatusCode::BAD_REQUEST).await;
    }
    let passwords: Vec<String> = chosen.iter().map(|_| generate_password()).collect();
    let auth = &req.app.auth;
    let hashes = join_all(passwords.iter().map(|p| auth.hash_password(p))).await;
    let pairs: Vec<(UserId, String)> = chosen.iter().map(|u| u.id).zip(hashes).collect();
    let written = accounts::write(&req.app.db, move |tx| {
        accounts::set_slip_passwords(tx, &allowed, id, &pairs)
    })
    .await;
    match written {
        Ok(()) => {}
        // A pupil left the class or was disabled meanwhile: nothing was issued.
        Err(AccountError::NotFound) => {
            return class_page(req, id, Some("slips.error_changed"), StatusCode::CONFLICT).await;
        }
        Err(e) => return Err(account_error(e)),
    }
    let slips: Vec<Slip> = chosen
        .into_iter()
        .zip(passwords)
        .map(|(u, password)| Slip {
            display_name: u.display_name,
            username: u.username,
            password,
            class_name: class.name.clone(),
        })
        .collect();
    let portal = req.app.settings().portal_url();
    req.render(
        "admin/slips.html",
        context! { class => class, slips => slips, portal => portal },
    )
}
