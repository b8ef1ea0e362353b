//! The grounds of the Act a citizen can pick from, one fact per answer: each enough on its own,
//! each tied to the article (and item) it comes from. The wording follows the statute, in
//! plain words; `sensitive` marks answers that are sensitive personal information (个人信息
//! 保护法 art. 28: health, a specific identity such as a suspect or a victim of violence), which a
//! call-back request carries only with their own consent (art. 29).

/// One fact the citizen can choose.
#[derive(Debug, PartialEq, Eq)]
pub struct Ground {
    /// Stable name for the application request, e.g. `domestic_violence`.
    pub key: &'static str,
    pub zh: &'static str,
    pub en: &'static str,
    /// 法律援助法 article the ground comes from.
    pub article: u32,
    pub sensitive: bool,
    /// What proves it (art. 42 requires 材料证明), for the exemptions; empty otherwise.
    pub proof_zh: &'static str,
    pub proof_en: &'static str,
}

const fn ground(
    key: &'static str,
    zh: &'static str,
    en: &'static str,
    article: u32,
    sensitive: bool,
) -> Ground {
    Ground {
        key,
        zh,
        en,
        article,
        sensitive,
        proof_zh: "",
        proof_en: "",
    }
}

/// Art. 25 ¶1 (items 1–6): the authorities must have a lawyer appointed; art. 28: compulsory
/// medical treatment, the court must have one appointed.
pub const APPOINTED_DEFENCE: [Ground; 7] = [
    ground("minor", "未满18周岁", "Under 18", 25, true),
    ground(
        "sight_hearing_speech",
        "看不见、听不见或不能说话（视力、听力、言语残疾）",
        "Blind, deaf or unable to speak (a visual, hearing or speech disability)",
        25,
        true,
    ),
    ground(
        "not_fully_aware",
        "成年人，但不能完全明白自己在做什么（例如患有精神疾病）",
        "An adult who cannot fully understand what he or she is doing (for example, a mental illness)",
        25,
        true,
    ),
    ground(
        "life_or_death",
        "可能被判无期徒刑或死刑",
        "May be sentenced to life imprisonment or death",
        25,
        true,
    ),
    ground(
        "death_penalty_review",
        "已被判死刑，案件正在死刑复核",
        "Sentenced to death, and the sentence is under review (死刑复核)",
        25,
        true,
    ),
    ground(
        "trial_in_absence",
        "本人不在场，法院缺席审判",
        "Tried in his or her absence (缺席审判)",
        25,
        true,
    ),
    ground(
        "compulsory_treatment",
        "法院在审理对他（她）强制医疗的案件",
        "The court is hearing a case for compulsory medical treatment (强制医疗) of him or her",
        28,
        true,
    ),
];

/// Art. 32 (items 1–4): no economic condition.
pub const NO_MEANS_TEST: [Ground; 4] = [
    ground(
        "domestic_violence",
        "我受到家庭暴力、虐待或遗弃，要维护自己的权益",
        "I suffered domestic violence, abuse or abandonment and want to protect my rights",
        32,
        true,
    ),
    ground(
        "brave_act",
        "我因见义勇为受到损害，要求赔偿或补偿",
        "I was harmed acting bravely to help others and claim compensation",
        32,
        false,
    ),
    ground(
        "hero_relative",
        "我是英雄烈士的近亲属，要维护英雄烈士的名誉等权益",
        "I am a close relative of a hero or martyr and want to protect their name and honour",
        32,
        false,
    ),
    ground(
        "acquitted_on_retrial",
        "我经再审改判无罪，要求国家赔偿",
        "I was acquitted on retrial and claim state compensation",
        32,
        true,
    ),
];

/// Art. 31 (items 1–8): the civil and administrative matters.
pub const MATTERS: [Ground; 8] = [
    ground(
        "state_compensation",
        "要求国家赔偿",
        "Claiming state compensation",
        31,
        false,
    ),
    ground(
        "social_insurance",
        "要求社会保险待遇或社会救助（如养老金、低保）",
        "Claiming social insurance benefits or social assistance (such as a pension or subsistence allowance)",
        31,
        false,
    ),
    ground(
        "survivor_pension",
        "要求发给抚恤金",
        "Claiming a survivor's pension (抚恤金)",
        31,
        false,
    ),
    ground(
        "maintenance",
        "要求给付赡养费、抚养费或扶养费",
        "Claiming support for a parent, a child or a spouse",
        31,
        false,
    ),
    ground(
        "wages",
        "要求确认劳动关系或支付工资",
        "Confirming an employment relationship or claiming unpaid wages",
        31,
        false,
    ),
    ground(
        "capacity",
        "要求认定家人不能（或不能完全）自己处理事务（无民事行为能力或限制民事行为能力）",
        "Asking the court to declare a relative unable (or not fully able) to manage his or her affairs",
        31,
        true,
    ),
    ground(
        "personal_injury",
        "工伤、交通事故、食品药品安全事故或医疗事故造成人身伤害，要求赔偿",
        "Compensation for injury from a work accident, a traffic accident, unsafe food or medicine, or a medical accident",
        31,
        false,
    ),
    ground(
        "environment",
        "环境污染、生态破坏造成损害，要求赔偿",
        "Compensation for damage from pollution or harm to the environment",
        31,
        false,
    ),
];

/// Art. 42 (items 1–3): exempt from the check of economic difficulty, with proof.
pub const EXEMPTIONS: [Ground; 4] = [
    Ground {
        proof_zh: "没有固定生活来源的证明，以及年龄证明或残疾证",
        proof_en: "Proof of having no fixed means of living, and proof of age or a disability certificate",
        ..ground(
            "no_fixed_income",
            "我没有固定生活来源，而且是未成年人、老年人或残疾人",
            "I have no fixed means of living and am a minor, elderly or disabled",
            42,
            true,
        )
    },
    Ground {
        proof_zh: "社会救助或司法救助的证明（如低保证、特困人员证明、司法救助决定）",
        proof_en: "Proof of social or judicial assistance (subsistence allowance or extreme-poverty certificate, judicial assistance decision)",
        ..ground(
            "assistance",
            "我是社会救助对象（如领低保、特困供养）或司法救助对象",
            "I receive social assistance (such as a subsistence allowance or extreme-poverty support) or judicial assistance",
            42,
            false,
        )
    },
    Ground {
        proof_zh: "优抚对象证明",
        proof_en: "Proof of entitlement to veterans' or martyrs' family benefits",
        ..ground(
            "veteran_benefits",
            "我是优抚对象（如烈士遗属、伤残军人）",
            "I receive veterans' or martyrs' family benefits (优抚)",
            42,
            false,
        )
    },
    Ground {
        proof_zh: "在城里打工的证明（如工牌、考勤、工资记录）",
        proof_en: "Proof of working in the city (staff card, attendance or wage records)",
        ..ground(
            "migrant_worker",
            "我进城打工，要求支付工资或工伤赔偿",
            "I came to the city to work and claim unpaid wages or work-injury compensation",
            42,
            false,
        )
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    /// The items of art. 25 ¶1 and art. 28 as the statute in the corpus words them: the
    /// grounds must follow the Act's list (not the old 刑事诉讼法 wording), one fact each.
    #[test]
    fn appointed_defence_follows_articles_25_and_28() {
        let corpus = crate::laws::Corpus::curated();
        let law = corpus.instrument("法律援助法").unwrap();
        let art25 = &law.article(25, 0).unwrap().text;
        for item in [
            "未成年人",
            "视力、听力、言语残疾人",
            "不能完全辨认自己行为的成年人",
            "可能被判处无期徒刑、死刑的人",
            "申请法律援助的死刑复核案件被告人",
            "缺席审判案件的被告人",
        ] {
            assert!(art25.contains(item), "art. 25 lists {item}");
        }
        assert!(law.article(28, 0).unwrap().text.contains("强制医疗案件"));
        let keys: Vec<&str> = APPOINTED_DEFENCE.iter().map(|g| g.key).collect();
        assert!(keys.contains(&"death_penalty_review") && keys.contains(&"trial_in_absence"));
        assert!(APPOINTED_DEFENCE.iter().any(|g| g.article == 28));
        assert!(
            !APPOINTED_DEFENCE
                .iter()
                .any(|g| g.zh.contains("盲、聋、哑")),
            "the old 刑事诉讼法 wording"
        );
    }

    /// Art. 42 item 1 is "无固定生活来源的…残疾人": being disabled alone is not the ground,
    /// and the proof asked for says so.
    #[test]
    fn disability_alone_is_not_the_exemption() {
        let first = &EXEMPTIONS[0];
        assert!(first.zh.contains("没有固定生活来源"));
        assert!(first.proof_zh.contains("没有固定生活来源的证明"));
        assert!(EXEMPTIONS
            .iter()
            .all(|g| g.article == 42 && !g.proof_zh.is_empty()));
    }

    #[test]
    fn every_ground_is_there_in_both_languages_with_a_unique_key() {
        let all: Vec<&Ground> = APPOINTED_DEFENCE
            .iter()
            .chain(&NO_MEANS_TEST)
            .chain(&MATTERS)
            .chain(&EXEMPTIONS)
            .collect();
        let mut keys: Vec<&str> = all.iter().map(|g| g.key).collect();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), all.len());
        assert!(all.iter().all(|g| !g.zh.is_empty() && !g.en.is_empty()));
    }
}
