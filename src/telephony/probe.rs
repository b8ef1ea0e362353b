//! A one-off registration check for `doctor`: baresip is started with the kiosk's account on
//! free ports in a temporary directory, and the first registration result is reported. The
//! running kiosk's own baresip is left alone (other ports, its own registration binding).

use super::engine::{TelephonyEngine, TelephonyError};
use super::registration::RegistrationState;
use super::settings::EngineSettings;
use std::net::{SocketAddr, TcpListener};
use std::time::Duration;

/// How long a registrar gets to answer before the probe reports what it has.
const PATIENCE: Duration = Duration::from_secs(10);

/// The registration state reached within `PATIENCE`.
pub async fn probe_registration(
    mut settings: EngineSettings,
) -> Result<RegistrationState, TelephonyError> {
    let runtime = tempfile::tempdir().map_err(|source| TelephonyError::Config {
        dir: std::env::temp_dir().display().to_string(),
        source,
    })?;
    settings.runtime_dir = runtime.path().join("sip");
    settings
        .sip_listen
        .set_port(free_port_pair(settings.sip_listen)?);
    settings.control_listen =
        SocketAddr::from(([127, 0, 0, 1], free_port(settings.control_listen)?));
    let engine = TelephonyEngine::start(settings, None).await?;
    let mut registration = engine.registration();
    let settled = |state: &RegistrationState| {
        !matches!(
            state,
            RegistrationState::Starting | RegistrationState::Registering
        )
    };
    let _ = tokio::time::timeout(PATIENCE, registration.wait_for(settled)).await;
    let state = *registration.borrow();
    engine.shutdown().await;
    Ok(state)
}

fn free_port(near: SocketAddr) -> Result<u16, TelephonyError> {
    let ip = near.ip();
    TcpListener::bind((ip, 0))
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .map_err(|source| TelephonyError::Config {
            dir: format!("a free port on {ip}"),
            source,
        })
}

/// A port whose successor is free too (baresip listens for TLS on port + 1).
fn free_port_pair(near: SocketAddr) -> Result<u16, TelephonyError> {
    for _ in 0..20 {
        let port = free_port(near)?;
        let Some(next) = port.checked_add(1) else {
            continue;
        };
        if TcpListener::bind((near.ip(), next)).is_ok() {
            return Ok(port);
        }
    }
    free_port(near)
}
