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
    /// Mail settings and the outbound queue.
    #[command(subcommand)]
    Mail(MailCommand),
    /// Apply cartable.toml (first boot, and every boot after): system and school settings.
    Provision {
        /// The provisioning file (on the image's CARTABLE partition).
        #[arg(long, value_name = "FILE")]
        from: PathBuf,
        /// Also write the operating system's files (host name, time zone, network, SSH keys)
        /// under this root; leave it out on a machine that is not the appliance.
        #[arg(long, value_name = "DIR")]
        root: Option<PathBuf>,
    },
    /// Print what the box's console shows: the portal's address, the CA's fingerprint, the
    /// first admin's password until changed, provisioning problems.
    Banner {
        /// Write it to this file (for agetty's /run/issue.d) instead of standard output.
        #[arg(long, value_name = "FILE")]
        write: Option<PathBuf>,
    },
    /// Version, uptime, disk, memory, mail queue, certificate: the state of the box.
    Status,
    /// Back up everything (database, documents, mail, TLS, settings) into one archive.
    Backup {
        /// The archive to write (a .tar file).
        #[arg(
            long,
            value_name = "FILE",
            required_unless_present = "auto",
            conflicts_with = "auto"
        )]
        to: Option<PathBuf>,
        /// The nightly backup: to a USB disk labelled CARTABLE-BK when one is plugged in,
        /// else to DATA/backups; keeps the last 7.
        #[arg(long)]
        auto: bool,
    },
    /// Install a new signed binary (FILE, with FILE.minisig beside it), restart the service and
    /// check it; roll back by itself if it is not healthy in time.
    Update(Box<UpdateArgs>),
    /// Put a backup back into an empty data directory (with no server running on it).
    Restore {
        #[arg(long, value_name = "FILE")]
        from: PathBuf,
    },
    /// The applications that log in through Cartable (OpenID Connect, CAS) or sit behind it.
    #[command(subcommand)]
    App(AppCommand),
    /// The offline library: Kiwix ZIM collections (Wikipedia, Wiktionary, Vikidia, ...).
    #[command(subcommand)]
    Library(LibraryCommand),
}

#[derive(Subcommand, Debug)]
pub enum LibraryCommand {
    /// Install a collection: a .zim file, or the first part (.zimaa) of a split one. A file on
    /// the data directory's disk is hard-linked into DATA/library, never copied; one on
    /// another disk (a USB stick) is copied there.
    Add {
        #[arg(value_name = "FILE")]
        file: PathBuf,
        #[command(flatten)]
        audience: LibraryAudience,
    },
    /// One line per collection: name, audience, index state, articles, size, title.
    List,
    /// Change who reads a collection.
    Audience {
        name: String,
        #[command(flatten)]
        audience: LibraryAudience,
    },
    /// Remove a collection: its record, its index, and its files under DATA/library.
    Remove { name: String },
}

#[derive(Args, Debug, Clone)]
pub struct LibraryAudience {
    /// Who reads it besides staff (who read every collection): everyone in the school
    /// (`school`), staff only (`staff`), or the pupils of some classes and their parents
    /// (`classes`, with --class).
    #[arg(long, value_name = "WHO", default_value = "school", value_parser = ["school", "staff", "classes"])]
    pub audience: String,
    /// A class, by name, for `--audience classes` (repeatable).
    #[arg(long = "class", value_name = "NAME")]
    pub classes: Vec<String>,
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
    /// SMTP listener for mail to the school's addresses, from anyone (repeatable; no AUTH,
    /// never relays).
    #[arg(long = "smtp", value_name = "ADDR", default_values_t = vec!["0.0.0.0:25".parse::<SocketAddr>().unwrap()])]
    pub smtp: Vec<SocketAddr>,
    /// SMTP submission listener with STARTTLS, for mail clients (AUTH required).
    #[arg(long = "submission", value_name = "ADDR", default_values_t = vec!["0.0.0.0:587".parse::<SocketAddr>().unwrap()])]
    pub submission: Vec<SocketAddr>,
    /// SMTP submission listener with TLS from the first byte (AUTH required).
    #[arg(long = "submissions", value_name = "ADDR", default_values_t = vec!["0.0.0.0:465".parse::<SocketAddr>().unwrap()])]
    pub submissions: Vec<SocketAddr>,
}

#[derive(Args, Debug, Clone)]
pub struct DemoArgs {
    #[arg(long = "http", value_name = "ADDR", default_values_t = vec!["127.0.0.1:8080".parse::<SocketAddr>().unwrap()])]
    pub http: Vec<SocketAddr>,
    #[arg(long = "https", value_name = "ADDR", default_values_t = vec!["127.0.0.1:8443".parse::<SocketAddr>().unwrap()])]
    pub https: Vec<SocketAddr>,
    #[arg(long, value_name = "DIR")]
    pub templates: Option<PathBuf>,
    #[arg(long = "smtp", value_name = "ADDR", default_values_t = vec!["127.0.0.1:2525".parse::<SocketAddr>().unwrap()])]
    pub smtp: Vec<SocketAddr>,
    #[arg(long = "submission", value_name = "ADDR", default_values_t = vec!["127.0.0.1:2587".parse::<SocketAddr>().unwrap()])]
    pub submission: Vec<SocketAddr>,
    #[arg(long = "submissions", value_name = "ADDR", default_values_t = vec!["127.0.0.1:2465".parse::<SocketAddr>().unwrap()])]
    pub submissions: Vec<SocketAddr>,
}

#[derive(Args, Debug)]
pub struct UpdateArgs {
    /// The new binary; its signature is FILE.minisig.
    #[arg(required_unless_present = "rollback")]
    pub file: Option<PathBuf>,
    /// Install even if it is not newer than the running version.
    #[arg(long)]
    pub allow_downgrade: bool,
    /// Put the previous binary and the database snapshot back, by hand.
    #[arg(long, conflicts_with = "file")]
    pub rollback: bool,
    /// The installed binary the service runs (default: this one).
    #[arg(long, value_name = "PATH")]
    pub binary: Option<PathBuf>,
    #[arg(long, value_name = "CMD", default_value = "systemctl stop cartable")]
    pub stop: String,
    /// How the service is started again; by default its failed state is cleared first, so
    /// that a new build that crash-looped into systemd's start limit does not keep the
    /// previous one from starting.
    #[arg(
        long,
        value_name = "CMD",
        default_value = "systemctl reset-failed cartable 2>/dev/null; systemctl start cartable"
    )]
    pub start: String,
    /// Where the service's HTTPS portal answers, for the health check.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:443")]
    pub check_https: String,
    /// Where its SMTP door answers.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:25")]
    pub check_smtp: String,
    /// Seconds the new version has to come up healthy.
    #[arg(long, value_name = "SECS", default_value_t = 90)]
    pub timeout: u64,
}

#[derive(Subcommand, Debug)]
pub enum MailCommand {
    /// Show the mail settings, changing those given first.
    Config(Box<MailConfig>),
    /// List the mail waiting to leave for other domains.
    Queue,
    /// Try to send every queued message now (also while the server runs).
    Flush,
}

#[derive(Args, Debug, Default)]
pub struct MailConfig {
    /// The school's mail domain (addresses are username@DOMAIN).
    #[arg(long)]
    pub domain: Option<String>,
    /// The smarthost that takes mail for other domains.
    #[arg(long, value_name = "HOST")]
    pub relay_host: Option<String>,
    #[arg(long, value_name = "PORT")]
    pub relay_port: Option<u16>,
    /// none, starttls or tls.
    #[arg(long, value_name = "MODE")]
    pub relay_tls: Option<String>,
    #[arg(long, value_name = "USER")]
    pub relay_user: Option<String>,
    /// Read the relay's password from standard input.
    #[arg(long)]
    pub relay_password_stdin: bool,
    /// Remove the relay: mail can no longer leave the school.
    #[arg(long, conflicts_with = "relay_host")]
    pub no_relay: bool,
    /// Seconds before the first retry; each later one waits twice as long.
    #[arg(long, value_name = "SECS")]
    pub retry_first: Option<u64>,
    /// The longest wait between retries, in seconds.
    #[arg(long, value_name = "SECS")]
    pub retry_max: Option<u64>,
    /// Seconds after which undelivered mail is returned to its sender.
    #[arg(long, value_name = "SECS")]
    pub give_up: Option<u64>,
    /// The largest message accepted, in bytes.
    #[arg(long, value_name = "BYTES")]
    pub max_size: Option<u64>,
    /// Whether pupils may send mail outside the school: yes or no.
    #[arg(long, value_name = "yes|no")]
    pub pupils_outside: Option<String>,
    /// Who may write to a class's list: teachers (and the office), or members (its pupils too).
    #[arg(long, value_name = "teachers|members")]
    pub class_lists: Option<String>,
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
    /// fr, en, pt or ar; the school default when absent.
    #[arg(long)]
    pub language: Option<String>,
    /// Read the password from standard input. Without it a password is generated and printed.
    #[arg(long)]
    pub password_stdin: bool,
}

#[derive(Subcommand, Debug)]
pub enum AppCommand {
    /// Register an application; prints its client id and, for a confidential OpenID Connect
    /// client, its secret (shown this once only).
    Add(Box<AppAdd>),
    /// One line per application: slug, protocol, name.
    List,
    /// Every setting of an application, and what to paste into it.
    Show { slug: String },
    /// Change an application; the options given replace what it had (a repeated option's
    /// list replaces the whole list).
    Edit {
        slug: String,
        #[command(flatten)]
        options: Box<AppOptions>,
        /// Let people use it again.
        #[arg(long, conflicts_with = "disabled")]
        enabled: bool,
    },
    /// Unregister an application.
    Remove { slug: String },
    /// Make a new client secret (the old one stops working at once) and print it.
    Secret { slug: String },
    /// Add the next signing key: published now, signing from 24 hours on.
    RotateKey {
        /// Sign with it at once (applications that cached the old key fail until they fetch
        /// the new one).
        #[arg(long)]
        now: bool,
    },
}

#[derive(Args, Debug)]
pub struct AppAdd {
    /// The short name: client id and `/apps/<slug>/`; made from the name when absent.
    #[arg(long)]
    pub slug: Option<String>,
    #[command(flatten)]
    pub options: AppOptions,
}

#[derive(Args, Debug, Default)]
pub struct AppOptions {
    #[arg(long)]
    pub name: Option<String>,
    /// oidc, cas or proxy.
    #[arg(long, value_name = "oidc|cas|proxy")]
    pub protocol: Option<String>,
    /// Fill the usual values for moodle, nextcloud, kolibri, bookstack, wikijs, moodle-cas or
    /// generic from --base (options given explicitly win).
    #[arg(long, requires = "base")]
    pub preset: Option<String>,
    /// The application's address, for --preset: `https://moodle.school.lan`.
    #[arg(long, value_name = "URL")]
    pub base: Option<String>,
    /// A short text or emoji shown on its tile.
    #[arg(long)]
    pub icon: Option<String>,
    /// An exact redirect URI (OpenID Connect; repeatable).
    #[arg(long = "redirect-uri", value_name = "URL")]
    pub redirect_uris: Vec<String>,
    /// Where the application may send people after logout (repeatable).
    #[arg(long = "post-logout-uri", value_name = "URL")]
    pub post_logout_uris: Vec<String>,
    /// A CAS service URL prefix (repeatable).
    #[arg(long = "service", value_name = "PREFIX")]
    pub services: Vec<String>,
    #[arg(long, value_name = "URL")]
    pub backchannel_logout_url: Option<String>,
    #[arg(long, value_name = "URL")]
    pub logout_url: Option<String>,
    /// Where its tile on the dashboard leads.
    #[arg(long, value_name = "URL")]
    pub launch_url: Option<String>,
    /// For --protocol proxy: the address the portal forwards `/apps/<slug>/` to.
    #[arg(long, value_name = "URL")]
    pub internal_url: Option<String>,
    /// A role that may use it (repeatable): admin, staff, teacher, pupil, parent; `--role ''`
    /// on edit leaves none.
    #[arg(long = "role", value_name = "ROLE")]
    pub roles: Vec<String>,
    /// Only this class of the current school year (repeatable; none, or `--class ''` on edit:
    /// every class).
    #[arg(long = "class", value_name = "NAME")]
    pub classes: Vec<String>,
    /// The claims (OIDC) or attributes (CAS) it receives: standard or ent_fr.
    #[arg(long, value_name = "standard|ent_fr")]
    pub claims: Option<String>,
    /// A public OpenID Connect client: no secret, PKCE required.
    #[arg(long)]
    pub public: bool,
    /// Nobody may use it until enabled.
    #[arg(long)]
    pub disabled: bool,
}
