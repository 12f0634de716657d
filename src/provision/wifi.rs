//! Wi-Fi, for the boards a school gets without a cable to its network (a Raspberry Pi,
//! mostly): the `[wifi]` section of cartable.toml, checked with the rest of the file, and
//! the operating system's files it becomes under the root folder.
//!
//! - `client` joins the school's network: wpa_supplicant's file, read by Debian's
//!   `wpa_supplicant@wlan0.service`.
//! - `access-point` makes the box's own network, as Internet-in-a-Box and RACHEL do: hostapd's
//!   file, read by Debian's `hostapd@wlan0.service` (its instance name is the interface: the
//!   unit binds to that device and reads `/etc/hostapd/<instance>.conf`).
//! - Both: systemd-networkd's file for wlan0 (a DHCP client, or the box's own address and a
//!   DHCP server for the phones and laptops that join).
//!
//! The units start only when their file is there (`ConditionPathExists=` in the image), so a
//! change of mode is a file written and the others removed; `off` removes all three.
//!
//! The passphrase is erased from cartable.toml once applied, like the other secrets. An empty
//! one afterwards means "keep the applied one", read back from the file written before, for
//! the same mode and network name only: a new network needs its passphrase. Open networks are
//! not supported (a school's portal over an open network would show every password typed on
//! it to anyone nearby). Values are written so that neither daemon needs escaping: the network
//! name as hex, the passphrase as the printable ASCII both take verbatim (or, for the rare
//! passphrase wpa_supplicant would cut at a `#`, as the key it stands for).

use serde::Deserialize;
use std::net::Ipv4Addr;
use std::path::{Path, PathBuf};

/// wpa_supplicant's file for `wpa_supplicant@wlan0.service` (client mode).
pub const CLIENT_FILE: &str = "/etc/wpa_supplicant/wpa_supplicant-wlan0.conf";
/// hostapd's file for `hostapd@wlan0.service` (access-point mode).
pub const ACCESS_POINT_FILE: &str = "/etc/hostapd/wlan0.conf";
/// systemd-networkd's file for wlan0 (both modes).
pub const NETWORK_FILE: &str = "/etc/systemd/network/25-cartable-wifi.network";

const HEADER: &str =
    "# Written by `cartable provision` from cartable.toml; edit that file instead.\n";
const DEFAULT_ADDRESS: (Ipv4Addr, u8) = (Ipv4Addr::new(10, 42, 0, 1), 24);
const DEFAULT_CHANNEL: u8 = 6;

/// The `[wifi]` section as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Section {
    /// `off` (the default), `client` or `access-point`.
    #[serde(default)]
    pub mode: String,
    /// ISO 3166 alpha-2: the regulatory domain (channels and power the law allows).
    #[serde(default)]
    pub country: String,
    #[serde(default)]
    pub ssid: String,
    /// Erased from the file once applied; empty afterwards: keep the applied one.
    #[serde(default)]
    pub passphrase: String,
    /// Access point only: 1 to 13, 6 by default.
    #[serde(default)]
    pub channel: Option<i64>,
    /// Access point only: the box's address on its own network, `10.42.0.1/24` by default.
    #[serde(default)]
    pub address: String,
}

/// The checked section.
#[derive(Debug, Clone, PartialEq)]
pub enum Wifi {
    Off,
    Client(Link),
    AccessPoint(Link, AccessPoint),
}

/// The network the box joins or makes.
#[derive(Debug, Clone, PartialEq)]
pub struct Link {
    /// Upper case: `SN`.
    pub country: String,
    /// As written, not trimmed: a network's name is exact.
    pub ssid: String,
    /// 8 to 63 printable ASCII characters, or the key itself as 64 hex digits (lower case).
    /// `None` only when the file left it empty and there was no root to read the applied one
    /// from (a server that is not the appliance writes no Wi-Fi files).
    pub passphrase: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct AccessPoint {
    pub channel: u8,
    pub address: Ipv4Addr,
    pub prefix: u8,
}

/// ISO 3166-1 alpha-2, as tzdata's iso3166.tab lists them (wireless-regdb uses the same).
const COUNTRIES: &str = "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ \
BL BM BN BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ \
DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT \
GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY \
KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX \
MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS \
RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN \
TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW";

fn is_country(code: &str) -> bool {
    code.len() == 2 && COUNTRIES.split(' ').any(|c| c == code)
}

/// The key itself rather than a passphrase: what both daemons take unquoted.
fn is_key(p: &str) -> bool {
    p.len() == 64 && p.bytes().all(|b| b.is_ascii_hexdigit())
}

/// What WPA2 personal accepts: 8 to 63 printable ASCII characters, or 64 hex digits. The
/// message never repeats the passphrase: it goes to the console.
fn check_passphrase(p: &str) -> Result<(), String> {
    if is_key(p) {
        return Ok(());
    }
    if !p.bytes().all(|b| (b' '..=b'~').contains(&b)) {
        return Err("use only ASCII letters, digits, spaces and punctuation \
             (no accented letters, no line breaks)"
            .into());
    }
    if !(8..=63).contains(&p.len()) {
        return Err(format!(
            "it must be 8 to 63 characters long (or the 64 hex digits of the key); it has {}",
            p.len()
        ));
    }
    Ok(())
}

/// `10.42.0.1/24`: a private IPv4 address with a prefix of 16 to 30, not its network's
/// first or last address.
fn parse_address(a: &str) -> Option<(Ipv4Addr, u8)> {
    let (ip, prefix) = a.split_once('/')?;
    let ip: Ipv4Addr = ip.parse().ok()?;
    let prefix: u8 = prefix.parse().ok()?;
    if !(16..=30).contains(&prefix) || !ip.is_private() {
        return None;
    }
    let host = u32::from(ip) & (u32::MAX >> prefix);
    (host != 0 && host != u32::MAX >> prefix).then_some((ip, prefix))
}

/// Checks the section; each problem names its key. `root` is where the applied files are,
/// to keep the passphrase when the file's copy was erased.
pub fn check(s: &Section, root: Option<&Path>, bad: &mut Vec<String>) -> Wifi {
    let access_point = match s.mode.trim().to_ascii_lowercase().as_str() {
        "" | "off" => return Wifi::Off,
        "client" => false,
        "access-point" => true,
        m => {
            bad.push(format!(
                "wifi.mode: {m:?} must be off, client (join the school's Wi-Fi) or access-point (the box makes its own)"
            ));
            return Wifi::Off;
        }
    };
    let country = s.country.trim().to_ascii_uppercase();
    if country.is_empty() {
        bad.push(
            "wifi.country: give the country's two-letter code (SN, CI, MG, FR...): it sets the channels and power the law allows"
                .into(),
        );
    } else if !is_country(&country) {
        bad.push(format!(
            "wifi.country: {:?} is not a two-letter country code (ISO 3166) such as SN, CI, MG or FR",
            s.country.trim()
        ));
    }
    let ssid = s.ssid.clone();
    if ssid.is_empty() || ssid.len() > 32 || ssid.chars().any(char::is_control) {
        bad.push(format!(
            "wifi.ssid: {ssid:?} must be the network's name, 1 to 32 bytes (an accented letter counts 2), without line breaks"
        ));
    }
    let passphrase = match s.passphrase.as_str() {
        "" => match root {
            None => None,
            Some(root) => {
                let kept = applied_passphrase(root, access_point, &ssid);
                if kept.is_none() {
                    bad.push(format!(
                        "wifi.passphrase: give the passphrase of {ssid:?} (8 to 63 characters); none was applied for this network and mode. It is erased from this file once applied. Open networks, without a passphrase, are not supported"
                    ));
                }
                kept
            }
        },
        p => {
            if let Err(e) = check_passphrase(p) {
                bad.push(format!("wifi.passphrase: {e}"));
            }
            Some(if is_key(p) {
                p.to_ascii_lowercase()
            } else {
                p.to_owned()
            })
        }
    };
    let link = Link {
        country,
        ssid,
        passphrase,
    };
    if !access_point {
        return Wifi::Client(link);
    }
    let channel = match s.channel {
        None => DEFAULT_CHANNEL,
        Some(c @ 1..=13) => c as u8,
        Some(c) => {
            bad.push(format!(
                "wifi.channel: {c} must be between 1 and 13 (1, 6 and 11 do not overlap)"
            ));
            DEFAULT_CHANNEL
        }
    };
    let (address, prefix) = match s.address.trim() {
        "" => DEFAULT_ADDRESS,
        a => parse_address(a).unwrap_or_else(|| {
            bad.push(format!(
                "wifi.address: {a:?} must be a private IPv4 address with its prefix length (16 to 30), like 10.42.0.1/24 or 192.168.50.1/24"
            ));
            DEFAULT_ADDRESS
        }),
    };
    Wifi::AccessPoint(
        link,
        AccessPoint {
            channel,
            address,
            prefix,
        },
    )
}

fn at(root: &Path, path: &str) -> PathBuf {
    root.join(path.trim_start_matches('/'))
}

/// The value of `key=` in one of our files (indented or not), as written.
fn value<'a>(text: &'a str, key: &str) -> Option<&'a str> {
    text.lines()
        .map(str::trim_start)
        .find_map(|l| l.strip_prefix(key)?.strip_prefix('='))
}

fn unhex(h: &str) -> Option<String> {
    String::from_utf8(hex::decode(h).ok()?).ok()
}

/// The passphrase applied before for this mode and network name, if any.
fn applied_passphrase(root: &Path, access_point: bool, ssid: &str) -> Option<String> {
    let file = if access_point {
        ACCESS_POINT_FILE
    } else {
        CLIENT_FILE
    };
    let text = std::fs::read_to_string(at(root, file)).ok()?;
    let (ssid_key, passphrase) = if access_point {
        (
            "ssid2",
            value(&text, "wpa_passphrase").or_else(|| value(&text, "wpa_psk")),
        )
    } else {
        let psk = value(&text, "psk");
        (
            "ssid",
            psk.map(|p| {
                p.strip_prefix('"')
                    .and_then(|p| p.strip_suffix('"'))
                    .unwrap_or(p)
            }),
        )
    };
    if unhex(value(&text, ssid_key)?)? != ssid {
        return None;
    }
    passphrase
        .filter(|p| check_passphrase(p).is_ok())
        .map(str::to_owned)
}

/// The name and address of the box's own network, as applied under `root`, for the console.
pub fn access_point(root: &Path) -> Option<(String, Ipv4Addr)> {
    let hostapd = std::fs::read_to_string(at(root, ACCESS_POINT_FILE)).ok()?;
    let network = std::fs::read_to_string(at(root, NETWORK_FILE)).ok()?;
    let ssid = unhex(value(&hostapd, "ssid2")?)?;
    let address = value(&network, "Address")?
        .split('/')
        .next()?
        .parse()
        .ok()?;
    Some((ssid, address))
}

fn passphrase_of(link: &Link) -> Result<&str, String> {
    link.passphrase.as_deref().ok_or_else(|| {
        format!(
            "wifi.passphrase: none given for {:?} and none applied before",
            link.ssid
        )
    })
}

/// Whether wpa_supplicant reads `psk="<p>"` back as written: it ends a quoted value at its
/// second quote and takes a `#` after that as a comment (tried on Debian 12's 2.10), so a
/// passphrase with a `#` somewhere after a `"` would be cut short.
fn fits_quotes(p: &str) -> bool {
    p.split_once('"')
        .is_none_or(|(_, after)| !after.contains('#'))
}

/// The WPA2 key of a passphrase on a network: PBKDF2-HMAC-SHA1, the network name as salt,
/// 4096 rounds, 32 bytes (IEEE 802.11i, annex H.4), in hex.
fn derived_key(passphrase: &str, ssid: &str) -> String {
    let mut key = [0u8; 32];
    ring::pbkdf2::derive(
        ring::pbkdf2::PBKDF2_HMAC_SHA1,
        std::num::NonZeroU32::new(4096).expect("non-zero"),
        ssid.as_bytes(),
        passphrase.as_bytes(),
        &mut key,
    );
    hex::encode(key)
}

/// wpa_supplicant's file. Key management: WPA2 (PSK, and PSK-SHA256 with optional management
/// frame protection) and WPA3 (SAE) when the chip can; wpa_supplicant drops SAE by itself on
/// a driver without it. SAE needs the passphrase itself, so a 64-hex key, or a passphrase
/// that cannot be quoted and is written as its key, is WPA2 only.
pub fn client_file(link: &Link) -> Result<String, String> {
    let passphrase = passphrase_of(link)?;
    const WPA2: &str = "WPA-PSK WPA-PSK-SHA256";
    let (psk, key_mgmt) = if is_key(passphrase) {
        (passphrase.to_owned(), WPA2)
    } else if fits_quotes(passphrase) {
        // wpa_supplicant takes the passphrase up to its last quote: no escaping needed.
        (format!("\"{passphrase}\""), "WPA-PSK WPA-PSK-SHA256 SAE")
    } else {
        (derived_key(passphrase, &link.ssid), WPA2)
    };
    Ok(format!(
        "{HEADER}# Joins the Wi-Fi network {ssid:?} (its name in hex below).\n\
         ctrl_interface=/run/wpa_supplicant\n\
         update_config=0\n\
         country={country}\n\
         \n\
         network={{\n\
         \tssid={hex}\n\
         \tscan_ssid=1\n\
         \tkey_mgmt={key_mgmt}\n\
         \tieee80211w=1\n\
         \tpsk={psk}\n\
         }}\n",
        ssid = link.ssid,
        country = link.country,
        hex = hex::encode(link.ssid.as_bytes()),
    ))
}

/// hostapd's file: WPA2 personal on 2.4 GHz (every Raspberry Pi's chip has it; 5 GHz
/// channels need radar detection in many countries).
pub fn access_point_file(link: &Link, ap: &AccessPoint) -> Result<String, String> {
    let passphrase = passphrase_of(link)?;
    // hostapd takes the rest of the line verbatim.
    let secret = if is_key(passphrase) {
        format!("wpa_psk={passphrase}")
    } else {
        format!("wpa_passphrase={passphrase}")
    };
    Ok(format!(
        "{HEADER}# The box's own Wi-Fi network {ssid:?} (its name in hex below).\n\
         interface=wlan0\n\
         driver=nl80211\n\
         ctrl_interface=/run/hostapd\n\
         ssid2={hex}\n\
         utf8_ssid=1\n\
         country_code={country}\n\
         ieee80211d=1\n\
         hw_mode=g\n\
         channel={channel}\n\
         wmm_enabled=1\n\
         ieee80211n=1\n\
         auth_algs=1\n\
         wpa=2\n\
         wpa_key_mgmt=WPA-PSK\n\
         rsn_pairwise=CCMP\n\
         {secret}\n",
        ssid = link.ssid,
        hex = hex::encode(link.ssid.as_bytes()),
        country = link.country,
        channel = ap.channel,
    ))
}

/// The DHCP pool on the box's own network: the longer run of addresses on either side of
/// the box's, as (offset from the network's first address, size).
fn pool(ap: &AccessPoint) -> (u32, u32) {
    let size = 1u32 << (32 - ap.prefix);
    let me = u32::from(ap.address) & (size - 1);
    let (above, below) = (size - 2 - me, me - 1);
    if above >= below {
        (me + 1, above)
    } else {
        (1, below)
    }
}

/// systemd-networkd's file for wlan0.
pub fn network_file(wifi: &Wifi) -> Option<String> {
    let mut s = format!("{HEADER}[Match]\nName=wlan0\n\n[Network]\n");
    match wifi {
        Wifi::Off => return None,
        Wifi::Client(_) => s.push_str(
            "DHCP=yes\nMulticastDNS=yes\nLLMNR=yes\n\n\
             [DHCPv4]\n\
             # When a cable is plugged in too, its route wins.\n\
             RouteMetric=2048\n",
        ),
        Wifi::AccessPoint(_, ap) => {
            let (offset, size) = pool(ap);
            s.push_str(&format!(
                "Address={}/{}\n\
                 DHCPServer=yes\n\
                 ConfigureWithoutCarrier=yes\n\
                 MulticastDNS=yes\n\
                 LLMNR=yes\n\n\
                 [DHCPServer]\n\
                 # The box's network leads to the box only: no router, no DNS server to hand out\n\
                 # (NAME.local answers by mDNS).\n\
                 PoolOffset={offset}\n\
                 PoolSize={size}\n\
                 EmitRouter=no\n\
                 EmitDNS=no\n",
                ap.address, ap.prefix
            ));
        }
    }
    Some(s)
}

/// Removes `path` if it is there; true when it did.
fn remove(path: &Path) -> Result<bool, String> {
    match std::fs::remove_file(path) {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(format!("{}: {e}", path.display())),
    }
}

/// Writes the files the mode needs and removes the others. `put` writes a file if its content
/// differs (true when it wrote).
pub fn apply(
    root: &Path,
    wifi: &Wifi,
    put: impl Fn(&Path, &str, u32) -> Result<bool, String>,
) -> Result<Vec<String>, String> {
    let (client, access_point) = match wifi {
        Wifi::Off => (None, None),
        Wifi::Client(link) => (Some(client_file(link)?), None),
        Wifi::AccessPoint(link, ap) => (None, Some(access_point_file(link, ap)?)),
    };
    let mut changed = false;
    for (path, text, mode) in [
        (CLIENT_FILE, client, 0o600),
        (ACCESS_POINT_FILE, access_point, 0o600),
        (NETWORK_FILE, network_file(wifi), 0o644),
    ] {
        let path = at(root, path);
        changed |= match text {
            Some(text) => put(&path, &text, mode)?,
            None => remove(&path)?,
        };
    }
    Ok(match (changed, wifi) {
        (false, _) => vec![],
        (true, Wifi::Off) => vec!["wifi off".into()],
        (true, Wifi::Client(link)) => vec![format!("wifi: joins {:?}", link.ssid)],
        (true, Wifi::AccessPoint(link, ap)) => vec![format!(
            "wifi: access point {:?} at {}/{}, channel {}",
            link.ssid, ap.address, ap.prefix, ap.channel
        )],
    })
}

#[cfg(test)]
mod tests;
