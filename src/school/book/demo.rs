//! The demo school's homework book (`make run`): for each class and each of its teachers, a
//! subject of their own and a few entries around this week, some with work due in the next
//! days, so that a pupil's or a parent's week, day and dashboard all have something to show.
//! Written through [`write::create`] as the teacher, like any entry.

use super::write::{self, Draft};
use super::*;
use crate::auth::load_principal;

/// The subjects handed out to the teachers of each class, in turn.
const SUBJECTS: [&str; 6] = [
    "Mathématiques",
    "Français",
    "Histoire-géographie",
    "Anglais",
    "Sciences de la vie et de la Terre",
    "Physique-chimie",
];

/// (days from today for the lesson, what was done, what to do, days from the lesson it is due).
const LESSONS: [(i64, &str, &str, i64); 3] = [
    (
        -2,
        "Correction du contrôle. Début du chapitre 5 : cours et exemples.",
        "Relire le cours. Exercices 3 et 4 page 52.",
        3,
    ),
    (
        0,
        "Exercices en groupes, mise en commun.",
        "Terminer la fiche d'exercices.",
        1,
    ),
    (1, "Suite du chapitre 5.", "", 0),
];

/// Writes the entries; the database is the demo's, freshly made.
pub fn seed(db: &crate::db::Db, data_dir: &std::path::Path) -> std::result::Result<(), String> {
    db.write_blocking_as(|tx| {
        let pairs: Vec<(ClassId, UserId)> = {
            let mut stmt = tx.prepare(
                "SELECT class_id, user_id FROM class_teachers ORDER BY class_id, user_id",
            )?;
            let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        let today = when::local_date(crate::now());
        let day = |n: i64| format_date(today + time::Duration::days(n));
        for (n, (class, teacher)) in pairs.into_iter().enumerate() {
            let Some(who) = load_principal(tx, teacher)? else {
                continue;
            };
            let subject = SUBJECTS[n % SUBJECTS.len()];
            for (k, (lesson, done, work, due)) in LESSONS.iter().enumerate() {
                // Spread the teachers' lessons over the week.
                let lesson = lesson + (n as i64 % 3) - (k as i64 % 2);
                let draft = Draft {
                    subject: subject.into(),
                    lesson_day: day(lesson),
                    done: (*done).into(),
                    work: (*work).into(),
                    due_day: if work.is_empty() {
                        String::new()
                    } else {
                        day(lesson + due)
                    },
                    ..Draft::default()
                };
                write::create(tx, &who, data_dir, class, &draft, Vec::new())?;
            }
        }
        Ok::<_, SchoolError>(())
    })
    .map_err(|e| e.to_string())
}
