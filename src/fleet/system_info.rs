//! What the staff "system" screen and the status ticket show about the kiosk itself: the
//! installed image (`/etc/legal-kiosk-image`, written by the image recipe), storage, and
//! whether the network and the case system can be reached.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr, TcpStream, ToSocketAddrs, UdpSocket};
use std::path::Path;
use std::time::Duration;

/// Shown for anything the kiosk cannot tell (a development machine, a missing file).
pub const UNKNOWN: &str = "unknown";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageInfo {
    pub app_version: String,
    pub image_version: String,
    /// The image's content hash, when the recipe recorded one.
    pub image_hash: String,
}

impl ImageInfo {
    /// Reads `path`; the image fields are [`UNKNOWN`] when it is absent or lacks them.
    pub fn read(path: &Path) -> ImageInfo {
        let text = std::fs::read_to_string(path).unwrap_or_default();
        let values: HashMap<&str, &str> = text
            .lines()
            .filter_map(|line| line.split_once('='))
            .map(|(key, value)| (key.trim(), value.trim().trim_matches('"')))
            .collect();
        let get = |key: &str| {
            values
                .get(key)
                .filter(|value| !value.is_empty())
                .map_or_else(|| UNKNOWN.to_owned(), |value| (*value).to_owned())
        };
        ImageInfo {
            app_version: env!("CARGO_PKG_VERSION").to_owned(),
            image_version: get("IMAGE_VERSION"),
            image_hash: get("IMAGE_HASH"),
        }
    }
}

/// `host:port` of an `http://` or `https://` URL (default ports 80 and 443).
pub fn url_host_port(url: &str) -> Option<(String, u16)> {
    let (rest, default_port) = if let Some(rest) = url.strip_prefix("https://") {
        (rest, 443)
    } else if let Some(rest) = url.strip_prefix("http://") {
        (rest, 80)
    } else {
        return None;
    };
    let authority = rest.split(['/', '?', '#']).next()?;
    let authority = authority.rsplit('@').next()?;
    if let Some(v6) = authority.strip_prefix('[') {
        let (host, after) = v6.split_once(']')?;
        let port = match after.strip_prefix(':') {
            Some(port) => port.parse().ok()?,
            None => default_port,
        };
        return Some((host.to_owned(), port));
    }
    match authority.rsplit_once(':') {
        Some((host, port)) => Some((host.to_owned(), port.parse().ok()?)),
        None if !authority.is_empty() => Some((authority.to_owned(), default_port)),
        None => None,
    }
}

/// Reachability of the network and the case system.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reachability {
    /// The local address the kiosk would use towards the case system (none: no route).
    pub local_ip: Option<IpAddr>,
    /// A TCP connection to the case system's port succeeded.
    pub case_system: bool,
}

/// Looks up a route and opens (then closes) a TCP connection to the case system; blocks
/// for at most about `timeout` per address.
pub fn probe_case_system(base_url: &str, timeout: Duration) -> Reachability {
    let addresses: Vec<SocketAddr> = url_host_port(base_url)
        .and_then(|(host, port)| (host.as_str(), port).to_socket_addrs().ok())
        .map(Iterator::collect)
        .unwrap_or_default();
    let local_ip = addresses.iter().find_map(|address| {
        let bind: SocketAddr = if address.is_ipv4() {
            ([0, 0, 0, 0], 0).into()
        } else {
            (std::net::Ipv6Addr::UNSPECIFIED, 0).into()
        };
        // Connecting a UDP socket sends nothing; it only asks the kernel for a route.
        let socket = UdpSocket::bind(bind).ok()?;
        socket.connect(address).ok()?;
        socket.local_addr().ok().map(|local| local.ip())
    });
    let case_system = addresses
        .iter()
        .any(|address| TcpStream::connect_timeout(address, timeout).is_ok());
    Reachability {
        local_ip,
        case_system,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn image_info_reads_the_recipe_file_and_says_unknown_otherwise() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("legal-kiosk-image");
        std::fs::write(
            &path,
            "IMAGE_VERSION=2026.11.1\nCOMPATIBLE=legal-kiosk-rpi4\nIMAGE_HASH=\"ab12cd\"\n",
        )
        .expect("write");
        let info = ImageInfo::read(&path);
        assert_eq!(info.image_version, "2026.11.1");
        assert_eq!(info.image_hash, "ab12cd");
        assert_eq!(info.app_version, env!("CARGO_PKG_VERSION"));
        let missing = ImageInfo::read(&dir.path().join("absent"));
        assert_eq!(missing.image_version, UNKNOWN);
        assert_eq!(missing.image_hash, UNKNOWN);
    }

    #[test]
    fn urls_give_host_and_port() {
        assert_eq!(
            url_host_port("https://case.example.cn/api"),
            Some(("case.example.cn".into(), 443))
        );
        assert_eq!(
            url_host_port("http://127.0.0.1:8480"),
            Some(("127.0.0.1".into(), 8480))
        );
        assert_eq!(url_host_port("http://[::1]:9/x"), Some(("::1".into(), 9)));
        assert_eq!(url_host_port("ftp://x"), None);
        assert_eq!(url_host_port("http://x:notaport"), None);
    }

    #[test]
    fn a_listening_case_system_is_reachable_and_a_closed_port_is_not() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = listener.local_addr().expect("addr").port();
        let up = probe_case_system(&format!("http://127.0.0.1:{port}"), Duration::from_secs(2));
        assert!(up.case_system);
        assert_eq!(up.local_ip, Some(IpAddr::from([127, 0, 0, 1])));
        drop(listener);
        let down = probe_case_system(&format!("http://127.0.0.1:{port}"), Duration::from_secs(2));
        assert!(!down.case_system);
    }
}
