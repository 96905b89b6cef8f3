//! A seeded generator of planner-shaped problems, for benchmarks and property tests.
//!
//! Shape: 5 years (2026–2030); 24 purchase segments (supplies, services, works; four AGEC
//! categories; two food segments); 6 prescribing services; a catalogue of 40 levers of 8 kinds
//! (environmental clause, award criterion, specification; social clause with insertion hours,
//! social criterion, reserved contract; circular-economy share; food-quality share), each
//! applicable to a seeded subset of segments (≈ 8–10 per line), with effort
//! `base + per €1M × amount`; log-normal amounts (median €60k, long tail, capped at €50M);
//! 16 overlapping targets × 5 years (PNAD social and environmental counts, reserved, works
//! social value, environmental award criterion, innovation, AGEC reuse × 3 and recycled × 3
//! categories, EGalim quality and organic, one service's social count, environmental value);
//! 10 % of lines already carrying an environmental clause; from 22 August 2026 the
//! environmental clause and criterion obligations on every line and the social clause on lines
//! at or above €216,000; a binding yearly insertion capacity (35 % of the hours the programme
//! could absorb beyond what the obligations need); at most 4 levers per line.

use std::collections::BTreeMap;

use crate::indicators::Basis;

use super::problem::{PlanningProblem, ProblemClass, ProblemOption};

/// SplitMix64: small, fast, reproducible.
pub(crate) struct Rng(u64);

impl Rng {
    pub(crate) fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x9E37_79B9_7F4A_7C15)
    }
    pub(crate) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in [0, 1).
    pub(crate) fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
    pub(crate) fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }
    /// Standard normal (Box–Muller).
    pub(crate) fn normal(&mut self) -> f64 {
        let u = self.unit().max(1e-300);
        let v = self.unit();
        (-2.0 * u.ln()).sqrt() * (2.0 * std::f64::consts::PI * v).cos()
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    EnvClause,
    EnvCriterion,
    EnvSpec,
    SocialClause,
    SocialCriterion,
    Reserved,
    Circular,
    Food,
}

const KINDS: [Kind; 8] = [
    Kind::EnvClause,
    Kind::EnvCriterion,
    Kind::EnvSpec,
    Kind::SocialClause,
    Kind::SocialCriterion,
    Kind::Reserved,
    Kind::Circular,
    Kind::Food,
];

#[derive(Clone, Copy, PartialEq, Eq)]
enum Seg {
    Supplies,
    Services,
    Works,
    Agec(u8),
    Food,
}

fn segment(s: usize) -> Seg {
    match s {
        0..=5 => Seg::Supplies,
        6..=13 => Seg::Services,
        14..=17 => Seg::Works,
        18..=21 => Seg::Agec((s - 18) as u8),
        _ => Seg::Food,
    }
}

/// Year, segment, service 0, after 22 August 2026, above the EU threshold, existing clause.
type ClassKey = (usize, usize, bool, bool, bool, bool);

const SEGMENTS: usize = 24;
const LEVERS: usize = 40;
const EU_THRESHOLD: f64 = 216_000.0;

/// Requirement kinds of the 16 synthetic targets.
#[derive(Clone, Copy, PartialEq, Eq)]
enum T {
    SocialCount,
    EnvCount,
    ReservedCount,
    WorksSocialValue,
    EnvCriterionCount,
    InnovationCount,
    Reuse(u8),
    Recycled(u8),
    FoodQuality,
    Organic,
    ServiceSocialCount,
    EnvValue,
}

const TARGETS: [(T, Basis, f64, f64); 16] = [
    (T::SocialCount, Basis::Count, 0.22, 0.34),
    (T::EnvCount, Basis::Count, 0.50, 0.95),
    (T::ReservedCount, Basis::Count, 0.03, 0.08),
    (T::WorksSocialValue, Basis::Value, 0.30, 0.50),
    (T::EnvCriterionCount, Basis::Count, 0.30, 0.70),
    (T::InnovationCount, Basis::Count, 0.02, 0.05),
    (T::Reuse(0), Basis::Value, 0.20, 0.25),
    (T::Reuse(1), Basis::Value, 0.20, 0.30),
    (T::Reuse(2), Basis::Value, 0.08, 0.15),
    (T::Recycled(0), Basis::Value, 0.15, 0.25),
    (T::Recycled(2), Basis::Value, 0.20, 0.30),
    (T::Recycled(3), Basis::Value, 0.15, 0.25),
    (T::FoodQuality, Basis::Value, 0.50, 0.60),
    (T::Organic, Basis::Value, 0.20, 0.25),
    (T::ServiceSocialCount, Basis::Count, 0.40, 0.50),
    (T::EnvValue, Basis::Value, 0.50, 0.80),
];

struct Lever {
    kind: Kind,
    innovative: bool,
    reuse: bool,
    organic: bool,
    coverage: f64,
    effort_base: f64,
    effort_per_meur: f64,
    hours_per_meur: f64,
    segments: u32,
}

fn levers(rng: &mut Rng) -> Vec<Lever> {
    (0..LEVERS)
        .map(|k| {
            let kind = KINDS[k % 8];
            let mut segments = 0u32;
            for s in 0..SEGMENTS {
                let fits = match (kind, segment(s)) {
                    (Kind::Circular, Seg::Agec(_)) => true,
                    (Kind::Circular, _) => false,
                    (Kind::Food, Seg::Food) => true,
                    (Kind::Food, _) => false,
                    (Kind::Reserved, Seg::Works) => false,
                    _ => rng.below(4) == 0,
                };
                if fits {
                    segments |= 1 << s;
                }
            }
            let hours_per_meur = if kind == Kind::SocialClause {
                // €1M × labour share 30–60 % × insertion rate 5–10 % ÷ €30 per hour (FACTS §9)
                1e6 * (0.3 + 0.3 * rng.unit()) * (0.05 + 0.05 * rng.unit()) / 30.0
            } else {
                0.0
            };
            Lever {
                kind,
                innovative: k % 13 == 2,
                reuse: (k / 8) % 2 == 0,
                organic: k % 3 == 0,
                coverage: match kind {
                    Kind::Circular => 0.1 + 0.3 * rng.unit(),
                    Kind::Food => 0.3 + 0.4 * rng.unit(),
                    _ => 1.0,
                },
                effort_base: 0.5 + 4.0 * rng.unit(),
                effort_per_meur: 0.2 + 2.0 * rng.unit(),
                hours_per_meur,
                segments,
            }
        })
        .collect()
}

/// Whether target kind `t` scopes a line of segment `seg` and service `service`.
fn in_scope(t: T, seg: Seg, service: usize) -> bool {
    match t {
        T::WorksSocialValue => seg == Seg::Works,
        T::Reuse(c) | T::Recycled(c) => seg == Seg::Agec(c),
        T::FoodQuality | T::Organic => seg == Seg::Food,
        T::ServiceSocialCount => service == 0,
        _ => true,
    }
}

/// The coverage lever `lv` gives to target kind `t` (0 when it does not count).
fn counts(lv: &Lever, t: T) -> f64 {
    let social = matches!(
        lv.kind,
        Kind::SocialClause | Kind::SocialCriterion | Kind::Reserved
    );
    let env = matches!(
        lv.kind,
        Kind::EnvClause | Kind::EnvCriterion | Kind::EnvSpec | Kind::Circular | Kind::Food
    );
    match t {
        T::SocialCount | T::WorksSocialValue | T::ServiceSocialCount if social => 1.0,
        T::EnvCount if env => 1.0,
        T::EnvValue if env => lv.coverage,
        T::ReservedCount if lv.kind == Kind::Reserved => 1.0,
        T::EnvCriterionCount if lv.kind == Kind::EnvCriterion => 1.0,
        T::InnovationCount if lv.innovative => 1.0,
        T::Reuse(_) if lv.kind == Kind::Circular && lv.reuse => lv.coverage,
        T::Recycled(_) if lv.kind == Kind::Circular && !lv.reuse => lv.coverage,
        T::FoodQuality if lv.kind == Kind::Food => lv.coverage,
        T::Organic if lv.kind == Kind::Food && lv.organic => lv.coverage,
        _ => 0.0,
    }
}

impl PlanningProblem {
    /// A seeded synthetic problem of `lines` lines (see the module documentation of the shape:
    /// 5 years, 40 levers, 16 targets, binding insertion capacity, obligations from August
    /// 2026, at most 4 levers per line). The same `(lines, seed)` gives the same problem.
    ///
    /// ```
    /// let p = spaser::PlanningProblem::synthetic(1000, 7);
    /// assert_eq!(p.line_count(), 1000);
    /// assert_eq!(p.requirement_count(), 16 * 5);
    /// ```
    pub fn synthetic(lines: usize, seed: u64) -> PlanningProblem {
        let mut rng = Rng::new(seed);
        let years: Vec<i32> = (2026..=2030).collect();
        let mut p = PlanningProblem::new(&years);
        let catalogue = levers(&mut rng);
        // rows[t][y]
        let mut rows = vec![vec![0usize; years.len()]; TARGETS.len()];
        for (ti, &(_, basis, from, to)) in TARGETS.iter().enumerate() {
            for (yi, &y) in years.iter().enumerate() {
                let goal = from + (to - from) * yi as f64 / (years.len() - 1) as f64;
                // rounded to the point, as a buyer would write it
                let goal = (goal * 100.0).round() / 100.0;
                rows[ti][yi] = p
                    .add_requirement(&format!("t{ti:02}"), y, basis, goal)
                    .unwrap_or(0);
            }
        }
        // class key: year, segment, service 0 or not, period (0 before 22 Aug 2026, 1 after),
        // above the EU threshold, existing environmental clause
        let mut classes: BTreeMap<ClassKey, (usize, f64)> = BTreeMap::new();
        let mut potential = vec![0.0; years.len()];
        let mut obliged = vec![0.0; years.len()];
        for _ in 0..lines {
            let yi = rng.below(years.len());
            let s = rng.below(SEGMENTS);
            let service = rng.below(6);
            let after = yi > 0 || rng.unit() < 0.36; // 22 Aug → 31 Dec ≈ 36 % of 2026
            let amount = (60_000.0 * (1.3 * rng.normal()).exp()).clamp(1_000.0, 50_000_000.0);
            let amount = (amount * 100.0).round() / 100.0;
            let above = after && amount >= EU_THRESHOLD;
            let existing = rng.unit() < 0.10;
            let key = (yi, s, service == 0, after, above, existing);
            let (class, obliged_per_meur) = match classes.get(&key) {
                Some(&c) => c,
                None => {
                    let seg = segment(s);
                    let mut class = ProblemClass {
                        year: years[yi],
                        max_levers: Some(4),
                        ..ProblemClass::default()
                    };
                    let mut env_clauses = Vec::new();
                    let mut env_criteria = Vec::new();
                    let mut social_clauses = Vec::new();
                    let scoped: Vec<(usize, T)> = TARGETS
                        .iter()
                        .enumerate()
                        .filter(|(_, t)| in_scope(t.0, seg, if service == 0 { 0 } else { 1 }))
                        .map(|(ti, t)| (ti, t.0))
                        .collect();
                    for &(ti, t) in &scoped {
                        let base = if existing && matches!(t, T::EnvCount | T::EnvValue) {
                            1.0
                        } else {
                            0.0
                        };
                        class.rows.push((rows[ti][yi], base));
                    }
                    for (k, lv) in catalogue.iter().enumerate() {
                        if lv.segments & (1 << s) == 0 {
                            continue;
                        }
                        let covers: Vec<(usize, f64)> = scoped
                            .iter()
                            .filter_map(|&(ti, t)| {
                                let c = counts(lv, t);
                                (c > 0.0).then_some((rows[ti][yi], c))
                            })
                            .collect();
                        let o = class.options.len();
                        match lv.kind {
                            Kind::EnvClause => env_clauses.push(o),
                            Kind::EnvCriterion => env_criteria.push(o),
                            Kind::SocialClause => social_clauses.push(o),
                            _ => {}
                        }
                        class.options.push(ProblemOption {
                            lever: k,
                            effort_base: lv.effort_base,
                            effort_per_meur: lv.effort_per_meur,
                            hours_per_meur: if matches!(seg, Seg::Works | Seg::Services) {
                                lv.hours_per_meur
                            } else {
                                lv.hours_per_meur * 0.3
                            },
                            covers,
                        });
                    }
                    // hours the obligations need at least (the least-hours social clause)
                    let mut need = 0.0;
                    if after {
                        // L2112-2 (environmental clause), L2152-7 (environmental criterion)
                        for group in [env_clauses, env_criteria] {
                            if !group.is_empty() {
                                class.obligations.push(group);
                            }
                        }
                        // L2112-2-1: social clause at or above the EU threshold
                        if above && !social_clauses.is_empty() {
                            need = social_clauses
                                .iter()
                                .map(|&o| class.options[o].hours_per_meur)
                                .fold(f64::INFINITY, f64::min);
                            class.obligations.push(social_clauses);
                        }
                    }
                    let c = p.add_class(class).unwrap_or(0);
                    classes.insert(key, (c, need));
                    (c, need)
                }
            };
            obliged[yi] += obliged_per_meur * amount / 1e6;
            let max_h = p.classes[class]
                .options
                .iter()
                .map(|o| o.hours_per_meur)
                .fold(0.0, f64::max);
            potential[yi] += max_h * amount / 1e6;
            let _ = p.add_line(class, amount);
        }
        for (yi, &y) in years.iter().enumerate() {
            let _ = p.set_capacity(
                y,
                (obliged[yi] + 0.35 * (potential[yi] - obliged[yi])).ceil(),
            );
        }
        p
    }
}
