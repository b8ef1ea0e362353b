//! Whole notary journeys through the public API, as the UI adapter drives them: commands in,
//! effects out, device and store answers fed back as events.

use chrono::{DateTime, Days, FixedOffset, NaiveDate, NaiveTime, TimeZone, Weekday};
use legal_kiosk::config::IdleSection;
use legal_kiosk::core::notary::appointment::{Slot, SlotsUnavailable};
use legal_kiosk::core::notary::calendar::OfficeCalendar;
use legal_kiosk::core::notary::consent::ConsentItem;
use legal_kiosk::core::notary::fees::FeeLineKind;
use legal_kiosk::core::notary::form::FormField;
use legal_kiosk::core::notary::journey::{
    CaptureFailed, IdentifyPhase, IdentifyProblem, IdentifyView, PartiesView, PrintState,
    ScreenView,
};
use legal_kiosk::core::notary::materials::CaptureState;
use legal_kiosk::core::notary::parties::{ApplicantRole, PartyField};
use legal_kiosk::core::notary::payload::{FingerprintCheck, MaterialSource, SubmissionKind};
use legal_kiosk::core::notary::receipt::{token_from_qr, NotaryReceiptLine};
use legal_kiosk::core::notary::signature::Point;
use legal_kiosk::core::notary::{
    identity_matches, Applicant, CardEvent, CardKind, Catalogue, Command, DeliveryMethod, Effect,
    Event, FeeSchedule, FingerprintResult, FormEdit, IdDigestKey, Journey, JourneySetup,
    OfficeInfo, PrintFailure, Purpose, Rating, Sex, Step, Submission, SubmissionReceipt,
    SubmitFailure,
};
use legal_kiosk::core::{Command as SessionCommand, Outcome, Screen, Session};
use legal_kiosk::domain::Bilingual;
use legal_kiosk::domain::Language;
use legal_kiosk::store::{ReceiptLookup, Store, StoreOptions};
use sha2::{Digest, Sha256};
use std::sync::Arc;
use std::time::Duration;

fn now() -> DateTime<FixedOffset> {
    FixedOffset::east_opt(8 * 3600)
        .unwrap()
        .with_ymd_and_hms(2026, 3, 1, 10, 0, 0)
        .unwrap()
}

fn today() -> NaiveDate {
    now().date_naive()
}

fn office() -> OfficeInfo {
    OfficeInfo {
        controller: Bilingual::new("北京市朝阳公证处", "Chaoyang Notary Office, Beijing"),
        office_name: Bilingual::new("朝阳公证处", "Chaoyang Notary Office"),
        office_address: Bilingual::new(
            "北京市朝阳区示例路1号",
            "1 Example Road, Chaoyang, Beijing",
        ),
        office_hours: Bilingual::new("工作日 9:00-17:00", "Weekdays 9:00-17:00"),
        counter_hours: Bilingual::new(
            "人工窗口工作日 9:00-17:00",
            "Counter open weekdays 9:00-17:00",
        ),
        phone: "010-12348000".into(),
        privacy_contact: "privacy@notary.example.cn".into(),
        calendar: Some(OfficeCalendar {
            weekdays: [
                Weekday::Mon,
                Weekday::Tue,
                Weekday::Wed,
                Weekday::Thu,
                Weekday::Fri,
            ]
            .into(),
            opens: NaiveTime::from_hms_opt(9, 0, 0).unwrap(),
            closes: NaiveTime::from_hms_opt(17, 0, 0).unwrap(),
            holidays: Default::default(),
            working_weekends: Default::default(),
        }),
    }
}

fn key() -> IdDigestKey {
    IdDigestKey::new("deployment-pepper")
}

fn journey_with(fingerprint_fitted: bool) -> Journey {
    let catalogue = Catalogue::shipped().expect("shipped catalogue loads");
    let fees = FeeSchedule::example().expect("example fees load");
    fees.covers(catalogue.matters())
        .expect("fees cover every matter");
    Journey::new(JourneySetup {
        catalogue: Arc::new(catalogue),
        jurisdiction: None,
        fees: Arc::new(fees),
        office: office(),
        kiosk_id: "kiosk-cy-01".into(),
        camera_fitted: true,
        fingerprint_fitted,
        id_digest_key: key(),
        collect_ethnicity: false,
    })
}

fn applicant() -> Applicant {
    Applicant {
        name: "张小三".into(),
        sex: Sex::Male,
        birth_date: NaiveDate::from_ymd_opt(1990, 3, 7).unwrap(),
        id_number: "11010519900307002X".into(),
        address: "北京市朝阳区建国路1号院2楼3单元401".into(),
        card_expiry: NaiveDate::from_ymd_opt(2031, 5, 20),
        card_kind: CardKind::ResidentIdCard,
        ethnicity: Some("汉".into()),
        issuing_authority: Some("北京市公安局朝阳分局".into()),
    }
}

fn jpeg(seed: u8) -> Vec<u8> {
    let mut bytes = vec![0xFF, 0xD8, 0xFF, 0xE0];
    bytes.extend(std::iter::repeat_n(seed, 64));
    bytes.extend([0xFF, 0xD9]);
    bytes
}

fn cmd(j: &mut Journey, command: Command) -> Vec<Effect> {
    j.command(command, now())
}

fn ev(j: &mut Journey, event: Event) -> Vec<Effect> {
    j.event(event, now())
}

/// Reads the card; where the matter has a "who is it for" step, applies for oneself and
/// fills the parties it needs with sample values (the party journeys below use
/// [`read_card_only`] and fill them themselves).
fn read_card(j: &mut Journey, a: Applicant) -> Vec<Effect> {
    let effects = read_card_only(j, a);
    past_parties(j);
    effects
}

/// At the "who is it for" step: for oneself, sample parties, on to the form.
fn past_parties(j: &mut Journey) {
    if j.step() == Step::Parties {
        fill_parties_with_samples(j);
        assert!(cmd(j, Command::Next).is_empty());
        assert_eq!(j.step(), Step::Form, "{:?}", j.view(now()).message);
    }
}

fn read_card_only(j: &mut Journey, a: Applicant) -> Vec<Effect> {
    ev(j, Event::Card(CardEvent::Read(Box::new(a))))
}

fn parties_view(j: &Journey) -> PartiesView {
    match j.view(now()).screen {
        ScreenView::Parties(v) => *v,
        other => panic!("not the parties step: {other:?}"),
    }
}

fn sample(field: PartyField) -> &'static str {
    match field {
        PartyField::Name => "王五",
        PartyField::FormerName => "王小五",
        PartyField::IdNumber => "110105196001010017",
        PartyField::BirthDate => "19600101",
        PartyField::DeathDate => "20250101",
        PartyField::Relationship => "other",
        PartyField::CreditCode => "91440300708461136T",
        PartyField::PeriodFrom => "201509",
        PartyField::PeriodTo => "201907",
        PartyField::Powers => "代为办理房屋出售手续",
    }
}

/// Every required field of every party shown, with a valid sample.
fn fill_parties_with_samples(j: &mut Journey) {
    for group in parties_view(j).groups {
        for party in group.parties {
            for field in party.fields.iter().filter(|f| f.required) {
                let value = match field.field {
                    PartyField::Relationship => field.choices[0].id.clone(),
                    other => sample(other).to_string(),
                };
                set_party(j, &group.role, party.index, field.field, &value);
            }
        }
    }
}

fn set_party(j: &mut Journey, role: &str, index: usize, field: PartyField, value: &str) {
    cmd(
        j,
        Command::SetPartyField {
            role: role.into(),
            index,
            field,
            value: value.into(),
        },
    );
}

/// ChooseMatter → MatterInfo → Consent (all ticked) → Identify, waiting for the card.
fn to_identify(j: &mut Journey, matter: &str) {
    assert_eq!(j.step(), Step::ChooseMatter);
    cmd(j, Command::ChooseMatter(matter.into()));
    assert_eq!(j.step(), Step::MatterInfo);
    cmd(j, Command::Next);
    assert_eq!(j.step(), Step::Consent);
    for item in ConsentItem::ALL {
        cmd(j, Command::SetConsent(item, true));
    }
    assert_eq!(cmd(j, Command::Next), vec![Effect::AwaitCard]);
    assert_eq!(j.step(), Step::Identify);
}

fn fill_form(j: &mut Journey, purpose: Purpose) {
    cmd(j, Command::Edit(FormEdit::Purpose(purpose)));
    cmd(j, Command::Edit(FormEdit::Phone("13812345678".into())));
}

/// In-person matters, at the appointment step: the office cannot be asked, so it will call.
fn office_will_call(j: &mut Journey) {
    assert_eq!(j.step(), Step::Appointment);
    ev(j, Event::Slots(Err(SlotsUnavailable)));
    cmd(j, Command::Next);
    assert_eq!(j.step(), Step::Materials);
}

/// A name written on the pad: two strokes, enough ink.
fn sign(j: &mut Journey) {
    assert_eq!(j.step(), Step::Signature);
    let stroke = |x0: f32, y0: f32, x1: f32, y1: f32| -> Vec<Point> {
        (0..=20)
            .map(|i| {
                let t = i as f32 / 20.0;
                Point::from_fraction(x0 + (x1 - x0) * t, y0 + (y1 - y0) * t)
            })
            .collect()
    };
    cmd(j, Command::SignatureStroke(stroke(0.1, 0.5, 0.5, 0.5)));
    cmd(j, Command::SignatureStroke(stroke(0.3, 0.2, 0.3, 0.8)));
}

/// Review → the truthfulness promise (ticked) → the signature → submit; returns the effects
/// of submitting.
fn promise_and_submit(j: &mut Journey) -> Vec<Effect> {
    assert_eq!(j.step(), Step::Review);
    assert!(cmd(j, Command::Next).is_empty(), "review only moves on");
    assert_eq!(j.step(), Step::Declaration);
    cmd(j, Command::SetPromise(true));
    assert!(
        cmd(j, Command::Next).is_empty(),
        "the promise leads to the signature"
    );
    sign(j);
    cmd(j, Command::ConfirmSignature)
}

fn submission(effects: Vec<Effect>) -> Submission {
    match effects.as_slice() {
        [Effect::Submit(s)] => (**s).clone(),
        other => panic!("expected one Submit effect, got {other:?}"),
    }
}

/// Commits the journey's submission as the kiosk does and looks it up as the progress query
/// does. The store indexes the typed `ProgressIndex` the payload gives, never the payload's
/// JSON, so renaming a payload field breaks the build here rather than the query at night.
fn committed_and_found_by_the_progress_query(submission: Submission) {
    let dir = tempfile::tempdir().unwrap();
    let options = StoreOptions {
        min_free_bytes: 0,
        retention_days: 90,
    };
    let store = Store::open_with(dir.path(), options).unwrap();
    let matter = submission.payload.matter.clone();
    let receipt = store
        .commit_submission(submission.into_new_submission().unwrap())
        .unwrap();
    let record = store
        .progress_record(ReceiptLookup::Number(&receipt.number))
        .unwrap()
        .expect("a notary application is indexed for the progress query");
    assert!(identity_matches(
        &record.id_number_digest,
        &key(),
        "11010519900307002X"
    ));
    assert!(!matter.name_zh.is_empty() && !matter.name_en.is_empty());
    assert_eq!(
        (record.matter_zh, record.matter_en),
        (matter.name_zh, matter.name_en)
    );
}

fn printed_lines(effects: &[Effect]) -> Vec<NotaryReceiptLine> {
    match effects {
        [Effect::PrintReceipt(lines)] => lines.clone(),
        other => panic!("expected one PrintReceipt effect, got {other:?}"),
    }
}

fn texts(lines: &[NotaryReceiptLine]) -> String {
    lines
        .iter()
        .map(|l| match l {
            NotaryReceiptLine::Title(t) | NotaryReceiptLine::Text(t) => t.clone(),
            NotaryReceiptLine::Qr(q) => format!("[QR {q}]"),
            NotaryReceiptLine::Separator => "---".into(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn receipt() -> SubmissionReceipt {
    SubmissionReceipt {
        number: "GZ-20260301-0042".into(),
        token: "tok_3f9a1c2b7d8e4f60a1b2".into(),
    }
}

fn identify(j: &Journey) -> IdentifyView {
    match j.view(now()).screen {
        ScreenView::Identify(v) => v,
        other => panic!("not the identify screen: {other:?}"),
    }
}

fn field_errors(j: &Journey) -> Vec<FormField> {
    match j.view(now()).screen {
        ScreenView::Form(form) => form.errors.iter().map(|e| e.field).collect(),
        other => panic!("not the form: {other:?}"),
    }
}

#[test]
fn birth_certificate_for_use_abroad_with_translation() {
    let mut j = journey_with(true);
    // Search by pinyin initials finds the matter.
    cmd(&mut j, Command::Search("cs".into()));
    match j.view(now()).screen {
        ScreenView::ChooseMatter { matters, .. } => {
            assert!(matters.iter().any(|m| m.id == "birth"))
        }
        other => panic!("{other:?}"),
    }
    to_identify(&mut j, "birth");
    assert!(read_card(&mut j, applicant()).is_empty());
    assert_eq!(j.step(), Step::Form, "birth asks no fingerprint");

    cmd(&mut j, Command::Edit(FormEdit::Purpose(Purpose::Study)));
    cmd(
        &mut j,
        Command::Edit(FormEdit::CountryOfUse(Some("US".into()))),
    );
    cmd(&mut j, Command::Edit(FormEdit::Copies(2)));
    cmd(&mut j, Command::Edit(FormEdit::Phone("1381234567".into())));
    cmd(&mut j, Command::Next);
    assert_eq!(
        j.step(),
        Step::Form,
        "an invalid phone number keeps the form up"
    );
    assert_eq!(field_errors(&j), vec![FormField::Phone]);
    cmd(&mut j, Command::Edit(FormEdit::Phone("13812345678".into())));
    cmd(&mut j, Command::Next);
    assert_eq!(j.step(), Step::Materials);

    // Capture, look at the preview, retake, keep.
    let effects = cmd(&mut j, Command::Capture("birth_medical_cert".into()));
    assert_eq!(
        effects,
        vec![Effect::CaptureDocument {
            material_id: "birth_medical_cert".into()
        }]
    );
    assert!(j.view(now()).busy);
    ev(
        &mut j,
        Event::DocumentCaptured {
            material_id: "birth_medical_cert".into(),
            result: Ok(jpeg(1)),
        },
    );
    assert_eq!(
        cmd(&mut j, Command::Retake),
        vec![Effect::CaptureDocument {
            material_id: "birth_medical_cert".into()
        }]
    );
    ev(
        &mut j,
        Event::DocumentCaptured {
            material_id: "birth_medical_cert".into(),
            result: Ok(jpeg(2)),
        },
    );
    match j.view(now()).screen {
        ScreenView::Materials {
            preview: Some(p), ..
        } => assert_eq!(p.jpeg, jpeg(2)),
        other => panic!("{other:?}"),
    }
    cmd(&mut j, Command::KeepCapture);
    // A camera failure is a message, not an error state.
    cmd(&mut j, Command::Capture("hukou".into()));
    ev(
        &mut j,
        Event::DocumentCaptured {
            material_id: "hukou".into(),
            result: Err(CaptureFailed),
        },
    );
    assert!(j.view(now()).message.is_some());
    cmd(&mut j, Command::Capture("hukou".into()));
    ev(
        &mut j,
        Event::DocumentCaptured {
            material_id: "hukou".into(),
            result: Ok(jpeg(3)),
        },
    );
    cmd(&mut j, Command::KeepCapture);
    match j.view(now()).screen {
        ScreenView::Materials {
            items, to_bring, ..
        } => {
            let hukou = items.iter().find(|i| i.material_id == "hukou").unwrap();
            assert!(matches!(hukou.capture, CaptureState::Captured { .. }));
            assert!(to_bring
                .iter()
                .any(|b| b.zh.starts_with("申请人居民身份证")));
        }
        other => panic!("{other:?}"),
    }
    cmd(&mut j, Command::Next);

    assert_eq!(j.step(), Step::Fee);
    match j.view(now()).screen {
        ScreenView::Fee {
            estimate: Some(e), ..
        } => {
            let kinds: Vec<_> = e.lines.iter().map(|l| l.kind).collect();
            assert_eq!(
                kinds,
                vec![
                    FeeLineKind::NotaryFee,
                    FeeLineKind::Copies,
                    FeeLineKind::Translation,
                    FeeLineKind::TranslationConformity
                ]
            );
            assert_eq!(e.total_fen, 15000 + 2000 + 5000 + 10000);
            assert!(e.example);
        }
        other => panic!("{other:?}"),
    }
    cmd(&mut j, Command::Next);

    assert_eq!(j.step(), Step::Review);
    match j.view(now()).screen {
        ScreenView::Review { lines, .. } => {
            let value = |label: &str| {
                lines
                    .iter()
                    .find(|l| l.label.en == label)
                    .map(|l| l.value.en.clone())
            };
            assert_eq!(value("Name").as_deref(), Some("张小三"));
            // Others in the hall can see the screen: the ID number is masked there.
            assert_eq!(value("ID number").as_deref(), Some("110105********002X"));
            assert_eq!(value("Place of use").as_deref(), Some("United States"));
            assert_eq!(value("Translation").as_deref(), Some("English"));
            assert_eq!(value("Estimated fee").as_deref(), Some("¥320.00"));
            assert!(value("Before use")
                .unwrap()
                .contains("Apostille Convention"));
        }
        other => panic!("{other:?}"),
    }

    let sub = submission(promise_and_submit(&mut j));
    assert_eq!(j.step(), Step::Submitting);
    assert!(!j.view(now()).can_cancel);
    let p = &sub.payload;
    assert_eq!(p.kind, SubmissionKind::Application);
    assert_eq!(p.matter.id, "birth");
    assert_eq!(p.matter.country_of_use.as_deref(), Some("US"));
    assert_eq!(p.matter.translation_language.as_deref(), Some("en"));
    assert!(p.matter.translation_conformity);
    assert_eq!(p.matter.copies, 2);
    assert_eq!(p.applicant.id_number, "11010519900307002X");
    assert!(identity_matches(
        &p.applicant.id_number_digest,
        &key(),
        "11010519900307002x"
    ));
    assert_eq!(p.applicant.nationality.as_deref(), Some("CHN"));
    assert_eq!(
        p.identity_verification.fingerprint,
        FingerprintCheck::NotRequested
    );
    assert!(p.consents.personal_info && p.consents.sensitive_info && p.consents.transfer_to_office);
    assert_eq!(p.consents.decided_at, now());
    assert_eq!(p.fee.estimate.total_fen, 32000);
    committed_and_found_by_the_progress_query(sub.clone());
    // Attachments: exactly the kept captures, referenced by digest and size.
    assert_eq!(sub.attachments.len(), 2);
    for attachment in &sub.attachments {
        assert_eq!(
            attachment.sha256,
            hex::encode(Sha256::digest(&attachment.jpeg))
        );
        let listed = p
            .materials
            .iter()
            .find(|m| m.material_id == attachment.material_id)
            .unwrap();
        assert_eq!(listed.source, MaterialSource::Scanned);
        let reference = listed.attachment.as_ref().unwrap();
        assert_eq!(reference.sha256, attachment.sha256);
        assert_eq!(reference.size, attachment.jpeg.len() as u64);
    }
    assert_eq!(
        sub.attachments
            .iter()
            .find(|a| a.material_id == "birth_medical_cert")
            .unwrap()
            .jpeg,
        jpeg(2)
    );
    // The JSON carries the fields by their stable names.
    let json: serde_json::Value = serde_json::from_str(&p.to_json()).unwrap();
    assert_eq!(json["schema"], "legal-kiosk/notary-submission/1");
    assert_eq!(json["matter"]["authentication"], "apostille");
    assert_eq!(json["matter"]["delivery"]["method"], "pickup");
    assert_eq!(json["applicant"]["id_long_term"], false);
    assert_eq!(
        json["consents"]["notice_version"],
        "notary-consent/2026-12-04-parties"
    );
    assert_eq!(
        json["acknowledgements"]["truthfulness"]["promise_zh"],
        "我承诺所述情况和提交的材料真实"
    );
    assert!(json["acknowledgements"]["truthfulness"]["promised_at"].is_string());
    assert!(
        json["applicant"].get("ethnicity").is_none(),
        "民族 is not sent when no office form needs it"
    );
    assert!(json["matter"]["authentication_note_zh"]
        .as_str()
        .unwrap()
        .contains("附加证明书"));

    // The receipt appears only after the store's commit.
    let lines = printed_lines(&ev(&mut j, Event::Submitted(Ok(receipt()))));
    assert_eq!(j.step(), Step::Receipt);
    let text = texts(&lines);
    assert!(text.contains("GZ-20260301-0042"));
    assert!(text.contains("张*三") && !text.contains("张小三"));
    assert!(text.contains("110105********002X") && !text.contains("19900307"));
    assert!(text.contains("¥320.00"));
    assert!(text.contains("北京市朝阳区示例路1号"));
    // Sunday 1 March: the office takes it up on the next working day.
    assert!(
        text.contains("下一个工作日，即3月2日（星期一）9:00"),
        "{text}"
    );
    let qr = lines.iter().find_map(|l| match l {
        NotaryReceiptLine::Qr(q) => Some(q.clone()),
        _ => None,
    });
    assert_eq!(
        token_from_qr(&qr.unwrap()).as_deref(),
        Some("tok_3f9a1c2b7d8e4f60a1b2")
    );
    let printer_receipt = legal_kiosk::core::notary::to_printer_receipt(&lines);
    assert_eq!(printer_receipt.lines.len(), lines.len());

    ev(&mut j, Event::Printed(Ok(())));
    cmd(&mut j, Command::Next);
    assert_eq!(j.step(), Step::Rating);
    cmd(&mut j, Command::Rate(Rating::VerySatisfied));
    cmd(&mut j, Command::SetRatingComment("很方便".into()));
    let effects = cmd(&mut j, Command::Next);
    match effects.as_slice() {
        [Effect::SubmitRating(r)] => {
            assert_eq!(r.rating, Rating::VerySatisfied);
            assert_eq!(r.comment.as_deref(), Some("很方便"));
            assert_eq!(r.receipt_number.as_deref(), Some("GZ-20260301-0042"));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(j.step(), Step::End);
    assert!(
        !j.holds_personal_data(),
        "the end screen holds nothing personal"
    );
    match j.view(now()).screen {
        ScreenView::End { message } => {
            assert!(message.zh.contains("3月2日（星期一）"), "{}", message.zh)
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(cmd(&mut j, Command::Next), vec![Effect::Exit]);
    assert_eq!(j.step(), Step::ChooseMatter);
}

#[test]
fn power_of_attorney_is_pre_booked_with_fingerprint_and_survives_an_empty_printer() {
    let mut j = journey_with(true);
    to_identify(&mut j, "poa_property");
    assert_eq!(identify(&j).phase, IdentifyPhase::AwaitingCard);
    read_card(&mut j, applicant());
    match j.view(now()).screen {
        ScreenView::Identify(v) => {
            assert_eq!(v.phase, IdentifyPhase::OfferFingerprint);
            assert!(v.can_verify_fingerprint && v.can_skip_fingerprint);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        cmd(&mut j, Command::VerifyFingerprint),
        vec![Effect::VerifyFingerprint]
    );
    ev(&mut j, Event::Fingerprint(FingerprintResult::NotMatched));
    match j.view(now()).screen {
        ScreenView::Identify(v) => {
            assert_eq!(
                v.phase,
                IdentifyPhase::Problem(IdentifyProblem::FingerprintNotMatched)
            );
            assert!(v.problem.is_some() && !v.can_retry_card);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        cmd(&mut j, Command::VerifyFingerprint),
        vec![Effect::VerifyFingerprint]
    );
    ev(&mut j, Event::Fingerprint(FingerprintResult::Matched));
    assert_eq!(j.step(), Step::Parties, "who the agent is, with the powers");
    past_parties(&mut j);
    assert_eq!(j.step(), Step::Form);

    match j.view(now()).screen {
        ScreenView::Form(form) => {
            assert!(
                form.countries.is_empty(),
                "property POA is for use in China"
            );
            assert!(form.shows_preferred_date);
            assert_eq!(
                form.data.current_address,
                applicant().address,
                "prefilled from the card"
            );
        }
        other => panic!("{other:?}"),
    }
    fill_form(&mut j, Purpose::Other);
    cmd(
        &mut j,
        Command::Edit(FormEdit::PreferredDate(Some(today()))),
    );
    cmd(&mut j, Command::Next);
    assert_eq!(field_errors(&j), vec![FormField::PreferredDate]);
    let preferred = today().checked_add_days(Days::new(3)).unwrap();
    cmd(
        &mut j,
        Command::Edit(FormEdit::PreferredDate(Some(preferred))),
    );
    let asked = cmd(&mut j, Command::Next);
    assert_eq!(j.step(), Step::Appointment);
    assert!(matches!(
        asked.as_slice(),
        [Effect::FetchSlots { days: 14, .. }]
    ));
    // The office cannot be asked: it will call, and the preferred date is kept as the wish.
    ev(&mut j, Event::Slots(Err(SlotsUnavailable)));
    cmd(&mut j, Command::Next);
    assert_eq!(j.step(), Step::Materials);

    // Nothing is captured for an in-person matter: the notary examines the originals.
    assert!(cmd(&mut j, Command::Capture("property_certificate".into())).is_empty());
    match j.view(now()).screen {
        ScreenView::Materials {
            items, to_bring, ..
        } => {
            assert!(items.iter().all(|i| i.capture == CaptureState::BringOnly));
            assert_eq!(to_bring.len(), 7);
        }
        other => panic!("{other:?}"),
    }
    cmd(&mut j, Command::Next);
    match j.view(now()).screen {
        ScreenView::Fee {
            estimate: Some(e), ..
        } => assert_eq!(e.total_fen, 60000),
        other => panic!("{other:?}"),
    }
    cmd(&mut j, Command::Next);
    let sub = submission(promise_and_submit(&mut j));
    let p = &sub.payload;
    assert_eq!(p.kind, SubmissionKind::AppointmentRequest);
    assert!(p.matter.in_person_required);
    assert!(sub.attachments.is_empty());
    assert!(p
        .materials
        .iter()
        .all(|m| m.source == MaterialSource::BringInPerson));
    assert_eq!(
        p.identity_verification.fingerprint,
        FingerprintCheck::Matched
    );
    assert_eq!(p.office_routing.preferred_date, Some(preferred));
    let appointment = p.office_routing.appointment.as_ref().unwrap();
    assert!(appointment.office_to_call && appointment.slot.is_none());

    let lines = printed_lines(&ev(&mut j, Event::Submitted(Ok(receipt()))));
    let text = texts(&lines);
    assert!(text.contains("公证预约回执"));
    assert!(
        text.contains("不动产权证书"),
        "what to bring is on the receipt"
    );

    // Printer out of paper: the number and QR stay on screen, printing can be retried.
    ev(&mut j, Event::Printed(Err(PrintFailure::OutOfPaper)));
    match j.view(now()).screen {
        ScreenView::Receipt {
            number,
            qr_payload,
            print,
            print_problem,
            ..
        } => {
            assert_eq!(number, "GZ-20260301-0042");
            assert!(token_from_qr(&qr_payload).is_some());
            assert_eq!(print, PrintState::Failed(PrintFailure::OutOfPaper));
            let problem = print_problem.unwrap();
            assert!(problem.zh.contains("缺纸") && problem.en.contains("reprint"));
        }
        other => panic!("{other:?}"),
    }
    assert!(!j.view(now()).can_go_back);
    assert_eq!(printed_lines(&cmd(&mut j, Command::RetryPrint)), lines);
    ev(&mut j, Event::Printed(Ok(())));
    cmd(&mut j, Command::Next);
    // Rating is optional.
    assert!(cmd(&mut j, Command::Next).is_empty());
    assert_eq!(j.step(), Step::End);
    assert!(!j.holds_personal_data());
}

#[test]
fn no_criminal_record_submit_failure_loses_nothing_and_reductions_apply() {
    let mut j = journey_with(false);
    to_identify(&mut j, "no_criminal_record");
    read_card(&mut j, applicant());
    fill_form(&mut j, Purpose::Immigration);
    cmd(
        &mut j,
        Command::Edit(FormEdit::CountryOfUse(Some("CA".into()))),
    );
    cmd(&mut j, Command::Edit(FormEdit::Copies(3)));
    cmd(
        &mut j,
        Command::Edit(FormEdit::Delivery(DeliveryMethod::Post)),
    );
    cmd(&mut j, Command::Next);
    assert_eq!(field_errors(&j), vec![FormField::PostalAddress]);
    cmd(
        &mut j,
        Command::Edit(FormEdit::PostalAddress("北京市海淀区中关村大街27号".into())),
    );
    cmd(&mut j, Command::Next);
    cmd(&mut j, Command::Capture("police_certificate".into()));
    ev(
        &mut j,
        Event::DocumentCaptured {
            material_id: "police_certificate".into(),
            result: Ok(jpeg(9)),
        },
    );
    cmd(&mut j, Command::Next); // keeps the previewed capture
    assert_eq!(j.step(), Step::Fee);

    // Reductions asked for: the largest one that applies, on the notary fee only, and never
    // taken off before the office has checked (the estimate stays normal).
    let estimate = |j: &Journey| match j.view(now()).screen {
        ScreenView::Fee {
            estimate: Some(e), ..
        } => e,
        other => panic!("{other:?}"),
    };
    let english = 5000;
    let normal = 15000 + 2 * 2000 + english;
    assert_eq!(estimate(&j).total_fen, normal);
    let extras: Vec<_> = estimate(&j)
        .may_be_added
        .iter()
        .map(|e| e.id.clone())
        .collect();
    assert_eq!(extras, vec!["authentication", "postage", "urgent"]);
    cmd(
        &mut j,
        Command::ToggleReduction("minimum_living_allowance".into()),
    );
    assert_eq!(estimate(&j).total_fen, normal);
    assert_eq!(estimate(&j).requested_reduction.unwrap().amount_fen, 7500);
    cmd(&mut j, Command::ToggleReduction("legal_aid".into()));
    assert_eq!(
        estimate(&j).total_fen,
        normal,
        "legal aid does not zero the estimate"
    );
    assert_eq!(estimate(&j).requested_reduction.unwrap().id, "legal_aid");
    cmd(
        &mut j,
        Command::ToggleReduction("elderly_first_will".into()),
    );
    match j.view(now()).screen {
        ScreenView::Fee { reductions, .. } => {
            assert!(reductions.iter().all(|r| r.id != "elderly_first_will"));
            assert_eq!(reductions.iter().filter(|r| r.ticked).count(), 2);
        }
        other => panic!("{other:?}"),
    }
    cmd(&mut j, Command::ToggleReduction("legal_aid".into()));
    assert_eq!(estimate(&j).requested_reduction.unwrap().amount_fen, 7500);
    cmd(&mut j, Command::Next);

    let first = submission(promise_and_submit(&mut j));
    assert!(ev(&mut j, Event::Submitted(Err(SubmitFailure::StorageFull))).is_empty());
    assert_eq!(
        j.step(),
        Step::Signature,
        "back on the submit step with everything kept"
    );
    let view = j.view(now());
    let message = view.message.unwrap();
    assert!(message.zh.contains("存储空间已满") && message.en.contains("still here"));
    assert!(j.holds_personal_data());
    let second = submission(cmd(&mut j, Command::Next));
    assert_eq!(
        first, second,
        "the retry submits exactly the same application"
    );
    assert_eq!(
        second.payload.fee.reductions_claimed,
        vec!["minimum_living_allowance".to_string()]
    );
    assert_eq!(
        second
            .payload
            .fee
            .estimate
            .requested_reduction
            .as_ref()
            .unwrap()
            .amount_fen,
        7500
    );
    assert_eq!(second.payload.fee.estimate.total_fen, normal);
    assert_eq!(
        second.payload.matter.delivery.postal_address.as_deref(),
        Some("北京市海淀区中关村大街27号")
    );
    assert_eq!(second.attachments.len(), 1);
    assert_eq!(
        second.payload.identity_verification.fingerprint,
        FingerprintCheck::NotRequested
    );
    printed_lines(&ev(&mut j, Event::Submitted(Ok(receipt()))));
    assert_eq!(j.step(), Step::Receipt);
}

#[test]
fn declining_consent_ends_politely_with_alternatives() {
    let mut j = journey_with(false);
    cmd(&mut j, Command::ChooseMatter("kinship".into()));
    cmd(&mut j, Command::Next);
    match j.view(now()).screen {
        ScreenView::Consent { notice, choices } => {
            assert_eq!(notice.consents.len(), 3);
            assert!(
                !choices.personal_info && !choices.sensitive_info && !choices.transfer_to_office
            );
        }
        other => panic!("{other:?}"),
    }
    cmd(&mut j, Command::SetConsent(ConsentItem::PersonalInfo, true));
    cmd(
        &mut j,
        Command::SetConsent(ConsentItem::TransferToOffice, true),
    );
    assert!(
        cmd(&mut j, Command::Next).is_empty(),
        "no card wait without every consent"
    );
    // Pressing "agree" with one box unticked is not a refusal: it says what is missing.
    assert_eq!(j.step(), Step::Consent);
    let hint = j.view(now()).message.expect("what is missing").zh;
    assert!(hint.contains("还有 1 项没有勾选"), "{hint}");
    // Refusing is its own button.
    cmd(&mut j, Command::DeclineConsent);
    assert_eq!(j.step(), Step::ConsentDeclined);
    match j.view(now()).screen {
        ScreenView::ConsentDeclined { alternatives } => {
            let all: String = alternatives.iter().map(|a| a.zh.clone()).collect();
            assert!(all.contains("人工窗口工作日") && all.contains("010-12348000"));
        }
        other => panic!("{other:?}"),
    }
    // Changing one's mind is allowed.
    cmd(&mut j, Command::Back);
    assert_eq!(j.step(), Step::Consent);
    cmd(&mut j, Command::DeclineConsent);
    assert_eq!(cmd(&mut j, Command::Next), vec![Effect::Exit]);
    assert_eq!(j.step(), Step::ChooseMatter);
    assert!(!j.holds_personal_data());
}

#[test]
fn expired_removed_and_unreadable_cards_get_messages_and_a_retry() {
    let mut j = journey_with(false);
    to_identify(&mut j, "birth");
    let problem = |j: &Journey| {
        let v = identify(j);
        (v.phase, v.problem, v.can_retry_card)
    };

    ev(&mut j, Event::Card(CardEvent::RemovedEarly));
    let (phase, message, retry) = problem(&j);
    assert_eq!(phase, IdentifyPhase::Problem(IdentifyProblem::RemovedEarly));
    assert!(message.unwrap().zh.contains("提示音") && retry);
    assert_eq!(cmd(&mut j, Command::RetryCard), vec![Effect::AwaitCard]);

    ev(&mut j, Event::Card(CardEvent::Unreadable));
    assert_eq!(
        problem(&j).0,
        IdentifyPhase::Problem(IdentifyProblem::Unreadable)
    );
    assert_eq!(
        cmd(&mut j, Command::Next),
        vec![Effect::AwaitCard],
        "the main button retries"
    );

    let mut expired = applicant();
    expired.card_expiry = today().pred_opt();
    read_card(&mut j, expired);
    let (phase, message, _) = problem(&j);
    assert!(matches!(
        phase,
        IdentifyPhase::Problem(IdentifyProblem::Expired { .. })
    ));
    let message = message.unwrap();
    assert!(message.zh.contains("2026年02月28日") && message.en.contains("expired on 2026-02-28"));
    assert_eq!(j.step(), Step::Identify);

    // A long-term (长期) card is fine.
    cmd(&mut j, Command::RetryCard);
    let mut long_term = applicant();
    long_term.card_expiry = None;
    read_card(&mut j, long_term);
    assert_eq!(j.step(), Step::Form);
    cmd(&mut j, Command::Edit(FormEdit::Phone("13812345678".into())));
    // Going back (past "who is it for") forgets the card and the entries, and waits for a
    // card again.
    assert!(cmd(&mut j, Command::Back).is_empty());
    assert_eq!(j.step(), Step::Parties);
    assert_eq!(cmd(&mut j, Command::Back), vec![Effect::AwaitCard]);
    assert_eq!(identify(&j).phase, IdentifyPhase::AwaitingCard);
    let mut someone_else = applicant();
    someone_else.address = "天津市和平区南京路2号".into();
    read_card(&mut j, someone_else);
    match j.view(now()).screen {
        ScreenView::Form(form) => {
            assert!(form.data.phone.is_empty());
            assert_eq!(form.data.current_address, "天津市和平区南京路2号");
        }
        other => panic!("{other:?}"),
    }
    cmd(&mut j, Command::Back);
    cmd(&mut j, Command::Back);
    assert_eq!(cmd(&mut j, Command::Back), vec![Effect::StopAwaitingCard]);
    assert_eq!(j.step(), Step::Consent);
}

#[test]
fn a_child_is_sent_to_a_guardian_whose_card_then_works() {
    let mut j = journey_with(false);
    to_identify(&mut j, "birth");
    let mut child = applicant();
    child.name = "张小宝".into();
    child.birth_date = NaiveDate::from_ymd_opt(2014, 6, 1).unwrap();
    read_card(&mut j, child);
    match j.view(now()).screen {
        ScreenView::Identify(v) => {
            assert_eq!(
                v.phase,
                IdentifyPhase::Problem(IdentifyProblem::MinorNeedsGuardian { age: 11 })
            );
            assert!(v.problem.unwrap().zh.contains("监护人"));
        }
        other => panic!("{other:?}"),
    }
    cmd(&mut j, Command::RetryCard);
    read_card(&mut j, applicant());
    match j.view(now()).screen {
        ScreenView::Form(form) => assert_eq!(form.applicant.unwrap().name, "张小三"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn idle_wipe_mid_form_leaves_nothing_behind() {
    let mut session = Session::new(
        Language::Zh,
        IdleSection {
            warn_after_s: 90,
            countdown_s: 30,
            elderly_factor: 2,
        },
    );
    session.handle(SessionCommand::Open(Screen::Notary));
    let mut j = journey_with(false);
    cmd(&mut j, Command::SetLanguage(Language::En));
    to_identify(&mut j, "education");
    read_card(&mut j, applicant());
    fill_form(&mut j, Purpose::Work);
    cmd(
        &mut j,
        Command::Edit(FormEdit::Delivery(DeliveryMethod::Post)),
    );
    cmd(
        &mut j,
        Command::Edit(FormEdit::PostalAddress(
            "上海市浦东新区世纪大道100号".into(),
        )),
    );
    assert!(j.holds_personal_data());

    // The citizen walks away: the session times out and the adapter wipes the journey.
    let mut outcome = Outcome::Unchanged;
    for _ in 0..200 {
        outcome = session.handle(SessionCommand::Tick(Duration::from_secs(1)));
        if outcome == Outcome::Wiped {
            break;
        }
    }
    assert_eq!(outcome, Outcome::Wiped);
    j.wipe();
    assert!(!j.holds_personal_data());
    let view = j.view(now());
    assert_eq!(view.step, Step::ChooseMatter);
    assert_eq!(view.language, Language::Zh);
    let shown = format!("{view:?}");
    assert!(!shown.contains("张") && !shown.contains("13812345678") && !shown.contains("世纪大道"));

    // The next person starts from an empty form.
    to_identify(&mut j, "education");
    let mut other = applicant();
    other.name = "李四".into();
    read_card(&mut j, other);
    match j.view(now()).screen {
        ScreenView::Form(form) => {
            assert!(form.data.phone.is_empty() && form.data.postal_address.is_empty());
            assert_eq!(form.data.delivery, DeliveryMethod::Pickup);
            assert_eq!(form.data.purpose, None);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn cancel_wipes_from_any_step_but_not_while_committing() {
    let mut j = journey_with(false);
    to_identify(&mut j, "degree");
    assert_eq!(
        cmd(&mut j, Command::Cancel),
        vec![Effect::StopAwaitingCard, Effect::Exit]
    );
    assert!(!j.holds_personal_data());

    to_identify(&mut j, "degree");
    read_card(&mut j, applicant());
    fill_form(&mut j, Purpose::Study);
    cmd(&mut j, Command::Next);
    cmd(&mut j, Command::Next);
    cmd(&mut j, Command::Next);
    assert_eq!(j.step(), Step::Review);
    submission(promise_and_submit(&mut j));
    assert!(
        cmd(&mut j, Command::Cancel).is_empty(),
        "the store is committing"
    );
    assert!(cmd(&mut j, Command::Back).is_empty());
    assert_eq!(j.step(), Step::Submitting);
    ev(&mut j, Event::Submitted(Ok(receipt())));
    assert_eq!(cmd(&mut j, Command::Cancel), vec![Effect::Exit]);
    assert!(!j.holds_personal_data());
}

#[test]
fn elderly_applicant_may_declare_the_free_first_will() {
    let mut j = journey_with(false);
    to_identify(&mut j, "will");
    let mut elder = applicant();
    elder.birth_date = NaiveDate::from_ymd_opt(1940, 1, 1).unwrap();
    read_card(&mut j, elder);
    fill_form(&mut j, Purpose::Inheritance);
    cmd(&mut j, Command::Next);
    office_will_call(&mut j);
    cmd(&mut j, Command::Next);
    cmd(
        &mut j,
        Command::ToggleReduction("elderly_first_will".into()),
    );
    match j.view(now()).screen {
        ScreenView::Fee {
            estimate: Some(e),
            reductions,
        } => {
            assert!(reductions
                .iter()
                .any(|r| r.id == "elderly_first_will" && r.ticked));
            assert_eq!(
                e.total_fen, 40000,
                "the office checks before anything is waived"
            );
            assert_eq!(e.requested_reduction.unwrap().amount_fen, 40000);
        }
        other => panic!("{other:?}"),
    }
}

/// 民法典 art. 1143: a will made by a person without full capacity is void. A 16-year-old
/// card holder is told so at the card, before anything is entered, and no guardian is asked
/// for (nobody can make a will for another).
#[test]
fn a_will_is_not_taken_from_a_minor() {
    let mut j = journey_with(false);
    to_identify(&mut j, "will");
    let mut minor = applicant();
    minor.birth_date = NaiveDate::from_ymd_opt(2009, 6, 1).unwrap();
    read_card(&mut j, minor);
    assert_eq!(j.step(), Step::Identify, "no form for a minor's will");
    let view = identify(&j);
    assert_eq!(
        view.phase,
        IdentifyPhase::Problem(IdentifyProblem::TooYoungForMatter { age: 16 })
    );
    let problem = view.problem.unwrap();
    assert!(problem.zh.contains("第一千一百四十三条"), "{}", problem.zh);
    assert!(!problem.zh.contains("监护人"), "{}", problem.zh);
    // An adult's card then works.
    cmd(&mut j, Command::RetryCard);
    read_card(&mut j, applicant());
    assert_eq!(j.step(), Step::Form);
}

/// A birth certificate for study, card read and form filled, at the review step.
fn birth_at_review() -> Journey {
    let mut j = journey_with(false);
    to_identify(&mut j, "birth");
    read_card(&mut j, applicant());
    fill_form(&mut j, Purpose::Study);
    cmd(&mut j, Command::Next);
    cmd(&mut j, Command::Next);
    cmd(&mut j, Command::Next);
    assert_eq!(j.step(), Step::Review);
    j
}

#[test]
fn submitting_needs_the_truthfulness_promise_and_records_when() {
    let mut j = birth_at_review();
    cmd(&mut j, Command::Next);
    assert_eq!(j.step(), Step::Declaration);
    match j.view(now()).screen {
        ScreenView::Declaration {
            notice,
            promise,
            promised,
        } => {
            let all: String = notice.iter().map(|s| s.body.zh.clone()).collect();
            for article in ["第二十七条", "第三十一条", "第四十四条"] {
                assert!(all.contains(article), "{article}");
            }
            assert_eq!(promise.zh, "我承诺所述情况和提交的材料真实");
            assert!(!promised);
        }
        other => panic!("{other:?}"),
    }
    // The main button without the tick says what is missing; it never submits or refuses.
    assert!(cmd(&mut j, Command::Next).is_empty());
    assert_eq!(j.step(), Step::Declaration);
    let hint = j.view(now()).message.expect("what is missing");
    assert!(
        hint.zh.contains("我承诺所述情况和提交的材料真实"),
        "{}",
        hint.zh
    );
    // Going back to review and returning asks for the promise again.
    cmd(&mut j, Command::SetPromise(true));
    cmd(&mut j, Command::Back);
    assert_eq!(j.step(), Step::Review);
    cmd(&mut j, Command::Next);
    assert!(cmd(&mut j, Command::Next).is_empty(), "the tick was reset");
    cmd(&mut j, Command::SetPromise(true));
    let later = now() + chrono::Duration::minutes(2);
    assert!(j.command(Command::Next, later).is_empty());
    sign(&mut j);
    let sub = submission(cmd(&mut j, Command::ConfirmSignature));
    let truthfulness = &sub.payload.acknowledgements.truthfulness;
    assert_eq!(truthfulness.promised_at, later);
    assert_eq!(
        truthfulness.statement_version,
        "notary-truthfulness/2026-12"
    );
}

#[test]
fn certificates_for_hong_kong_macao_and_taiwan_say_what_they_need() {
    for (code, route, says) in [
        ("HK", "hong_kong_macao", "不需要领事认证"),
        ("TW", "taiwan", "副本"),
    ] {
        let mut j = journey_with(false);
        to_identify(&mut j, "birth");
        read_card(&mut j, applicant());
        cmd(
            &mut j,
            Command::Edit(FormEdit::CountryOfUse(Some(code.into()))),
        );
        match j.view(now()).screen {
            ScreenView::Form(form) => {
                assert!(form.authentication_note.zh.contains(says), "{code}");
                assert!(form.data.translation_language.is_none(), "{code}");
            }
            other => panic!("{other:?}"),
        }
        fill_form(&mut j, Purpose::VisitingRelatives);
        cmd(&mut j, Command::Next);
        cmd(&mut j, Command::Next);
        match j.view(now()).screen {
            ScreenView::Fee {
                estimate: Some(e), ..
            } => assert!(
                e.may_be_added.iter().all(|x| x.id != "authentication"),
                "{code}: no legalisation fee"
            ),
            other => panic!("{other:?}"),
        }
        cmd(&mut j, Command::Next);
        let sub = submission(promise_and_submit(&mut j));
        let json: serde_json::Value = serde_json::from_str(&sub.payload.to_json()).unwrap();
        assert_eq!(json["matter"]["country_of_use"], code);
        assert_eq!(json["matter"]["authentication"], route);
        assert!(json["matter"]["authentication_note_zh"]
            .as_str()
            .unwrap()
            .contains(says));
    }
}

/// The privacy notice (PIPL art. 17: true and complete) names every kind of information the
/// journey then stores and sends: each applicant field of the payload, each photographed
/// material, the handwritten signature and the fingerprint check; and 民族 is neither named
/// nor sent.
#[test]
fn the_privacy_notice_names_what_the_journey_stored() {
    let labels = [
        ("name", "姓名"),
        ("sex", "性别"),
        ("birth_date", "出生日期"),
        ("id_number", "公民身份号码"),
        ("address_registered", "户籍地址"),
        ("id_valid_until", "证件有效期"),
        ("id_issuing_authority", "签发机关"),
        ("address_current", "现住址"),
        ("phone", "手机号码"),
        ("ethnicity", "民族"),
        ("former_name", "曾用名"),
    ];
    // Derived from the card, not collected on their own; `role` is a choice, not data about
    // the applicant.
    let derived = [
        "id_type",
        "id_number_digest",
        "id_long_term",
        "nationality",
        "role",
    ];
    let notice_of = |j: &Journey| match j.view(now()).screen {
        ScreenView::Consent { notice, .. } => format!(
            "{} {}",
            notice.sections[2].body.zh, notice.consents[1].1.body.zh
        ),
        other => panic!("{other:?}"),
    };

    // An application with the ID card and the household register photographed, by post.
    let mut j = journey_with(true);
    cmd(&mut j, Command::ChooseMatter("birth".into()));
    cmd(&mut j, Command::Next);
    let notice = notice_of(&j);
    for item in ConsentItem::ALL {
        cmd(&mut j, Command::SetConsent(item, true));
    }
    cmd(&mut j, Command::Next);
    read_card(&mut j, applicant());
    fill_form(&mut j, Purpose::Study);
    cmd(
        &mut j,
        Command::Edit(FormEdit::Delivery(DeliveryMethod::Post)),
    );
    cmd(
        &mut j,
        Command::Edit(FormEdit::PostalAddress("北京市海淀区中关村大街27号".into())),
    );
    cmd(&mut j, Command::Next);
    for (material, seed) in [("id_card", 1), ("hukou", 2)] {
        cmd(&mut j, Command::Capture(material.into()));
        ev(
            &mut j,
            Event::DocumentCaptured {
                material_id: material.into(),
                result: Ok(jpeg(seed)),
            },
        );
        cmd(&mut j, Command::KeepCapture);
    }
    cmd(&mut j, Command::Next);
    cmd(&mut j, Command::Next);
    let sub = submission(promise_and_submit(&mut j));
    let json: serde_json::Value = serde_json::from_str(&sub.payload.to_json()).unwrap();
    for (key, value) in json["applicant"].as_object().unwrap() {
        if derived.contains(&key.as_str()) || value.is_null() {
            continue;
        }
        let (_, label) = labels
            .iter()
            .find(|(k, _)| k == key)
            .unwrap_or_else(|| panic!("the payload sends `{key}`: give it a notice label"));
        assert!(notice.contains(label), "the notice omits {label}: {notice}");
    }
    assert!(json["matter"]["delivery"]["postal_address"].is_string());
    assert!(notice.contains("邮寄地址"));
    let catalogue = Catalogue::shipped().unwrap();
    assert_eq!(sub.attachments.len(), 2);
    for attachment in &sub.attachments {
        let name = &catalogue.material(&attachment.material_id).unwrap().name.zh;
        assert!(notice.contains(name.as_str()), "the notice omits {name}");
    }
    assert!(
        notice.contains("人像"),
        "the ID card photo shows a face: {notice}"
    );
    assert!(sub.signature.is_some() && json["signature"]["sha256"].is_string());
    assert!(
        notice.contains("手写的签名"),
        "the signature image is stored and sent: {notice}"
    );
    assert!(!notice.contains("民族") && json["applicant"].get("ethnicity").is_none());
    assert!(
        !notice.contains("指纹"),
        "birth asks no fingerprint: {notice}"
    );

    // An appointment with a fingerprint check: the notice names it, and no photos.
    let mut j = journey_with(true);
    cmd(&mut j, Command::ChooseMatter("poa_affairs".into()));
    cmd(&mut j, Command::Next);
    let notice = notice_of(&j);
    for item in ConsentItem::ALL {
        cmd(&mut j, Command::SetConsent(item, true));
    }
    cmd(&mut j, Command::Next);
    read_card(&mut j, applicant());
    cmd(&mut j, Command::VerifyFingerprint);
    ev(&mut j, Event::Fingerprint(FingerprintResult::Matched));
    past_parties(&mut j);
    fill_form(&mut j, Purpose::Other);
    cmd(&mut j, Command::Next);
    office_will_call(&mut j);
    cmd(&mut j, Command::Next);
    cmd(&mut j, Command::Next);
    let sub = submission(promise_and_submit(&mut j));
    assert_eq!(
        sub.payload.identity_verification.fingerprint,
        FingerprintCheck::Matched
    );
    assert!(notice.contains("指纹"), "{notice}");
    assert!(sub.attachments.is_empty());
    assert!(
        !notice.contains("材料照片"),
        "nothing is photographed: {notice}"
    );
}

fn slot_on(day: NaiveDate, hour: u32, minute: u32) -> Slot {
    let start = now()
        .timezone()
        .from_local_datetime(&day.and_hms_opt(hour, minute, 0).unwrap())
        .unwrap();
    Slot {
        start,
        end: start + chrono::Duration::minutes(30),
    }
}

/// A will (in person only) booked into a time the office offered: the time is on the review,
/// in the application and on the receipt.
#[test]
fn a_will_is_booked_into_an_offered_time() {
    let mut j = journey_with(false);
    to_identify(&mut j, "will");
    read_card(&mut j, applicant());
    assert_eq!(j.step(), Step::Form);
    fill_form(&mut j, Purpose::Other);
    cmd(
        &mut j,
        Command::Edit(FormEdit::PreferredDate(
            today().checked_add_days(Days::new(3)),
        )),
    );
    let asked = cmd(&mut j, Command::Next);
    match asked.as_slice() {
        [Effect::FetchSlots {
            matter_id, from, ..
        }] => {
            assert_eq!(matter_id, "will");
            assert_eq!(*from, today());
        }
        other => panic!("{other:?}"),
    }
    assert!(j.view(now()).busy, "waiting for the office");
    let monday = today().checked_add_days(Days::new(1)).unwrap();
    let tuesday = today().checked_add_days(Days::new(2)).unwrap();
    let wanted = slot_on(tuesday, 14, 0);
    ev(
        &mut j,
        Event::Slots(Ok(vec![
            slot_on(monday, 9, 0),
            slot_on(monday, 9, 30),
            wanted.clone(),
        ])),
    );
    // Next before a time is chosen says what to do.
    cmd(&mut j, Command::Next);
    assert_eq!(j.step(), Step::Appointment);
    assert!(j.view(now()).message.unwrap().zh.contains("请选一个时间"));
    cmd(&mut j, Command::ChooseSlotDay(tuesday));
    match j.view(now()).screen {
        ScreenView::Appointment(view) => {
            assert_eq!(view.days.len(), 2);
            assert!(view.days[1].2, "Tuesday is looked at");
            assert_eq!(view.times.len(), 1);
            assert_eq!(view.times[0].1, "14:00–14:30");
        }
        other => panic!("{other:?}"),
    }
    cmd(&mut j, Command::ChooseSlot(wanted.start));
    cmd(&mut j, Command::Next);
    assert_eq!(j.step(), Step::Materials);
    cmd(&mut j, Command::Next);
    cmd(&mut j, Command::Next);
    let ScreenView::Review { lines, .. } = j.view(now()).screen else {
        panic!("review expected");
    };
    let label = wanted.label().zh;
    assert!(lines
        .iter()
        .any(|l| l.label.zh == "预约时间" && l.value.zh.starts_with(&label)));
    let sub = submission(promise_and_submit(&mut j));
    let appointment = sub.payload.office_routing.appointment.clone().unwrap();
    assert_eq!(appointment.slot, Some(wanted));
    assert!(!appointment.office_to_call);
    let text = texts(&printed_lines(&ev(&mut j, Event::Submitted(Ok(receipt())))));
    assert!(text.contains(&format!("预约时间：{label}")), "{text}");
}

/// Going back to the form and on again keeps the chosen time without asking again.
#[test]
fn back_from_the_materials_keeps_the_time_chosen() {
    let mut j = journey_with(false);
    to_identify(&mut j, "will");
    read_card(&mut j, applicant());
    fill_form(&mut j, Purpose::Other);
    cmd(&mut j, Command::Next);
    let tomorrow = slot_on(today().checked_add_days(Days::new(1)).unwrap(), 9, 0);
    ev(&mut j, Event::Slots(Ok(vec![tomorrow.clone()])));
    cmd(&mut j, Command::ChooseSlot(tomorrow.start));
    cmd(&mut j, Command::Next);
    cmd(&mut j, Command::Back);
    assert_eq!(j.step(), Step::Appointment);
    match j.view(now()).screen {
        ScreenView::Appointment(view) => assert!(view.times[0].2, "still chosen"),
        other => panic!("{other:?}"),
    }
    cmd(&mut j, Command::Back);
    assert_eq!(j.step(), Step::Form);
    // The form's Next asks again: a new answer replaces the old offer.
    assert!(matches!(
        cmd(&mut j, Command::Next).as_slice(),
        [Effect::FetchSlots { .. }]
    ));
}

// --- Parties: who the application is for, delivered to the reference case server -----------

mod common;

/// The reference case server on loopback, fed by the kiosk's own store and relay.
struct Office {
    runtime: tokio::runtime::Runtime,
    server: Option<legal_kiosk::caseserver::CaseServer>,
    _dir: tempfile::TempDir,
}

impl Office {
    fn open() -> Office {
        let runtime = tokio::runtime::Runtime::new().unwrap();
        let dir = tempfile::tempdir().unwrap();
        let server = runtime
            .block_on(legal_kiosk::caseserver::spawn(
                ([127, 0, 0, 1], 0).into(),
                &dir.path().join("cases.db"),
                None,
            ))
            .unwrap();
        Office {
            runtime,
            server: Some(server),
            _dir: dir,
        }
    }

    fn server(&self) -> &legal_kiosk::caseserver::CaseServer {
        self.server.as_ref().unwrap()
    }

    /// Commits the submission as the kiosk does, lets the relay deliver it, and returns the
    /// payload as the case server stored it.
    fn deliver(&self, submission: Submission) -> serde_json::Value {
        let dir = tempfile::tempdir().unwrap();
        let store = common::open_store(dir.path());
        let receipt = store
            .commit_submission(submission.into_new_submission().unwrap())
            .unwrap();
        let _context = self.runtime.enter();
        let relay = common::start_relay(&store, &self.server().base_url(), 5);
        self.runtime
            .block_on(common::wait_drained(&store, Duration::from_secs(30)));
        self.runtime.block_on(relay.shutdown());
        let entry = common::entry_of(&store, &receipt);
        assert_eq!(
            entry.state,
            legal_kiosk::store::OutboxState::Delivered,
            "{:?} {:?}",
            entry.last_error,
            entry.park_reason
        );
        self.server()
            .payload(&receipt.idempotency_key)
            .unwrap()
            .expect("the case server has the application")
    }

    /// Posts `payload` directly, as a (faulty) kiosk might, and returns the answer.
    fn post(&self, payload: serde_json::Value) -> legal_kiosk::forward::SubmitOutcome {
        use legal_kiosk::forward::{CaseSystem, WireSubmission, SUBMISSION_SCHEMA};
        let section = legal_kiosk::config::CaseSystemSection {
            base_url: self.server().base_url(),
            timeout_s: 5,
            ..Default::default()
        };
        let system = legal_kiosk::forward::HttpCaseSystem::new(&section).unwrap();
        let wire = WireSubmission {
            schema: SUBMISSION_SCHEMA.into(),
            kiosk_id: "kiosk-cy-01".into(),
            kind: legal_kiosk::domain::SubmissionKind::NotaryApplication,
            receipt_number: "GZ-20260301-0099".into(),
            submitted_at: "2026-03-01T02:00:00.000Z".into(),
            payload,
            attachments: Vec::new(),
        };
        let key = format!("test-{}", rand_key(&wire.payload));
        self.runtime.block_on(system.submit(&key, &wire))
    }
}

impl Drop for Office {
    fn drop(&mut self) {
        if let Some(server) = self.server.take() {
            self.runtime.block_on(server.shutdown());
        }
    }
}

fn rand_key(payload: &serde_json::Value) -> String {
    hex::encode(&Sha256::digest(payload.to_string().as_bytes())[..8])
}

fn refused_with(outcome: legal_kiosk::forward::SubmitOutcome, code: &str) {
    match outcome {
        legal_kiosk::forward::SubmitOutcome::Rejected {
            status: 422,
            reason,
        } => {
            assert!(reason.contains(code), "{reason}")
        }
        other => panic!("expected a 422 with {code}, got {other:?}"),
    }
}

/// Form (for use in China), materials (nothing captured), fee, review, promise, submit.
fn finish_application(j: &mut Journey, purpose: Purpose) -> Submission {
    assert_eq!(j.step(), Step::Form);
    fill_form(j, purpose);
    cmd(j, Command::Next);
    if j.step() == Step::Appointment {
        office_will_call(j);
    }
    assert_eq!(j.step(), Step::Materials, "{:?}", field_errors(j));
    cmd(j, Command::Next);
    cmd(j, Command::Next);
    submission(promise_and_submit(j))
}

fn parent() -> Applicant {
    let mut mother = applicant();
    mother.name = "李红".into();
    mother.sex = Sex::Female;
    mother
}

fn parties_of(payload: &serde_json::Value) -> Vec<serde_json::Value> {
    payload["parties"].as_array().cloned().unwrap_or_default()
}

#[test]
fn a_parent_applies_for_a_child_s_birth_certificate() {
    let office = Office::open();
    let mut j = journey_with(false);
    let notice = to_identify_reading_notice(&mut j, "birth");
    // The child's own card is placed first: the kiosk explains the guardian path.
    let mut child = applicant();
    child.name = "张小宝".into();
    child.birth_date = NaiveDate::from_ymd_opt(2019, 5, 1).unwrap();
    read_card_only(&mut j, child);
    let problem = identify(&j).problem.unwrap();
    assert!(
        problem.zh.contains("我是监护人") && problem.zh.contains("孩子的信息"),
        "{}",
        problem.zh
    );
    cmd(&mut j, Command::RetryCard);
    // The parent's card: the parent is the applicant.
    read_card_only(&mut j, parent());
    assert_eq!(j.step(), Step::Parties);
    let view = parties_view(&j);
    let roles: Vec<ApplicantRole> = view.roles.iter().map(|(r, _, _)| *r).collect();
    assert_eq!(
        roles,
        vec![
            ApplicantRole::Myself,
            ApplicantRole::Guardian,
            ApplicantRole::Agent
        ]
    );
    assert!(
        view.groups.is_empty(),
        "for oneself, birth involves no one else"
    );
    cmd(
        &mut j,
        Command::ChooseApplicantRole(ApplicantRole::Guardian),
    );
    let view = parties_view(&j);
    assert!(view.role_explanation.unwrap().zh.contains("第二十七条"));
    assert_eq!(view.groups.len(), 1);
    let group = &view.groups[0];
    assert_eq!(
        (group.role.as_str(), group.name.zh.as_str()),
        ("child", "孩子")
    );
    let fields: Vec<(PartyField, bool)> = group.parties[0]
        .fields
        .iter()
        .map(|f| (f.field, f.required))
        .collect();
    assert_eq!(
        fields,
        vec![
            (PartyField::Name, true),
            (PartyField::FormerName, false),
            (PartyField::IdNumber, false),
            (PartyField::BirthDate, true),
            (PartyField::Relationship, true),
        ]
    );
    let relationship = &group.parties[0].fields[4];
    assert!(relationship.choices.iter().any(|c| c.id == "child"));
    assert!(!relationship.choices.iter().any(|c| c.id == "father"));

    // Nothing entered: each required field says what is missing, and the step stays.
    cmd(&mut j, Command::Next);
    assert_eq!(j.step(), Step::Parties);
    let errors: Vec<PartyField> = parties_view(&j).groups[0].parties[0]
        .fields
        .iter()
        .filter(|f| f.error.is_some())
        .map(|f| f.field)
        .collect();
    assert_eq!(
        errors,
        vec![
            PartyField::Name,
            PartyField::BirthDate,
            PartyField::Relationship
        ]
    );
    set_party(&mut j, "child", 0, PartyField::Name, "张小宝");
    set_party(&mut j, "child", 0, PartyField::BirthDate, "2019.5.1");
    set_party(&mut j, "child", 0, PartyField::Relationship, "child");
    // A wrong check character in the child's ID number is caught.
    set_party(
        &mut j,
        "child",
        0,
        PartyField::IdNumber,
        "110105201905010022",
    );
    cmd(&mut j, Command::Next);
    assert_eq!(j.step(), Step::Parties);
    let id = &parties_view(&j).groups[0].parties[0].fields[2];
    assert!(id.error.as_ref().unwrap().zh.contains("身份证号码不正确"));
    set_party(
        &mut j,
        "child",
        0,
        PartyField::IdNumber,
        "110105201905010021",
    );
    cmd(&mut j, Command::Next);
    assert_eq!(j.step(), Step::Form);
    cmd(&mut j, Command::Edit(FormEdit::FormerName("李小红".into())));
    // Back from the form keeps what was entered about the child.
    cmd(&mut j, Command::Back);
    assert_eq!(j.step(), Step::Parties);
    assert_eq!(
        parties_view(&j).groups[0].parties[0].fields[0].value,
        "张小宝"
    );
    cmd(&mut j, Command::Next);

    assert_eq!(j.step(), Step::Form);
    fill_form(&mut j, Purpose::Study);
    cmd(&mut j, Command::Next);
    cmd(&mut j, Command::Next);
    cmd(&mut j, Command::Next);
    assert_eq!(j.step(), Step::Review);
    let lines = match j.view(now()).screen {
        ScreenView::Review { lines, .. } => lines,
        other => panic!("{other:?}"),
    };
    let review: Vec<(String, String)> = lines
        .iter()
        .map(|l| (l.label.zh.clone(), l.value.zh.clone()))
        .collect();
    assert!(review.contains(&(
        "办理方式".into(),
        "我是监护人，为孩子或其他被监护人办理".into()
    )));
    assert!(review.contains(&("曾用名".into(), "李小红".into())));
    let child_line = review.iter().find(|(l, _)| l == "孩子").unwrap();
    assert!(
        child_line.1.contains("张小宝")
            && child_line.1.contains("2019-05-01")
            && child_line.1.contains("他（她）是您的子女")
            && !child_line.1.contains("201905010021"),
        "the child's ID number is masked on screen: {}",
        child_line.1
    );
    let sub = submission(promise_and_submit(&mut j));
    assert_eq!(sub.payload.applicant.name, "李红", "the parent applies");
    let payload = office.deliver(sub);
    assert_eq!(payload["applicant"]["role"], "guardian");
    assert_eq!(payload["applicant"]["former_name"], "李小红");
    assert_eq!(
        parties_of(&payload),
        vec![serde_json::json!({
            "role": "child",
            "name": "张小宝",
            "birth_date": "2019-05-01",
            "id_number": "110105201905010021",
            "relationship": "child",
        })]
    );

    // The case server checks the parties itself: without the child it is refused.
    let mut without_child = payload.clone();
    without_child["parties"] = serde_json::json!([]);
    refused_with(office.post(without_child), "party_missing");
    let mut wrong_id = payload.clone();
    wrong_id["parties"][0]["id_number"] = "110105201905010022".into();
    refused_with(office.post(wrong_id), "party_invalid");
    notice_covers_parties(&notice, &payload);
}

#[test]
fn a_guardian_must_be_an_adult() {
    let mut j = journey_with(false);
    to_identify(&mut j, "birth");
    let mut teenager = applicant();
    teenager.birth_date = NaiveDate::from_ymd_opt(2010, 1, 1).unwrap();
    read_card_only(&mut j, teenager);
    assert_eq!(
        j.step(),
        Step::Parties,
        "14 and over may apply for themselves"
    );
    cmd(
        &mut j,
        Command::ChooseApplicantRole(ApplicantRole::Guardian),
    );
    fill_parties_with_samples(&mut j);
    cmd(&mut j, Command::Next);
    assert_eq!(j.step(), Step::Parties);
    assert!(j.view(now()).message.unwrap().zh.contains("年满18周岁"));
    cmd(&mut j, Command::ChooseApplicantRole(ApplicantRole::Myself));
    cmd(&mut j, Command::Next);
    assert_eq!(j.step(), Step::Form);
}

/// As [`to_identify`], returning what the privacy notice says is collected (its "收集的信息"
/// section and the sensitive-information consent), as the citizen read it.
fn to_identify_reading_notice(j: &mut Journey, matter: &str) -> String {
    cmd(j, Command::ChooseMatter(matter.into()));
    cmd(j, Command::Next);
    let notice = match j.view(now()).screen {
        ScreenView::Consent { notice, .. } => format!(
            "{} {}",
            notice.sections[2].body.zh, notice.consents[1].1.body.zh
        ),
        other => panic!("{other:?}"),
    };
    cmd(j, Command::Back);
    cmd(j, Command::Back);
    to_identify(j, matter);
    notice
}

/// PIPL art. 17: every party that arrived at the case server, and every field of it, is
/// named in the notice the citizen agreed to, under that party's role.
fn notice_covers_parties(notice: &str, payload: &serde_json::Value) {
    let catalogue = Catalogue::shipped().unwrap();
    let parties = parties_of(payload);
    assert!(!parties.is_empty(), "the journey sent parties");
    for party in &parties {
        let role = party["role"].as_str().unwrap();
        let name = &catalogue.party_role(role).unwrap().name.zh;
        let name = name.split('（').next().unwrap();
        let start = notice
            .find(&format!("{name}的"))
            .unwrap_or_else(|| panic!("the notice does not name the {name}: {notice}"));
        let segment: String = notice[start..]
            .chars()
            .take_while(|c| *c != '；' && *c != '。')
            .collect();
        for (key, _) in party.as_object().unwrap() {
            let label = match key.as_str() {
                "role" => continue,
                "name" => "姓名",
                "former_name" => "曾用名",
                "id_number" => "身份证号码",
                "birth_date" => "出生日期",
                "death_date" => "去世日期",
                "relationship" => "关系",
                "credit_code" => "统一社会信用代码",
                "period_from" => "从",
                "period_to" => "到",
                "powers" => "委托办理的事情和权限",
                other => panic!("the payload sends `{other}` of a party: give it a notice label"),
            };
            assert!(
                segment.contains(label),
                "the notice omits the {name}'s {label}: {segment}"
            );
        }
    }
}

#[test]
fn a_kinship_certificate_names_the_relatives() {
    let office = Office::open();
    let mut j = journey_with(false);
    let notice = to_identify_reading_notice(&mut j, "kinship");
    read_card_only(&mut j, applicant());
    assert_eq!(j.step(), Step::Parties);
    let group = parties_view(&j).groups.remove(0);
    assert_eq!(
        (group.role.as_str(), group.min, group.max),
        ("relative", 1, 10)
    );
    assert!(group.can_add && !group.parties[0].can_remove);
    cmd(&mut j, Command::AddParty("relative".into()));
    cmd(&mut j, Command::AddParty("relative".into()));
    assert_eq!(parties_view(&j).groups[0].parties.len(), 3);
    set_party(&mut j, "relative", 0, PartyField::Name, "张大山");
    set_party(&mut j, "relative", 0, PartyField::Relationship, "father");
    set_party(&mut j, "relative", 1, PartyField::Name, "错误");
    set_party(&mut j, "relative", 2, PartyField::Name, "王秀英");
    set_party(&mut j, "relative", 2, PartyField::Relationship, "mother");
    set_party(
        &mut j,
        "relative",
        2,
        PartyField::IdNumber,
        "110105196202020027",
    );
    cmd(
        &mut j,
        Command::RemoveParty {
            role: "relative".into(),
            index: 1,
        },
    );
    let view = parties_view(&j);
    assert_eq!(view.groups[0].parties.len(), 2);
    assert_eq!(view.groups[0].parties[1].fields[0].value, "王秀英");
    cmd(&mut j, Command::Next);
    let sub = finish_application(&mut j, Purpose::VisitingRelatives);
    let payload = office.deliver(sub);
    assert_eq!(payload["applicant"]["role"], "self");
    assert!(payload["applicant"].get("former_name").is_none());
    let relatives = parties_of(&payload);
    assert_eq!(relatives.len(), 2);
    assert_eq!(relatives[0]["name"], "张大山");
    assert_eq!(relatives[0]["relationship"], "father");
    assert_eq!(relatives[1]["id_number"], "110105196202020027");
    assert_eq!(relatives[1]["relationship"], "mother");
    notice_covers_parties(&notice, &payload);
}

#[test]
fn a_power_of_attorney_names_the_agent_the_powers_and_the_period() {
    let office = Office::open();
    let mut j = journey_with(false);
    let notice = to_identify_reading_notice(&mut j, "poa_affairs");
    read_card_only(&mut j, applicant());
    assert_eq!(j.step(), Step::Parties);
    let view = parties_view(&j);
    assert!(
        view.roles.is_empty(),
        "a power of attorney is given in person"
    );
    assert_eq!(view.groups[0].role, "agent");
    set_party(&mut j, "agent", 0, PartyField::Name, "李四");
    set_party(
        &mut j,
        "agent",
        0,
        PartyField::IdNumber,
        "110105199208150037",
    );
    set_party(
        &mut j,
        "agent",
        0,
        PartyField::Powers,
        "代为办理退休金领取手续，代为签署相关文件",
    );
    set_party(&mut j, "agent", 0, PartyField::PeriodFrom, "202603");
    set_party(&mut j, "agent", 0, PartyField::PeriodTo, "202512");
    cmd(&mut j, Command::Next);
    let period = &parties_view(&j).groups[0].parties[0];
    let to = period
        .fields
        .iter()
        .find(|f| f.field == PartyField::PeriodTo)
        .unwrap();
    assert!(to.error.as_ref().unwrap().zh.contains("不能早于开始"));
    set_party(&mut j, "agent", 0, PartyField::PeriodTo, "2027年2月");
    set_party(&mut j, "agent", 0, PartyField::Relationship, "child");
    cmd(&mut j, Command::Next);
    let sub = finish_application(&mut j, Purpose::Pension);
    let payload = office.deliver(sub);
    assert_eq!(
        parties_of(&payload),
        vec![serde_json::json!({
            "role": "agent",
            "name": "李四",
            "id_number": "110105199208150037",
            "powers": "代为办理退休金领取手续，代为签署相关文件",
            "period_from": "2026-03",
            "period_to": "2027-02",
            "relationship": "child",
        })]
    );
    notice_covers_parties(&notice, &payload);
}

#[test]
fn an_inheritance_names_the_deceased_and_the_heirs() {
    let office = Office::open();
    let mut j = journey_with(false);
    // The notice, before anything is entered, says whose data will be asked for.
    cmd(&mut j, Command::ChooseMatter("inheritance".into()));
    cmd(&mut j, Command::Next);
    let notice = match j.view(now()).screen {
        ScreenView::Consent { notice, .. } => notice,
        other => panic!("{other:?}"),
    };
    let collected = &notice.sections[2].body.zh;
    assert!(
        collected.contains("逝者的姓名、曾用名、身份证号码、去世日期")
            && collected.contains("继承人")
            && collected.contains("被监护人的")
            && collected.contains("委托人的姓名"),
        "{collected}"
    );
    assert!(notice.consents[1].1.body.zh.contains("他人身份证号码"));
    cmd(&mut j, Command::Back);
    cmd(&mut j, Command::Back);

    let reading = to_identify_reading_notice(&mut j, "inheritance");
    read_card_only(&mut j, applicant());
    let view = parties_view(&j);
    let groups: Vec<&str> = view.groups.iter().map(|g| g.role.as_str()).collect();
    assert_eq!(groups, vec!["deceased", "heir"]);
    let heir_relationship = view.groups[1].parties[0]
        .fields
        .iter()
        .find(|f| f.field == PartyField::Relationship)
        .unwrap();
    assert_eq!(heir_relationship.label.zh, "他（她）是逝者的");
    set_party(&mut j, "deceased", 0, PartyField::Name, "张大山");
    set_party(
        &mut j,
        "deceased",
        0,
        PartyField::IdNumber,
        "110105196001010017",
    );
    set_party(&mut j, "deceased", 0, PartyField::DeathDate, "20251103");
    set_party(&mut j, "deceased", 0, PartyField::Relationship, "father");
    set_party(&mut j, "heir", 0, PartyField::Name, "张小三");
    set_party(&mut j, "heir", 0, PartyField::Relationship, "child");
    cmd(&mut j, Command::AddParty("heir".into()));
    set_party(&mut j, "heir", 1, PartyField::Name, "王秀英");
    set_party(&mut j, "heir", 1, PartyField::Relationship, "spouse");
    cmd(&mut j, Command::Next);
    let sub = finish_application(&mut j, Purpose::Inheritance);
    let payload = office.deliver(sub);
    let parties = parties_of(&payload);
    let roles: Vec<&str> = parties
        .iter()
        .map(|p| p["role"].as_str().unwrap())
        .collect();
    assert_eq!(roles, vec!["deceased", "heir", "heir"]);
    assert_eq!(parties[0]["death_date"], "2025-11-03");
    assert_eq!(parties[2]["relationship"], "spouse");
    let mut no_deceased = payload.clone();
    no_deceased["parties"] = serde_json::json!([parties[1], parties[2]]);
    notice_covers_parties(&reading, &payload);
    refused_with(office.post(no_deceased), "party_missing");
}

#[test]
fn a_will_is_made_in_person_by_the_testator_alone() {
    let office = Office::open();
    let mut j = journey_with(false);
    to_identify(&mut j, "will");
    read_card_only(&mut j, applicant());
    // No one else to choose or enter: straight on to the form.
    assert_eq!(j.step(), Step::Form);
    let catalogue = Catalogue::shipped().unwrap();
    let will = catalogue.matter("will").unwrap();
    assert_eq!(will.applicant_roles(), vec![ApplicantRole::Myself]);
    let sub = finish_application(&mut j, Purpose::Other);
    let payload = office.deliver(sub);
    assert_eq!(payload["applicant"]["role"], "self");
    let mut by_guardian = payload.clone();
    by_guardian["applicant"]["role"] = "guardian".into();
    refused_with(office.post(by_guardian), "role_not_allowed");
    let mut by_agent = payload;
    by_agent["applicant"]["role"] = "agent".into();
    refused_with(office.post(by_agent), "role_not_allowed");
}

#[test]
fn a_company_matter_needs_a_valid_credit_code() {
    let mut j = journey_with(false);
    to_identify(&mut j, "business_licence");
    read_card_only(&mut j, applicant());
    set_party(
        &mut j,
        "company",
        0,
        PartyField::Name,
        "深圳市腾讯计算机系统有限公司",
    );
    set_party(
        &mut j,
        "company",
        0,
        PartyField::CreditCode,
        "91440300708461136U",
    );
    cmd(&mut j, Command::Next);
    let company = &parties_view(&j).groups[0].parties[0];
    let code = company
        .fields
        .iter()
        .find(|f| f.field == PartyField::CreditCode)
        .unwrap();
    assert!(code
        .error
        .as_ref()
        .unwrap()
        .zh
        .contains("统一社会信用代码不正确"));
    set_party(
        &mut j,
        "company",
        0,
        PartyField::CreditCode,
        "91440300708461136t",
    );
    cmd(&mut j, Command::Next);
    let sub = finish_application(&mut j, Purpose::Business);
    assert_eq!(
        sub.payload.parties[0].fields[&PartyField::CreditCode],
        "91440300708461136T"
    );
}

#[test]
fn phone_numbers_of_landlines_hong_kong_and_abroad_are_taken() {
    let mut j = journey_with(false);
    to_identify(&mut j, "birth");
    read_card(&mut j, applicant());
    cmd(&mut j, Command::Edit(FormEdit::Purpose(Purpose::Study)));
    for (typed, ok) in [
        ("0755-12345678", true),
        ("+852 9123 4567", true),
        ("+853 6123 456", false),
        ("+44 20 7946 0958", true),
        ("0755-123", false),
    ] {
        cmd(&mut j, Command::Edit(FormEdit::Phone(typed.into())));
        cmd(&mut j, Command::Next);
        assert_eq!(j.step() == Step::Materials, ok, "{typed}");
        if ok {
            cmd(&mut j, Command::Back);
        }
    }
    let error = match j.view(now()).screen {
        ScreenView::Form(form) => form.errors[0].message.clone(),
        other => panic!("{other:?}"),
    };
    assert!(
        error.zh.contains("区号") && error.en.contains("area code"),
        "{error:?}"
    );
}

#[test]
fn an_agent_applies_with_a_signed_power_of_attorney() {
    let office = Office::open();
    let mut j = journey_with(false);
    to_identify(&mut j, "no_criminal_record");
    read_card_only(&mut j, applicant());
    cmd(&mut j, Command::ChooseApplicantRole(ApplicantRole::Agent));
    let view = parties_view(&j);
    let note = view.role_explanation.unwrap();
    assert!(note.zh.contains("签名或盖章的授权委托书") && note.zh.contains("以公证处要求为准"));
    assert_eq!(view.groups[0].role, "principal");
    set_party(&mut j, "principal", 0, PartyField::Name, "张大山");
    set_party(
        &mut j,
        "principal",
        0,
        PartyField::IdNumber,
        "110105196001010017",
    );
    set_party(&mut j, "principal", 0, PartyField::Relationship, "father");
    cmd(&mut j, Command::Next);
    assert_eq!(j.step(), Step::Form);
    fill_form(&mut j, Purpose::Immigration);
    cmd(&mut j, Command::Next);
    // The power of attorney the matter lists "if someone applies for you" is now required.
    let items = match j.view(now()).screen {
        ScreenView::Materials { items, .. } => items,
        other => panic!("{other:?}"),
    };
    let poa = items.iter().find(|i| i.material_id == "agent_poa").unwrap();
    assert!(poa.required && poa.when.is_none());
    assert!(items
        .iter()
        .any(|i| i.material_id == "relative_id" && i.required));
    cmd(&mut j, Command::Next);
    cmd(&mut j, Command::Next);
    let sub = submission(promise_and_submit(&mut j));
    let payload = office.deliver(sub);
    assert_eq!(payload["applicant"]["role"], "agent");
    assert_eq!(parties_of(&payload)[0]["role"], "principal");
    assert!(payload["materials"]
        .as_array()
        .unwrap()
        .iter()
        .any(|m| m["material_id"] == "agent_poa" && m["required"] == true));
    // For oneself, the power of attorney is not asked for.
    let mut mine = journey_with(false);
    to_identify(&mut mine, "no_criminal_record");
    read_card(&mut mine, applicant());
    fill_form(&mut mine, Purpose::Immigration);
    cmd(&mut mine, Command::Next);
    match mine.view(now()).screen {
        ScreenView::Materials { items, .. } => {
            let poa = items.iter().find(|i| i.material_id == "agent_poa").unwrap();
            assert!(!poa.required, "only if someone applies for you");
            assert!(!items.iter().any(|i| i.material_id == "relative_id"));
        }
        other => panic!("{other:?}"),
    }
}

/// 公证程序规则 art. 17: the application is signed. A tap is not a signature, clearing
/// starts again, back keeps the ink, and the PNG travels with its hash in the payload.
#[test]
fn the_application_is_signed_and_the_signature_travels_with_its_hash() {
    let mut j = birth_at_review();
    cmd(&mut j, Command::Next);
    cmd(&mut j, Command::SetPromise(true));
    cmd(&mut j, Command::Next);
    assert_eq!(j.step(), Step::Signature);
    let can_confirm = |j: &Journey| match j.view(now()).screen {
        ScreenView::Signature { can_confirm, .. } => can_confirm,
        other => panic!("{other:?}"),
    };
    cmd(
        &mut j,
        Command::SignatureStroke(vec![Point::from_fraction(0.5, 0.5)]),
    );
    assert!(!can_confirm(&j), "a tap is not a signature");
    assert!(cmd(&mut j, Command::ConfirmSignature).is_empty());
    assert!(j.view(now()).message.unwrap().zh.contains("写下您的姓名"));
    cmd(&mut j, Command::ClearSignature);
    match j.view(now()).screen {
        ScreenView::Signature { pad, .. } => assert!(pad.is_empty()),
        other => panic!("{other:?}"),
    }
    sign(&mut j);
    assert!(can_confirm(&j));
    cmd(&mut j, Command::Back);
    assert_eq!(j.step(), Step::Declaration);
    cmd(&mut j, Command::Next);
    assert!(can_confirm(&j), "back keeps the ink");
    let sub = submission(cmd(&mut j, Command::ConfirmSignature));
    let image = sub.signature.clone().expect("the signature image");
    let signed = sub.payload.signature.clone().expect("payload.signature");
    assert_eq!(signed.sha256, hex::encode(Sha256::digest(&image.png)));
    assert_eq!(signed.attachment.role, "signature");
    assert_eq!(signed.attachment.size, image.png.len() as u64);
    assert_eq!(signed.signed_at, now());
    let stored = sub.into_new_submission().unwrap();
    let attachment = stored.attachments.last().unwrap();
    assert_eq!(attachment.role.as_str(), "signature");
    assert_eq!(attachment.media_type, "image/png");
    assert_eq!(hex::encode(Sha256::digest(&attachment.data)), signed.sha256);
}
