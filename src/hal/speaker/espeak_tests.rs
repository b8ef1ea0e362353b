use super::*;
use crate::hal::speaker::prompt_for;
use std::ffi::OsStr;
use std::os::unix::fs::PermissionsExt;

fn prompt(id: &str) -> &'static Prompt {
    prompt_for(id).expect("catalogue prompt")
}

fn args(command: &Command) -> Vec<&OsStr> {
    command.get_args().collect()
}

#[test]
fn command_line_selects_voice_volume_rate_and_output() {
    let speaker = EspeakSpeaker::new(EspeakConfig::default());
    let zh = speaker.command("请将身份证放在读卡器上。", Language::Zh, 70, None);
    assert_eq!(zh.get_program(), "espeak-ng");
    assert_eq!(
        args(&zh),
        [
            "-v",
            "cmn",
            "-a",
            "140",
            "-s",
            "150",
            "--",
            "请将身份证放在读卡器上。"
        ]
    );
    let en = speaker.command("-Hello", Language::En, 255, Some(Path::new("/tmp/out.wav")));
    assert_eq!(
        args(&en),
        [
            "-v",
            "en",
            "-a",
            "200",
            "-s",
            "150",
            "-w",
            "/tmp/out.wav",
            "--",
            "-Hello"
        ]
    );
}

/// The samples of a PCM WAV file's data chunk, or why it is not one.
fn wav_samples(bytes: &[u8]) -> Result<Vec<i16>, String> {
    if bytes.len() < 12 || &bytes[..4] != b"RIFF" || &bytes[8..12] != b"WAVE" {
        return Err("not a RIFF/WAVE file".into());
    }
    let mut pos = 12;
    while pos + 8 <= bytes.len() {
        let id = &bytes[pos..pos + 4];
        let size = u32::from_le_bytes([
            bytes[pos + 4],
            bytes[pos + 5],
            bytes[pos + 6],
            bytes[pos + 7],
        ]);
        let body = pos + 8;
        // espeak-ng streams to a file and may leave the size fields at 0x7fffffff.
        let end = (body + size as usize).min(bytes.len());
        if id == b"data" {
            return Ok(bytes[body..end]
                .chunks_exact(2)
                .map(|pair| i16::from_le_bytes([pair[0], pair[1]]))
                .collect());
        }
        pos = end + (size as usize & 1);
    }
    Err("no data chunk".into())
}

#[test]
fn synthesises_prompts_to_non_silent_audio() {
    let dir = tempfile::tempdir().unwrap();
    let speaker = EspeakSpeaker::new(EspeakConfig::default());
    for (language, min_seconds) in [(Language::Zh, 1.0), (Language::En, 1.0)] {
        let wav = dir.path().join(format!("{language:?}.wav"));
        speaker
            .synthesise(
                prompt("id_card_place"),
                language,
                &wav,
                Duration::from_secs(30),
            )
            .unwrap();
        let samples = wav_samples(&std::fs::read(&wav).unwrap()).unwrap();
        // espeak-ng writes 22,050 Hz mono.
        let seconds = samples.len() as f64 / 22_050.0;
        assert!(
            seconds >= min_seconds,
            "{language:?}: only {seconds:.2} s of audio"
        );
        let loud = samples.iter().filter(|s| s.unsigned_abs() > 1000).count();
        assert!(
            loud > samples.len() / 20,
            "{language:?}: audio is nearly silent"
        );
    }
}

/// A stand-in for espeak-ng that records its pid and keeps "speaking" for 30 s.
fn slow_speaker(dir: &Path) -> EspeakSpeaker {
    let program = dir.join("slow-speech");
    std::fs::write(
        &program,
        format!(
            "#!/bin/sh\necho $$ >> '{}'\nexec sleep 30\n",
            dir.join("pids").display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&program, std::fs::Permissions::from_mode(0o755)).unwrap();
    EspeakSpeaker::new(EspeakConfig {
        program,
        ..EspeakConfig::default()
    })
}

fn started_pids(dir: &Path, count: usize) -> Vec<u32> {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let pids: Vec<u32> = std::fs::read_to_string(dir.join("pids"))
            .unwrap_or_default()
            .lines()
            .filter_map(|line| line.parse().ok())
            .collect();
        if pids.len() >= count || Instant::now() > deadline {
            return pids;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn running(pid: u32) -> bool {
    Path::new(&format!("/proc/{pid}")).exists()
}

#[test]
fn a_new_prompt_kills_the_one_playing_and_stop_kills_the_last() {
    let dir = tempfile::tempdir().unwrap();
    let speaker = slow_speaker(dir.path());
    speaker.say(prompt("welcome"), Language::Zh).unwrap();
    let first = started_pids(dir.path(), 1)[0];
    assert_eq!(speaker.health(), DeviceHealth::Busy);
    speaker.say(prompt("choose_service"), Language::Zh).unwrap();
    let second = started_pids(dir.path(), 2)[1];
    assert!(!running(first), "the first prompt still plays");
    assert!(running(second));
    speaker.stop();
    assert!(!running(second), "stop left the prompt playing");
    assert_eq!(speaker.health(), DeviceHealth::Ready);

    speaker.set_enabled(false);
    speaker.say(prompt("goodbye"), Language::Zh).unwrap();
    std::thread::sleep(Duration::from_millis(200));
    assert_eq!(
        started_pids(dir.path(), 2).len(),
        2,
        "disabled guidance started speech"
    );
}

#[test]
fn a_missing_program_is_reported_not_panicked_on() {
    let speaker = EspeakSpeaker::new(EspeakConfig {
        program: PathBuf::from("/nonexistent/espeak-ng"),
        ..EspeakConfig::default()
    });
    assert_eq!(speaker.health(), DeviceHealth::Absent);
    let error = speaker.say(prompt("welcome"), Language::En).unwrap_err();
    assert!(matches!(error, SpeakerError::Spawn { .. }), "{error}");
    assert!(EspeakSpeaker::new(EspeakConfig::default()).health() == DeviceHealth::Ready);
}
