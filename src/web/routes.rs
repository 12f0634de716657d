//! Every web route, in one table: read this file to know what the portal serves.

use super::pages::{admin, auth_pages, dashboard, public};
use super::router::Router;

pub fn routes() -> Router {
    let mut r = Router::default();
    // Public: the health check, the CA page, static assets, language choice.
    r.get("/healthz", public::healthz);
    r.get("/ca", public::ca_page);
    r.get("/ca.crt", public::ca_cert);
    r.get("/static/{file}", public::static_file);
    r.get("/lang/{code}", public::set_language);
    // Logging in and out, and changing one's password.
    r.get("/login", auth_pages::login_form);
    r.post("/login", auth_pages::login);
    r.post("/logout", auth_pages::logout);
    r.get("/password", auth_pages::password_form);
    r.post("/password", auth_pages::change_password);
    // The portal.
    r.get("/", dashboard::dashboard);
    r.get("/profile", dashboard::profile);
    r.post("/profile", dashboard::save_profile);
    // Administration.
    admin::routes(&mut r);
    r
}
