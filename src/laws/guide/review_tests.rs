//! The corrections of the legal review of the shipped trees (issue 15): each outcome says what
//! the cited article says, and cites the article that says it.

use super::{Citation, GuideTree, Node};
use crate::laws::Corpus;

fn tree(id: &str) -> GuideTree {
    GuideTree::builtin()
        .unwrap()
        .into_iter()
        .find(|t| t.id == id)
        .unwrap()
}

fn outcome<'t>(tree: &'t GuideTree, id: &str) -> &'t Node {
    tree.node(id).filter(|n| n.is_outcome()).unwrap()
}

fn cites(node: &Node, law: &str, article: u32) -> bool {
    let wanted = Citation {
        law: law.into(),
        article,
    };
    node.cite.contains(&wanted) || node.deadlines.iter().any(|d| d.cite == wanted)
}

/// The article's text in the curated corpus contains `words`: the data quotes it rightly.
fn article_says(law: &str, article: u32, words: &str) {
    let corpus = Corpus::curated();
    let text = &corpus
        .instrument(law)
        .and_then(|i| i.article(article, 0))
        .unwrap_or_else(|| panic!("{law} art. {article}"))
        .text;
    assert!(text.contains(words), "{law} art. {article}: {text}");
}

fn all_outcomes() -> Vec<Node> {
    GuideTree::builtin()
        .unwrap()
        .into_iter()
        .flat_map(|t| t.nodes)
        .filter(Node::is_outcome)
        .collect()
}

/// Where to apply for labour arbitration is 劳动争议调解仲裁法 art. 21 (art. 5 is the order
/// mediation, arbitration, court).
#[test]
fn the_arbitration_venue_cites_article_21() {
    article_says(
        "劳动争议调解仲裁法",
        21,
        "劳动争议由劳动合同履行地或者用人单位所在地的劳动争议仲裁委员会管辖",
    );
    let venues: Vec<Node> = all_outcomes()
        .into_iter()
        .filter(|n| {
            let zh = &n.guidance.as_ref().unwrap().zh;
            zh.contains("仲裁委员会") && zh.contains("所在地")
        })
        .collect();
    assert!(!venues.is_empty());
    for node in venues {
        assert!(cites(&node, "劳动争议调解仲裁法", 21), "{}", node.id);
        assert!(!cites(&node, "劳动争议调解仲裁法", 5), "{}", node.id);
    }
}

/// 民法典 art. 1124 ¶2: a legatee must accept within 60 days, or is taken to refuse.
#[test]
fn a_will_outcome_gives_the_legatee_60_days() {
    article_says("民法典", 1124, "受遗赠人应当在知道受遗赠后六十日内");
    let tree = tree("inheritance");
    let by_will = outcome(&tree, "by_will");
    assert!(by_will.guidance.as_ref().unwrap().zh.contains("六十日内"));
    assert!(by_will
        .deadlines
        .iter()
        .any(|d| d.cite.article == 1124 && d.text.zh.contains("视为放弃受遗赠")));
}

/// 民法典 arts. 1128 (representation) and 1129 (a widowed child-in-law who supported the
/// parents-in-law is a first-order heir).
#[test]
fn statutory_inheritance_names_representation_and_widowed_children_in_law() {
    article_says("民法典", 1128, "代位继承");
    article_says("民法典", 1129, "丧偶儿媳对公婆");
    let tree = tree("inheritance");
    let by_law = outcome(&tree, "by_law");
    let zh = &by_law.guidance.as_ref().unwrap().zh;
    assert!(zh.contains("代位继承") && zh.contains("丧偶儿媳"));
    assert!(cites(by_law, "民法典", 1128) && cites(by_law, "民法典", 1129));
}

/// 道路交通安全法 art. 76 ¶1(2): a motor vehicle without fault still bears up to 10 %.
#[test]
fn traffic_compensation_says_a_motor_vehicle_without_fault_bears_up_to_10_percent() {
    article_says(
        "道路交通安全法",
        76,
        "机动车一方没有过错的，承担不超过百分之十的赔偿责任",
    );
    let tree = tree("traffic_accident");
    let node = outcome(&tree, "compensation");
    assert!(cites(node, "道路交通安全法", 76));
    let guidance = node.guidance.as_ref().unwrap();
    assert!(guidance.zh.contains("不超过10%"), "{}", guidance.zh);
    assert!(guidance.en.contains("10 %"));
}

/// 劳动争议司法解释（一） art. 44: in a dismissal dispute the employer bears the burden of
/// proof; every outcome that says so cites it.
#[test]
fn the_employers_burden_of_proof_cites_the_interpretation() {
    article_says(
        "劳动争议司法解释（一）",
        44,
        "辞退、解除劳动合同、减少劳动报酬、计算劳动者工作年限等决定而发生的劳动争议，用人单位负举证责任",
    );
    let burdens: Vec<Node> = all_outcomes()
        .into_iter()
        .filter(|n| n.guidance.as_ref().unwrap().zh.contains("举证责任"))
        .collect();
    assert!(burdens.len() >= 2);
    for node in burdens {
        assert!(cites(&node, "劳动争议司法解释（一）", 44), "{}", node.id);
    }
}
