//! Where the case is and who is there, as the scene shows it: the place carries over from node
//! to node until a node names another; the people present are the node's `present` when it says,
//! otherwise the speakers of its lines plus whoever was there before, if the place stayed.

use serde::{Deserialize, Serialize};

use crate::scenario::Scenario;
use crate::scenario::model::NodeIdx;

/// The place and the people present at a moment of a run.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stage {
    /// Index in the scenario's places; `None` until a node names one.
    pub place: Option<u32>,
    /// Character indices, in the order they came in.
    pub present: Vec<u32>,
}

impl Stage {
    /// The stage once `node` is entered.
    pub fn enter(&mut self, sc: &Scenario, node: NodeIdx) {
        let Some(n) = sc.nodes.get(node as usize) else {
            return;
        };
        let place = n.place.or(self.place);
        let present = match &n.present {
            Some(p) => p.clone(),
            None => {
                let mut out = if place == self.place {
                    std::mem::take(&mut self.present)
                } else {
                    Vec::new()
                };
                for s in n.lines.iter().filter_map(|l| l.speaker) {
                    if !out.contains(&s) {
                        out.push(s);
                    }
                }
                out
            }
        };
        self.place = place;
        self.present = present;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::load::{builtin_goals, load_str};

    const SRC: &str = r#"(
        id: "stage", version: "1", title: "T", language: "nl", kind: Safety, summary: "S",
        study_minutes: 1, goals: {"signal": 1.0}, pass: (overall: 0.5),
        characters: [
            (id: "x", name: "X", role: "r"), (id: "y", name: "Y", role: "r"),
            (id: "z", name: "Z", role: "r"),
        ],
        places: [
            (id: "p1", name: "P1", backdrop: Kitchen), (id: "p2", name: "P2", backdrop: Office),
        ],
        start: "a",
        nodes: [
            (id: "a", place: "p1", lines: [(speaker: "x", text: "1")], goto: "b"),
            (id: "b", lines: [(speaker: "y", text: "2"), (speaker: "x", text: "3")], goto: "c"),
            (id: "c", place: "p2", lines: [(speaker: "z", text: "4")], goto: "d"),
            (id: "d", present: [], lines: [(text: "5")], goto: "e"),
            (id: "e", place: "p2", lines: [(speaker: "x", text: "6")], goto: "f"),
            (id: "f", place: "p1", present: ["y", "z"], choices: [
                (id: "c_a", text: "A", points: {"signal": 1}, rationale: "r", source: "s", next: "g"),
            ]),
            (id: "g", ending: (outcome: Safe, title: "E", debrief: "D")),
        ],
    )"#;

    #[test]
    fn the_place_carries_over_and_people_stay_while_it_does() {
        let loaded = load_str(
            std::path::Path::new("stage.ron"),
            SRC.into(),
            &builtin_goals(),
        );
        let sc = loaded.scenario.expect("the scenario checks clean");
        let mut st = Stage::default();
        let mut seen = Vec::new();
        for n in 0..6 {
            st.enter(&sc, n);
            seen.push((st.place, st.present.clone()));
        }
        assert_eq!(
            seen,
            vec![
                (Some(0), vec![0]),    // a: the speaker, at p1
                (Some(0), vec![0, 1]), // b: same place, X stays, Y comes in
                (Some(1), vec![2]),    // c: another place: only its speaker
                (Some(1), vec![]),     // d: nobody, as the node says
                (Some(1), vec![0]),    // e: the same place named again: X speaks
                (Some(0), vec![1, 2]), // f: exactly the people listed
            ]
        );
    }
}
