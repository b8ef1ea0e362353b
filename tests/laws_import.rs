//! `laws import`: a corpus directory in the LawRefBook format, with a metadata database
//! marking a repealed version, becomes a searchable index that later starts keep.

use legal_kiosk::laws::{Corpus, IndexSource, LawIndex};
use std::fs;
use std::path::Path;

fn write(root: &Path, relative: &str, text: &str) {
    let path = root.join(relative);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

#[test]
fn imports_a_directory_keeping_newest_version_in_force() {
    let corpus_dir = tempfile::tempdir().unwrap();
    let root = corpus_dir.path();
    write(root, "社会法/甲法(2018-01-01).md", "# 中华人民共和国甲法\n<!-- INFO END -->\n## 第一章 总则\n第一条 旧版本规定工资按月支付。\n");
    write(root, "社会法/甲法(2022-01-01).md", "# 中华人民共和国甲法\n<!-- INFO END -->\n## 第一章 总则\n第一条 新版本规定工资按周支付。\n第二条 用人单位不得克扣工资。\n");
    write(
        root,
        "社会法/甲法(2024-01-01).md",
        "# 中华人民共和国甲法\n<!-- INFO END -->\n第一条 已废止的版本。\n",
    );
    write(root, "案例/某案.md", "# 某案\n<!-- INFO END -->\n案情。\n");
    let db = rusqlite::Connection::open(root.join("db.sqlite3")).unwrap();
    db.execute_batch(
        "CREATE TABLE law (name TEXT, publish DATE, expired INTEGER);
         INSERT INTO law VALUES ('甲法', '2024-01-01', 1), ('甲法', '2022-01-01', 0);",
    )
    .unwrap();
    drop(db);

    let corpus = Corpus::load_dir(root).unwrap();
    assert_eq!(corpus.report.files_read, 4);
    assert_eq!(corpus.report.expired.len(), 1);
    assert_eq!(corpus.report.superseded.len(), 1);
    assert_eq!(corpus.report.without_articles.len(), 1);

    let data_dir = tempfile::tempdir().unwrap();
    let path = LawIndex::path_in(data_dir.path());
    let source = IndexSource::Imported {
        dir: root.display().to_string(),
    };
    let stats = LawIndex::build(&path, &corpus, &source).unwrap();
    assert_eq!((stats.instruments, stats.articles), (1, 2));

    // A later start keeps the imported index instead of rebuilding the curated one.
    let index = LawIndex::ensure(data_dir.path()).unwrap();
    assert_eq!(index.source().unwrap(), source);
    let hits = index.search("工资", 5).unwrap();
    assert_eq!(hits.len(), 2);
    assert!(hits.iter().all(|h| h.law == "甲法"));
    let first = index.find_article("甲法", 1, 0).unwrap().unwrap();
    assert!(first.text.contains("按周"));
    assert_eq!(first.version.as_deref(), Some("2022-01-01"));
}

#[test]
fn refuses_a_directory_without_statutes() {
    let empty = tempfile::tempdir().unwrap();
    write(empty.path(), "readme.md", "no header");
    assert!(Corpus::load_dir(empty.path()).is_err());
    assert!(Corpus::load_dir(&empty.path().join("missing")).is_err());
}

#[test]
fn a_stale_or_foreign_index_file_is_rebuilt() {
    let data_dir = tempfile::tempdir().unwrap();
    let path = LawIndex::path_in(data_dir.path());
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(&path, b"not a database").unwrap();
    let index = LawIndex::ensure(data_dir.path()).unwrap();
    assert!(matches!(
        index.source().unwrap(),
        IndexSource::Curated { .. }
    ));
    assert_eq!(index.counts().unwrap().1, Corpus::curated().article_count());
}

#[test]
fn processes_starting_together_build_the_index_once_and_all_use_it() {
    let dir = tempfile::tempdir().unwrap();
    let results: Vec<usize> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..4)
            .map(|_| {
                scope.spawn(|| {
                    let index = LawIndex::ensure(dir.path()).expect("index ready");
                    index.search("离婚", 5).expect("search works").len()
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert!(results.iter().all(|&n| n > 0), "{results:?}");
}
