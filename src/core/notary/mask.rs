//! Masking of personal data for `Debug`, logs and printed receipts.

/// "张三" → "张*", "张小三" → "张*三", "欧阳小明" → "欧**明".
pub fn mask_name(name: &str) -> String {
    let chars: Vec<char> = name.trim().chars().collect();
    match chars.len() {
        0 => String::new(),
        1 => "*".to_string(),
        2 => format!("{}*", chars[0]),
        n => format!("{}{}{}", chars[0], "*".repeat(n - 2), chars[n - 1]),
    }
}

/// Keeps the region code (6) and the last 4: "110105********002X".
pub fn mask_id_number(id: &str) -> String {
    let chars: Vec<char> = id.trim().chars().collect();
    let n = chars.len();
    if n <= 10 {
        return "*".repeat(n);
    }
    let head: String = chars[..6].iter().collect();
    let tail: String = chars[n - 4..].iter().collect();
    format!("{head}{}{tail}", "*".repeat(n - 10))
}

/// "13812345678" → "138****5678".
pub fn mask_phone(phone: &str) -> String {
    let chars: Vec<char> = phone.trim().chars().collect();
    let n = chars.len();
    if n < 8 {
        return "*".repeat(n);
    }
    let head: String = chars[..3].iter().collect();
    let tail: String = chars[n - 4..].iter().collect();
    format!("{head}{}{tail}", "*".repeat(n - 7))
}

/// Keeps the first six characters (province and city), hides the rest.
pub fn mask_address(address: &str) -> String {
    let chars: Vec<char> = address.trim().chars().collect();
    if chars.is_empty() {
        return String::new();
    }
    let keep = chars.len().min(6);
    let head: String = chars[..keep].iter().collect();
    format!("{head}****")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_keep_first_and_last_character() {
        assert_eq!(mask_name("张三"), "张*");
        assert_eq!(mask_name("张小三"), "张*三");
        assert_eq!(mask_name("欧阳小明"), "欧**明");
        assert_eq!(mask_name("李"), "*");
        assert_eq!(mask_name(""), "");
    }

    #[test]
    fn id_numbers_keep_region_and_last_four() {
        assert_eq!(mask_id_number("11010519900307002X"), "110105********002X");
        assert_eq!(mask_id_number("12345"), "*****");
    }

    #[test]
    fn phones_and_addresses() {
        assert_eq!(mask_phone("13812345678"), "138****5678");
        assert_eq!(mask_address("北京市朝阳区建国路1号"), "北京市朝阳区****");
    }
}
