//! Chinese numerals as used in article numbers (第一千零七十七条 ↔ 1077).

const DIGITS: [char; 10] = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

fn digit_value(c: char) -> Option<u32> {
    match c {
        '零' | '〇' => Some(0),
        '两' => Some(2),
        _ => DIGITS.iter().position(|&d| d == c).map(|p| p as u32),
    }
}

fn unit_value(c: char) -> Option<u32> {
    match c {
        '十' => Some(10),
        '百' => Some(100),
        '千' => Some(1000),
        _ => None,
    }
}

/// Parses a Chinese numeral below 10,000 (`四十七`, `一千零七十七`, `十`), or a run of ASCII
/// digits. Returns `None` for anything else, including an empty string.
pub fn parse_number(text: &str) -> Option<u32> {
    if text.is_empty() {
        return None;
    }
    if text.bytes().all(|b| b.is_ascii_digit()) {
        return text.parse().ok().filter(|_| text.len() <= 6);
    }
    let mut total = 0u32;
    let mut pending: Option<u32> = None;
    let mut last_unit = u32::MAX;
    for c in text.chars() {
        if let Some(d) = digit_value(c) {
            if pending.is_some() && d != 0 {
                return None; // two digits in a row: not a well-formed numeral
            }
            pending = if d == 0 { None } else { Some(d) };
        } else if let Some(unit) = unit_value(c) {
            if unit >= last_unit {
                return None; // units must decrease: 一千一百, never 一百一千
            }
            // A bare 十 at the start means ten (十五 = 15).
            total += pending.take().unwrap_or(1) * unit;
            last_unit = unit;
        } else {
            return None;
        }
    }
    total += pending.unwrap_or(0);
    (total > 0).then_some(total)
}

/// Formats 1..=9999 the way statutes write article numbers: 十, 四十七, 一百一十, 一千零七十七.
pub fn format_number(n: u32) -> String {
    if n == 0 || n > 9999 {
        return n.to_string();
    }
    let places = [(1000, '千'), (100, '百'), (10, '十'), (1, ' ')];
    let mut out = String::new();
    let mut need_zero = false;
    for (value, unit) in places {
        let digit = (n / value) % 10;
        if digit == 0 {
            if !out.is_empty() {
                need_zero = true;
            }
            continue;
        }
        if need_zero {
            out.push('零');
            need_zero = false;
        }
        // 10..=19 are written 十, 十一 … without a leading 一.
        if !(value == 10 && digit == 1 && out.is_empty()) {
            out.push(DIGITS[digit as usize]);
        }
        if value > 1 {
            out.push(unit);
        }
    }
    out
}

/// The label of an article: 第四十七条, or 第一百二十条之一 when `suffix` is 1.
pub fn article_label(number: u32, suffix: u32) -> String {
    if suffix == 0 {
        format!("第{}条", format_number(number))
    } else {
        format!("第{}条之{}", format_number(number), format_number(suffix))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_statute_numerals() {
        for (text, n) in [
            ("一", 1),
            ("十", 10),
            ("十五", 15),
            ("二十", 20),
            ("四十七", 47),
            ("一百", 100),
            ("一百一十", 110),
            ("一百零五", 105),
            ("一千零七十七", 1077),
            ("一千二百六十", 1260),
            ("两百", 200),
            ("1077", 1077),
        ] {
            assert_eq!(parse_number(text), Some(n), "{text}");
        }
    }

    #[test]
    fn refuses_malformed_numerals() {
        for text in [
            "",
            "零",
            "一一",
            "百千",
            "十十",
            "四十七条",
            "abc",
            "1234567",
        ] {
            assert_eq!(parse_number(text), None, "{text}");
        }
    }

    #[test]
    fn formats_round_trip() {
        for n in 1..=2000 {
            assert_eq!(parse_number(&format_number(n)), Some(n), "{n}");
        }
        assert_eq!(format_number(1077), "一千零七十七");
        assert_eq!(format_number(110), "一百一十");
        assert_eq!(format_number(1010), "一千零一十");
        assert_eq!(article_label(47, 0), "第四十七条");
        assert_eq!(article_label(120, 1), "第一百二十条之一");
    }
}
