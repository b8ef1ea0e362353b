//! The telephony engine against real baresip processes on loopback: a second baresip plays
//! the duty lawyer. Each side sends a known tone from a WAV file (baresip's `aufile` source)
//! and records what it hears through ALSA's `file` plugin into a FIFO this test reads; the
//! frequency of what arrived is measured here. Every process is started and stopped by the
//! test, in temporary directories, on free loopback ports.

use legal_kiosk::fleet::audit::{
    AuditEventId, Auditor, MemoryAuditSink, Outcome, Phase, ReasonCode,
};
use legal_kiosk::telephony::{
    probe_registration, AccountSettings, AudioDevices, CallPhase, CallView, Command, EndReason,
    EngineSettings, Line, LineHours, MediaEncryption, RegistrationState, TelephonyEngine,
    Transport,
};
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream, UdpSocket};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::watch;

const SAMPLE_RATE: u32 = 48_000;
const KIOSK_TONE_HZ: f64 = 440.0;
const LAWYER_TONE_HZ: f64 = 1000.0;
/// Longer than any call here: baresip's `menu` ends a call when its file source runs out.
const TONE_SECONDS: u32 = 60;
const EVENT_TIMEOUT: Duration = Duration::from_secs(20);

/// A UDP+TCP port `p` whose `p + 1` is free too (baresip puts SIP/TLS there).
fn free_sip_port() -> u16 {
    for _ in 0..100 {
        let probe = TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = probe.local_addr().expect("address").port();
        drop(probe);
        let Some(next) = port.checked_add(1) else {
            continue;
        };
        let free = TcpListener::bind(("127.0.0.1", port)).is_ok()
            && UdpSocket::bind(("127.0.0.1", port)).is_ok()
            && TcpListener::bind(("127.0.0.1", next)).is_ok();
        if free {
            return port;
        }
    }
    panic!("no free SIP port pair on loopback");
}

fn free_tcp_port() -> u16 {
    let probe = TcpListener::bind("127.0.0.1:0").expect("bind");
    probe.local_addr().expect("address").port()
}

/// An even RTP range from the ephemeral area, different per caller.
fn rtp_range() -> (u16, u16) {
    let base = free_tcp_port() & !1;
    (base, base.saturating_add(9))
}

fn write_tone(path: &Path, frequency: f64) {
    let samples = SAMPLE_RATE * TONE_SECONDS;
    let data_len = samples * 2;
    let mut wav = Vec::with_capacity(44 + data_len as usize);
    wav.extend_from_slice(b"RIFF");
    wav.extend_from_slice(&(36 + data_len).to_le_bytes());
    wav.extend_from_slice(b"WAVEfmt ");
    wav.extend_from_slice(&16u32.to_le_bytes());
    wav.extend_from_slice(&1u16.to_le_bytes()); // PCM
    wav.extend_from_slice(&1u16.to_le_bytes()); // mono
    wav.extend_from_slice(&SAMPLE_RATE.to_le_bytes());
    wav.extend_from_slice(&(SAMPLE_RATE * 2).to_le_bytes());
    wav.extend_from_slice(&2u16.to_le_bytes());
    wav.extend_from_slice(&16u16.to_le_bytes());
    wav.extend_from_slice(b"data");
    wav.extend_from_slice(&data_len.to_le_bytes());
    for n in 0..samples {
        let phase = 2.0 * std::f64::consts::PI * frequency * f64::from(n) / f64::from(SAMPLE_RATE);
        let sample = (phase.sin() * 12_000.0) as i16;
        wav.extend_from_slice(&sample.to_le_bytes());
    }
    std::fs::write(path, wav).expect("tone written");
}

/// What one side hears: ALSA's `file` plugin writes raw samples into a FIFO, read here at
/// about twice real time. ALSA's `null` device has no clock, so the player fills gaps with
/// silence as fast as it is let; the FIFO's back-pressure is the clock.
struct Ear {
    fifo: PathBuf,
    samples: Arc<Mutex<Vec<i16>>>,
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Ear {
    fn new(dir: &Path) -> Ear {
        let fifo = dir.join("heard.raw");
        let c_path = std::ffi::CString::new(fifo.as_os_str().as_encoded_bytes()).expect("path");
        // SAFETY: mkfifo(3) with a valid NUL-terminated path.
        let made = unsafe { libc::mkfifo(c_path.as_ptr(), 0o600) };
        assert_eq!(made, 0, "mkfifo {}", fifo.display());
        let samples = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let thread = {
            let (fifo, samples, stop) = (fifo.clone(), samples.clone(), stop.clone());
            std::thread::spawn(move || {
                use std::os::unix::fs::OpenOptionsExt;
                let mut file = std::fs::OpenOptions::new()
                    .read(true)
                    .custom_flags(libc::O_NONBLOCK)
                    .open(&fifo)
                    .expect("fifo opens");
                let mut chunk = [0u8; 1920];
                let mut odd_byte: Option<u8> = None;
                while !stop.load(Ordering::Relaxed) {
                    if let Ok(read) = file.read(&mut chunk) {
                        let mut bytes: Vec<u8> = odd_byte.take().into_iter().collect();
                        bytes.extend_from_slice(&chunk[..read]);
                        if bytes.len() % 2 == 1 {
                            odd_byte = bytes.pop();
                        }
                        let mut heard = samples.lock().expect("samples");
                        heard.extend(
                            bytes
                                .chunks_exact(2)
                                .map(|b| i16::from_le_bytes([b[0], b[1]])),
                        );
                    }
                    std::thread::sleep(Duration::from_millis(10));
                }
            })
        };
        Ear {
            fifo,
            samples,
            stop,
            thread: Some(thread),
        }
    }

    fn alsa_device(&self) -> String {
        format!("alsa,file:'{}',raw", self.fifo.display())
    }

    fn finish(mut self) -> Vec<i16> {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            thread.join().expect("ear thread");
        }
        std::mem::take(&mut *self.samples.lock().expect("samples"))
    }
}

/// The dominant frequency of what was heard. The player writes received audio and fill
/// silence (exact zeros) in turns, so the signal is cut into stretches of sound at runs of
/// zeros; each stretch's frequency is its zero crossings over its length, and the result is
/// the length-weighted median (ring-back and odd stretches are in the minority).
fn measured_frequency(samples: &[i16]) -> Option<f64> {
    const SILENCE_RUN: usize = 8;
    const SHORTEST_STRETCH: usize = 480;
    let mut stretches: Vec<&[i16]> = Vec::new();
    let (mut start, mut zeros) = (None, 0usize);
    for (index, &sample) in samples.iter().enumerate() {
        if sample == 0 {
            zeros += 1;
            if zeros == SILENCE_RUN {
                if let Some(first) = start.take() {
                    stretches.push(&samples[first..=index - SILENCE_RUN]);
                }
            }
        } else {
            zeros = 0;
            start.get_or_insert(index);
        }
    }
    if let Some(first) = start {
        stretches.push(&samples[first..]);
    }
    let mut estimates: Vec<(f64, usize)> = stretches
        .into_iter()
        .filter(|stretch| stretch.len() >= SHORTEST_STRETCH)
        .filter(|stretch| {
            let energy: f64 = stretch.iter().map(|&s| f64::from(s).powi(2)).sum();
            (energy / stretch.len() as f64).sqrt() > 1000.0
        })
        .map(|stretch| {
            // Hysteresis: a crossing counts only between clearly positive and negative. Half
            // periods between the first and the last crossing, over the time between them,
            // so a stretch's ragged ends do not count.
            let mut crossings: Vec<usize> = Vec::new();
            let mut positive: Option<bool> = None;
            for (index, &s) in stretch.iter().enumerate() {
                let side = match s {
                    301.. => Some(true),
                    ..=-301 => Some(false),
                    _ => None,
                };
                if let Some(side) = side {
                    if positive.is_some_and(|p| p != side) {
                        crossings.push(index);
                    }
                    positive = Some(side);
                }
            }
            let frequency = match (crossings.first(), crossings.last()) {
                (Some(first), Some(last)) if last > first => {
                    let seconds = (last - first) as f64 / f64::from(SAMPLE_RATE);
                    (crossings.len() - 1) as f64 / 2.0 / seconds
                }
                _ => 0.0,
            };
            (frequency, stretch.len())
        })
        .collect();
    let total: usize = estimates.iter().map(|(_, length)| length).sum();
    // At least two seconds of sound.
    if total < 2 * SAMPLE_RATE as usize {
        return None;
    }
    estimates.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut counted = 0;
    estimates
        .iter()
        .find(|(_, length)| {
            counted += length;
            counted * 2 >= total
        })
        .map(|(frequency, _)| *frequency)
}

/// The duty lawyer: a plain baresip configured by the test, answering automatically or not.
struct Lawyer {
    child: std::process::Child,
    sip_port: u16,
    control: SocketAddr,
    ear: Option<Ear>,
    _dir: tempfile::TempDir,
}

impl Lawyer {
    fn start(auto_answer: bool) -> Lawyer {
        let dir = tempfile::tempdir().expect("temp dir");
        let tone = dir.path().join("tone.wav");
        write_tone(&tone, LAWYER_TONE_HZ);
        let ear = Ear::new(dir.path());
        let sip_port = free_sip_port();
        let control = SocketAddr::from(([127, 0, 0, 1], free_tcp_port()));
        let (rtp_first, rtp_last) = rtp_range();
        let config = format!(
            "poll_method epoll\nsip_listen 127.0.0.1:{sip_port}\nnet_interface 127.0.0.1\n\
             rtp_ports {rtp_first}-{rtp_last}\naudio_player {player}\naudio_alert {player}\n\
             audio_source aufile,{tone}\nausrc_srate 48000\nauplay_srate 48000\n\
             ausrc_channels 1\nauplay_channels 1\nmodule_path /usr/lib/baresip/modules\n\
             module g711.so\nmodule aufile.so\nmodule alsa.so\nmodule_app account.so\n\
             module_app menu.so\nmodule_app ctrl_tcp.so\nctrl_tcp_listen {control}\n",
            player = ear.alsa_device(),
            tone = tone.display(),
        );
        std::fs::write(dir.path().join("config"), config).expect("config");
        let answer = if auto_answer { "auto" } else { "manual" };
        std::fs::write(
            dir.path().join("accounts"),
            format!("<sip:lawyer@127.0.0.1:{sip_port};transport=tcp>;regint=0;answermode={answer};audio_codecs=pcmu\n"),
        )
        .expect("accounts");
        let log = std::fs::File::create(dir.path().join("baresip.log")).expect("log");
        let child = std::process::Command::new("baresip")
            .arg("-f")
            .arg(dir.path())
            .stdin(std::process::Stdio::null())
            .stdout(log.try_clone().expect("log"))
            .stderr(log)
            .spawn()
            .expect("baresip starts (make deps installs baresip-core)");
        let lawyer = Lawyer {
            child,
            sip_port,
            control,
            ear: Some(ear),
            _dir: dir,
        };
        // Ready once its control socket answers.
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        while TcpStream::connect(control).is_err() {
            assert!(
                std::time::Instant::now() < deadline,
                "the lawyer's baresip did not start"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        lawyer
    }

    fn line(&self) -> Line {
        line(&format!(
            "sip:lawyer@127.0.0.1:{};transport=tcp",
            self.sip_port
        ))
    }

    /// The lawyer puts the phone down (`hangup` over the lawyer's own control socket).
    fn hang_up(&self) {
        let mut stream = TcpStream::connect(self.control).expect("lawyer control");
        stream
            .write_all(&Command::HangUp.encode(1))
            .expect("hangup sent");
        stream
            .set_read_timeout(Some(Duration::from_secs(5)))
            .expect("timeout");
        let mut reply = [0u8; 256];
        let read = stream.read(&mut reply).expect("response");
        assert!(read > 0, "no response to hangup");
    }

    fn stop(mut self) -> Vec<i16> {
        let _ = self.child.kill();
        let _ = self.child.wait();
        self.ear.take().map(Ear::finish).unwrap_or_default()
    }
}

impl Drop for Lawyer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn line(uri: &str) -> Line {
    Line {
        id: "duty-12348".into(),
        name: "12348 值班律师".into(),
        name_en: "12348 duty lawyer".into(),
        uri: uri.into(),
        hours: LineHours {
            weekdays: Vec::new(),
            from: chrono::NaiveTime::MIN,
            until: chrono::NaiveTime::MIN,
        },
    }
}

/// The kiosk's side: the engine under test, its audio from a file and into an ear.
struct Kiosk {
    engine: TelephonyEngine,
    ear: Ear,
    audit: Arc<MemoryAuditSink>,
    _dir: tempfile::TempDir,
}

impl Kiosk {
    async fn start(no_answer_after: Duration, registrar: Option<String>) -> Kiosk {
        let dir = tempfile::tempdir().expect("temp dir");
        let ear = Ear::new(dir.path());
        let settings = kiosk_settings(dir.path(), &ear, no_answer_after, registrar);
        let audit = Arc::new(MemoryAuditSink::default());
        let engine = TelephonyEngine::start(settings, Some(Auditor::new(audit.clone())))
            .await
            .expect("the engine starts baresip");
        Kiosk {
            engine,
            ear,
            audit,
            _dir: dir,
        }
    }

    async fn stop(self) -> (Vec<i16>, Arc<MemoryAuditSink>) {
        self.engine.shutdown().await;
        (self.ear.finish(), self.audit)
    }
}

/// The kiosk's engine settings: a 440 Hz file as the microphone, `ear` as the speaker.
fn kiosk_settings(
    dir: &Path,
    ear: &Ear,
    no_answer_after: Duration,
    registrar: Option<String>,
) -> EngineSettings {
    let tone = dir.join("tone.wav");
    write_tone(&tone, KIOSK_TONE_HZ);
    let sip_port = free_sip_port();
    EngineSettings {
        baresip: "baresip".into(),
        module_path: "/usr/lib/baresip/modules".into(),
        runtime_dir: dir.join("sip"),
        sip_listen: SocketAddr::from(([127, 0, 0, 1], sip_port)),
        control_listen: SocketAddr::from(([127, 0, 0, 1], free_tcp_port())),
        rtp_ports: rtp_range(),
        bind_address: Some([127, 0, 0, 1].into()),
        account: AccountSettings {
            aor: format!("sip:kiosk@127.0.0.1:{sip_port}"),
            password: registrar.as_ref().map(|_| "not-a-real-password".into()),
            auth_user: registrar.as_ref().map(|_| "kiosk".into()),
            registrar,
            transport: Transport::Tcp,
            media_encryption: MediaEncryption::None,
            ca_file: None,
            register_interval_s: 60,
        },
        audio: AudioDevices {
            player: ear.alsa_device(),
            source: format!("aufile,{}", tone.display()),
        },
        no_answer_after,
        log_file: Some(dir.join("baresip.log")),
    }
}

async fn wait_for(
    call: &mut watch::Receiver<CallView>,
    what: &str,
    predicate: impl FnMut(&CallView) -> bool,
) -> CallView {
    let outcome = tokio::time::timeout(EVENT_TIMEOUT, call.wait_for(predicate))
        .await
        .map(|waited| waited.map(|view| view.clone()));
    match outcome {
        Ok(Ok(view)) => view,
        Ok(Err(_)) => panic!("the engine stopped while waiting for {what}"),
        Err(_) => panic!(
            "timed out waiting for {what}; last: {:?}",
            call.borrow().phase
        ),
    }
}

fn connected_for(at_least: Duration) -> impl FnMut(&CallView) -> bool {
    move |view| matches!(view.phase, CallPhase::Connected { elapsed } if elapsed >= at_least)
}

fn ended(view: &CallView) -> Option<(EndReason, Duration)> {
    match view.phase {
        CallPhase::Ended { reason, talked } => Some((reason, talked)),
        _ => None,
    }
}

fn assert_tone(samples: &[i16], expected: f64, who: &str) {
    let frequency = measured_frequency(samples)
        .unwrap_or_else(|| panic!("{who} heard no tone ({} samples)", samples.len()));
    eprintln!("{who} heard {frequency:.1} Hz (sent {expected} Hz)");
    assert!(
        (frequency - expected).abs() < expected * 0.03,
        "{who} heard {frequency:.1} Hz, expected {expected} Hz"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tone_arrives_each_way_and_the_lawyer_hangs_up() {
    let lawyer = Lawyer::start(true);
    let kiosk = Kiosk::start(Duration::from_secs(15), None).await;
    assert_eq!(
        *kiosk.engine.registration().borrow(),
        RegistrationState::Direct
    );
    let mut call = kiosk.engine.call();
    kiosk.engine.dial(lawyer.line()).await.expect("dial");
    wait_for(
        &mut call,
        "four seconds connected",
        connected_for(Duration::from_secs(4)),
    )
    .await;
    lawyer.hang_up();
    let view = wait_for(&mut call, "the end of the call", |v| ended(v).is_some()).await;
    let (reason, talked) = ended(&view).expect("ended");
    assert_eq!(reason, EndReason::HungUpByFarEnd);
    assert!(talked >= Duration::from_secs(4), "{talked:?}");
    let (kiosk_heard, audit) = kiosk.stop().await;
    let lawyer_heard = lawyer.stop();
    assert_tone(&kiosk_heard, LAWYER_TONE_HZ, "the kiosk");
    assert_tone(&lawyer_heard, KIOSK_TONE_HZ, "the lawyer");

    let events = audit.events();
    assert_eq!(events.len(), 2, "{events:?}");
    assert!(events.iter().all(|e| e.id == AuditEventId::HelpCall));
    assert!(matches!(events[0].phase, Phase::Init { .. }));
    let Phase::Complete { outcome, .. } = events[1].phase else {
        panic!("second record completes the call: {events:?}");
    };
    assert_eq!(outcome, Outcome::Success);
    let fields = &events[1].fields;
    assert_eq!(
        fields.call_line.as_ref().map(|l| l.as_str()),
        Some("duty-12348")
    );
    assert_eq!(fields.reason, Some(ReasonCode::HungUpByFarEnd));
    assert!(fields.duration_ms.unwrap_or(0) >= 4000, "{fields:?}");
    let line = events[1].to_json_line();
    assert!(
        !line.contains("sip:"),
        "no address in the audit record: {line}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_citizen_hangs_up() {
    let lawyer = Lawyer::start(true);
    let kiosk = Kiosk::start(Duration::from_secs(15), None).await;
    let mut call = kiosk.engine.call();
    kiosk.engine.dial(lawyer.line()).await.expect("dial");
    wait_for(
        &mut call,
        "connected",
        connected_for(Duration::from_secs(1)),
    )
    .await;
    kiosk.engine.hang_up().await.expect("hang up");
    let view = wait_for(&mut call, "the end of the call", |v| ended(v).is_some()).await;
    assert_eq!(
        ended(&view).map(|(r, _)| r),
        Some(EndReason::HungUpByCitizen)
    );
    // The kiosk can call again straight away.
    kiosk.engine.dial(lawyer.line()).await.expect("dial again");
    wait_for(&mut call, "connected again", connected_for(Duration::ZERO)).await;
    kiosk.engine.hang_up().await.expect("hang up");
    wait_for(&mut call, "the end of the second call", |v| {
        ended(v).is_some()
    })
    .await;
    let (_, audit) = kiosk.stop().await;
    lawyer.stop();
    assert_eq!(audit.events().len(), 4);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nobody_answers_within_the_configured_time() {
    let lawyer = Lawyer::start(false);
    let kiosk = Kiosk::start(Duration::from_secs(3), None).await;
    let mut call = kiosk.engine.call();
    kiosk.engine.dial(lawyer.line()).await.expect("dial");
    wait_for(&mut call, "ringing", |v| v.phase == CallPhase::Ringing).await;
    let view = wait_for(&mut call, "giving up", |v| ended(v).is_some()).await;
    assert_eq!(ended(&view), Some((EndReason::NoAnswer, Duration::ZERO)));
    let (_, audit) = kiosk.stop().await;
    lawyer.stop();
    let events = audit.events();
    assert!(matches!(
        events.last().map(|e| e.phase),
        Some(Phase::Complete {
            outcome: Outcome::Failure(ReasonCode::NoAnswer),
            ..
        })
    ));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreachable_line_ends_with_no_line() {
    let kiosk = Kiosk::start(Duration::from_secs(15), None).await;
    let mut call = kiosk.engine.call();
    let nobody = format!("sip:nobody@127.0.0.1:{};transport=tcp", free_tcp_port());
    kiosk.engine.dial(line(&nobody)).await.expect("dial");
    let view = wait_for(&mut call, "the failed call", |v| ended(v).is_some()).await;
    assert_eq!(ended(&view).map(|(r, _)| r), Some(EndReason::NoLine));
    kiosk.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_registrar_that_is_down_fails_registration_and_calls() {
    let down = format!("sip:127.0.0.1:{}", free_tcp_port());
    let kiosk = Kiosk::start(Duration::from_secs(15), Some(down)).await;
    let mut registration = kiosk.engine.registration();
    let failed = tokio::time::timeout(
        EVENT_TIMEOUT,
        registration.wait_for(|s| *s == RegistrationState::Failed),
    )
    .await
    .map(|waited| waited.is_ok());
    assert!(
        matches!(failed, Ok(true)),
        "registration state: {:?}",
        *registration.borrow()
    );
    let mut call = kiosk.engine.call();
    kiosk
        .engine
        .dial(line("sip:12348@127.0.0.1"))
        .await
        .expect("dial");
    let view = wait_for(&mut call, "the refused call", |v| ended(v).is_some()).await;
    assert_eq!(
        ended(&view).map(|(r, _)| r),
        Some(EndReason::RegistrationFailed)
    );
    kiosk.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_doctor_probe_reports_the_registration_state() {
    let dir = tempfile::tempdir().expect("temp dir");
    let ear = Ear::new(dir.path());
    let down = format!("sip:127.0.0.1:{}", free_tcp_port());
    let settings = kiosk_settings(dir.path(), &ear, Duration::from_secs(15), Some(down));
    let state = probe_registration(settings).await.expect("baresip starts");
    assert_eq!(state, RegistrationState::Failed);
    let direct = kiosk_settings(dir.path(), &ear, Duration::from_secs(15), None);
    let state = probe_registration(direct).await.expect("baresip starts");
    assert_eq!(state, RegistrationState::Direct);
    ear.finish();
}
