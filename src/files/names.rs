//! What a file or folder may be called.
//!
//! Names travel between Linux, Windows Explorer, macOS Finder and phones, so we refuse what
//! any of them cannot store or would show misleadingly: path separators, `.` and `..`,
//! control characters, Windows' reserved characters and device names, trailing dots and
//! spaces, and invisible or direction-changing Unicode. Names are kept in NFC, so that an
//! `é` typed on a Mac and one typed on Windows are the same name.

use super::{FileError, Result};
use unicode_normalization::UnicodeNormalization;

/// The longest name, in bytes (ext4's limit).
pub const MAX_NAME_BYTES: usize = 255;

/// Whether `c` may never appear in a name.
pub fn bad_char(c: char) -> bool {
    c.is_control()
        || matches!(c, '/' | '\\' | '<' | '>' | ':' | '"' | '|' | '?' | '*')
        // Zero-width characters and byte-order marks hide in names.
        || matches!(c, '\u{200B}'..='\u{200F}' | '\u{FEFF}' | '\u{2060}')
        // Direction overrides make `exe.txt` look like `txt.exe`.
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
        // Unassigned-looking private and non-characters.
        || matches!(c, '\u{E000}'..='\u{F8FF}' | '\u{FFF0}'..='\u{FFFF}')
}

/// Checks a name and returns it in NFC.
pub fn check_name(name: &str) -> Result<String> {
    let name: String = name.nfc().collect();
    if name.is_empty()
        || name == "."
        || name == ".."
        || name.len() > MAX_NAME_BYTES
        || name.chars().any(bad_char)
        || name.ends_with([' ', '.'])
        || name.starts_with(' ')
        || is_windows_device(&name)
    {
        return Err(FileError::InvalidName);
    }
    Ok(name)
}

fn is_windows_device(name: &str) -> bool {
    let stem = name.split('.').next().unwrap_or("").to_ascii_uppercase();
    matches!(stem.as_str(), "CON" | "PRN" | "AUX" | "NUL")
        || ((stem.starts_with("COM") || stem.starts_with("LPT"))
            && stem.len() == 4
            && stem.as_bytes()[3].is_ascii_digit())
}

/// The form two names are compared in to find a clash on a case-insensitive client.
pub fn fold(name: &str) -> String {
    name.nfc().flat_map(char::to_lowercase).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn good_names() {
        for n in [
            "Devoir de maths.pdf",
            "Résumé.odt",
            "photo 1.jpg",
            "ملف.txt",
            ".hidden",
            "a",
        ] {
            assert!(check_name(n).is_ok(), "{n}");
        }
    }

    #[test]
    fn bad_names() {
        for n in [
            "",
            ".",
            "..",
            "a/b",
            "a\\b",
            "a\0b",
            "line\nbreak",
            "tab\t",
            "what?",
            "a:b",
            "star*",
            "trailing.",
            "trailing ",
            " leading",
            "CON",
            "con.txt",
            "LPT1",
            "zero\u{200B}width",
            "evil\u{202E}fdp.exe",
            "bom\u{FEFF}",
        ] {
            assert!(check_name(n).is_err(), "{n:?} must be refused");
        }
        assert!(check_name(&"x".repeat(256)).is_err());
    }

    #[test]
    fn names_are_nfc_and_fold_case() {
        let decomposed = "e\u{301}cole";
        assert_eq!(check_name(decomposed).unwrap(), "\u{e9}cole");
        assert_eq!(fold("École.PDF"), fold("e\u{301}cole.pdf"));
    }
}
