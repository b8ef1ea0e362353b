//! The real windowed kiosk (`legal-kiosk demo`, winit + software renderer) starts and keeps
//! running on an X server — the path `make demo` takes on a developer's machine — here on
//! Xvfb, so no display is needed.

use std::io::Read;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

struct Killed(Child);
impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_display() -> u32 {
    (90..200)
        .find(|n| !std::path::Path::new(&format!("/tmp/.X11-unix/X{n}")).exists())
        .expect("a free X display number")
}

#[test]
fn demo_runs_in_a_window_under_xvfb() {
    let display = free_display();
    let xvfb = Command::new("Xvfb")
        .args([
            format!(":{display}"),
            "-screen".into(),
            "0".into(),
            "1080x1920x24".into(),
            "-nolisten".into(),
            "tcp".into(),
        ])
        .stderr(Stdio::null())
        .spawn()
        .expect("Xvfb is installed (make test installs the xvfb package)");
    let _xvfb = Killed(xvfb);
    let socket = format!("/tmp/.X11-unix/X{display}");
    let started = Instant::now();
    while !std::path::Path::new(&socket).exists() {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "Xvfb did not start"
        );
        std::thread::sleep(Duration::from_millis(50));
    }

    let data = tempfile::tempdir().unwrap();
    let mut kiosk = Command::new(env!("CARGO_BIN_EXE_legal-kiosk"))
        .args(["demo", "--windowed"])
        .env("DISPLAY", format!(":{display}"))
        .env("SLINT_BACKEND", "winit-software")
        .env("LEGAL_KIOSK_DEMO_DIR", data.path())
        .env_remove("WAYLAND_DISPLAY")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_secs(4));
    let still_running = kiosk.try_wait().unwrap().is_none();
    let _ = kiosk.kill();
    let _ = kiosk.wait();
    let mut log = String::new();
    kiosk
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut log)
        .unwrap();
    let mut err = String::new();
    kiosk
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    assert!(still_running, "the kiosk exited early:\n{log}\n{err}");
    assert!(err.contains("kiosk starting"), "{log}\n{err}");
    assert!(
        err.contains("simulators=true"),
        "the demo runs on simulators: {log}"
    );
}
