//! Walking a question tree: the current node, answering, going back. Pure: no I/O, no clock.

use super::{GuideTree, Node};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GuideError {
    #[error("{file}: {message}")]
    Parse { file: String, message: String },
    #[error("tree {tree}: node {node:?} does not exist")]
    MissingNode { tree: String, node: String },
    #[error("node {node:?} has no answer {answer}")]
    NoSuchAnswer { node: String, answer: usize },
    #[error("node {node:?} is an outcome; it takes no answers")]
    Finished { node: String },
}

/// A citizen's way through one tree.
#[derive(Debug, Clone)]
pub struct GuideWalk<'t> {
    tree: &'t GuideTree,
    /// Nodes visited, the current one last; never empty.
    path: Vec<&'t Node>,
}

impl<'t> GuideWalk<'t> {
    pub fn new(tree: &'t GuideTree) -> Result<GuideWalk<'t>, GuideError> {
        let start = tree
            .node(&tree.start)
            .ok_or_else(|| GuideError::MissingNode {
                tree: tree.id.clone(),
                node: tree.start.clone(),
            })?;
        Ok(GuideWalk {
            tree,
            path: vec![start],
        })
    }

    pub fn current(&self) -> &'t Node {
        self.path[self.path.len() - 1]
    }

    /// Chooses answer `index` of the current question and moves to the node it leads to.
    pub fn answer(&mut self, index: usize) -> Result<&'t Node, GuideError> {
        let node = self.current();
        if node.is_outcome() {
            return Err(GuideError::Finished {
                node: node.id.clone(),
            });
        }
        let answer = node
            .answers
            .get(index)
            .ok_or_else(|| GuideError::NoSuchAnswer {
                node: node.id.clone(),
                answer: index,
            })?;
        let next = self
            .tree
            .node(&answer.next)
            .ok_or_else(|| GuideError::MissingNode {
                tree: self.tree.id.clone(),
                node: answer.next.clone(),
            })?;
        self.path.push(next);
        Ok(next)
    }

    /// Goes back one question; false at the start.
    pub fn back(&mut self) -> bool {
        if self.path.len() > 1 {
            self.path.pop();
            true
        } else {
            false
        }
    }

    /// The outcome reached, if the walk is finished.
    pub fn outcome(&self) -> Option<&'t Node> {
        Some(self.current()).filter(|n| n.is_outcome())
    }

    /// Ids of the nodes visited, for a consultation request to show staff what was asked.
    pub fn path(&self) -> Vec<&'t str> {
        self.path.iter().map(|n| n.id.as_str()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::super::GuideTree;
    use super::*;

    const TREE: &str = r#"
id = "t"
title = { zh = "测试", en = "Test" }
start = "q1"
[[node]]
id = "q1"
question = { zh = "问？", en = "Q?" }
answers = [{ text = { zh = "是", en = "Yes" }, next = "end" }, { text = { zh = "否", en = "No" }, next = "ghost" }]
[[node]]
id = "end"
guidance = { zh = "结论", en = "Outcome" }
"#;

    #[test]
    fn walks_answers_and_back() {
        let tree = GuideTree::parse("t.toml", TREE).unwrap();
        let mut walk = GuideWalk::new(&tree).unwrap();
        assert_eq!(walk.current().id, "q1");
        assert!(walk.outcome().is_none());
        assert!(!walk.back());
        assert_eq!(walk.answer(0).unwrap().id, "end");
        assert_eq!(walk.outcome().unwrap().id, "end");
        assert_eq!(walk.path(), ["q1", "end"]);
        assert!(matches!(walk.answer(0), Err(GuideError::Finished { .. })));
        assert!(walk.back());
        assert_eq!(walk.current().id, "q1");
        assert!(matches!(
            walk.answer(5),
            Err(GuideError::NoSuchAnswer { answer: 5, .. })
        ));
        assert!(matches!(
            walk.answer(1),
            Err(GuideError::MissingNode { .. })
        ));
        assert_eq!(walk.current().id, "q1");
    }
}
