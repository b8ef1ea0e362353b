//! Renders a [`JourneyView`] into the `NotaryAdapter` global, every text in the session's
//! language. Personal data leaves these properties when the journey is wiped: every render
//! sets every property of the steps that are not shown to empty.

use super::Missing;
use crate::core::notary::consent::OfficeInfo;
use crate::core::notary::fees::format_fen;
use crate::core::notary::form::FormField;
use crate::core::notary::journey::{
    Choice, FormView, IdentifyView, JourneyView, MatterDetails, PrintState, ScreenView, Step,
};
use crate::core::notary::materials::{CaptureState, ChecklistItem};
use crate::core::notary::{NotaryReceiptLine, Purpose};
use crate::domain::Bilingual;
use crate::domain::Language;
use crate::ui::{NotaryAdapter, NotaryItem, NotaryLine, NotaryStep, ReceiptPrintStatus};
use slint::{Image, ModelRc, Rgba8Pixel, SharedPixelBuffer, SharedString, VecModel};

fn model<T: Clone + 'static>(items: Vec<T>) -> ModelRc<T> {
    ModelRc::new(VecModel::from(items))
}

struct Texts(Language);

impl Texts {
    fn s(&self, text: &Bilingual) -> SharedString {
        text.get(self.0).into()
    }
    fn pick(&self, zh: &str, en: &str) -> SharedString {
        match self.0 {
            Language::Zh => zh.into(),
            Language::En => en.into(),
        }
    }
}

fn item(
    id: &str,
    text: SharedString,
    detail: SharedString,
    selected: bool,
    state: i32,
) -> NotaryItem {
    NotaryItem {
        id: id.into(),
        text,
        detail,
        selected,
        state,
    }
}

fn line(label: SharedString, value: SharedString) -> NotaryLine {
    NotaryLine { label, value }
}

pub fn purpose_id(purpose: Purpose) -> &'static str {
    match purpose {
        Purpose::Study => "study",
        Purpose::VisitingRelatives => "visiting_relatives",
        Purpose::Immigration => "immigration",
        Purpose::Work => "work",
        Purpose::Business => "business",
        Purpose::Inheritance => "inheritance",
        Purpose::Litigation => "litigation",
        Purpose::Pension => "pension",
        Purpose::Other => "other",
    }
}

fn step_of(step: Step) -> NotaryStep {
    match step {
        Step::ChooseMatter => NotaryStep::ChooseMatter,
        Step::MatterInfo => NotaryStep::MatterInfo,
        Step::Jurisdiction => NotaryStep::Jurisdiction,
        Step::Consent => NotaryStep::Consent,
        Step::ConsentDeclined => NotaryStep::ConsentDeclined,
        Step::Identify => NotaryStep::Identify,
        Step::Parties => NotaryStep::Parties,
        Step::Form => NotaryStep::Form,
        Step::Appointment => NotaryStep::Appointment,
        Step::Materials => NotaryStep::Materials,
        Step::Fee => NotaryStep::Fee,
        Step::Review => NotaryStep::Review,
        Step::Declaration => NotaryStep::Declaration,
        Step::Signature => NotaryStep::Signature,
        Step::Submitting => NotaryStep::Submitting,
        Step::Receipt => NotaryStep::Receipt,
        Step::Rating => NotaryStep::Rating,
        Step::End => NotaryStep::End,
    }
}

/// Empties the two-way fields the citizen typed into.
pub fn clear_typed(a: &NotaryAdapter<'_>) {
    a.set_query(SharedString::new());
    a.set_phone(SharedString::new());
    a.set_current_address(SharedString::new());
    a.set_postal_address(SharedString::new());
    a.set_former_name(SharedString::new());
    a.set_rating_comment(SharedString::new());
}

pub fn render(
    a: &NotaryAdapter<'_>,
    view: &JourneyView,
    language: Language,
    missing: &[Missing],
    office: &OfficeInfo,
) {
    let t = Texts(language);
    a.set_step(step_of(view.step));
    a.set_can_go_back(view.can_go_back);
    a.set_can_cancel(view.can_cancel);
    a.set_busy(view.busy);
    a.set_message(view.message.as_ref().map(|m| t.s(m)).unwrap_or_default());
    a.set_device_note(device_note(&t, view.step, missing, office));
    choose(a, &t, &view.screen);
    matter(a, &t, &view.screen);
    super::jurisdiction::render(a, language, &view.screen);
    consent(a, &t, &view.screen);
    identify(a, &t, &view.screen);
    super::parties::render(a, language, &view.screen);
    form(a, &t, &view.screen);
    super::appointment::render(a, language, &view.screen);
    materials(a, &t, &view.screen);
    fee(a, &t, &view.screen);
    review(a, &t, &view.screen);
    declaration(a, &t, &view.screen);
    receipt(a, &t, &view.screen);
    rating(a, &t, &view.screen);
    a.set_end_message(match &view.screen {
        ScreenView::End { message } => t.s(message),
        _ => SharedString::new(),
    });
}

fn device_note(t: &Texts, step: Step, missing: &[Missing], office: &OfficeInfo) -> SharedString {
    let counter = format!(
        "{} {} · {}",
        office.office_address.get(t.0),
        office.counter_hours.get(t.0),
        office.phone
    );
    if step == Step::Identify && missing.contains(&Missing::IdReader) {
        let text = t.pick(
            "本机的身份证读卡器暂时无法使用，无法在本机办理申请。请到人工窗口办理，或稍后再试：",
            "This kiosk's ID card reader is not working, so applications cannot be made here now. Please apply at the staffed counter, or try again later: ",
        );
        return format!("{text}{counter}").into();
    }
    if step == Step::Receipt && missing.contains(&Missing::Printer) {
        return t.pick(
            "本机未配置打印机：回执只在屏幕上显示。请记下回执编号或用手机拍下二维码。",
            "This kiosk has no printer: the receipt is shown on screen only. Note the number or photograph the QR code.",
        );
    }
    SharedString::new()
}

fn choices(t: &Texts, list: &[Choice], selected: Option<&str>) -> ModelRc<NotaryItem> {
    model(
        list.iter()
            .map(|c| {
                item(
                    &c.id,
                    t.s(&c.name),
                    SharedString::new(),
                    selected == Some(c.id.as_str()),
                    0,
                )
            })
            .collect(),
    )
}

fn choose(a: &NotaryAdapter<'_>, t: &Texts, screen: &ScreenView) {
    let ScreenView::ChooseMatter {
        categories,
        selected_category,
        matters,
        ..
    } = screen
    else {
        a.set_categories(model(Vec::new()));
        a.set_matters(model(Vec::new()));
        return;
    };
    let mut all = vec![item(
        "",
        t.pick("全部", "All"),
        SharedString::new(),
        selected_category.is_none(),
        0,
    )];
    all.extend(categories.iter().map(|c| {
        item(
            &c.id,
            t.s(&c.name),
            SharedString::new(),
            selected_category.as_deref() == Some(c.id.as_str()),
            0,
        )
    }));
    a.set_categories(model(all));
    a.set_matters(model(
        matters
            .iter()
            .map(|m| {
                let detail = if m.appointment_only {
                    t.pick("须本人到场 · 本机预约", "In person · book here")
                } else {
                    SharedString::new()
                };
                item(&m.id, t.s(&m.name), detail, false, 0)
            })
            .collect(),
    ));
}

fn checklist_items(t: &Texts, items: &[ChecklistItem]) -> ModelRc<NotaryItem> {
    model(
        items
            .iter()
            .map(|i| {
                let mut detail = Vec::new();
                if !i.required {
                    detail.push(t.pick("如适用", "if it applies").to_string());
                }
                if let Some(when) = &i.when {
                    detail.push(t.s(when).to_string());
                }
                if i.original {
                    detail.push(t.pick("须出示原件", "show the original").to_string());
                }
                let state = match i.capture {
                    CaptureState::BringOnly => 0,
                    CaptureState::NotCaptured => 1,
                    CaptureState::Captured { .. } => 2,
                };
                item(
                    &i.material_id,
                    t.s(&i.name),
                    detail.join(" · ").into(),
                    i.required,
                    state,
                )
            })
            .collect(),
    )
}

fn matter(a: &NotaryAdapter<'_>, t: &Texts, screen: &ScreenView) {
    let empty = MatterDetails {
        id: String::new(),
        name: Bilingual::default(),
        explanation: Bilingual::default(),
        who_may_apply: Bilingual::default(),
        appointment_only: false,
        in_person_note: None,
        materials: Vec::new(),
        typical_days: 0,
        fingerprint_mark: false,
    };
    let details = match screen {
        ScreenView::MatterInfo(details) => details.as_ref(),
        _ => &empty,
    };
    a.set_matter_name(t.s(&details.name));
    a.set_matter_explanation(t.s(&details.explanation));
    a.set_matter_who(t.s(&details.who_may_apply));
    a.set_matter_in_person(
        details
            .in_person_note
            .as_ref()
            .map(|n| t.s(n))
            .unwrap_or_default(),
    );
    a.set_matter_days(if details.typical_days > 0 {
        match t.0 {
            Language::Zh => format!("一般{}个工作日办结", details.typical_days).into(),
            Language::En => format!("Usually {} working days", details.typical_days).into(),
        }
    } else {
        SharedString::new()
    });
    a.set_matter_materials(checklist_items(t, &details.materials));
}

fn consent(a: &NotaryAdapter<'_>, t: &Texts, screen: &ScreenView) {
    match screen {
        ScreenView::Consent { notice, choices } => {
            a.set_notice_title(t.s(&notice.title));
            a.set_notice(model(
                notice
                    .sections
                    .iter()
                    .map(|s| line(t.s(&s.heading), t.s(&s.body)))
                    .collect(),
            ));
            let ticked = [
                choices.personal_info,
                choices.sensitive_info,
                choices.transfer_to_office,
            ];
            a.set_consents_missing(choices.missing() as i32);
            a.set_consents(model(
                notice
                    .consents
                    .iter()
                    .enumerate()
                    .map(|(i, (_, s))| {
                        item(
                            "",
                            t.s(&s.heading),
                            t.s(&s.body),
                            ticked.get(i).copied().unwrap_or(false),
                            0,
                        )
                    })
                    .collect(),
            ));
        }
        _ => {
            a.set_notice_title(SharedString::new());
            a.set_notice(model(Vec::new()));
            a.set_consents(model(Vec::new()));
            a.set_consents_missing(0);
        }
    }
    a.set_alternatives(model(match screen {
        ScreenView::ConsentDeclined { alternatives } => {
            alternatives.iter().map(|x| t.s(x)).collect()
        }
        _ => Vec::new(),
    }));
}

fn identify(a: &NotaryAdapter<'_>, t: &Texts, screen: &ScreenView) {
    let view = match screen {
        ScreenView::Identify(view) => Some(view),
        _ => None,
    };
    let get = |f: fn(&IdentifyView) -> bool| view.is_some_and(f);
    a.set_identify_instruction(view.map(|v| t.s(&v.instruction)).unwrap_or_default());
    a.set_identify_problem(
        view.and_then(|v| v.problem.as_ref())
            .map(|p| t.s(p))
            .unwrap_or_default(),
    );
    a.set_fingerprint_phase(get(|v| {
        v.can_verify_fingerprint
            || v.phase == crate::core::notary::journey::IdentifyPhase::VerifyingFingerprint
    }));
    a.set_can_retry_card(get(|v| v.can_retry_card));
    a.set_can_verify_fingerprint(get(|v| v.can_verify_fingerprint));
    a.set_can_skip_fingerprint(get(|v| v.can_skip_fingerprint));
}

fn form(a: &NotaryAdapter<'_>, t: &Texts, screen: &ScreenView) {
    let view: Option<&FormView> = match screen {
        ScreenView::Form(view) => Some(view),
        _ => None,
    };
    let Some(view) = view else {
        a.set_applicant(model(Vec::new()));
        a.set_purposes(model(Vec::new()));
        a.set_countries(model(Vec::new()));
        a.set_languages(model(Vec::new()));
        for set in [
            NotaryAdapter::set_error_purpose,
            NotaryAdapter::set_error_country,
            NotaryAdapter::set_error_language,
            NotaryAdapter::set_error_copies,
            NotaryAdapter::set_error_postal,
            NotaryAdapter::set_error_phone,
            NotaryAdapter::set_error_address,
            NotaryAdapter::set_error_former_name,
        ] {
            set(a, SharedString::new());
        }
        a.set_authentication(SharedString::new());
        return;
    };
    let same = |s: &str| -> SharedString { s.into() };
    a.set_applicant(model(match &view.applicant {
        Some(p) => vec![
            line(t.pick("姓名", "Name"), same(&p.name)),
            line(t.pick("性别", "Sex"), t.s(&p.sex.label())),
            line(
                t.pick("出生日期", "Date of birth"),
                same(&p.birth_date.format("%Y-%m-%d").to_string()),
            ),
            // Masked on screen: the hall is public and the number is on the card anyway.
            line(
                t.pick("证件号码", "ID number"),
                same(&crate::core::notary::mask::mask_id_number(&p.id_number)),
            ),
            line(t.pick("证件", "Card"), t.s(&p.card_kind.label())),
        ],
        None => Vec::new(),
    }));
    let data = &view.data;
    a.set_purposes(model(
        view.purposes
            .iter()
            .map(|(p, label)| {
                item(
                    purpose_id(*p),
                    t.s(label),
                    SharedString::new(),
                    data.purpose == Some(*p),
                    0,
                )
            })
            .collect(),
    ));
    let mut countries = vec![Choice {
        id: String::new(),
        name: Bilingual::new("中国大陆", "Mainland China"),
    }];
    countries.extend(view.countries.iter().cloned());
    let mut languages = vec![Choice {
        id: String::new(),
        name: Bilingual::new("不需要译文", "No translation"),
    }];
    languages.extend(view.languages.iter().cloned());
    a.set_foreign_use(!view.countries.is_empty());
    a.set_countries(choices(
        t,
        &countries,
        Some(data.country_of_use.as_deref().unwrap_or("")),
    ));
    a.set_languages(choices(
        t,
        &languages,
        Some(data.translation_language.as_deref().unwrap_or("")),
    ));
    a.set_translation_conformity(data.translation_conformity);
    a.set_authentication(t.s(&view.authentication_note));
    a.set_copies(i32::try_from(data.copies).unwrap_or(i32::MAX));
    a.set_by_post(data.delivery == crate::core::notary::DeliveryMethod::Post);
    // Two-way fields: set only when the journey's value differs, so typing is not disturbed.
    if a.get_phone().as_str() != data.phone && !data.phone.is_empty() {
        a.set_phone(data.phone.as_str().into());
    }
    if a.get_former_name().as_str() != data.former_name && !data.former_name.is_empty() {
        a.set_former_name(data.former_name.as_str().into());
    }
    if a.get_current_address().is_empty() && !data.current_address.is_empty() {
        a.set_current_address(data.current_address.as_str().into());
    }
    let error = |field: FormField| -> SharedString {
        view.errors
            .iter()
            .find(|e| e.field == field)
            .map(|e| t.s(&e.message))
            .unwrap_or_default()
    };
    a.set_error_purpose(error(FormField::Purpose));
    a.set_error_country(error(FormField::CountryOfUse));
    a.set_error_language(error(FormField::TranslationLanguage));
    a.set_error_copies(error(FormField::Copies));
    a.set_error_postal(error(FormField::PostalAddress));
    a.set_error_phone(error(FormField::Phone));
    a.set_error_address(error(FormField::CurrentAddress));
    a.set_error_former_name(error(FormField::FormerName));
}

fn materials(a: &NotaryAdapter<'_>, t: &Texts, screen: &ScreenView) {
    let ScreenView::Materials {
        items,
        preview,
        capturing,
        to_bring,
    } = screen
    else {
        a.set_checklist(model(Vec::new()));
        a.set_capturing(SharedString::new());
        a.set_has_preview(false);
        a.set_preview_name(SharedString::new());
        a.set_preview(Image::default());
        a.set_to_bring(model(Vec::new()));
        return;
    };
    a.set_camera_fitted(items.iter().any(|i| i.capture != CaptureState::BringOnly));
    a.set_checklist(checklist_items(t, items));
    a.set_capturing(capturing.as_deref().unwrap_or_default().into());
    let name_of = |id: &str| {
        items
            .iter()
            .find(|i| i.material_id == id)
            .map(|i| t.s(&i.name))
            .unwrap_or_default()
    };
    match preview {
        Some(p) => {
            a.set_has_preview(true);
            a.set_preview_name(name_of(&p.material_id));
            a.set_preview(jpeg_image(&p.jpeg));
        }
        None => {
            a.set_has_preview(false);
            a.set_preview_name(SharedString::new());
            a.set_preview(Image::default());
        }
    }
    a.set_to_bring(model(to_bring.iter().map(|b| t.s(b)).collect()));
}

fn fee(a: &NotaryAdapter<'_>, t: &Texts, screen: &ScreenView) {
    let ScreenView::Fee {
        estimate,
        reductions,
    } = screen
    else {
        a.set_fee_lines(model(Vec::new()));
        a.set_fee_total(SharedString::new());
        a.set_fee_note(SharedString::new());
        a.set_fee_extras(model(Vec::new()));
        a.set_fee_reduction_note(SharedString::new());
        a.set_reductions(model(Vec::new()));
        return;
    };
    let Some(estimate) = estimate else {
        a.set_fee_lines(model(Vec::new()));
        a.set_fee_total(SharedString::new());
        a.set_fee_note(t.pick("费用由公证处核定。", "The office sets the fee."));
        a.set_fee_extras(model(Vec::new()));
        a.set_fee_reduction_note(SharedString::new());
        a.set_reductions(model(Vec::new()));
        return;
    };
    let mut lines: Vec<NotaryLine> = estimate
        .lines
        .iter()
        .map(|l| {
            let label = if l.quantity > 1 {
                format!("{} × {}", l.label.get(t.0), l.quantity).into()
            } else {
                t.s(&l.label)
            };
            let amount = match l.amount_fen {
                Some(fen) => format_fen(fen).into(),
                None => t.pick("由公证处核定", "set by the office"),
            };
            line(label, amount)
        })
        .collect();
    if let Some(r) = &estimate.reduction {
        lines.push(line(
            t.s(&r.label),
            format!("−{}", format_fen(r.amount_fen)).into(),
        ));
    }
    a.set_fee_lines(model(lines));
    a.set_fee_total(format_fen(estimate.total_fen).into());
    a.set_fee_extras(model(
        estimate
            .may_be_added
            .iter()
            .map(|e| t.s(&e.label))
            .collect(),
    ));
    a.set_fee_reduction_note(match &estimate.requested_reduction {
        Some(r) => match t.0 {
            Language::Zh => format!(
                "您申请了“{}”，最多可减{}。是否减免、减多少，以公证处审核为准，所以上面仍按正常收费预估。",
                r.label.zh,
                format_fen(r.amount_fen)
            )
            .into(),
            Language::En => format!(
                "You asked for “{}”, up to {} off. Whether and how much is reduced is for the office to decide after checking, so the estimate above stays at the normal fee.",
                r.label.en,
                format_fen(r.amount_fen)
            )
            .into(),
        },
        None => SharedString::new(),
    });
    let mut notes = Vec::new();
    if estimate.incomplete {
        notes.push(t.pick(
            "部分费用由公证处核定，合计为最低金额。",
            "Some amounts are set by the office: the total is the least you pay.",
        ));
    }
    if estimate.example {
        notes.push(t.pick(
            "此为示例收费标准，实际以公证处核定为准。费用在公证处缴纳，本机不收费。",
            "This is an EXAMPLE schedule; the office sets the actual fee. You pay at the office, not here.",
        ));
    } else {
        notes.push(t.pick(
            "费用在公证处缴纳，本机不收费。",
            "You pay at the office, not here.",
        ));
    }
    a.set_fee_note(notes.join(" ").into());
    a.set_reductions(model(
        reductions
            .iter()
            .map(|r| {
                let detail = match t.0 {
                    Language::Zh => {
                        format!("可减免公证费{}%，须带证明，以公证处审核为准", r.percent_off)
                    }
                    Language::En => format!(
                        "up to {}% off the notary fee; bring proof; the office decides",
                        r.percent_off
                    ),
                };
                item(&r.id, t.s(&r.label), detail.into(), r.ticked, 0)
            })
            .collect(),
    ));
}

fn review(a: &NotaryAdapter<'_>, t: &Texts, screen: &ScreenView) {
    match screen {
        ScreenView::Review { lines, statement } => {
            a.set_review(model(
                lines
                    .iter()
                    .map(|l| line(t.s(&l.label), t.s(&l.value)))
                    .collect(),
            ));
            a.set_statement(t.s(statement));
        }
        _ => {
            a.set_review(model(Vec::new()));
            a.set_statement(SharedString::new());
        }
    }
}

fn declaration(a: &NotaryAdapter<'_>, t: &Texts, screen: &ScreenView) {
    match screen {
        ScreenView::Declaration {
            notice,
            promise,
            promised,
        } => {
            a.set_declaration(model(
                notice
                    .iter()
                    .map(|s| line(t.s(&s.heading), t.s(&s.body)))
                    .collect(),
            ));
            a.set_promise(t.s(promise));
            a.set_promised(*promised);
        }
        _ => {
            a.set_declaration(model(Vec::new()));
            a.set_promise(SharedString::new());
            a.set_promised(false);
        }
    }
}

fn receipt(a: &NotaryAdapter<'_>, t: &Texts, screen: &ScreenView) {
    let ScreenView::Receipt {
        number,
        qr_payload,
        lines,
        print,
        print_problem,
    } = screen
    else {
        a.set_receipt_number(SharedString::new());
        a.set_receipt_qr(Image::default());
        a.set_receipt_lines(model(Vec::new()));
        a.set_print_status(ReceiptPrintStatus::Printing);
        a.set_print_problem(SharedString::new());
        return;
    };
    a.set_receipt_number(number.as_str().into());
    if a.get_receipt_qr().size().width == 0 {
        a.set_receipt_qr(qr_image(qr_payload));
    }
    a.set_receipt_lines(model(
        lines
            .iter()
            .filter_map(|l| match l {
                NotaryReceiptLine::Title(text) | NotaryReceiptLine::Text(text) => {
                    Some(text.as_str().into())
                }
                NotaryReceiptLine::Separator | NotaryReceiptLine::Qr(_) => None,
            })
            .collect(),
    ));
    a.set_print_status(match print {
        PrintState::Printing => ReceiptPrintStatus::Printing,
        PrintState::Printed => ReceiptPrintStatus::Printed,
        PrintState::Failed(_) => ReceiptPrintStatus::Failed,
    });
    a.set_print_problem(print_problem.as_ref().map(|p| t.s(p)).unwrap_or_default());
}

fn rating(a: &NotaryAdapter<'_>, t: &Texts, screen: &ScreenView) {
    match screen {
        ScreenView::Rating { levels, chosen, .. } => a.set_ratings(model(
            levels
                .iter()
                .map(|(r, label)| item("", t.s(label), SharedString::new(), *chosen == Some(*r), 0))
                .collect(),
        )),
        _ => a.set_ratings(model(Vec::new())),
    }
}

/// The previewed capture; an undecodable one shows as empty (the journey accepted it by its
/// JPEG markers only).
fn jpeg_image(jpeg: &[u8]) -> Image {
    let Ok(decoded) = image::load_from_memory_with_format(jpeg, image::ImageFormat::Jpeg) else {
        return Image::default();
    };
    let rgba = decoded.thumbnail(800, 800).to_rgba8();
    let buffer = SharedPixelBuffer::<Rgba8Pixel>::clone_from_slice(
        rgba.as_raw(),
        rgba.width(),
        rgba.height(),
    );
    Image::from_rgba8(buffer)
}

/// Pixels per QR module on screen.
const QR_SCALE: usize = 8;
/// Quiet zone around the code, in modules.
const QR_QUIET: usize = 4;

/// Also the consultation outcomes' take-home code.
pub(in crate::adapter) fn qr_image(payload: &str) -> Image {
    let Ok(code) = qrcode::QrCode::new(payload.as_bytes()) else {
        return Image::default();
    };
    let modules = code.width();
    let side = (modules + 2 * QR_QUIET) * QR_SCALE;
    let colors = code.to_colors();
    let mut buffer = SharedPixelBuffer::<Rgba8Pixel>::new(side as u32, side as u32);
    for (index, pixel) in buffer.make_mut_slice().iter_mut().enumerate() {
        let (x, y) = (index % side / QR_SCALE, index / side / QR_SCALE);
        let dark = x >= QR_QUIET
            && y >= QR_QUIET
            && x < modules + QR_QUIET
            && y < modules + QR_QUIET
            && colors[(y - QR_QUIET) * modules + (x - QR_QUIET)] == qrcode::Color::Dark;
        let value = if dark { 0 } else { 255 };
        *pixel = Rgba8Pixel {
            r: value,
            g: value,
            b: value,
            a: 255,
        };
    }
    Image::from_rgba8(buffer)
}
