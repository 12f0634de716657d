//! The admin's system page: the same facts as `cartable status`, with the warnings that
//! matter to a school (no recent backup, an update that rolled itself back) at the top.

use crate::auth::Action;
use crate::web::Response;
use crate::web::error::WebError;
use crate::web::req::Req;
use minijinja::context;

pub async fn view(mut req: Req) -> Result<Response, WebError> {
    req.allow(&Action::ViewSystem)?;
    let (data, db) = (req.app.data_dir.clone(), req.app.db.clone());
    let s = tokio::task::spawn_blocking(move || crate::ops::status::gather(&data, &db))
        .await
        .map_err(|e| crate::db::Error::Task(e.to_string()))??;
    let human = crate::ops::status::human;
    let rolled_back = s
        .last_update
        .as_ref()
        .is_some_and(|u| u.outcome.starts_with("rolled back") || u.outcome.contains("FAILED"));
    let disk = match (s.disk_free, s.disk_total) {
        (Some(f), Some(t)) => format!("{} / {}", human(f), human(t)),
        _ => String::new(),
    };
    let memory = match (s.memory_available, s.memory_total) {
        (Some(a), Some(t)) => format!("{} / {}", human(a), human(t)),
        _ => String::new(),
    };
    let backup_size = s.last_backup.as_ref().map(|b| human(b.size));
    let uptime_days = s.uptime.map(|u| u / 86400);
    let uptime_hours = s.uptime.map(|u| u % 86400 / 3600);
    req.render(
        "admin/system.html",
        context! {
            s => s,
            disk => disk,
            memory => memory,
            backup_size => backup_size,
            rolled_back => rolled_back,
            uptime_days => uptime_days,
            uptime_hours => uptime_hours,
        },
    )
}
