//! Properties of the request path check: whatever the path, it is refused or decoded exactly
//! as percent-encoding decodes it, and no decoded segment can climb out or hide a slash.

use super::*;
use proptest::prelude::*;

/// Path-ish text: percent signs, hex digits, signs and slashes are likely.
fn path() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            Just("%".to_owned()),
            Just("/".to_owned()),
            Just("..".to_owned()),
            Just(".".to_owned()),
            "[0-9a-fA-F+\\- ]",
            "%[0-9a-fA-F]{2}",
            "%[0-9a-fA-F+\\- ]{0,2}",
            "\\PC",
        ],
        0..24,
    )
    .prop_map(|v| format!("/dav/{}", v.concat()))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn segments_decode_as_percent_encoding_does(p in path()) {
        if let Some(segs) = checked_segments(&p) {
            let rest = p.strip_prefix(PREFIX).unwrap();
            let want: Vec<String> = rest
                .split('/')
                .filter(|s| !s.is_empty())
                .map(|s| percent_encoding::percent_decode_str(s).decode_utf8().unwrap().into_owned())
                .collect();
            prop_assert_eq!(&segs, &want);
            for s in &segs {
                prop_assert!(s != "." && s != ".." && !s.contains(['/', '\\', '\0']));
            }
        }
    }
}

#[test]
fn a_sign_is_no_hex_digit_in_an_escape() {
    // `u8::from_str_radix` takes a leading `+`, so `%+1` was read as byte 1.
    assert!(checked_segments("/dav/a%+1").is_none());
    assert!(checked_segments("/dav/a%+0").is_none());
    assert_eq!(checked_segments("/dav/a%2B1").unwrap(), vec!["a+1"]);
}
