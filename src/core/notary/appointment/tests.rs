use super::*;
use chrono::TimeZone;

fn beijing(day: u32, hour: u32, minute: u32) -> DateTime<FixedOffset> {
    FixedOffset::east_opt(8 * 3600)
        .unwrap()
        .with_ymd_and_hms(2026, 12, day, hour, minute, 0)
        .unwrap()
}

fn slot(day: u32, hour: u32, minute: u32) -> Slot {
    let start = beijing(day, hour, minute);
    Slot {
        start,
        end: start + chrono::Duration::minutes(30),
    }
}

fn asking() -> Appointment {
    Appointment::Asking
}

#[test]
fn times_are_offered_in_order_by_day_and_past_ones_dropped() {
    let mut a = asking();
    let now = beijing(3, 21, 0);
    a.answered(
        Ok(vec![
            slot(7, 14, 0),
            slot(3, 9, 0),
            slot(4, 9, 30),
            slot(4, 9, 0),
            slot(4, 9, 0),
        ]),
        now,
    );
    let expected_days = vec![
        NaiveDate::from_ymd_opt(2026, 12, 4).unwrap(),
        NaiveDate::from_ymd_opt(2026, 12, 7).unwrap(),
    ];
    assert_eq!(a.days(), expected_days);
    let Appointment::Offered { slots, day, .. } = &a else {
        panic!("offered");
    };
    assert_eq!(slots.len(), 3, "the past one and the duplicate are dropped");
    assert_eq!(slots[0], slot(4, 9, 0));
    assert_eq!(*day, Some(expected_days[0]));
    assert!(!a.settled());
}

#[test]
fn a_time_is_chosen_only_from_those_offered() {
    let mut a = asking();
    a.answered(Ok(vec![slot(7, 9, 0), slot(7, 9, 30)]), beijing(3, 21, 0));
    a.choose(beijing(7, 10, 0));
    assert!(a.chosen().is_none());
    a.choose(beijing(7, 9, 30));
    assert_eq!(a.chosen(), Some(&slot(7, 9, 30)));
    assert!(a.settled());
    assert_eq!(
        a.chosen().unwrap().label().zh,
        "12月7日（星期一）上午 9:30–10:00"
    );
    assert!(a
        .summary()
        .zh
        .starts_with("12月7日（星期一）上午 9:30–10:00，请按时到公证处"));
}

#[test]
fn without_an_answer_or_a_time_the_office_calls() {
    let mut offline = asking();
    offline.answered(Err(SlotsUnavailable), beijing(3, 21, 0));
    assert_eq!(offline, Appointment::OfficeCalls { offline: true });
    assert!(offline.settled());
    assert!(offline.summary().zh.contains("打电话"));

    let mut empty = asking();
    empty.answered(Ok(vec![]), beijing(3, 21, 0));
    assert_eq!(empty, Appointment::OfficeCalls { offline: true });

    let mut declined = asking();
    declined.answered(Ok(vec![slot(7, 9, 0)]), beijing(3, 21, 0));
    declined.office_calls();
    assert_eq!(declined, Appointment::OfficeCalls { offline: false });
}

#[test]
fn a_late_answer_does_not_replace_a_choice() {
    let mut a = asking();
    a.answered(Ok(vec![slot(7, 9, 0)]), beijing(3, 21, 0));
    a.choose(beijing(7, 9, 0));
    a.answered(Err(SlotsUnavailable), beijing(3, 21, 0));
    assert_eq!(a.chosen(), Some(&slot(7, 9, 0)));
}
