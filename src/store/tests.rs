use super::*;
use crate::domain::SubmissionKind;

fn jpeg(len: usize) -> Vec<u8> {
    let mut data = vec![0xFF, 0xD8, 0xFF, 0xE0];
    data.resize(len, 0x42);
    data
}

fn submission(kind: SubmissionKind) -> NewSubmission {
    NewSubmission {
        kind,
        payload: serde_json::json!({"applicant": {"name": "王小明", "id_number": "11010519491231002X"}}),
        attachments: vec![Attachment {
            role: AttachmentRole::Document,
            label: "身份证正面".into(),
            media_type: "image/jpeg".into(),
            data: jpeg(2048),
        }],
        progress_index: None,
    }
}

fn options() -> StoreOptions {
    StoreOptions {
        min_free_bytes: 0,
        retention_days: 90,
    }
}

#[test]
fn uuid_has_version_and_variant_bits() {
    let key = new_uuid_v4();
    assert_eq!(key.len(), 36);
    assert_eq!(&key[14..15], "4");
    assert!(matches!(&key[19..20], "8" | "9" | "a" | "b"));
}

#[test]
fn receipt_numbers_count_per_kind_and_day() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_with(dir.path(), options()).unwrap();
    let a = store
        .commit_submission(submission(SubmissionKind::NotaryApplication))
        .unwrap();
    let b = store
        .commit_submission(submission(SubmissionKind::NotaryApplication))
        .unwrap();
    let c = store
        .commit_submission(submission(SubmissionKind::Rating))
        .unwrap();
    let day = chrono::Local::now().format("%Y%m%d").to_string();
    assert_eq!(a.number, format!("GZ-{day}-0001"));
    assert_eq!(b.number, format!("GZ-{day}-0002"));
    assert_eq!(c.number, format!("PJ-{day}-0001"));
    assert_ne!(a.token, b.token);
    assert_ne!(a.idempotency_key, b.idempotency_key);
}

#[test]
fn debug_of_a_submission_hides_the_payload() {
    let text = format!("{:?}", submission(SubmissionKind::Consultation));
    assert!(!text.contains("王小明"));
    assert!(!text.contains("11010519491231002X"));
}

#[test]
fn a_document_that_is_not_jpeg_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_with(dir.path(), options()).unwrap();
    let mut bad = submission(SubmissionKind::NotaryApplication);
    bad.attachments[0].data = b"GIF89a....".to_vec();
    assert!(matches!(
        store.commit_submission(bad),
        Err(StoreError::InvalidAttachment { position: 0, .. })
    ));
    assert_eq!(store.outbox_status().unwrap().pending, 0);
}

#[test]
fn delivered_entries_are_purged_and_later_removed_by_retention() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_with(dir.path(), options()).unwrap();
    store
        .commit_submission(submission(SubmissionKind::NotaryApplication))
        .unwrap();
    let id = store
        .due_entries(now_ms(), 10, &Default::default())
        .unwrap()[0];
    assert_eq!(store.load_for_delivery(id).unwrap().attachments.len(), 1);
    store
        .mark_delivered(id, Some("C-1"), Some("received"))
        .unwrap();
    assert!(matches!(
        store.load_for_delivery(id),
        Err(StoreError::Purged { .. })
    ));
    let attachments: i64 = store
        .conn()
        .query_row("SELECT COUNT(*) FROM attachments", [], |r| r.get(0))
        .unwrap();
    assert_eq!(attachments, 0);
    assert_eq!(store.apply_retention(now_ms()).unwrap(), 0);
    assert_eq!(
        store.apply_retention(now_ms() + 91 * MS_PER_DAY).unwrap(),
        1
    );
    assert!(store.outbox_entries(true).unwrap().is_empty());
    assert!(store.verify_audit().unwrap().intact);
}
