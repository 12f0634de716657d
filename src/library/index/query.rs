//! What a person types, made safe for the index: folded title keys for suggestions, and FTS5
//! queries in which nothing typed is syntax.
//!
//! FTS5's query language gives meaning to `"`, `*`, `^`, `:`, `(`, `)`, `+`, `-`, `NEAR`,
//! `AND`, `OR` and `NOT`; a pupil typing `c'est-à-dire` or `NOT (x` must neither get an error
//! nor another question than the one asked. So the query is cut into words on everything that
//! is not a letter or a digit, and every word goes to FTS5 as a quoted string, which FTS5 only
//! tokenizes: `"or"` is the word "or", never the operator.
//!
//! Folding: the index's `unicode61 remove_diacritics 2` tokenizer folds case and Latin
//! accents. Arabic short vowels (harakat) and the tatweel are combining marks that it treats
//! as separators, which would cut a vocalised word in pieces; they are optional in writing, so
//! both the text and the queries drop them ([`strip_arabic_marks`]). Titles are folded here
//! ([`fold`]) for the prefix index: canonical decomposition, combining marks dropped,
//! lower-cased, in any script (`École` → `ecole`, `Ærø` → `ærø`, `مَدْرَسَة` → `مدرسة`).

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Words kept from one query.
pub const MAX_TERMS: usize = 10;
/// Words shorter than this (in characters) must match whole: `a*` would match half the index.
const MIN_PREFIX: usize = 3;

/// The key titles are compared by: no accents, no case.
pub fn fold(s: &str) -> String {
    s.nfd()
        .filter(|c| !is_combining_mark(*c) && *c != '\u{640}')
        .flat_map(char::to_lowercase)
        .collect::<String>()
        .nfc()
        .collect()
}

/// Whether `c` is an Arabic vowel mark or the tatweel (see the module's doc).
fn arabic_mark(c: char) -> bool {
    matches!(c, '\u{610}'..='\u{61A}' | '\u{64B}'..='\u{65F}' | '\u{670}' | '\u{6D6}'..='\u{6ED}' | '\u{640}')
}

/// `s` without Arabic vowel marks and tatweel, everything else as it was.
pub fn strip_arabic_marks(s: &str) -> std::borrow::Cow<'_, str> {
    if s.chars().any(arabic_mark) {
        s.chars()
            .filter(|c| !arabic_mark(*c))
            .collect::<String>()
            .into()
    } else {
        s.into()
    }
}

/// One word of a query: lower-cased, a final plural `s` or `x` dropped (see [`fts_query`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    pub word: String,
    /// Whether it also matches longer words (it has [`MIN_PREFIX`] characters or more).
    pub prefix: bool,
}

/// The words of what a person typed, at most [`MAX_TERMS`]: cut on everything that is not a
/// letter or a digit, Arabic vowel marks dropped.
pub fn terms(input: &str) -> Vec<Term> {
    let input: String = strip_arabic_marks(input).nfc().collect();
    input
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(MAX_TERMS)
        .map(|w| {
            let w = w.to_lowercase();
            let n = w.chars().count();
            let stem = match w.char_indices().last() {
                Some((i, 's' | 'x')) if n > 4 => &w[..i],
                _ => &w[..],
            };
            Term {
                prefix: stem.chars().count() >= MIN_PREFIX,
                word: stem.to_owned(),
            }
        })
        .collect()
}

/// The FTS5 query for what a person typed, or `None` when it holds no word: every word a
/// quoted string, all of them required; words of [`MIN_PREFIX`] characters or more also match
/// longer words (`ecole` finds `écoles`), and a final plural `s` or `x` is dropped first, as
/// the forum's search does (`chevaux` finds `cheval` no more than a stemmer-less index can,
/// but `élèves` finds `élève`).
pub fn fts_query(input: &str) -> Option<String> {
    let terms: Vec<String> = terms(input)
        .into_iter()
        .map(|t| {
            // No `"` can be left (it is not alphanumeric), but a quoted string's quotes are
            // doubled anyway, so that this line stays right if the split ever changes.
            let quoted = format!("\"{}\"", t.word.replace('"', "\"\""));
            if t.prefix { quoted + "*" } else { quoted }
        })
        .collect();
    (!terms.is_empty()).then(|| terms.join(" "))
}

/// The smallest string greater than every string that starts with `prefix` (for a range scan
/// on a BINARY-collated key): U+10FFFF sorts after any character in UTF-8.
pub fn prefix_end(prefix: &str) -> String {
    format!("{prefix}\u{10FFFF}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding() {
        assert_eq!(fold("École primaire"), "ecole primaire");
        assert_eq!(fold("GARÇON"), "garcon");
        assert_eq!(fold("Œuvre"), "œuvre");
        assert_eq!(fold("مَدْرَسَة"), "مدرسة");
        assert_eq!(fold("مدرســة"), "مدرسة");
        assert_eq!(fold("Ελληνικά"), "ελληνικα");
        // Decomposed input folds like composed input.
        assert_eq!(fold("E\u{301}cole"), fold("École"));
    }

    #[test]
    fn queries_from_what_people_type() {
        assert_eq!(
            fts_query("Élèves  devoir"),
            Some("\"élève\"* \"devoir\"*".into())
        );
        assert_eq!(fts_query("a la"), Some("\"a\" \"la\"".into()));
        assert_eq!(fts_query("  ;; "), None);
        assert_eq!(fts_query(""), None);
        assert_eq!(fts_query("مَدْرَسَة"), Some("\"مدرسة\"*".into()));
    }

    #[test]
    fn syntax_is_only_words() {
        for (typed, wanted) in [
            ("\"x", "\"x\""),
            ("lune*", "\"lune\"*"),
            ("NEAR(lune soleil)", "\"near\"* \"lune\"* \"soleil\"*"),
            ("a OR b", "\"a\" \"or\" \"b\""),
            ("-x", "\"x\""),
            ("col:val", "\"col\"* \"val\"*"),
            ("((lune", "\"lune\"*"),
            (
                "lune AND NOT soleil",
                "\"lune\"* \"and\"* \"not\"* \"soleil\"*",
            ),
            ("^début + fin", "\"début\"* \"fin\"*"),
            ("c'est-à-dire", "\"c\" \"est\"* \"à\" \"dire\"*"),
        ] {
            assert_eq!(fts_query(typed).as_deref(), Some(wanted), "{typed}");
        }
    }

    #[test]
    fn many_words_are_cut() {
        let q = fts_query(&"mot ".repeat(50)).unwrap();
        assert_eq!(q.matches("\"mot\"").count(), MAX_TERMS);
    }

    proptest::proptest! {
        /// Whatever is typed, SQLite's FTS5 accepts the query.
        #[test]
        fn any_input_is_a_valid_query(s in "\\PC{0,60}") {
            let c = rusqlite::Connection::open_in_memory().unwrap();
            c.execute_batch(
                "CREATE VIRTUAL TABLE t USING fts5(a, tokenize = 'unicode61 remove_diacritics 2');
                 INSERT INTO t VALUES ('lune soleil école');",
            )
            .unwrap();
            if let Some(q) = fts_query(&s) {
                let r: rusqlite::Result<i64> =
                    c.query_row("SELECT count(*) FROM t WHERE t MATCH ?1", [&q], |r| r.get(0));
                proptest::prop_assert!(r.is_ok(), "{q}: {r:?}");
            }
        }

        #[test]
        fn folding_is_idempotent(s in "\\PC{0,40}") {
            let f = fold(&s);
            proptest::prop_assert_eq!(fold(&f), f);
        }
    }
}
