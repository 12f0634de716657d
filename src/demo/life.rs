//! The demo school's life: news, the agenda, a forum and attendance registers, seeded after
//! the accounts so that `make run` shows every page with something in it. Each part is
//! written through its domain functions, like the pages do, and a part that fails is logged
//! and skipped rather than stopping the demo.

use crate::accounts;
use crate::ids::{ClassId, UserId};

/// The office's must-read letter to parents and a welcome for everyone; in the agenda, a
/// trip for the school, a parents' evening, and a test in the first class by its teacher.
pub(super) fn seed_school(
    db: &crate::db::Db,
    teacher: UserId,
    class: ClassId,
) -> Result<(), String> {
    use crate::auth::SchoolAudience;
    use crate::school::{SchoolError, agenda, news, when};
    db.write_blocking_as(|tx| {
        let load = |id: UserId| -> Result<crate::auth::Principal, SchoolError> {
            crate::auth::load_principal(tx, id)?.ok_or(SchoolError::NotFound)
        };
        let office: UserId = tx.query_row(
            "SELECT id FROM users WHERE role = 'staff' ORDER BY id LIMIT 1",
            [],
            |r| r.get(0),
        )?;
        let (office, teacher) = (load(office)?, load(teacher)?);
        news::create(
            tx,
            &office,
            &news::Draft {
                title: "Bienvenue sur l'ENT".into(),
                body: "Vous trouverez ici les actualités de l'établissement, l'agenda, les                        devoirs, la messagerie et le forum."
                    .into(),
                audience: SchoolAudience::School,
                must_read: false,
            },
        )?;
        news::create(
            tx,
            &office,
            &news::Draft {
                title: "Règlement intérieur : à lire et à signer".into(),
                body: "Madame, Monsieur,

Le **règlement intérieur** a changé. Merci de le lire                        avec votre enfant, puis de cliquer sur « J'ai lu »."
                    .into(),
                audience: SchoolAudience::Parents,
                must_read: true,
            },
        )?;
        let day = |n: i64| {
            when::format_date(when::local_date(crate::now()) + time::Duration::days(n))
        };
        let event = |title: &str, kind: &str, audience, d: String, times: Option<(&str, &str)>| {
            agenda::Draft {
                title: title.into(),
                kind: kind.into(),
                audience,
                when: when::WhenForm {
                    all_day: times.is_none(),
                    start_date: d,
                    start_time: times.map(|t| t.0.to_owned()).unwrap_or_default(),
                    end_date: String::new(),
                    end_time: times.map(|t| t.1.to_owned()).unwrap_or_default(),
                },
                place: String::new(),
                description: String::new(),
            }
        };
        let trip = event("Sortie au musée", "trip", SchoolAudience::School, day(12), None);
        agenda::create(tx, &office, &trip)?;
        let evening = event(
            "Réunion parents-professeurs",
            "meeting",
            SchoolAudience::Parents,
            day(5),
            Some(("17:30", "19:30")),
        );
        agenda::create(tx, &office, &evening)?;
        let test = event(
            "Contrôle de mathématiques",
            "exam",
            SchoolAudience::Classes(vec![class]),
            day(3),
            Some(("08:00", "09:00")),
        );
        agenda::create(tx, &teacher, &test)?;
        Ok(())
    })
    .map_err(|e: SchoolError| e.to_string())
}

/// Two registers in the first class: yesterday's, two pupils absent (one already explained
/// by her mother) and one late; today's, one absent whom nobody has explained yet.
pub(super) fn seed_attendance(
    db: &crate::db::Db,
    teacher: UserId,
    class: ClassId,
) -> Result<(), String> {
    use crate::school::attendance::register::{Key, Presence, save};
    use crate::school::attendance::{AttendanceError as E, family};
    db.write_blocking_as(|tx| {
        let load = |id: UserId| crate::auth::load_principal(tx, id)?.ok_or(E::NotFound);
        let pupils = accounts::class_pupils(tx, class)?;
        let find = |first: &str| -> Result<UserId, E> {
            let p = pupils.iter().find(|u| u.first_name == first);
            p.map(|u| u.id).ok_or(E::NotFound)
        };
        let (aminata, emma, hugo) = (find("Aminata")?, find("Emma")?, find("Hugo")?);
        let today = crate::school::when::local_date(crate::now());
        let key = |day, slot: &str| Key {
            class,
            day,
            slot: slot.into(),
        };
        let teacher = load(teacher)?;
        let marks = [
            (aminata, Presence::Absent),
            (emma, Presence::Absent),
            (hugo, Presence::Late(10)),
        ];
        let yesterday = key(today - time::Duration::days(1), "08:00");
        save(tx, &teacher, &yesterday, "Mathématiques", &marks)?;
        save(
            tx,
            &teacher,
            &key(today, "08:00"),
            "Français",
            &[(emma, Presence::Absent)],
        )?;
        let (mark, parent) = tx.query_row(
            "SELECT m.id, l.parent_id FROM attendance_marks m
             JOIN parent_links l ON l.child_id = m.pupil_id WHERE m.pupil_id = ?1 LIMIT 1",
            [aminata],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        family::justify(
            tx,
            &load(parent)?,
            mark,
            "Rendez-vous chez le médecin ; certificat joint au carnet.",
        )?;
        Ok(())
    })
    .map_err(|e: E| e.to_string())
}

/// A pinned welcome in the school's forum, and a pupil's question answered by the teacher
/// in the first class's.
pub(super) fn seed_forum(
    db: &crate::db::Db,
    teacher: UserId,
    class: ClassId,
) -> Result<(), String> {
    use crate::forum::{ForumError, moderation, posts, topics};
    db.write_blocking_as(|tx| {
        let load = |id: UserId| -> Result<crate::auth::Principal, ForumError> {
            crate::auth::load_principal(tx, id)?.ok_or(ForumError::NotFound)
        };
        let admin: UserId = tx.query_row(
            "SELECT id FROM users WHERE role = 'admin' ORDER BY id LIMIT 1",
            [],
            |r| r.get(0),
        )?;
        let pupils: Vec<UserId> = {
            let mut st = tx.prepare(
                "SELECT user_id FROM class_pupils WHERE class_id = ?1 ORDER BY user_id LIMIT 2",
            )?;
            st.query_map([class], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?
        };
        let (admin, teacher) = (load(admin)?, load(teacher)?);
        let school: crate::ids::CategoryId = tx.query_row(
            "SELECT id FROM forum_categories WHERE kind = 'school'",
            [],
            |r| r.get(0),
        )?;
        let (welcome, _, _) = topics::create(
            tx,
            &admin,
            school,
            "Bienvenue sur le forum de l'école",
            "Le forum est ouvert à tous : élèves, parents et personnels.\n\n\
             - restez courtois ;\n- une question par sujet ;\n- signalez un message qui pose problème.",
        )?;
        moderation::set_flag(tx, &admin, welcome, moderation::Flag::Pinned, true)?;
        if let [asker, friend] = pupils[..] {
            let (asker, friend) = (load(asker)?, load(friend)?);
            let category: crate::ids::CategoryId = tx.query_row(
                "SELECT id FROM forum_categories WHERE class_id = ?1",
                [class],
                |r| r.get(0),
            )?;
            let (topic, _, _) = topics::create(
                tx,
                &asker,
                category,
                "Carte de ma région : quelle échelle ?",
                &format!(
                    "Pour le devoir, faut-il :\n\n1. dessiner toute la région ;\n2. ou seulement \
                     le département ?\n\n@{} tu sais ?",
                    friend.username
                ),
            )?;
            posts::reply(
                tx,
                &teacher,
                topic,
                "Toute la région, avec **les fleuves** et les trois plus grandes villes.",
            )?;
        }
        Ok(())
    })
    .map_err(|e: ForumError| e.to_string())
}
