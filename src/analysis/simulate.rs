//! Monte Carlo playthroughs: how trainees who choose in a given way fare in a scenario.
//!
//! Runs use the same rules of motion ([`State`]) and the same portable draws as a
//! [`crate::play::Session`], without the bookkeeping a trainee's session needs, so millions of
//! steps take seconds. Run `i` of a simulation with seed `s` is fully determined by `(s, i)`.

use std::collections::BTreeMap;
use std::str::FromStr;

use rand_chacha::ChaCha8Rng;
use serde::Serialize;

use crate::play::rng::{below, draw, rng_for, splitmix};
use crate::play::state::{Settled, State};
use crate::scenario::def::Outcome;
use crate::scenario::model::{ChoiceIdx, NodeKind, Scenario};
use crate::score::{expert_choice, numbers, weighted_points};

/// How simulated trainees choose among the available choices.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Policy {
    /// Uniformly at random.
    Random,
    /// The expert's choice (see [`expert_choice`]).
    Expert,
    /// The choice with the fewest weighted points.
    Worst,
    /// The expert's choice with probability `p`, else at random.
    Mixed(f64),
}

impl FromStr for Policy {
    type Err = String;
    fn from_str(s: &str) -> Result<Policy, String> {
        match s {
            "random" => Ok(Policy::Random),
            "expert" => Ok(Policy::Expert),
            "worst" => Ok(Policy::Worst),
            _ => {
                let p = s
                    .strip_prefix("mixed:")
                    .and_then(|p| p.parse::<f64>().ok())
                    .filter(|p| (0.0..=1.0).contains(p))
                    .ok_or_else(|| format!("unknown policy `{s}`: use random, expert, worst or mixed:P with P between 0 and 1"))?;
                Ok(Policy::Mixed(p))
            }
        }
    }
}

/// Number of histogram bins over 0..=1.
pub const BINS: usize = 10;

/// Distribution of one score over the runs.
#[derive(Debug, Clone, Serialize)]
pub struct Distribution {
    pub id: String,
    pub mean: f64,
    pub min: f64,
    pub max: f64,
    /// Runs per tenth: bin `k` holds scores in `[k/10, (k+1)/10)`, the last also 1.0.
    pub histogram: [u64; BINS],
}

impl Distribution {
    fn new(id: &str) -> Self {
        Distribution {
            id: id.to_string(),
            mean: 0.0,
            min: f64::INFINITY,
            max: f64::NEG_INFINITY,
            histogram: [0; BINS],
        }
    }
    fn add(&mut self, v: f64) {
        self.mean += v;
        self.min = self.min.min(v);
        self.max = self.max.max(v);
        self.histogram[((v * BINS as f64) as usize).min(BINS - 1)] += 1;
    }
}

/// How much one choice moves the overall score.
#[derive(Debug, Clone, Serialize)]
pub struct Impact {
    pub choice: String,
    pub node: String,
    /// How often it was taken.
    pub taken: u64,
    /// Mean overall score of runs that took it, and of runs that chose otherwise at that node.
    pub mean_with: f64,
    pub mean_without: f64,
    pub delta: f64,
}

/// How the runs that reached one ending fared.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EndingRuns {
    pub outcome: Outcome,
    pub runs: u64,
    pub passed: u64,
}

/// The outcome of a simulation.
#[derive(Debug, Clone, Serialize)]
pub struct Simulation {
    pub scenario: String,
    pub policy: Policy,
    pub seed: u64,
    pub runs: u64,
    /// Decisions and draws made in all runs.
    pub steps: u64,
    pub passed: u64,
    pub pass_rate: f64,
    /// Per ending id: its outcome, the runs that reached it and how many of them passed.
    pub endings: BTreeMap<String, EndingRuns>,
    pub overall: Distribution,
    pub goals: Vec<Distribution>,
    /// The choices that move the overall score most, largest effect first.
    pub impacts: Vec<Impact>,
    /// Runs that stopped because no choice was open and no time limit applied.
    pub stuck: u64,
}

fn pick(
    sc: &Scenario,
    st: &State,
    avail: &[ChoiceIdx],
    policy: Policy,
    rng: &mut ChaCha8Rng,
) -> ChoiceIdx {
    let random = |rng: &mut ChaCha8Rng| avail[below(rng, avail.len() as u64) as usize];
    match policy {
        Policy::Random => random(rng),
        Policy::Expert => expert_choice(sc, st, st.node).unwrap_or(avail[0]),
        Policy::Worst => {
            let mut best = avail[0];
            for &c in &avail[1..] {
                if weighted_points(sc, c) < weighted_points(sc, best) {
                    best = c;
                }
            }
            best
        }
        Policy::Mixed(p) => {
            let u = below(rng, 1 << 53) as f64 / (1u64 << 53) as f64;
            if u < p {
                expert_choice(sc, st, st.node).unwrap_or(avail[0])
            } else {
                random(rng)
            }
        }
    }
}

/// Plays `runs` runs with `policy`; `progress` is told the number of runs done now and then.
pub fn simulate(
    sc: &Scenario,
    policy: Policy,
    runs: u64,
    seed: u64,
    mut progress: impl FnMut(u64),
) -> Simulation {
    let mut sim = Simulation {
        scenario: sc.id.clone(),
        policy,
        seed,
        runs,
        steps: 0,
        passed: 0,
        pass_rate: 0.0,
        endings: BTreeMap::new(),
        overall: Distribution::new("overall"),
        goals: sc.goals.iter().map(|g| Distribution::new(&g.id)).collect(),
        impacts: Vec::new(),
        stuck: 0,
    };
    // Per node: (runs ending there, of which passed).
    let mut ending_runs = vec![(0u64, 0u64); sc.nodes.len()];
    // Per choice: (times taken, sum of final overall); per node: (decisions made, sum).
    let mut by_choice = vec![(0u64, 0f64); sc.choices.len()];
    let mut by_node = vec![(0u64, 0f64); sc.nodes.len()];
    let initial = State::initial(sc);
    let mut taken: Vec<ChoiceIdx> = Vec::new();
    let mut avail: Vec<ChoiceIdx> = Vec::new();
    let mut points = vec![0i64; sc.goals.len()];
    for i in 0..runs {
        let mut x = seed ^ i.wrapping_mul(0xD1B5_4A32_D192_ED03);
        let mut world = rng_for(splitmix(&mut x));
        let mut chooser = rng_for(splitmix(&mut x));
        let mut st = initial.clone();
        points.iter_mut().for_each(|p| *p = 0);
        taken.clear();
        let mut settled = st.enter(sc, sc.start, &mut |_| {});
        loop {
            match settled {
                Ok(Settled::Ending) => break,
                Ok(Settled::Draw) => {
                    let NodeKind::Random(b) = &sc.nodes[st.node as usize].kind else {
                        break;
                    };
                    let next = b[draw(&mut world, b)].next;
                    sim.steps += 1;
                    settled = st.enter(sc, next, &mut |_| {});
                }
                Ok(Settled::Decision) => {
                    let NodeKind::Decision {
                        choices,
                        time_limit,
                    } = &sc.nodes[st.node as usize].kind
                    else {
                        break;
                    };
                    avail.clear();
                    avail.extend(choices.iter().copied().filter(|&c| st.available(sc, c)));
                    let c = if avail.is_empty() {
                        match time_limit {
                            Some(t) => t.on_timeout,
                            None => break,
                        }
                    } else {
                        pick(sc, &st, &avail, policy, &mut chooser)
                    };
                    for (p, v) in points.iter_mut().zip(&sc.choices[c as usize].points) {
                        *p += v;
                    }
                    taken.push(c);
                    sim.steps += 1;
                    settled = st.take(sc, c, &mut |_| {});
                }
                Err(_) => break,
            }
        }
        if !matches!(settled, Ok(Settled::Ending)) {
            sim.stuck += 1;
            continue;
        }
        let n = numbers(sc, &st, &points);
        ending_runs[st.node as usize].0 += 1;
        ending_runs[st.node as usize].1 += u64::from(n.passed);
        sim.passed += u64::from(n.passed);
        sim.overall.add(n.overall);
        for (d, &s) in sim.goals.iter_mut().zip(&n.scaled) {
            d.add(s);
        }
        for &c in &taken {
            let ch = &sc.choices[c as usize];
            by_choice[c as usize].0 += 1;
            by_choice[c as usize].1 += n.overall;
            by_node[ch.node as usize].0 += 1;
            by_node[ch.node as usize].1 += n.overall;
        }
        if i % 1024 == 1023 {
            progress(i + 1);
        }
    }
    progress(runs);
    let finished = (runs - sim.stuck).max(1) as f64;
    sim.pass_rate = sim.passed as f64 / runs.max(1) as f64;
    for d in std::iter::once(&mut sim.overall).chain(sim.goals.iter_mut()) {
        d.mean /= finished;
        if d.min > d.max {
            (d.min, d.max) = (0.0, 0.0);
        }
    }
    sim.endings = sc
        .endings()
        .filter_map(|e| {
            let NodeKind::Ending(end) = &sc.nodes[e as usize].kind else {
                return None;
            };
            let (runs, passed) = ending_runs[e as usize];
            let stats = EndingRuns {
                outcome: end.outcome,
                runs,
                passed,
            };
            Some((sc.nodes[e as usize].id.clone(), stats))
        })
        .collect();
    let mut impacts: Vec<Impact> = sc
        .choices
        .iter()
        .enumerate()
        .filter_map(|(c, ch)| {
            let (k, sum) = by_choice[c];
            let (nk, nsum) = by_node[ch.node as usize];
            (k > 0 && nk > k).then(|| {
                let (with, without) = (sum / k as f64, (nsum - sum) / (nk - k) as f64);
                Impact {
                    choice: ch.id.clone(),
                    node: sc.nodes[ch.node as usize].id.clone(),
                    taken: k,
                    mean_with: with,
                    mean_without: without,
                    delta: with - without,
                }
            })
        })
        .collect();
    impacts.sort_by(|a, b| {
        b.delta
            .abs()
            .total_cmp(&a.delta.abs())
            .then_with(|| a.choice.cmp(&b.choice))
    });
    impacts.truncate(10);
    sim.impacts = impacts;
    sim
}
