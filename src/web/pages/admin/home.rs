//! The administration home: what the principal may manage, with counts.

use crate::accounts;
use crate::auth::Action;
use crate::web::Response;
use crate::web::error::WebError;
use crate::web::req::Req;
use minijinja::context;

pub async fn home(mut req: Req) -> Result<Response, WebError> {
    req.allow(&Action::AdminArea)?;
    let counts = req.app.db.read(|c| Ok(accounts::count_by_role(c)?)).await?;
    let counts: Vec<(String, i64)> = counts
        .into_iter()
        .map(|(r, n)| (r.as_str().to_owned(), n))
        .collect();
    req.render("admin/home.html", context! { counts => counts })
}
