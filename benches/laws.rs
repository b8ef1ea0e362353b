//! Statute search benchmark: import time, index size and query latency (p50/p99).
//!
//! Indexes the full corpus at `$LEGAL_KIOSK_LAWS_CORPUS`, else `../shared/data/laws` or
//! `/work/shared/data/laws` when present, else the curated corpus compiled into the program,
//! and says which. Target: p99 < 50 ms.

use legal_kiosk::laws::{Corpus, IndexSource, LawIndex};
use std::path::PathBuf;
use std::time::{Duration, Instant};

const QUERIES: &[&str] = &[
    "公司拖欠工资怎么办",
    "离婚后孩子抚养权",
    "借钱不还",
    "遗嘱怎么写才有效",
    "试用期被辞退",
    "公司不签劳动合同",
    "加班费怎么算",
    "工伤怎么认定",
    "劳动仲裁时效",
    "车祸赔偿",
    "买到假货",
    "网购七天无理由退货",
    "家暴怎么办",
    "老人赡养",
    "父母去世遗产怎么分",
    "借款利息多少合法",
    "离婚冷静期",
    "法律援助条件",
    "公证遗嘱",
    "个人信息泄露",
    "夫妻共同债务",
    "经济补偿怎么算",
    "民法典 1077",
    "民法典第一千零七十七条",
    "劳动合同法第四十七条",
    "劳动合同法 47",
    "劳动合同法 试用期",
    "离婚",
    "遗嘱",
    "工资",
    "公证",
    "婚",
    "嘱",
    "解除劳动合同",
];
const ROUNDS: usize = 10;

fn corpus_dir() -> Option<PathBuf> {
    let candidates = [
        std::env::var_os("LEGAL_KIOSK_LAWS_CORPUS").map(PathBuf::from),
        Some(PathBuf::from("../shared/data/laws")),
        Some(PathBuf::from("/work/shared/data/laws")),
    ];
    candidates.into_iter().flatten().find(|p| p.is_dir())
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index].as_secs_f64() * 1000.0
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("index.sqlite3");
    // Load the segmenter outside the timings: it is loaded once per process.
    legal_kiosk::laws::Corpus::curated();
    let started = Instant::now();
    let (corpus, source) = match corpus_dir() {
        Some(corpus_dir) => {
            println!("corpus: full ({})", corpus_dir.display());
            let corpus = Corpus::load_dir(&corpus_dir)?;
            let source = IndexSource::Imported {
                dir: corpus_dir.display().to_string(),
            };
            (corpus, source)
        }
        None => {
            println!("corpus: curated (no full corpus found)");
            (
                Corpus::curated(),
                IndexSource::Curated {
                    fingerprint: "bench".into(),
                },
            )
        }
    };
    let loaded = started.elapsed();
    let stats = LawIndex::build(&path, &corpus, &source)?;
    let imported = started.elapsed();
    println!("instruments: {} count", stats.instruments);
    println!("articles: {} count", stats.articles);
    println!("parse_time: {:.0} ms", loaded.as_secs_f64() * 1000.0);
    println!("import_time: {:.0} ms", imported.as_secs_f64() * 1000.0);
    println!("index_size: {:.1} MB", stats.bytes as f64 / 1_048_576.0);

    let index = LawIndex::open(&path)?;
    // One warm-up pass loads the segmenter's and SQLite's caches.
    for query in QUERIES {
        index.search(query, 10)?;
    }
    let mut timings = Vec::with_capacity(QUERIES.len() * ROUNDS);
    for _ in 0..ROUNDS {
        for query in QUERIES {
            let started = Instant::now();
            let hits = index.search(query, 10)?;
            timings.push(started.elapsed());
            std::hint::black_box(hits);
        }
    }
    timings.sort();
    println!("queries: {} count", timings.len());
    println!("query_p50: {:.2} ms", percentile(&timings, 0.50));
    println!("query_p99: {:.2} ms", percentile(&timings, 0.99));
    println!("query_max: {:.2} ms", percentile(&timings, 1.0));
    Ok(())
}
