//! Properties of the SMTP door's byte-level parsing, on any input a client can send: reading
//! lines under the limits, the line checks, and command parsing. None of them may panic, loop,
//! or let a control byte or an over-long line through to a reply.

use super::command::{self, Command};
use super::io::{Line, read_line};
use super::session::{LineFault, MAX_COMMAND, line_fault};
use proptest::prelude::*;
use std::time::Duration;
use tokio::io::BufReader;

/// Bytes shaped like SMTP traffic: verbs, brackets, CR, LF, NUL and anything else.
fn smtp_bytes(max: usize) -> impl Strategy<Value = Vec<u8>> {
    let piece = prop_oneof![
        Just(b"EHLO ".to_vec()),
        Just(b"MAIL FROM:<".to_vec()),
        Just(b"RCPT TO:<".to_vec()),
        Just(b"AUTH PLAIN ".to_vec()),
        Just(b"DATA".to_vec()),
        Just(b">".to_vec()),
        Just(b"\r\n".to_vec()),
        Just(b"\n".to_vec()),
        Just(b"\r".to_vec()),
        Just(b"\0".to_vec()),
        Just(b".".to_vec()),
        proptest::collection::vec(any::<u8>(), 0..64),
        proptest::collection::vec(b'a'..=b'z', 0..700),
    ];
    proptest::collection::vec(piece, 0..max).prop_map(|v| v.concat())
}

/// Every line `read_line` gives for `input` read through a buffer of `cap` bytes.
fn read_all(input: &[u8], max: usize, cap: usize) -> Vec<Result<Vec<u8>, Line>> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .unwrap();
    rt.block_on(async {
        let mut r = BufReader::with_capacity(cap, input);
        let mut buf = Vec::new();
        let mut out = Vec::new();
        // Each call consumes at least one byte or ends: input.len() + 1 calls at most.
        for _ in 0..=input.len() {
            match read_line(&mut r, max, Duration::from_secs(5), &mut buf)
                .await
                .unwrap()
            {
                Line::Ok => out.push(Ok(buf.clone())),
                Line::Eof => return out,
                fault => out.push(Err(fault)),
            }
        }
        panic!("read_line did not come to the end of {} bytes", input.len());
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn lines_never_exceed_the_limit_and_all_input_is_accounted(
        input in smtp_bytes(40),
        max in 3usize..1100,
        cap in 1usize..64,
    ) {
        let lines = read_all(&input, max, cap);
        let mut complete = 0;
        for line in lines.iter().flatten() {
            prop_assert!(line.len() + 2 <= max);
            prop_assert!(!line.contains(&b'\n'));
            complete += 1;
        }
        // Every LF ends exactly one line, whatever became of it.
        let lfs = input.iter().filter(|&&b| b == b'\n').count();
        prop_assert_eq!(lines.len(), lfs);
        prop_assert!(complete <= lfs);
    }

    #[test]
    fn the_same_lines_whatever_the_chunking(input in smtp_bytes(30), a in 1usize..50, b in 1usize..50) {
        prop_assert_eq!(read_all(&input, 512, a), read_all(&input, 512, b));
    }

    #[test]
    fn what_passes_the_line_checks_is_clean(line in smtp_bytes(3)) {
        let line: Vec<u8> = line.into_iter().filter(|&b| b != b'\n').collect();
        match line_fault(&line) {
            Some(LineFault::Control) => {
                prop_assert!(line.iter().any(|&b| b < 0x20 || b == 0x7f))
            }
            Some(LineFault::TooLong) => prop_assert!(line.len() + 2 > 512),
            None => {
                prop_assert!(line.iter().all(|&b| b >= 0x20 && b != 0x7f));
                prop_assert!(line.len() + 2 <= MAX_COMMAND);
            }
        }
    }

    #[test]
    fn parsing_any_line_gives_a_command_and_names_stay_clean(line in smtp_bytes(4)) {
        match command::parse(&line) {
            Command::Ehlo(name) | Command::Helo(name) => {
                prop_assert!(!name.is_empty() && name.len() <= 255);
                prop_assert!(name.bytes().all(|b| b.is_ascii_graphic()));
            }
            Command::Mail { from, params } => {
                prop_assert!(from.is_ascii());
                prop_assert!(params.iter().all(|(k, _)| !k.is_empty() && k.is_ascii()));
            }
            Command::Rcpt { to, .. } => prop_assert!(!to.is_empty() && to.is_ascii()),
            _ => {}
        }
    }
}
