//! Password hashing (argon2id) and the rules a new password must meet.
//!
//! The `argon2` crate's defaults are argon2id with 19 MiB, t=2, p=1: OWASP's baseline. Each
//! hash takes that much memory, so [`super::Auth`] bounds how many run at once.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};

pub const MIN_LENGTH: usize = 8;
pub const MAX_LENGTH: usize = 200;

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PasswordError {
    #[error("password too short")]
    TooShort,
    #[error("password too long")]
    TooLong,
    #[error("password contains the username")]
    ContainsUsername,
}

impl PasswordError {
    /// The message key the doors translate.
    pub fn key(self) -> &'static str {
        match self {
            PasswordError::TooShort => "error.password_too_short",
            PasswordError::TooLong => "error.password_too_long",
            PasswordError::ContainsUsername => "error.password_contains_username",
        }
    }
}

/// Checks a new password: long enough to resist guessing, short enough not to be an attack
/// on the hasher, and not just the username.
pub fn check_password_rules(username: &str, password: &str) -> Result<(), PasswordError> {
    let len = password.chars().count();
    if len < MIN_LENGTH {
        return Err(PasswordError::TooShort);
    }
    if len > MAX_LENGTH {
        return Err(PasswordError::TooLong);
    }
    if !username.is_empty() && password.to_lowercase().contains(&username.to_lowercase()) {
        return Err(PasswordError::ContainsUsername);
    }
    Ok(())
}

/// Hashes a password. Blocking and memory-hungry: a server calls `Auth::hash_password`,
/// which bounds how many run at once.
pub fn hash(password: &str) -> String {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).expect("the operating system's random generator failed");
    let salt = SaltString::encode_b64(&salt).expect("16 bytes is a valid salt");
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .expect("argon2 with default parameters cannot fail on a bounded password")
        .to_string()
}

/// Checks a password against a stored hash. Blocking, like [`hash`].
pub(super) fn verify(stored: &str, password: &str) -> bool {
    match PasswordHash::new(stored) {
        Ok(parsed) => Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok(),
        Err(_) => false,
    }
}

/// A fresh password for a login slip: ten characters from an alphabet without look-alikes
/// (no 0/O, 1/l/I), grouped for reading aloud in a classroom: `kd7m-pw3x-ab`.
pub fn generate_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyz23456789";
    let mut bytes = [0u8; 10];
    getrandom::fill(&mut bytes).expect("the operating system's random generator failed");
    let mut out = String::with_capacity(12);
    for (i, b) in bytes.iter().enumerate() {
        if i == 4 || i == 8 {
            out.push('-');
        }
        // 256 is a multiple of the alphabet's 32 letters, so every letter is equally likely.
        out.push(ALPHABET[(*b as usize) % ALPHABET.len()] as char);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_then_verify() {
        let h = hash("correct horse");
        assert!(h.starts_with("$argon2id$"));
        assert!(verify(&h, "correct horse"));
        assert!(!verify(&h, "correct horsE"));
        assert!(!verify("not a hash", "x"));
    }

    #[test]
    fn rules() {
        assert_eq!(
            check_password_rules("amina", "short"),
            Err(PasswordError::TooShort)
        );
        assert_eq!(
            check_password_rules("amina", "Amina2024!"),
            Err(PasswordError::ContainsUsername)
        );
        assert_eq!(
            check_password_rules("amina", &"x".repeat(300)),
            Err(PasswordError::TooLong)
        );
        assert!(check_password_rules("amina", "mangue-verte-12").is_ok());
    }

    #[test]
    fn generated_passwords_pass_the_rules_and_differ() {
        let a = generate_password();
        let b = generate_password();
        assert_ne!(a, b);
        assert_eq!(a.len(), 12);
        assert!(check_password_rules("someone", &a).is_ok());
    }
}
