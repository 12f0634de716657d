//! Is the service up, as the version we expect? `/healthz` over HTTPS (checked against the
//! school's own CA), the SMTP greeting, and WebDAV's OPTIONS: the three doors a school uses.

use std::sync::Arc;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

async fn https_request(ca_pem: &str, addr: &str, request: &str) -> Result<String, String> {
    let mut roots = rustls::RootCertStore::empty();
    for cert in rustls_pemfile_certs(ca_pem) {
        roots.add(cert).map_err(|e| format!("the CA: {e}"))?;
    }
    let config = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .map_err(|e| e.to_string())?
    .with_root_certificates(roots)
    .with_no_client_auth();
    let connector = tokio_rustls::TlsConnector::from(Arc::new(config));
    let tcp = tokio::net::TcpStream::connect(addr)
        .await
        .map_err(|e| format!("{addr}: {e}"))?;
    let name = rustls::pki_types::ServerName::try_from("localhost").expect("a valid name");
    let mut tls = connector
        .connect(name, tcp)
        .await
        .map_err(|e| format!("TLS to {addr}: {e}"))?;
    tls.write_all(request.as_bytes())
        .await
        .map_err(|e| e.to_string())?;
    let mut out = Vec::new();
    let _ = tls.read_to_end(&mut out).await;
    Ok(String::from_utf8_lossy(&out).into_owned())
}

fn rustls_pemfile_certs(pem: &str) -> Vec<rustls::pki_types::CertificateDer<'static>> {
    use base64::Engine;
    let mut out = Vec::new();
    let mut b64 = String::new();
    let mut inside = false;
    for line in pem.lines() {
        if line.starts_with("-----BEGIN CERTIFICATE") {
            inside = true;
            b64.clear();
        } else if line.starts_with("-----END CERTIFICATE") {
            inside = false;
            if let Ok(der) = base64::engine::general_purpose::STANDARD.decode(&b64) {
                out.push(rustls::pki_types::CertificateDer::from(der));
            }
        } else if inside {
            b64.push_str(line.trim());
        }
    }
    out
}

pub async fn check(ca_pem: &str, https: &str, smtp: &str, version: &str) -> Result<(), String> {
    let limit = std::time::Duration::from_secs(10);
    let health = tokio::time::timeout(
        limit,
        https_request(
            ca_pem,
            https,
            "GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
        ),
    )
    .await
    .map_err(|_| "HTTPS /healthz timed out".to_owned())??;
    if !health.starts_with("HTTP/1.1 200") {
        return Err(format!(
            "/healthz answered {:?}",
            health.lines().next().unwrap_or("")
        ));
    }
    if !health.contains(&format!("\"version\":\"{version}\"")) {
        return Err(format!("/healthz is not version {version}"));
    }
    let dav = tokio::time::timeout(
        limit,
        https_request(
            ca_pem,
            https,
            "OPTIONS /dav/ HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
        ),
    )
    .await
    .map_err(|_| "WebDAV OPTIONS timed out".to_owned())??;
    if !dav
        .lines()
        .any(|l| l.to_ascii_lowercase().starts_with("dav: 1"))
    {
        return Err("WebDAV's OPTIONS has no DAV header".into());
    }
    let greeting = tokio::time::timeout(limit, async {
        let mut s = tokio::net::TcpStream::connect(smtp)
            .await
            .map_err(|e| format!("SMTP {smtp}: {e}"))?;
        let mut buf = [0u8; 256];
        let n = s.read(&mut buf).await.map_err(|e| e.to_string())?;
        let _ = s.write_all(b"QUIT\r\n").await;
        Ok::<_, String>(String::from_utf8_lossy(&buf[..n]).into_owned())
    })
    .await
    .map_err(|_| "the SMTP greeting timed out".to_owned())??;
    if !greeting.starts_with("220 ") {
        return Err(format!("SMTP greeted {:?}", greeting.trim()));
    }
    Ok(())
}
