//! The administration area under `/admin/`: accounts, classes, family links, password
//! resets, login slips, CSV import, the audit log, the school's settings and the offline
//! library's collections.
//!
//! Every handler starts with `req.allow(&Action::...)`: the policy in `auth` decides, and
//! a pupil or parent gets 403 on every one of these routes. One file per group of pages.

mod apps;
mod audit;
mod classes;
mod forum;
mod home;
mod import;
mod library;
mod mail;
mod settings;
mod slips;
mod system;
mod users;

use crate::accounts::AccountError;
use crate::auth::{Action, Role};
use crate::ids::UserId;
use crate::web::error::WebError;
use crate::web::req::Req;
use crate::web::router::Router;

pub fn routes(r: &mut Router) {
    r.get("/admin/", home::home);
    // Accounts.
    r.get("/admin/users", users::list);
    r.get("/admin/users/new", users::new_form);
    r.post("/admin/users/new", users::create);
    r.get("/admin/users/{id}", users::view);
    r.post("/admin/users/{id}", users::save);
    r.post("/admin/users/{id}/password", users::reset_password);
    r.post("/admin/users/{id}/links", users::add_link);
    r.post("/admin/users/{id}/links/remove", users::remove_link);
    // Classes and their login slips.
    r.get("/admin/classes", classes::list);
    r.post("/admin/classes", classes::create);
    r.get("/admin/classes/{id}", classes::view);
    r.post("/admin/classes/{id}/members", classes::add_member);
    r.post("/admin/classes/{id}/members/remove", classes::remove_member);
    r.post("/admin/classes/{id}/slips", slips::print);
    // The audit log and the school's settings.
    r.get("/admin/audit", audit::audit);
    r.get("/admin/system", system::view);
    r.get("/admin/settings", settings::form);
    r.post("/admin/settings", settings::save);
    r.post("/admin/quotas", settings::save_quotas);
    r.post("/admin/blog-images", settings::save_blog_images);
    // Mail: the school's rules and relay, and the outbound queue.
    r.get("/admin/mail", mail::view);
    r.post("/admin/mail", mail::save);
    r.post("/admin/mail/retry", mail::retry);
    r.post("/admin/mail/delete", mail::delete);
    // The forum's categories for a chosen audience (admins).
    r.get("/admin/forum", forum::view);
    r.post("/admin/forum", forum::create);
    // CSV import of class lists: upload, preview, import.
    r.get("/admin/import", import::form);
    r.post("/admin/import", import::upload);
    r.get("/admin/import/done", import::done);
    r.get("/admin/import/{id}", import::preview);
    r.post("/admin/import/{id}", import::apply);
    // The applications that log in through Cartable (admins): list, add (a preset fills the
    // usual values), change, a new client secret (shown once), removal.
    r.get("/admin/apps", apps::list);
    r.get("/admin/apps/new", apps::new_form);
    r.post("/admin/apps/new", apps::create);
    r.get("/admin/apps/{id}", apps::view);
    r.post("/admin/apps/{id}", apps::save);
    r.post("/admin/apps/{id}/secret", apps::secret);
    r.post("/admin/apps/{id}/delete", apps::delete);
    // The offline library's collections (admins): audiences, removal (confirmed first), the
    // files refused, and a scan of the staff share's Library folder and USB disks.
    r.get("/admin/library", library::view);
    r.post("/admin/library/scan", library::scan_now);
    r.post("/admin/library/readmit", library::readmit);
    r.post("/admin/library/{name}/audience", library::set_audience);
    r.get("/admin/library/{name}/remove", library::confirm_remove);
    r.post("/admin/library/{name}/remove", library::remove);
}

/// An account error no form can explain: a database failure, or a target that vanished
/// (only reached after the policy allowed the principal to know about it).
fn account_error(e: AccountError) -> WebError {
    match e {
        AccountError::NotFound => WebError::NotFound,
        AccountError::Db(d) => d.into(),
        other => WebError::BadRequest(other.key()),
    }
}

/// The answer for an account id that names nobody: "not found" only to those who may see
/// every account, and otherwise the same 403 a forbidden account gets, so that probing ids
/// tells nothing.
fn missing_user(req: &Req, id: UserId) -> WebError {
    let sees_all = Action::EditAccount {
        target: id,
        role: Role::Admin,
    };
    match req.allow(&sees_all) {
        Ok(_) => WebError::NotFound,
        Err(_) => WebError::Forbidden,
    }
}
