//! Looking after the box: backups (and restoring them), signed updates, the database's full
//! check after each start and the sweeping of crash debris. Most run from the command line,
//! over SSH or from a systemd timer, beside a running server.

pub mod backup;
pub mod debris;
pub mod health;
pub mod integrity;
pub mod status;
pub mod timesync;
pub mod update;
