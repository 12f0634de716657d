//! Posts are written in Markdown (tables, lists, links, code) and shown as HTML: pulldown-cmark
//! turns one into the other, then ammonia keeps only a short list of harmless tags and
//! attributes. Whatever a post contains, raw HTML, `javascript:` links, event handlers, the
//! page gets inert markup. The HTML is made once, when a post is saved; list items get
//! `dir="auto"` then, so that a list mixing Arabic and French items reads right.

use std::collections::HashSet;

const TAGS: &[&str] = &[
    "a",
    "p",
    "br",
    "hr",
    "em",
    "strong",
    "del",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
];

/// How deep Markdown's elements may nest in the HTML; deeper ones give their text to the
/// element at this depth. ammonia's HTML parser takes time that grows with the square of the
/// nesting: a post of 20,000 `>` (20,000 quotes, one in another) took seconds to save.
/// Real posts nest a few levels; a reply quoting a reply quoting a reply, a dozen.
pub const MAX_DEPTH: usize = 32;

/// Markdown to sanitised HTML.
pub fn render(markdown: &str) -> String {
    use pulldown_cmark::{Options, Parser, html};
    let parser = Parser::new_ext(
        markdown,
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH,
    );
    let mut raw = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut raw, flatten_deep(parser));
    sanitize(&raw)
}

/// Drops the start and end of every element deeper than [`MAX_DEPTH`], keeping what is in them.
fn flatten_deep<'a>(
    events: impl Iterator<Item = pulldown_cmark::Event<'a>>,
) -> impl Iterator<Item = pulldown_cmark::Event<'a>> {
    use pulldown_cmark::Event;
    // For each open element, whether its start was kept.
    let mut open: Vec<bool> = Vec::new();
    let mut kept = 0usize;
    events.filter(move |e| match e {
        Event::Start(_) => {
            let keep = kept < MAX_DEPTH;
            open.push(keep);
            kept += usize::from(keep);
            keep
        }
        Event::End(_) => {
            let keep = open.pop().unwrap_or(true);
            kept -= usize::from(keep && kept > 0);
            keep
        }
        _ => true,
    })
}

fn sanitize(html: &str) -> String {
    let tags: HashSet<&str> = TAGS.iter().copied().collect();
    let schemes: HashSet<&str> = ["http", "https", "mailto"].into_iter().collect();
    let mut attrs = std::collections::HashMap::new();
    attrs.insert(
        "a",
        ["href", "title"].into_iter().collect::<HashSet<&str>>(),
    );
    attrs.insert("th", ["align"].into_iter().collect());
    attrs.insert("td", ["align"].into_iter().collect());
    attrs.insert("ol", ["start"].into_iter().collect());
    ammonia::Builder::default()
        .tags(tags)
        .tag_attributes(attrs)
        .generic_attributes(HashSet::new())
        .url_schemes(schemes)
        .link_rel(Some("noopener noreferrer nofollow ugc"))
        // Each list item takes the direction of its own text, bullet included, so a French
        // item in an Arabic list (or the reverse) reads right. Paragraphs get theirs from the
        // stylesheet (`unicode-bidi: plaintext`): a `dir` on them would hide their text from
        // the post's own `dir="auto"`, which decides the direction of the post as a whole.
        .set_tag_attribute_value("li", "dir", "auto")
        .clean(html)
        .to_string()
}

/// The usernames a post mentions (`@amina.diallo`), each once, in order.
pub fn mentions(markdown: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let bytes = markdown.as_bytes();
    for (i, _) in markdown.match_indices('@') {
        if i > 0 {
            let prev = bytes[i - 1];
            if prev.is_ascii_alphanumeric() || b"._-".contains(&prev) {
                continue; // an e-mail address, not a mention
            }
        }
        let name: String = markdown[i + 1..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || "._-".contains(*c))
            .collect::<String>()
            .trim_end_matches(['.', '-', '_'])
            .to_ascii_lowercase();
        if name.len() >= 2 && !out.contains(&name) {
            out.push(name);
        }
    }
    out
}

/// A quotation of `body` by `author` to start a reply with.
pub fn quote(author: &str, body: &str) -> String {
    let mut out = format!("**@{author}**\n");
    for line in body.lines() {
        out.push_str("> ");
        out.push_str(line);
        out.push('\n');
    }
    out.push('\n');
    out
}

#[cfg(test)]
mod props;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_features_survive() {
        let html = render(
            "# Titre\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n- un\n- deux\n\n`code` [lien](https://ecole.fr) ~~non~~",
        );
        for want in [
            "<h1>Titre</h1>",
            "<table>",
            "<td>1</td>",
            "<li dir=\"auto\">un</li>",
            "<code>code</code>",
            "<a href=\"https://ecole.fr\" rel=\"noopener noreferrer nofollow ugc\">lien</a>",
            "<del>non</del>",
        ] {
            assert!(html.contains(want), "{want} in {html}");
        }
    }

    /// Forum posts, news and anything else in Markdown link to library articles by their
    /// portal path (issue #18), percent-encoded or not.
    #[test]
    fn library_links_survive() {
        let html =
            render("[École](/library/vikidia/%C3%89cole) et [Garçon](</library/vikidia/Garçon>)");
        for want in [
            "href=\"/library/vikidia/%C3%89cole\"",
            "href=\"/library/vikidia/Gar%C3%A7on\"",
        ] {
            assert!(html.contains(want), "{want} in {html}");
        }
    }

    #[test]
    fn nothing_active_gets_through() {
        for evil in [
            "<script>alert(1)</script>",
            "[x](javascript:alert(1))",
            "<img src=x onerror=alert(1)>",
            "<a href=\"javascript:alert(1)\">x</a>",
            "[x](JaVaScRiPt:alert(1))",
            "<iframe src=//evil></iframe>",
            "<svg onload=alert(1)>",
            "<div style=\"background:url(javascript:alert(1))\">x</div>",
            "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        ] {
            let html = render(evil).to_ascii_lowercase();
            for bad in [
                "<script",
                "javascript:",
                "onerror",
                "onload",
                "<iframe",
                "<svg",
                "style=",
                "data:",
                "<img",
            ] {
                assert!(!html.contains(bad), "{evil:?} gave {html:?}");
            }
        }
    }

    #[test]
    fn mentions_are_found_once_and_emails_are_not_mentions() {
        assert_eq!(
            mentions("Merci @Amina.Diallo et @bilal, écris à prof@ecole.fr. @amina.diallo!"),
            vec!["amina.diallo", "bilal"]
        );
        assert!(mentions("@ x").is_empty());
    }

    #[test]
    fn quotes() {
        assert_eq!(quote("amina", "un\ndeux"), "**@amina**\n> un\n> deux\n\n");
    }
}
