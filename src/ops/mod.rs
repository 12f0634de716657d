//! Looking after the box: backups (and restoring them), and later signed updates. These run
//! from the command line, over SSH or from a systemd timer, beside a running server.

pub mod backup;
pub mod health;
pub mod status;
pub mod update;
