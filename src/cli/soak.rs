//! `legal-kiosk soak --sessions N [--config PATH | --demo]`: drives N synthetic submissions
//! through the real store and relay to the case system and waits until all are delivered.
//!
//! The citizen-journey state machines are not wired in yet; the soak commits realistic
//! synthetic payloads (a notary application with applicant, matter, materials, consents)
//! with JPEG document scans and a PNG fingerprint mark directly to the store. With `--demo`
//! the reference case server runs in-process on the demo's loopback address.
//!
//! Every committed submission prints `receipt <number> <idempotency-key>` at once (the crash
//! tests read these lines), then a summary.

use super::ConfigArgs;
use crate::core::notary::signature::{Point, SignatureImage, SignaturePad};
use crate::domain::{Attachment, AttachmentRole, NewSubmission, SubmissionKind};
use crate::services::Services;
use clap::Args;
use serde_json::json;
use std::io::Write;
use std::process::ExitCode;
use std::time::{Duration, Instant};

#[derive(Debug, Args)]
pub struct SoakArgs {
    #[command(flatten)]
    pub config: ConfigArgs,
    /// Synthetic submissions to commit (0: only deliver what is already queued).
    #[arg(long)]
    pub sessions: u32,
    /// Size of each document scan in KiB.
    #[arg(long, default_value_t = 300)]
    pub attachment_kib: usize,
    /// Give up waiting for delivery after this many seconds.
    #[arg(long, default_value_t = 600)]
    pub timeout_s: u64,
}

pub fn run(args: SoakArgs) -> anyhow::Result<ExitCode> {
    let config = args.config.load()?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let services = Services::start(&config, args.config.demo).await?;
        let store = services.store.clone();

        let started = Instant::now();
        let scan = synthetic_jpeg(args.attachment_kib * 1024);
        let mark = synthetic_png();
        let mut stdout = std::io::stdout();
        for session in 0..args.sessions {
            let submission = synthetic_submission(session, &scan, &mark);
            let committing = store.clone();
            let receipt =
                tokio::task::spawn_blocking(move || committing.commit_submission(submission))
                    .await??;
            writeln!(
                stdout,
                "receipt {} {}",
                receipt.number, receipt.idempotency_key
            )?;
            stdout.flush()?;
        }
        let committed_after = started.elapsed();

        let deadline = Instant::now() + Duration::from_secs(args.timeout_s);
        let status = loop {
            let status = store.outbox_status()?;
            if status.pending == 0 || Instant::now() >= deadline {
                break status;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        };
        services.shutdown().await;
        println!("sessions: {}", args.sessions);
        println!("commit_time: {} ms", committed_after.as_millis());
        println!("total_time: {} ms", started.elapsed().as_millis());
        println!("pending: {}", status.pending);
        println!("parked: {}", status.parked);
        println!("delivered: {}", status.delivered);
        Ok(if status.pending == 0 && status.parked == 0 {
            ExitCode::SUCCESS
        } else {
            ExitCode::FAILURE
        })
    })
}

/// A synthetic submission of a kind chosen by `session`, with made-up personal data.
pub fn synthetic_submission(session: u32, scan: &[u8], mark: &[u8]) -> NewSubmission {
    let kind = SubmissionKind::ALL[session as usize % SubmissionKind::ALL.len()];
    let applicant = json!({
        "name": format!("测试{}", ["张三", "李四", "王五", "赵六"][session as usize % 4]),
        "sex": if session.is_multiple_of(2) { "male" } else { "female" },
        "birth_date": format!("19{:02}-0{}-1{}", 40 + session % 50, 1 + session % 9, session % 10),
        "id_type": "resident_id_card",
        "id_number": format!("110105{:04}0101{:03}X", 1940 + session % 50, session % 1000),
        "address": "示例市人民路 1 号",
        "phone": format!("1390000{:04}", session % 10_000),
    });
    let (signature, signature_attachment) = synthetic_signature_parts();
    let payload = match kind {
        SubmissionKind::NotaryApplication => json!({
            "signature": signature,
            "applicant": applicant,
            "matter": {"id": "degree_certificate", "purpose": "study_abroad", "country": "GB",
                       "translation": ["en"], "copies": 2, "delivery": "pickup"},
            "materials": [{"type": "id_card", "original": true, "pages": 2, "source": "scanned"},
                          {"type": "degree_certificate", "original": true, "pages": 1, "source": "scanned"}],
            "consents": {"notice_version": "2025-01", "privacy": true, "service_address": true},
            "fee_estimate": {"notary": 80, "translation": 120, "copies": 20},
        }),
        SubmissionKind::Consultation => json!({
            "applicant": applicant, "category": "labour_dispute",
            "question": "公司拖欠工资三个月，应当如何维权？",
        }),
        SubmissionKind::LegalAidPrecheck => json!({
            "applicant": applicant, "matter": "wage_arrears",
            "answers": {"income_below_standard": true, "household_size": 3},
            "result": "likely_eligible",
        }),
        SubmissionKind::Rating => {
            json!({"service": "notary_application", "stars": 1 + session % 5})
        }
    };
    let attachments = match kind {
        SubmissionKind::NotaryApplication => vec![
            Attachment {
                role: AttachmentRole::Document,
                label: "id_card_front".into(),
                media_type: "image/jpeg".into(),
                data: scan.to_vec(),
            },
            Attachment {
                role: AttachmentRole::FingerprintMark,
                label: "application_form_mark".into(),
                media_type: "image/png".into(),
                data: mark.to_vec(),
            },
            signature_attachment,
        ],
        SubmissionKind::LegalAidPrecheck => vec![Attachment {
            role: AttachmentRole::Document,
            label: "income_certificate".into(),
            media_type: "image/jpeg".into(),
            data: scan.to_vec(),
        }],
        SubmissionKind::Consultation | SubmissionKind::Rating => Vec::new(),
    };
    NewSubmission {
        kind,
        payload,
        attachments,
        progress_index: None,
    }
}

/// A signed application's `payload.signature` and its attachment, as the journey sends them.
pub fn synthetic_signature_parts() -> (serde_json::Value, Attachment) {
    let signature = synthetic_signature();
    let payload = json!({
        "attachment": {"role": "signature", "label": "application_signature",
                       "size": signature.png.len(), "content_type": "image/png"},
        "sha256": signature.sha256, "signed_at": "2026-11-22T11:15:46+08:00",
        "confirms": ["application", "truthfulness_promise"],
    });
    let attachment = Attachment {
        role: AttachmentRole::Signature,
        label: "application_signature".into(),
        media_type: "image/png".into(),
        data: signature.png,
    };
    (payload, attachment)
}

/// A signature as the notary journey renders it: a zig-zag across the pad.
pub fn synthetic_signature() -> SignatureImage {
    let mut pad = SignaturePad::default();
    let points: Vec<Point> = (0..=40)
        .map(|i| Point::from_fraction(0.1 + i as f32 * 0.02, if i % 2 == 0 { 0.3 } else { 0.7 }))
        .collect();
    pad.add_stroke(&points);
    pad.render().unwrap_or(SignatureImage {
        png: Vec::new(),
        sha256: String::new(),
    })
}

/// A valid JPEG of about `size` bytes: a small real image padded with comment segments of
/// random bytes (scans do not compress well either).
pub fn synthetic_jpeg(size: usize) -> Vec<u8> {
    let image = image::RgbImage::from_fn(64, 48, |x, y| {
        image::Rgb([(x * 4) as u8, (y * 5) as u8, 128])
    });
    let mut small = Vec::new();
    // Encoding a fixed in-memory image cannot fail; an empty result would be refused by the store.
    let _ = image::DynamicImage::ImageRgb8(image).write_to(
        &mut std::io::Cursor::new(&mut small),
        image::ImageFormat::Jpeg,
    );
    let mut out = small.get(..2).unwrap_or(&[0xFF, 0xD8]).to_vec();
    let mut padding = size.saturating_sub(small.len());
    while padding > 4 {
        let chunk = padding.min(65_533 + 2) - 2;
        out.extend_from_slice(&[0xFF, 0xFE]);
        out.extend_from_slice(&((chunk + 2) as u16).to_be_bytes());
        out.extend((0..chunk).map(|_| rand::random::<u8>()));
        padding = padding.saturating_sub(chunk + 4);
    }
    out.extend_from_slice(small.get(2..).unwrap_or_default());
    out
}

/// A small PNG standing in for the fingerprint mark on the application form.
pub fn synthetic_png() -> Vec<u8> {
    let image = image::GrayImage::from_fn(96, 128, |x, y| image::Luma([((x ^ y) * 3) as u8]));
    let mut out = Vec::new();
    let _ = image::DynamicImage::ImageLuma8(image)
        .write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png);
    out
}
