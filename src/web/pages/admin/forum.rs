//! The forum's categories in the administration: the admin sees the categories added for a
//! chosen audience and adds one (a name, a description, the roles that see it).
//!
//! The school's category, the staff room and one per class exist by themselves (the class's
//! comes with the class); only these extra ones are made by hand.

use crate::auth::{Action, Role};
use crate::forum::categories;
use crate::web::Response;
use crate::web::error::WebError;
use crate::web::pages::forum::{Problem, form_problem, read, write};
use crate::web::req::{Req, redirect};
use hyper::StatusCode;
use minijinja::context;
use serde::Serialize;

#[derive(Serialize, Default)]
struct CategoryForm {
    name: String,
    description: String,
    roles: Vec<String>,
}

#[derive(Serialize)]
struct Row {
    name: String,
    description: String,
    roles: Vec<Role>,
    id: crate::ids::CategoryId,
}

async fn page(
    mut req: Req,
    form: CategoryForm,
    error: Option<Problem>,
    status: StatusCode,
) -> Result<Response, WebError> {
    let p = req.principal()?.clone();
    let rows: Vec<Row> = read(&req, move |c| {
        Ok(categories::visible(c, &p)?
            .into_iter()
            .filter(|k| k.kind == "custom")
            .map(|k| Row {
                name: k.name,
                description: k.description,
                roles: k.roles,
                id: k.id,
            })
            .collect())
    })
    .await?;
    let roles: Vec<&str> = Role::ALL.iter().map(|r| r.as_str()).collect();
    req.render_status(
        status,
        "admin/forum.html",
        context! { categories => rows, form => form, error => error, all_roles => roles },
    )
}

pub async fn view(req: Req) -> Result<Response, WebError> {
    req.allow(&Action::ManageForumCategories)?;
    page(req, CategoryForm::default(), None, StatusCode::OK).await
}

pub async fn create(mut req: Req) -> Result<Response, WebError> {
    req.allow(&Action::ManageForumCategories)?;
    let p = req.principal()?.clone();
    // Checkboxes repeat the `roles` field, which a struct cannot take: read the pairs.
    let pairs: Vec<(String, String)> = req.form().await?;
    let mut form = CategoryForm::default();
    for (k, v) in pairs {
        match k.as_str() {
            "name" => form.name = v,
            "description" => form.description = v,
            "roles" if !form.roles.contains(&v) => form.roles.push(v),
            _ => {}
        }
    }
    let roles: Vec<Role> = Role::ALL
        .into_iter()
        .filter(|r| form.roles.iter().any(|v| v == r.as_str()))
        .collect();
    let (name, description) = (form.name.clone(), form.description.clone());
    match write(&req, move |tx| {
        categories::create(tx, &p, &name, &description, &roles)
    })
    .await
    {
        Ok(_) => Ok(redirect("/admin/forum?msg=forum.category_created")),
        Err(e) => {
            let (problem, status) = form_problem(e)?;
            page(req, form, Some(problem), status).await
        }
    }
}
