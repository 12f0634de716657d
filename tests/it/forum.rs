//! The forum's rules, called as the doors call them: who reads, writes and moderates which
//! category, locks and mutes, the pupils' pace, edit history, the author's delete window,
//! notifications that never leak a category, and search limited to what the reader may see.

use crate::support::*;
use cartable::auth::{Principal, Role, load_principal};
use cartable::forum::{self, ForumError, categories, moderation, notify, posts, search, topics};
use cartable::ids::{CategoryId, UserId};

struct School {
    s: TestServer,
    teacher: Principal,
    other_teacher: Principal,
    amina: Principal,
    bilal: Principal,
    zoe: Principal,
    parent: Principal,
    admin: Principal,
    class_a: CategoryId,
    class_b: CategoryId,
}

async fn principal(s: &TestServer, id: UserId) -> Principal {
    s.running
        .app
        .db
        .read(move |c| Ok(load_principal(c, id)?.unwrap()))
        .await
        .unwrap()
}

async fn school() -> School {
    let s = TestServer::start().await;
    let a = s.class("6e A").await;
    let b = s.class("5e B").await;
    let teacher = s.user("t.prof", Role::Teacher).await;
    let other_teacher = s.user("o.prof", Role::Teacher).await;
    let amina = s.user("amina", Role::Pupil).await;
    let bilal = s.user("bilal", Role::Pupil).await;
    let zoe = s.user("zoe", Role::Pupil).await;
    let parent = s.user("maman", Role::Parent).await;
    let admin = s.user("chef", Role::Admin).await;
    s.add_member(a, teacher).await;
    s.add_member(b, other_teacher).await;
    s.add_member(a, amina).await;
    s.add_member(a, bilal).await;
    s.add_member(b, zoe).await;
    s.link_parent(parent, amina).await;
    let class_a = s_cat(&s, a).await;
    let class_b = s_cat(&s, b).await;
    School {
        teacher: principal(&s, teacher).await,
        other_teacher: principal(&s, other_teacher).await,
        amina: principal(&s, amina).await,
        bilal: principal(&s, bilal).await,
        zoe: principal(&s, zoe).await,
        parent: principal(&s, parent).await,
        admin: principal(&s, admin).await,
        class_a,
        class_b,
        s,
    }
}

/// The category the trigger made with the class.
async fn s_cat(s: &TestServer, class: cartable::ids::ClassId) -> CategoryId {
    s.running
        .app
        .db
        .read(move |c| {
            Ok(c.query_row(
                "SELECT id FROM forum_categories WHERE class_id = ?1",
                [class],
                |r| r.get(0),
            )?)
        })
        .await
        .unwrap()
}

impl School {
    async fn write<T: Send + 'static>(
        &self,
        f: impl FnOnce(&rusqlite::Transaction<'_>) -> forum::Result<T> + Send + 'static,
    ) -> forum::Result<T> {
        self.s.running.app.db.write_as(f).await
    }

    async fn read<T: Send + 'static>(
        &self,
        f: impl FnOnce(&rusqlite::Connection) -> forum::Result<T> + Send + 'static,
    ) -> forum::Result<T> {
        self.s.running.app.db.read(move |c| Ok(f(c))).await.unwrap()
    }

    async fn topic(
        &self,
        who: &Principal,
        cat: CategoryId,
        title: &str,
        body: &str,
    ) -> forum::Result<(cartable::ids::TopicId, cartable::ids::PostId)> {
        let (who, title, body) = (who.clone(), title.to_owned(), body.to_owned());
        self.write(move |tx| topics::create(tx, &who, cat, &title, &body).map(|(t, p, _)| (t, p)))
            .await
    }
}

fn names(cats: &[forum::Category]) -> Vec<String> {
    cats.iter()
        .map(|c| format!("{}:{}", c.kind, c.name))
        .collect()
}

#[tokio::test]
async fn each_sees_the_categories_meant_for_them() {
    let sc = school().await;
    let vis = |p: &Principal| {
        let p = p.clone();
        sc.read(move |c| categories::visible(c, &p))
    };
    assert_eq!(
        names(&vis(&sc.amina).await.unwrap()),
        ["school:", "class:6e A"]
    );
    assert_eq!(
        names(&vis(&sc.zoe).await.unwrap()),
        ["school:", "class:5e B"]
    );
    assert_eq!(names(&vis(&sc.parent).await.unwrap()), ["school:"]);
    assert_eq!(
        names(&vis(&sc.teacher).await.unwrap()),
        ["school:", "staff:", "class:6e A"]
    );
    assert_eq!(vis(&sc.admin).await.unwrap().len(), 4);
    // The admin adds a category for parents only.
    let admin = sc.admin.clone();
    let parents = sc
        .write(move |tx| {
            categories::create(tx, &admin, "Parents", "Entre parents", &[Role::Parent])
        })
        .await
        .unwrap();
    assert_eq!(
        names(&vis(&sc.parent).await.unwrap()),
        ["school:", "custom:Parents"]
    );
    assert!(
        !vis(&sc.teacher)
            .await
            .unwrap()
            .iter()
            .any(|c| c.id == parents)
    );
    let teacher = sc.teacher.clone();
    let refused = sc
        .write(move |tx| categories::create(tx, &teacher, "X", "", &[Role::Pupil]))
        .await;
    assert!(matches!(refused, Err(ForumError::Denied)));
}

#[tokio::test]
async fn a_pupil_cannot_reach_another_class() {
    let sc = school().await;
    let (topic, post) = sc
        .topic(
            &sc.zoe,
            sc.class_b,
            "Devoirs de 5e",
            "Les exercices de fractions",
        )
        .await
        .unwrap();
    let amina = sc.amina.clone();
    let b = sc.class_b;
    assert!(matches!(
        sc.read(move |c| topics::list(c, &amina, b, 0).map(|_| ()))
            .await,
        Err(ForumError::NotFound)
    ));
    let amina = sc.amina.clone();
    assert!(matches!(
        sc.read(move |c| topics::open(c, &amina, topic).map(|_| ()))
            .await,
        Err(ForumError::NotFound)
    ));
    let amina = sc.amina.clone();
    assert!(matches!(
        sc.read(move |c| posts::get(c, &amina, post).map(|_| ()))
            .await,
        Err(ForumError::NotFound)
    ));
    assert!(matches!(
        sc.topic(&sc.amina, sc.class_b, "Intrus", "Bonjour").await,
        Err(ForumError::NotFound)
    ));
    let amina = sc.amina.clone();
    assert!(matches!(
        sc.write(move |tx| posts::reply(tx, &amina, topic, "coucou").map(|_| ()))
            .await,
        Err(ForumError::NotFound)
    ));
    let amina = sc.amina.clone();
    let hits = sc
        .read(move |c| search::search(c, &amina, "fractions"))
        .await
        .unwrap();
    assert!(hits.is_empty());
    let zoe = sc.zoe.clone();
    let hits = sc
        .read(move |c| search::search(c, &zoe, "fraction"))
        .await
        .unwrap();
    assert_eq!(hits.len(), 1, "the plural folds and the class sees its own");
    // The other class's teacher cannot moderate it either.
    let other = sc.other_teacher.clone();
    let a = sc.class_a;
    assert!(matches!(
        sc.read(move |c| topics::list(c, &other, a, 0).map(|_| ()))
            .await,
        Err(ForumError::NotFound)
    ));
}

#[tokio::test]
async fn locks_mutes_and_the_pupils_pace() {
    let sc = school().await;
    let (topic, _) = sc
        .topic(&sc.amina, sc.class_a, "Question", "Comment *on* fait ?")
        .await
        .unwrap();
    // Too fast: a pupil's second post within the gap.
    let bilal = sc.bilal.clone();
    sc.write(move |tx| posts::reply(tx, &bilal, topic, "Je sais !").map(|_| ()))
        .await
        .unwrap();
    let bilal = sc.bilal.clone();
    assert!(matches!(
        sc.write(move |tx| posts::reply(tx, &bilal, topic, "Encore").map(|_| ()))
            .await,
        Err(ForumError::TooFast(_))
    ));
    // The teacher locks it: pupils can no longer reply, the teacher still can.
    let teacher = sc.teacher.clone();
    sc.write(move |tx| moderation::set_flag(tx, &teacher, topic, moderation::Flag::Locked, true))
        .await
        .unwrap();
    let amina = sc.amina.clone();
    assert!(matches!(
        sc.write(move |tx| posts::reply(tx, &amina, topic, "Et alors ?").map(|_| ()))
            .await,
        Err(ForumError::Locked)
    ));
    let teacher = sc.teacher.clone();
    sc.write(move |tx| posts::reply(tx, &teacher, topic, "Sujet clos.").map(|_| ()))
        .await
        .unwrap();
    // A pupil cannot lock; a muted pupil cannot start topics.
    let amina = sc.amina.clone();
    assert!(matches!(
        sc.write(move |tx| moderation::set_flag(
            tx,
            &amina,
            topic,
            moderation::Flag::Locked,
            false
        ))
        .await,
        Err(ForumError::Denied)
    ));
    let (teacher, a, amina_id) = (sc.teacher.clone(), sc.class_a, sc.amina.id);
    sc.write(move |tx| moderation::mute(tx, &teacher, a, amina_id, cartable::now() + 3600))
        .await
        .unwrap();
    assert!(matches!(
        sc.topic(&sc.amina, sc.class_a, "Encore moi", "Bonjour")
            .await,
        Err(ForumError::Muted(_))
    ));
    // Only pupils are muted.
    let (teacher, a, other) = (sc.teacher.clone(), sc.class_a, sc.teacher.id);
    assert!(matches!(
        sc.write(move |tx| moderation::mute(tx, &teacher, a, other, cartable::now() + 60))
            .await,
        Err(ForumError::Denied)
    ));
    // Empty and huge posts change nothing.
    assert!(matches!(
        sc.topic(&sc.teacher, sc.class_a, "  ", "x").await,
        Err(ForumError::TitleEmpty)
    ));
    assert!(matches!(
        sc.topic(&sc.teacher, sc.class_a, "T", " \n ").await,
        Err(ForumError::BodyEmpty)
    ));
    let huge = "a".repeat(forum::BODY_MAX + 1);
    assert!(matches!(
        sc.topic(&sc.teacher, sc.class_a, "T", &huge).await,
        Err(ForumError::BodyTooLong)
    ));
    let audit =
        sc.s.running
            .app
            .db
            .read(|c| {
                Ok(c.query_row(
                    "SELECT count(*) FROM audit_log WHERE action = 'moderate_forum'",
                    [],
                    |r| r.get::<_, i64>(0),
                )?)
            })
            .await
            .unwrap();
    assert_eq!(audit, 2, "the lock and the mute are in the audit log");
}

#[tokio::test]
async fn editing_keeps_history_and_only_the_author_edits_or_deletes() {
    let sc = school().await;
    let (_, post) = sc
        .topic(&sc.teacher, sc.class_a, "Sortie", "Départ à 8 h")
        .await
        .unwrap();
    let amina = sc.amina.clone();
    assert!(matches!(
        sc.write(move |tx| posts::edit(tx, &amina, post, "Annulé"))
            .await,
        Err(ForumError::Denied)
    ));
    let teacher = sc.teacher.clone();
    sc.write(move |tx| posts::edit(tx, &teacher, post, "Départ à **9 h**"))
        .await
        .unwrap();
    let amina = sc.amina.clone();
    let (p, versions) = sc
        .read(move |c| posts::history(c, &amina, post))
        .await
        .unwrap();
    assert!(p.html.contains("<strong>9 h</strong>"));
    assert!(p.edited_at.is_some());
    assert_eq!(versions.len(), 1);
    assert_eq!(versions[0].body, "Départ à 8 h");
    let amina = sc.amina.clone();
    assert!(matches!(
        sc.write(move |tx| posts::delete_own(tx, &amina, post))
            .await,
        Err(ForumError::Denied)
    ));
    let teacher = sc.teacher.clone();
    sc.write(move |tx| posts::delete_own(tx, &teacher, post))
        .await
        .unwrap();
    let amina = sc.amina.clone();
    assert!(matches!(
        sc.read(move |c| posts::get(c, &amina, post).map(|_| ()))
            .await,
        Err(ForumError::NotFound)
    ));
    let teacher = sc.teacher.clone();
    assert!(
        sc.read(move |c| search::search(c, &teacher, "départ"))
            .await
            .unwrap()
            .is_empty()
    );
    // Past the window, the author can no longer delete.
    let (_, old) = sc
        .topic(&sc.teacher, sc.class_a, "Vieux", "Ancien message")
        .await
        .unwrap();
    sc.s.running
        .app
        .db
        .write(move |tx| {
            tx.execute(
                "UPDATE forum_posts SET created_at = created_at - ?1 WHERE id = ?2",
                rusqlite::params![forum::DELETE_WINDOW + 1, old],
            )?;
            Ok(())
        })
        .await
        .unwrap();
    let teacher = sc.teacher.clone();
    assert!(matches!(
        sc.write(move |tx| posts::delete_own(tx, &teacher, old))
            .await,
        Err(ForumError::TooLate)
    ));
}

#[tokio::test]
async fn mentions_notify_only_those_who_can_read() {
    let sc = school().await;
    let (topic, _) = sc
        .topic(
            &sc.amina,
            sc.class_a,
            "Exposé",
            "@bilal tu as le livre ? Et @zoe ? Et @maman ?",
        )
        .await
        .unwrap();
    let count = |p: &Principal| {
        let p = p.clone();
        sc.read(move |c| notify::list(c, &p, 10))
    };
    let (list, unread) = count(&sc.bilal).await.unwrap();
    assert_eq!((list.len(), unread), (1, 1));
    assert_eq!(list[0].kind, "mention");
    assert_eq!(
        count(&sc.zoe).await.unwrap().1,
        0,
        "another class's pupil is not told"
    );
    assert_eq!(
        count(&sc.parent).await.unwrap().1,
        0,
        "a parent is not told"
    );
    // A reply tells the topic's author.
    let bilal = sc.bilal.clone();
    sc.write(move |tx| posts::reply(tx, &bilal, topic, "Oui, je l'ai.").map(|_| ()))
        .await
        .unwrap();
    let (list, _) = count(&sc.amina).await.unwrap();
    assert_eq!(list[0].kind, "reply");
    let amina = sc.amina.clone();
    sc.write(move |tx| notify::seen_topic(tx, &amina, topic))
        .await
        .unwrap();
    assert_eq!(count(&sc.amina).await.unwrap().1, 0);
}

#[tokio::test]
async fn hidden_posts_leave_pupils_and_search_but_not_moderators() {
    let sc = school().await;
    let (topic, _) = sc
        .topic(
            &sc.teacher,
            sc.class_a,
            "Révisions",
            "Chapitre sur les volcans",
        )
        .await
        .unwrap();
    let amina = sc.amina.clone();
    let (reply, _) = sc
        .write(move |tx| posts::reply(tx, &amina, topic, "Les élèves adorent les volcans"))
        .await
        .unwrap();
    let bilal = sc.bilal.clone();
    let hits = sc
        .read(move |c| search::search(c, &bilal, "eleve volcan"))
        .await
        .unwrap();
    assert_eq!(hits.len(), 1, "accents folded, plural matched: {hits:?}");
    let amina = sc.amina.clone();
    sc.write(move |tx| moderation::report(tx, &amina, reply, "oups"))
        .await
        .unwrap();
    let teacher = sc.teacher.clone();
    let reports = sc
        .read(move |c| moderation::reports(c, &teacher))
        .await
        .unwrap();
    assert_eq!(reports.len(), 1);
    let other = sc.other_teacher.clone();
    assert!(
        sc.read(move |c| moderation::reports(c, &other))
            .await
            .unwrap()
            .is_empty()
    );
    let teacher = sc.teacher.clone();
    sc.write(move |tx| moderation::hide_post(tx, &teacher, reply, true))
        .await
        .unwrap();
    let bilal = sc.bilal.clone();
    assert!(
        sc.read(move |c| search::search(c, &bilal, "eleve"))
            .await
            .unwrap()
            .is_empty()
    );
    let bilal = sc.bilal.clone();
    assert!(matches!(
        sc.read(move |c| posts::get(c, &bilal, reply).map(|_| ()))
            .await,
        Err(ForumError::NotFound)
    ));
    let teacher = sc.teacher.clone();
    assert!(
        sc.read(move |c| posts::get(c, &teacher, reply).map(|_| ()))
            .await
            .is_ok()
    );
    // Moving needs the moderation of both ends: the class's teacher does not moderate the
    // school category; the admin does.
    let (teacher, school) = (sc.teacher.clone(), CategoryId(1));
    assert!(matches!(
        sc.write(move |tx| moderation::move_topic(tx, &teacher, topic, school))
            .await,
        Err(ForumError::Denied)
    ));
    let admin = sc.admin.clone();
    sc.write(move |tx| moderation::move_topic(tx, &admin, topic, school))
        .await
        .unwrap();
    let parent = sc.parent.clone();
    assert!(
        sc.read(move |c| topics::open(c, &parent, topic).map(|_| ()))
            .await
            .is_ok()
    );
}
