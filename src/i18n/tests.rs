//! Completeness: every language holds every message, with the same variables, in files that
//! parse; every key the templates and the code name exists, and every call passes the variables
//! its message uses; plural forms select without error for the counts that matter.

use super::*;
use fluent_syntax::ast;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Each message of `lang` with the variables it uses (selectors and every variant included).
fn variables(lang: &str) -> BTreeMap<String, BTreeSet<String>> {
    let (_, files) = CATALOGS.iter().find(|(l, _)| *l == lang).unwrap();
    let mut out = BTreeMap::new();
    for (name, src) in *files {
        let res = fluent_syntax::parser::parse(*src)
            .unwrap_or_else(|(_, e)| panic!("locales/{lang}/{name}.ftl: {e:?}"));
        for entry in res.body {
            if let ast::Entry::Message(m) = entry {
                let mut vars = BTreeSet::new();
                if let Some(p) = &m.value {
                    pattern_vars(p, &mut vars);
                }
                assert!(
                    m.attributes.is_empty(),
                    "{lang}: {} has attributes, which `t` cannot reach",
                    m.id.name
                );
                out.insert(m.id.name.to_owned(), vars);
            }
        }
    }
    out
}

fn pattern_vars(p: &ast::Pattern<&str>, out: &mut BTreeSet<String>) {
    for el in &p.elements {
        if let ast::PatternElement::Placeable { expression } = el {
            expression_vars(expression, out);
        }
    }
}

fn expression_vars(e: &ast::Expression<&str>, out: &mut BTreeSet<String>) {
    match e {
        ast::Expression::Select { selector, variants } => {
            inline_vars(selector, out);
            for v in variants {
                pattern_vars(&v.value, out);
            }
        }
        ast::Expression::Inline(i) => inline_vars(i, out),
    }
}

fn inline_vars(e: &ast::InlineExpression<&str>, out: &mut BTreeSet<String>) {
    match e {
        ast::InlineExpression::VariableReference { id } => {
            out.insert(id.name.to_owned());
        }
        ast::InlineExpression::Placeable { expression } => expression_vars(expression, out),
        ast::InlineExpression::FunctionReference { arguments, .. } => {
            for a in &arguments.positional {
                inline_vars(a, out);
            }
        }
        _ => {}
    }
}

/// The numeric select expressions of a message: their variant keys.
fn plural_selects(lang: &str) -> Vec<(String, Vec<String>)> {
    let (_, files) = CATALOGS.iter().find(|(l, _)| *l == lang).unwrap();
    let mut out = Vec::new();
    for (_, src) in *files {
        let res = fluent_syntax::parser::parse(*src).unwrap();
        for entry in res.body {
            let ast::Entry::Message(m) = entry else {
                continue;
            };
            let Some(p) = &m.value else { continue };
            for el in &p.elements {
                if let ast::PatternElement::Placeable {
                    expression: ast::Expression::Select { variants, .. },
                } = el
                {
                    let keys: Vec<String> = variants
                        .iter()
                        .map(|v| match &v.key {
                            ast::VariantKey::Identifier { name } => name.to_string(),
                            ast::VariantKey::NumberLiteral { value } => value.to_string(),
                        })
                        .collect();
                    if keys
                        .iter()
                        .any(|k| ["one", "other", "few", "many"].contains(&&**k))
                    {
                        out.push((m.id.name.to_owned(), keys));
                    }
                }
            }
        }
    }
    out
}

#[test]
fn the_embedded_files_are_the_files_on_disk() {
    let mut on_disk = BTreeSet::new();
    for lang in std::fs::read_dir(root().join("locales")).unwrap() {
        let lang = lang.unwrap().path();
        for f in std::fs::read_dir(&lang).unwrap() {
            let f = f.unwrap().path();
            on_disk.insert(format!(
                "{}/{}",
                lang.file_name().unwrap().to_string_lossy(),
                f.file_name().unwrap().to_string_lossy()
            ));
        }
    }
    let embedded: BTreeSet<String> = CATALOGS
        .iter()
        .flat_map(|(l, files)| files.iter().map(move |(f, _)| format!("{l}/{f}.ftl")))
        .collect();
    assert_eq!(on_disk, embedded, "locales/ and the CATALOGS table differ");
    let menu: BTreeSet<&str> = LANGUAGES.iter().map(|(c, _)| *c).collect();
    let cats: BTreeSet<&str> = CATALOGS.iter().map(|(c, _)| *c).collect();
    assert_eq!(menu, cats, "every catalog is in the menu and back");
}

#[test]
fn every_language_has_every_message_with_the_same_variables() {
    let i = I18n::new();
    let reference = variables("en");
    assert!(
        reference.len() > 1000,
        "too few messages: {}",
        reference.len()
    );
    for (lang, _) in LANGUAGES {
        let vars = variables(lang);
        let missing: Vec<_> = reference
            .keys()
            .filter(|k| !vars.contains_key(*k))
            .collect();
        let extra: Vec<_> = vars
            .keys()
            .filter(|k| !reference.contains_key(*k))
            .collect();
        assert!(missing.is_empty(), "{lang} lacks {missing:?}");
        assert!(
            extra.is_empty(),
            "{lang} has messages English lacks: {extra:?}"
        );
        for (id, v) in &reference {
            assert_eq!(
                &vars[id], v,
                "{lang}: {id} uses other variables than English"
            );
        }
        for id in i.ids(lang) {
            // Every variable given a value: a message must not be empty once filled in.
            let args: Vec<(&str, &str)> = vars[id].iter().map(|v| (v.as_str(), "2")).collect();
            assert!(
                !i.format(lang, id, &args).trim().is_empty(),
                "{lang}: {id} is empty"
            );
        }
    }
}

#[test]
fn plural_forms_select_for_every_count() {
    let i = I18n::new();
    for (lang, _) in LANGUAGES {
        let vars = variables(lang);
        let selects = plural_selects(lang);
        if *lang == "en" {
            assert!(
                selects.len() >= 4,
                "the plural messages are gone: {selects:?}"
            );
        }
        for (id, keys) in selects {
            // CLDR's categories for the language must each have a variant (`other` is the
            // default every select has); Arabic has all six.
            let needed: &[&str] = match *lang {
                "ar" => &["zero", "one", "two", "few", "many", "other"],
                _ => &["one", "other"],
            };
            for k in needed {
                assert!(keys.iter().any(|x| x == k), "{lang}: {id} lacks [{k}]");
            }
            for n in ["0", "1", "2", "3", "11", "100", "1001"] {
                let args: Vec<(&str, &str)> = vars[&id].iter().map(|v| (v.as_str(), n)).collect();
                let mut fargs = FluentArgs::new();
                for (k, v) in &args {
                    fargs.set(*k, arg(v));
                }
                let catalog = i.catalog(lang).unwrap();
                let msg = catalog.bundle.get_message(&id).unwrap();
                let mut errors = Vec::new();
                catalog
                    .bundle
                    .format_pattern(msg.value().unwrap(), Some(&fargs), &mut errors);
                assert!(errors.is_empty(), "{lang}: {id} with {n}: {errors:?}");
            }
        }
    }
}

#[test]
fn plural_rules_are_each_languages_own() {
    let i = I18n::new();
    // English and French differ on 0 (CLDR: French 0 is singular).
    let f = |lang, n| strip_isolation(&i.format(lang, "forum.topics", &[("n", n)])).into_owned();
    assert_eq!(f("en", "0"), "0 topics");
    assert_eq!(f("en", "1"), "1 topic");
    assert_eq!(f("fr", "0"), "0 sujet");
    assert_eq!(f("fr", "2"), "2 sujets");
    // A count passed as text that is not canonical stays text.
    assert!(matches!(arg("007"), FluentValue::String(_)));
    assert!(matches!(arg("7"), FluentValue::Number(_)));
}

/// Every `.html` and `.rs` file under the templates and the sources.
fn sources() -> Vec<PathBuf> {
    let mut files = Vec::new();
    for dir in ["templates", "src"] {
        walk(&root().join(dir), &mut files);
    }
    files
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            walk(&p, out);
        } else if p.extension().is_some_and(|x| x == "html" || x == "rs") {
            out.push(p);
        }
    }
}

/// Every quoted catalog-looking key in the templates and the Rust sources.
fn used_keys() -> Vec<(String, String)> {
    let i = I18n::new();
    let sections: BTreeSet<String> = i
        .ids("en")
        .iter()
        .map(|k| k.split('-').next().unwrap().to_owned() + ".")
        .collect();
    // File names the code quotes (`"login.html"`, `dir.join("ca.crt")`) look like keys of
    // the sections they share a first word with; their extension gives them away.
    let file_name = |piece: &str| {
        piece.rsplit('.').next().is_some_and(|ext| {
            [
                "html", "crt", "key", "name", "pem", "css", "svg", "csv", "toml", "db", "ftl",
            ]
            .contains(&ext)
        })
    };
    let mut out = Vec::new();
    for f in sources() {
        let text = std::fs::read_to_string(&f).unwrap();
        let rust = f.extension().is_some_and(|x| x == "rs");
        for (n, piece) in text.split('"').enumerate() {
            if n % 2 == 1
                && !(rust && file_name(piece))
                && sections.iter().any(|s| piece.starts_with(s.as_str()))
                && piece
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '.')
                && !piece.ends_with('.')
            {
                out.push((piece.to_owned(), f.display().to_string()));
            }
        }
    }
    out
}

#[test]
fn every_key_used_exists() {
    let i = I18n::new();
    let used = used_keys();
    assert!(
        used.len() > 50,
        "the scan found too few keys ({}); is it broken?",
        used.len()
    );
    let missing: Vec<_> = used.iter().filter(|(k, _)| !i.has(k)).collect();
    assert!(
        missing.is_empty(),
        "keys used but not in the catalogs: {missing:?}"
    );
}

/// The calls with a literal key and literal argument names: `t('k', a=…, b=…)` in templates,
/// `format(lang, "k", &[("a", …)])` in Rust. Calls whose arguments are built elsewhere are
/// not seen (their messages are exercised by the integration tests, where a missing variable
/// fails a debug assertion).
fn literal_calls() -> Vec<(String, BTreeSet<String>, String)> {
    let mut out = Vec::new();
    for f in sources() {
        let text = std::fs::read_to_string(&f).unwrap();
        let rust = f.extension().is_some_and(|x| x == "rs");
        let opener = if rust { "format" } else { "t(" };
        let mut rest = text.as_str();
        while let Some(at) = rest.find(opener) {
            rest = &rest[at + opener.len()..];
            // `format(` and `format_plain(`, not `format!(` nor `format_args(`.
            let args = if rust {
                let Some(a) = rest
                    .strip_prefix("_plain")
                    .unwrap_or(rest)
                    .strip_prefix('(')
                else {
                    continue;
                };
                a
            } else {
                rest
            };
            let call = call_text(args);
            if let Some((key, names)) = if rust {
                rust_call(call)
            } else {
                template_call(call)
            } {
                out.push((key, names, f.display().to_string()));
            }
        }
    }
    out
}

/// The text up to the parenthesis that closes the call `rest` is inside.
fn call_text(rest: &str) -> &str {
    let mut depth = 1;
    for (n, c) in rest.char_indices() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => {
                depth -= 1;
                if depth == 0 {
                    return &rest[..n];
                }
            }
            _ => {}
        }
    }
    rest
}

fn template_call(call: &str) -> Option<(String, BTreeSet<String>)> {
    let q = call.chars().next().filter(|c| *c == '\'' || *c == '"')?;
    let end = call[1..].find(q)? + 1;
    let key = &call[1..end];
    let mut names = BTreeSet::new();
    let mut depth = 0;
    let mut word = String::new();
    let mut chars = call[end + 1..].chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth -= 1,
            '=' if depth == 0 && chars.peek() != Some(&'=') && !word.is_empty() => {
                names.insert(std::mem::take(&mut word));
                continue;
            }
            _ => {}
        }
        if c.is_ascii_alphanumeric() || c == '_' {
            word.push(c);
        } else if !c.is_whitespace() {
            word.clear();
        }
    }
    Some((key.to_owned(), names))
}

fn rust_call(call: &str) -> Option<(String, BTreeSet<String>)> {
    // `(lang, "key", &[("a", x), ("b", y)]`, possibly split over lines.
    let open = call.find('"')?;
    let close = call[open + 1..].find('"')? + open + 1;
    let key = &call[open + 1..close];
    if !key.contains('.') || key.contains(' ') {
        return None;
    }
    let after = call[close + 1..]
        .trim_start()
        .strip_prefix(',')?
        .trim_start();
    let list = after.strip_prefix("&[")?;
    let names = list
        .split('(')
        .skip(1)
        .filter_map(|p| p.trim_start().strip_prefix('"')?.split('"').next())
        .map(str::to_owned)
        .collect();
    Some((key.to_owned(), names))
}

#[test]
fn every_call_passes_the_variables_its_message_uses() {
    let vars = variables("en");
    let calls = literal_calls();
    assert!(
        calls.len() > 500,
        "the scan found too few calls: {}",
        calls.len()
    );
    let mut wrong = Vec::new();
    for (key, names, file) in calls {
        let Some(needed) = vars.get(&*fluent_id(&key)) else {
            continue; // every_key_used_exists reports it
        };
        if !needed.is_subset(&names) {
            wrong.push(format!("{file}: {key} needs {needed:?}, gets {names:?}"));
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}

#[test]
fn negotiation_order() {
    assert_eq!(negotiate(Some("en"), Some("fr"), "fr", Some("fr")), "en");
    assert_eq!(negotiate(None, Some("en"), "fr", None), "en");
    assert_eq!(negotiate(None, None, "fr", Some("en-GB,en;q=0.9")), "fr");
    assert_eq!(
        negotiate(None, None, "auto", Some("de-DE, en;q=0.8, fr;q=0.5")),
        "en"
    );
    assert_eq!(negotiate(None, None, "auto", Some("de")), "fr");
    assert_eq!(
        negotiate(None, None, "auto", Some("fr;q=0, en;q=0.1")),
        "en"
    );
}

#[test]
fn variables_are_filled_and_plain_text_loses_the_isolation_marks() {
    let i = I18n::new();
    let html = i.format("fr", "mail.bounce_subject", &[("subject", "Sortie")]);
    assert!(html.contains("\u{2068}Sortie\u{2069}"), "{html:?}");
    let plain = i.format_plain("fr", "mail.bounce_subject", &[("subject", "Sortie")]);
    assert_eq!(plain, "Non distribué : Sortie");
    // A missing message shows its key rather than nothing.
    assert_eq!(i.get("fr", "no.such_key"), "no.such_key");
    assert_eq!(dir("fr"), "ltr");
    assert_eq!(dir("ar"), "rtl");
}

#[test]
fn messages_formatted_at_start_read_as_fluent_formats_them() {
    let i18n = I18n::new();
    let mut seen = 0;
    for (lang, _) in LANGUAGES {
        for id in i18n.ids("en") {
            let key = id.replace('-', ".");
            if let Some(text) = i18n.plain(lang, &key) {
                assert_eq!(&**text, i18n.get(lang, &key), "{lang}: {key}");
                seen += 1;
            }
        }
    }
    assert!(seen > 1000, "most messages take no argument ({seen})");
    // One that takes an argument is left to Fluent.
    assert!(i18n.plain("en", "dashboard.hello").is_none());
}
