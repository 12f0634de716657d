//! Properties of the class-list import: whatever bytes arrive, reading gives rows or a file
//! error and planning gives a plan, never a panic; a list written by a spreadsheet (any of
//! the three separators, a BOM or not, CRLF or LF, quotes where needed) reads back the values
//! it holds; and an import is all or nothing, over a database that earlier imports filled.

use super::*;
use crate::accounts::{check_username, test_db};
use crate::auth::{Allowed, Role};
use crate::db::Db;
use proptest::prelude::*;

const YEAR: &str = "2026-2027";

/// A list as a spreadsheet saves it.
#[derive(Debug, Clone)]
struct Sheet {
    separator: u8,
    bom: bool,
    /// CRLF (Windows), LF, or CR alone (old Mac Excel).
    ending: &'static str,
    columns: Vec<(Field, String)>,
    rows: Vec<Vec<String>>,
}

impl Sheet {
    fn bytes(&self) -> Vec<u8> {
        let mut w = csv::WriterBuilder::new()
            .delimiter(self.separator)
            .terminator(match self.ending {
                "\r\n" => csv::Terminator::CRLF,
                e => csv::Terminator::Any(e.as_bytes()[0]),
            })
            .from_writer(Vec::new());
        w.write_record(self.columns.iter().map(|(_, h)| h)).unwrap();
        for r in &self.rows {
            w.write_record(r).unwrap();
        }
        let mut out = if self.bom {
            b"\xEF\xBB\xBF".to_vec()
        } else {
            Vec::new()
        };
        out.extend(w.into_inner().unwrap());
        out
    }

    /// The rows a reader keeps: those with something in them.
    fn kept(&self) -> Vec<&Vec<String>> {
        self.rows
            .iter()
            .filter(|r| r.iter().any(|f| !f.trim().is_empty()))
            .collect()
    }
}

/// Values from a small stock (so that names, classes and usernames meet again, in other
/// cases and spacings), mostly valid ones, or faulty ones, or anything printable.
fn value(field: Field) -> BoxedStrategy<String> {
    let (good, bad): (&[&str], &[&str]) = match field {
        Field::LastName => (
            &["Diallo", "DIALLO", " Ba ", "N'Diaye", "Lefèvre", "LEFÈVRE"],
            &[""],
        ),
        Field::FirstName => (
            &["Aminata", "aminata", "Jean-Baptiste", "Élodie", "ÉLODIE"],
            &[""],
        ),
        Field::Class => (
            &["6e A", "6E a", "6e  A", "6ème B", "6ÈME B", ""],
            &["5e C + 6e A", "a/b"],
        ),
        Field::Username => (
            &["", "", "", "amina", "Amina", "élodie.b"],
            &["a", "jean..b", "-x-"],
        ),
        Field::Role => (
            &["", "élève", "Élèves", "teacher", "prof"],
            &["parents", "admin", "chef"],
        ),
        Field::Language => (&["", "fr", "English", "anglais"], &["de"]),
    };
    let pick =
        |v: &[&str]| prop::sample::select(v.iter().map(|s| s.to_string()).collect::<Vec<_>>());
    let fresh = match field {
        Field::LastName | Field::FirstName => "[A-ZÉ][a-zé]{2,8}( [A-Z][a-z]{1,5})?",
        Field::Class => "[3-6]e [A-D]",
        _ => "",
    };
    prop_oneof![
        6 => pick(good),
        6 => fresh,
        1 => pick(bad),
        1 => "\\PC{0,12}",
        1 => "[ ;,\t\"a-z]{0,6}",
    ]
    .boxed()
}

fn sheet() -> impl Strategy<Value = Sheet> {
    let optional = prop::sample::subsequence(
        vec![Field::Class, Field::Username, Field::Role, Field::Language],
        0..=4,
    );
    (
        prop::sample::select(vec![b';', b',', b'\t']),
        any::<bool>(),
        prop::sample::select(vec!["\r\n", "\n", "\r"]),
        optional,
        any::<prop::sample::Index>(),
    )
        .prop_flat_map(|(separator, bom, ending, optional, at)| {
            let mut fields = vec![Field::LastName, Field::FirstName];
            fields.extend(optional);
            // The columns in any order: rotate by a drawn amount.
            let n = at.index(fields.len());
            fields.rotate_left(n);
            let headers: Vec<BoxedStrategy<(Field, String)>> = fields
                .iter()
                .map(|f| {
                    let f = *f;
                    prop::sample::select(f.examples().to_vec())
                        .prop_map(move |e| (f, e.to_uppercase()))
                        .boxed()
                })
                .collect();
            let row: Vec<BoxedStrategy<String>> = fields.iter().map(|f| value(*f)).collect();
            (
                Just((separator, bom, ending)),
                headers,
                prop::collection::vec(row, 1..10),
            )
        })
        .prop_map(|((separator, bom, ending), columns, rows)| Sheet {
            separator,
            bom,
            ending,
            columns,
            rows,
        })
}

/// Bytes that are partly a class list: a real header, then noise.
fn noisy() -> impl Strategy<Value = Vec<u8>> {
    (
        prop::sample::select(vec![
            &b""[..],
            b"\xEF\xBB\xBF",
            b"\xFF\xFE",
            b"nom;prenom;classe\n",
            b"\xEF\xBB\xBFlast_name,first_name,username,role\r\n",
            b"nom\tprenom\tlangue\n",
            b"\"nom;\"prenom\n",
        ]),
        prop::collection::vec(
            prop_oneof![
                any::<u8>(),
                prop::sample::select(b";,\t\"\r\n ".to_vec()),
                prop::sample::select(b"aeiouxyz".to_vec()),
            ],
            0..1500,
        ),
    )
        .prop_map(|(head, tail)| [head, &tail[..]].concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn a_spreadsheets_list_reads_back_its_values(s in sheet()) {
        let kept = s.kept();
        if kept.is_empty() {
            prop_assert_eq!(read::read(&s.bytes()).unwrap_err(), FileError::NoRows);
            return Ok(());
        }
        let sheet = read::read(&s.bytes()).map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
        prop_assert_eq!(sheet.separator as u32, s.separator as u32);
        prop_assert_eq!(sheet.rows.len(), kept.len());
        // Each row on the line it starts on, whatever the line ends (no value spans lines here).
        let lines: Vec<u64> = s
            .rows
            .iter()
            .enumerate()
            .filter(|(_, r)| r.iter().any(|f| !f.trim().is_empty()))
            .map(|(i, _)| i as u64 + 2)
            .collect();
        prop_assert_eq!(sheet.rows.iter().map(|r| r.line).collect::<Vec<_>>(), lines);
        for (got, want) in sheet.rows.iter().zip(kept) {
            for (i, (f, _)) in s.columns.iter().enumerate() {
                prop_assert_eq!(sheet.get(got, *f), want[i].trim());
            }
        }
    }
}

/// One database for every case (a fresh one each time costs more than the case).
fn run<S: Strategy>(
    cases: u32,
    strategy: S,
    test: impl Fn(&Db, S::Value) -> Result<(), TestCaseError>,
) {
    let (_dir, db) = test_db();
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig::with_cases(cases));
    if let Err(e) = runner.run(&strategy, |v| test(&db, v)) {
        panic!("{e}");
    }
}

#[test]
fn any_bytes_read_or_refuse_and_plan_without_panic() {
    let i18n = crate::i18n::I18n::new();
    run(512, noisy(), |db, bytes| {
        match read::read(&bytes) {
            Ok(s) => {
                prop_assert!(s.columns.iter().any(|(f, _)| *f == Field::LastName));
                prop_assert!(s.columns.iter().any(|(f, _)| *f == Field::FirstName));
                prop_assert!(!s.rows.is_empty() && s.rows.len() <= MAX_ROWS);
                prop_assert!(s.rows.windows(2).all(|w| w[0].line < w[1].line));
                prop_assert!(s.rows[0].line >= 2);
            }
            // Every refusal has its message.
            Err(e) => prop_assert!(!e.message(&i18n, "fr").is_empty()),
        }
        let planned = db.read_blocking(move |c| Ok(plan(c, &bytes, YEAR, &Role::ALL)?));
        prop_assert!(planned.is_ok(), "{:?}", planned.err());
        Ok(())
    });
}

/// Imports one after another into the same school: each is all or nothing, and a plan
/// without problems never fails to apply (which would be a server error for the office).
#[test]
fn imports_are_all_or_nothing_and_never_fail_on_a_clean_plan() {
    run(64, sheet(), |db, s| {
        let bytes = s.bytes();
        let b = bytes.clone();
        let p = db
            .read_blocking(move |c| Ok(plan(c, &b, YEAR, &Role::ALL)?))
            .map_err(|e| TestCaseError::fail(format!("plan: {e}")))?;
        // Only a list of blank rows is no list.
        let p = match p {
            Ok(p) => p,
            Err(e) => {
                prop_assert_eq!(e, FileError::NoRows);
                prop_assert!(s.kept().is_empty());
                return Ok(());
            }
        };
        let clean: Vec<&PlannedLine> = p.lines.iter().filter(|l| l.problems.is_empty()).collect();
        for (i, l) in clean.iter().enumerate() {
            prop_assert!(check_username(&l.username).is_ok(), "{:?}", l.username);
            prop_assert!(clean[..i].iter().all(|k| k.username != l.username));
        }
        let before = users(db);
        let result = db.write_blocking(move |tx| {
            let allowed = Allowed::system("import_accounts");
            Ok(apply(tx, &allowed, &bytes, "liste.csv", YEAR, &Role::ALL)?)
        });
        match result {
            Ok(Ok(summary)) => {
                prop_assert!(p.is_clean());
                prop_assert_eq!(users(db), before + summary.accounts as i64);
            }
            Ok(Err(_)) => {
                prop_assert!(!p.is_clean());
                prop_assert_eq!(users(db), before);
            }
            Err(e) => return Err(TestCaseError::fail(format!("apply failed: {e}"))),
        }
        Ok(())
    });
}

fn users(db: &Db) -> i64 {
    db.read_blocking(|c| Ok(c.query_row("SELECT count(*) FROM users", [], |r| r.get(0))?))
        .unwrap()
}

#[test]
fn a_file_over_the_limit_is_refused_before_it_is_read() {
    // Bounded memory: the upload is capped at the same size (plus its framing) by the page.
    let mut big = b"nom;prenom\n".to_vec();
    big.resize(MAX_BYTES + 1, b'a');
    assert_eq!(read::read(&big).unwrap_err(), FileError::TooLarge);
}
