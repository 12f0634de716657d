//! Properties of `cartable.toml`: any text, and any values under the right keys, give a plan
//! or a list of problems, never a panic; erasing the secrets keeps the file readable, to the
//! same plan less its secrets (the Wi-Fi passphrase included), and a second erasure changes
//! nothing.

use super::*;
use proptest::prelude::*;

/// A value of any TOML type, strings most often (odd ones included).
fn value() -> impl Strategy<Value = toml_edit::Value> {
    prop_oneof![
        4 => "\\PC{0,30}".prop_map(toml_edit::Value::from),
        2 => prop::sample::select(vec![
            "", " ", "fr", "EN", "auto", "static", "dhcp", "10.0.0.2/24", "10.0.0.2/999",
            "::1/128", "192.168.1.1", "ent", "Ent.Lycee.SN", "-x-", "a..b", "Africa/Dakar",
            "../etc", "starttls", "tls", "none", "ssl", "admin", "RW", "ssh-ed25519 AAAA x",
            "baobab-sous-la-pluie", "client", "access-point", "off", "SN", "sn", "Senegal",
            "10.42.0.1/24", "8.8.8.8/24", "Salle des profs",
        ])
        .prop_map(toml_edit::Value::from),
        1 => any::<i64>().prop_map(toml_edit::Value::from),
        1 => (0i64..70000).prop_map(toml_edit::Value::from),
        1 => any::<bool>().prop_map(toml_edit::Value::from),
        1 => any::<f64>().prop_map(toml_edit::Value::from),
        1 => prop::collection::vec("\\PC{0,20}", 0..4)
            .prop_map(|v| toml_edit::Value::Array(v.into_iter().collect())),
    ]
}

const KEYS: &[(&str, &[&str])] = &[
    ("school", &["name", "mail_domain", "language", "timezone"]),
    (
        "network",
        &[
            "hostname",
            "mode",
            "address",
            "gateway",
            "dns",
            "extra_names",
        ],
    ),
    (
        "admin",
        &["username", "first_name", "last_name", "password"],
    ),
    (
        "mail",
        &[
            "relay_host",
            "relay_port",
            "relay_tls",
            "relay_user",
            "relay_password",
            "pupils_outside",
        ],
    ),
    ("maintenance", &["ssh_keys", "update_key"]),
    (
        "wifi",
        &[
            "mode",
            "country",
            "ssid",
            "passphrase",
            "channel",
            "address",
        ],
    ),
];

/// A file with any values under (mostly) the right keys.
fn file() -> impl Strategy<Value = String> {
    let keys: Vec<(&str, &str)> = KEYS
        .iter()
        .flat_map(|(t, ks)| ks.iter().map(move |k| (*t, *k)))
        .chain([("school", "nmae"), ("extra", "x")])
        .collect();
    prop::collection::vec((prop::sample::select(keys), value()), 0..12).prop_map(|pairs| {
        let mut doc = toml_edit::DocumentMut::new();
        for ((table, key), v) in pairs {
            let t = doc.entry(table).or_insert(toml_edit::table());
            if let Some(t) = t.as_table_mut() {
                t.insert(key, toml_edit::Item::Value(v));
            }
        }
        doc.to_string()
    })
}

/// A valid file with the three secrets, comments around them, and a BOM or not.
fn secret_file() -> impl Strategy<Value = (bool, String, String, String, String)> {
    (
        any::<bool>(),
        "[a-z][a-z0-9 éà'-]{0,20}",
        "[a-zA-Z0-9 #'\"\\\\é-]{12,30}",
        "\\PC{1,20}",
        "[ -~]{8,63}",
    )
        .prop_map(|(bom, school, password, relay_password, passphrase)| {
            let mut doc = toml_edit::DocumentMut::new();
            doc["school"]["name"] = toml_edit::value(format!("École {school}"));
            doc["admin"]["username"] = toml_edit::value("principal");
            doc["admin"]["password"] = toml_edit::value(password.clone());
            doc["mail"]["relay_host"] = toml_edit::value("smtp.example.sn");
            doc["mail"]["relay_password"] = toml_edit::value(relay_password.clone());
            doc["wifi"]["mode"] = toml_edit::value("client");
            doc["wifi"]["country"] = toml_edit::value("SN");
            doc["wifi"]["ssid"] = toml_edit::value("Salle des profs");
            doc["wifi"]["passphrase"] = toml_edit::value(passphrase.clone());
            let text = format!(
                "{}# Le fichier du technicien\n{}",
                if bom { "\u{feff}" } else { "" },
                doc.to_string().replace("password =", "password =  ")
            );
            (bom, text, password, relay_password, passphrase)
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn any_text_gives_a_plan_or_problems(text in "\\PC{0,300}") {
        if let Err(problems) = parse(&text) {
            prop_assert!(!problems.is_empty() && problems.iter().all(|p| !p.is_empty()));
        }
    }

    #[test]
    fn any_values_give_a_plan_or_problems_naming_their_keys(text in file()) {
        match parse(&text) {
            Ok(plan) => {
                prop_assert!(!plan.school_name.is_empty());
                prop_assert!(crate::settings::is_dns_name(&plan.hostname));
            }
            Err(problems) => {
                prop_assert!(!problems.is_empty());
                for p in &problems {
                    // A checked value names its key; a value of the wrong type or an unknown
                    // key is toml's own message, which names it too.
                    let named = KEYS.iter().any(|(t, ks)| ks.iter().any(|k| p.contains(&format!("{t}.{k}")) || p.contains(k)))
                        || p.contains("nmae") || p.contains("extra") || p.contains("school.name");
                    prop_assert!(named, "{p:?} for {text:?}");
                }
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn erasing_secrets_keeps_the_file_and_its_plan((bom, text, password, relay, passphrase) in secret_file()) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cartable.toml");
        std::fs::write(&path, &text).unwrap();
        let before = parse(text.trim_start_matches('\u{feff}'));
        prop_assert!(crate::provision::scrub(&path).unwrap(), "nothing erased (BOM {bom})");
        let after = std::fs::read_to_string(&path).unwrap();
        // As the file holds them: quoted and escaped.
        let held = |s: &str| toml_edit::Value::from(s).to_string().trim().to_owned();
        prop_assert!(!after.contains(&held(&password)));
        prop_assert!(!after.contains(&held(&relay)));
        prop_assert!(!after.contains(&held(&passphrase)));
        prop_assert!(after.contains("# Le fichier du technicien"));
        let plan = parse(after.trim_start_matches('\u{feff}'));
        match (before, plan) {
            (Ok(mut b), Ok(a)) => {
                b.admin_password = None;
                if let Some(r) = b.relay.as_mut() {
                    r.password = String::new();
                }
                if let super::super::wifi::Wifi::Client(link) = &mut b.wifi {
                    link.passphrase = None;
                }
                prop_assert_eq!(b, a);
            }
            (Err(b), Err(a)) => prop_assert_eq!(b.len(), a.len() + b.iter().filter(|p| p.starts_with("admin.password")).count()),
            (b, a) => prop_assert!(false, "before {b:?}, after {a:?}"),
        }
        prop_assert!(!crate::provision::scrub(&path).unwrap());
        prop_assert_eq!(std::fs::read_to_string(&path).unwrap(), after);
    }
}
