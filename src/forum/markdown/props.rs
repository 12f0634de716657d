//! Properties of post rendering: any text a member may post (up to the forum's size limit)
//! gives HTML of the allowed tags only, nested no deeper than [`MAX_DEPTH`], without panic
//! and in time that grows with the text's length (deep shapes at full size included).

use super::*;
use crate::forum::BODY_MAX;
use proptest::prelude::*;

/// Elements that hold nothing and are never closed.
const VOID: &[&str] = &["br", "hr"];

/// A tag of ammonia's output: its name, whether it closes, its attributes (values quoted with
/// `"`, which ammonia escapes inside them).
struct Tag {
    name: String,
    closing: bool,
    attrs: Vec<(String, String)>,
}

/// The tags of `html` in order; every `<` ammonia leaves starts a tag (text's are escaped).
fn tags(html: &str) -> Result<Vec<Tag>, String> {
    let mut out = Vec::new();
    for piece in html.split('<').skip(1) {
        let inside = piece
            .split_once('>')
            .ok_or(format!("an open tag in {html:?}"))?
            .0;
        let closing = inside.starts_with('/');
        let inside = inside.trim_start_matches('/');
        let (name, mut rest) = inside.split_at(
            inside
                .find(|c: char| !c.is_ascii_alphanumeric())
                .unwrap_or(inside.len()),
        );
        let mut attrs = Vec::new();
        loop {
            rest = rest.trim_start_matches([' ', '/']);
            if rest.is_empty() {
                break;
            }
            let (attr, after) = rest
                .split_once("=\"")
                .ok_or(format!("odd attribute in {inside:?}"))?;
            let (value, after) = after
                .split_once('"')
                .ok_or(format!("odd value in {inside:?}"))?;
            attrs.push((attr.to_owned(), value.to_owned()));
            rest = after;
        }
        out.push(Tag {
            name: name.to_owned(),
            closing,
            attrs,
        });
    }
    Ok(out)
}

/// Allowed tags and attributes only, links to harmless schemes only, and how deep tags nest.
fn check(html: &str) -> Result<usize, String> {
    let (mut depth, mut deepest) = (0usize, 0usize);
    for tag in tags(html)? {
        if !TAGS.contains(&tag.name.as_str()) {
            return Err(format!("tag {:?} in {html:?}", tag.name));
        }
        for (attr, value) in &tag.attrs {
            if !["href", "title", "rel", "align", "start", "dir"].contains(&attr.as_str()) {
                return Err(format!("attribute {attr:?} in {html:?}"));
            }
            if attr == "dir" && value != "auto" {
                return Err(format!("dir={value:?} in {html:?}"));
            }
            if attr == "href" {
                // As a browser reads it: tabs and newlines dropped, leading controls and
                // spaces trimmed, then a scheme is a letter and letters, digits, `+-.`.
                let url: String = value
                    .chars()
                    .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
                    .collect();
                let url = url.trim_start_matches(|c: char| c <= ' ');
                let scheme = url.split_once(':').map(|(s, _)| s).filter(|s| {
                    s.starts_with(|c: char| c.is_ascii_alphabetic())
                        && s.chars()
                            .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
                });
                if let Some(s) = scheme
                    && !["http", "https", "mailto"].contains(&s.to_ascii_lowercase().as_str())
                {
                    return Err(format!("a {s:?} link in {html:?}"));
                }
            }
        }
        if VOID.contains(&tag.name.as_str()) {
            continue;
        }
        if tag.closing {
            depth = depth.saturating_sub(1);
        } else {
            depth += 1;
            deepest = deepest.max(depth);
        }
    }
    Ok(deepest)
}

/// Text made of Markdown's and HTML's working parts, so that odd shapes are likely.
fn markdownish(max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            Just("> ".to_owned()),
            Just(">".to_owned()),
            Just("- ".to_owned()),
            Just("1. ".to_owned()),
            Just("* ".to_owned()),
            Just("  ".to_owned()),
            Just("\n".to_owned()),
            Just("`".to_owned()),
            Just("```".to_owned()),
            Just("[".to_owned()),
            Just("](".to_owned()),
            Just(")".to_owned()),
            Just("*".to_owned()),
            Just("_".to_owned()),
            Just("~~".to_owned()),
            Just("|".to_owned()),
            Just("|-|".to_owned()),
            Just("<".to_owned()),
            Just("<script>".to_owned()),
            Just("<a href=\"javascript:x\" onclick=\"y\">".to_owned()),
            Just("<img src=x onerror=y>".to_owned()),
            Just("javascript:".to_owned()),
            Just("&#".to_owned()),
            Just("#".to_owned()),
            Just("@".to_owned()),
            "[a-zé0-9 ]{1,8}",
            "\\PC{1,3}",
        ],
        0..max,
    )
    .prop_map(|v| v.concat())
}

/// One shape repeated up to the forum's limit: the worst cases for nesting.
fn deep() -> impl Strategy<Value = String> {
    (
        prop::sample::select(vec![
            ">",
            "> ",
            "- ",
            "* ",
            "1. ",
            "> - ",
            "- > ",
            "  - ",
            "[",
            "*",
            "**_",
            "<ul>",
            "<li>",
            "<blockquote>",
            "|a|\n|-|\n",
        ]),
        1usize..=BODY_MAX,
    )
        .prop_map(|(unit, len)| {
            let n = len / unit.chars().count();
            format!("{}text", unit.repeat(n.max(1)))
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn any_text_gives_allowed_tags_only(text in "\\PC{0,400}") {
        check(&render(&text)).map_err(TestCaseError::fail)?;
    }

    #[test]
    fn markdown_shapes_give_allowed_tags_nested_boundedly(text in markdownish(400)) {
        let html = render(&text);
        let deepest = check(&html).map_err(TestCaseError::fail)?;
        if !text.contains('<') {
            prop_assert!(deepest <= MAX_DEPTH, "{} deep: {:?}", deepest, text);
        }
    }

    #[test]
    fn mentions_are_usernames_found_once(text in markdownish(200)) {
        let found = mentions(&text);
        for (i, m) in found.iter().enumerate() {
            prop_assert!(m.len() >= 2);
            prop_assert!(m.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b)));
            prop_assert!(!found[..i].contains(m));
        }
    }

    #[test]
    fn a_quote_quotes_every_line(author in "[a-z.]{2,12}", body in "\\PC{0,200}") {
        let q = quote(&author, &body);
        let html = render(&q);
        check(&html).map_err(TestCaseError::fail)?;
        for line in q.lines().skip(1).filter(|l| !l.is_empty()) {
            prop_assert!(line.starts_with("> "));
        }
    }
}

proptest! {
    // Full-size posts: few cases, each bounded by the forum's limit on a post.
    #![proptest_config(ProptestConfig::with_cases(12))]

    #[test]
    fn deep_shapes_at_full_size_render_flattened(text in deep()) {
        let html = render(&text);
        let deepest = check(&html).map_err(TestCaseError::fail)?;
        if !text.contains('<') {
            prop_assert!(deepest <= MAX_DEPTH);
        }
        prop_assert!(html.contains("text"));
    }
}

#[test]
fn twenty_thousand_nested_quotes_are_flattened() {
    // Saving this post took seconds: ammonia's parser is quadratic in nesting depth.
    let html = render(&format!("{}le texte", ">".repeat(BODY_MAX)));
    assert_eq!(check(&html).unwrap(), MAX_DEPTH);
    assert!(html.contains("le texte"));
    let html = render(&format!("{}fin", "> - ".repeat(BODY_MAX / 4)));
    assert!(check(&html).unwrap() <= MAX_DEPTH);
}
