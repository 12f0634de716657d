//! Page templates: minijinja with autoescaping, embedded in the binary.
//!
//! `--templates DIR` (development only) reads them from disk on every render instead, so a
//! template can be edited without rebuilding. Templates translate with `t("key", name=...)`,
//! using the `lang` of the page being rendered.

use crate::i18n::I18n;
use minijinja::value::{Kwargs, Value};
use minijinja::{Environment, Error, ErrorKind, State};
use std::path::PathBuf;
use std::sync::Arc;

macro_rules! embedded {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!("../../templates/", $name)))),*]
    };
}

/// Every template, by name. A new page adds its file here.
const EMBEDDED: &[(&str, &str)] = embedded![
    "base.html",
    "error.html",
    "login.html",
    "password.html",
    "dashboard.html",
    "profile.html",
    "ca.html",
    "cas/page.html",
    "admin/home.html",
    "admin/users.html",
    "admin/user_form.html",
    "admin/user.html",
    "admin/role_language.html",
    "admin/password_reset.html",
    "admin/slip_card.html",
    "admin/classes.html",
    "admin/class.html",
    "admin/slips.html",
    "admin/audit.html",
    "admin/settings.html",
    "admin/mail.html",
    "admin/system.html",
    "admin/import.html",
    "admin/import_preview.html",
    "files/spaces.html",
    "files/folder.html",
    "files/trash.html",
    "homework/list.html",
    "homework/assignment.html",
    "mail/nav.html",
    "mail/list.html",
    "mail/read.html",
    "mail/compose.html",
    "forum/notice.html",
    "forum/search_box.html",
    "forum/problem.html",
    "forum/editor.html",
    "forum/pager.html",
    "forum/overview.html",
    "forum/category.html",
    "forum/new_topic.html",
    "forum/topic.html",
    "forum/edit.html",
    "forum/report.html",
    "forum/history.html",
    "forum/search.html",
    "forum/moderation.html",
    "library/search.html",
    "admin/forum.html",
    "admin/apps.html",
    "admin/app.html",
    "admin/app_form.html",
    "admin/app_fields.html",
    "admin/app_preset.html",
    "admin/library.html",
    "admin/library_remove.html",
    "school/children.html",
    "school/child_switch.html",
    "school/item_actions.html",
    "book/item.html",
    "book/week.html",
    "book/entry.html",
    "book/choose.html",
    "book/form.html",
    "book/due_soon.html",
    "school/audience.html",
    "news/entry.html",
    "blog/list.html",
    "blog/blog.html",
    "blog/settings.html",
    "blog/editor.html",
    "blog/post.html",
    "blog/site.html",
    "blog/site_blog.html",
    "blog/site_post.html",
    "blog/feed.xml",
    "blog/feeds.html",
    "blog/files.html",
    "blog/search.html",
    "blog/search_box.html",
    "news/timeline.html",
    "news/item.html",
    "idp/logout_confirm.html",
    "news/form.html",
    "agenda/entry.html",
    "agenda/index.html",
    "agenda/event.html",
    "agenda/form.html",
    "attendance/home.html",
    "attendance/register.html",
    "attendance/record.html",
    "attendance/absences.html",
    "library/index.html",
    "library/problem.html",
    "library/bar.html",
];

/// The buffer a page is written into: the dashboard is 3 KB, a forum topic page 46 KB.
const BODY_CAPACITY: usize = 32 * 1024;

pub struct Templates {
    embedded: Environment<'static>,
    dir: Option<PathBuf>,
    i18n: Arc<I18n>,
}

impl Templates {
    /// Each embedded template is compiled the first time a page needs it, and kept: compiled,
    /// the hundred templates hold 2.7 MB, which a box that never shows, say, the blogs or the
    /// library need not hold. That every one of them compiles is a unit test's job
    /// (`every_template_compiles`), not each start's.
    pub fn new(i18n: Arc<I18n>, dir: Option<PathBuf>) -> Templates {
        let mut env = base_env(&i18n);
        env.set_loader(|name| Ok(embedded(name).map(str::to_owned)));
        Templates {
            embedded: env,
            dir,
            i18n,
        }
    }

    pub fn render(&self, name: &str, ctx: Value) -> Result<String, Error> {
        self.with_template(name, |t| t.render(ctx))
    }

    /// A page as the bytes of a response body, written into a buffer that most pages fit
    /// without growing: a page grown from nothing was copied a dozen times on its way to
    /// 40 KB, each copy taking the allocator's lock.
    pub fn render_body(&self, name: &str, ctx: Value) -> Result<Vec<u8>, Error> {
        self.with_template(name, |t| {
            let mut out = Vec::with_capacity(BODY_CAPACITY);
            t.render_captured_to(ctx, &mut out)?;
            Ok(out)
        })
    }

    fn with_template<R>(
        &self,
        name: &str,
        f: impl FnOnce(minijinja::Template<'_, '_>) -> Result<R, Error>,
    ) -> Result<R, Error> {
        match &self.dir {
            None => f(self.embedded.get_template(name)?),
            Some(dir) => {
                let mut env = base_env(&self.i18n);
                env.set_loader(minijinja::path_loader(dir));
                f(env.get_template(name)?)
            }
        }
    }
}

fn embedded(name: &str) -> Option<&'static str> {
    EMBEDDED
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, src)| *src)
}

fn base_env(i18n: &Arc<I18n>) -> Environment<'static> {
    let mut env = Environment::new();
    env.set_auto_escape_callback(|_| minijinja::AutoEscape::Html);
    env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
    let catalogs = i18n.clone();
    env.add_function(
        "t",
        move |state: &State, key: &str, kwargs: Kwargs| -> Result<Value, Error> {
            // The page's language, looked up in its context once per render and then kept
            // aside: a page makes dozens of `t()` calls, and a lookup searches every variable
            // the page was given before the ones every page has.
            let lang = state.get_temp("lang").unwrap_or_else(|| {
                let lang = state.lookup("lang").unwrap_or_else(|| Value::from("fr"));
                state.set_temp("lang", lang.clone());
                lang
            });
            let lang = lang.as_str().unwrap_or("fr");
            if kwargs.args().next().is_none()
                && let Some(text) = catalogs.plain(lang, key)
            {
                return Ok(Value::from(text.clone()));
            }
            if !catalogs.has(key) {
                return Err(Error::new(
                    ErrorKind::InvalidOperation,
                    format!("unknown message key {key}"),
                ));
            }
            // Numbers stay numbers, so that plural forms select on them.
            let mut args = fluent_bundle::FluentArgs::new();
            for name in kwargs.args() {
                let v: Value = kwargs.get(name)?;
                match i64::try_from(v.clone()) {
                    Ok(n) if v.is_integer() => args.set(name, n),
                    _ => args.set(name, v.to_string()),
                }
            }
            Ok(Value::from(
                catalogs.format_args(lang, key, &args).into_owned(),
            ))
        },
    );
    // Plain text with its web addresses and library paths as links (see `linkify`).
    env.add_filter("linkify", |text: &str| -> Value {
        Value::from_safe_string(super::linkify::linkify(text))
    });
    // The school's local time (see `clock`).
    env.add_filter("datetime", |ts: i64| -> String {
        crate::clock::local_text(ts).unwrap_or_default()
    });
    env
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Templates are compiled on first use, so a start no longer finds a broken one: this does.
    #[test]
    fn every_template_compiles() {
        let templates = Templates::new(Arc::new(I18n::new()), None);
        for (name, _) in EMBEDDED {
            if let Err(e) = templates.embedded.get_template(name) {
                panic!("template {name} does not compile: {e:#}");
            }
        }
    }

    /// A file under templates/ that is not in `EMBEDDED` would be missing from the binary.
    #[test]
    fn every_file_is_embedded() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
        let mut dirs = vec![root.clone()];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    dirs.push(path);
                    continue;
                }
                let name = path.strip_prefix(&root).unwrap().to_string_lossy();
                assert!(
                    embedded(&name).is_some(),
                    "templates/{name} is not in EMBEDDED"
                );
            }
        }
    }
}
