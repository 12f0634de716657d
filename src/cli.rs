//! The command line: `cartable --data DIR <command>`.
//!
//! The server commands (`serve`, `demo`) and the ones a maintainer or script runs on the box
//! (`user ...`, `check`). Account commands write through the same domain functions as the
//! admin pages, so the rules and the audit log are the same.

use clap::{Args, Parser, Subcommand};
use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(
    name = "cartable",
    version,
    about = "Cartable: a school intranet in a box"
)]
pub struct Cli {
    /// The data directory: database, documents, mail, TLS material, backups.
    #[arg(
        long,
        global = true,
        env = "CARTABLE_DATA",
        default_value = "/var/lib/cartable"
    )]
    pub data: PathBuf,
    /// Log more.
    #[arg(short, long, global = true)]
    pub verbose: bool,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Run the server.
    Serve(Listen),
    /// Run the server with a demo school (made on first start, kept afterwards).
    Demo(DemoArgs),
    /// Manage accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// Check the data directory: database integrity, schema, settings.
    Check,
}

#[derive(Args, Debug, Clone)]
pub struct Listen {
    /// Plain-HTTP listener (repeatable). On a loopback address it serves the portal; on any
    /// other it redirects to HTTPS, except /healthz and the CA page. Port 0 picks a free port.
    #[arg(long = "http", value_name = "ADDR", default_values_t = vec!["0.0.0.0:80".parse::<SocketAddr>().unwrap()])]
    pub http: Vec<SocketAddr>,
    /// HTTPS listener (repeatable).
    #[arg(long = "https", value_name = "ADDR", default_values_t = vec!["0.0.0.0:443".parse::<SocketAddr>().unwrap()])]
    pub https: Vec<SocketAddr>,
    /// Read page templates from this folder instead of the embedded ones (development).
    #[arg(long, value_name = "DIR")]
    pub templates: Option<PathBuf>,
}

#[derive(Args, Debug, Clone)]
pub struct DemoArgs {
    #[arg(long = "http", value_name = "ADDR", default_values_t = vec!["127.0.0.1:8080".parse::<SocketAddr>().unwrap()])]
    pub http: Vec<SocketAddr>,
    #[arg(long = "https", value_name = "ADDR", default_values_t = vec!["127.0.0.1:8443".parse::<SocketAddr>().unwrap()])]
    pub https: Vec<SocketAddr>,
    #[arg(long, value_name = "DIR")]
    pub templates: Option<PathBuf>,
}

#[derive(Subcommand, Debug)]
pub enum UserCommand {
    /// Create an account.
    Add(UserAdd),
    /// List accounts.
    List {
        /// Only this role.
        #[arg(long)]
        role: Option<String>,
    },
    /// Set an account's password (read from standard input, or generated and printed).
    Passwd {
        username: String,
        #[arg(long)]
        password_stdin: bool,
        /// Make the user choose a new password at next login.
        #[arg(long)]
        temporary: bool,
    },
    /// Disable an account: it can no longer log in anywhere.
    Disable { username: String },
    /// Enable a disabled account.
    Enable { username: String },
    /// Import a class list from CSV (see the README for the columns).
    Import {
        file: PathBuf,
        /// Show what would be done, and every line's problem, without writing anything.
        #[arg(long)]
        dry_run: bool,
    },
}

#[derive(Args, Debug)]
pub struct UserAdd {
    #[arg(long)]
    pub username: String,
    /// admin, staff, teacher, pupil or parent.
    #[arg(long)]
    pub role: String,
    #[arg(long, default_value = "")]
    pub first_name: String,
    #[arg(long, default_value = "")]
    pub last_name: String,
    /// A class (this school year) to put a pupil in or have a teacher teach; made if missing.
    #[arg(long)]
    pub class: Option<String>,
    /// fr or en; the school default when absent.
    #[arg(long)]
    pub language: Option<String>,
    /// Read the password from standard input. Without it a password is generated and printed.
    #[arg(long)]
    pub password_stdin: bool,
}
