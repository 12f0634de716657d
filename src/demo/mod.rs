//! The demo school for `make run`: made on the first start, kept afterwards.
//!
//! An evaluator or a new developer should meet a school that looks real (classes, teachers,
//! pupils with the French, African, Portuguese and Arabic names of the schools Cartable is
//! for, so that pages mix both writing directions; parents with children in different
//! classes; teachers who read the portal in English, Portuguese and Arabic) without a setup step. It is made through the same domain
//! functions as the admin pages, in one transaction, with random passwords (never a fixed
//! default) written to `DATA/demo-credentials.txt`, readable by its owner only.

mod life;

use crate::accounts::{self, NewUser};
use crate::auth::{Allowed, Role, generate_password, hash_password_blocking};
use crate::ids::{ClassId, UserId};
use crate::server::Running;
use crate::settings::Settings;
use crate::web::Mode;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Where the demo accounts' passwords are written.
pub const CREDENTIALS_FILE: &str = "demo-credentials.txt";

const SCHOOL_NAME: &str = "Collège Cartable (démo)";
const CLASSES: [&str; 3] = ["6e A", "5e B", "4e C"];

/// (first name, last name, class index). Siblings share a last name across classes.
const PUPILS: [(&str, &str, usize); 60] = [
    ("Aminata", "Diallo", 0),
    ("Emma", "Martin", 0),
    ("Fanja", "Rakotomalala", 0),
    ("Mariam", "Traoré", 0),
    ("Fatou", "Sow", 0),
    ("Louise", "Dubois", 0),
    ("Kwame", "Mensah", 0),
    ("Hugo", "Lefèvre", 0),
    ("João", "Gonçalves", 0),
    ("Aïssatou", "Faye", 0),
    ("Wanjiru", "Kamau", 0),
    ("Cheikh", "Ndiaye", 0),
    ("فاطمة الزهراء", "بنعلي", 0),
    ("Adama", "Diarra", 0),
    ("Ama", "Owusu", 0),
    ("Rasmané", "Sawadogo", 0),
    ("Jules", "Fontaine", 0),
    ("Ngozi", "Eze", 0),
    ("Junior", "Mbarga", 0),
    ("Léa", "Girard", 0),
    ("Lucas", "Martin", 1),
    ("Adjoua", "Kouassi", 1),
    ("Hery", "Rakotomalala", 1),
    ("Chiamaka", "Okafor", 1),
    ("Wendkouni", "Ouédraogo", 1),
    ("Brenda", "Fotso", 1),
    ("Seydou", "Keïta", 1),
    ("Inès", "Faure", 1),
    ("Inês", "Tavares", 1),
    ("يوسف", "العلوي", 1),
    ("Otieno", "Ochieng", 1),
    ("Kadiatou", "Touré", 1),
    ("Manon", "Chevalier", 1),
    ("Konan", "N'Guessan", 1),
    ("Akosua", "Boateng", 1),
    ("Nathan", "Garnier", 1),
    ("Andry", "Rajaonarison", 1),
    ("Oumou", "Sangaré", 1),
    ("Raphaël", "Mercier", 1),
    ("Salimata", "Zongo", 1),
    ("Moussa", "Diallo", 2),
    ("Yao", "Kouassi", 2),
    ("Emeka", "Okafor", 2),
    ("Bakary", "Traoré", 2),
    ("Awa", "Diop", 2),
    ("Ibrahima", "Fall", 2),
    ("Tunde", "Adeyemi", 2),
    ("Jade", "Roux", 2),
    ("Beatriz", "Mondlane", 2),
    ("Mamadou", "Gueye", 2),
    ("سلمى", "بن يوسف", 2),
    ("Khadija", "Ba", 2),
    ("Gabriel", "Guérin", 2),
    ("Kofi", "Asante", 2),
    ("Arthur", "Perrin", 2),
    ("Didier", "Bamba", 2),
    ("Lina", "Marchand", 2),
    ("Estelle", "Ngo Bassa", 2),
    ("Issa", "Ilboudo", 2),
    ("Mamy", "Razafindrakoto", 2),
];

/// (first name, last name, children as indexes into `PUPILS`). The first six have two
/// children each, in different classes.
const PARENTS: [(&str, &str, &[usize]); 20] = [
    ("Mariama", "Diallo", &[0, 40]),
    ("Sophie", "Martin", &[1, 20]),
    ("Aya", "Kouassi", &[21, 41]),
    ("Voahangy", "Rakotomalala", &[2, 22]),
    ("Ngozi", "Okafor", &[23, 42]),
    ("Oumar", "Traoré", &[3, 43]),
    ("Abdou", "Sow", &[4]),
    ("Nathalie", "Dubois", &[5]),
    ("Rasmata", "Ouédraogo", &[24]),
    ("Abena", "Mensah", &[6]),
    ("Jean", "Fotso", &[25]),
    ("Joseph", "Kamau", &[10]),
    ("Isabelle", "Lefèvre", &[7]),
    ("Khady", "Diop", &[44]),
    ("Adama", "Keïta", &[26]),
    ("Kofi", "Owusu", &[14]),
    ("Karim", "Faure", &[27]),
    ("Aïssatou", "Fall", &[45]),
    ("Folake", "Adeyemi", &[46]),
    ("Pierre", "Roux", &[47]),
];

/// (first name, last name, classes taught, language).
const TEACHERS: [(&str, &str, &[usize], Option<&str>); 5] = [
    ("Claire", "Dupont", &[0, 1], None),
    ("Abdoulaye", "Sy", &[1, 2], None),
    ("ليلى", "المنصوري", &[0, 1], Some("ar")),
    ("Ana", "Cardoso", &[0, 2], Some("pt")),
    ("Patrick", "Nkemelu", &[0, 1, 2], Some("en")),
];

/// One demo account as the credentials file lists it.
#[derive(Debug, Clone)]
struct Credential {
    role: Role,
    username: String,
    password: String,
    display_name: String,
    note: String,
}

/// Makes the demo school if the data directory has no accounts yet; otherwise keeps what is
/// there. Runs before the server starts (and takes its lock).
pub async fn ensure(data: &Path) -> Result<(), String> {
    let data = data.to_owned();
    tokio::task::spawn_blocking(move || ensure_blocking(&data))
        .await
        .map_err(|e| format!("the demo school could not be made: {e}"))?
}

fn ensure_blocking(data: &Path) -> Result<(), String> {
    let db = crate::server::open_db(data).map_err(|e| e.to_string())?;
    let accounts: i64 = db
        .read_blocking(|c| Ok(c.query_row("SELECT count(*) FROM users", [], |r| r.get(0))?))
        .map_err(|e| e.to_string())?;
    if accounts > 0 {
        return Ok(());
    }
    let started = std::time::Instant::now();
    println!("making the demo school (first start)...");
    seed(&db, data).map_err(|e| format!("the demo school could not be made: {e}"))?;
    log::info!(
        "demo school made in {:.1} s",
        started.elapsed().as_secs_f32()
    );
    Ok(())
}

/// Someone of the demo school, before their password.
struct Person {
    role: Role,
    first: &'static str,
    last: &'static str,
    /// A fixed, memorable username (the admin's); else one is made from the names.
    username: Option<&'static str>,
    language: Option<&'static str>,
}

/// Everyone in the demo school: the admin, the office, then the teachers, the pupils and
/// the parents, in the order of the tables above.
fn people() -> Vec<Person> {
    let p = |role, first, last, username, language| Person {
        role,
        first,
        last,
        username,
        language,
    };
    let mut out = vec![
        p(Role::Admin, "Jean-Pierre", "Roche", Some("admin"), None),
        p(Role::Staff, "Nadia", "Benali", Some("secretariat"), None),
    ];
    out.extend(
        TEACHERS
            .iter()
            .map(|t| p(Role::Teacher, t.0, t.1, None, t.3)),
    );
    out.extend(PUPILS.iter().map(|x| p(Role::Pupil, x.0, x.1, None, None)));
    out.extend(
        PARENTS
            .iter()
            .map(|x| p(Role::Parent, x.0, x.1, None, None)),
    );
    out
}

/// Hashes every password, spread over the machine's cores (two on the target board): the
/// hashes are what makes seeding take seconds rather than a fraction of one.
fn hash_all(passwords: &[String]) -> Vec<String> {
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(2)
        .clamp(1, 4);
    let chunk = passwords.len().div_ceil(threads).max(1);
    std::thread::scope(|s| {
        let handles: Vec<_> = passwords
            .chunks(chunk)
            .map(|c| {
                s.spawn(move || {
                    c.iter()
                        .map(|p| hash_password_blocking(p))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("a hashing thread panicked"))
            .collect()
    })
}

/// The demo's sample assignment: a title and its instructions.
const DEMO_ASSIGNMENT: (&str, &str) = (
    "Carte de ma région",
    "Dessinez une carte de votre région avec ses fleuves et ses villes, puis déposez-la ici (photo ou PDF).",
);

fn seed(db: &crate::db::Db, data: &Path) -> Result<(), String> {
    let people = people();
    let passwords: Vec<String> = people.iter().map(|_| generate_password()).collect();
    let hashes = hash_all(&passwords);
    let allowed = Allowed::system("demo_school");
    let letters = db
        .write_blocking(|tx| {
            let mut settings = Settings::load(tx)?;
            settings.school_name = SCHOOL_NAME.into();
            settings.default_language = "fr".into();
            settings.save(tx)?;
            let year = settings.school_year.clone();
            let classes: Vec<ClassId> = CLASSES
                .iter()
                .map(|name| accounts::create_class(tx, &allowed, name, &year))
                .collect::<accounts::Result<_>>()?;

            let mut taken: Vec<String> = Vec::new();
            let mut ids: Vec<UserId> = Vec::with_capacity(people.len());
            let mut credentials = Vec::with_capacity(people.len());
            for (i, person) in people.iter().enumerate() {
                let username = match person.username {
                    Some(u) => u.to_owned(),
                    None => accounts::suggest_username(tx, person.first, person.last, &taken)?,
                };
                taken.push(username.clone());
                let new = NewUser {
                    username: username.clone(),
                    first_name: person.first.into(),
                    last_name: person.last.into(),
                    role: Some(person.role),
                    language: person.language.map(str::to_owned),
                };
                // Demo accounts are for looking around at once: no forced password change.
                ids.push(accounts::create_user(
                    tx,
                    &allowed,
                    &new,
                    Some(&hashes[i]),
                    false,
                )?);
                credentials.push(Credential {
                    role: person.role,
                    username,
                    password: passwords[i].clone(),
                    display_name: format!("{} {}", person.first, person.last),
                    note: String::new(),
                });
            }
            // people(): admin, staff, then the teachers, the pupils and the parents.
            let (teachers_at, pupils_at) = (2, 2 + TEACHERS.len());
            let parents_at = pupils_at + PUPILS.len();
            for (t, (_, _, taught, _)) in TEACHERS.iter().enumerate() {
                for k in *taught {
                    accounts::add_member(tx, &allowed, classes[*k], ids[teachers_at + t])?;
                }
                credentials[teachers_at + t].note = class_names(taught);
            }
            for (p, (_, _, k)) in PUPILS.iter().enumerate() {
                accounts::add_member(tx, &allowed, classes[*k], ids[pupils_at + p])?;
                credentials[pupils_at + p].note = CLASSES[*k].into();
            }
            for (p, (_, _, children)) in PARENTS.iter().enumerate() {
                let mut note = Vec::new();
                for c in *children {
                    accounts::link_parent(tx, &allowed, ids[parents_at + p], ids[pupils_at + c])?;
                    note.push(format!(
                        "{} {} ({})",
                        PUPILS[*c].0, PUPILS[*c].1, CLASSES[PUPILS[*c].2]
                    ));
                }
                credentials[parents_at + p].note = format!("parent of {}", note.join(", "));
            }
            // One assignment per class, from its first teacher, due in a week, so that the
            // homework pages have something to show; and a letter from that teacher to the class.
            let mut letters = Vec::new();
            for (k, class) in classes.iter().enumerate() {
                if let Some(t) = TEACHERS
                    .iter()
                    .position(|(_, _, taught, _)| taught.contains(&k))
                {
                    letters.push((
                        ids[teachers_at + t],
                        credentials[teachers_at + t].username.clone(),
                        credentials[teachers_at + t].display_name.clone(),
                        *class,
                        CLASSES[k],
                    ));
                    let teacher = Allowed::demo_as(
                        ids[teachers_at + t],
                        &credentials[teachers_at + t].username,
                    );
                    crate::homework::create(
                        tx,
                        &teacher,
                        *class,
                        DEMO_ASSIGNMENT.0,
                        DEMO_ASSIGNMENT.1,
                        Some(crate::now() + 7 * 24 * 3600),
                    )
                    .map_err(|e| crate::db::Error::Task(format!("the demo assignment: {e}")))?;
                }
            }
            // Written before the commit: should the commit fail, the next start seeds again
            // and overwrites it; should the process die after it, the file is already there.
            write_credentials(data, &credentials)
                .map_err(|e| crate::db::Error::Task(format!("writing the credentials: {e}")))?;
            Ok(letters)
        })
        .map_err(|e| e.to_string())?;
    // After the school exists: mail is stored beside the database, not inside its
    // transaction. Should this fail, the demo merely starts with empty mailboxes.
    let first = letters.first().map(|l| (l.0, l.3));
    for letter in letters {
        if let Err(e) = seed_letter(db, data, letter) {
            log::warn!("the demo's welcome letter was not sent: {e}");
        }
    }
    if let Some((teacher, class)) = first
        && let Err(e) = life::seed_forum(db, teacher, class)
    {
        log::warn!("the demo's forum topics were not written: {e}");
    }
    if let Some((teacher, class)) = first
        && let Err(e) = life::seed_school(db, teacher, class)
    {
        log::warn!("the demo's news and agenda were not written: {e}");
    }
    if let Some((teacher, class)) = first
        && let Err(e) = life::seed_attendance(db, teacher, class)
    {
        log::warn!("the demo's registers were not written: {e}");
    }
    if let Err(e) = crate::school::book::demo::seed(db, data) {
        log::warn!("the demo's homework book was not written: {e}");
    }
    Ok(())
}

/// The welcome letter a class's first teacher sends to the class's list.
fn seed_letter(
    db: &crate::db::Db,
    data: &Path,
    (teacher, username, name, class, class_name): (UserId, String, String, ClassId, &str),
) -> Result<(), String> {
    let settings = db
        .read_blocking(|c| Ok(Settings::load(c)?))
        .map_err(|e| e.to_string())?;
    let domain = settings.mail_domain.clone();
    let mut members = db
        .read_blocking(|c| Ok(crate::mail::route::class_members(c, class)?))
        .map_err(|e| e.to_string())?;
    members.retain(|m| *m != teacher);
    let mut draft = crate::mail::compose::Draft {
        from_name: name.clone(),
        from_addr: crate::mail::address_of(&username, &domain),
        to: vec![(
            class_name.to_owned(),
            crate::mail::address::class_address(class_name, &domain),
        )],
        subject: format!("Bienvenue en {class_name}"),
        body: format!(
            "Bonjour à toutes et à tous,\n\nBienvenue sur l'ENT de la classe. Vous trouverez le \
             premier devoir dans « Devoirs », et les documents de la classe dans « Documents ».\n\n\
             Répondez à ce message si vous avez une question.\n\n{name}"
        ),
        attachments: Vec::new(),
        in_reply_to: None,
        references: Vec::new(),
    };
    let raw = crate::mail::compose::build(&mut draft, &domain).map_err(|e| e.to_string())?;
    let env = crate::mail::Envelope {
        from: draft.from_addr.clone(),
        sender: Some(teacher),
        local: members,
        outside: Vec::new(),
    };
    crate::mail::store::accept_blocking(db, data, &env, &raw).map_err(|e| e.to_string())?;
    Ok(())
}

fn class_names(ks: &[usize]) -> String {
    ks.iter()
        .map(|k| CLASSES[*k])
        .collect::<Vec<_>>()
        .join(", ")
}

fn credentials_path(data: &Path) -> PathBuf {
    data.join(CREDENTIALS_FILE)
}

/// Writes the credentials file, mode 0600, through a temporary file and a rename so that
/// a half-written file never exists.
fn write_credentials(data: &Path, creds: &[Credential]) -> std::io::Result<()> {
    use std::os::unix::fs::OpenOptionsExt;
    let mut text = String::from(
        "# Cartable demo school: every account and its password (random, made on the first start).\n\
         # role\tusername\tpassword\tname\tclasses\n",
    );
    for c in creds {
        text.push_str(&format!(
            "{}\t{}\t{}\t{}\t{}\n",
            c.role, c.username, c.password, c.display_name, c.note
        ));
    }
    let path = credentials_path(data);
    let tmp = data.join(format!("{CREDENTIALS_FILE}.tmp"));
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(&tmp)?;
    f.write_all(text.as_bytes())?;
    f.sync_all()?;
    drop(f);
    std::fs::rename(&tmp, &path)?;
    if let Ok(dir) = std::fs::File::open(data) {
        let _ = dir.sync_all();
    }
    Ok(())
}

/// The credentials file, read back: the first account of each role.
fn read_credentials(data: &Path) -> Option<Vec<Credential>> {
    let text = std::fs::read_to_string(credentials_path(data)).ok()?;
    let mut out = Vec::new();
    for line in text.lines().filter(|l| !l.starts_with('#')) {
        let mut f = line.split('\t');
        let (Some(role), Some(username), Some(password)) = (f.next(), f.next(), f.next()) else {
            continue;
        };
        let Some(role) = Role::parse(role) else {
            continue;
        };
        out.push(Credential {
            role,
            username: username.into(),
            password: password.into(),
            display_name: f.next().unwrap_or("").into(),
            note: f.next().unwrap_or("").into(),
        });
    }
    Some(out)
}

/// Prints where the portal is and a few accounts to log in with, on every start.
pub fn print_welcome(data: &Path, running: &Running) {
    let portal = running
        .http
        .iter()
        .find(|(_, mode)| matches!(mode, Mode::Portal { .. }))
        .map(|(addr, _)| format!("http://{addr}/"))
        .or_else(|| running.https.first().map(|a| format!("https://{a}/")));
    println!();
    println!("Cartable demo school: {SCHOOL_NAME}");
    if let Some(url) = portal {
        println!("  open {url}");
    }
    match read_credentials(data) {
        Some(creds) if !creds.is_empty() => {
            println!("  log in as:");
            for role in [Role::Admin, Role::Teacher, Role::Pupil, Role::Parent] {
                if let Some(c) = creds.iter().find(|c| c.role == role) {
                    let note = if c.note.is_empty() {
                        String::new()
                    } else {
                        format!(" ({})", c.note)
                    };
                    println!(
                        "    {:<8} {:<22} {}   {}{note}",
                        role.as_str(),
                        c.username,
                        c.password,
                        c.display_name
                    );
                }
            }
            println!(
                "  every account and password: {}",
                credentials_path(data).display()
            );
        }
        _ => println!(
            "  no {} in {}: this data directory was not made by the demo; use `cartable user passwd` to set a password",
            CREDENTIALS_FILE,
            data.display()
        ),
    }
    println!(
        "  stop with Ctrl-C; the data stays in {} for the next start",
        data.display()
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_school_is_big_enough_and_its_families_cross_classes() {
        assert!(CLASSES.len() >= 3);
        assert_eq!(TEACHERS.len(), 5);
        assert_eq!(PUPILS.len(), 60);
        for k in 0..CLASSES.len() {
            assert!(PUPILS.iter().filter(|p| p.2 == k).count() >= 15);
            assert!(TEACHERS.iter().any(|t| t.2.contains(&k)));
        }
        let mut children: Vec<usize> = PARENTS.iter().flat_map(|p| p.2.iter().copied()).collect();
        let n = children.len();
        children.sort();
        children.dedup();
        assert_eq!(children.len(), n, "a child has two parent accounts");
        let cross = PARENTS
            .iter()
            .filter(|p| p.2.len() == 2 && PUPILS[p.2[0]].2 != PUPILS[p.2[1]].2)
            .count();
        assert!(cross >= 3);
        for p in &PARENTS {
            for c in p.2 {
                assert_eq!(PUPILS[*c].1, p.1, "{} is not {}'s child", PUPILS[*c].0, p.0);
            }
        }
    }

    #[test]
    fn seeding_makes_the_school_and_the_credentials_file() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        ensure_blocking(dir.path()).unwrap();
        let path = credentials_path(dir.path());
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        let creds = read_credentials(dir.path()).unwrap();
        assert_eq!(creds.len(), people().len());
        assert!(creds.iter().all(|c| c.password.len() == 12));
        let before = std::fs::read(&path).unwrap();
        // A second start keeps everything.
        ensure_blocking(dir.path()).unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), before);
        let db = crate::server::open_db(dir.path()).unwrap();
        let (users, links, classes, name) = db
            .read_blocking(|c| {
                let q = |sql: &str| -> rusqlite::Result<i64> { c.query_row(sql, [], |r| r.get(0)) };
                Ok((
                    q("SELECT count(*) FROM users WHERE must_change_password = 0 AND password_hash IS NOT NULL")?,
                    q("SELECT count(*) FROM parent_links")?,
                    q("SELECT count(*) FROM classes")?,
                    Settings::load(c)?.school_name,
                ))
            })
            .unwrap();
        assert_eq!(users as usize, people().len());
        assert_eq!(links, 26);
        assert_eq!(classes, 3);
        assert_eq!(name, SCHOOL_NAME);
        // Every pupil has the welcome letter of their class's teacher.
        let (pupils_with_mail, sent): (i64, i64) = db
            .read_blocking(|c| {
                Ok(c.query_row(
                    "SELECT (SELECT count(DISTINCT e.user_id) FROM mail_entries e JOIN users u
                               ON u.id = e.user_id WHERE u.role = 'pupil' AND e.folder = 'inbox'),
                            (SELECT count(*) FROM mail_entries WHERE folder = 'sent')",
                    [],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )?)
            })
            .unwrap();
        assert_eq!(pupils_with_mail as usize, PUPILS.len());
        assert_eq!(sent, 3);
        // And the forum has its pinned welcome and a question answered.
        let (topics, posts, pinned): (i64, i64, i64) = db
            .read_blocking(|c| {
                Ok(c.query_row(
                    "SELECT count(*), sum(posts), sum(pinned) FROM forum_topics",
                    [],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                )?)
            })
            .unwrap();
        assert_eq!((topics, posts, pinned), (2, 3, 1));
        // The news, the agenda and every class's homework book have their first entries.
        let (news, must, events, books): (i64, i64, i64, i64) = db
            .read_blocking(|c| {
                Ok(c.query_row(
                    "SELECT (SELECT count(*) FROM news), (SELECT sum(must_read) FROM news),
                            (SELECT count(*) FROM events),
                            (SELECT count(DISTINCT class_id) FROM book_entries)",
                    [],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
                )?)
            })
            .unwrap();
        assert_eq!((news, must, events, books), (2, 1, 3, CLASSES.len() as i64));
        // Two registers: three marks yesterday, one today, one justification sent.
        let marks: (i64, i64, i64) = db
            .read_blocking(|c| {
                Ok(c.query_row(
                    "SELECT (SELECT count(*) FROM registers), (SELECT count(*) FROM attendance_marks),
                            (SELECT count(family_note) FROM attendance_marks)",
                    [],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                )?)
            })
            .unwrap();
        assert_eq!(marks, (2, 4, 1));
    }
}
