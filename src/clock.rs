//! The school's local time, for what people read and type (due dates, the audit log).
//!
//! The database keeps Unix seconds; pages show and forms take local time. The offset is read
//! once at start-up from the system's zone (`TZ`, `/etc/localtime`, which provisioning sets),
//! while the process is still single-threaded: the `time` crate can only read it safely then.
//! Zones are fixed for the process's life; most of the schools we serve have no summer time,
//! and a restart picks up a change.

use std::sync::OnceLock;
use time::UtcOffset;

static OFFSET: OnceLock<UtcOffset> = OnceLock::new();

/// Reads the system's UTC offset. Call from `main` before starting any thread; without it
/// (tests, library users) times are UTC.
pub fn init_local_offset() {
    let offset = UtcOffset::current_local_offset().unwrap_or(UtcOffset::UTC);
    let _ = OFFSET.set(offset);
}

/// The offset pages and forms use.
pub fn offset() -> UtcOffset {
    OFFSET.get().copied().unwrap_or(UtcOffset::UTC)
}

/// A Unix time as the school's local date and time.
pub fn local(ts: i64) -> Option<time::OffsetDateTime> {
    time::OffsetDateTime::from_unix_timestamp(ts)
        .ok()
        .map(|t| t.to_offset(offset()))
}

/// A Unix time as `2026-11-29 14:05` in the school's zone, as pages show it (the `datetime`
/// filter, the topic page's posts); `None` for a time out of range.
pub fn local_text(ts: i64) -> Option<String> {
    let fmt = time::macros::format_description!("[year]-[month]-[day] [hour]:[minute]");
    local(ts).and_then(|t| t.format(&fmt).ok())
}

/// [`local_text`] for the command line and logs, which show the raw number rather than
/// nothing for a time out of range.
pub fn format_local(ts: i64) -> String {
    local_text(ts).unwrap_or_else(|| ts.to_string())
}
