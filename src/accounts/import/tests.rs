//! The import against a real (temporary) database: files as offices save them, and the
//! all-or-nothing promise.

use super::*;
use crate::accounts::{
    NewUser, class_pupils, class_teachers, create_class, create_user, find_class, get_user_by_name,
    test_db,
};
use crate::auth::{Allowed, Role};
use crate::db::Db;

const YEAR: &str = "2026-2027";

fn planned(db: &Db, bytes: &[u8]) -> Plan {
    db.read_blocking(|c| Ok(plan(c, bytes, YEAR, &Role::ALL)?))
        .unwrap()
        .expect("the file reads")
}

fn import(db: &Db, bytes: &[u8]) -> std::result::Result<Summary, Refusal> {
    let allowed = Allowed::system("import_accounts");
    db.write_blocking(|tx| Ok(apply(tx, &allowed, bytes, "liste.csv", YEAR, &Role::ALL)?))
        .unwrap()
}

fn count(db: &Db, table: &str) -> i64 {
    db.read_blocking(|c| {
        Ok(c.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))?)
    })
    .unwrap()
}

#[test]
fn french_excel_file_with_bom_semicolons_and_accents() {
    let (_dir, db) = test_db();
    let file = "\u{feff}NOM;Prénom;Classe\r\nN'Diaye;Aïssata;6e A\r\nLefèvre;Jean-Baptiste;6e A\r\n\r\nRakotomalala;Fanja;5e B\r\n";
    let p = planned(&db, file.as_bytes());
    assert!(p.is_clean(), "{:?}", p.lines);
    assert_eq!(p.separator, ';');
    let names: Vec<&str> = p.lines.iter().map(|l| l.username.as_str()).collect();
    assert_eq!(
        names,
        [
            "aissata.ndiaye",
            "jean-baptiste.lefevre",
            "fanja.rakotomalala"
        ]
    );
    assert_eq!(p.lines[2].line, 5, "the blank line still counts");
    assert_eq!(p.new_classes().count(), 2);

    let s = import(&db, file.as_bytes()).expect("imported");
    assert_eq!(s.accounts, 3);
    let u = db
        .read_blocking(|c| Ok(get_user_by_name(c, "aissata.ndiaye")?))
        .unwrap();
    assert_eq!(u.display_name, "Aïssata N'Diaye");
    assert_eq!(u.role, Role::Pupil);
    assert!(
        !u.has_password,
        "nobody logs in before the slips are printed"
    );
    let (a, b) = db
        .read_blocking(|c| Ok((find_class(c, "6e A", YEAR)?, find_class(c, "5e B", YEAR)?)))
        .unwrap();
    let a = a.expect("6e A was created");
    assert!(b.is_some(), "5e B was created");
    let pupils = db.read_blocking(|c| Ok(class_pupils(c, a)?)).unwrap();
    assert_eq!(pupils.len(), 2);
    // One entry for the file, besides those of each account, class and membership.
    let n: i64 = db
        .read_blocking(|c| {
            Ok(c.query_row(
                "SELECT count(*) FROM audit_log WHERE target = 'file liste.csv' AND detail LIKE 'imported 3 accounts%'",
                [],
                |r| r.get(0),
            )?)
        })
        .unwrap();
    assert_eq!(n, 1);
}

#[test]
fn english_header_with_commas_quotes_and_optional_columns() {
    let (_dir, db) = test_db();
    let file = b"Last name,First name,Class,Username,Role,Language\n\
        \"Mensah, Jr\",Kwame,4C,,,\n\
        Okafor,Chiamaka,4C,chiamaka,student,English\n\
        Asante,Kofi,,,parent,fr\n";
    let p = planned(&db, file);
    assert!(p.is_clean(), "{:?}", p.lines);
    assert_eq!(p.separator, ',');
    assert_eq!(p.lines[0].last_name, "Mensah, Jr");
    assert_eq!(p.lines[0].username, "kwame.mensah-jr");
    assert_eq!(p.lines[1].username, "chiamaka");
    assert!(p.lines[1].username_given);
    assert_eq!(p.lines[1].language, Some("en"));
    assert_eq!(p.lines[2].role, Role::Parent);
    assert!(p.lines[2].classes.is_empty());
    import(&db, file).expect("imported");
    assert_eq!(count(&db, "users"), 3);
}

#[test]
fn one_broken_line_refuses_the_whole_file_and_writes_nothing() {
    let (_dir, db) = test_db();
    let file = "nom;prénom;classe;rôle\n\
        Diallo;Aminata;6e A;élève\n\
        Sow;;6e A;élève\n\
        Ba;Khady;6e A;directeur\n\
        Diop;Awa;6e A;élève;en trop\n\
        Fall;Ibrahima;6e A;élève\n";
    let p = planned(&db, file.as_bytes());
    assert_eq!(p.lines_with_problems(), 3);
    assert_eq!(p.lines[1].problems, [Problem::FirstNameMissing]);
    assert_eq!(p.lines[2].problems, [Problem::BadRole("directeur".into())]);
    assert_eq!(
        p.lines[3].problems,
        [Problem::FieldCount {
            expected: 4,
            found: 5
        }]
    );
    match import(&db, file.as_bytes()) {
        Err(Refusal::Problems(p)) => assert_eq!(p.lines_with_problems(), 3),
        other => panic!("imported anyway: {other:?}"),
    }
    for table in ["users", "classes", "class_pupils", "audit_log"] {
        assert_eq!(count(&db, table), 0, "{table} was written");
    }
}

#[test]
fn usernames_duplicate_in_the_file_or_taken_in_the_database() {
    let (_dir, db) = test_db();
    db.write_blocking(|tx| {
        let new = NewUser {
            username: "awa.diop".into(),
            first_name: "Awa".into(),
            last_name: "Diop".into(),
            role: Some(Role::Teacher),
            language: None,
        };
        create_user(tx, &Allowed::system("create_account"), &new, None, true)?;
        Ok(())
    })
    .unwrap();
    let file = "nom;prénom;identifiant\n\
        Diop;Awa;\n\
        Diop;Awa2;\n\
        Ndiaye;Moussa;moussa\n\
        Ndiaye;Moussa Junior;moussa\n\
        Sarr;Ousmane;Ousmane Sarr\n\
        Ba;Khady;awa.diop\n";
    let p = planned(&db, file.as_bytes());
    // Suggestions avoid the database and the rest of the file.
    assert_eq!(p.lines[0].username, "awa.diop2");
    assert!(p.lines[0].problems.is_empty());
    assert_eq!(p.lines[2].username, "moussa");
    assert!(p.lines[2].problems.is_empty());
    assert_eq!(
        p.lines[3].problems,
        [Problem::UsernameDuplicate {
            username: "moussa".into(),
            line: 4
        }]
    );
    assert_eq!(
        p.lines[4].problems,
        [Problem::UsernameInvalid("ousmane sarr".into())]
    );
    assert_eq!(
        p.lines[5].problems,
        [Problem::UsernameTaken("awa.diop".into())]
    );
    // A suggested name never collides with one the file gives further down.
    let p = planned(
        &db,
        "nom;prénom;identifiant\nNdiaye;Moussa;\nX;Y;moussa.ndiaye\n".as_bytes(),
    );
    assert!(p.is_clean(), "{:?}", p.lines);
    assert_eq!(p.lines[0].username, "moussa.ndiaye2");
}

#[test]
fn latin1_file_is_refused_with_a_hint() {
    let (_dir, db) = test_db();
    let file = b"nom;pr\xe9nom;classe\nMoreau;Chlo\xe9;6e A\n";
    let err = db
        .read_blocking(|c| Ok(plan(c, file, YEAR, &Role::ALL)?))
        .unwrap()
        .unwrap_err();
    assert_eq!(err, FileError::NotUtf8(1));
    let i18n = crate::i18n::I18n::new();
    assert!(err.message(&i18n, "fr").contains("CSV UTF-8"));
    assert!(err.message(&i18n, "en").contains("CSV UTF-8"));
    assert!(matches!(
        import(&db, file),
        Err(Refusal::File(FileError::NotUtf8(1)))
    ));
    assert_eq!(count(&db, "users"), 0);
}

#[test]
fn classes_are_made_once_and_teachers_attached() {
    let (_dir, db) = test_db();
    let existing = db
        .write_blocking(|tx| {
            Ok(create_class(
                tx,
                &Allowed::system("manage_classes"),
                "5e B",
                YEAR,
            )?)
        })
        .unwrap();
    let file = "nom;prénom;classe;rôle\n\
        Kouassi;Yao;6e A;\n\
        Traoré;Mariam;6E A;élève\n\
        Dupont;Claire;6e A + 5E B;enseignante\n\
        Sy;Abdoulaye;5e B;prof\n";
    let p = planned(&db, file.as_bytes());
    assert!(p.is_clean(), "{:?}", p.lines);
    let new: Vec<&str> = p.new_classes().map(|c| c.name.as_str()).collect();
    assert_eq!(new, ["6e A"], "6E A is the same class; 5e B exists");
    assert_eq!(p.classes[0].pupils, 2);
    assert_eq!(p.classes[0].teachers, 1);
    let s = import(&db, file.as_bytes()).expect("imported");
    assert_eq!(s.classes.iter().filter(|c| c.new).count(), 1);
    let six = db
        .read_blocking(|c| Ok(find_class(c, "6e A", YEAR)?))
        .unwrap()
        .unwrap();
    let t6 = db.read_blocking(|c| Ok(class_teachers(c, six)?)).unwrap();
    let t5 = db
        .read_blocking(|c| Ok(class_teachers(c, existing)?))
        .unwrap();
    assert_eq!(
        t6.iter().map(|u| u.username.as_str()).collect::<Vec<_>>(),
        ["claire.dupont"]
    );
    let mut names: Vec<&str> = t5.iter().map(|u| u.username.as_str()).collect();
    names.sort();
    assert_eq!(names, ["abdoulaye.sy", "claire.dupont"]);
    assert_eq!(count(&db, "classes"), 2);
}

#[test]
fn the_same_list_twice_is_caught() {
    let (_dir, db) = test_db();
    let file = "nom;prénom;classe\nDiallo;Aminata;6e A\nDiallo;Aminata;6e A\n";
    let p = planned(&db, file.as_bytes());
    assert_eq!(p.lines[1].problems, [Problem::DuplicatePerson { line: 2 }]);
    let once = "nom;prénom;classe\nDiallo;Aminata;6e A\n";
    import(&db, once.as_bytes()).expect("imported");
    let again = planned(&db, "NOM;PRENOM;CLASSE\nDIALLO;AMINATA;6e a\n".as_bytes());
    assert_eq!(
        again.lines[0].problems,
        [Problem::AlreadyInClass {
            username: "aminata.diallo".into(),
            class: "6e a".into()
        }]
    );
    // A namesake on purpose: a username of their own.
    let namesake = planned(
        &db,
        "nom;prénom;classe;identifiant\nDiallo;Aminata;6e A;aminata.diallo.b\n".as_bytes(),
    );
    assert!(namesake.is_clean(), "{:?}", namesake.lines);
    // Without a class, the same names and role are the same person.
    import(&db, "nom;prénom;rôle\nOkafor;Ngozi;parent\n".as_bytes()).expect("imported");
    let again = planned(
        &db,
        "nom;prénom;rôle\nOKAFOR;Ngozi;parent\nOkafor;Ngozi;enseignante\n".as_bytes(),
    );
    assert_eq!(
        again.lines[0].problems,
        [Problem::AlreadyExists {
            username: "ngozi.okafor".into()
        }]
    );
    assert!(
        again.lines[1].problems.is_empty(),
        "a teacher is someone else"
    );
}

#[test]
fn office_cannot_import_admins_and_classes_are_for_pupils_and_teachers() {
    let (_dir, db) = test_db();
    let file = "nom;prénom;classe;rôle\nRoche;Jean;;admin\nBenali;Nadia;6e A;staff\n";
    let office = [Role::Teacher, Role::Pupil, Role::Parent];
    let p = db
        .read_blocking(|c| Ok(plan(c, file.as_bytes(), YEAR, &office)?))
        .unwrap()
        .unwrap();
    assert_eq!(p.lines[0].problems, [Problem::RoleNotAllowed(Role::Admin)]);
    assert_eq!(
        p.lines[1].problems,
        [
            Problem::RoleNotAllowed(Role::Staff),
            Problem::ClassNotForRole(Role::Staff)
        ]
    );
}

#[test]
fn limits_and_unclosed_quotes() {
    let (_dir, db) = test_db();
    let mut big = String::from("nom;prénom\n");
    for i in 0..=MAX_ROWS {
        big.push_str(&format!("N{i};P{i}\n"));
    }
    assert_eq!(check_file(big.as_bytes()), Err(FileError::TooManyRows));
    assert_eq!(
        check_file(&vec![b'a'; MAX_BYTES + 1]),
        Err(FileError::TooLarge)
    );
    let p = planned(&db, b"nom;prenom\nBa;\"Khady\nSow;Fatou\n");
    assert!(p.lines[0].problems.contains(&Problem::UnclosedQuote));
}

#[test]
fn every_message_is_in_the_catalogs() {
    let i18n = crate::i18n::I18n::new();
    let problems = [
        Problem::FieldCount {
            expected: 3,
            found: 4,
        },
        Problem::UnclosedQuote,
        Problem::LastNameMissing,
        Problem::FirstNameMissing,
        Problem::NameTooLong,
        Problem::BadRole("x".into()),
        Problem::RoleNotAllowed(Role::Admin),
        Problem::BadLanguage("x".into()),
        Problem::UsernameInvalid("x".into()),
        Problem::UsernameTaken("x".into()),
        Problem::UsernameDuplicate {
            username: "x".into(),
            line: 2,
        },
        Problem::ClassInvalid("x".into()),
        Problem::ClassNotForRole(Role::Parent),
        Problem::AlreadyInClass {
            username: "x".into(),
            class: "y".into(),
        },
        Problem::AlreadyExists {
            username: "x".into(),
        },
        Problem::DuplicatePerson { line: 2 },
    ];
    for lang in ["fr", "en"] {
        for p in &problems {
            let m = p.message(&i18n, lang);
            assert!(!m.contains('{') && !m.starts_with("import"), "{m}");
        }
        for e in [
            FileError::TooLarge,
            FileError::TooManyRows,
            FileError::NotUtf8(3),
            FileError::Unreadable(3),
            FileError::Empty,
            FileError::NoRows,
            FileError::MissingColumns {
                missing: vec![Field::FirstName],
                found: "a".into(),
            },
            FileError::DuplicateColumn("nom".into()),
        ] {
            let m = e.message(&i18n, lang);
            assert!(!m.contains('{') && !m.starts_with("import"), "{m}");
        }
    }
}

#[test]
fn a_language_is_read_by_code_or_by_name_in_any_language() {
    use super::plan::parse_language;
    for (text, code) in [
        ("fr", "fr"),
        ("FR", "fr"),
        ("Français", "fr"),
        ("anglais", "en"),
        ("pt-AO", "pt"),
        ("Português", "pt"),
        ("portugais", "pt"),
        ("العربية", "ar"),
        ("Arabe", "ar"),
        ("ar-MA", "ar"),
        ("الإنجليزية", "en"),
        ("الفرنسية", "fr"),
    ] {
        assert_eq!(parse_language(text), Some(code), "{text}");
    }
    assert_eq!(parse_language("wolof"), None);
    assert_eq!(parse_language("de"), None);
}
