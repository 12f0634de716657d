//! The school's own certificate authority and the server certificate it signs.
//!
//! A school box has no public DNS name, so no public CA can vouch for it. On first start we
//! make a local CA (kept for twenty years, so browsers trust it once) and a server
//! certificate for the configured host names and the box's addresses. The server certificate
//! is made again when a name or address that belongs in it is missing from it, or when it nears
//! expiry; the CA never is.
//!
//! # What belongs in the server certificate
//!
//! A certificate lives 825 days and browsers learn the CA once, so it should name what the box
//! answers to for that long, and nothing that comes and goes; otherwise every start that sees a
//! new address issues a new certificate (issue #21: QEMU's SLAAC address arrived seconds after the
//! server had started, and the next start issued a second certificate). The rule:
//!
//! - always: the configured names (host name, `<host>.local`, extra names, a static or
//!   access-point address: what provisioning and the settings put in `host_names`), and
//!   `localhost`, `127.0.0.1`, `::1`;
//! - IPv4 interface addresses, except loopback, link-local (169.254/16), unspecified and
//!   multicast;
//! - IPv6 interface addresses only when stable and reachable on the LAN: global unicast and
//!   unique-local (`fd00::/8`) stay; loopback, multicast, link-local (`fe80::/10`, useless in a
//!   URL) and deprecated site-local (`fec0::/10`, what QEMU's user network gives) do not, nor
//!   temporary (privacy) addresses, which change daily, nor deprecated ones (their prefix is
//!   going away) or those whose duplicate address detection failed. A tentative address stays:
//!   it becomes valid a moment later, and leaving it out would only issue a new certificate at
//!   the next start.
//!
//! [`belongs`] is the rule, over an address and its kernel flags. The flags are not in
//! `getifaddrs`, so IPv6 addresses are read from `/proc/net/if_inet6` ([`parse_if_inet6`]); no
//! such file means no IPv6. The console ([`lan_addresses`]) lists addresses by the same rule, so
//! it never shows one the certificate leaves out.
//!
//! A certificate that names more than the rule asks is kept (at boot provisioning runs before
//! DHCP, and an older certificate may name an address the rule now leaves out): only a missing
//! name, or nearing expiry, issues a new one.

use rcgen::{
    BasicConstraints, CertificateParams, DistinguishedName, DnType, ExtendedKeyUsagePurpose, IsCa,
    Issuer, KeyPair, KeyUsagePurpose, SanType,
};
use std::io::Write;
use std::net::{IpAddr, Ipv6Addr};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use time::{Duration, OffsetDateTime};

/// Apple refuses server certificates from user-installed roots that live longer than this.
const SERVER_DAYS: i64 = 825;
/// Renew the server certificate when fewer days than this remain.
const RENEW_DAYS: i64 = 60;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("certificate generation failed: {0}")]
    Rcgen(#[from] rcgen::Error),
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("TLS configuration failed: {0}")]
    Rustls(#[from] rustls::Error),
    #[error("{0}: not a valid PEM file")]
    Pem(PathBuf),
}

pub struct Material {
    pub ca_pem: String,
    pub server_config: Arc<rustls::ServerConfig>,
    pub not_after: i64,
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> Error + '_ {
    move |source| Error::Io {
        path: path.to_owned(),
        source,
    }
}

/// Writes a file atomically (temporary file, fsync, rename), readable by the owner only when
/// it holds a private key.
pub fn write_atomic(path: &Path, bytes: &[u8], private: bool) -> std::io::Result<()> {
    use std::os::unix::fs::OpenOptionsExt;
    let tmp = path.with_extension("tmp");
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(if private { 0o600 } else { 0o644 })
        .open(&tmp)?;
    f.write_all(bytes)?;
    f.sync_all()?;
    std::fs::rename(&tmp, path)?;
    if let Some(dir) = path.parent() {
        std::fs::File::open(dir)?.sync_all()?;
    }
    Ok(())
}

fn ca_params(school: &str) -> CertificateParams {
    let mut p = CertificateParams::default();
    let mut dn = DistinguishedName::new();
    dn.push(DnType::CommonName, format!("Cartable local CA ({school})"));
    dn.push(DnType::OrganizationName, school);
    p.distinguished_name = dn;
    p.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
    p.key_usages = vec![
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::CrlSign,
        KeyUsagePurpose::DigitalSignature,
    ];
    p
}

/// The kernel's flags on an IPv6 address (`IFA_F_*` in `linux/if_addr.h`), as
/// `/proc/net/if_inet6` shows them.
const IFA_F_TEMPORARY: u32 = 0x01;
const IFA_F_DADFAILED: u32 = 0x08;
const IFA_F_DEPRECATED: u32 = 0x20;
/// Not among those [`belongs`] refuses: a tentative address is valid a moment later.
#[cfg(test)]
const IFA_F_TENTATIVE: u32 = 0x40;

/// An address of one of the machine's interfaces, with its kernel flags (always 0 for IPv4).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct InterfaceAddress {
    pub ip: IpAddr,
    pub flags: u32,
}

/// Whether an interface address belongs in the server certificate (and on the console): the
/// rule of the module doc.
pub fn belongs(ip: IpAddr, flags: u32) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            !v4.is_loopback() && !v4.is_link_local() && !v4.is_unspecified() && !v4.is_multicast()
        }
        IpAddr::V6(v6) => {
            let first = v6.segments()[0];
            let link_local = first & 0xffc0 == 0xfe80;
            let site_local = first & 0xffc0 == 0xfec0;
            !v6.is_loopback()
                && !v6.is_unspecified()
                && !v6.is_multicast()
                && !link_local
                && !site_local
                && flags & (IFA_F_TEMPORARY | IFA_F_DADFAILED | IFA_F_DEPRECATED) == 0
        }
    }
}

/// The IPv6 addresses of `/proc/net/if_inet6` with their flags. Each line holds the address
/// (32 hex digits), the interface index, prefix length, scope and flags (hex), and the
/// interface's name; a line that does not is skipped.
pub fn parse_if_inet6(text: &str) -> Vec<InterfaceAddress> {
    let hex = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_hexdigit());
    text.lines()
        .filter_map(|line| {
            let f: Vec<&str> = line.split_whitespace().collect();
            let [addr, index, prefix, scope, flags, _name] = f[..] else {
                return None;
            };
            if addr.len() != 32 || ![addr, index, prefix, scope, flags].into_iter().all(hex) {
                return None;
            }
            Some(InterfaceAddress {
                ip: IpAddr::V6(Ipv6Addr::from(u128::from_str_radix(addr, 16).ok()?)),
                flags: u32::from_str_radix(flags, 16).ok()?,
            })
        })
        .collect()
}

/// The machine's interface addresses: IPv4 from `getifaddrs`, IPv6 from `/proc/net/if_inet6`
/// (where their flags are).
fn interface_addresses() -> Vec<InterfaceAddress> {
    let mut out: Vec<InterfaceAddress> = nix::ifaddrs::getifaddrs()
        .map(|addrs| {
            addrs
                .filter_map(|a| a.address?.as_sockaddr_in().map(|v4| IpAddr::V4(v4.ip())))
                .map(|ip| InterfaceAddress { ip, flags: 0 })
                .collect()
        })
        .unwrap_or_default();
    if let Ok(text) = std::fs::read_to_string("/proc/net/if_inet6") {
        out.extend(parse_if_inet6(&text));
    }
    out
}

/// The addresses among `addrs` that belong in the certificate, each once, in their order.
fn certified(addrs: &[InterfaceAddress]) -> Vec<IpAddr> {
    let mut out = Vec::new();
    for a in addrs.iter().filter(|a| belongs(a.ip, a.flags)) {
        if !out.contains(&a.ip) {
            out.push(a.ip);
        }
    }
    out
}

/// The machine's addresses a browser on the school's network can use: those of its interfaces
/// that [`belongs`] keeps, as [`ensure`] does for the certificate.
pub fn lan_addresses() -> Vec<IpAddr> {
    certified(&interface_addresses())
}

/// The names and addresses the server certificate must cover.
fn subject_names(host_names: &[String], addrs: &[InterfaceAddress]) -> Vec<String> {
    let mut names: Vec<String> = host_names
        .iter()
        .map(|h| h.trim().to_lowercase())
        .filter(|h| !h.is_empty())
        // One spelling per address, so that `FEC0:0::1` and `fec0::1` are one name.
        .map(|h| h.parse::<IpAddr>().map_or(h, |ip| ip.to_string()))
        .collect();
    names.push("localhost".into());
    names.push("127.0.0.1".into());
    names.push("::1".into());
    names.extend(certified(addrs).iter().map(IpAddr::to_string));
    names.sort();
    names.dedup();
    names
}

/// Loads the TLS material from `dir` (normally `DATA/tls`), making what is missing or stale.
pub fn ensure(dir: &Path, school: &str, host_names: &[String]) -> Result<Material, Error> {
    ensure_for(dir, school, host_names, &interface_addresses())
}

/// [`ensure`] for the interface addresses `addrs` (a test gives its own).
fn ensure_for(
    dir: &Path,
    school: &str,
    host_names: &[String],
    addrs: &[InterfaceAddress],
) -> Result<Material, Error> {
    std::fs::create_dir_all(dir).map_err(io(dir))?;
    let ca_cert_path = dir.join("ca.crt");
    let ca_key_path = dir.join("ca.key");
    let (ca_pem, ca_key) = if ca_cert_path.exists() && ca_key_path.exists() {
        let pem = std::fs::read_to_string(&ca_cert_path).map_err(io(&ca_cert_path))?;
        let key =
            KeyPair::from_pem(&std::fs::read_to_string(&ca_key_path).map_err(io(&ca_key_path))?)?;
        (pem, key)
    } else {
        let key = KeyPair::generate()?;
        let mut params = ca_params(school);
        let now = OffsetDateTime::now_utc();
        params.not_before = now - Duration::days(1);
        params.not_after = now + Duration::days(20 * 365);
        let cert = params.self_signed(&key)?;
        write_atomic(&ca_key_path, key.serialize_pem().as_bytes(), true)
            .map_err(io(&ca_key_path))?;
        write_atomic(&ca_cert_path, cert.pem().as_bytes(), false).map_err(io(&ca_cert_path))?;
        log::info!(
            "made a new local certificate authority in {}",
            dir.display()
        );
        (cert.pem(), key)
    };
    // The issuer's name must match the CA certificate's subject; the school name it was
    // made with is kept beside it.
    let ca_name_path = dir.join("ca.name");
    let ca_school = match std::fs::read_to_string(&ca_name_path) {
        Ok(s) => s,
        Err(_) => {
            write_atomic(&ca_name_path, school.as_bytes(), false).map_err(io(&ca_name_path))?;
            school.to_owned()
        }
    };

    let names = subject_names(host_names, addrs);
    let meta_path = dir.join("server.names");
    let cert_path = dir.join("server.crt");
    let key_path = dir.join("server.key");
    let expiry_path = dir.join("server.expiry");
    let wanted = names.join("\n");
    let now = OffsetDateTime::now_utc();
    let expiry: Option<i64> = std::fs::read_to_string(&expiry_path)
        .ok()
        .and_then(|s| s.trim().parse().ok());
    // A certificate that already covers every wanted name is kept, even if it names more:
    // at boot the provisioning runs before DHCP has given an address, then the server starts
    // with it, and the two must not keep issuing new certificates in turn.
    let fresh = std::fs::read_to_string(&meta_path)
        .is_ok_and(|m| names.iter().all(|n| m.lines().any(|have| have == n)))
        && cert_path.exists()
        && key_path.exists()
        && expiry.is_some_and(|e| e > (now + Duration::days(RENEW_DAYS)).unix_timestamp());
    if !fresh {
        let key = KeyPair::generate()?;
        let mut params = CertificateParams::default();
        params.distinguished_name.push(
            DnType::CommonName,
            host_names
                .first()
                .cloned()
                .unwrap_or_else(|| "cartable".into()),
        );
        params.subject_alt_names = names
            .iter()
            .map(|n| match n.parse::<IpAddr>() {
                Ok(ip) => Ok(SanType::IpAddress(ip)),
                Err(_) => n.clone().try_into().map(SanType::DnsName),
            })
            .collect::<Result<_, _>>()?;
        params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
        params.key_usages = vec![
            KeyUsagePurpose::DigitalSignature,
            KeyUsagePurpose::KeyEncipherment,
        ];
        params.not_before = now - Duration::days(1);
        params.not_after = now + Duration::days(SERVER_DAYS);
        let issuer = Issuer::new(ca_params(&ca_school), &ca_key);
        let cert = params.signed_by(&key, &issuer)?;
        write_atomic(&key_path, key.serialize_pem().as_bytes(), true).map_err(io(&key_path))?;
        write_atomic(&cert_path, cert.pem().as_bytes(), false).map_err(io(&cert_path))?;
        let e = params.not_after.unix_timestamp().to_string();
        write_atomic(&expiry_path, e.as_bytes(), false).map_err(io(&expiry_path))?;
        write_atomic(&meta_path, wanted.as_bytes(), false).map_err(io(&meta_path))?;
        log::info!("made a server certificate for {}", names.join(", "));
    }
    let not_after = std::fs::read_to_string(&expiry_path)
        .ok()
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(0);
    let server_config = server_config(&cert_path, &key_path, &ca_pem)?;
    Ok(Material {
        ca_pem,
        server_config,
        not_after,
    })
}

fn server_config(
    cert_path: &Path,
    key_path: &Path,
    ca_pem: &str,
) -> Result<Arc<rustls::ServerConfig>, Error> {
    use rustls::pki_types::{CertificateDer, PrivateKeyDer, pem::PemObject};
    let mut chain: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(cert_path)
        .map_err(|_| Error::Pem(cert_path.to_owned()))?
        .collect::<Result<_, _>>()
        .map_err(|_| Error::Pem(cert_path.to_owned()))?;
    // Send the CA too, so that a client can show the whole chain.
    if let Some(Ok(ca)) = CertificateDer::pem_slice_iter(ca_pem.as_bytes()).next() {
        chain.push(ca);
    }
    let key =
        PrivateKeyDer::from_pem_file(key_path).map_err(|_| Error::Pem(key_path.to_owned()))?;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()?
        .with_no_client_auth()
        .with_single_cert(chain, key)?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(Arc::new(config))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v4(ip: &str) -> InterfaceAddress {
        InterfaceAddress {
            ip: ip.parse().unwrap(),
            flags: 0,
        }
    }

    fn v6(ip: &str, flags: u32) -> InterfaceAddress {
        InterfaceAddress {
            ip: ip.parse().unwrap(),
            flags,
        }
    }

    #[test]
    fn which_addresses_belong_in_the_certificate() {
        let table: &[(&str, u32, bool)] = &[
            ("203.0.113.7", 0, true),
            ("192.168.1.10", 0, true),
            ("10.0.2.15", 0, true),
            ("169.254.12.34", 0, false),
            ("127.0.0.1", 0, false),
            ("127.0.1.1", 0, false),
            ("0.0.0.0", 0, false),
            ("224.0.0.251", 0, false),
            // Global unicast, stable (EUI-64 or stable-privacy): PERMANENT and NODAD are harmless.
            ("2001:db8:1:2:5054:ff:fe12:3456", 0, true),
            ("2001:db8:1:2:5054:ff:fe12:3456", 0x80, true),
            ("2001:db8:1:2:5054:ff:fe12:3456", 0x82, true),
            ("2001:db8:1:2:a1b2:c3d4:e5f6:789", IFA_F_TEMPORARY, false),
            ("fd00::2", 0, true),
            ("fd12:3456:789a::1", 0x80, true),
            ("fe80::5054:ff:fe12:3456", 0x80, false),
            ("fec0::5054:ff:fe12:3456", 0, false),
            ("feff::1", 0, false),
            ("2001:db8::1", IFA_F_DEPRECATED, false),
            ("2001:db8::1", IFA_F_DADFAILED | IFA_F_TENTATIVE, false),
            ("2001:db8::1", IFA_F_TENTATIVE, true),
            ("fd00::2", IFA_F_TENTATIVE, true),
            ("ff02::1", 0, false),
            ("::1", 0x80, false),
            ("::", 0, false),
        ];
        for &(ip, flags, want) in table {
            let ip: IpAddr = ip.parse().unwrap();
            assert_eq!(belongs(ip, flags), want, "{ip} with flags {flags:#04x}");
        }
    }

    #[test]
    fn reads_proc_net_if_inet6() {
        let text = "\
fd000000000000000000000000000002 04 40 00 82     eth0
00000000000000000000000000000001 01 80 10 80       lo
fe8000000000000000fc00fffe000001 04 40 20 80     eth0
fec0000000000000505400fffe123456 02 40 40 00     eth0
20010db8000100020a1b2c3d4e5f6789 02 40 00 01     eth0
20010db80001000 02 40 00 01     eth0
+0010db8000100020a1b2c3d4e5f6789 02 40 00 01     eth0
20010db8000100020a1b2c3d4e5f6789 02 40 00
2001:db8::1 02 40 00 00 eth0
";
        assert_eq!(
            parse_if_inet6(text),
            vec![
                v6("fd00::2", 0x82),
                v6("::1", 0x80),
                v6("fe80::fc:ff:fe00:1", 0x80),
                v6("fec0::5054:ff:fe12:3456", 0),
                v6("2001:db8:1:2:a1b:2c3d:4e5f:6789", IFA_F_TEMPORARY),
            ],
            "the short, signed, truncated and colon-written lines are skipped"
        );
        assert_eq!(parse_if_inet6(""), vec![]);
    }

    #[test]
    fn the_console_and_the_certificate_name_the_same_addresses() {
        let addrs = [
            v4("10.0.2.15"),
            v4("127.0.0.1"),
            v6("fec0::5054:ff:fe12:3456", 0),
            v6("fe80::5054:ff:fe12:3456", 0x80),
            v6("2001:db8::5054:ff:fe12:3456", 0),
            v6("2001:db8::a1b2", IFA_F_TEMPORARY),
            v4("10.0.2.15"),
        ];
        let shown = certified(&addrs);
        assert_eq!(
            shown,
            ["10.0.2.15", "2001:db8::5054:ff:fe12:3456"].map(|s| s.parse::<IpAddr>().unwrap())
        );
        let names = subject_names(&["Ecole.local".into(), "FEC0:0::9".into()], &addrs);
        assert_eq!(
            names,
            [
                "10.0.2.15",
                "127.0.0.1",
                "2001:db8::5054:ff:fe12:3456",
                "::1",
                "ecole.local",
                "fec0::9",
                "localhost"
            ],
            "a configured address is named even where the rule leaves interfaces out"
        );
        for ip in &shown {
            assert!(names.contains(&ip.to_string()), "{ip} on the console only");
        }
    }

    #[test]
    fn made_once_and_kept() {
        let dir = tempfile::tempdir().unwrap();
        let a = ensure(dir.path(), "École Test", &["ecole.local".into()]).unwrap();
        let b = ensure(dir.path(), "École Test", &["ecole.local".into()]).unwrap();
        assert_eq!(a.ca_pem, b.ca_pem);
        let crt1 = std::fs::read(dir.path().join("server.crt")).unwrap();
        ensure(dir.path(), "École Test", &["autre.local".into()]).unwrap();
        let crt2 = std::fs::read(dir.path().join("server.crt")).unwrap();
        assert_ne!(
            crt1, crt2,
            "a new host name must give a new server certificate"
        );
        // Fewer names than the certificate holds (no address yet, early at boot): kept.
        ensure(dir.path(), "École Test", &[]).unwrap();
        let crt3 = std::fs::read(dir.path().join("server.crt")).unwrap();
        assert_eq!(crt2, crt3, "a certificate covering every name is kept");
        let key = dir.path().join("ca.key");
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(key).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }

    /// Issue #21: under QEMU the SLAAC address (`fec0::…`) arrived after the server had started,
    /// and the next start issued a second certificate.
    #[test]
    fn an_address_left_out_arriving_late_keeps_the_certificate() {
        let dir = tempfile::tempdir().unwrap();
        let names = ["cartable".to_owned(), "cartable.local".to_owned()];
        let crt = || std::fs::read(dir.path().join("server.crt")).unwrap();
        let boot1 = [v4("10.0.2.15")];
        ensure_for(dir.path(), "École", &names, &boot1).unwrap();
        let first = crt();
        ensure_for(dir.path(), "École", &names, &boot1).unwrap();
        assert_eq!(crt(), first, "the same names: the same certificate");
        let boot2 = [
            v4("10.0.2.15"),
            v4("169.254.7.7"),
            v6("fec0::5054:ff:fe12:3456", 0),
            v6("fe80::5054:ff:fe12:3456", 0x80),
            v6("2001:db8::a1b2:c3d4", IFA_F_TEMPORARY),
            v6("2001:db8::dead", IFA_F_DEPRECATED),
            v6("2001:db8::beef", IFA_F_DADFAILED),
        ];
        ensure_for(dir.path(), "École", &names, &boot2).unwrap();
        assert_eq!(crt(), first, "only addresses the rule leaves out appeared");
        let meta = std::fs::read_to_string(dir.path().join("server.names")).unwrap();
        assert!(!meta.contains("fec0"), "{meta}");
        // A stable address that belongs: a new certificate, then kept.
        let boot3 = [v4("10.0.2.15"), v6("2001:db8::5054:ff:fe12:3456", 0)];
        ensure_for(dir.path(), "École", &names, &boot3).unwrap();
        let second = crt();
        assert_ne!(second, first, "a stable global address was missing");
        ensure_for(dir.path(), "École", &names, &boot3).unwrap();
        ensure_for(dir.path(), "École", &names, &boot1).unwrap();
        assert_eq!(crt(), second, "a certificate that covers more is kept");
    }
}
