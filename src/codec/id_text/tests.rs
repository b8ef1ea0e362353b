use super::*;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("calendar date")
}

/// Builds a block from (UTF-16 unit offset, text) pairs, the way HslCommunication's
/// `ExtractIdentityCard` slices it: an independent check of the byte offsets.
fn block_from_units(fields: &[(usize, &str)]) -> Vec<u8> {
    let mut units = vec![u16::from(b' '); TEXT_LEN / 2];
    for (offset, text) in fields {
        for (i, unit) in text.encode_utf16().enumerate() {
            units[offset + i] = unit;
        }
    }
    units.iter().flat_map(|u| u.to_le_bytes()).collect()
}

fn resident_fields() -> Vec<(usize, &'static str)> {
    vec![
        (0, "张三"),
        (15, "1"),
        (16, "01"),
        (18, "19491231"),
        (26, "北京市东城区示例街道1号"),
        (61, "11010519491231002X"),
        (79, "北京市公安局东城分局"),
        (94, "20150101"),
        (102, "20350101"),
    ]
}

#[test]
fn decodes_a_resident_card_at_the_reference_offsets() {
    let identity = Identity::decode(&block_from_units(&resident_fields())).expect("decodes");
    assert_eq!(identity.name, "张三");
    assert_eq!(identity.sex, Sex::Male);
    assert_eq!(identity.birth_date, date(1949, 12, 31));
    assert_eq!(identity.id_number, "11010519491231002X");
    assert_eq!(identity.issuer, "北京市公安局东城分局");
    assert_eq!(identity.valid_from, date(2015, 1, 1));
    assert_eq!(identity.valid_until, Validity::Until(date(2035, 1, 1)));
    assert_eq!(
        identity.details,
        CardDetails::Resident {
            nation: Nation::HAN,
            address: "北京市东城区示例街道1号".into()
        }
    );
    assert_eq!(identity.address(), Some("北京市东城区示例街道1号"));
    assert_eq!(
        identity.encode().expect("fits").to_vec(),
        block_from_units(&resident_fields())
    );
}

#[test]
fn long_term_validity() {
    let mut fields = resident_fields();
    fields[8] = (102, "长期");
    let identity = Identity::decode(&block_from_units(&fields)).expect("decodes");
    assert_eq!(identity.valid_until, Validity::LongTerm);
    assert!(!identity.valid_until.is_expired_on(date(2999, 1, 1)));
    assert!(Validity::Until(date(2020, 1, 1)).is_expired_on(date(2020, 1, 2)));
    assert!(!Validity::Until(date(2020, 1, 1)).is_expired_on(date(2020, 1, 1)));
}

#[test]
fn hong_kong_macau_taiwan_permit() {
    let mut fields = resident_fields();
    fields[2] = (16, "  "); // reserved on a permit
    fields[5] = (61, "810000199001010012");
    fields.extend([(110, "H12345678"), (119, "01"), (124, "J")]);
    let identity = Identity::decode(&block_from_units(&fields)).expect("decodes");
    assert_eq!(
        identity.details,
        CardDetails::HongKongMacauTaiwan {
            address: "北京市东城区示例街道1号".into(),
            pass_number: "H12345678".into(),
            issue_count: 1
        }
    );
    assert_eq!(
        identity.encode().expect("fits").to_vec(),
        block_from_units(&fields)
    );
}

#[test]
fn foreigner_2017_card() {
    let fields = [
        (0, "SMITH, JOHN"),
        (60, "1"),
        (61, "USA110079000012"),
        (76, "USA"),
        (79, "史密斯"),
        (94, "20170601"),
        (102, "20270601"),
        (110, "19800102"),
        (118, "01"),
        (120, "1100"),
        (124, "I"),
    ];
    let identity = Identity::decode(&block_from_units(&fields)).expect("decodes");
    assert_eq!(identity.name, "史密斯");
    assert_eq!(identity.id_number, "USA110079000012");
    assert_eq!(identity.birth_date, date(1980, 1, 2));
    assert_eq!(identity.issuer, "1100");
    assert_eq!(
        identity.details,
        CardDetails::Foreigner2017 {
            english_name: "SMITH, JOHN".into(),
            nationality: "USA".into(),
            card_version: "01".into()
        }
    );
    assert_eq!(identity.address(), None);
    assert_eq!(
        identity.encode().expect("fits").to_vec(),
        block_from_units(&fields)
    );
}

#[test]
fn foreigner_2023_card_is_detected_by_its_number_without_a_marker() {
    let fields = [
        (0, "李明"),
        (15, "2"),
        (16, "03"),
        (18, "19850101"),
        (26, "LI MING"),
        (61, "932682198501010017"),
        (94, "20240101"),
        (102, "20340101"),
    ];
    let identity = Identity::decode(&block_from_units(&fields)).expect("decodes");
    assert_eq!(
        identity.details,
        CardDetails::Foreigner2023 {
            english_name: "LI MING".into(),
            renew_count: 3
        }
    );
    assert_eq!(identity.sex, Sex::Female);
    let encoded = identity.encode().expect("fits");
    assert_eq!(Identity::decode(&encoded).expect("round trip"), identity);
}

#[test]
fn structural_errors() {
    assert_eq!(
        Identity::decode(&[0x20; 255]),
        Err(IdTextError::WrongLength(255))
    );
    let with = |index: usize, value: (usize, &'static str)| {
        let mut fields = resident_fields();
        fields[index] = value;
        Identity::decode(&block_from_units(&fields))
    };
    assert_eq!(with(1, (15, "3")), Err(IdTextError::BadSex));
    assert_eq!(with(2, (16, "60")), Err(IdTextError::UnknownNation));
    assert_eq!(
        with(3, (18, "19490231")),
        Err(IdTextError::BadDate("birth"))
    );
    assert_eq!(
        with(8, (102, "2035013")),
        Err(IdTextError::BadDate("valid_until"))
    );
    let mut bad_text = block_from_units(&resident_fields());
    bad_text[0..2].copy_from_slice(&0xD800u16.to_le_bytes());
    assert_eq!(
        Identity::decode(&bad_text),
        Err(IdTextError::BadText("name"))
    );
}

#[test]
fn encode_refuses_overlong_fields() {
    let mut identity = Identity::decode(&block_from_units(&resident_fields())).expect("decodes");
    identity.name = "一二三四五六七八九十一二三四五六".into();
    assert_eq!(identity.encode(), Err(IdTextError::FieldTooLong("name")));
}

#[test]
fn debug_masks_personal_data() {
    let identity = Identity::decode(&block_from_units(&resident_fields())).expect("decodes");
    let shown = format!("{identity:?}");
    assert!(shown.contains("张*"), "{shown}");
    assert!(shown.contains("110105********002X"), "{shown}");
    for secret in [
        "张三",
        "19491231",
        "1949-12-31",
        "东城区示例",
        "11010519491231002X",
    ] {
        assert!(!shown.contains(secret), "{secret} leaked in {shown}");
    }
}

#[test]
fn age_counts_full_years() {
    let identity = Identity::decode(&block_from_units(&resident_fields())).expect("decodes");
    assert_eq!(identity.age_on(date(2019, 12, 30)), 69);
    assert_eq!(identity.age_on(date(2019, 12, 31)), 70);
}

#[test]
fn masking_helpers() {
    assert_eq!(mask_name("欧阳娜娜"), "欧***");
    assert_eq!(mask_name(""), "");
    assert_eq!(mask_number("USA110079000012"), "USA110*****0012");
    assert_eq!(mask_number("H1234"), "*****");
}
