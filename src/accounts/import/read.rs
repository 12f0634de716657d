//! Reading a class list as offices really save it, before any rule about accounts: the
//! encoding (UTF-8, with or without Excel's BOM; anything else refused with a hint), the
//! separator (`;` from a French spreadsheet, `,`, or a tab), quotes, CRLF, blank lines, and a
//! header row in French or English that names the columns.
//!
//! Pure: bytes in, rows out; no database.

use super::{FileError, MAX_BYTES, MAX_ROWS};

/// What a column of the file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    LastName,
    FirstName,
    Class,
    Username,
    Role,
    Language,
}

impl Field {
    pub const ALL: [Field; 6] = [
        Field::LastName,
        Field::FirstName,
        Field::Class,
        Field::Username,
        Field::Role,
        Field::Language,
    ];

    /// The header names this field answers to, in the portal's languages; compared folded
    /// (see [`fold_header`]), so `Prénom`, `PRENOM` and `Nome próprio` need no variant of their own.
    fn aliases(self) -> &'static [&'static str] {
        match self {
            Field::LastName => &[
                "nom",
                "noms",
                "nomdefamille",
                "nomfamille",
                "nomdusage",
                "nomeleve",
                "lastname",
                "surname",
                "familyname",
                "apelido",
                "apelidos",
                "nome de família",
                "sobrenome",
                "الاسم العائلي",
                "اللقب",
                "النسب",
            ],
            Field::FirstName => &[
                "prenom",
                "prenoms",
                "prenomeleve",
                "firstname",
                "givenname",
                "forename",
                "nome",
                "nome próprio",
                "nomes próprios",
                "primeiro nome",
                "الاسم الشخصي",
                "الاسم",
            ],
            Field::Class => &[
                "classe",
                "class",
                "classes",
                "division",
                "groupe",
                "group",
                "turma",
                "القسم",
                "الفصل",
            ],
            Field::Username => &[
                "identifiant",
                "username",
                "login",
                "user",
                "userid",
                "utilisateur",
                "nomdutilisateur",
                "compte",
                "nome de utilizador",
                "utilizador",
                "nome de usuário",
                "اسم المستخدم",
            ],
            Field::Role => &[
                "role",
                "profil",
                "profile",
                "type",
                "statut",
                "status",
                "função",
                "perfil",
                "الدور",
                "الصفة",
            ],
            Field::Language => &[
                "langue",
                "language",
                "lang",
                "langage",
                "língua",
                "idioma",
                "اللغة",
            ],
        }
    }

    /// The names the import page shows for this column (each one matches).
    pub fn examples(self) -> &'static [&'static str] {
        match self {
            Field::LastName => &["nom", "nom de famille", "last_name", "surname"],
            Field::FirstName => &["prénom", "first_name", "firstname"],
            Field::Class => &["classe", "class", "division"],
            Field::Username => &["identifiant", "username", "login"],
            Field::Role => &["rôle", "role", "profil"],
            Field::Language => &["langue", "language"],
        }
    }

    pub fn required(self) -> bool {
        matches!(self, Field::LastName | Field::FirstName)
    }

    /// The catalog key of the column's name, for messages.
    pub fn key(self) -> &'static str {
        match self {
            Field::LastName => "import.col_last_name",
            Field::FirstName => "import.col_first_name",
            Field::Class => "import.col_class",
            Field::Username => "import.col_username",
            Field::Role => "import.col_role",
            Field::Language => "import.col_language",
        }
    }
}

/// A header cell folded for matching: accents off, lowercase, letters and digits only, so
/// `Prénom`, `PRENOM`, `first_name` and `First name` all match.
pub fn fold_header(s: &str) -> String {
    deunicode::deunicode(s)
        .to_lowercase()
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect()
}

/// The file, read: which column holds what, and the data rows.
#[derive(Debug, Clone)]
pub struct Sheet {
    pub separator: char,
    /// Column index of each recognised field.
    pub columns: Vec<(Field, usize)>,
    /// Header cells that name no field we know; their values are ignored.
    pub ignored: Vec<String>,
    /// How many columns the header has.
    pub width: usize,
    pub rows: Vec<Row>,
}

#[derive(Debug, Clone)]
pub struct Row {
    /// The line of the file the row starts on (1 is the header, usually).
    pub line: u64,
    pub fields: Vec<String>,
}

impl Sheet {
    /// The value of `field` in `row`, trimmed; empty when the file has no such column.
    pub fn get<'a>(&self, row: &'a Row, field: Field) -> &'a str {
        self.columns
            .iter()
            .find(|(f, _)| *f == field)
            .and_then(|(_, i)| row.fields.get(*i))
            .map(|s| s.trim())
            .unwrap_or("")
    }
}

/// Decodes and splits a class list. File-wide faults (size, encoding, header, too many
/// rows) are errors; faults of single lines are left for the plan to report line by line.
pub fn read(bytes: &[u8]) -> Result<Sheet, FileError> {
    if bytes.len() > MAX_BYTES {
        return Err(FileError::TooLarge);
    }
    let text = decode(bytes)?;
    if text.trim().is_empty() {
        return Err(FileError::Empty);
    }
    let separator = detect_separator(text);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(separator as u8)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut lines = LineCounter::new(text);
    let mut record = csv::StringRecord::new();
    let mut header: Option<(u64, Vec<String>)> = None;
    let mut rows = Vec::new();
    loop {
        let start = reader.position().byte() as usize;
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            // The text is valid UTF-8 and the reader is flexible, so this is rare: an I/O
            // error reading from memory cannot happen; say which line anyway.
            Err(_) => return Err(FileError::Unreadable(lines.line_at(start))),
        }
        let line = lines.line_at(start);
        let fields: Vec<String> = record.iter().map(str::to_owned).collect();
        if fields.iter().all(|f| f.trim().is_empty()) {
            continue; // A blank line, or a spreadsheet's empty row (`;;;`).
        }
        if header.is_none() {
            header = Some((line, fields));
            continue;
        }
        if rows.len() == MAX_ROWS {
            return Err(FileError::TooManyRows);
        }
        rows.push(Row { line, fields });
    }
    let Some((_, header)) = header else {
        return Err(FileError::Empty);
    };
    let (columns, ignored) = match_header(&header)?;
    if rows.is_empty() {
        return Err(FileError::NoRows);
    }
    Ok(Sheet {
        separator,
        columns,
        ignored,
        // Spreadsheets pad the header with empty cells too; they are no columns.
        width: header
            .iter()
            .rposition(|h| !h.trim().is_empty())
            .map_or(0, |i| i + 1),
        rows,
    })
}

/// UTF-8, with Excel's byte order mark dropped. Anything else (Windows-1252 from an old
/// Excel, UTF-16 "Unicode text") is refused with the line where it first goes wrong.
fn decode(bytes: &[u8]) -> Result<&str, FileError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        return Err(FileError::NotUtf8(1));
    }
    std::str::from_utf8(bytes).map_err(|e| {
        let before = &bytes[..e.valid_up_to()];
        FileError::NotUtf8(1 + line_breaks(before))
    })
}

/// The separator the header line uses most: `;`, tab or `,` (outside quotes).
fn detect_separator(text: &str) -> char {
    let header = text
        .split(['\r', '\n'])
        .find(|l| !l.trim().is_empty())
        .unwrap_or_default();
    let mut counts = [(';', 0usize), ('\t', 0), (',', 0)];
    let mut quoted = false;
    for c in header.chars() {
        if c == '"' {
            quoted = !quoted;
        } else if !quoted && let Some(n) = counts.iter_mut().find(|(s, _)| *s == c) {
            n.1 += 1;
        }
    }
    // On a tie (none at all, say) the French spreadsheet's `;` wins: the order above.
    counts
        .iter()
        .fold(
            (';', 0),
            |best, &(s, n)| if n > best.1 { (s, n) } else { best },
        )
        .0
}

/// Which column holds each recognised field, and the header cells that name none.
type HeaderMatch = (Vec<(Field, usize)>, Vec<String>);

fn match_header(header: &[String]) -> Result<HeaderMatch, FileError> {
    let mut columns: Vec<(Field, usize)> = Vec::new();
    let mut ignored = Vec::new();
    for (i, cell) in header.iter().enumerate() {
        let folded = fold_header(cell);
        match Field::ALL
            .iter()
            .find(|f| f.aliases().iter().any(|a| fold_header(a) == folded))
        {
            Some(f) if columns.iter().any(|(g, _)| g == f) => {
                return Err(FileError::DuplicateColumn(cell.trim().to_owned()));
            }
            Some(f) => columns.push((*f, i)),
            None if cell.trim().is_empty() => {}
            None => ignored.push(cell.trim().to_owned()),
        }
    }
    let missing: Vec<Field> = Field::ALL
        .into_iter()
        .filter(|f| f.required() && !columns.iter().any(|(g, _)| g == f))
        .collect();
    if !missing.is_empty() {
        let found = header
            .iter()
            .map(|h| h.trim())
            .filter(|h| !h.is_empty())
            .take(8)
            .collect::<Vec<_>>()
            .join(" | ");
        return Err(FileError::MissingColumns { missing, found });
    }
    Ok((columns, ignored))
}

/// Turns byte offsets into line numbers, moving forward only (the reader does), so that a
/// 5,000-line file costs one pass.
struct LineCounter<'a> {
    text: &'a [u8],
    offset: usize,
    line: u64,
}

impl<'a> LineCounter<'a> {
    fn new(text: &'a str) -> Self {
        LineCounter {
            text: text.as_bytes(),
            offset: 0,
            line: 1,
        }
    }

    /// The line a record starting at `start` is on. The reader reports the offset before
    /// the blank lines it skipped, so those are stepped over first.
    fn line_at(&mut self, start: usize) -> u64 {
        let mut at = start.min(self.text.len());
        while at < self.text.len() && matches!(self.text[at], b'\r' | b'\n') {
            at += 1;
        }
        if at >= self.offset {
            self.line += line_breaks(&self.text[self.offset..at]);
            self.offset = at;
        }
        self.line
    }
}

/// The line ends in `bytes` as the CSV reader sees them: CRLF, LF, or CR alone (old Mac
/// Excel's "CSV" ends lines with CR only).
fn line_breaks(bytes: &[u8]) -> u64 {
    let mut n = 0;
    for (i, b) in bytes.iter().enumerate() {
        match b {
            b'\n' => n += 1,
            b'\r' if bytes.get(i + 1) != Some(&b'\n') => n += 1,
            _ => {}
        }
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_names_shown_are_the_names_matched() {
        let matches = |f: Field, name: &str| {
            f.aliases()
                .iter()
                .any(|a| fold_header(a) == fold_header(name))
        };
        for f in Field::ALL {
            for e in f.examples() {
                assert!(matches(f, e), "{e}");
            }
        }
        // No alias answers for two fields.
        let all: Vec<String> = Field::ALL
            .iter()
            .flat_map(|f| f.aliases())
            .map(|a| fold_header(a))
            .collect();
        for a in &all {
            assert_eq!(all.iter().filter(|b| b == &a).count(), 1, "{a}");
        }
        // The column names each language's messages give are names the importer knows.
        let i18n = crate::i18n::I18n::new();
        for (lang, _) in crate::i18n::LANGUAGES {
            for f in Field::ALL {
                let shown = i18n.get(lang, f.key());
                assert!(matches(f, &shown), "{lang}: {shown}");
            }
        }
    }

    #[test]
    fn separators_and_lines() {
        let s = read("\u{feff}Nom;Prénom;Classe\r\n\r\nDiallo;Aminata;6e A\r\n;;\r\n\"N'Diaye\";\"Fatou; dite Fafa\";6e A\r\n".as_bytes()).unwrap();
        assert_eq!(s.separator, ';');
        assert_eq!(s.rows.len(), 2);
        assert_eq!(s.rows[0].line, 3);
        assert_eq!(s.rows[1].line, 5);
        assert_eq!(s.get(&s.rows[1], Field::FirstName), "Fatou; dite Fafa");
        let s = read(b"last_name,first_name,class\nMartin,Emma,5B\n").unwrap();
        assert_eq!(s.separator, ',');
        assert_eq!(s.get(&s.rows[0], Field::Class), "5B");
        let s = read(b"nom;prenom;;\nBa;Khady\n").unwrap();
        assert_eq!(s.width, 2);
        let s = read(b"surname\tfirstname\nMensah\tKwame\n").unwrap();
        assert_eq!(s.separator, '\t');
        assert!(!s.columns.iter().any(|(f, _)| *f == Field::Class));
    }

    #[test]
    fn header_faults() {
        assert!(matches!(
            read(b"Diallo;Aminata;6e A\n"),
            Err(FileError::MissingColumns { .. })
        ));
        assert!(matches!(
            read(b"nom;nom;prenom\nA;B;C\n"),
            Err(FileError::DuplicateColumn(_))
        ));
        assert!(matches!(read(b"nom;prenom\n\n"), Err(FileError::NoRows)));
        assert!(matches!(read(b"\n \n"), Err(FileError::Empty)));
        let s = read(b"NOM;PRENOM;Date de naissance\nBa;Khady;2014-01-02\n").unwrap();
        assert_eq!(s.ignored, vec!["Date de naissance".to_owned()]);
    }

    #[test]
    fn rows_of_a_file_with_cr_line_ends_are_on_lines_of_their_own() {
        // Old Mac Excel ends lines with CR alone: every row was reported on line 2.
        let s = read(b"Nom;Prenom\rBa;Khady\rDiallo;Amina\r\rSow;Awa\r\n").unwrap();
        assert_eq!(s.separator, ';');
        let lines: Vec<u64> = s.rows.iter().map(|r| r.line).collect();
        assert_eq!(lines, [2, 3, 5]);
        assert!(matches!(
            read(b"Nom;Prenom\rBa;Kh\xe9dy\r"),
            Err(FileError::NotUtf8(2))
        ));
    }

    #[test]
    fn encodings() {
        // "Prénom" and "Chloé" in Windows-1252, as an old Excel saves them.
        assert!(matches!(
            read(b"Nom;Pr\xe9nom\nMoreau;Chlo\xe9\n"),
            Err(FileError::NotUtf8(1))
        ));
        assert!(matches!(
            read(b"Nom;Prenom\nMoreau;Chlo\xe9\n"),
            Err(FileError::NotUtf8(2))
        ));
        assert!(matches!(
            read(b"\xff\xfeN\x00o\x00m\x00"),
            Err(FileError::NotUtf8(1))
        ));
    }
}
