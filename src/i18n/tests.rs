//! Completeness: both catalogs hold the same keys, no message is empty, and every key the
//! templates and the code name exists.

use super::*;
use std::path::Path;

#[test]
fn french_and_english_have_the_same_keys() {
    let i = I18n::new();
    let fr = i.keys("fr");
    let en = i.keys("en");
    let missing_fr: Vec<_> = en.iter().filter(|k| !fr.contains(k)).collect();
    let missing_en: Vec<_> = fr.iter().filter(|k| !en.contains(k)).collect();
    assert!(
        missing_fr.is_empty(),
        "keys missing from fr.toml: {missing_fr:?}"
    );
    assert!(
        missing_en.is_empty(),
        "keys missing from en.toml: {missing_en:?}"
    );
    for lang in ["fr", "en"] {
        for k in i.keys(lang) {
            assert!(!i.get(lang, k).trim().is_empty(), "{lang}: {k} is empty");
        }
    }
}

#[test]
fn placeholders_match_between_languages() {
    let i = I18n::new();
    let holes = |s: &str| {
        let mut v: Vec<String> = s
            .split('{')
            .skip(1)
            .filter_map(|p| p.split('}').next())
            .map(str::to_owned)
            .collect();
        v.sort();
        v
    };
    for k in i.keys("en") {
        assert_eq!(
            holes(i.get("en", k)),
            holes(i.get("fr", k)),
            "placeholders differ for {k}"
        );
    }
}

/// Every `t("...")` in a template and every quoted catalog-looking key in the Rust sources.
fn used_keys() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    let mut files = Vec::new();
    for dir in ["templates", "src"] {
        walk(&root.join(dir), &mut files);
    }
    let i = I18n::new();
    let sections: Vec<String> = i
        .keys("en")
        .iter()
        .map(|k| k.split('.').next().unwrap().to_owned() + ".")
        .collect();
    // File names the code quotes (`"login.html"`, `dir.join("ca.crt")`) look like keys of
    // the sections they share a first word with; their extension gives them away.
    let file_name = |piece: &str| {
        piece.rsplit('.').next().is_some_and(|ext| {
            [
                "html", "crt", "key", "name", "pem", "css", "svg", "csv", "toml", "db",
            ]
            .contains(&ext)
        })
    };
    for f in files {
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

fn walk(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            walk(&p, out);
        } else if p.extension().is_some_and(|x| x == "html" || x == "rs") {
            out.push(p);
        }
    }
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
fn format_fills_placeholders() {
    let i = I18n::new();
    let k = i
        .keys("en")
        .into_iter()
        .find(|k| i.get("en", k).contains("{name}"));
    if let Some(k) = k {
        assert!(!i.format("fr", k, &[("name", "Aïcha")]).contains("{name}"));
    }
}
