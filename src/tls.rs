//! The school's own certificate authority and the server certificate it signs.
//!
//! A school box has no public DNS name, so no public CA can vouch for it. On first start we
//! make a local CA (kept for twenty years, so browsers trust it once) and a server
//! certificate for the configured host names and the box's addresses. The server certificate
//! is made again when those names change or when it nears expiry; the CA never is.

use rcgen::{
    BasicConstraints, CertificateParams, DistinguishedName, DnType, ExtendedKeyUsagePurpose, IsCa,
    Issuer, KeyPair, KeyUsagePurpose, SanType,
};
use std::io::Write;
use std::net::IpAddr;
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

/// The names and addresses the server certificate must cover.
fn subject_names(host_names: &[String]) -> Vec<String> {
    let mut names: Vec<String> = host_names
        .iter()
        .map(|h| h.trim().to_lowercase())
        .filter(|h| !h.is_empty())
        .collect();
    names.push("localhost".into());
    names.push("127.0.0.1".into());
    names.push("::1".into());
    if let Ok(addrs) = nix::ifaddrs::getifaddrs() {
        for a in addrs {
            let ip: Option<IpAddr> = a.address.as_ref().and_then(|s| {
                s.as_sockaddr_in()
                    .map(|v4| IpAddr::from(v4.ip()))
                    .or_else(|| s.as_sockaddr_in6().map(|v6| IpAddr::from(v6.ip())))
            });
            if let Some(ip) = ip.filter(|ip| !ip.is_loopback() && !is_link_local(ip)) {
                names.push(ip.to_string());
            }
        }
    }
    names.sort();
    names.dedup();
    names
}

fn is_link_local(ip: &IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => v4.is_link_local(),
        IpAddr::V6(v6) => (v6.segments()[0] & 0xffc0) == 0xfe80,
    }
}

/// Loads the TLS material from `dir` (normally `DATA/tls`), making what is missing or stale.
pub fn ensure(dir: &Path, school: &str, host_names: &[String]) -> Result<Material, Error> {
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

    let names = subject_names(host_names);
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
}
