//! Password hashing (argon2id) and the rules a new password must meet.
//!
//! The `argon2` crate's defaults are argon2id with 19 MiB, t=2, p=1: OWASP's baseline. Each
//! hash takes that much memory, so [`super::Auth`] bounds how many run at once.

use argon2::password_hash::{
    self, Decimal, Ident, Output, ParamsString, PasswordHash, PasswordHasher, PasswordVerifier,
    Salt, SaltString,
};
use argon2::{Algorithm, Argon2, Block, Params, Version};

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

/// argon2id, exactly as the `argon2` crate computes it, but with its work area handed back
/// to the operating system after every hash.
///
/// The crate allocates its 19 MiB of blocks on the heap. Under glibc, the first such block
/// freed raises malloc's mmap threshold, so every later one comes from the heap arenas and
/// is never returned: `make bench` saw resident memory grow by ~15 MiB a login, to 1.4 GB
/// after six classes. Reserving more than glibc's largest threshold (32 MiB) makes malloc
/// map the area afresh each time and unmap it on drop; only the 19 MiB argon2 touches
/// becomes resident, and musl (the static image build) maps such sizes anyway.
struct Hasher;

/// Bytes above which glibc malloc always maps an allocation on its own.
const ALWAYS_MAPPED_BYTES: usize = 33 * 1024 * 1024;

fn work_area(blocks: usize) -> Vec<Block> {
    let reserve = blocks.max(ALWAYS_MAPPED_BYTES / std::mem::size_of::<Block>());
    let mut area = Vec::with_capacity(reserve);
    area.resize(blocks, Block::default());
    area
}

impl PasswordHasher for Hasher {
    type Params = Params;

    fn hash_password<'a>(
        &self,
        password: &[u8],
        salt: impl Into<Salt<'a>>,
    ) -> password_hash::Result<PasswordHash<'a>> {
        self.hash_password_customized(password, None, None, Params::default(), salt)
    }

    fn hash_password_customized<'a>(
        &self,
        password: &[u8],
        algorithm: Option<Ident<'a>>,
        version: Option<Decimal>,
        params: Params,
        salt: impl Into<Salt<'a>>,
    ) -> password_hash::Result<PasswordHash<'a>> {
        let algorithm = algorithm
            .map(Algorithm::try_from)
            .transpose()?
            .unwrap_or(Algorithm::Argon2id);
        let version = version
            .map(Version::try_from)
            .transpose()?
            .unwrap_or_default();
        let salt = salt.into();
        let mut salt_buf = [0u8; 64];
        let salt_bytes = salt.decode_b64(&mut salt_buf)?;
        let argon = Argon2::new(algorithm, version, params.clone());
        let mut area = work_area(params.block_count());
        let len = params.output_len().unwrap_or(Params::DEFAULT_OUTPUT_LEN);
        let output = Output::init_with(len, |out| {
            Ok(argon.hash_password_into_with_memory(password, salt_bytes, out, &mut area[..])?)
        })?;
        Ok(PasswordHash {
            algorithm: algorithm.ident(),
            version: Some(version.into()),
            params: ParamsString::try_from(&params)?,
            salt: Some(salt),
            hash: Some(output),
        })
    }
}

/// Hashes a password. Blocking and memory-hungry: a server calls `Auth::hash_password`,
/// which bounds how many run at once.
pub fn hash(password: &str) -> String {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).expect("the operating system's random generator failed");
    let salt = SaltString::encode_b64(&salt).expect("16 bytes is a valid salt");
    Hasher
        .hash_password(password.as_bytes(), &salt)
        .expect("argon2 with default parameters cannot fail on a bounded password")
        .to_string()
}

/// Checks a password against a stored hash. Blocking, like [`hash`].
pub fn verify(stored: &str, password: &str) -> bool {
    match PasswordHash::new(stored) {
        Ok(parsed) => Hasher.verify_password(password.as_bytes(), &parsed).is_ok(),
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
    fn hashes_are_the_argon2_crates_own() {
        // A hash made by the crate's own hasher verifies here, and ours verifies there.
        let theirs = Argon2::default()
            .hash_password(
                b"baobab",
                &SaltString::encode_b64(b"0123456789abcdef").unwrap(),
            )
            .unwrap()
            .to_string();
        assert!(verify(&theirs, "baobab"));
        let ours = hash("baobab");
        let parsed = PasswordHash::new(&ours).unwrap();
        assert!(
            Argon2::default()
                .verify_password(b"baobab", &parsed)
                .is_ok()
        );
        assert!(
            ours.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{ours}"
        );
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
