//! The scrubber every log line (and the journal copied to a staff USB stick) passes through:
//! defence in depth behind the rule that log fields never carry personal data.
//!
//! It masks what has a recognisable shape — identity-document numbers, phone numbers in the
//! ways people write them, street addresses — and the values of fields and labels that name
//! personal data (`name=…`, `"address": …`, `姓名：…`). A bare name in free text has no
//! shape and cannot be found this way; that is why the rule comes first.

/// Field names and labels whose values are personal data, wherever they appear.
const SENSITIVE_KEYS: &[&str] = &[
    "name",
    "full_name",
    "former_name",
    "applicant_name",
    "english_name",
    "address",
    "postal_address",
    "phone",
    "mobile",
    "telephone",
    "contact",
    "id_number",
    "姓名",
    "名字",
    "曾用名",
    "地址",
    "住址",
    "通讯地址",
    "电话",
    "手机",
    "联系电话",
    "身份证号",
    "证件号码",
];

/// Road-like words a Chinese street address ends in before its house number.
const STREET_ENDINGS: &[char] = &['路', '街', '道', '巷', '弄', '村', '里', '胡', '同'];

pub const ID_MASK: &str = "[id-number]";
pub const PHONE_MASK: &str = "[phone]";
pub const ADDRESS_MASK: &str = "[address]";
pub const VALUE_MASK: &str = "[redacted]";

/// The line with personal data masked.
pub fn scrub(line: &str) -> String {
    let keyed = mask_keyed_values(line);
    let numbers = mask_numbers(&keyed);
    mask_addresses(&numbers)
}

fn is_word(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// `key=value`, `key="value"`, `"key":"value"`, `key: value`, `姓名：value`.
fn mask_keyed_values(line: &str) -> String {
    let chars: Vec<char> = line.chars().collect();
    let mut out = String::with_capacity(line.len());
    let mut i = 0;
    'scan: while i < chars.len() {
        for key in SENSITIVE_KEYS {
            if let Some(value_start) = key_at(&chars, i, key) {
                let value_end = value_end(&chars, value_start);
                if value_end > value_start {
                    out.extend(&chars[i..value_start]);
                    let quoted = chars[value_start] == '"';
                    out.push_str(if quoted { "\"[redacted]\"" } else { VALUE_MASK });
                    i = value_end;
                    continue 'scan;
                }
            }
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

/// Where the value begins when `key` (optionally quoted) followed by `=`, `:` or `：`
/// starts at `i` on a word boundary.
fn key_at(chars: &[char], i: usize, key: &str) -> Option<usize> {
    let mut j = i;
    let quoted = chars.get(j) == Some(&'"');
    if quoted {
        j += 1;
    }
    let ascii_key = key.is_ascii();
    if ascii_key && i > 0 && is_word(chars[i - 1]) {
        return None;
    }
    for k in key.chars() {
        if chars.get(j) != Some(&k) {
            return None;
        }
        j += 1;
    }
    if quoted {
        if chars.get(j) != Some(&'"') {
            return None;
        }
        j += 1;
    } else if ascii_key && chars.get(j).is_some_and(|c| is_word(*c)) {
        return None;
    }
    if !matches!(chars.get(j), Some('=' | ':' | '：')) {
        return None;
    }
    j += 1;
    while chars.get(j) == Some(&' ') {
        j += 1;
    }
    Some(j)
}

/// End of a value: a quoted string (escapes honoured), or up to whitespace or punctuation.
fn value_end(chars: &[char], start: usize) -> usize {
    if chars.get(start) == Some(&'"') {
        let mut j = start + 1;
        while j < chars.len() {
            match chars[j] {
                '\\' => j += 2,
                '"' => return j + 1,
                _ => j += 1,
            }
        }
        return chars.len();
    }
    let mut j = start;
    while j < chars.len()
        && !chars[j].is_whitespace()
        && !matches!(
            chars[j],
            ',' | ';' | '，' | '；' | '。' | '、' | '}' | ']' | ')'
        )
    {
        j += 1;
    }
    j
}

/// A run of digits in groups joined by one space or hyphen, perhaps opened with `+` or an
/// area code in brackets, perhaps closed with the check character `X` of an ID number.
struct NumberRun {
    end: usize,
    digits: String,
    plus: bool,
    separated: bool,
    /// Group lengths, to recognise dates (4-2-2).
    groups: Vec<usize>,
    x_suffix: bool,
}

fn number_run(chars: &[char], start: usize) -> Option<NumberRun> {
    let mut j = start;
    let plus = chars.get(j) == Some(&'+');
    if plus {
        j += 1;
    }
    let mut digits = String::new();
    let mut groups = Vec::new();
    let mut separated = false;
    let mut end = j;
    loop {
        let bracket = chars.get(j) == Some(&'(') || chars.get(j) == Some(&'（');
        let group_start = if bracket { j + 1 } else { j };
        let mut k = group_start;
        while chars.get(k).is_some_and(char::is_ascii_digit) {
            k += 1;
        }
        if k == group_start {
            break;
        }
        if bracket {
            if !matches!(chars.get(k), Some(')' | '）')) {
                break;
            }
            separated = true;
        }
        digits.extend(&chars[group_start..k]);
        groups.push(k - group_start);
        end = if bracket { k + 1 } else { k };
        // One separator, then another group must follow.
        let mut next = end;
        while chars.get(next) == Some(&' ') && next < end + 1 {
            next += 1;
        }
        if chars.get(next) == Some(&'-') {
            next += 1;
            while chars.get(next) == Some(&' ') && next < end + 3 {
                next += 1;
            }
        }
        // After a bracketed area code the number may follow without a separator.
        let continues = (next > end || bracket)
            && chars
                .get(next)
                .is_some_and(|c| c.is_ascii_digit() || *c == '(' || *c == '（');
        if !continues {
            break;
        }
        separated = true;
        j = next;
    }
    if digits.is_empty() {
        return None;
    }
    let x_suffix = matches!(chars.get(end), Some('X' | 'x'));
    if x_suffix {
        end += 1;
    }
    Some(NumberRun {
        end,
        digits,
        plus,
        separated,
        groups,
        x_suffix,
    })
}

/// What a run of digits is, if it is personal data.
fn classify(run: &NumberRun) -> Option<&'static str> {
    let n = run.digits.len();
    let d = run.digits.as_str();
    if run.x_suffix {
        return (n == 17).then_some(ID_MASK);
    }
    let is_date = run.groups == [4, 2, 2] || run.groups == [4, 2] || run.groups == [2, 2, 4];
    if is_date && !run.plus {
        return None;
    }
    // Resident ID (18), first-generation ID (15), 2023 foreigner card (18, first digit 9).
    // (Area codes never start with 0; 0086… is a phone number.)
    if (n == 18 || n == 15) && !run.plus && !d.starts_with('0') {
        return Some(ID_MASK);
    }
    let national = d
        .strip_prefix("0086")
        .or_else(|| run.plus.then(|| d.strip_prefix("86")).flatten())
        .unwrap_or(d);
    let mobile =
        national.len() == 11 && national.starts_with('1') && national.as_bytes()[1] >= b'3';
    // Landline: 0 + area code (2–3 digits) + 7–8 digits.
    let landline = national.starts_with('0') && (10..=12).contains(&national.len());
    // Any other international number written with +: Hong Kong, Macao, Taiwan, abroad.
    let international = run.plus && (7..=15).contains(&n);
    // Hong Kong and Macao numbers as written locally: two groups of four.
    let local_eight = run.separated && run.groups == [4, 4];
    (mobile || landline || international || local_eight).then_some(PHONE_MASK)
}

fn mask_numbers(line: &str) -> String {
    let chars: Vec<char> = line.chars().collect();
    let mut out = String::with_capacity(line.len());
    let mut i = 0;
    while i < chars.len() {
        // Part of an identifier such as a receipt number (NT-20261122-0042) or a version.
        let prev = i.checked_sub(1).map(|p| chars[p]);
        let joined = prev.is_some_and(|c| is_word(c) || c == '.')
            || (prev == Some('-') && i >= 2 && is_word(chars[i - 2]));
        let starts = chars[i].is_ascii_digit()
            || (matches!(chars[i], '+' | '(' | '（')
                && chars.get(i + 1).is_some_and(char::is_ascii_digit));
        if !joined && starts {
            if let Some(run) = number_run(&chars, i) {
                let ends_clean = chars.get(run.end).is_none_or(|c| !is_word(*c));
                match classify(&run).filter(|_| ends_clean) {
                    Some(mask) => out.push_str(mask),
                    None => out.extend(&chars[i..run.end]),
                }
                i = run.end.max(i + 1);
                continue;
            }
        }
        if let Some(end) = document_number(&chars, i) {
            out.push_str(ID_MASK);
            i = end;
            continue;
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

/// Letters-and-digits document numbers: the 2017 foreigner permanent-residence number
/// (3 letters + 12 digits) and the Hong Kong/Macao travel permit (H or M + 8 or 10 digits).
fn document_number(chars: &[char], i: usize) -> Option<usize> {
    if i > 0 && is_word(chars[i - 1]) {
        return None;
    }
    let letters = chars[i..]
        .iter()
        .take_while(|c| c.is_ascii_uppercase())
        .count();
    let digits = chars[i + letters..]
        .iter()
        .take_while(|c| c.is_ascii_digit())
        .count();
    let end = i + letters + digits;
    if chars.get(end).is_some_and(|c| is_word(*c)) {
        return None;
    }
    let foreigner = letters == 3 && digits == 12;
    let permit = letters == 1 && matches!(chars[i], 'H' | 'M') && matches!(digits, 8 | 10);
    (foreigner || permit).then_some(end)
}

/// `…路 12 号`, `…村3号`: the CJK run before a street word and the house number.
fn mask_addresses(line: &str) -> String {
    let chars: Vec<char> = line.chars().collect();
    let mut out = String::with_capacity(line.len());
    let mut i = 0;
    while i < chars.len() {
        if is_cjk(chars[i]) {
            let mut end = i;
            while end < chars.len() && is_cjk(chars[end]) {
                end += 1;
            }
            if let Some(number_end) = house_number_after(&chars, i, end) {
                out.push_str(ADDRESS_MASK);
                i = number_end;
                continue;
            }
            out.extend(&chars[i..end]);
            i = end;
            continue;
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

fn house_number_after(chars: &[char], start: usize, end: usize) -> Option<usize> {
    if end - start < 2 || !STREET_ENDINGS.contains(&chars[end - 1]) {
        return None;
    }
    let mut j = end;
    while chars.get(j) == Some(&' ') {
        j += 1;
    }
    let digits_start = j;
    while chars.get(j).is_some_and(char::is_ascii_digit) {
        j += 1;
    }
    if j == digits_start {
        return None;
    }
    while chars.get(j) == Some(&' ') {
        j += 1;
    }
    (chars.get(j) == Some(&'号')).then_some(j + 1)
}

fn is_cjk(c: char) -> bool {
    ('\u{4E00}'..='\u{9FFF}').contains(&c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identity_numbers_of_every_card_are_masked() {
        for (text, masked) in [
            ("card 11010519491231002X read", "card [id-number] read"),
            ("id=110105194912310021", "id=[id-number]"),
            ("漏洞110105194912310021后", "漏洞[id-number]后"),
            ("spaced 110105 19491231 002X.", "spaced [id-number]."),
            ("old card 110105491231002", "old card [id-number]"),
            ("permit USA110085010112 seen", "permit [id-number] seen"),
            ("2023 card 931586199001011234", "2023 card [id-number]"),
            (
                "permit H12345678 and M1234567890",
                "permit [id-number] and [id-number]",
            ),
        ] {
            assert_eq!(scrub(text), masked, "{text}");
        }
    }

    #[test]
    fn phone_numbers_in_the_ways_people_write_them_are_masked() {
        for text in [
            "13812345678",
            "138 1234 5678",
            "138-1234-5678",
            "+86 138 1234 5678",
            "+8613812345678",
            "0086 13812345678",
            "010-12345678",
            "0755 8888 8888",
            "(0755) 88888888",
            "（010）12345678",
            "+852 9123 4567",
            "+853 6612 3456",
            "+886 912 345 678",
            "+44 20 7946 0958",
            "9123 4567",
        ] {
            assert_eq!(
                scrub(&format!("call {text} now")),
                "call [phone] now",
                "{text}"
            );
        }
    }

    #[test]
    fn what_staff_need_to_read_stays_readable() {
        for text in [
            "receipt NT-20261122-0042 at 1732252800",
            "count 12345678901234",
            "2026-12-03T10:05:00.123456Z  INFO delivered",
            "on 2026-12-03 the relay retried 3 times",
            "listening on 127.0.0.1:8480 and 192.168.100.200",
            "slint 1.18.1, schema 7, 4 in flight, 250 ms",
            "HTTP 503: retry after 120 s",
            "kiosk_name=\"示例市公证处 1 号机\" office_id=GZ-0001",
            "outbox_id=42 attempts=3",
        ] {
            assert_eq!(scrub(text), text);
        }
    }

    #[test]
    fn values_of_personal_fields_and_labels_are_masked() {
        assert_eq!(
            scrub(r#"name="张三" matter=birth"#),
            r#"name="[redacted]" matter=birth"#
        );
        assert_eq!(
            scrub(r#"{"address":"某某路 \"东\" 段","kind":"notary"}"#),
            r#"{"address":"[redacted]","kind":"notary"}"#
        );
        assert_eq!(
            scrub("姓名：李四，住址：某村"),
            "姓名：[redacted]，住址：[redacted]"
        );
        assert_eq!(scrub("english_name: SMITH"), "english_name: [redacted]");
    }

    #[test]
    fn street_addresses_are_masked() {
        assert_eq!(scrub("寄往示例市人民路 1 号"), "[address]");
        assert_eq!(scrub("at 幸福村3号 today"), "at [address] today");
        // A road name without a house number is not an address of a person.
        assert_eq!(scrub("人民路口"), "人民路口");
    }
}
