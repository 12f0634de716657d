//! Reading SMTP lines under RFC 5321's limits and writing replies, with pipelining in mind:
//! replies are gathered and sent when the client has nothing more queued.

use std::time::Duration;
use tokio::io::{AsyncBufRead, AsyncBufReadExt, AsyncWrite, AsyncWriteExt};

/// What reading a line gave.
#[derive(Debug, PartialEq, Eq)]
pub enum Line {
    /// A line, left in the caller's buffer without its CRLF (the buffer is reused from line
    /// to line, so a message of many lines costs no allocation per line).
    Ok,
    /// Longer than the limit; the rest of it was read and thrown away.
    TooLong,
    /// Ended by a LF without a CR before it. RFC 5321 forbids it, and servers that accept it
    /// can be fooled into seeing an end of data that the next server does not (smuggling).
    BareLf,
    /// The client closed the connection (a partial line counts as nothing).
    Eof,
    /// Nothing came within the time limit.
    Timeout,
}

/// Reads one line of at most `max` octets including its CRLF into `buf`.
pub async fn read_line<R: AsyncBufRead + Unpin>(
    r: &mut R,
    max: usize,
    wait: Duration,
    buf: &mut Vec<u8>,
) -> std::io::Result<Line> {
    buf.clear();
    let mut too_long = false;
    let mut total = 0usize;
    // The whole line must come within `wait`: a client that drips a byte now and then does not
    // hold its place for ever.
    let until = tokio::time::Instant::now() + wait;
    loop {
        let avail = match tokio::time::timeout_at(until, r.fill_buf()).await {
            Ok(r) => r?,
            Err(_) => return Ok(Line::Timeout),
        };
        if avail.is_empty() {
            return Ok(Line::Eof);
        }
        let (chunk, done) = match memchr(avail) {
            Some(i) => (&avail[..=i], true),
            None => (avail, false),
        };
        let n = chunk.len();
        total += n;
        if total > max {
            too_long = true;
        }
        if !too_long {
            buf.extend_from_slice(chunk);
        }
        r.consume(n);
        if done {
            break;
        }
    }
    if too_long {
        return Ok(Line::TooLong);
    }
    if buf.len() < 2 || buf[buf.len() - 2] != b'\r' {
        return Ok(Line::BareLf);
    }
    buf.truncate(buf.len() - 2);
    Ok(Line::Ok)
}

fn memchr(b: &[u8]) -> Option<usize> {
    b.iter().position(|&c| c == b'\n')
}

/// Replies waiting to be sent.
#[derive(Default)]
pub struct Out {
    buf: Vec<u8>,
}

impl Out {
    /// Adds a reply; `text` may hold several lines separated by `\n`, sent as a multiline
    /// reply (`250-...`, then `250 ...`).
    pub fn reply(&mut self, code: u16, text: &str) {
        let lines: Vec<&str> = text.split('\n').collect();
        for (i, l) in lines.iter().enumerate() {
            let sep = if i + 1 == lines.len() { ' ' } else { '-' };
            self.buf
                .extend_from_slice(format!("{code}{sep}{l}\r\n").as_bytes());
        }
    }

    /// Sends what is waiting.
    pub async fn flush<W: AsyncWrite + Unpin>(&mut self, w: &mut W) -> std::io::Result<()> {
        if !self.buf.is_empty() {
            w.write_all(&self.buf).await?;
            self.buf.clear();
        }
        w.flush().await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::BufReader;

    /// The lines read, as `Ok(line)`, or the fault.
    async fn lines(input: &[u8], max: usize) -> Vec<Result<Vec<u8>, Line>> {
        let mut r = BufReader::with_capacity(8, input);
        let mut buf = Vec::new();
        let mut out = Vec::new();
        loop {
            match read_line(&mut r, max, Duration::from_secs(1), &mut buf)
                .await
                .unwrap()
            {
                Line::Ok => out.push(Ok(buf.clone())),
                Line::Eof => {
                    out.push(Err(Line::Eof));
                    return out;
                }
                fault => out.push(Err(fault)),
            }
        }
    }

    #[tokio::test]
    async fn lines_and_their_faults() {
        assert_eq!(
            lines(b"EHLO a\r\nNOOP\r\n", 512).await,
            [Ok(b"EHLO a".to_vec()), Ok(b"NOOP".to_vec()), Err(Line::Eof)]
        );
        assert_eq!(
            lines(b"a\nb\r\n", 512).await,
            [Err(Line::BareLf), Ok(b"b".to_vec()), Err(Line::Eof)]
        );
        let long = [vec![b'x'; 40], b"\r\nok\r\n".to_vec()].concat();
        assert_eq!(
            lines(&long, 20).await,
            [Err(Line::TooLong), Ok(b"ok".to_vec()), Err(Line::Eof)]
        );
        assert_eq!(lines(b"partial", 512).await, [Err(Line::Eof)]);
    }

    #[test]
    fn multiline_replies() {
        let mut o = Out::default();
        o.reply(250, "host\nSIZE 10\nHELP");
        o.reply(221, "bye");
        assert_eq!(o.buf, b"250-host\r\n250-SIZE 10\r\n250 HELP\r\n221 bye\r\n");
    }
}
