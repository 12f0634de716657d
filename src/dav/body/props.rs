//! Properties of the XML depth check: it measures nesting as xmltree will build it, on any
//! bytes, without panicking; what it lets through, xmltree parses within a thread's stack.

use super::*;
use proptest::prelude::*;

/// An element of `depth` levels, with names, prefixes, attributes and text drawn by proptest.
fn nested(depth: usize, names: &[String], text: &str) -> String {
    let mut open = String::from("<?xml version=\"1.0\"?>");
    let mut close = String::new();
    for i in 0..depth {
        let n = &names[i % names.len()];
        open.push_str(&format!("<D:{n} xmlns:D=\"DAV:\" a=\"{i}\">"));
        close.insert_str(0, &format!("</D:{n}>"));
        if i % 3 == 0 {
            open.push_str(&xml_escape(text));
        }
    }
    open + &close
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;")
}

/// xmltree's parse, on a thread with a small stack: what the check lets through must fit.
fn parses_within(stack: usize, bytes: Vec<u8>) -> bool {
    std::thread::Builder::new()
        .stack_size(stack)
        .spawn(move || xmltree::Element::parse(bytes.as_slice()).is_ok())
        .unwrap()
        .join()
        .is_ok()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn depth_is_measured_as_built(
        depth in 1usize..200,
        names in prop::collection::vec("[a-z][a-z0-9-]{0,8}", 1..4),
        text in "\\PC{0,20}",
    ) {
        let xml = nested(depth, &names, &text);
        prop_assert_eq!(too_deep(xml.as_bytes()), depth > MAX_DEPTH);
        if depth <= MAX_DEPTH {
            prop_assert!(parses_within(512 * 1024, xml.into_bytes()));
        }
    }

    #[test]
    fn any_bytes_are_judged_without_panic(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        let _ = too_deep(&bytes);
    }

    #[test]
    fn xml_like_noise_is_judged_and_what_passes_parses(
        pieces in prop::collection::vec(
            prop_oneof![
                Just("<a>".to_owned()),
                Just("</a>".to_owned()),
                Just("<b x='1'/>".to_owned()),
                Just("<![CDATA[<a>]]>".to_owned()),
                Just("<!-- <a> -->".to_owned()),
                Just("<?pi <a>?>".to_owned()),
                "[a-z<>/\"'=& ]{0,6}",
            ],
            0..3000,
        )
    ) {
        let body = format!("<D:propfind xmlns:D=\"DAV:\">{}", pieces.concat());
        if !too_deep(body.as_bytes()) {
            prop_assert!(parses_within(512 * 1024, body.into_bytes()));
        }
    }
}

#[test]
fn a_body_of_a_thousand_nested_elements_is_too_deep() {
    let body = format!("<D:propfind xmlns:D=\"DAV:\">{}", "<a>".repeat(1000));
    assert!(too_deep(body.as_bytes()));
    let fine = nested(MAX_DEPTH, &["prop".to_owned()], "x");
    assert!(!too_deep(fine.as_bytes()));
}
