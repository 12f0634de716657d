//! Links in plain text: a mail's text and the homework book's texts show web addresses
//! (`http://`, `https://`) and the portal's library paths (`/library/...`, issue #18) as links,
//! so that an article sent by mail or written in the book opens in one tap. Everything else
//! is escaped as text; only those two shapes become `<a>`, with `rel` keeping the opener and
//! the referrer from the target.

use std::fmt::Write;

/// `text` as HTML: escaped, with its addresses linked.
pub fn linkify(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    let mut rest = text;
    while let Some((start, end)) = next_link(rest) {
        escape_into(&mut out, &rest[..start]);
        let url = &rest[start..end];
        out.push_str("<a href=\"");
        escape_into(&mut out, url);
        out.push_str("\" rel=\"noopener noreferrer nofollow\">");
        escape_into(&mut out, url);
        out.push_str("</a>");
        rest = &rest[end..];
    }
    escape_into(&mut out, rest);
    out
}

/// The byte range of the first address in `s`.
fn next_link(s: &str) -> Option<(usize, usize)> {
    let mut from = 0;
    loop {
        let found = ["https://", "http://", "/library/"]
            .iter()
            .filter_map(|p| s[from..].find(p).map(|i| from + i))
            .min()?;
        // An address starts a word: at the start, or after a space or an opening bracket.
        let starts_word = s[..found]
            .chars()
            .next_back()
            .is_none_or(|c| c.is_whitespace() || "([<«\"'".contains(c));
        let end = found
            + s[found..]
                .find(|c: char| c.is_whitespace() || "<>\"".contains(c))
                .unwrap_or(s.len() - found);
        let end = trim_end(s, found, end);
        let bare = ["https://", "http://", "/library/"]
            .iter()
            .any(|p| s[found..end] == **p);
        if starts_word && !bare {
            return Some((found, end));
        }
        from = found + 1;
        if from >= s.len() {
            return None;
        }
    }
}

/// Leaves trailing punctuation out of an address; a closing bracket only when the address
/// has more of them than opening ones (`(see https://x/a_(b))`).
fn trim_end(s: &str, start: usize, mut end: usize) -> usize {
    while let Some(c) = s[start..end].chars().next_back() {
        let url = &s[start..end];
        let unbalanced = c == ')' && url.matches(')').count() > url.matches('(').count();
        if ".,;:!?'»".contains(c) || unbalanced {
            end -= c.len_utf8();
        } else {
            break;
        }
    }
    end
}

fn escape_into(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => {
                let _ = out.write_char(c);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::linkify;

    #[test]
    fn addresses_become_links_and_the_rest_stays_text() {
        assert_eq!(
            linkify("Lire /library/vikidia/%C3%89cole."),
            "Lire <a href=\"/library/vikidia/%C3%89cole\" rel=\"noopener noreferrer nofollow\">/library/vikidia/%C3%89cole</a>."
        );
        assert_eq!(
            linkify("(voir https://ecole.fr/a_(b))"),
            "(voir <a href=\"https://ecole.fr/a_(b)\" rel=\"noopener noreferrer nofollow\">https://ecole.fr/a_(b)</a>)"
        );
        assert_eq!(linkify("a <b> & \"c\""), "a &lt;b&gt; &amp; &quot;c&quot;");
        // Not at a word's start, or nothing after the prefix: text.
        assert_eq!(linkify("x/library/a"), "x/library/a");
        assert_eq!(linkify("http:// et /library/"), "http:// et /library/");
        assert_eq!(linkify("javascript:alert(1)"), "javascript:alert(1)");
    }

    #[test]
    fn nothing_breaks_out_of_the_attribute() {
        for evil in [
            "https://x/\"onmouseover=alert(1)",
            "https://x/'><script>alert(1)</script>",
            "/library/a<img src=x onerror=alert(1)>",
        ] {
            let html = linkify(evil);
            assert!(!html.contains("<script"), "{html}");
            assert!(!html.contains("<img"), "{html}");
            assert!(!html.contains("\"onmouseover"), "{html}");
        }
    }
}
