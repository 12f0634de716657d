//! SMTP commands as the client sends them (RFC 5321 section 4.1), parsed into values. The
//! session decides what each means in its state; this file only reads syntax.

/// ESMTP parameters (`SIZE=1000`, `BODY=8BITMIME`), names uppercased.
pub type Params = Vec<(String, Option<String>)>;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Ehlo(String),
    Helo(String),
    /// `MAIL FROM:<path> params`; the path is empty for the null sender `<>`.
    Mail {
        from: String,
        params: Params,
    },
    Rcpt {
        to: String,
        params: Params,
    },
    Data,
    Rset,
    Noop,
    Quit,
    Vrfy,
    Help,
    StartTls,
    Auth {
        mechanism: String,
        initial: Option<String>,
    },
    /// A known verb with arguments that do not parse; the text says what is wrong.
    Syntax(&'static str),
    Unknown,
}

/// Takes `<path>` (tolerating a space before it, as many clients send) and the ESMTP
/// parameters after it.
fn path_and_params(rest: &str) -> Result<(String, Params), &'static str> {
    let rest = rest.trim_start();
    let Some(body) = rest.strip_prefix('<') else {
        return Err("the address must be in angle brackets: <name@domain>");
    };
    let Some(end) = body.find('>') else {
        return Err("the address must be in angle brackets: <name@domain>");
    };
    let mut path = &body[..end];
    // An obsolete source route (`<@relay:user@domain>`) is ignored, as RFC 5321 asks.
    if path.starts_with('@')
        && let Some(colon) = path.find(':')
    {
        path = &path[colon + 1..];
    }
    let mut params = Vec::new();
    for p in body[end + 1..].split_ascii_whitespace() {
        match p.split_once('=') {
            Some((k, v)) => params.push((k.to_ascii_uppercase(), Some(v.to_owned()))),
            None => params.push((p.to_ascii_uppercase(), None)),
        }
    }
    Ok((path.to_owned(), params))
}

/// Whether an EHLO or HELO argument is a domain or an address literal (RFC 5321 section
/// 4.1.3) as clients really send them: letters, digits, dots, hyphens and, since many
/// machines are named so, underscores; or `[...]` with printable characters inside. Anything
/// else is refused rather than echoed in the greeting or the trace header.
fn is_client_name(arg: &str) -> bool {
    if arg.is_empty() || arg.len() > 255 {
        return false;
    }
    match arg.strip_prefix('[').and_then(|a| a.strip_suffix(']')) {
        Some(inner) => {
            !inner.is_empty()
                && inner
                    .bytes()
                    .all(|b| b.is_ascii_graphic() && !matches!(b, b'[' | b']' | b'\\'))
        }
        None => arg
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_')),
    }
}

pub fn parse(line: &[u8]) -> Command {
    let Ok(line) = std::str::from_utf8(line) else {
        return Command::Syntax("commands must be ASCII text");
    };
    if !line.is_ascii() {
        return Command::Syntax("commands must be ASCII text");
    }
    let (verb, rest) = match line.find(' ') {
        Some(i) => (&line[..i], &line[i + 1..]),
        None => (line, ""),
    };
    let arg = rest.trim();
    match verb.to_ascii_uppercase().as_str() {
        "EHLO" | "HELO" if !is_client_name(arg) => {
            Command::Syntax("a domain name or an address literal is needed")
        }
        "EHLO" => Command::Ehlo(arg.to_owned()),
        "HELO" => Command::Helo(arg.to_owned()),
        "MAIL" => match rest.get(..5) {
            Some(p) if p.eq_ignore_ascii_case("FROM:") => match path_and_params(&rest[5..]) {
                Ok((from, params)) => Command::Mail { from, params },
                Err(e) => Command::Syntax(e),
            },
            _ => Command::Syntax("the syntax is MAIL FROM:<address>"),
        },
        "RCPT" => match rest.get(..3) {
            Some(p) if p.eq_ignore_ascii_case("TO:") => match path_and_params(&rest[3..]) {
                Ok((to, _)) if to.is_empty() => Command::Syntax("the syntax is RCPT TO:<address>"),
                Ok((to, params)) => Command::Rcpt { to, params },
                Err(e) => Command::Syntax(e),
            },
            _ => Command::Syntax("the syntax is RCPT TO:<address>"),
        },
        "DATA" | "RSET" | "QUIT" | "STARTTLS" if !arg.is_empty() => {
            Command::Syntax("this command takes no argument")
        }
        "DATA" => Command::Data,
        "RSET" => Command::Rset,
        "QUIT" => Command::Quit,
        "STARTTLS" => Command::StartTls,
        "NOOP" => Command::Noop,
        "VRFY" | "EXPN" => Command::Vrfy,
        "HELP" => Command::Help,
        "AUTH" => {
            let mut parts = arg.split_ascii_whitespace();
            match (parts.next(), parts.next(), parts.next()) {
                (Some(m), initial, None) => Command::Auth {
                    mechanism: m.to_ascii_uppercase(),
                    initial: initial.map(str::to_owned),
                },
                _ => Command::Syntax("the syntax is AUTH mechanism [initial-response]"),
            }
        }
        _ => Command::Unknown,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_commands() {
        assert_eq!(
            parse(b"ehlo client.example"),
            Command::Ehlo("client.example".into())
        );
        assert_eq!(
            parse(b"MAIL FROM:<a@b.fr> SIZE=100 body=8BITMIME"),
            Command::Mail {
                from: "a@b.fr".into(),
                params: vec![
                    ("SIZE".into(), Some("100".into())),
                    ("BODY".into(), Some("8BITMIME".into()))
                ]
            }
        );
        assert_eq!(
            parse(b"mail from: <>"),
            Command::Mail {
                from: String::new(),
                params: vec![]
            }
        );
        assert_eq!(
            parse(b"RCPT TO:<@relay.fr:x@y.fr>"),
            Command::Rcpt {
                to: "x@y.fr".into(),
                params: vec![]
            }
        );
        assert!(matches!(parse(b"RCPT TO:<>"), Command::Syntax(_)));
        assert!(matches!(parse(b"MAIL FROM:a@b.fr"), Command::Syntax(_)));
        assert!(matches!(parse(b"MAIL TO:<a@b.fr>"), Command::Syntax(_)));
        assert!(matches!(parse(b"EHLO"), Command::Syntax(_)));
        assert_eq!(
            parse(b"EHLO [192.0.2.1]"),
            Command::Ehlo("[192.0.2.1]".into())
        );
        assert_eq!(parse(b"HELO DESKTOP_7"), Command::Helo("DESKTOP_7".into()));
        assert_eq!(
            parse(b"EHLO [IPv6:2001:db8::1]"),
            Command::Ehlo("[IPv6:2001:db8::1]".into())
        );
        for bad in [
            &b"EHLO a b"[..],
            b"EHLO <script>",
            b"EHLO []",
            b"HELO a;rm",
            b"EHLO [a]b]",
        ] {
            assert!(matches!(parse(bad), Command::Syntax(_)), "{bad:?}");
        }
        let long = format!("EHLO {}", "a".repeat(256));
        assert!(matches!(parse(long.as_bytes()), Command::Syntax(_)));
        assert!(matches!(parse(b"DATA now"), Command::Syntax(_)));
        assert!(matches!(
            parse("MAIL FROM:<é@b.fr>".as_bytes()),
            Command::Syntax(_)
        ));
        assert_eq!(
            parse(b"AUTH PLAIN AGEAYg=="),
            Command::Auth {
                mechanism: "PLAIN".into(),
                initial: Some("AGEAYg==".into())
            }
        );
        assert_eq!(parse(b"FOO"), Command::Unknown);
        assert_eq!(parse(b""), Command::Unknown);
    }
}
