//! Searching the posts a reader may see, with SQLite's FTS5. The index folds accents
//! (`eleve` finds `élève`); each word of the query also matches longer forms of itself, and a
//! final plural `s` or `x` is dropped, so `élèves` finds `élève` and `devoir` finds
//! `devoirs`. That covers the common French and English word forms without a stemmer that
//! would only know one of the two languages.

use super::*;

/// Words kept from one query.
const MAX_TERMS: usize = 10;
/// Results shown.
pub const LIMIT: u32 = 30;
/// Only the newest this many matches are ranked: scoring every post that holds a common word
/// ("devoirs" is in a quarter of them) costs FTS5 tens of milliseconds on 100,000 posts, and a
/// school looking for something almost always looks for something recent.
pub const RANKED: u32 = 2000;

/// The FTS5 query for what a person typed, or `None` when it holds no word.
pub fn fts_query(input: &str) -> Option<String> {
    let terms: Vec<String> = input
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(MAX_TERMS)
        .map(|w| {
            let w = w.to_lowercase();
            let stem = match w.char_indices().last() {
                Some((i, 's' | 'x')) if w.chars().count() > 4 => &w[..i],
                _ => &w[..],
            };
            format!("\"{}\"*", stem.replace('"', ""))
        })
        .collect();
    (!terms.is_empty()).then(|| terms.join(" "))
}

/// One piece of a result's excerpt; `hit` marks the words that matched.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Piece {
    pub text: String,
    pub hit: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    pub post_id: PostId,
    pub topic_id: TopicId,
    pub topic: String,
    pub category_id: CategoryId,
    pub author: String,
    pub created_at: i64,
    pub excerpt: Vec<Piece>,
}

/// The marks `snippet()` puts around matched words: control characters, which the indexed
/// text never holds.
pub const OPEN: char = '\u{2}';
pub const CLOSE: char = '\u{3}';

/// Splits an FTS5 `snippet()` made with [`OPEN`] and [`CLOSE`] around the matched words
/// (the forum's and the library's searches); the pieces are escaped by the templates like
/// any text, and an empty match makes no piece.
pub fn pieces(snippet: &str) -> Vec<Piece> {
    let mut out = Vec::new();
    let mut rest = snippet;
    while let Some(start) = rest.find(OPEN) {
        if start > 0 {
            out.push(Piece {
                text: rest[..start].to_owned(),
                hit: false,
            });
        }
        let after = &rest[start + OPEN.len_utf8()..];
        let end = after.find(CLOSE).unwrap_or(after.len());
        if end > 0 {
            out.push(Piece {
                text: after[..end].to_owned(),
                hit: true,
            });
        }
        rest = after.get(end + CLOSE.len_utf8()..).unwrap_or("");
    }
    if !rest.is_empty() {
        out.push(Piece {
            text: rest.to_owned(),
            hit: false,
        });
    }
    out
}

/// The best matches among the posts `who` may read: in categories they see, not hidden nor
/// deleted, in topics that are not hidden.
pub fn search(conn: &Connection, who: &Principal, input: &str) -> Result<Vec<Hit>> {
    let Some(query) = fts_query(input) else {
        return Ok(Vec::new());
    };
    let visible: Vec<i64> = categories::visible(conn, who)?
        .into_iter()
        .map(|c| c.id.0)
        .collect();
    let visible = serde_json::to_string(&visible).unwrap_or_else(|_| "[]".into());
    let mut stmt = conn.prepare_cached(
        "SELECT p.id, t.id, t.title, t.category_id, COALESCE(u.display_name, ''), p.created_at,
                snippet(forum_search, 1, char(2), char(3), '…', 16)
         FROM forum_search s JOIN forum_posts p ON p.id = s.rowid
         JOIN forum_topics t ON t.id = p.topic_id
         LEFT JOIN users u ON u.id = p.author_id
         WHERE forum_search MATCH ?1
           AND s.rowid >= coalesce((SELECT rowid FROM forum_search WHERE forum_search MATCH ?1
                                    ORDER BY rowid DESC LIMIT 1 OFFSET ?4), 0)
           AND t.category_id IN (SELECT value FROM json_each(?2))
           AND p.hidden = 0 AND p.deleted = 0 AND t.hidden = 0
         ORDER BY s.rank LIMIT ?3",
    )?;
    let rows = stmt
        .query_map(rusqlite::params![query, visible, LIMIT, RANKED - 1], |r| {
            let snippet: String = r.get(6)?;
            Ok(Hit {
                post_id: r.get(0)?,
                topic_id: r.get(1)?,
                topic: r.get(2)?,
                category_id: r.get(3)?,
                author: r.get(4)?,
                created_at: r.get(5)?,
                excerpt: pieces(&snippet),
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_from_what_people_type() {
        assert_eq!(
            fts_query("Élèves  devoir"),
            Some("\"élève\"* \"devoir\"*".into())
        );
        assert_eq!(
            fts_query("\"x\" OR y*"),
            Some("\"x\"* \"or\"* \"y\"*".into())
        );
        assert_eq!(fts_query("  ;; "), None);
        assert_eq!(fts_query("chevaux"), Some("\"chevau\"*".into()));
    }

    #[test]
    fn excerpts_split_on_marks() {
        let p = pieces("a \u{2}b\u{3} c");
        assert_eq!(p.len(), 3);
        assert!(p[1].hit && p[1].text == "b");
        assert!(!p[2].hit && p[2].text == " c");
    }
}
