//! Snippets cut from an article's text, for the hits a results page shows.
//!
//! Why not FTS5's `snippet()`: it reads the text from the index, and keeping every article's
//! text there made the index 3.4 times the size of the collection it indexes (the text was
//! stored whole beside its words; a ZIM holds it compressed). The index keeps only the words
//! (a contentless table), and a page's twenty snippets are cut from the articles themselves,
//! read from the collection through the cluster cache, as kiwix-serve does.
//!
//! Words are compared as the index's tokenizer compares them: case and accents folded
//! ([`fold`]), Arabic vowel marks ignored, and a query word of three letters or more also
//! matching longer words ([`Term::prefix`]).

use super::query::{Term, fold};
use crate::forum::search::Piece;

/// Words in a snippet.
pub const SNIPPET_WORDS: usize = 24;
/// Words shown before the first match of the window.
const LEAD: usize = 4;
/// Matches looked at, at most: enough to find a window with every query word in an article
/// that repeats the first one often.
const MAX_MATCHES: usize = 200;

/// A word of the text: its bytes, and which query word it matches.
struct Word {
    start: usize,
    end: usize,
    term: Option<usize>,
}

/// Whether `c` belongs to a word: letters and digits, and the combining marks (accents given
/// apart, Arabic vowels) and tatweel that the index's text drops before cutting words.
fn in_word(c: char) -> bool {
    c.is_alphanumeric() || unicode_normalization::char::is_combining_mark(c) || c == '\u{640}'
}

/// Which of `terms` (already folded) the word `w` matches.
fn matching(w: &str, terms: &[Term]) -> Option<usize> {
    let folded;
    let w = if w.is_ascii() {
        folded = w.to_ascii_lowercase();
        folded.as_str()
    } else {
        folded = fold(w);
        folded.as_str()
    };
    terms.iter().position(|t| {
        if t.prefix {
            w.starts_with(t.word.as_str())
        } else {
            w == t.word
        }
    })
}

/// The snippet of `text` for `terms` (from [`super::query::terms`]): about [`SNIPPET_WORDS`]
/// words around the place that holds the most different query words, the matches marked, and
/// `…` where the text goes on. The start of the text when nothing matches (the match was in
/// the title).
pub fn snippet(text: &str, terms: &[Term]) -> Vec<Piece> {
    let terms: Vec<Term> = terms
        .iter()
        .map(|t| Term {
            word: fold(&t.word),
            prefix: t.prefix,
        })
        .collect();
    let mut words: Vec<Word> = Vec::new();
    let mut matches: Vec<usize> = Vec::new();
    let mut start = None;
    for (i, c) in text
        .char_indices()
        .chain(std::iter::once((text.len(), ' ')))
    {
        match (in_word(c), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                let term = matching(&text[s..i], &terms);
                if term.is_some() {
                    matches.push(words.len());
                }
                words.push(Word {
                    start: s,
                    end: i,
                    term,
                });
                start = None;
                if matches.len() >= MAX_MATCHES && words.len() >= matches[0] + SNIPPET_WORDS {
                    break;
                }
            }
            _ => {}
        }
    }
    if words.is_empty() {
        return Vec::new();
    }
    // The window, among those starting a little before a match, holding the most different
    // query words; the first such.
    let mut best = (0usize, 0usize);
    for &m in &matches {
        let from = m.saturating_sub(LEAD);
        let mut seen: Vec<usize> = words[from..(from + SNIPPET_WORDS).min(words.len())]
            .iter()
            .filter_map(|w| w.term)
            .collect();
        seen.sort_unstable();
        seen.dedup();
        if seen.len() > best.1 {
            best = (from, seen.len());
        }
    }
    // Near the end, the window takes words from before rather than fall short.
    let from = best.0.min(words.len().saturating_sub(SNIPPET_WORDS));
    let to = (from + SNIPPET_WORDS).min(words.len());
    let mut out = Vec::new();
    let mut push = |text: &str, hit: bool| {
        if text.is_empty() {
            return;
        }
        match out.last_mut() {
            Some(Piece { text: t, hit: h }) if *h == hit => t.push_str(text),
            _ => out.push(Piece {
                text: text.to_owned(),
                hit,
            }),
        }
    };
    let mut at = if from > 0 {
        push("…", false);
        words[from].start
    } else {
        text.len() - text.trim_start().len()
    };
    for w in &words[from..to] {
        push(&text[at..w.start], false);
        push(&text[w.start..w.end], w.term.is_some());
        at = w.end;
    }
    if to < words.len() {
        push("…", false);
    } else {
        push(text[at..].trim_end(), false);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::query::terms;
    use super::*;

    fn shown(p: &[Piece]) -> String {
        p.iter()
            .map(|p| {
                if p.hit {
                    format!("[{}]", p.text)
                } else {
                    p.text.clone()
                }
            })
            .collect()
    }

    #[test]
    fn matches_are_marked_with_accents_and_case_folded() {
        let s = snippet(
            "Un garçon va à l'École. Les écoles ferment.",
            &terms("ecole"),
        );
        assert_eq!(shown(&s), "Un garçon va à l'[École]. Les [écoles] ferment.");
        let s = snippet("Le RÉALISTE et la réaliste.", &terms("réaliste"));
        assert_eq!(shown(&s), "Le [RÉALISTE] et la [réaliste].");
        // Short words match whole only.
        let s = snippet("la lampe, là", &terms("la"));
        assert_eq!(shown(&s), "[la] lampe, [là]");
    }

    #[test]
    fn the_window_holds_the_most_query_words() {
        let mut text = String::new();
        for i in 0..100 {
            text.push_str(&format!("mot{i} "));
            if i == 10 {
                text.push_str("lune ");
            }
            if i == 60 {
                text.push_str("lune et soleil ");
            }
        }
        let s = shown(&snippet(&text, &terms("lune soleil")));
        assert!(s.starts_with('…') && s.ends_with('…'), "{s}");
        assert!(s.contains("[lune] et [soleil]"), "{s}");
        assert_eq!(s.split_whitespace().count(), SNIPPET_WORDS, "{s}");
    }

    #[test]
    fn arabic_with_vowel_marks_matches_the_bare_word() {
        let s = snippet("هذه مَدْرَسَة كبيرة", &terms("مدرسة"));
        assert_eq!(shown(&s), "هذه [مَدْرَسَة] كبيرة");
    }

    #[test]
    fn no_match_gives_the_start_and_nothing_gives_nothing() {
        let text = "un deux trois ".repeat(20);
        let s = shown(&snippet(&text, &terms("zzz")));
        assert!(s.starts_with("un deux trois") && s.ends_with('…'), "{s}");
        assert!(snippet("", &terms("x")).is_empty());
        assert!(snippet(" ;; ", &terms("x")).is_empty());
    }
}
