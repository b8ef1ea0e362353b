//! Words for what the case system reports: state labels, where the application stands on
//! its way, what happens next, and how old an offline answer is.

use crate::domain::{bi, Bilingual};
use chrono::{DateTime, FixedOffset};

/// The kiosk's own state for a submission it has not delivered yet.
pub const PENDING_FORWARD: &str = "pending_forward";
/// The office refused delivery for good; staff sort it out with the applicant.
pub const HELD_AT_KIOSK: &str = "held_at_kiosk";
/// Delivered, yet the case system no longer knows it (moved, archived).
pub const UNKNOWN_AT_OFFICE: &str = "unknown_at_office";

/// The way every application goes; the result screen ticks off the stages passed.
pub fn stages() -> [Bilingual; 4] {
    [
        bi("在本机提交", "Submitted at the kiosk"),
        bi("公证处收到", "Received by the office"),
        bi("受理审查", "Accepted and under review"),
        bi("出具公证书", "Certificate issued"),
    ]
}

/// How many of [`stages`] are done in `code`; `None` for states off the usual way
/// (refused, withdrawn, held, unknown).
pub fn stages_done(code: &str) -> Option<usize> {
    match code {
        PENDING_FORWARD => Some(1),
        "received" | "submitted" | "supplement_required" => Some(2),
        "accepted" | "in_review" => Some(3),
        "issued" => Some(4),
        _ => None,
    }
}

/// Labels for the case system's state codes; unknown codes are shown as they are.
pub fn state_label(code: &str) -> Bilingual {
    match code {
        PENDING_FORWARD => bi(
            "已在本机保存，等待送达公证处",
            "Saved at the kiosk, being sent to the office",
        ),
        HELD_AT_KIOSK => bi(
            "公证处未能接收，工作人员将与您联系",
            "The office could not take it in; staff will contact you",
        ),
        UNKNOWN_AT_OFFICE => bi(
            "公证处系统中暂查不到，请致电公证处",
            "The office's system does not show it; please phone the office",
        ),
        "received" | "submitted" => bi("公证处已收到，等待受理", "Received, awaiting acceptance"),
        "supplement_required" => bi(
            "需要补充材料，请留意公证处电话",
            "More documents needed; the office will phone you",
        ),
        "accepted" => bi("已受理", "Accepted"),
        "in_review" => bi("审查中", "Under review"),
        "issued" => bi(
            "公证书已出具，可领取",
            "Certificate issued, ready to collect",
        ),
        "rejected" => bi(
            "不予办理，请联系公证处了解原因",
            "Refused; contact the office for the reasons",
        ),
        "withdrawn" => bi("已撤回", "Withdrawn"),
        other => Bilingual::new(other, other),
    }
}

/// What the applicant can expect next in `code`.
pub fn next_step(code: &str) -> Option<Bilingual> {
    Some(match code {
        PENDING_FORWARD => bi(
            "本机联网后会自动送达，无需再次提交。",
            "The kiosk sends it as soon as it is online; do not submit again.",
        ),
        "received" | "submitted" => bi(
            "公证处将在工作日内受理，并电话联系您。",
            "The office accepts it on a working day and phones you.",
        ),
        "supplement_required" => bi(
            "请按公证处电话通知准备并提交补充材料。",
            "Prepare the documents the office asks for when it phones.",
        ),
        "accepted" | "in_review" => bi(
            "公证员正在审查，出证后会通知您领取。",
            "A notary is reviewing it; you will be told when to collect.",
        ),
        "issued" => bi(
            "请带身份证和回执到公证处领取公证书。",
            "Bring your ID card and the receipt to the office to collect it.",
        ),
        _ => return None,
    })
}

/// "…this is the state as of 3 hours ago" for a state fetched at `fetched_at`.
pub fn staleness(now: DateTime<FixedOffset>, fetched_at: DateTime<FixedOffset>) -> Bilingual {
    let minutes = (now - fetched_at).num_minutes().max(0);
    let (zh, en) = if minutes < 60 {
        (format!("{minutes}分钟前"), format!("{minutes} minutes ago"))
    } else if minutes < 48 * 60 {
        let hours = minutes / 60;
        (format!("{hours}小时前"), format!("{hours} hours ago"))
    } else {
        let days = minutes / (24 * 60);
        (format!("{days}天前"), format!("{days} days ago"))
    };
    Bilingual::new(
        format!("暂时无法连接公证处系统，显示的是{zh}的状态。"),
        format!("The office's system cannot be reached; this is the state as of {en}."),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn every_known_state_has_a_label_and_unknown_ones_pass_through() {
        for code in [
            PENDING_FORWARD,
            HELD_AT_KIOSK,
            UNKNOWN_AT_OFFICE,
            "received",
            "issued",
        ] {
            let label = state_label(code);
            assert!(label.is_complete() && label.en != code, "{code}");
        }
        assert_eq!(state_label("archived").zh, "archived");
    }

    #[test]
    fn stages_advance_with_the_state() {
        assert_eq!(stages_done(PENDING_FORWARD), Some(1));
        assert_eq!(stages_done("received"), Some(2));
        assert_eq!(stages_done("in_review"), Some(3));
        assert_eq!(stages_done("issued"), Some(stages().len()));
        assert_eq!(stages_done("rejected"), None);
    }

    #[test]
    fn staleness_is_in_minutes_hours_or_days() {
        let tz = FixedOffset::east_opt(8 * 3600).unwrap();
        let at = |d, h, m| tz.with_ymd_and_hms(2026, 11, d, h, m, 0).unwrap();
        assert!(staleness(at(22, 9, 30), at(22, 9, 5))
            .en
            .contains("25 minutes ago"));
        assert!(staleness(at(22, 9, 0), at(22, 6, 0)).zh.contains("3小时前"));
        assert!(staleness(at(22, 9, 0), at(19, 9, 0))
            .en
            .contains("3 days ago"));
        // A clock set back never shows a negative age.
        assert!(staleness(at(22, 9, 0), at(22, 10, 0))
            .en
            .contains("0 minutes ago"));
    }
}
