//! The HTML checker the XSS corpus test uses: a small tokenizer, stricter than a browser,
//! that lists every active thing on a page (script, event handlers, dangerous URL schemes,
//! tags outside a harmless list), and the corpus itself.

use std::collections::HashSet;

pub(crate) const CORPUS: &str = include_str!("../forum/xss.txt");

/// The corpus's vectors, escapes decoded (see the file's header).
pub(crate) fn corpus() -> Vec<String> {
    CORPUS
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(unescape)
        .collect()
}

pub(crate) fn unescape(line: &str) -> String {
    let mut out = String::new();
    let mut rest = line;
    while let Some(at) = rest.find('\\') {
        out.push_str(&rest[..at]);
        let tail = &rest[at + 1..];
        let (text, used) = match tail.chars().next() {
            Some('n') => ("\n".to_owned(), 1),
            Some('r') => ("\r".to_owned(), 1),
            Some('t') => ("\t".to_owned(), 1),
            Some('\\') => ("\\".to_owned(), 1),
            Some('u') if tail.starts_with("u{") => {
                let end = tail.find('}').expect("\\u{...} is closed");
                let c = u32::from_str_radix(&tail[2..end], 16)
                    .ok()
                    .and_then(char::from_u32)
                    .expect("\\u{HEX} is a code point");
                (c.to_string(), end + 1)
            }
            _ => ("\\".to_owned(), 0),
        };
        out.push_str(&text);
        rest = &tail[used..];
    }
    out.push_str(rest);
    out
}

// ------------------------------------------------------------------------------------------
// The checker

/// A start tag as a browser would read it: its name and attributes, values entity-decoded.
#[derive(Debug)]
pub(crate) struct Tag {
    pub(crate) name: String,
    pub(crate) attrs: Vec<(String, String)>,
    /// `<name attr attr="value">`: the attributes in order, with the values of those that
    /// point somewhere or decide what the tag is; digits replaced by `N` (ids differ from
    /// page to page).
    pub(crate) shape: String,
    /// Where it starts in the page.
    pub(crate) at: usize,
}

/// What a page is made of: its start tags, comments and declarations, and its text.
#[derive(Debug, Default)]
pub(crate) struct Parsed {
    pub(crate) tags: Vec<Tag>,
    /// `<!--…-->`, `<!…>`, `<?…>` as written (digits made `N`), and where each starts.
    pub(crate) markup: Vec<(String, usize)>,
    /// The text between tags, entity-decoded and joined.
    pub(crate) text: String,
}

/// The markup with every run of digits made `N`.
pub(crate) fn normalize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if !c.is_ascii_digit() {
            out.push(c);
        } else if !out.ends_with('N') {
            out.push('N');
        }
    }
    out
}

pub(crate) fn parse(html: &str) -> Parsed {
    let b = html.as_bytes();
    let mut p = Parsed::default();
    let mut i = 0;
    let mut text_from = 0;
    while let Some(off) = html[i..].find('<') {
        let lt = i + off;
        let next = b.get(lt + 1).copied().unwrap_or(b' ');
        let end = if html[lt..].starts_with("<!--") {
            // A comment, including the abrupt `<!-->` and `<!--->`.
            let body = lt + 4;
            let close = if html[body..].starts_with('>') {
                body + 1
            } else if html[body..].starts_with("->") {
                body + 2
            } else {
                html[body..]
                    .find("-->")
                    .map(|e| body + e + 3)
                    .unwrap_or(html.len())
            };
            p.markup.push((normalize(&html[lt..close]), lt));
            close
        } else if next == b'!' || next == b'?' {
            let close = html[lt..]
                .find('>')
                .map(|e| lt + e + 1)
                .unwrap_or(html.len());
            p.markup.push((normalize(&html[lt..close]), lt));
            close
        } else if next == b'/' && b.get(lt + 2).is_some_and(u8::is_ascii_alphabetic) {
            html[lt..]
                .find('>')
                .map(|e| lt + e + 1)
                .unwrap_or(html.len())
        } else if next.is_ascii_alphabetic() {
            let (tag, close) = start_tag(html, lt);
            p.tags.push(tag);
            close
        } else {
            i = lt + 1;
            continue;
        };
        p.text.push_str(&decode(&html[text_from..lt]));
        i = end;
        text_from = end;
    }
    p.text.push_str(&decode(&html[text_from..]));
    p
}

/// Reads the start tag at `lt` (the HTML tokenizer's rules, roughly); returns it and where it
/// ends. An unclosed tag runs to the end of the input, as in a browser.
pub(crate) fn start_tag(html: &str, lt: usize) -> (Tag, usize) {
    let b = html.as_bytes();
    let ws = |c: u8| matches!(c, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c');
    let mut i = lt + 1;
    while i < b.len() && !ws(b[i]) && b[i] != b'/' && b[i] != b'>' {
        i += 1;
    }
    let name = html[lt + 1..i].to_ascii_lowercase();
    let mut attrs = Vec::new();
    loop {
        while i < b.len() && (ws(b[i]) || b[i] == b'/') {
            i += 1;
        }
        if i >= b.len() || b[i] == b'>' {
            break;
        }
        let from = i;
        i += 1; // the first character of a name may be anything, `=` included
        while i < b.len() && !ws(b[i]) && !matches!(b[i], b'/' | b'>' | b'=') {
            i += 1;
        }
        let attr = html[from..i].to_ascii_lowercase();
        let mut j = i;
        while j < b.len() && ws(b[j]) {
            j += 1;
        }
        let mut value = String::new();
        if j < b.len() && b[j] == b'=' {
            j += 1;
            while j < b.len() && ws(b[j]) {
                j += 1;
            }
            if j < b.len() && (b[j] == b'"' || b[j] == b'\'') {
                let q = b[j];
                let close = b[j + 1..]
                    .iter()
                    .position(|&c| c == q)
                    .map(|e| j + 1 + e)
                    .unwrap_or(b.len());
                value = decode(&html[j + 1..close]);
                j = (close + 1).min(b.len());
            } else {
                let from = j;
                while j < b.len() && !ws(b[j]) && b[j] != b'>' {
                    j += 1;
                }
                value = decode(&html[from..j]);
            }
            i = j;
        }
        attrs.push((attr, value));
    }
    let close = (i + 1).min(html.len());
    // The shape keeps the values that decide what a tag does (where it points, what it is)
    // and drops the others (text a form echoes, ids), so a page's own tags match themselves
    // whatever a vector changed in their text.
    let mut shape = format!("<{name}");
    for (attr, value) in &attrs {
        shape.push(' ');
        shape.push_str(attr);
        if has(URL_ATTRS, attr)
            || matches!(attr.as_str(), "type" | "rel" | "http-equiv" | "method")
            || attr.starts_with("on")
        {
            shape.push_str(&format!("={value:?}"));
        }
    }
    shape.push('>');
    let shape = normalize(&shape);
    let tag = Tag {
        name,
        attrs,
        shape,
        at: lt,
    };
    (tag, close)
}

/// Character references, as browsers read them (numeric with or without `;`, the named ones
/// that matter here).
pub(crate) fn decode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        let tail = &rest[at + 1..];
        if let Some(num) = tail.strip_prefix('#') {
            let (hex, digits) = match num.strip_prefix(['x', 'X']) {
                Some(h) => (true, h),
                None => (false, num),
            };
            let len = digits
                .bytes()
                .take_while(|c| {
                    if hex {
                        c.is_ascii_hexdigit()
                    } else {
                        c.is_ascii_digit()
                    }
                })
                .count();
            if len > 0 {
                let v = u32::from_str_radix(&digits[..len.min(8)], if hex { 16 } else { 10 })
                    .unwrap_or(0xFFFD);
                out.push(
                    char::from_u32(v)
                        .filter(|c| *c != '\0')
                        .unwrap_or('\u{FFFD}'),
                );
                let used = 1 + usize::from(hex) + len;
                let used = used + usize::from(tail[used..].starts_with(';'));
                rest = &tail[used..];
                continue;
            }
        }
        const NAMED: &[(&str, &str)] = &[
            ("lt;", "<"),
            ("gt;", ">"),
            ("amp;", "&"),
            ("quot;", "\""),
            ("apos;", "'"),
            ("nbsp;", "\u{a0}"),
            ("Tab;", "\t"),
            ("NewLine;", "\n"),
            ("colon;", ":"),
            ("lpar;", "("),
            ("rpar;", ")"),
            ("sol;", "/"),
            ("bsol;", "\\"),
            ("period;", "."),
            ("comma;", ","),
            ("excl;", "!"),
            ("quest;", "?"),
            ("equals;", "="),
            ("num;", "#"),
            ("lt", "<"),
            ("gt", ">"),
            ("amp", "&"),
            ("quot", "\""),
        ];
        match NAMED.iter().find(|(n, _)| tail.starts_with(n)) {
            Some((n, v)) => {
                out.push_str(v);
                rest = &tail[n.len()..];
            }
            None => {
                out.push('&');
                rest = tail;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The tags `src/forum/markdown.rs` keeps (space-separated, like the lists below).
pub(crate) const SANITIZER_TAGS: &str = "a p br hr em strong del code pre blockquote ul ol li \
    h1 h2 h3 h4 h5 h6 table thead tbody tr th td";

/// Tags that may carry content in a page: what the sanitizer keeps, and plain layout.
pub(crate) const HARMLESS_TAGS: &str = "a p br hr em strong del code pre blockquote ul ol li \
    h1 h2 h3 h4 h5 h6 table thead tbody tr th td span div b i u s small sup sub mark abbr \
    time dl dt dd nav header footer main section article aside caption label";

/// Attributes whose value a browser may load or run as a URL (or as CSS).
pub(crate) const URL_ATTRS: &str = "href src action formaction data poster background lowsrc dynsrc \
    xlink:href srcset cite codebase code content to from values by ping icon manifest \
    longdesc usemap profile style";

/// Whether the space-separated `list` holds `word`.
pub(crate) fn has(list: &str, word: &str) -> bool {
    list.split_whitespace().any(|w| w == word)
}

/// Something active in a page: why, its shape (see [`Tag::shape`]), where it starts.
#[derive(Debug)]
pub(crate) struct Finding {
    pub(crate) why: &'static str,
    pub(crate) shape: String,
    pub(crate) at: usize,
}

/// What in a parsed page would be active if content had put it there.
pub(crate) fn findings(p: &Parsed) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut flag = |why, shape: &String, at| {
        out.push(Finding {
            why,
            shape: shape.clone(),
            at,
        })
    };
    for t in &p.tags {
        if !has(HARMLESS_TAGS, &t.name) {
            flag("tag outside the harmless list", &t.shape, t.at);
        }
        for (name, value) in &t.attrs {
            let v: String = value
                .chars()
                .filter(|c| !c.is_whitespace() && !c.is_control())
                .collect::<String>()
                .to_ascii_lowercase();
            if name.starts_with("on") {
                flag("event handler attribute", &t.shape, t.at);
            } else if name == "srcdoc" {
                flag("srcdoc attribute", &t.shape, t.at);
            } else if has(URL_ATTRS, name)
                && ["javascript:", "vbscript:", "livescript:", "data:"]
                    .iter()
                    .any(|s| v.contains(s))
            {
                flag("script or data URL", &t.shape, t.at);
            } else if name == "style" {
                flag("style attribute", &t.shape, t.at);
            }
        }
    }
    for (m, at) in &p.markup {
        if !m.to_ascii_lowercase().starts_with("<!doctype html>") {
            flag("comment or markup declaration", m, *at);
        }
    }
    out
}

/// The page's own shapes of what would be active in content: a page may have its own
/// `<form>`, `<meta>`, `<link>`, `<input>`…
#[derive(Default, Clone)]
pub(crate) struct Baseline(HashSet<String>);

impl Baseline {
    pub(crate) fn of(pages: &[&str]) -> Baseline {
        let mut b = Baseline::default();
        for page in pages {
            b.add(page);
        }
        b
    }

    pub(crate) fn add(&mut self, page: &str) {
        for f in findings(&parse(page)) {
            self.0.insert(f.shape);
        }
    }
}

/// What is active in `html` and not in the page's own baseline.
pub(crate) fn active(html: &str, baseline: &Baseline) -> Vec<Finding> {
    findings(&parse(html))
        .into_iter()
        .filter(|f| !baseline.0.contains(&f.shape))
        .collect()
}

/// A URL's scheme as the WHATWG URL parser finds it (leading and trailing controls and
/// spaces dropped, tabs and line ends removed anywhere), lowercased; `None` for a relative URL.
pub(crate) fn scheme(url: &str) -> Option<String> {
    let u: String = url
        .trim_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let (s, _) = u.split_once(':')?;
    let mut chars = s.chars();
    (chars.next()?.is_ascii_alphabetic()
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')))
    .then(|| s.to_ascii_lowercase())
}

/// What `clean_title` keeps of a vector (controls become spaces), cut to a title's length.
pub(crate) fn as_title(vector: &str) -> String {
    let t: String = vector
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .trim()
        .chars()
        .take(cartable::forum::TITLE_MAX)
        .collect();
    t.trim().to_owned()
}

pub(crate) fn assert_title_shown(what: &str, title: &str, html: &str) {
    assert!(
        parse(html).text.contains(title),
        "{what}: the title {title:?} does not read back as text (unescaped?) in:\n{html}"
    );
}
