//! Validation of question trees: every path ends in an outcome, every node is reachable,
//! every cited article exists in the corpus and every text is there in both languages.

use super::{Citation, GuideTree, Node};

use crate::domain::Bilingual;
use crate::laws::Corpus;
use std::collections::{HashMap, HashSet};

/// Problems found in `tree`, each as a sentence naming the node; empty when it is sound.
pub fn check(tree: &GuideTree, corpus: &Corpus) -> Vec<String> {
    let mut problems = Vec::new();
    let mut by_id: HashMap<&str, &Node> = HashMap::new();
    for node in &tree.nodes {
        if by_id.insert(node.id.as_str(), node).is_some() {
            problems.push(format!("node {:?} is defined twice", node.id));
        }
    }
    check_text(&mut problems, "title", &tree.title);
    if !by_id.contains_key(tree.start.as_str()) {
        problems.push(format!("start node {:?} does not exist", tree.start));
    }
    for node in &tree.nodes {
        check_node(&mut problems, node, &by_id, corpus);
    }
    let reachable = reachable(tree, &by_id);
    for node in &tree.nodes {
        if !reachable.contains(node.id.as_str()) {
            problems.push(format!(
                "node {:?} cannot be reached from the start",
                node.id
            ));
        }
    }
    if let Some(node) = find_cycle(tree, &by_id) {
        problems.push(format!(
            "node {node:?} is on a cycle: the walk could go on for ever"
        ));
    }
    problems
        .into_iter()
        .map(|p| format!("{}: {p}", tree.id))
        .collect()
}

fn check_node(
    problems: &mut Vec<String>,
    node: &Node,
    by_id: &HashMap<&str, &Node>,
    corpus: &Corpus,
) {
    let id = &node.id;
    match (&node.question, &node.guidance) {
        (Some(question), None) => {
            check_text(problems, &format!("{id} question"), question);
            if node.answers.is_empty() {
                problems.push(format!("question {id:?} has no answers: a dead end"));
            }
            if !node.cite.is_empty() || !node.deadlines.is_empty() || !node.next_steps.is_empty() {
                problems.push(format!("question {id:?} carries outcome fields"));
            }
            for (i, answer) in node.answers.iter().enumerate() {
                check_text(problems, &format!("{id} answer {i}"), &answer.text);
                if !by_id.contains_key(answer.next.as_str()) {
                    problems.push(format!(
                        "{id} answer {i} leads to missing node {:?}",
                        answer.next
                    ));
                }
            }
        }
        (None, Some(guidance)) => {
            check_text(problems, &format!("{id} guidance"), guidance);
            if !node.answers.is_empty() {
                problems.push(format!("outcome {id:?} has answers"));
            }
            if node.cite.is_empty() {
                problems.push(format!("outcome {id:?} cites no article"));
            }
            if node.next_steps.is_empty() {
                problems.push(format!("outcome {id:?} names no next step"));
            }
            for citation in &node.cite {
                check_citation(problems, id, citation, corpus);
            }
            for deadline in &node.deadlines {
                check_text(problems, &format!("{id} deadline"), &deadline.text);
                check_citation(problems, id, &deadline.cite, corpus);
            }
        }
        _ => problems.push(format!(
            "node {id:?} must have either a question or guidance"
        )),
    }
}

fn check_text(problems: &mut Vec<String>, what: &str, text: &Bilingual) {
    if text.zh.trim().is_empty() {
        problems.push(format!("{what}: Chinese text missing"));
    }
    if text.en.trim().is_empty() {
        problems.push(format!("{what}: English text missing"));
    }
}

fn check_citation(problems: &mut Vec<String>, node: &str, citation: &Citation, corpus: &Corpus) {
    let found = corpus
        .instrument(&citation.law)
        .and_then(|i| i.article(citation.article, 0));
    if found.is_none() {
        problems.push(format!(
            "{node} cites {} art. {}, which is not in the corpus",
            citation.law, citation.article
        ));
    }
}

fn reachable<'t>(tree: &'t GuideTree, by_id: &HashMap<&str, &'t Node>) -> HashSet<&'t str> {
    let mut seen = HashSet::new();
    let mut stack = vec![tree.start.as_str()];
    while let Some(id) = stack.pop() {
        if let Some(node) = by_id.get(id) {
            if seen.insert(node.id.as_str()) {
                stack.extend(node.answers.iter().map(|a| a.next.as_str()));
            }
        }
    }
    seen
}

/// A node on a cycle, if there is one (depth-first search with colours).
fn find_cycle<'t>(tree: &'t GuideTree, by_id: &HashMap<&str, &'t Node>) -> Option<&'t str> {
    #[derive(Clone, Copy, PartialEq)]
    enum Colour {
        Open,
        Done,
    }
    fn visit<'t>(
        node: &'t Node,
        by_id: &HashMap<&str, &'t Node>,
        colours: &mut HashMap<&'t str, Colour>,
    ) -> Option<&'t str> {
        match colours.get(node.id.as_str()) {
            Some(Colour::Open) => return Some(node.id.as_str()),
            Some(Colour::Done) => return None,
            None => {}
        }
        colours.insert(node.id.as_str(), Colour::Open);
        for answer in &node.answers {
            if let Some(next) = by_id.get(answer.next.as_str()) {
                if let Some(found) = visit(next, by_id, colours) {
                    return Some(found);
                }
            }
        }
        colours.insert(node.id.as_str(), Colour::Done);
        None
    }
    let mut colours = HashMap::new();
    tree.nodes
        .iter()
        .find_map(|n| visit(n, by_id, &mut colours))
}

#[cfg(test)]
mod tests {
    use super::super::GuideTree;
    use super::*;

    #[test]
    fn shipped_trees_are_sound() {
        let corpus = Corpus::curated();
        let trees = GuideTree::builtin().unwrap();
        assert_eq!(trees.len(), 8);
        let problems: Vec<String> = trees.iter().flat_map(|t| check(t, &corpus)).collect();
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }

    #[test]
    fn finds_every_kind_of_defect() {
        let broken = r#"
id = "broken"
title = { zh = "坏", en = "" }
start = "q1"
[[node]]
id = "q1"
question = { zh = "问？", en = "Q?" }
answers = [{ text = { zh = "是", en = "Yes" }, next = "loop" }, { text = { zh = "否", en = "No" }, next = "nowhere" }]
[[node]]
id = "loop"
question = { zh = "再问？", en = "Again?" }
answers = [{ text = { zh = "回", en = "Back" }, next = "q1" }]
[[node]]
id = "dead"
question = { zh = "死路", en = "Dead end" }
[[node]]
id = "bad_outcome"
guidance = { zh = "结论", en = "Outcome" }
cite = [{ law = "民法典", article = 9999 }, { law = "不存在法", article = 1 }]
"#;
        let tree = GuideTree::parse("broken.toml", broken).unwrap();
        let problems = check(&tree, &Corpus::curated()).join("\n");
        for expected in [
            "title: English text missing",
            "leads to missing node \"nowhere\"",
            "question \"dead\" has no answers",
            "\"dead\" cannot be reached",
            "\"bad_outcome\" cannot be reached",
            "民法典 art. 9999",
            "不存在法 art. 1",
            "outcome \"bad_outcome\" names no next step",
            "is on a cycle",
        ] {
            assert!(
                problems.contains(expected),
                "missing {expected:?} in:\n{problems}"
            );
        }
    }
}
