//! Translations: every message a person reads, in French and English.
//!
//! The catalogs are flat TOML files embedded in the binary (`fr.toml`, `en.toml`), one key
//! per message, `{name}` placeholders for values. A test checks that both catalogs hold the
//! same keys and that every key the templates and the code use exists, so a missing French
//! string fails `make test` rather than showing a key to a pupil.

use std::collections::HashMap;

/// The languages with a complete catalog, in the order the language menus list them.
pub const LANGUAGES: &[(&str, &str)] = &[("fr", "Français"), ("en", "English")];

const CATALOGS: &[(&str, &str)] = &[
    ("fr", include_str!("fr.toml")),
    ("en", include_str!("en.toml")),
];

pub struct I18n {
    catalogs: HashMap<&'static str, HashMap<String, String>>,
}

impl Default for I18n {
    fn default() -> Self {
        Self::new()
    }
}

impl I18n {
    pub fn new() -> I18n {
        let mut catalogs = HashMap::new();
        for (lang, src) in CATALOGS {
            let table: toml::Table = src
                .parse()
                .unwrap_or_else(|e| panic!("catalog {lang} is not valid TOML: {e}"));
            let mut flat = HashMap::new();
            flatten("", &table, &mut flat);
            catalogs.insert(*lang, flat);
        }
        I18n { catalogs }
    }

    /// The message for `key` in `lang`, falling back to English, then to the key itself (the
    /// completeness test makes the fallbacks unreachable in a build that passed `make test`).
    pub fn get<'a>(&'a self, lang: &str, key: &'a str) -> &'a str {
        self.catalogs
            .get(lang)
            .and_then(|c| c.get(key))
            .or_else(|| self.catalogs.get("en").and_then(|c| c.get(key)))
            .map(String::as_str)
            .unwrap_or(key)
    }

    /// Like [`I18n::get`], with `{name}` placeholders replaced.
    pub fn format(&self, lang: &str, key: &str, args: &[(&str, &str)]) -> String {
        let mut s = self.get(lang, key).to_owned();
        for (name, value) in args {
            s = s.replace(&format!("{{{name}}}"), value);
        }
        s
    }

    pub fn has(&self, key: &str) -> bool {
        self.catalogs.get("en").is_some_and(|c| c.contains_key(key))
    }

    pub fn keys(&self, lang: &str) -> Vec<&str> {
        let mut keys: Vec<&str> = self
            .catalogs
            .get(lang)
            .map(|c| c.keys().map(String::as_str).collect())
            .unwrap_or_default();
        keys.sort_unstable();
        keys
    }
}

fn flatten(prefix: &str, table: &toml::Table, out: &mut HashMap<String, String>) {
    for (k, v) in table {
        let key = if prefix.is_empty() {
            k.clone()
        } else {
            format!("{prefix}.{k}")
        };
        match v {
            toml::Value::Table(t) => flatten(&key, t, out),
            toml::Value::String(s) => {
                out.insert(key, s.clone());
            }
            other => panic!("catalog key {key} must be a string, not {other}"),
        }
    }
}

/// A supported language code for `s`, if any (`fr-FR` → `fr`).
pub fn supported(s: &str) -> Option<&'static str> {
    let primary = s
        .split(['-', '_'])
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    LANGUAGES.iter().map(|(c, _)| *c).find(|c| *c == primary)
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
        .unwrap_or("fr")
}

#[cfg(test)]
mod tests;
