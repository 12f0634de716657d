//! The `[wifi]` section end to end, in a temporary root: the files each mode writes (content
//! and permissions), the ones it removes, a second run that changes nothing, the passphrase
//! erased from cartable.toml and kept from the applied file, and every bad value refused
//! before anything is written.

use super::*;
use crate::provision::config::{self, Plan};
use crate::provision::{Failure, run, system};
use std::os::unix::fs::PermissionsExt;

const SCHOOL: &str = "[school]\nname = \"Lycée Senghor\"\n";

fn plan(wifi: &str, root: Option<&Path>) -> Result<Plan, Vec<String>> {
    config::parse_at(&format!("{SCHOOL}[wifi]\n{wifi}"), root)
}

fn read(root: &Path, path: &str) -> Option<String> {
    std::fs::read_to_string(at(root, path)).ok()
}

fn mode_of(root: &Path, path: &str) -> u32 {
    std::fs::metadata(at(root, path))
        .unwrap()
        .permissions()
        .mode()
        & 0o777
}

fn apply_wifi(root: &Path, wifi: &str) -> Vec<String> {
    let plan = plan(wifi, Some(root)).unwrap();
    system::apply(root, &plan).unwrap()
}

const CLIENT: &str = "mode = \"client\"\ncountry = \"sn\"\nssid = \"Salle des profs\"\npassphrase = \"baobab #2 \\\"sous\\\" la pluie \"\n";
const ACCESS_POINT: &str = "mode = \"access-point\"\ncountry = \"SN\"\nssid = \"Cartable-École\"\npassphrase = \"manguier-2024\"\nchannel = 11\n";

#[test]
fn client_mode_writes_wpa_supplicant_and_networkd_files() {
    let root = tempfile::tempdir().unwrap();
    let changed = apply_wifi(root.path(), CLIENT);
    assert!(
        changed.contains(&"wifi: joins \"Salle des profs\"".to_owned()),
        "{changed:?}"
    );
    let conf = read(root.path(), CLIENT_FILE).unwrap();
    assert!(
        conf.starts_with(
            "# Written by `cartable provision` from cartable.toml; edit that file instead.\n"
        ),
        "{conf}"
    );
    for line in [
        "country=SN\n",
        "update_config=0\n",
        // "Salle des profs" in hex: no quoting to get wrong.
        "\tssid=53616c6c65206465732070726f6673\n",
        "\tkey_mgmt=WPA-PSK WPA-PSK-SHA256 SAE\n",
        "\tieee80211w=1\n",
        "\tpsk=\"baobab #2 \"sous\" la pluie \"\n",
    ] {
        assert!(conf.contains(line), "{line:?} in {conf}");
    }
    assert_eq!(mode_of(root.path(), CLIENT_FILE), 0o600);
    let net = read(root.path(), NETWORK_FILE).unwrap();
    assert!(
        net.contains("[Match]\nName=wlan0\n\n[Network]\nDHCP=yes\nMulticastDNS=yes\nLLMNR=yes\n"),
        "{net}"
    );
    assert_eq!(mode_of(root.path(), NETWORK_FILE), 0o644);
    assert!(read(root.path(), ACCESS_POINT_FILE).is_none());
    assert!(
        apply_wifi(root.path(), CLIENT).is_empty(),
        "a second run changes nothing"
    );
}

#[test]
fn a_64_hex_key_is_written_unquoted_and_without_sae() {
    let root = tempfile::tempdir().unwrap();
    let key = "0123456789ABCDEF".repeat(4);
    apply_wifi(
        root.path(),
        &format!("mode = \"client\"\ncountry = \"FR\"\nssid = \"x\"\npassphrase = \"{key}\"\n"),
    );
    let conf = read(root.path(), CLIENT_FILE).unwrap();
    assert!(
        conf.contains(&format!("\tpsk={}\n", key.to_ascii_lowercase())),
        "{conf}"
    );
    assert!(
        conf.contains("\tkey_mgmt=WPA-PSK WPA-PSK-SHA256\n"),
        "{conf}"
    );
    apply_wifi(
        root.path(),
        &format!(
            "mode = \"access-point\"\ncountry = \"FR\"\nssid = \"x\"\npassphrase = \"{key}\"\n"
        ),
    );
    let conf = read(root.path(), ACCESS_POINT_FILE).unwrap();
    assert!(
        conf.contains(&format!("\nwpa_psk={}\n", key.to_ascii_lowercase())),
        "{conf}"
    );
    assert!(!conf.contains("wpa_passphrase"), "{conf}");
}

#[test]
fn a_passphrase_wpa_supplicant_would_cut_is_written_as_its_key() {
    // IEEE 802.11i annex H.4's first test vector.
    assert_eq!(
        derived_key("password", "IEEE"),
        "f42c6fc52df0ebef9ebb4b90b38a5f902e83fe1b135a70e23aed762e9710a12e"
    );
    assert!(fits_quotes("ab#cd\"efgh") && fits_quotes("\"abcdefgh\""));
    assert!(!fits_quotes("ab\"cd#efgh"));
    let root = tempfile::tempdir().unwrap();
    let wifi =
        "mode = \"client\"\ncountry = \"SN\"\nssid = \"IEEE\"\npassphrase = \"pass\\\"word#1\"\n";
    apply_wifi(root.path(), wifi);
    let conf = read(root.path(), CLIENT_FILE).unwrap();
    assert!(
        conf.contains(&format!("\tpsk={}\n", derived_key("pass\"word#1", "IEEE"))),
        "{conf}"
    );
    assert!(
        conf.contains("\tkey_mgmt=WPA-PSK WPA-PSK-SHA256\n"),
        "{conf}"
    );
    // Read back as the key, it writes the same file.
    let kept = wifi.replace("pass\\\"word#1", "");
    assert!(apply_wifi(root.path(), &kept).is_empty());
}

#[test]
fn access_point_mode_writes_hostapd_and_a_dhcp_server() {
    let root = tempfile::tempdir().unwrap();
    let changed = apply_wifi(root.path(), ACCESS_POINT);
    assert!(
        changed.contains(
            &"wifi: access point \"Cartable-École\" at 10.42.0.1/24, channel 11".to_owned()
        ),
        "{changed:?}"
    );
    let conf = read(root.path(), ACCESS_POINT_FILE).unwrap();
    for line in [
        "\ninterface=wlan0\n",
        "\ndriver=nl80211\n",
        // "Cartable-École" as UTF-8, in hex.
        &format!("\nssid2={}\n", hex::encode("Cartable-École")),
        "\nutf8_ssid=1\n",
        "\ncountry_code=SN\n",
        "\nieee80211d=1\n",
        "\nhw_mode=g\n",
        "\nchannel=11\n",
        "\nwmm_enabled=1\n",
        "\nieee80211n=1\n",
        "\nauth_algs=1\n",
        "\nwpa=2\n",
        "\nwpa_key_mgmt=WPA-PSK\n",
        "\nrsn_pairwise=CCMP\n",
        "\nwpa_passphrase=manguier-2024\n",
    ] {
        assert!(conf.contains(line), "{line:?} in {conf}");
    }
    assert_eq!(mode_of(root.path(), ACCESS_POINT_FILE), 0o600);
    let net = read(root.path(), NETWORK_FILE).unwrap();
    for line in [
        "\nAddress=10.42.0.1/24\n",
        "\nDHCPServer=yes\n",
        "\nConfigureWithoutCarrier=yes\n",
        "\nMulticastDNS=yes\n",
        "\n[DHCPServer]\n",
        "\nPoolOffset=2\nPoolSize=253\n",
        "\nEmitDNS=no\n",
    ] {
        assert!(net.contains(line), "{line:?} in {net}");
    }
    assert!(read(root.path(), CLIENT_FILE).is_none());
    assert_eq!(
        access_point(root.path()),
        Some(("Cartable-École".into(), Ipv4Addr::new(10, 42, 0, 1)))
    );
    assert!(apply_wifi(root.path(), ACCESS_POINT).is_empty());
}

#[test]
fn the_dhcp_pool_leaves_out_the_box_and_the_ends() {
    let ap = |a: [u8; 4], prefix| AccessPoint {
        channel: 6,
        address: Ipv4Addr::from(a),
        prefix,
    };
    assert_eq!(pool(&ap([10, 42, 0, 1], 24)), (2, 253));
    assert_eq!(pool(&ap([192, 168, 50, 254], 24)), (1, 253));
    assert_eq!(pool(&ap([10, 0, 0, 100], 24)), (101, 154));
    assert_eq!(pool(&ap([10, 0, 0, 200], 24)), (1, 199));
    assert_eq!(pool(&ap([172, 16, 0, 1], 16)), (2, 65533));
    assert_eq!(pool(&ap([10, 0, 0, 1], 30)), (2, 1));
    assert_eq!(pool(&ap([10, 0, 0, 2], 30)), (1, 1));
}

#[test]
fn a_mode_change_removes_the_files_it_no_longer_needs() {
    let root = tempfile::tempdir().unwrap();
    apply_wifi(root.path(), CLIENT);
    assert!(read(root.path(), CLIENT_FILE).is_some());
    apply_wifi(root.path(), ACCESS_POINT);
    assert!(
        read(root.path(), CLIENT_FILE).is_none(),
        "client file removed"
    );
    assert!(read(root.path(), ACCESS_POINT_FILE).is_some());
    assert!(
        read(root.path(), NETWORK_FILE)
            .unwrap()
            .contains("DHCPServer=yes")
    );
    apply_wifi(root.path(), CLIENT);
    assert!(
        read(root.path(), ACCESS_POINT_FILE).is_none(),
        "hostapd file removed"
    );
    assert_eq!(
        apply_wifi(root.path(), "mode = \"off\"\n"),
        ["wifi off"],
        "only Wi-Fi changed"
    );
    for f in [CLIENT_FILE, ACCESS_POINT_FILE, NETWORK_FILE] {
        assert!(read(root.path(), f).is_none(), "{f} removed");
    }
    assert!(apply_wifi(root.path(), "").is_empty(), "off stays off");
}

#[test]
fn the_access_point_address_is_among_the_certificate_names() {
    let p = plan(ACCESS_POINT, None).unwrap();
    assert_eq!(p.host_names, ["cartable", "cartable.local", "10.42.0.1"]);
    let p = plan(
        &format!("{ACCESS_POINT}address = \"192.168.50.1/24\"\n"),
        None,
    )
    .unwrap();
    assert!(p.host_names.contains(&"192.168.50.1".to_owned()));
    assert!(
        !plan(CLIENT, None)
            .unwrap()
            .host_names
            .contains(&"10.42.0.1".to_owned())
    );
}

fn provision_file(dir: &Path, wifi: &str) -> PathBuf {
    let file = dir.join("cartable.toml");
    std::fs::write(
        &file,
        format!("{SCHOOL}[wifi]\n# Le mot de passe du Wi-Fi / the Wi-Fi passphrase\n{wifi}"),
    )
    .unwrap();
    file
}

#[test]
fn the_passphrase_is_erased_once_applied_and_kept_afterwards() {
    let dir = tempfile::tempdir().unwrap();
    let (data, root) = (dir.path().join("data"), dir.path().join("root"));
    let file = provision_file(dir.path(), CLIENT);
    let changed = run(&data, &file, Some(&root)).unwrap();
    assert!(
        changed.iter().any(|c| c.starts_with("secrets removed")),
        "{changed:?}"
    );
    let after = std::fs::read_to_string(&file).unwrap();
    assert!(
        after.contains("passphrase = \"\"") && !after.contains("baobab"),
        "{after}"
    );
    assert!(
        after.contains("# Le mot de passe du Wi-Fi"),
        "comments kept: {after}"
    );
    let applied = read(&root, CLIENT_FILE).unwrap();
    assert!(
        run(&data, &file, Some(&root)).unwrap().is_empty(),
        "the next run keeps the applied passphrase and changes nothing"
    );
    assert_eq!(read(&root, CLIENT_FILE).unwrap(), applied);
    // Another country keeps it too: same mode, same network.
    let text = after.replace("country = \"sn\"", "country = \"CI\"");
    std::fs::write(&file, text).unwrap();
    run(&data, &file, Some(&root)).unwrap();
    let conf = read(&root, CLIENT_FILE).unwrap();
    assert!(
        conf.contains("country=CI\n") && conf.contains("la pluie \"\n"),
        "{conf}"
    );
}

#[test]
fn an_erased_passphrase_is_not_carried_to_another_network_or_mode() {
    let dir = tempfile::tempdir().unwrap();
    let (data, root) = (dir.path().join("data"), dir.path().join("root"));
    let file = provision_file(dir.path(), CLIENT);
    run(&data, &file, Some(&root)).unwrap();
    let scrubbed = std::fs::read_to_string(&file).unwrap();
    for other in [
        scrubbed.replace("Salle des profs", "CDI"),
        scrubbed.replace("\"client\"", "\"access-point\""),
    ] {
        std::fs::write(&file, &other).unwrap();
        let Err(Failure::Invalid(problems)) = run(&data, &file, Some(&root)) else {
            panic!("accepted {other}");
        };
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].starts_with("wifi.passphrase: "), "{problems:?}");
        assert!(
            problems[0].contains("not supported"),
            "open networks: {problems:?}"
        );
    }
    assert!(read(&root, CLIENT_FILE).is_some(), "left as it was");
    assert!(read(&root, ACCESS_POINT_FILE).is_none());
}

#[test]
fn the_first_time_needs_a_passphrase() {
    let root = tempfile::tempdir().unwrap();
    let e = plan(
        "mode = \"client\"\ncountry = \"SN\"\nssid = \"x\"\n",
        Some(root.path()),
    )
    .unwrap_err();
    assert!(e[0].starts_with("wifi.passphrase: "), "{e:?}");
    // Without a root (a server, not the appliance), nothing is written: no need for one.
    assert!(plan("mode = \"client\"\ncountry = \"SN\"\nssid = \"x\"\n", None).is_ok());
}

#[test]
fn every_bad_value_is_reported_naming_its_key_and_nothing_is_written() {
    let good_ap =
        "mode = \"access-point\"\ncountry = \"SN\"\nssid = \"x\"\npassphrase = \"12345678\"\n";
    let cases: &[(&str, &str)] = &[
        ("wifi.mode:", "mode = \"wifi\"\n"),
        (
            "wifi.country:",
            "mode = \"client\"\ncountry = \"Senegal\"\nssid = \"x\"\npassphrase = \"12345678\"\n",
        ),
        (
            "wifi.country:",
            "mode = \"client\"\ncountry = \"XX\"\nssid = \"x\"\npassphrase = \"12345678\"\n",
        ),
        (
            "wifi.country:",
            "mode = \"client\"\nssid = \"x\"\npassphrase = \"12345678\"\n",
        ),
        (
            "wifi.ssid:",
            "mode = \"client\"\ncountry = \"SN\"\nssid = \"\"\npassphrase = \"12345678\"\n",
        ),
        (
            "wifi.ssid:",
            // 17 two-byte letters: 34 bytes.
            "mode = \"client\"\ncountry = \"SN\"\nssid = \"ééééééééééééééééé\"\npassphrase = \"12345678\"\n",
        ),
        (
            "wifi.ssid:",
            "mode = \"client\"\ncountry = \"SN\"\nssid = \"a\\nb\"\npassphrase = \"12345678\"\n",
        ),
        (
            "wifi.passphrase:",
            "mode = \"client\"\ncountry = \"SN\"\nssid = \"x\"\npassphrase = \"1234567\"\n",
        ),
        (
            "wifi.passphrase:",
            "mode = \"client\"\ncountry = \"SN\"\nssid = \"x\"\npassphrase = \"mot de passe élève\"\n",
        ),
        (
            "wifi.passphrase:",
            "mode = \"client\"\ncountry = \"SN\"\nssid = \"x\"\npassphrase = \"12345678\\n90\"\n",
        ),
        (
            "wifi.passphrase:",
            "mode = \"client\"\ncountry = \"SN\"\nssid = \"x\"\npassphrase = \"z234567890123456789012345678901234567890123456789012345678901234\"\n",
        ),
        ("wifi.channel:", &format!("{good_ap}channel = 14\n")),
        ("wifi.channel:", &format!("{good_ap}channel = 0\n")),
        (
            "wifi.address:",
            &format!("{good_ap}address = \"8.8.8.1/24\"\n"),
        ),
        (
            "wifi.address:",
            &format!("{good_ap}address = \"10.42.0.1/8\"\n"),
        ),
        (
            "wifi.address:",
            &format!("{good_ap}address = \"10.42.0.1/31\"\n"),
        ),
        (
            "wifi.address:",
            &format!("{good_ap}address = \"10.42.0.1\"\n"),
        ),
        (
            "wifi.address:",
            &format!("{good_ap}address = \"10.42.0.0/24\"\n"),
        ),
        (
            "wifi.address:",
            &format!("{good_ap}address = \"10.42.0.255/24\"\n"),
        ),
        (
            "wifi.address:",
            &format!("{good_ap}address = \"fd00::1/64\"\n"),
        ),
        ("wifi.", "mode = \"client\"\nchanel = 6\n"),
    ];
    for (key, wifi) in cases {
        let dir = tempfile::tempdir().unwrap();
        let (data, root) = (dir.path().join("data"), dir.path().join("root"));
        let file = provision_file(dir.path(), wifi);
        let Err(Failure::Invalid(problems)) = run(&data, &file, Some(&root)) else {
            panic!("accepted {wifi}");
        };
        assert!(
            problems
                .iter()
                .any(|p| p.starts_with(key) || p.contains("chanel")),
            "{key} in {problems:?} for {wifi}"
        );
        assert!(
            !problems.iter().any(|p| p.contains("12345678")),
            "a passphrase is never repeated: {problems:?}"
        );
        assert!(!root.exists(), "nothing written for {wifi}");
        assert!(!data.join("cartable.db").exists());
    }
}

#[test]
fn the_access_point_and_a_static_wired_address_need_two_networks() {
    let text = format!(
        "{SCHOOL}[network]\nmode = \"static\"\naddress = \"10.42.0.5/16\"\n[wifi]\n{ACCESS_POINT}"
    );
    let e = config::parse(&text).unwrap_err();
    assert!(e[0].starts_with("wifi.address:"), "{e:?}");
    let text = text.replace("10.42.0.5/16", "10.42.1.5/16");
    let e = config::parse(&text).unwrap_err();
    assert!(
        e[0].starts_with("wifi.address:"),
        "a /16 around the /24: {e:?}"
    );
    let text = text.replace("10.42.1.5/16", "10.43.0.5/16");
    assert!(config::parse(&text).is_ok());
}

#[test]
fn off_ignores_the_other_keys_and_keeps_their_passphrase() {
    let p = plan(
        "mode = \"off\"\ncountry = \"Senegal\"\nssid = \"\"\npassphrase = \"x\"\nchannel = 99\n",
        None,
    )
    .unwrap();
    assert_eq!(p.wifi, Wifi::Off);
    let dir = tempfile::tempdir().unwrap();
    let file = provision_file(
        dir.path(),
        "mode = \"off\"\npassphrase = \"pas encore utilisé\"\n",
    );
    assert!(
        !crate::provision::scrub(&file).unwrap(),
        "not applied, not erased"
    );
}
