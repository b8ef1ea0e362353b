//! Behaviour of the engine over the shipped dictionary, as the keyboard sees it.

use super::{Candidate, Composer, Dictionary};

fn typed(pinyin: &str) -> Composer<'static> {
    let mut composer = Composer::new();
    for key in pinyin.chars() {
        assert!(composer.push(key), "key {key:?} refused");
    }
    composer
}

fn texts(candidates: &[Candidate]) -> Vec<&str> {
    candidates.iter().map(|c| c.text.as_str()).collect()
}

fn position(composer: &Composer, text: &str) -> Option<usize> {
    (0..composer.page_count())
        .flat_map(|page| composer.candidates(page))
        .find(|c| c.text == text)
        .map(|c| c.index)
}

#[test]
fn preedit_splits_pinyin_into_syllables() {
    let cases = [
        ("zhangsan", "zhang'san"),
        ("gongzheng", "gong'zheng"),
        ("xian", "xian"),
        ("xi'an", "xi'an"),
        ("fangan", "fang'an"),
        ("zs", "z's"),
        ("zhsh", "zh'sh"),
        ("lvshi", "lv'shi"),
        ("shenqinggongzhengsh", "shen'qing'gong'zheng'sh"),
        // A letter no syllable starts with stands alone rather than vanishing.
        ("iwo", "i'wo"),
    ];
    for (input, shown) in cases {
        assert_eq!(typed(input).preedit(), shown, "{input}");
    }
}

#[test]
fn ambiguous_xian_offers_both_readings_and_the_separator_decides() {
    let xian = typed("xian");
    let first_page = xian.candidates(0);
    let words = texts(&first_page);
    assert_eq!(
        words[0], "西安",
        "words before single characters: {words:?}"
    );
    assert!(words.contains(&"先") || words.contains(&"现"), "{words:?}");

    let xi_an = typed("xi'an");
    let candidates = xi_an.candidates(0);
    assert_eq!(candidates[0].text, "西安");
    // With the separator, "xian" as one syllable is gone.
    assert_eq!(position(&xi_an, "先"), None);
    assert!(candidates.iter().all(|c| c.pinyin.starts_with("xi")));
}

#[test]
fn abbreviations_find_whole_words() {
    for (input, word) in [
        ("ldht", "劳动合同"),
        ("flyz", "法律援助"),
        ("gzc", "公证处"),
        ("yzgz", "遗嘱公证"),
    ] {
        let composer = typed(input);
        let first = &composer.candidates(0)[0];
        assert_eq!(first.text, word, "{input}");
        assert!(first.whole);
    }
    let zs = typed("zs");
    let first_page = zs.candidates(0);
    assert!(
        first_page
            .iter()
            .all(|c| c.text.chars().count() == 2 && c.whole),
        "{:?}",
        texts(&first_page)
    );
    // An unfinished last syllable counts as typed so far.
    assert_eq!(typed("gongzh").candidates(0)[0].text, "公证");
}

#[test]
fn v_and_u_umlaut_both_type_u_umlaut() {
    for input in ["lvshi", "lüshi", "LÜSHI"] {
        let composer = typed(input);
        assert_eq!(composer.input(), "lvshi");
        assert_eq!(composer.candidates(0)[0].text, "律师", "{input}");
    }
    assert_eq!(typed("nver").candidates(0)[0].text, "女儿");
}

#[test]
fn legal_vocabulary_ranks_first() {
    for (input, word) in [
        ("gongzheng", "公证"),
        ("yizhu", "遗嘱"),
        ("zhongcai", "仲裁"),
        ("laodonghetong", "劳动合同"),
        ("falvyuanzhu", "法律援助"),
    ] {
        let first_page = typed(input).candidates(0);
        assert_eq!(
            first_page[0].text,
            word,
            "{input}: {:?}",
            texts(&first_page)
        );
    }
    let gongzheng = typed("gongzheng");
    let general = position(&gongzheng, "公正").expect("公正 offered");
    assert!(general > 0);
}

#[test]
fn whole_words_come_before_single_characters_and_partial_matches() {
    let composer = typed("gongzheng");
    let all: Vec<Candidate> = (0..composer.page_count())
        .flat_map(|page| composer.candidates(page))
        .collect();
    let first_partial = all.iter().position(|c| !c.whole).expect("partial matches");
    assert!(all[..first_partial].iter().all(|c| c.whole));
    assert!(all[first_partial..].iter().all(|c| !c.whole));
    let single = all
        .iter()
        .position(|c| c.text.chars().count() == 1)
        .expect("single characters");
    assert!(
        single > first_partial,
        "a 1-character candidate cannot spell 2 syllables"
    );
    assert!(all.iter().any(|c| c.text == "公"));
}

#[test]
fn a_phrase_is_composed_when_no_single_word_spells_the_input() {
    let composer = typed("woyaobanligongzheng");
    let first = &composer.candidates(0)[0];
    assert_eq!(first.text, "我要办理公证");
    assert_eq!(first.pinyin, "wo'yao'ban'li'gong'zheng");
    assert!(first.whole);
}

#[test]
fn pages_partition_the_candidates() {
    let composer = typed("shi");
    assert!(composer.page_count() >= 3);
    let pages: Vec<Vec<Candidate>> = (0..composer.page_count())
        .map(|p| composer.candidates(p))
        .collect();
    assert!(pages[..pages.len() - 1]
        .iter()
        .all(|page| page.len() == super::DEFAULT_PAGE_SIZE));
    let indices: Vec<usize> = pages.iter().flatten().map(|c| c.index).collect();
    assert_eq!(indices, (0..indices.len()).collect::<Vec<_>>());
    let mut unique = texts(&pages.concat())
        .into_iter()
        .map(String::from)
        .collect::<Vec<_>>();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), indices.len(), "no candidate offered twice");
    assert!(composer.candidates(composer.page_count()).is_empty());
}

#[test]
fn partial_selection_consumes_its_syllables_and_continues() {
    let mut composer = typed("zhangsan");
    let zhang = position(&composer, "张").expect("张 offered");
    assert_eq!(composer.select(zhang), None);
    assert_eq!(composer.input(), "san");
    assert_eq!(composer.preedit(), "张san");
    let san = position(&composer, "三").expect("三 offered");
    assert_eq!(composer.select(san), Some("张三".to_owned()));
    assert!(!composer.is_composing());
    assert_eq!(composer.preedit(), "");
    assert!(composer.candidates(0).is_empty());
}

#[test]
fn partial_selection_skips_the_separator_and_backspace_undoes_it() {
    let mut composer = typed("gongzheng'chu");
    let gongzheng = position(&composer, "公证").expect("公证 offered");
    assert_eq!(composer.select(gongzheng), None);
    assert_eq!(composer.input(), "chu");
    assert_eq!(composer.preedit(), "公证chu");
    for _ in 0..3 {
        assert!(composer.backspace());
    }
    assert_eq!(composer.preedit(), "公证");
    // Deleting into a selection gives its pinyin back.
    assert!(composer.backspace());
    assert_eq!(composer.input(), "gongzheng'");
    assert!(composer.backspace());
    assert_eq!(composer.input(), "gongzheng");
}

#[test]
fn keys_that_are_not_pinyin_are_left_to_the_keyboard() {
    let mut composer = Composer::new();
    assert!(!composer.backspace(), "nothing to delete");
    assert!(!composer.push('1'));
    assert!(!composer.push(' '));
    assert!(
        !composer.push('\''),
        "a leading separator separates nothing"
    );
    assert!(!composer.is_composing());
    for _ in 0..super::MAX_INPUT {
        assert!(composer.push('a'));
    }
    assert!(!composer.push('a'), "input is bounded");
    composer.clear();
    assert_eq!(composer.input(), "");
}

#[test]
fn commit_raw_returns_selections_and_letters_as_typed() {
    let mut composer = typed("falv'wenti");
    let falv = position(&composer, "法律").expect("法律 offered");
    assert_eq!(composer.select(falv), None);
    assert_eq!(composer.commit_raw(), Some("法律wenti".to_owned()));
    assert_eq!(composer.commit_raw(), None);
    let mut letters = typed("abc'd");
    assert_eq!(letters.commit_raw(), Some("abcd".to_owned()));
}

#[test]
fn selecting_an_unknown_index_changes_nothing() {
    let mut composer = typed("gong");
    assert_eq!(composer.select(10_000), None);
    assert_eq!(composer.input(), "gong");
}

#[test]
fn input_without_any_reading_has_no_candidates_but_keeps_the_letters() {
    let composer = typed("iii");
    assert!(composer.candidates(0).is_empty());
    assert_eq!(composer.preedit(), "i'i'i");
    assert!(composer.is_composing());
}

#[test]
fn a_custom_dictionary_ranks_by_weight() {
    let dictionary =
        Dictionary::parse("公证\tgong zheng\t10\n公正\tgong zheng\t20\n公\tgong\t5\n").unwrap();
    let mut composer = Composer::with_dictionary(&dictionary, 2);
    for key in "gongzheng".chars() {
        composer.push(key);
    }
    assert_eq!(texts(&composer.candidates(0)), ["公正", "公证"]);
    assert_eq!(texts(&composer.candidates(1)), ["公"]);
    assert_eq!(composer.page_count(), 2);
}

#[test]
fn debug_output_shows_no_typed_text() {
    let mut composer = typed("zhangsan");
    let zhang = position(&composer, "张").expect("张 offered");
    composer.select(zhang);
    let shown = format!("{composer:?}");
    assert!(!shown.contains("san") && !shown.contains('张'), "{shown}");
    assert!(shown.contains("typed_keys: 3"), "{shown}");
}
