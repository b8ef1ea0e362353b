//! PC/SC end to end: a private `pcscd` with the vsmartcard `vpcd` reader driver, the Rust
//! virtual card plugged into it, and the kiosk's PC/SC driver reading it.
//!
//! Needs the Debian packages `pcscd` and `vsmartcard-vpcd`, and root: pcscd's socket
//! directory is compiled in (`/run/pcscd`), so the daemon runs in a private mount
//! namespace (`unshare --mount`) with a temporary directory mounted there, and the client
//! finds the socket through `PCSCLITE_CSOCK_NAME`. A system pcscd is never touched.
#![cfg(feature = "simulators")]

use legal_kiosk::hal::smartcard::vicc::{SocialSecurityRecords, VirtualCard, MIFARE_1K_ATR};
use legal_kiosk::hal::smartcard::{
    read_social_security, read_staff_card, CardEvent, PcscReader, SmartCardError, SmartCardReader,
};
use legal_kiosk::hal::DeviceHealth;
use std::net::{SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use tokio::sync::mpsc::UnboundedReceiver;

const VPCD_DRIVER: &str = "/usr/lib/pcsc/drivers/serial/libifdvpcd.so";
const READER: &str = "Kiosk Test PCD 00 00";
const EVENT_TIMEOUT: Duration = Duration::from_secs(10);

struct Pcscd {
    child: Child,
    port: u16,
    socket: PathBuf,
    _dir: tempfile::TempDir,
}

/// A port where vpcd can listen for slot 0 and slot 1 (port + 1).
fn free_port_pair() -> u16 {
    for _ in 0..50 {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .expect("bind a probe port");
        if port < u16::MAX && TcpListener::bind(("0.0.0.0", port + 1)).is_ok() {
            return port;
        }
    }
    panic!("no free port pair for vpcd");
}

impl Pcscd {
    fn start() -> Pcscd {
        assert!(
            Path::new("/usr/sbin/pcscd").exists(),
            "install the pcscd package"
        );
        assert!(
            Path::new(VPCD_DRIVER).exists(),
            "install the vsmartcard-vpcd package"
        );
        let dir = tempfile::tempdir().unwrap();
        let conf = dir.path().join("reader.conf.d");
        let run = dir.path().join("run");
        std::fs::create_dir_all(&conf).unwrap();
        std::fs::create_dir_all(&run).unwrap();
        std::fs::create_dir_all("/run/pcscd").expect("create /run/pcscd (needs root)");
        let port = free_port_pair();
        std::fs::write(
            conf.join("vpcd"),
            format!(
                "FRIENDLYNAME \"Kiosk Test PCD\"\nDEVICENAME /dev/null:0x{port:X}\nLIBPATH {VPCD_DRIVER}\nCHANNELID 0x{port:X}\n"
            ),
        )
        .unwrap();
        let log = std::fs::File::create(dir.path().join("pcscd.log")).unwrap();
        let script = format!(
            "mount --bind '{}' /run/pcscd && exec pcscd --foreground --apdu -c '{}'",
            run.display(),
            conf.display()
        );
        let child = Command::new("unshare")
            .args(["--mount", "--propagation", "private", "sh", "-c", &script])
            .stdin(Stdio::null())
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .expect("run unshare (util-linux)");
        let socket = run.join("pcscd.comm");
        let pcscd = Pcscd {
            child,
            port,
            socket,
            _dir: dir,
        };
        pcscd.wait_ready();
        pcscd
    }

    fn wait_ready(&self) {
        let deadline = Instant::now() + EVENT_TIMEOUT;
        while !self.socket.exists() {
            assert!(
                Instant::now() < deadline,
                "pcscd did not start: {}",
                self.log()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn log(&self) -> String {
        std::fs::read_to_string(self._dir.path().join("pcscd.log")).unwrap_or_default()
    }

    fn vpcd(&self) -> SocketAddr {
        SocketAddr::from(([127, 0, 0, 1], self.port))
    }

    fn stop(&mut self) {
        // SIGTERM lets pcscd clean up; it exits within a second.
        if let Ok(pid) = i32::try_from(self.child.id()) {
            // SAFETY: signalling our own child process.
            unsafe { libc::kill(pid, libc::SIGTERM) };
        }
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Pcscd {
    fn drop(&mut self) {
        self.stop();
    }
}

fn next_event(
    rt: &tokio::runtime::Runtime,
    events: &mut UnboundedReceiver<CardEvent>,
) -> CardEvent {
    rt.block_on(async { tokio::time::timeout(EVENT_TIMEOUT, events.recv()).await })
        .expect("card event in time")
        .expect("monitor running")
}

/// Retries until pcscd has finished powering the card up after the insert event.
fn with_card<T>(
    reader: &mut PcscReader,
    mut call: impl FnMut(&mut PcscReader) -> Result<T, SmartCardError>,
) -> T {
    let deadline = Instant::now() + EVENT_TIMEOUT;
    loop {
        match call(reader) {
            Ok(value) => return value,
            Err(e) if Instant::now() < deadline => {
                eprintln!("retrying: {e}");
                std::thread::sleep(Duration::from_millis(100));
            }
            Err(e) => panic!("card call failed: {e}"),
        }
    }
}

#[test]
fn staff_and_social_security_cards_through_a_real_pcscd() {
    let mut pcscd = Pcscd::start();
    // SAFETY (edition 2021: safe fn): set before any PC/SC call; this binary has one test.
    std::env::set_var("PCSCLITE_CSOCK_NAME", &pcscd.socket);
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .unwrap();

    let mut reader = PcscReader::new(Some(READER.to_string()));
    let mut events = reader.card_events().expect("reader listed by pcscd");
    assert!(matches!(reader.uid(), Err(SmartCardError::NoCard)));
    assert_eq!(reader.health(), DeviceHealth::Ready);

    // Staff card: insert, UID, applet, unknown instruction, remove.
    let uid = [0x04, 0xA1, 0xB2, 0xC3];
    let card = VirtualCard::staff(&uid, "S-0042")
        .insert(pcscd.vpcd())
        .unwrap();
    assert_eq!(
        next_event(&rt, &mut events),
        CardEvent::Inserted {
            atr: MIFARE_1K_ATR.to_vec()
        }
    );
    assert_eq!(with_card(&mut reader, |r| r.uid()), uid.to_vec());
    assert_eq!(reader.atr().unwrap(), MIFARE_1K_ATR.to_vec());
    let staff = read_staff_card(&mut reader).unwrap();
    assert_eq!(staff.staff_id, "S-0042");
    assert_eq!(staff.uid, uid.to_vec());
    assert_eq!(
        reader.transmit(&[0x80, 0x10, 0x00, 0x00]).unwrap().sw,
        0x6D00
    );
    assert!(matches!(
        read_social_security(&mut reader),
        Err(SmartCardError::Unsupported(_))
    ));

    card.remove();
    assert_eq!(next_event(&rt, &mut events), CardEvent::Removed);
    assert!(matches!(
        reader.uid(),
        Err(SmartCardError::CardRemoved | SmartCardError::NoCard)
    ));

    // Social-security card: public records only.
    let card_id: [u8; 16] = [
        0x33, 0x03, 0x00, 0xD1, 0x56, 0x00, 0x00, 0x05, 0x99, 0x11, 0x01, 0x45, 0xFF, 0xFF, 0xFF,
        0xFF,
    ];
    let card = VirtualCard::social_security(SocialSecurityRecords {
        card_id,
        spec_version: "3.00".into(),
        card_number: "A12345678".into(),
    })
    .insert(pcscd.vpcd())
    .unwrap();
    assert!(matches!(
        next_event(&rt, &mut events),
        CardEvent::Inserted { .. }
    ));
    let ss = with_card(&mut reader, |r| read_social_security(r));
    assert_eq!(ss.card_id, "330300D15600000599110145FFFFFFFF");
    assert_eq!(ss.region_code(), "330300");
    assert_eq!(ss.spec_version, "3.00");
    assert_eq!(ss.card_number, "A12345678");
    assert!(matches!(reader.uid(), Err(SmartCardError::Unsupported(_))));
    drop(card);
    assert_eq!(next_event(&rt, &mut events), CardEvent::Removed);

    // pcscd gone: the driver reports the service missing and the reader absent.
    pcscd.stop();
    let mut fresh = PcscReader::new(Some(READER.to_string()));
    assert!(matches!(fresh.uid(), Err(SmartCardError::NoService)));
    assert_eq!(fresh.health(), DeviceHealth::Absent);
}
