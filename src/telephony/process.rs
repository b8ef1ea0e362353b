//! The baresip process: started with the generated config directory, stopped with SIGTERM
//! (baresip then ends a call properly, with a BYE) and killed if it does not go.

use super::settings::EngineSettings;
use std::process::Stdio;
use std::time::Duration;
use tokio::process::{Child, Command};

/// How long baresip gets to hang up and exit after SIGTERM.
const STOP_PATIENCE: Duration = Duration::from_secs(3);

pub fn spawn(settings: &EngineSettings) -> std::io::Result<Child> {
    let output = || -> std::io::Result<Stdio> {
        Ok(match &settings.log_file {
            Some(path) => std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(path)?
                .into(),
            None => Stdio::null(),
        })
    };
    Command::new(&settings.baresip)
        .arg("-f")
        .arg(&settings.runtime_dir)
        .stdin(Stdio::null())
        .stdout(output()?)
        .stderr(output()?)
        .kill_on_drop(true)
        .spawn()
}

pub async fn stop(mut child: Child) {
    if let Some(pid) = child.id().and_then(|pid| i32::try_from(pid).ok()) {
        // SAFETY: kill(2) on our own child's pid; no memory is touched.
        unsafe {
            libc::kill(pid, libc::SIGTERM);
        }
        if tokio::time::timeout(STOP_PATIENCE, child.wait())
            .await
            .is_ok()
        {
            return;
        }
    }
    let _ = child.kill().await;
}
