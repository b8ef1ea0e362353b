//! Screenshot scenes: every step of the notary journey in a fixed, meaningful state. The
//! journey is driven with its own commands and fed device and store answers directly (no
//! device or store is opened for a screenshot), so each picture shows exactly what the
//! citizen would see at that step.

use super::setup;
use crate::adapter::Controller;
use crate::core::notary::appointment::Slot;
use crate::core::notary::journey::{CardEvent, Command as J, Event, Rating};
use crate::core::notary::jurisdiction::{Basis, JurisdictionAnswer};
use crate::core::notary::parties::{ApplicantRole, PartyField};
use crate::core::notary::payload::SubmissionReceipt;
use crate::core::notary::signature::Point;
use crate::core::notary::{Applicant, CardKind, ConsentItem, FormEdit, Journey, Purpose, Sex};
use crate::core::{Command, Screen};
use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, TimeZone};

/// Screenshot names of the notary steps beyond the first (`notary`).
pub const NOTARY_SCENES: [&str; 18] = [
    "notary-matter-info",
    "notary-jurisdiction",
    "notary-jurisdiction-elsewhere",
    "notary-consent",
    "notary-consent-declined",
    "notary-identify",
    "notary-parties",
    "notary-form",
    "notary-appointment",
    "notary-materials",
    "notary-fee",
    "notary-review",
    "notary-declaration",
    "notary-signature",
    "notary-submitting",
    "notary-receipt",
    "notary-rating",
    "notary-end",
];

/// The matter every scene applies for: used abroad, with materials to capture.
const SCENE_MATTER: &str = "degree";
/// The matter of the appointment scene: a will, made in person.
const APPOINTMENT_MATTER: &str = "will";
/// The matter of the "who is it for" scene: a parent applies for a child's birth certificate.
const PARTIES_MATTER: &str = "birth";
/// The matter of the "apply elsewhere" scene: an inheritance of a flat in another city.
const ELSEWHERE_MATTER: &str = "inheritance";

/// A fictitious applicant (the sample card's data style; no real person).
fn sample_applicant() -> Applicant {
    Applicant {
        name: "王建国".into(),
        sex: Sex::Male,
        birth_date: NaiveDate::from_ymd_opt(1968, 3, 12).unwrap_or_default(),
        id_number: "110105196803120013".into(),
        address: "北京市朝阳区示例路18号院3号楼2单元501室".into(),
        card_expiry: None,
        card_kind: CardKind::ResidentIdCard,
        ethnicity: Some("汉".into()),
        issuing_authority: Some("北京市公安局朝阳分局".into()),
    }
}

/// A small grey "document" JPEG for the capture preview.
fn sample_jpeg() -> Vec<u8> {
    let page = image::RgbImage::from_fn(420, 300, |x, y| {
        let margin = !(30..=390).contains(&x) || !(30..=270).contains(&y);
        let text_line = y % 28 < 8 && (60..360).contains(&x) && y > 60;
        if margin {
            image::Rgb([120, 110, 95])
        } else if text_line {
            image::Rgb([70, 70, 80])
        } else {
            image::Rgb([245, 243, 236])
        }
    });
    let mut jpeg = Vec::new();
    let encoded =
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 85).encode_image(&page);
    if let Err(error) = encoded {
        tracing::warn!(%error, "sample JPEG not encoded");
    }
    jpeg
}

/// Puts the notary screens into the state `name` shows; false for other names.
pub(in crate::adapter) fn stage(c: &Controller, name: &str) -> bool {
    let Some(position) = NOTARY_SCENES.iter().position(|s| *s == name) else {
        return false;
    };
    c.dispatch(Command::Open(Screen::Notary));
    // A camera as on a fitted kiosk, so the materials scene shows capture and preview.
    let Ok(mut journey_setup) = setup::journey_setup(&c.config, None, None) else {
        return false;
    };
    journey_setup.camera_fitted = true;
    *c.notary.journey.borrow_mut() = Some(Journey::new(journey_setup));
    let now = c.notary_now();
    let language = c.notary_language();
    let run = |command: J| {
        if let Some(j) = c.notary.journey.borrow_mut().as_mut() {
            j.command(command, now);
        }
    };
    let feed = |event: Event| {
        if let Some(j) = c.notary.journey.borrow_mut().as_mut() {
            j.event(event, now);
        }
    };
    run(J::SetLanguage(language));
    if name == "notary-jurisdiction-elsewhere" {
        run(J::ChooseMatter(ELSEWHERE_MATTER.into()));
        run(J::Next);
        run(J::AnswerJurisdiction(
            JurisdictionAnswer::InvolvesRealEstate(true),
        ));
        run(J::AnswerJurisdiction(JurisdictionAnswer::NoneHere));
        c.render_notary();
        return true;
    }
    if name == "notary-appointment" {
        stage_appointment(&run, &feed, now);
        c.render_notary();
        return true;
    }
    if name == "notary-parties" {
        stage_parties(&run, &feed);
        c.render_notary();
        return true;
    }
    run(J::ChooseMatter(SCENE_MATTER.into()));
    let reached = |scene: &str| {
        NOTARY_SCENES
            .iter()
            .position(|s| *s == scene)
            .is_some_and(|p| position >= p)
    };
    if reached("notary-jurisdiction") {
        run(J::Next);
    }
    if reached("notary-consent") {
        // The degree was awarded by a school in the office's area.
        run(J::AnswerJurisdiction(JurisdictionAnswer::Place(
            Basis::ActOrFact,
        )));
    }
    if name == "notary-consent" {
        run(J::SetConsent(ConsentItem::PersonalInfo, true));
    }
    if name == "notary-consent-declined" {
        run(J::DeclineConsent);
    }
    if reached("notary-identify") {
        for item in ConsentItem::ALL {
            run(J::SetConsent(item, true));
        }
        run(J::Next);
    }
    if reached("notary-form") {
        feed(Event::Card(CardEvent::Read(Box::new(sample_applicant()))));
        // Who it is for: the applicant's own degree, from this university.
        run(J::SetPartyField {
            role: "school".into(),
            index: 0,
            field: PartyField::Name,
            value: "北京示例大学".into(),
        });
        run(J::Next);
        run(J::Edit(FormEdit::Purpose(Purpose::Study)));
        run(J::Edit(FormEdit::CountryOfUse(Some("DE".into()))));
    }
    if name == "notary-form" {
        // Shows a message next to its field, as after a mistyped number.
        run(J::Edit(FormEdit::Phone("1381234".into())));
        run(J::Next);
    }
    if reached("notary-materials") {
        run(J::Edit(FormEdit::Phone("13812345678".into())));
        run(J::Edit(FormEdit::Copies(2)));
        run(J::Next);
        let first = c
            .notary
            .journey
            .borrow()
            .as_ref()
            .and_then(first_capturable);
        if let Some(material_id) = first {
            run(J::Capture(material_id.clone()));
            feed(Event::DocumentCaptured {
                material_id,
                result: Ok(sample_jpeg()),
            });
        }
    }
    if reached("notary-fee") {
        run(J::KeepCapture);
        run(J::Next);
    }
    if name == "notary-fee" {
        // Shows a reduction asked for: the estimate stays normal until the office checks.
        run(J::ToggleReduction("legal_aid".into()));
    }
    if reached("notary-review") {
        run(J::Next);
    }
    if reached("notary-declaration") {
        run(J::Next);
    }
    if reached("notary-signature") {
        run(J::SetPromise(true));
        run(J::Next);
        for stroke in sample_signature() {
            run(J::SignatureStroke(stroke));
        }
    }
    if reached("notary-submitting") {
        run(J::Next);
    }
    if reached("notary-receipt") {
        feed(Event::Submitted(Ok(SubmissionReceipt {
            number: "GZ-20261122-0042".into(),
            token: "3f2a9c41d07e58b6a1c2d3e4f5061728".into(),
        })));
        feed(Event::Printed(Ok(())));
    }
    if reached("notary-rating") {
        run(J::Next);
        run(J::Rate(Rating::Satisfied));
    }
    if reached("notary-end") {
        run(J::Next);
    }
    c.render_notary();
    if name == "notary-form" {
        c.notary_adapter(|a| a.set_phone("1381234".into()));
    }
    true
}

/// A name written quickly, as a finger does: three bars and a stroke down (王), then a
/// running flourish. Points on the pad's grid, in fractions of the box.
fn sample_signature() -> Vec<Vec<Point>> {
    let line = |(x0, y0): (f32, f32), (x1, y1): (f32, f32)| -> Vec<Point> {
        (0..=24)
            .map(|i| {
                let t = i as f32 / 24.0;
                Point::from_fraction(x0 + (x1 - x0) * t, y0 + (y1 - y0) * t)
            })
            .collect()
    };
    let flourish = (0..=80)
        .map(|i| {
            let t = i as f32 / 80.0;
            let wave = (t * std::f32::consts::TAU * 2.5).sin();
            Point::from_fraction(0.36 + 0.5 * t, 0.55 - 0.16 * wave - 0.08 * t)
        })
        .collect();
    vec![
        line((0.10, 0.26), (0.28, 0.24)),
        line((0.12, 0.47), (0.27, 0.46)),
        line((0.19, 0.24), (0.19, 0.70)),
        line((0.08, 0.72), (0.31, 0.69)),
        flourish,
    ]
}

/// `matter` chosen, applied for here (the applicant lives in the area), every consent given
/// and the sample card read.
fn card_read_for(matter: &str, run: &dyn Fn(J), feed: &dyn Fn(Event)) {
    run(J::ChooseMatter(matter.into()));
    run(J::Next);
    run(J::AnswerJurisdiction(JurisdictionAnswer::Place(
        Basis::Domicile,
    )));
    for item in ConsentItem::ALL {
        run(J::SetConsent(item, true));
    }
    run(J::Next);
    feed(Event::Card(CardEvent::Read(Box::new(sample_applicant()))));
}

/// A parent at "who is it for", applying as the guardian for a child's birth certificate:
/// the child's name, date of birth and relationship entered, the ID number left to fill.
fn stage_parties(run: &dyn Fn(J), feed: &dyn Fn(Event)) {
    card_read_for(PARTIES_MATTER, run, feed);
    run(J::ChooseApplicantRole(ApplicantRole::Guardian));
    for (field, value) in [
        (PartyField::Name, "王小明"),
        (PartyField::BirthDate, "20190501"),
        (PartyField::Relationship, "child"),
    ] {
        run(J::SetPartyField {
            role: "child".into(),
            index: 0,
            field,
            value: value.into(),
        });
    }
}

/// A will (in person only) at the appointment step, the office's times for three working
/// days offered and one chosen.
fn stage_appointment(run: &dyn Fn(J), feed: &dyn Fn(Event), now: DateTime<FixedOffset>) {
    card_read_for(APPOINTMENT_MATTER, run, feed);
    run(J::Edit(FormEdit::Purpose(Purpose::Other)));
    run(J::Edit(FormEdit::Phone("13812345678".into())));
    run(J::Next);
    let mut slots = Vec::new();
    let mut day = now.date_naive();
    while slots.len() < 3 * 6 {
        day = day.succ_opt().unwrap_or(day);
        if day.weekday().number_from_monday() > 5 {
            continue;
        }
        for (hour, minute) in [(9, 0), (9, 30), (10, 30), (14, 0), (15, 30), (16, 30)] {
            let start = day
                .and_hms_opt(hour, minute, 0)
                .and_then(|t| now.timezone().from_local_datetime(&t).single());
            if let Some(start) = start {
                slots.push(Slot {
                    start,
                    end: start + chrono::Duration::minutes(30),
                });
            }
        }
    }
    let chosen = slots.get(7).map(|s| s.start);
    feed(Event::Slots(Ok(slots)));
    if let Some(start) = chosen {
        run(J::ChooseSlot(start));
    }
}

fn first_capturable(journey: &Journey) -> Option<String> {
    let view = journey.view(chrono::Local::now().fixed_offset());
    match view.screen {
        crate::core::notary::ScreenView::Materials { items, .. } => items
            .into_iter()
            .find(|i| i.capture == crate::core::notary::materials::CaptureState::NotCaptured)
            .map(|i| i.material_id),
        _ => None,
    }
}
