//! One SMTP conversation: the command loop and its state (greeting, sender, recipients).
//! AUTH and DATA, the two phases that read more than a line, live in `auth.rs` and
//! `data.rs`.

use super::command::{self, Command};
use super::io::{Line, Out, read_line};
use super::{Conduct, Kind, Limits};
use crate::app::App;
use crate::auth::Principal;
use crate::mail::{self, Envelope, MailSettings, Route, RouteError, route};
use crate::settings::Settings;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::io::{AsyncRead, AsyncWrite, BufReader};

/// The longest line read in the command phase, CRLF included: AUTH's lines (RFC 4954 allows
/// more, but PLAIN with the longest name and password accepted here fits).
pub const MAX_COMMAND: usize = 2048;
/// RFC 5321 section 4.5.3.1.4: a command line is at most 512 octets, CRLF included...
const COMMAND_LINE: usize = 512;
/// ...and each extension used adds to MAIL's: SIZE (RFC 1870) 26, BODY (RFC 6152) 14.
const MAIL_LINE: usize = COMMAND_LINE + 26 + 14;
/// After this many refused commands the connection is closed.
const MAX_ERRORS: u32 = 10;

pub struct Session {
    pub app: App,
    pub kind: Kind,
    pub peer: SocketAddr,
    pub limits: Limits,
    pub tls: bool,
    pub settings: Arc<Settings>,
    pub mail: MailSettings,
    pub helo: Option<String>,
    pub who: Option<Arc<Principal>>,
    /// The name and password AUTH gave, checked again (from memory) at every MAIL FROM, so
    /// that a password changed or an account disabled meanwhile stops the connection's
    /// next message.
    pub credentials: Option<(String, String)>,
    pub tx: Option<Envelope>,
    pub body_8bit: bool,
    errors: u32,
    /// When the conversation must end, however busy it is.
    deadline: Instant,
    /// Whether the client has said one valid command yet.
    valid: bool,
    /// It never did before its time ran out, or was closed for too many errors.
    misbehaved: bool,
}

/// How a conversation ended.
pub enum End<S> {
    Closed,
    /// The client asked for TLS: here is the bare stream to wrap.
    StartTls(S),
}

impl Session {
    pub fn new(app: App, kind: Kind, peer: SocketAddr, limits: Limits, mail: MailSettings) -> Self {
        Session {
            settings: app.settings(),
            app,
            kind,
            peer,
            limits,
            tls: false,
            mail,
            helo: None,
            who: None,
            credentials: None,
            tx: None,
            body_8bit: false,
            errors: 0,
            deadline: Instant::now() + limits.session_timeout,
            valid: false,
            misbehaved: false,
        }
    }

    /// How long to wait for the client now: `base`, or less when the session's end is near.
    pub fn wait(&self, base: Duration) -> Duration {
        base.min(self.deadline.saturating_duration_since(Instant::now()))
    }

    pub fn conduct(&self) -> Conduct {
        if self.misbehaved || !self.valid {
            Conduct::Bad
        } else {
            Conduct::Good
        }
    }

    pub fn host(&self) -> &str {
        self.settings
            .host_names
            .first()
            .map(String::as_str)
            .unwrap_or("cartable")
    }

    /// Whether AUTH may be used here and now: on the submission ports, over TLS or from
    /// this machine.
    pub fn auth_possible(&self) -> bool {
        self.kind != Kind::Incoming && (self.tls || self.peer.ip().is_loopback())
    }

    /// Counts a refused command; true when the client has had its last chance.
    fn fault(&mut self) -> bool {
        self.errors += 1;
        self.misbehaved |= self.errors >= MAX_ERRORS;
        self.errors >= MAX_ERRORS
    }

    fn ehlo_lines(&self) -> String {
        let mut l = vec![
            format!(
                "{} greets {}",
                self.host(),
                self.helo.as_deref().unwrap_or("you")
            ),
            format!("SIZE {}", self.mail.max_size),
            "8BITMIME".into(),
            "PIPELINING".into(),
            "ENHANCEDSTATUSCODES".into(),
        ];
        if !self.tls {
            l.push("STARTTLS".into());
        }
        if self.auth_possible() && self.who.is_none() {
            l.push("AUTH PLAIN LOGIN".into());
        }
        l.push("HELP".into());
        l.join("\n")
    }

    /// Runs the command loop on `stream` until the client quits, drops, or asks for TLS.
    pub async fn run<S>(&mut self, stream: S, greet: bool) -> std::io::Result<End<S>>
    where
        S: AsyncRead + AsyncWrite + Unpin,
    {
        let mut io = BufReader::new(stream);
        let mut out = Out::default();
        if greet {
            out.reply(220, &format!("{} ESMTP Cartable", self.host()));
        }
        let mut buf = Vec::new();
        loop {
            if io.buffer().is_empty() {
                out.flush(io.get_mut()).await?;
            }
            let wait = self.wait(if self.valid {
                self.limits.command_timeout
            } else {
                self.limits.first_command_timeout
            });
            match read_line(&mut io, MAX_COMMAND, wait, &mut buf).await? {
                Line::Ok => {}
                Line::Eof => return Ok(End::Closed),
                Line::Timeout => {
                    out.reply(
                        421,
                        &format!("4.4.2 {} timeout; closing the connection", self.host()),
                    );
                    out.flush(io.get_mut()).await?;
                    return Ok(End::Closed);
                }
                Line::TooLong => {
                    if self.refuse_line(&mut out, LineFault::TooLong) {
                        return self.too_many(&mut out, &mut io).await;
                    }
                    continue;
                }
                Line::BareLf => {
                    out.reply(
                        521,
                        "5.5.2 bare LF received; lines must end with CRLF. Closing",
                    );
                    out.flush(io.get_mut()).await?;
                    return Ok(End::Closed);
                }
            };
            if let Some(fault) = line_fault(&buf) {
                if self.refuse_line(&mut out, fault) {
                    return self.too_many(&mut out, &mut io).await;
                }
                continue;
            }
            let cmd = command::parse(&buf);
            self.valid |= !matches!(cmd, Command::Syntax(_) | Command::Unknown);
            match cmd {
                Command::Quit => {
                    out.reply(
                        221,
                        &format!("2.0.0 {} closing the connection", self.host()),
                    );
                    out.flush(io.get_mut()).await?;
                    return Ok(End::Closed);
                }
                Command::StartTls => {
                    if self.tls {
                        out.reply(503, "5.5.1 TLS is already on");
                        continue;
                    }
                    out.reply(220, "2.0.0 ready to start TLS");
                    out.flush(io.get_mut()).await?;
                    // Anything the client sent after STARTTLS came in clear text and must not
                    // be taken as coming over TLS (CVE-2011-0411): drop the connection.
                    if !io.buffer().is_empty() {
                        return Ok(End::Closed);
                    }
                    return Ok(End::StartTls(io.into_inner()));
                }
                Command::Auth { mechanism, initial } => {
                    super::auth::auth(self, &mut io, &mut out, &mechanism, initial).await?;
                }
                Command::Data => {
                    if super::data::data(self, &mut io, &mut out).await? {
                        out.flush(io.get_mut()).await?;
                        return Ok(End::Closed);
                    }
                }
                cmd => {
                    if !self.command(cmd, &mut out).await && self.fault() {
                        return self.too_many(&mut out, &mut io).await;
                    }
                }
            }
        }
    }

    /// Refuses a line without looking at what it says (and never repeating it); true when
    /// the client has had its last chance.
    fn refuse_line(&mut self, out: &mut Out, fault: LineFault) -> bool {
        match fault {
            LineFault::TooLong => out.reply(500, "5.5.2 line too long"),
            LineFault::Control => out.reply(
                501,
                "5.5.2 control characters (such as NUL) are not allowed in commands",
            ),
        }
        self.fault()
    }

    async fn too_many<S: AsyncRead + AsyncWrite + Unpin>(
        &self,
        out: &mut Out,
        io: &mut BufReader<S>,
    ) -> std::io::Result<End<S>> {
        out.reply(421, "4.7.0 too many errors; closing the connection");
        out.flush(io.get_mut()).await?;
        Ok(End::Closed)
    }

    /// Handles a one-line command; false when it was refused for the client's fault.
    async fn command(&mut self, cmd: Command, out: &mut Out) -> bool {
        match cmd {
            Command::Ehlo(d) => {
                self.helo = Some(d);
                self.tx = None;
                out.reply(250, &self.ehlo_lines());
            }
            Command::Helo(d) => {
                self.helo = Some(d);
                self.tx = None;
                out.reply(250, self.host());
            }
            Command::Noop => out.reply(250, "2.0.0 OK"),
            Command::Rset => {
                self.tx = None;
                out.reply(250, "2.0.0 OK");
            }
            Command::Vrfy => out.reply(252, "2.5.0 cannot verify; send the message and see"),
            Command::Help => out.reply(
                214,
                "2.0.0 commands: EHLO HELO MAIL RCPT DATA RSET NOOP QUIT STARTTLS AUTH",
            ),
            Command::Mail { from, params } => return self.mail_from(from, params, out).await,
            Command::Rcpt { to, .. } => return self.rcpt_to(to, out).await,
            Command::Syntax(why) => {
                out.reply(501, &format!("5.5.4 {why}"));
                return false;
            }
            Command::Unknown => {
                out.reply(500, "5.5.2 command not recognized");
                return false;
            }
            Command::Quit | Command::StartTls | Command::Auth { .. } | Command::Data => {
                unreachable!("handled by the loop")
            }
        }
        true
    }

    async fn mail_from(&mut self, from: String, params: command::Params, out: &mut Out) -> bool {
        if self.helo.is_none() {
            out.reply(503, "5.5.1 say EHLO first");
            return false;
        }
        if self.tx.is_some() {
            out.reply(503, "5.5.1 a transaction is already open; RSET first");
            return false;
        }
        if self.kind != Kind::Incoming && self.who.is_none() {
            out.reply(530, "5.7.0 authentication required");
            return false;
        }
        if !self.still_authenticated(out).await {
            return false;
        }
        self.body_8bit = false;
        for (k, v) in &params {
            match (k.as_str(), v.as_deref()) {
                ("SIZE", Some(n)) => match n.parse::<u64>() {
                    Ok(n) if n > self.mail.max_size => {
                        out.reply(
                            552,
                            &format!(
                                "5.3.4 the message is larger than the {} bytes accepted here",
                                self.mail.max_size
                            ),
                        );
                        return false;
                    }
                    Ok(_) => {}
                    Err(_) => {
                        out.reply(501, "5.5.4 SIZE must be a number");
                        return false;
                    }
                },
                ("BODY", Some(b)) if b.eq_ignore_ascii_case("8BITMIME") => self.body_8bit = true,
                ("BODY", Some(b)) if b.eq_ignore_ascii_case("7BIT") => {}
                _ => {
                    out.reply(555, &format!("5.5.4 unsupported parameter {k}"));
                    return false;
                }
            }
        }
        let domain = self.settings.mail_domain.clone();
        match &self.who {
            Some(who) => {
                let own = mail::address_of(&who.username, &domain);
                if !from.eq_ignore_ascii_case(&own) {
                    out.reply(553, &format!("5.7.1 you may only send as {own}"));
                    return false;
                }
            }
            None if from.is_empty() => {}
            None => match mail::address::Address::parse(&from) {
                None => {
                    out.reply(553, "5.1.7 the sender address is not valid");
                    return false;
                }
                Some(a) if a.is_in(&domain) => {
                    out.reply(
                        550,
                        "5.7.1 mail from this school's addresses must be sent signed in, on the submission port",
                    );
                    return false;
                }
                Some(_) => {}
            },
        }
        self.tx = Some(Envelope {
            from,
            sender: self.who.as_ref().map(|w| w.id),
            ..Envelope::default()
        });
        out.reply(250, "2.1.0 OK");
        true
    }

    /// Checks the connection's login again, as it would be checked now: the account may have
    /// been disabled, its password changed, its role or classes changed since AUTH.
    async fn still_authenticated(&mut self, out: &mut Out) -> bool {
        let Some((name, pass)) = &self.credentials else {
            return true;
        };
        match self
            .app
            .auth
            .login_remembered(name, pass, self.peer.ip())
            .await
        {
            Ok(p) => {
                self.who = Some(p);
                true
            }
            Err(crate::auth::LoginError::Invalid) => {
                log::info!(
                    "smtp: the login of {name} from {} no longer holds",
                    self.peer
                );
                self.who = None;
                self.credentials = None;
                out.reply(
                    530,
                    "5.7.0 authentication required: the login is no longer valid",
                );
                false
            }
            Err(e) => {
                log::warn!("smtp: checking the login of {name} again: {e}");
                out.reply(454, "4.7.0 temporary failure; try again later");
                false
            }
        }
    }

    async fn rcpt_to(&mut self, to: String, out: &mut Out) -> bool {
        let Some(tx) = &self.tx else {
            out.reply(503, "5.5.1 MAIL FROM first");
            return false;
        };
        if tx.recipients() >= mail::MAX_RECIPIENTS {
            out.reply(
                452,
                "4.5.3 too many recipients; send the rest in another message",
            );
            return true;
        }
        let (settings, ms, who) = (self.settings.clone(), self.mail.clone(), self.who.clone());
        let routed = self
            .app
            .db
            .read(move |c| Ok(route::route(c, &settings, &ms, who.as_deref(), &to)))
            .await;
        let tx = self.tx.as_mut().expect("checked above");
        match routed {
            Ok(Ok(Route::Local(users))) => {
                tx.add_local(&users);
                out.reply(250, "2.1.5 OK");
                true
            }
            Ok(Ok(Route::Outside(a))) => {
                tx.add_outside(a.to_string());
                out.reply(250, "2.1.5 OK, will relay");
                true
            }
            Ok(Err(e)) => {
                let (code, status) = match &e {
                    RouteError::BadAddress(_) => (501, "5.1.3"),
                    RouteError::Unknown(_) => (550, "5.1.1"),
                    RouteError::RelayDenied(_) => (554, "5.7.1"),
                    RouteError::ListNotAllowed(_)
                    | RouteError::OutsideNotAllowed
                    | RouteError::NoRelay => (550, "5.7.1"),
                };
                out.reply(code, &format!("{status} {e}"));
                false
            }
            Err(e) => {
                log::error!("smtp: routing failed: {e}");
                out.reply(451, "4.3.0 local error; try again later");
                true
            }
        }
    }
}

/// What is wrong with a command line as a line, whatever command it holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineFault {
    TooLong,
    Control,
}

/// Checks a command line (without its CRLF) against RFC 5321's limits: 512 octets, more for
/// MAIL with the extensions we offer and for AUTH; no control characters (a NUL cuts a line
/// short in C programs that read our logs or replies, and nothing in SMTP needs one).
pub fn line_fault(line: &[u8]) -> Option<LineFault> {
    if line.iter().any(|&b| b < 0x20 || b == 0x7f) {
        return Some(LineFault::Control);
    }
    let verb = line.get(..4).unwrap_or(line);
    let limit = if verb.eq_ignore_ascii_case(b"MAIL") {
        MAIL_LINE
    } else if verb.eq_ignore_ascii_case(b"AUTH") {
        MAX_COMMAND
    } else {
        COMMAND_LINE
    };
    (line.len() + 2 > limit).then_some(LineFault::TooLong)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn command_lines_within_rfc_5321_limits() {
        let ehlo = |n: usize| [b"EHLO ".to_vec(), vec![b'a'; n - 5]].concat();
        assert_eq!(line_fault(&ehlo(510)), None, "512 octets with CRLF");
        assert_eq!(line_fault(&ehlo(511)), Some(LineFault::TooLong));
        assert_eq!(line_fault(&ehlo(2000)), Some(LineFault::TooLong));
        let mail = [
            b"MAIL FROM:<".to_vec(),
            vec![b'a'; 500],
            b"> SIZE=1".to_vec(),
        ]
        .concat();
        assert_eq!(line_fault(&mail), None);
        let auth = [b"AUTH PLAIN ".to_vec(), vec![b'A'; 1500]].concat();
        assert_eq!(line_fault(&auth), None);
        assert_eq!(line_fault(b"EHLO a\0b"), Some(LineFault::Control));
        assert_eq!(line_fault(b"NOOP\x1b[2J"), Some(LineFault::Control));
        assert_eq!(line_fault(b"EHLO a\tb"), Some(LineFault::Control));
        assert_eq!(line_fault(b""), None);
    }
}
