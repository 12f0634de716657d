//! CSV import of class lists: the office's main way to fill the school, all or nothing.
//!
//! An office exports a list from its spreadsheet or school software; half the lines of a
//! real file have some fault (a missing first name, a role typed in French, a name that is
//! already there). So the import is in two steps: [`plan`] reads the file and says, for every
//! line, which account would be made and every problem of the line, writing nothing; then
//! [`apply`] plans again inside one write transaction (someone may have changed things since
//! the preview) and writes everything only if no line has a problem.
//!
//! - `read`: bytes to rows (encoding, separator, header); no database.
//! - `plan`: rows to accounts and problems, against the database.
//! - `apply`: the write, and the pending uploads between preview and import.
//! - `cli`: `cartable user import FILE [--dry-run]`.

mod apply;
mod cli;
mod plan;
#[cfg(test)]
mod props;
mod read;
#[cfg(test)]
mod tests;

pub use apply::{
    ImportedClass, PENDING_TTL_SECS, Pending, Refusal, Summary, apply, delete_pending,
    load_pending, store_pending, sweep_pending,
};
pub use cli::cli_import;
pub use plan::plan;
pub use read::{Field, fold_header};

use crate::auth::Role;
use crate::i18n::I18n;
use crate::ids::ClassId;

/// The largest file accepted: a big school's list is a few hundred KiB.
pub const MAX_BYTES: usize = 1024 * 1024;
/// The most data rows in one file.
pub const MAX_ROWS: usize = 5_000;

/// Checks what can be checked of a file without the database (size, encoding, header,
/// rows), so that an upload that cannot be planned is refused at once.
pub fn check_file(bytes: &[u8]) -> Result<(), FileError> {
    read::read(bytes).map(|_| ())
}

/// Why a file as a whole cannot be imported; nothing of it is planned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileError {
    TooLarge,
    TooManyRows,
    /// Not UTF-8; the line where it first goes wrong.
    NotUtf8(u64),
    Unreadable(u64),
    /// Nothing but blank lines.
    Empty,
    /// A header and no data rows.
    NoRows,
    /// The header lacks a required column; `found` is what it holds.
    MissingColumns {
        missing: Vec<Field>,
        found: String,
    },
    DuplicateColumn(String),
}

impl FileError {
    pub fn message(&self, i18n: &I18n, lang: &str) -> String {
        let f = |key: &str, args: &[(&str, &str)]| i18n.format(lang, key, args);
        match self {
            FileError::TooLarge => f(
                "import.error_too_large",
                &[("limit", &(MAX_BYTES / 1024).to_string())],
            ),
            FileError::TooManyRows => f(
                "import.error_too_many_rows",
                &[("max", &MAX_ROWS.to_string())],
            ),
            FileError::NotUtf8(line) => f("import.error_not_utf8", &[("line", &line.to_string())]),
            FileError::Unreadable(line) => {
                f("import.error_unreadable", &[("line", &line.to_string())])
            }
            FileError::Empty => f("import.error_empty", &[]),
            FileError::NoRows => f("import.error_no_rows", &[]),
            FileError::MissingColumns { missing, found } => {
                let missing = missing
                    .iter()
                    .map(|c| i18n.get(lang, c.key()))
                    .collect::<Vec<_>>()
                    .join(", ");
                f(
                    "import.error_missing_columns",
                    &[("missing", &missing), ("found", found)],
                )
            }
            FileError::DuplicateColumn(name) => {
                f("import.error_duplicate_column", &[("column", name)])
            }
        }
    }
}

/// Something wrong with one line. Any problem on any line stops the whole import.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// The line has more or fewer fields than the header: a separator inside an unquoted
    /// name, most often.
    FieldCount {
        expected: usize,
        found: usize,
    },
    /// A field runs over several lines: a quotation mark that is never closed.
    UnclosedQuote,
    LastNameMissing,
    FirstNameMissing,
    NameTooLong,
    BadRole(String),
    /// The role exists, but the person importing may not create such accounts.
    RoleNotAllowed(Role),
    BadLanguage(String),
    UsernameInvalid(String),
    /// An account with this username already exists.
    UsernameTaken(String),
    /// An earlier line of the file already uses this username.
    UsernameDuplicate {
        username: String,
        line: u64,
    },
    ClassInvalid(String),
    /// Only pupils and teachers belong to classes.
    ClassNotForRole(Role),
    /// Someone with these names is already in this class (a list imported twice?).
    AlreadyInClass {
        username: String,
        class: String,
    },
    /// A line without a class names someone who already has an account of that role.
    AlreadyExists {
        username: String,
    },
    /// An earlier line has the same person in the same class.
    DuplicatePerson {
        line: u64,
    },
}

impl Problem {
    pub fn message(&self, i18n: &I18n, lang: &str) -> String {
        let f = |key: &str, args: &[(&str, &str)]| i18n.format(lang, key, args);
        let role = |r: &Role| i18n.get(lang, &format!("role.{}", r.as_str())).to_owned();
        match self {
            Problem::FieldCount { expected, found } => f(
                "import.problem_field_count",
                &[
                    ("expected", &expected.to_string()),
                    ("found", &found.to_string()),
                ],
            ),
            Problem::UnclosedQuote => f("import.problem_unclosed_quote", &[]),
            Problem::LastNameMissing => f("import.problem_last_name_missing", &[]),
            Problem::FirstNameMissing => f("import.problem_first_name_missing", &[]),
            Problem::NameTooLong => f("import.problem_name_too_long", &[]),
            Problem::BadRole(v) => f("import.problem_bad_role", &[("value", v)]),
            Problem::RoleNotAllowed(r) => {
                f("import.problem_role_not_allowed", &[("role", &role(r))])
            }
            Problem::BadLanguage(v) => f("import.problem_bad_language", &[("value", v)]),
            Problem::UsernameInvalid(v) => f("import.problem_username_invalid", &[("value", v)]),
            Problem::UsernameTaken(v) => f("import.problem_username_taken", &[("value", v)]),
            Problem::UsernameDuplicate { username, line } => f(
                "import.problem_username_duplicate",
                &[("value", username), ("line", &line.to_string())],
            ),
            Problem::ClassInvalid(v) => f("import.problem_class_invalid", &[("value", v)]),
            Problem::ClassNotForRole(r) => {
                f("import.problem_class_not_for_role", &[("role", &role(r))])
            }
            Problem::AlreadyInClass { username, class } => f(
                "import.problem_already_in_class",
                &[("username", username), ("class", class)],
            ),
            Problem::AlreadyExists { username } => {
                f("import.problem_already_exists", &[("username", username)])
            }
            Problem::DuplicatePerson { line } => f(
                "import.problem_duplicate_person",
                &[("line", &line.to_string())],
            ),
        }
    }
}

/// What importing a file would do.
#[derive(Debug, Clone)]
pub struct Plan {
    pub separator: char,
    /// Columns of the file that name nothing we know, and are ignored.
    pub ignored_columns: Vec<String>,
    /// The school year new classes are made in.
    pub school_year: String,
    pub lines: Vec<PlannedLine>,
    /// Every class the file names, in order of first mention.
    pub classes: Vec<PlannedClass>,
}

/// One line of the file and the account it would make.
#[derive(Debug, Clone)]
pub struct PlannedLine {
    pub line: u64,
    pub last_name: String,
    pub first_name: String,
    /// The username given in the file, or the one suggested; empty if none can be.
    pub username: String,
    /// Whether the file gave the username.
    pub username_given: bool,
    pub role: Role,
    pub language: Option<&'static str>,
    /// Class names as the file writes them; a teacher may name several (`6e A + 5e B`).
    pub classes: Vec<String>,
    pub problems: Vec<Problem>,
}

/// A class the file names.
#[derive(Debug, Clone)]
pub struct PlannedClass {
    pub name: String,
    /// `None` when the import creates it.
    pub existing: Option<ClassId>,
    pub pupils: usize,
    pub teachers: usize,
}

impl Plan {
    /// How many lines have at least one problem.
    pub fn lines_with_problems(&self) -> usize {
        self.lines.iter().filter(|l| !l.problems.is_empty()).count()
    }

    /// True when the import can go ahead.
    pub fn is_clean(&self) -> bool {
        self.lines_with_problems() == 0
    }

    pub fn new_classes(&self) -> impl Iterator<Item = &PlannedClass> {
        self.classes.iter().filter(|c| c.existing.is_none())
    }

    /// How many accounts of each role the file holds, in the order of [`Role::ALL`].
    pub fn count_by_role(&self) -> Vec<(Role, usize)> {
        Role::ALL
            .into_iter()
            .map(|r| (r, self.lines.iter().filter(|l| l.role == r).count()))
            .filter(|(_, n)| *n > 0)
            .collect()
    }
}
