//! Search quality over the curated statute corpus: real citizen questions must find the
//! articles a legal adviser would cite, article references must resolve, and one- and
//! two-character terms must be found. Builds a real index file in a temporary directory.

use legal_kiosk::laws::{LawIndex, SearchHit};
use std::sync::OnceLock;

fn index() -> &'static std::sync::Mutex<LawIndex> {
    static INDEX: OnceLock<(tempfile::TempDir, std::sync::Mutex<LawIndex>)> = OnceLock::new();
    let (_, index) = INDEX.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temp dir");
        let index = LawIndex::ensure(dir.path()).expect("curated index builds");
        (dir, std::sync::Mutex::new(index))
    });
    index
}

fn search(query: &str, limit: usize) -> Vec<SearchHit> {
    let index = index().lock().expect("index lock");
    index.search(query, limit).expect("search runs")
}

fn cited(hits: &[SearchHit]) -> Vec<String> {
    hits.iter()
        .map(|h| format!("{} {}", h.law, h.number))
        .collect()
}

/// (question, top N, articles that must all be among the top N as "law number").
const QUESTIONS: &[(&str, usize, &[&str])] = &[
    ("公司拖欠工资怎么办", 10, &["保障农民工工资支付条例 16"]),
    ("离婚后孩子抚养权", 5, &["民法典 1084", "民法典 1085"]),
    ("借钱不还", 10, &["民间借贷司法解释 27"]),
    ("遗嘱怎么写才有效", 5, &["民法典 1134", "民法典 1143"]),
    ("试用期被辞退", 5, &["劳动合同法 21", "劳动合同法 39"]),
    ("公司不签劳动合同", 10, &["劳动合同法 82"]),
    (
        "被公司开除了有没有赔偿",
        8,
        &["劳动合同法 48", "劳动合同法 87"],
    ),
    ("加班费怎么算", 10, &["劳动法 44"]),
    ("工伤怎么认定", 8, &["工伤保险条例 14", "工伤保险条例 17"]),
    ("劳动仲裁时效", 3, &["劳动争议调解仲裁法 27"]),
    ("车祸赔偿", 10, &["道路交通安全法 76", "民法典 1208"]),
    ("买到假货", 3, &["消费者权益保护法 55"]),
    ("网购七天无理由退货", 3, &["消费者权益保护法 25"]),
    ("家暴怎么办", 10, &["反家庭暴力法 10", "反家庭暴力法 20"]),
    ("人身安全保护令", 10, &["反家庭暴力法 26"]),
    ("老人赡养", 10, &["老年人权益保障法 14"]),
    ("父母去世遗产怎么分", 5, &["民法典 1127"]),
    ("借款利息多少合法", 5, &["民间借贷司法解释 25"]),
    ("离婚冷静期", 3, &["民法典 1077"]),
    ("彩礼退还", 3, &["婚姻家庭编司法解释（一） 5"]),
    ("法律援助条件", 10, &["法律援助法 32"]),
    ("公证遗嘱", 3, &["民法典 1139"]),
    ("未成年人父母离婚", 3, &["未成年人保护法 24"]),
    ("个人信息泄露", 5, &["民法典 1038", "个人信息保护法 57"]),
    ("交通事故保险公司怎么赔", 5, &["道路交通安全法 76"]),
    ("人民调解协议效力", 3, &["人民调解法 31"]),
    ("诉讼时效", 20, &["民法典 188"]),
    ("夫妻共同债务", 3, &["民法典 1064"]),
    ("经济补偿怎么算", 3, &["劳动合同法 47"]),
    ("双倍工资", 5, &["劳动合同法 82"]),
    ("离婚财产怎么分", 5, &["民法典 1087"]),
    ("交通事故责任认定", 3, &["道路交通安全法 73"]),
];

#[test]
fn citizen_questions_find_the_articles_an_adviser_would_cite() {
    let mut failures = Vec::new();
    for (question, top, expected) in QUESTIONS {
        let found = cited(&search(question, *top));
        for article in *expected {
            if !found.iter().any(|f| f == article) {
                failures.push(format!("{question}: {article} not in top {top}: {found:?}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn article_references_resolve_in_every_spelling() {
    for (query, expected) in [
        ("民法典 1077", "民法典 1077"),
        ("民法典第一千零七十七条", "民法典 1077"),
        ("《民法典》第1077条", "民法典 1077"),
        ("劳动合同法第四十七条", "劳动合同法 47"),
        ("劳动合同法 47", "劳动合同法 47"),
        ("劳动仲裁法 第二十七条", "劳动争议调解仲裁法 27"),
        ("中华人民共和国法律援助法第三十二条", "法律援助法 32"),
    ] {
        let hits = search(query, 5);
        assert_eq!(cited(&hits), [expected], "{query}");
    }
    assert!(search("民法典 9999", 5).is_empty());
}

#[test]
fn law_name_with_words_searches_inside_that_law() {
    let hits = search("劳动合同法 试用期", 5);
    assert!(!hits.is_empty());
    assert!(
        hits.iter().all(|h| h.law == "劳动合同法"),
        "{:?}",
        cited(&hits)
    );
    assert!(cited(&hits).contains(&"劳动合同法 19".to_string()));
}

#[test]
fn one_and_two_character_terms_are_found() {
    for (term, must_contain) in [
        ("离婚", "离婚"),
        ("遗嘱", "遗嘱"),
        ("工资", "工资"),
        ("公证", "公证"),
    ] {
        let hits = search(term, 10);
        assert_eq!(hits.len(), 10, "{term}");
        // Every hit shows why it matched; the best ones contain the term itself (later ones
        // may match a statute synonym, e.g. 劳动报酬 for 工资).
        assert!(
            hits.iter().all(|h| h.snippet.iter().any(|s| s.hit)),
            "{term}"
        );
        for hit in &hits[..5] {
            assert!(
                hit.snippet
                    .iter()
                    .any(|s| s.hit && s.text.contains(must_contain)),
                "{term}: {} {}",
                hit.law,
                hit.label
            );
        }
    }
    for single in ["婚", "嘱", "薪"] {
        let hits = search(single, 5);
        assert!(!hits.is_empty(), "{single}");
        for hit in &hits {
            assert!(
                hit.snippet.iter().any(|s| s.hit && s.text == single),
                "{single}"
            );
        }
    }
}

#[test]
fn phrases_rank_verbatim_matches_first() {
    let hits = search("解除劳动合同", 5);
    let index = index().lock().expect("index lock");
    for hit in &hits {
        let article = index.article_by_id(hit.article_id).unwrap().unwrap();
        assert!(article.text.contains("解除劳动合同"), "{}", article.label);
    }
}

#[test]
fn an_article_opens_with_its_neighbours() {
    let index = index().lock().expect("index lock");
    let article = index.find_article("民法典", 1077, 0).unwrap().unwrap();
    assert_eq!(article.label, "第一千零七十七条");
    assert_eq!(article.divisions[0], "婚姻家庭编");
    let view = index.open_article(article.article_id, 2).unwrap().unwrap();
    let numbers: Vec<u32> = view
        .before
        .iter()
        .chain([&view.article])
        .chain(&view.after)
        .map(|a| a.number)
        .collect();
    assert_eq!(numbers, [1075, 1076, 1077, 1078, 1079]);
    // The first article of a law has no predecessors from another law.
    let first = index.find_article("公证法", 1, 0).unwrap().unwrap();
    let view = index.open_article(first.article_id, 1).unwrap().unwrap();
    assert!(view.before.is_empty());
    assert_eq!(view.after[0].law, "公证法");
}

#[test]
fn nonsense_and_empty_queries_return_nothing() {
    assert!(search("", 10).is_empty());
    assert!(search("   ", 10).is_empty());
    assert!(search("怎么办", 10).is_empty());
    assert!(search("zzqqxx", 10).is_empty());
}
