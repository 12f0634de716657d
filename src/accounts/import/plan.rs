//! From rows to accounts: for every line, the account it would make and every problem it
//! has, checked against the database and against the rest of the file. Writes nothing, so
//! the preview and the import itself run the very same rules.

use super::read::{self, Field, Row, Sheet, fold_header};
use super::{FileError, Plan, PlannedClass, PlannedLine, Problem};
use crate::accounts::{
    AccountError, Result, check_username, clean_class_name, clean_name, find_class,
    suggest_username, username_exists,
};
use crate::auth::Role;
use crate::ids::ClassId;
use rusqlite::Connection;
use std::collections::HashMap;
use std::collections::hash_map::Entry;

/// Plans the import of `bytes`: who would be created, in which classes (made in
/// `school_year` when missing), and each line's problems. `creatable` are the roles the
/// person importing may create (the policy decides them; the command line may create all).
///
/// The outer error is the database failing; the inner one, a file that cannot be read.
pub fn plan(
    conn: &Connection,
    bytes: &[u8],
    school_year: &str,
    creatable: &[Role],
) -> Result<std::result::Result<Plan, FileError>> {
    let sheet = match read::read(bytes) {
        Ok(s) => s,
        Err(e) => return Ok(Err(e)),
    };
    let mut lines: Vec<PlannedLine> = sheet
        .rows
        .iter()
        .map(|row| line_alone(&sheet, row, creatable))
        .collect();
    check_usernames(conn, &mut lines)?;
    let classes = check_classes(conn, &mut lines, school_year)?;
    Ok(Ok(Plan {
        separator: sheet.separator,
        ignored_columns: sheet.ignored.clone(),
        school_year: school_year.to_owned(),
        lines,
        classes,
    }))
}

/// Spaces collapsed, so that `DIALLO  Aminata ` and `DIALLO Aminata` are one name.
fn squeeze(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A language as an office writes it: a code (`fr`, `pt-AO`), the language's own name
/// (`Français`, `Português`, `العربية`) or its name in another of the portal's languages.
pub(super) fn parse_language(s: &str) -> Option<&'static str> {
    const NAMES: &[(&str, &[&str])] = &[
        ("fr", &["français", "french", "francês", "الفرنسية"]),
        ("en", &["english", "anglais", "inglês", "الإنجليزية"]),
        (
            "pt",
            &["português", "portugais", "portuguese", "البرتغالية"],
        ),
        ("ar", &["العربية", "arabe", "arabic", "árabe"]),
    ];
    let folded = fold_header(s);
    NAMES
        .iter()
        .find(|(_, names)| names.iter().any(|n| fold_header(n) == folded))
        .map(|(code, _)| *code)
        .or_else(|| crate::i18n::supported(s))
}

/// The checks a line needs no one else for: field count, names, role, language, class names.
fn line_alone(sheet: &Sheet, row: &Row, creatable: &[Role]) -> PlannedLine {
    let mut problems = Vec::new();
    let used = row
        .fields
        .iter()
        .rposition(|f| !f.trim().is_empty())
        .map_or(0, |i| i + 1);
    if row.fields.len() < sheet.width {
        problems.push(Problem::FieldCount {
            expected: sheet.width,
            found: row.fields.len(),
        });
    } else if used > sheet.width {
        // Spreadsheets pad rows with empty fields; only non-empty extras are a fault.
        problems.push(Problem::FieldCount {
            expected: sheet.width,
            found: used,
        });
    }
    if row.fields.iter().any(|f| f.contains(['\n', '\r'])) {
        problems.push(Problem::UnclosedQuote);
    }
    let name = |field: Field, missing: Problem, problems: &mut Vec<Problem>| {
        let raw = squeeze(sheet.get(row, field));
        match clean_name(&raw) {
            Ok(n) => n,
            Err(AccountError::NameTooLong) => {
                problems.push(Problem::NameTooLong);
                raw
            }
            Err(_) => {
                problems.push(missing);
                raw
            }
        }
    };
    let last_name = name(Field::LastName, Problem::LastNameMissing, &mut problems);
    let first_name = name(Field::FirstName, Problem::FirstNameMissing, &mut problems);

    let role_text = sheet.get(row, Field::Role);
    let role = if role_text.is_empty() {
        Role::Pupil
    } else {
        // `élèves`, `parents`, as a header-minded office may write them.
        match Role::parse(role_text).or_else(|| role_text.strip_suffix('s').and_then(Role::parse)) {
            Some(r) => r,
            None => {
                problems.push(Problem::BadRole(role_text.to_owned()));
                Role::Pupil
            }
        }
    };
    if !creatable.contains(&role) {
        problems.push(Problem::RoleNotAllowed(role));
    }

    let lang_text = sheet.get(row, Field::Language);
    let language = if lang_text.is_empty() {
        None
    } else {
        let l = parse_language(lang_text);
        if l.is_none() {
            problems.push(Problem::BadLanguage(lang_text.to_owned()));
        }
        l
    };

    let class_text = squeeze(sheet.get(row, Field::Class));
    let mut classes = Vec::new();
    if !class_text.is_empty() {
        // A teacher may teach several classes: `6e A + 5e B`.
        let names: Vec<&str> = if role == Role::Teacher {
            class_text.split('+').map(str::trim).collect()
        } else {
            vec![class_text.as_str()]
        };
        for n in names {
            match clean_class_name(n) {
                Ok(c) => {
                    if !classes
                        .iter()
                        .any(|k: &String| fold_class(k) == fold_class(&c))
                    {
                        classes.push(c);
                    }
                }
                Err(_) => problems.push(Problem::ClassInvalid(n.to_owned())),
            }
        }
        if !matches!(role, Role::Pupil | Role::Teacher) {
            problems.push(Problem::ClassNotForRole(role));
        }
    }

    let username = sheet.get(row, Field::Username).to_lowercase();
    PlannedLine {
        line: row.line,
        last_name,
        first_name,
        username_given: !username.is_empty(),
        username,
        role,
        language,
        classes,
        problems,
    }
}

/// Given usernames: valid, free in the database, used once in the file. Then a suggestion
/// for every other line, unique against the database and the whole file.
fn check_usernames(conn: &Connection, lines: &mut [PlannedLine]) -> Result<()> {
    let mut first_use: HashMap<String, u64> = HashMap::new();
    for l in lines.iter_mut().filter(|l| l.username_given) {
        if check_username(&l.username).is_err() {
            l.problems
                .push(Problem::UsernameInvalid(l.username.clone()));
        } else if username_exists(conn, &l.username)? {
            l.problems.push(Problem::UsernameTaken(l.username.clone()));
        }
        match first_use.get(&l.username) {
            Some(line) => l.problems.push(Problem::UsernameDuplicate {
                username: l.username.clone(),
                line: *line,
            }),
            None => {
                first_use.insert(l.username.clone(), l.line);
            }
        }
    }
    let mut taken: Vec<String> = first_use.into_keys().collect();
    for l in lines.iter_mut().filter(|l| !l.username_given) {
        if l.last_name.is_empty() && l.first_name.is_empty() {
            continue;
        }
        let u = suggest_username(conn, &l.first_name, &l.last_name, &taken)?;
        taken.push(u.clone());
        l.username = u;
    }
    Ok(())
}

/// A class name folded the way the file is matched: case and spaces ignored.
pub(super) fn fold_class(name: &str) -> String {
    squeeze(name).to_lowercase()
}

/// A person's names folded for "is this the same person?": accents, case, punctuation off.
fn fold_person(first: &str, last: &str) -> String {
    format!("{}|{}", fold_header(first), fold_header(last))
}

/// The classes the file names (which exist, which are new), and people already in them (or,
/// for a line without a class, already an account of that role) or twice in the file. A line that gives its own username means a namesake on purpose and
/// skips the "same person" checks.
fn check_classes(
    conn: &Connection,
    lines: &mut [PlannedLine],
    school_year: &str,
) -> Result<Vec<PlannedClass>> {
    let mut classes: Vec<PlannedClass> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut members: HashMap<ClassId, Vec<(String, String)>> = HashMap::new();
    let mut seen: HashMap<(Role, String, String), u64> = HashMap::new();
    let mut by_role: HashMap<Role, Vec<(String, String)>> = HashMap::new();
    for l in lines.iter_mut() {
        let person = fold_person(&l.first_name, &l.last_name);
        let class_keys: Vec<String> = if l.classes.is_empty() {
            vec![String::new()]
        } else {
            l.classes.iter().map(|c| fold_class(c)).collect()
        };
        for (n, key) in class_keys.iter().enumerate() {
            if !key.is_empty() {
                let i = match index.get(key) {
                    Some(i) => *i,
                    None => {
                        let name = l.classes[n].clone();
                        let existing = find_class(conn, &name, school_year)?;
                        classes.push(PlannedClass {
                            name,
                            existing,
                            pupils: 0,
                            teachers: 0,
                        });
                        index.insert(key.clone(), classes.len() - 1);
                        classes.len() - 1
                    }
                };
                match l.role {
                    Role::Teacher => classes[i].teachers += 1,
                    Role::Pupil => classes[i].pupils += 1,
                    _ => {}
                }
                if let Some(id) = classes[i].existing
                    && !l.username_given
                {
                    if let Entry::Vacant(e) = members.entry(id) {
                        e.insert(class_members(conn, id)?);
                    }
                    let people = &members[&id];
                    if let Some((_, username)) = people.iter().find(|(p, _)| *p == person) {
                        l.problems.push(Problem::AlreadyInClass {
                            username: username.clone(),
                            class: classes[i].name.clone(),
                        });
                    }
                }
            }
            if l.username_given || (l.first_name.is_empty() && l.last_name.is_empty()) {
                continue;
            }
            if key.is_empty() {
                // No class to tell people apart: an account of the same role and names is
                // most likely this person, from an earlier import.
                if let Entry::Vacant(e) = by_role.entry(l.role) {
                    e.insert(accounts_of_role(conn, l.role)?);
                }
                if let Some((_, username)) = by_role[&l.role].iter().find(|(p, _)| *p == person) {
                    l.problems.push(Problem::AlreadyExists {
                        username: username.clone(),
                    });
                }
            }
            match seen.get(&(l.role, person.clone(), key.clone())) {
                Some(line) => {
                    let p = Problem::DuplicatePerson { line: *line };
                    if !l.problems.contains(&p) {
                        l.problems.push(p);
                    }
                }
                None => {
                    seen.insert((l.role, person.clone(), key.clone()), l.line);
                }
            }
        }
    }
    Ok(classes)
}

/// Every account of a role, as (folded names, username).
fn accounts_of_role(conn: &Connection, role: Role) -> Result<Vec<(String, String)>> {
    let mut stmt =
        conn.prepare("SELECT first_name, last_name, username FROM users WHERE role = ?1")?;
    let rows = stmt.query_map([role], |r| {
        Ok((
            fold_person(&r.get::<_, String>(0)?, &r.get::<_, String>(1)?),
            r.get::<_, String>(2)?,
        ))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Everyone in a class, pupils and teachers, as (folded names, username).
fn class_members(conn: &Connection, class: ClassId) -> Result<Vec<(String, String)>> {
    let mut stmt = conn.prepare(
        "SELECT u.first_name, u.last_name, u.username FROM users u
         WHERE u.id IN (SELECT user_id FROM class_pupils WHERE class_id = ?1
                        UNION SELECT user_id FROM class_teachers WHERE class_id = ?1)",
    )?;
    let rows = stmt.query_map([class], |r| {
        Ok((
            fold_person(&r.get::<_, String>(0)?, &r.get::<_, String>(1)?),
            r.get::<_, String>(2)?,
        ))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
