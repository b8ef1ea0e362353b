//! The systemd watchdog restarts a frozen UI: `legal-kiosk fleet-sim` runs under a tiny
//! supervisor that plays systemd's part (a NOTIFY_SOCKET datagram socket, WATCHDOG_USEC, and
//! a restart when no WATCHDOG=1 arrives within WatchdogSec).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::os::unix::net::UnixDatagram;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::time::{Duration, Instant};

const WATCHDOG: Duration = Duration::from_secs(2);

struct Supervised {
    child: Child,
    stdin: ChildStdin,
    health: SocketAddr,
}

impl Drop for Supervised {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Supervised {
    fn send(&mut self, command: &str) {
        writeln!(self.stdin, "{command}").expect("control command");
        self.stdin.flush().expect("flush");
    }
}

fn spawn_kiosk(notify_socket: &std::path::Path) -> Supervised {
    let mut child = Command::new(env!("CARGO_BIN_EXE_legal-kiosk"))
        .args(["fleet-sim", "--health-listen", "127.0.0.1:0"])
        .env("NOTIFY_SOCKET", notify_socket)
        .env("WATCHDOG_USEC", WATCHDOG.as_micros().to_string())
        .env_remove("WATCHDOG_PID")
        .env("RUST_LOG", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("legal-kiosk fleet-sim starts");
    let stdin = child.stdin.take().expect("stdin");
    let stdout = child.stdout.take().expect("stdout");
    let mut lines = BufReader::new(stdout).lines();
    let health = loop {
        let line = lines
            .next()
            .expect("fleet-sim prints its address")
            .expect("readable stdout");
        if let Ok(json) = serde_json::from_str::<serde_json::Value>(&line) {
            if let Some(addr) = json["health_listen"].as_str() {
                break addr.parse().expect("socket address");
            }
        }
    };
    Supervised {
        child,
        stdin,
        health,
    }
}

/// Plain HTTP/1.0 GET on loopback: the status code.
fn http_status(addr: SocketAddr, path: &str) -> u16 {
    let mut stream = TcpStream::connect_timeout(&addr, Duration::from_secs(2)).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .expect("timeout");
    write!(stream, "GET {path} HTTP/1.0\r\nHost: localhost\r\n\r\n").expect("request");
    let mut response = String::new();
    let _ = stream.read_to_string(&mut response);
    response
        .split_whitespace()
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or(0)
}

/// Next notify message (one datagram may carry several `KEY=VALUE` lines).
fn next_notification(socket: &UnixDatagram, until: Instant) -> Option<String> {
    let left = until.checked_duration_since(Instant::now())?;
    socket
        .set_read_timeout(Some(left.max(Duration::from_millis(1))))
        .ok()?;
    let mut buffer = [0u8; 4096];
    let size = socket.recv(&mut buffer).ok()?;
    Some(String::from_utf8_lossy(&buffer[..size]).into_owned())
}

fn wait_for(socket: &UnixDatagram, wanted: &str, within: Duration) -> bool {
    let until = Instant::now() + within;
    while let Some(message) = next_notification(socket, until) {
        if message.lines().any(|line| line == wanted) {
            return true;
        }
    }
    false
}

#[test]
fn a_frozen_ui_stops_the_watchdog_pings_turns_healthz_503_and_gets_restarted() {
    let dir = tempfile::tempdir().expect("temp dir");
    let socket_path = dir.path().join("notify.sock");
    let socket = UnixDatagram::bind(&socket_path).expect("notify socket");

    let mut kiosk = spawn_kiosk(&socket_path);
    assert!(
        wait_for(&socket, "READY=1", Duration::from_secs(10)),
        "READY=1 at start"
    );
    assert!(
        wait_for(&socket, "WATCHDOG=1", Duration::from_secs(5)),
        "pings while healthy"
    );
    assert!(
        wait_for(&socket, "WATCHDOG=1", Duration::from_secs(5)),
        "pings keep coming"
    );
    assert_eq!(http_status(kiosk.health, "/healthz"), 200);

    assert_eq!(http_status(kiosk.health, "/session"), 204);
    kiosk.send("session-on");
    let deadline = Instant::now() + Duration::from_secs(5);
    while http_status(kiosk.health, "/session") != 409 {
        assert!(
            Instant::now() < deadline,
            "/session turns 409 during a citizen session"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    kiosk.send("session-off");

    kiosk.send("freeze-ui");
    let frozen_at = Instant::now();
    let deadline = frozen_at + Duration::from_secs(10);
    while http_status(kiosk.health, "/healthz") != 503 {
        assert!(
            Instant::now() < deadline,
            "/healthz turns 503 when the UI freezes"
        );
        std::thread::sleep(Duration::from_millis(100));
    }

    // The supervisor: restart once no WATCHDOG=1 has arrived for WatchdogSec.
    let mut last_ping = Instant::now();
    let restarted_at = loop {
        assert!(
            frozen_at.elapsed() < Duration::from_secs(30),
            "the watchdog never stopped pinging"
        );
        let until = last_ping + WATCHDOG;
        match next_notification(&socket, until) {
            Some(message) if message.lines().any(|line| line == "WATCHDOG=1") => {
                last_ping = Instant::now();
            }
            Some(_) => {}
            None => {
                drop(kiosk);
                break Instant::now();
            }
        }
    };
    assert!(
        restarted_at.duration_since(frozen_at) < Duration::from_secs(10),
        "the frozen UI was detected within a few watchdog periods"
    );

    let restarted = spawn_kiosk(&socket_path);
    assert!(
        wait_for(&socket, "READY=1", Duration::from_secs(10)),
        "READY=1 after restart"
    );
    assert!(
        wait_for(&socket, "WATCHDOG=1", Duration::from_secs(5)),
        "pings after restart"
    );
    assert_eq!(http_status(restarted.health, "/healthz"), 200);
}
