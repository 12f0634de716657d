//! The administration area under `/admin/`: accounts, classes, family links, password
//! resets, login slips, CSV import, the audit log and the school's settings.
//!
//! Every handler starts with `req.allow(&Action::...)`: the policy in `auth` decides, and
//! a pupil or parent gets 403 on every one of these routes.

mod home;

use crate::web::router::Router;

pub fn routes(r: &mut Router) {
    r.get("/admin/", home::home);
}
