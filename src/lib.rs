//! Cartable: a school intranet in a box.
//!
//! The crate is a library so that the integration tests can start the real server in-process;
//! `main.rs` is only the command line around it. Every protocol door (`web` today; WebDAV and
//! SMTP later) turns its login into an [`auth::Principal`] and asks [`auth::authorize`] before it
//! touches the domain modules (`accounts`, ...), which know no protocol.

pub mod accounts;
pub mod app;
pub mod auth;
pub mod blog;
pub mod cli;
pub mod clock;
pub mod commands;
pub mod dav;
pub mod db;
pub mod demo;
pub mod feeds;
pub mod files;
pub mod forum;
pub mod homework;
pub mod i18n;
pub mod idp;
pub mod ids;
pub mod library;
pub mod logging;
pub mod mail;
pub mod ops;
pub mod provision;
pub mod school;
pub mod server;
pub mod settings;
pub mod smtp;
pub mod tls;
pub mod web;

/// The version every door reports (`/healthz`, `cartable --version`).
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// Seconds since the Unix epoch; the one clock the database uses.
pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// A one-line text as typed (a title): control characters made spaces, then trimmed. Callers
/// check their own length limits.
pub fn one_line(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .trim()
        .to_owned()
}

/// The SHA-256 of a token, hex encoded: how random secrets (session cookies, client secrets,
/// refresh tokens) are kept, so that the database never holds one that works.
pub fn sha256_hex(token: &str) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(token.as_bytes()))
}

/// Compares two secrets in time that does not depend on where they differ.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// A random token, hex encoded, from the operating system's generator.
pub fn random_token(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    getrandom::fill(&mut buf).expect("the operating system's random generator failed");
    hex::encode(buf)
}
