//! Logs go to the journal under systemd, and to standard error otherwise.
//!
//! On the box, journald keeps them small and `journalctl -u cartable` reads them; on a
//! developer's machine or in tests they are plain lines on stderr.

use log::{LevelFilter, Log, Metadata, Record};
use std::io::Write;

struct Stderr;

impl Log for Stderr {
    fn enabled(&self, m: &Metadata<'_>) -> bool {
        m.level() <= log::max_level()
    }
    fn log(&self, r: &Record<'_>) {
        if self.enabled(r.metadata()) && r.target().starts_with("cartable") {
            let _ = writeln!(std::io::stderr(), "{:<5} {}", r.level(), r.args());
        }
    }
    fn flush(&self) {}
}

/// Installs the logger once; later calls (tests start several servers) do nothing.
pub fn init(verbose: bool) {
    let level = if verbose {
        LevelFilter::Debug
    } else {
        LevelFilter::Info
    };
    let journal = systemd_journal_logger::connected_to_journal()
        .then(|| systemd_journal_logger::JournalLog::new().ok())
        .flatten();
    let installed = match journal {
        Some(j) => j
            .with_syslog_identifier("cartable".into())
            .install()
            .is_ok(),
        None => log::set_logger(&Stderr).is_ok(),
    };
    if installed {
        log::set_max_level(level);
    }
}
