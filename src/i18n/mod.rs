//! Translations: every message a person reads, in every language the school may choose.
//!
//! Messages are [Fluent](https://projectfluent.org) files, the format translators and their
//! tools know, embedded in the binary: `locales/<language>/<area>.ftl`. Fluent brings what a
//! hand-made catalog lacks: plural forms from CLDR (Arabic has six; Portuguese counts 0 as
//! plural, French as singular), selectors, and variables isolated for bidirectional text (an
//! Arabic name inside a French sentence keeps its own direction).
//!
//! Code and templates name a message with dots, as before: `t("forum.title")` is the Fluent
//! message `forum-title` (Fluent ids may not hold dots; no id holds a dot, so the map is one to
//! one). A message missing in a language falls back along a chain (`pt` → `en`, `ar` → `fr` →
//! `en`); the completeness tests make those fallbacks unreachable in a build that passed
//! `make test`.
//!
//! Values reach Fluent as numbers when they are integers, so plural selectors work with the
//! `&str` arguments the code passes (`"3"` picks the `few`/`other` form). HTML pages keep
//! Fluent's isolation marks (U+2068/U+2069, invisible, honoured by browsers); text that leaves as
//! plain text — e-mails, CSV files, file names — goes through [`I18n::format_plain`].

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};

/// The languages with a complete catalog, each in its own name, in the order menus list them.
pub const LANGUAGES: &[(&str, &str)] = &[
    ("fr", "Français"),
    ("en", "English"),
    ("pt", "Português"),
    ("ar", "العربية"),
];

/// The language when nothing else decides.
pub const FALLBACK: &str = "fr";

/// The CLDR locale a language's plural rules and formatting come from. Portuguese is the
/// European variant: the Brazilian rule (which `pt` means to CLDR) makes 0 singular.
fn locale(lang: &str) -> &str {
    match lang {
        "pt" => "pt-PT",
        other => other,
    }
}

/// Where a message missing in `lang` is looked for next.
fn chain(lang: &str) -> &'static [&'static str] {
    match lang {
        "ar" => &["ar", "fr", "en"],
        "pt" => &["pt", "en"],
        "en" => &["en", "fr"],
        _ => &["fr", "en"],
    }
}

/// The writing direction of `lang`, for `<html dir>`.
pub fn dir(lang: &str) -> &'static str {
    match lang {
        "ar" => "rtl",
        _ => "ltr",
    }
}

/// The Fluent files of one language, embedded; every language has the same file names (a
/// test checks the table against `locales/` on disk).
macro_rules! catalog {
    ($lang:literal) => {
        &[
            (
                "core",
                include_str!(concat!("../../locales/", $lang, "/core.ftl")),
            ),
            (
                "admin",
                include_str!(concat!("../../locales/", $lang, "/admin.ftl")),
            ),
            (
                "import",
                include_str!(concat!("../../locales/", $lang, "/import.ftl")),
            ),
            (
                "files",
                include_str!(concat!("../../locales/", $lang, "/files.ftl")),
            ),
            (
                "homework",
                include_str!(concat!("../../locales/", $lang, "/homework.ftl")),
            ),
            (
                "mail",
                include_str!(concat!("../../locales/", $lang, "/mail.ftl")),
            ),
            (
                "forum",
                include_str!(concat!("../../locales/", $lang, "/forum.ftl")),
            ),
            (
                "school",
                include_str!(concat!("../../locales/", $lang, "/school.ftl")),
            ),
            (
                "attendance",
                include_str!(concat!("../../locales/", $lang, "/attendance.ftl")),
            ),
            (
                "book",
                include_str!(concat!("../../locales/", $lang, "/book.ftl")),
            ),
            (
                "apps",
                include_str!(concat!("../../locales/", $lang, "/apps.ftl")),
            ),
            (
                "library",
                include_str!(concat!("../../locales/", $lang, "/library.ftl")),
            ),
            (
                "library_search",
                include_str!(concat!("../../locales/", $lang, "/library_search.ftl")),
            ),
            (
                "library_admin",
                include_str!(concat!("../../locales/", $lang, "/library_admin.ftl")),
            ),
            (
                "blog",
                include_str!(concat!("../../locales/", $lang, "/blog.ftl")),
            ),
        ]
    };
}

type Files = &'static [(&'static str, &'static str)];

const CATALOGS: &[(&str, Files)] = &[
    ("fr", catalog!("fr")),
    ("en", catalog!("en")),
    ("pt", catalog!("pt")),
    ("ar", catalog!("ar")),
];

struct Catalog {
    bundle: FluentBundle<FluentResource>,
    /// Message ids in file order, for the completeness tests.
    ids: Vec<String>,
}

/// One language's catalog and its messages without arguments, each made the first time a
/// page or a message needs them. Parsed, a language holds about 1.2 MB; a school whose people
/// read French only never parses Arabic and Portuguese.
struct Language {
    code: &'static str,
    files: Files,
    catalog: OnceLock<Catalog>,
    /// The messages that take no argument, formatted once (fallbacks resolved), by dotted key:
    /// most of a page's `t(...)` calls, answered without Fluent or allocation.
    plain: OnceLock<HashMap<String, Arc<str>>>,
}

pub struct I18n {
    languages: Vec<Language>,
}

impl Default for I18n {
    fn default() -> Self {
        Self::new()
    }
}

impl I18n {
    /// The embedded catalogs, none of them parsed yet: each is on its first use. A catalog
    /// that does not parse is a build that never passed `make test` (every language is parsed
    /// there); it stops the program with the file and the error.
    pub fn new() -> I18n {
        I18n {
            languages: CATALOGS
                .iter()
                .map(|(code, files)| Language {
                    code,
                    files,
                    catalog: OnceLock::new(),
                    plain: OnceLock::new(),
                })
                .collect(),
        }
    }

    fn language(&self, lang: &str) -> Option<&Language> {
        self.languages.iter().find(|l| l.code == lang)
    }

    fn catalog(&self, lang: &str) -> Option<&Catalog> {
        let language = self.language(lang)?;
        Some(language.catalog.get_or_init(|| parse(language)))
    }

    /// See [`I18n::plain`]: every English message id whose text in `lang` (in the first
    /// language of its chain that has it) is only text.
    fn plain_messages(&self, lang: &str) -> HashMap<String, Arc<str>> {
        use fluent_syntax::ast::PatternElement;
        let mut plain = HashMap::new();
        let Some(english) = self.catalog("en") else {
            return plain;
        };
        for id in &english.ids {
            let found = chain(lang).iter().find_map(|l| {
                let catalog = self.catalog(l)?;
                let m = catalog.bundle.get_message(id)?;
                Some((catalog, m.value()?))
            });
            let Some((catalog, pattern)) = found else {
                continue;
            };
            if !pattern
                .elements
                .iter()
                .all(|e| matches!(e, PatternElement::TextElement { .. }))
            {
                continue;
            }
            let mut errors = Vec::new();
            let text = catalog.bundle.format_pattern(pattern, None, &mut errors);
            if errors.is_empty() {
                plain.insert(id.replace('-', "."), Arc::from(text.as_ref()));
            }
        }
        plain
    }

    /// The message for `key` in `lang` when it takes no argument: formatted once.
    pub fn plain(&self, lang: &str, key: &str) -> Option<&Arc<str>> {
        let language = self.language(lang)?;
        language
            .plain
            .get_or_init(|| self.plain_messages(lang))
            .get(key)
    }

    /// The message for `key` in `lang`, without arguments.
    pub fn get(&self, lang: &str, key: &str) -> String {
        match self.plain(lang, key) {
            Some(text) => text.to_string(),
            None => self.format(lang, key, &[]),
        }
    }

    /// The message for `key` in `lang` with its arguments, for an HTML page (variables keep
    /// their bidirectional isolation marks). Falls back along the language's chain, then to the
    /// key itself.
    pub fn format(&self, lang: &str, key: &str, args: &[(&str, &str)]) -> String {
        let mut fargs = FluentArgs::with_capacity(args.len());
        for (name, value) in args {
            fargs.set(*name, arg(value));
        }
        self.format_args(lang, key, &fargs).into_owned()
    }

    /// Like [`I18n::format`] for text that is not HTML: mail, CSV, file names. The isolation
    /// marks would travel into them as stray characters.
    pub fn format_plain(&self, lang: &str, key: &str, args: &[(&str, &str)]) -> String {
        strip_isolation(&self.format(lang, key, args)).into_owned()
    }

    /// Formats with arguments already made Fluent values (the templates' `t` passes numbers).
    pub fn format_args<'a>(&'a self, lang: &str, key: &'a str, args: &FluentArgs) -> Cow<'a, str> {
        let id = fluent_id(key);
        for l in chain(lang) {
            let Some(catalog) = self.catalog(l) else {
                continue;
            };
            let Some(pattern) = catalog.bundle.get_message(&id).and_then(|m| m.value()) else {
                continue;
            };
            let mut errors = Vec::new();
            let text = catalog
                .bundle
                .format_pattern(pattern, Some(args), &mut errors);
            if !errors.is_empty() {
                log::warn!("message {id} in {l} formatted with errors: {errors:?}");
                debug_assert!(errors.is_empty(), "{l}: {id}: {errors:?}");
            }
            return text;
        }
        Cow::Borrowed(key)
    }

    /// Whether a message exists (in the reference language, English).
    pub fn has(&self, key: &str) -> bool {
        self.catalog("en")
            .is_some_and(|c| c.bundle.has_message(&fluent_id(key)))
    }

    /// The Fluent ids of `lang`'s messages, sorted.
    pub fn ids(&self, lang: &str) -> Vec<&str> {
        let mut ids: Vec<&str> = self
            .catalog(lang)
            .map(|c| c.ids.iter().map(String::as_str).collect())
            .unwrap_or_default();
        ids.sort_unstable();
        ids
    }
}

/// Parses one language's files into its bundle.
fn parse(language: &Language) -> Catalog {
    let lang = language.code;
    let id = locale(lang)
        .parse()
        .unwrap_or_else(|e| panic!("bad locale {lang}: {e}"));
    let mut bundle = FluentBundle::new_concurrent(vec![id]);
    let mut ids = Vec::new();
    for (name, src) in language.files {
        let res = FluentResource::try_new((*src).to_owned())
            .unwrap_or_else(|(_, e)| panic!("locales/{lang}/{name}.ftl does not parse: {e:?}"));
        for entry in res.entries() {
            if let fluent_syntax::ast::Entry::Message(m) = entry {
                ids.push(m.id.name.to_owned());
            }
        }
        bundle
            .add_resource(res)
            .unwrap_or_else(|e| panic!("locales/{lang}/{name}.ftl: {e:?}"));
    }
    Catalog { bundle, ids }
}

/// The Fluent id a dotted key names.
fn fluent_id(key: &str) -> Cow<'_, str> {
    if key.contains('.') {
        Cow::Owned(key.replace('.', "-"))
    } else {
        Cow::Borrowed(key)
    }
}

/// An argument as Fluent sees it: an integer written the canonical way is a number (plural
/// selectors need one), anything else text (`"007"` stays as typed).
fn arg(value: &str) -> FluentValue<'_> {
    match value.parse::<i64>() {
        Ok(n) if n.to_string() == value => FluentValue::from(n),
        _ => FluentValue::from(value),
    }
}

/// `s` without Fluent's isolation marks (FSI U+2068, PDI U+2069).
pub fn strip_isolation(s: &str) -> Cow<'_, str> {
    if s.contains(['\u{2068}', '\u{2069}']) {
        Cow::Owned(s.replace(['\u{2068}', '\u{2069}'], ""))
    } else {
        Cow::Borrowed(s)
    }
}

/// A supported language code for `s`, if any (`fr-FR` → `fr`, `pt-AO` → `pt`).
pub fn supported(s: &str) -> Option<&'static str> {
    let primary = s
        .split(['-', '_'])
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    LANGUAGES.iter().map(|(c, _)| *c).find(|c| *c == primary)
}

/// The language the school chose for people who have not chosen one, for what the box writes
/// outside a request (delivery reports, notifications): French when the setting says `auto`.
pub fn school_default(settings: &crate::settings::Settings) -> &'static str {
    supported(&settings.default_language).unwrap_or(FALLBACK)
}

/// The language from a browser's `Accept-Language`, by quality, if we have one of them.
pub fn from_accept_language(header: &str) -> Option<&'static str> {
    let mut choices: Vec<(f32, &str)> = header
        .split(',')
        .filter_map(|part| {
            let mut it = part.split(';');
            let tag = it.next()?.trim();
            let q = it
                .find_map(|p| {
                    p.trim()
                        .strip_prefix("q=")
                        .and_then(|q| q.parse::<f32>().ok())
                })
                .unwrap_or(1.0);
            (q > 0.0).then_some((q, tag))
        })
        .collect();
    choices.sort_by(|a, b| b.0.total_cmp(&a.0));
    choices.into_iter().find_map(|(_, tag)| supported(tag))
}

/// Picks the language for a request: the account's choice, else a visitor's choice (the
/// language cookie), else the school default, else the browser's Accept-Language, else French.
pub fn negotiate(
    account: Option<&str>,
    cookie: Option<&str>,
    school: &str,
    accept: Option<&str>,
) -> &'static str {
    account
        .and_then(supported)
        .or_else(|| cookie.and_then(supported))
        .or_else(|| supported(school))
        .or_else(|| accept.and_then(from_accept_language))
        .unwrap_or(FALLBACK)
}

#[cfg(test)]
mod tests;
