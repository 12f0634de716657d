//! An article's HTML as the words a reader sees, for the full-text index.
//!
//! html5ever's tokenizer (already in the build through ammonia), not a hand-made tag stripper:
//! it knows every named entity, comments, CDATA, unquoted attributes holding `>`, and the raw
//! text of `<script>` and `<style>`, which a stripper gets wrong sooner or later on millions of
//! articles written by several generations of scrapers. Only the tokenizer runs, not the tree
//! builder: no DOM is allocated, and it costs a few milliseconds per megabyte of HTML.
//!
//! What is kept: the text of the body, with a space wherever a tag that is not inline (a
//! paragraph, a cell, a list item, a line break) separates two words, whitespace collapsed.
//! What is dropped: tags, the head (the title is indexed apart), scripts, styles, templates and
//! the like. The text stops at [`MAX_TEXT`] bytes: the index of a collection is bounded, and an
//! article's first 64 KiB say what it is about.

use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};
use html5ever::{LocalName, local_name};
use std::cell::{Cell, RefCell};

/// The most text kept from one article, in bytes.
pub const MAX_TEXT: usize = 64 * 1024;
/// HTML is fed to the tokenizer in pieces of this size, so that a long article stops being
/// read once its text is full.
const CHUNK: usize = 32 * 1024;

/// Tags inside a word: `W<b>or</b>d` is one word. Any other tag separates.
fn inline(name: &LocalName) -> bool {
    matches!(
        *name,
        local_name!("a")
            | local_name!("abbr")
            | local_name!("b")
            | local_name!("bdi")
            | local_name!("bdo")
            | local_name!("cite")
            | local_name!("code")
            | local_name!("data")
            | local_name!("dfn")
            | local_name!("em")
            | local_name!("font")
            | local_name!("i")
            | local_name!("kbd")
            | local_name!("mark")
            | local_name!("q")
            | local_name!("s")
            | local_name!("samp")
            | local_name!("small")
            | local_name!("span")
            | local_name!("strong")
            | local_name!("sub")
            | local_name!("sup")
            | local_name!("time")
            | local_name!("tt")
            | local_name!("u")
            | local_name!("var")
    )
}

/// Elements whose content is not text for a reader, and how the tokenizer must read it.
fn hidden(name: &LocalName) -> Option<Option<RawKind>> {
    Some(match *name {
        local_name!("script") => Some(RawKind::ScriptData),
        local_name!("style")
        | local_name!("xmp")
        | local_name!("iframe")
        | local_name!("noembed")
        | local_name!("noframes")
        | local_name!("noscript") => Some(RawKind::Rawtext),
        local_name!("title") | local_name!("textarea") => Some(RawKind::Rcdata),
        local_name!("template") | local_name!("svg") | local_name!("math") => None,
        _ => return None,
    })
}

struct Sink {
    out: RefCell<String>,
    /// The element whose content is skipped, until its end tag.
    skipping: RefCell<Option<LocalName>>,
    /// Nesting of skipped elements that hold markup (`<svg>` in `<svg>`).
    depth: Cell<u32>,
    in_head: Cell<bool>,
    /// A separator is due before the next word.
    space: Cell<bool>,
    full: Cell<bool>,
}

impl Sink {
    fn push_text(&self, s: &str) {
        if self.full.get() || self.in_head.get() || self.skipping.borrow().is_some() {
            return;
        }
        let mut out = self.out.borrow_mut();
        for c in s.chars() {
            // Control characters too: the snippets' marks are U+0002 and U+0003.
            if c.is_whitespace() || c.is_control() {
                self.space.set(true);
                continue;
            }
            if self.space.get() && !out.is_empty() {
                out.push(' ');
            }
            self.space.set(false);
            if out.len() + c.len_utf8() > MAX_TEXT {
                self.full.set(true);
                return;
            }
            out.push(c);
        }
    }
}

impl TokenSink for Sink {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        match token {
            Token::CharacterTokens(t) => self.push_text(&t),
            Token::TagToken(tag) => {
                let skipping = self.skipping.borrow().clone();
                if let Some(name) = skipping {
                    if tag.name == name && !tag.self_closing {
                        match tag.kind {
                            TagKind::StartTag => self.depth.set(self.depth.get() + 1),
                            TagKind::EndTag if self.depth.get() > 0 => {
                                self.depth.set(self.depth.get() - 1)
                            }
                            TagKind::EndTag => *self.skipping.borrow_mut() = None,
                        }
                    }
                    return TokenSinkResult::Continue;
                }
                match (tag.kind, &tag.name) {
                    (TagKind::StartTag, &local_name!("head")) => self.in_head.set(true),
                    (TagKind::EndTag, &local_name!("head")) | (_, &local_name!("body")) => {
                        self.in_head.set(false)
                    }
                    _ => {}
                }
                if !inline(&tag.name) {
                    self.space.set(true);
                }
                // `<script/>` still opens a script (HTML ignores the slash), `<svg/>` is empty.
                if tag.kind == TagKind::StartTag
                    && let Some(raw) = hidden(&tag.name)
                    && (raw.is_some() || !tag.self_closing)
                {
                    *self.skipping.borrow_mut() = Some(tag.name.clone());
                    self.depth.set(0);
                    if let Some(kind) = raw {
                        return TokenSinkResult::RawData(kind);
                    }
                }
            }
            Token::NullCharacterToken => self.space.set(true),
            _ => {}
        }
        TokenSinkResult::Continue
    }
}

/// The readable text of an HTML document (see the module's doc), at most [`MAX_TEXT`] bytes.
pub fn html_to_text(html: &str) -> String {
    let sink = Sink {
        out: RefCell::new(String::new()),
        skipping: RefCell::new(None),
        depth: Cell::new(0),
        in_head: Cell::new(false),
        space: Cell::new(false),
        full: Cell::new(false),
    };
    let tok = Tokenizer::new(sink, TokenizerOpts::default());
    let queue = BufferQueue::default();
    let mut rest = html;
    while !rest.is_empty() && !tok.sink.full.get() {
        let mut cut = rest.len().min(CHUNK);
        while !rest.is_char_boundary(cut) {
            cut += 1;
        }
        queue.push_back(rest[..cut].into());
        rest = &rest[cut..];
        let _ = tok.feed(&queue);
    }
    if !tok.sink.full.get() {
        tok.end();
    }
    tok.sink.out.take()
}

/// The text of a document in bytes: UTF-8 as libzim writers store it, invalid sequences
/// replaced.
pub fn bytes_to_text(html: &[u8]) -> String {
    html_to_text(&String::from_utf8_lossy(html))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_dropped_words_kept_apart() {
        let t = html_to_text(
            "<!DOCTYPE html><html><head><title>Le titre</title><meta charset=utf-8>\
             <style>p { color: red }</style></head><body><h1>École</h1><p>Un <b>g</b>arçon\
             <br>va à l'école.</p><ul><li>un</li><li>deux</li></ul></body></html>",
        );
        assert_eq!(t, "École Un garçon va à l'école. un deux");
    }

    #[test]
    fn scripts_styles_comments_hidden() {
        let t = html_to_text(
            "<p>a</p><script>var x = '<p>not text</p>'; if (a < b) {}</script>\
             <!-- comment <p>no</p> --><style>.x::after{content:'no'}</style>\
             <noscript><p>no</p></noscript><template><p>no</p></template>\
             <svg><svg><text>no</text></svg><text>no</text></svg><svg/><p>b</p>\
             <script/>no</script>",
        );
        assert_eq!(t, "a b");
    }

    #[test]
    fn entities_decoded() {
        let t = html_to_text("<p>caf&eacute; &amp; th&#233; &#x2014; &lt;b&gt; &nbsp;x&zzz;</p>");
        assert_eq!(t, "café & thé — <b> x&zzz;");
    }

    #[test]
    fn attributes_with_brackets_are_not_text() {
        let t = html_to_text(r#"<p title="a > b" data-x='<i>'>mot</p><img alt=">">fin"#);
        assert_eq!(t, "mot fin");
    }

    #[test]
    fn text_capped_at_a_char_boundary() {
        let html = format!("<p>{}</p>", "é".repeat(MAX_TEXT));
        let t = html_to_text(&html);
        assert!(t.len() <= MAX_TEXT && t.len() > MAX_TEXT - 4);
        assert!(t.chars().all(|c| c == 'é'));
    }

    #[test]
    fn arabic_and_odd_input() {
        assert_eq!(html_to_text("<p dir=rtl>المدرسة مكان</p>"), "المدرسة مكان");
        assert_eq!(html_to_text(""), "");
        assert_eq!(html_to_text("<p"), "");
        assert_eq!(html_to_text("</p></div>x<p>\0y"), "x y");
        assert_eq!(bytes_to_text(b"<p>a\xffb</p>"), "a\u{fffd}b");
    }

    proptest::proptest! {
        #[test]
        fn never_panics_and_stays_bounded(s in ".{0,400}") {
            let t = html_to_text(&s);
            proptest::prop_assert!(t.len() <= MAX_TEXT);
            proptest::prop_assert!(!t.contains("  "));
            proptest::prop_assert_eq!(t.trim(), t.as_str());
        }

        #[test]
        fn markup_free_text_survives(words in proptest::collection::vec("[a-zA-Zéèàçœ0-9]{1,8}", 0..20)) {
            let s = words.join(" ");
            proptest::prop_assert_eq!(html_to_text(&format!("<p>{s}</p>")), s);
        }
    }
}
