//! Telling people: an @mention, or a reply to a topic one started, leaves a notification on
//! the dashboard and a short internal mail. Only people who may read the category are told,
//! so a mention never reveals a class's forum to someone outside it.

use super::*;
use crate::auth::load_principal;
use rusqlite::Transaction;

/// A notification just made, for the mail that follows the commit.
#[derive(Debug, Clone)]
pub struct Notice {
    pub user: UserId,
    pub kind: &'static str,
    pub topic: TopicId,
    pub post: PostId,
    pub actor: String,
}

pub(super) fn on_post(
    tx: &Transaction<'_>,
    who: &Principal,
    c: &Category,
    topic: TopicId,
    post: PostId,
    body: &str,
    topic_author: Option<UserId>,
) -> Result<Vec<Notice>> {
    let audience = c.audience();
    let mut targets: Vec<(UserId, &'static str)> = Vec::new();
    let mut find =
        tx.prepare_cached("SELECT id FROM users WHERE username = ?1 AND disabled = 0")?;
    for name in markdown::mentions(body) {
        if let Some(id) = find
            .query_row([&name], |r| r.get::<_, UserId>(0))
            .optional()?
        {
            targets.push((id, "mention"));
        }
    }
    if let Some(author) = topic_author
        && !targets.iter().any(|(u, _)| *u == author)
    {
        targets.push((author, "reply"));
    }
    let now = crate::now();
    let mut out = Vec::new();
    for (user, kind) in targets {
        if user == who.id {
            continue;
        }
        let Some(p) = load_principal(tx, user)? else {
            continue;
        };
        if authorize(
            &p,
            &Action::ReadForum {
                category: &audience,
            },
        )
        .is_err()
        {
            continue;
        }
        tx.prepare_cached(
            "INSERT INTO forum_notifications (user_id, kind, topic_id, post_id, actor_id, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?
        .execute(rusqlite::params![user, kind, topic, post, who.id, now])?;
        out.push(Notice {
            user,
            kind,
            topic,
            post,
            actor: who.display_name.clone(),
        });
    }
    Ok(out)
}

/// A notification as the dashboard lists it.
#[derive(Debug, Clone, Serialize)]
pub struct Listed {
    pub id: i64,
    pub kind: String,
    pub topic_id: TopicId,
    pub topic: String,
    pub post_id: PostId,
    pub actor: String,
    pub created_at: i64,
    pub seen: bool,
}

/// The latest notifications of `who` (unread first) and how many are unread.
pub fn list(conn: &Connection, who: &Principal, limit: u32) -> Result<(Vec<Listed>, i64)> {
    let mut stmt = conn.prepare_cached(
        "SELECT n.id, n.kind, n.topic_id, t.title, n.post_id, COALESCE(u.display_name, ''), n.created_at, n.seen
         FROM forum_notifications n JOIN forum_topics t ON t.id = n.topic_id
         JOIN forum_posts p ON p.id = n.post_id AND p.deleted = 0 AND p.hidden = 0
         LEFT JOIN users u ON u.id = n.actor_id
         WHERE n.user_id = ?1 AND t.hidden = 0 ORDER BY n.seen, n.id DESC LIMIT ?2",
    )?;
    let rows = stmt
        .query_map(rusqlite::params![who.id, limit], |r| {
            Ok(Listed {
                id: r.get(0)?,
                kind: r.get(1)?,
                topic_id: r.get(2)?,
                topic: r.get(3)?,
                post_id: r.get(4)?,
                actor: r.get(5)?,
                created_at: r.get(6)?,
                seen: r.get(7)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    // Counted over the same rows the list shows: a notice about a post since hidden or
    // deleted is neither listed nor counted.
    let unread = conn
        .prepare_cached(
            "SELECT count(*) FROM forum_notifications n JOIN forum_topics t ON t.id = n.topic_id
             JOIN forum_posts p ON p.id = n.post_id AND p.deleted = 0 AND p.hidden = 0
             WHERE n.user_id = ?1 AND n.seen = 0 AND t.hidden = 0",
        )?
        .query_row([who.id], |r| r.get(0))?;
    Ok((rows, unread))
}

/// Marks `who`'s notifications about a topic as seen (they opened it).
pub fn seen_topic(tx: &Transaction<'_>, who: &Principal, topic: TopicId) -> Result<()> {
    tx.prepare_cached(
        "UPDATE forum_notifications SET seen = 1 WHERE user_id = ?1 AND topic_id = ?2 AND seen = 0",
    )?
    .execute(rusqlite::params![who.id, topic])?;
    Ok(())
}

/// Sends each notice as an internal mail (after the post's transaction committed). A failure
/// is logged: the dashboard notification is already there.
pub async fn mail(app: &crate::app::App, notices: Vec<Notice>) {
    if notices.is_empty() {
        return;
    }
    let settings = app.settings();
    for n in notices {
        let (user, topic) = (n.user, n.topic);
        let facts = app
            .db
            .read(move |c| {
                let who: Option<(String, Option<String>)> = c
                    .query_row(
                        "SELECT username, language FROM users WHERE id = ?1",
                        [user],
                        |r| Ok((r.get(0)?, r.get(1)?)),
                    )
                    .optional()?;
                let title: String = c.query_row(
                    "SELECT title FROM forum_topics WHERE id = ?1",
                    [topic],
                    |r| r.get(0),
                )?;
                Ok(who.map(|w| (w, title)))
            })
            .await;
        let Ok(Some(((username, lang), title))) = facts else {
            continue;
        };
        let lang = lang.unwrap_or_else(|| crate::i18n::school_default(&settings).into());
        let link = format!("{}forum/p/{}", settings.portal_url(), n.post);
        let args = [
            ("actor", n.actor.as_str()),
            ("topic", title.as_str()),
            ("link", link.as_str()),
        ];
        let (subject_key, body_key) = match n.kind {
            "mention" => ("forum.mail_mention_subject", "forum.mail_mention_body"),
            _ => ("forum.mail_reply_subject", "forum.mail_reply_body"),
        };
        let mut draft = crate::mail::compose::Draft {
            from_name: app.i18n.format_plain(&lang, "forum.title", &[]),
            from_addr: format!("forum@{}", settings.mail_domain),
            to: vec![(
                String::new(),
                crate::mail::address_of(&username, &settings.mail_domain),
            )],
            subject: app.i18n.format_plain(&lang, subject_key, &args),
            body: app.i18n.format_plain(&lang, body_key, &args),
            attachments: Vec::new(),
            in_reply_to: None,
            references: Vec::new(),
        };
        let raw = match crate::mail::compose::build(&mut draft, &settings.mail_domain) {
            Ok(r) => r,
            Err(e) => {
                log::warn!("forum notice mail: {e}");
                continue;
            }
        };
        let env = crate::mail::Envelope {
            local: vec![user],
            ..crate::mail::Envelope::default()
        };
        if let Err(e) = crate::mail::store::accept(&app.db, &app.data_dir, env, raw).await {
            log::warn!("forum notice mail to {username}: {e}");
        }
    }
}
