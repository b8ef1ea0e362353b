//! Pinyin IME figures: dictionary load time and memory, and candidate lookup latency per
//! keystroke over realistic typing (target: p99 < 5 ms on the kiosk).
//!
//! Run: `cargo bench --no-default-features --bench ime`

use legal_kiosk::ime::{Composer, Dictionary};
use std::time::{Duration, Instant};
mod common;

use common::{ms, percentile};

const DICTIONARY: &str = include_str!("../data/ime/dictionary.txt");

/// What citizens type at a legal-service kiosk: names, matters, free-text descriptions, with
/// abbreviations and a partial selection after each phrase's first candidate.
const TYPING: &[&str] = &[
    "zhangsan",
    "woyaobanligongzheng",
    "yizhugongzheng",
    "laodonghetongjiufen",
    "ldht",
    "falvyuanzhu",
    "flyz",
    "gongsituoqiangongzi",
    "lihunxieyi",
    "fangwumaimaihetong",
    "xi'an",
    "lvshi",
    "wodeerzibugeiwoshanyangfei",
    "jiaotongshigupeichang",
    "chushengzhengming",
    "qinshuguanxigongzheng",
    "zhongcaiweiyuanhui",
    "shenqingfalvyuanzhuxuyaoshenmecailiao",
    "wangxiaoming",
    "lisi",
];

fn resident_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn main() {
    let rss_before = resident_kib();
    let started = Instant::now();
    let dictionary = match Dictionary::parse(DICTIONARY) {
        Ok(dictionary) => dictionary,
        Err(error) => {
            eprintln!("dictionary does not parse: {error}");
            std::process::exit(1);
        }
    };
    let load = started.elapsed();
    let rss_after = resident_kib();
    println!("dictionary_entries: {} entries", dictionary.len());
    println!("dictionary_file: {:.2} MB", DICTIONARY.len() as f64 / 1e6);
    println!("dictionary_load: {:.1} ms", ms(load));
    if let (Some(before), Some(after)) = (rss_before, rss_after) {
        println!(
            "dictionary_rss_delta: {:.1} MB",
            (after.saturating_sub(before)) as f64 / 1024.0
        );
    }

    let mut keystrokes = Vec::new();
    let rounds = 5;
    for _ in 0..rounds {
        for phrase in TYPING {
            let mut composer = Composer::with_dictionary(&dictionary, 6);
            for key in phrase.chars() {
                let started = Instant::now();
                composer.push(key);
                let page = composer.candidates(0);
                let preedit = composer.preedit();
                keystrokes.push((started.elapsed(), composer.input().len()));
                std::hint::black_box((page, preedit));
            }
            let started = Instant::now();
            std::hint::black_box(composer.select(0));
            keystrokes.push((started.elapsed(), composer.input().len()));
        }
    }
    keystrokes.sort_unstable();
    let (slowest, slowest_keys) = keystrokes[keystrokes.len() - 1];
    let keystrokes: Vec<Duration> = keystrokes.into_iter().map(|(time, _)| time).collect();
    println!("keystrokes: {} count", keystrokes.len());
    println!("keystroke_p50: {:.3} ms", ms(percentile(&keystrokes, 0.50)));
    println!("keystroke_p99: {:.3} ms", ms(percentile(&keystrokes, 0.99)));
    println!("keystroke_max: {:.3} ms", ms(slowest));
    println!("keystroke_max_input: {slowest_keys} keys");
}
