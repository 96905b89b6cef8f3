//! Export of a planning problem in CPLEX LP format, with readable names, and the reader of a
//! solver's solution file (HiGHS `.sol`) back into option masks.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write;

use crate::error::{Error, ErrorKind, Result};
use crate::indicators::Basis;

use super::compiled::compile;
use super::problem::{Objective, PlanningProblem};

/// What an exported LP minimises.
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub enum LpObjective {
    /// The weighted shortfall Σ priority × points (stage 2 of the lexicographic objective).
    Shortfall,
    /// The effort, with the weighted shortfall at most `max_shortfall` points (stage 3: give
    /// it the optimum of the [`LpObjective::Shortfall`] stage).
    Effort {
        /// The most weighted shortfall, points.
        max_shortfall: f64,
    },
    /// Effort + shortfall weight × weighted shortfall (the weighted objective).
    Weighted,
}

/// Writes `terms` (coefficient, variable) as a wrapped linear expression.
fn expr(out: &mut String, terms: &[(f64, String)]) {
    for (i, (c, v)) in terms.iter().enumerate() {
        if i > 0 && i % 8 == 0 {
            out.push_str("\n   ");
        }
        if *c < 0.0 {
            let _ = write!(out, " - {} {v}", -c);
        } else if i == 0 {
            let _ = write!(out, " {c} {v}");
        } else {
            let _ = write!(out, " + {c} {v}");
        }
    }
    if terms.is_empty() {
        out.push_str(" 0 x_none");
    }
}

/// A name for the LP format: ASCII letters, digits and `_` (anything else becomes `_`), at
/// most 60 characters.
fn sanitise(text: &str) -> String {
    let s: String = text
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .take(60)
        .collect();
    if s.is_empty() { "_".to_string() } else { s }
}

/// Unique sanitised names: a name already given gets `_2`, `_3`… appended.
#[derive(Default)]
struct Names {
    used: HashMap<String, usize>,
}

impl Names {
    fn unique(&mut self, base: String) -> String {
        let Some(&n) = self.used.get(&base) else {
            self.used.insert(base.clone(), 1);
            return base;
        };
        let mut n = n;
        loop {
            n += 1;
            let cand = format!("{base}_{n}");
            if !self.used.contains_key(&cand) {
                self.used.insert(base, n);
                self.used.insert(cand.clone(), 1);
                return cand;
            }
        }
    }
}

/// The LP names of a problem: per line its sanitised name, per option of each line its
/// variable, per requirement its short name.
pub(crate) struct LpNames {
    /// `x` variable of each option of each line.
    pub(crate) x: Vec<Vec<String>>,
    /// Sanitised name of each line.
    pub(crate) line: Vec<String>,
    /// Sanitised name of each requirement's target (its label).
    pub(crate) target: Vec<String>,
    /// Original names of the sanitised ones that differ (for the header).
    pub(crate) renamed: Vec<(String, String)>,
}

impl PlanningProblem {
    /// The names the LP export gives the problem's variables.
    pub(crate) fn lp_names(&self) -> LpNames {
        let mut names = Names::default();
        let mut renamed = Vec::new();
        let mut line = Vec::with_capacity(self.lines.len());
        for l in 0..self.lines.len() {
            let original = self
                .line_names
                .get(l)
                .and_then(|n| n.clone())
                .unwrap_or_else(|| l.to_string());
            let s = names.unique(sanitise(&original));
            if s != original {
                renamed.push((format!("line {s}"), original));
            }
            line.push(s);
        }
        let mut levers: BTreeMap<usize, String> = BTreeMap::new();
        let mut lever_names = Names::default();
        for class in &self.classes {
            for o in &class.options {
                levers.entry(o.lever).or_insert_with(|| {
                    let original = self
                        .lever_names
                        .get(&o.lever)
                        .cloned()
                        .unwrap_or_else(|| o.lever.to_string());
                    let s = lever_names.unique(sanitise(&original));
                    if s != original {
                        renamed.push((format!("lever {s}"), original));
                    }
                    s
                });
            }
        }
        let mut x_names = Names::default();
        let x = self
            .lines
            .iter()
            .enumerate()
            .map(|(l, ln)| {
                self.classes[ln.class as usize]
                    .options
                    .iter()
                    .map(|o| x_names.unique(format!("x_{}_{}", line[l], levers[&o.lever])))
                    .collect()
            })
            .collect();
        let mut target_names = Names::default();
        let mut by_label: HashMap<&str, String> = HashMap::new();
        let target = self
            .rows
            .iter()
            .map(|r| {
                by_label
                    .entry(r.label.as_str())
                    .or_insert_with(|| {
                        let s = target_names.unique(sanitise(&r.label));
                        if s != r.label {
                            renamed.push((format!("target {s}"), r.label.clone()));
                        }
                        s
                    })
                    .clone()
            })
            .collect();
        LpNames {
            x,
            line,
            target,
            renamed,
        }
    }

    /// The problem in CPLEX LP format, for its objective: under the lexicographic objective the
    /// weighted-shortfall stage ([`LpObjective::Shortfall`]; solve it, then
    /// [`PlanningProblem::to_lp_with`] the [`LpObjective::Effort`] stage at its optimum), under
    /// the weighted objective effort + weight × shortfall. Any MILP solver (HiGHS, CBC, Gurobi)
    /// reads it.
    ///
    /// Variables: binary `x_<line>_<lever>` (the lever on the line), continuous
    /// `v_<line>_<target>` (the line's coverage counted for the target, 0..1) and
    /// `s_<target>_<year>` (shortfall, points). Constraints: `req_<target>_<year>` (the
    /// target), `cov_<line>_<target>` (coverage from the levers), `ob_<line>_<obligation>`,
    /// `excl_<line>_<n>` (an exclusivity group), `pre_<line>_<lever>` (a prerequisite),
    /// `max_<line>`, `cap_<year>` and `cap<n>_<year>` (insertion capacities, raised to what the
    /// obligations force), `budget`. Names are the ids with anything but letters, digits and
    /// `_` replaced by `_`; a comment header maps the changed ones back.
    ///
    /// ```
    /// use spaser::{Basis, PlanningProblem, ProblemClass, ProblemOption};
    /// let mut p = PlanningProblem::new(&[2026]);
    /// let r = p.add_requirement("social", 2026, Basis::Count, 0.3)?;
    /// let option = ProblemOption { lever: 0, effort_base: 1.0, effort_per_meur: 0.5,
    ///     hours_per_meur: 0.0, covers: vec![(r, 1.0)] };
    /// let class = p.add_class(ProblemClass { year: 2026, rows: vec![(r, 0.0)],
    ///     options: vec![option], ..ProblemClass::default() })?;
    /// let l = p.add_line(class, 2_000_000.0)?;
    /// p.name_line(l, "L-1");
    /// p.name_lever(0, "ins-works");
    /// let lp = p.to_lp();
    /// assert!(lp.starts_with("\\ spaser planning problem"));
    /// assert!(lp.contains("x_L_1_ins_works"));
    /// assert!(lp.contains("req_social_2026:"));
    /// assert!(lp.contains("Binary"));
    /// # Ok::<(), spaser::Error>(())
    /// ```
    pub fn to_lp(&self) -> String {
        self.to_lp_with(match self.objective {
            Objective::Lexicographic => LpObjective::Shortfall,
            Objective::Weighted => LpObjective::Weighted,
        })
    }

    /// The problem in CPLEX LP format with the given objective (see [`PlanningProblem::to_lp`]).
    pub fn to_lp_with(&self, objective: LpObjective) -> String {
        let names = self.lp_names();
        let nr = self.rows.len();
        // denominators and base shares, as the solver computes them
        let mut den = vec![0.0; nr];
        let mut based = vec![0.0; nr];
        for line in &self.lines {
            let class = &self.classes[line.class as usize];
            for &(r, b) in &class.rows {
                let w = match self.rows[r].basis {
                    Basis::Count => 1.0,
                    Basis::Value => line.amount,
                };
                den[r] += w;
                based[r] += w * b;
            }
        }
        let g: Vec<f64> = (0..nr)
            .map(|r| {
                if den[r] > 0.0 {
                    self.rows[r].goal - based[r] / den[r]
                } else {
                    0.0
                }
            })
            .collect();
        // capacities raised to what the obligations force (law first)
        let ny = self.years.len();
        let mut caps: Vec<Option<f64>> = self
            .years
            .iter()
            .map(|y| self.capacity.get(y).copied())
            .chain(self.extra_caps.iter().map(|x| Some(x.hours)))
            .collect();
        let mut budget = self.budget;
        if let Ok(mut c) = compile(self) {
            self.law(&mut c);
            for (k, cap) in caps.iter_mut().enumerate() {
                if let (Some(x), Some(&raised)) = (cap.as_mut(), c.cap.get(k)) {
                    *x = raised;
                }
            }
            if let Some(b) = budget.as_mut() {
                *b = c.budget;
            }
        }
        let cap_name = |k: usize| -> String {
            match self.years.get(k) {
                Some(y) => format!("cap_{y}"),
                None => format!("cap{}_{}", k - ny, self.extra_caps[k - ny].year),
            }
        };
        let mut obj: Vec<(f64, String)> = Vec::new();
        let mut cons = String::new();
        let mut bounds = String::new();
        let mut binaries: Vec<String> = Vec::new();
        let mut req: Vec<Vec<(f64, String)>> = vec![Vec::new(); nr];
        let mut cap: Vec<Vec<(f64, String)>> = vec![Vec::new(); caps.len()];
        let mut effort: Vec<(f64, String)> = Vec::new();
        for (l, line) in self.lines.iter().enumerate() {
            let class = &self.classes[line.class as usize];
            let a = line.amount;
            let y = self.years.binary_search(&class.year).unwrap_or(0);
            let xs = &names.x[l];
            let ln = &names.line[l];
            for (k, o) in class.options.iter().enumerate() {
                let e = o.effort_base + o.effort_per_meur * a / 1e6;
                effort.push((e, xs[k].clone()));
                let h = o.hours_per_meur * a / 1e6;
                if h != 0.0 {
                    cap[y].push((h, xs[k].clone()));
                    for &c in &class.capacities {
                        cap[ny + c].push((h, xs[k].clone()));
                    }
                }
                binaries.push(xs[k].clone());
            }
            for &k in &class.forced {
                let _ = writeln!(bounds, " {} = 1", xs[k]);
            }
            for &(r, base) in &class.rows {
                if den[r] <= 0.0 || g[r] <= 0.0 || base >= 1.0 {
                    continue;
                }
                let v = format!("v_{ln}_{}", names.target[r]);
                let mut t: Vec<(f64, String)> = vec![(1.0, v.clone())];
                for (k, o) in class.options.iter().enumerate() {
                    let c: f64 = o.covers.iter().filter(|x| x.0 == r).map(|x| x.1).sum();
                    if c > 0.0 {
                        let c = match self.rows[r].basis {
                            Basis::Count => 1.0,
                            Basis::Value => c,
                        };
                        t.push((-c, xs[k].clone()));
                    }
                }
                if t.len() == 1 {
                    continue;
                }
                let _ = write!(cons, " cov_{ln}_{}:", names.target[r]);
                expr(&mut cons, &t);
                cons.push_str(" <= 0\n");
                let _ = writeln!(bounds, " 0 <= {v} <= {}", 1.0 - base);
                let w = match self.rows[r].basis {
                    Basis::Count => 1.0,
                    Basis::Value => a,
                };
                req[r].push((w / den[r], v));
            }
            for (gi, group) in class.obligations.iter().enumerate() {
                let t: Vec<(f64, String)> = group.iter().map(|&k| (1.0, xs[k].clone())).collect();
                let what = class
                    .obligation_names
                    .get(gi)
                    .map_or_else(|| gi.to_string(), |n| sanitise(n));
                let _ = write!(cons, " ob_{ln}_{what}:");
                expr(&mut cons, &t);
                cons.push_str(" >= 1\n");
            }
            for (gi, group) in class.exclusive.iter().enumerate() {
                let t: Vec<(f64, String)> = group.iter().map(|&k| (1.0, xs[k].clone())).collect();
                let _ = write!(cons, " excl_{ln}_{gi}:");
                expr(&mut cons, &t);
                cons.push_str(" <= 1\n");
            }
            for (a, reqs) in &class.prerequisites {
                let mut t: Vec<(f64, String)> = vec![(1.0, xs[*a].clone())];
                t.extend(reqs.iter().map(|&k| (-1.0, xs[k].clone())));
                let lever = xs[*a].strip_prefix(&format!("x_{ln}_")).unwrap_or(&xs[*a]);
                let _ = write!(cons, " pre_{ln}_{lever}:");
                expr(&mut cons, &t);
                cons.push_str(" <= 0\n");
            }
            if let Some(max) = class.max_levers {
                if max < class.options.len() {
                    let t: Vec<(f64, String)> = xs.iter().map(|x| (1.0, x.clone())).collect();
                    let _ = write!(cons, " max_{ln}:");
                    expr(&mut cons, &t);
                    let _ = writeln!(cons, " <= {max}");
                }
            }
        }
        let mut short: Vec<(f64, String)> = Vec::new();
        for r in 0..nr {
            if den[r] <= 0.0 || g[r] <= 0.0 {
                continue;
            }
            let row = &self.rows[r];
            let s = format!("s_{}_{}", names.target[r], row.year);
            short.push((row.weight, s.clone()));
            let mut t = std::mem::take(&mut req[r]);
            t.push((0.01, s.clone()));
            let _ = write!(cons, " req_{}_{}:", names.target[r], row.year);
            expr(&mut cons, &t);
            let _ = writeln!(cons, " >= {}", g[r]);
            let _ = writeln!(bounds, " 0 <= {s} <= 100");
        }
        for (k, c) in caps.iter().enumerate() {
            if let Some(c) = c {
                if !cap[k].is_empty() {
                    let _ = write!(cons, " {}:", cap_name(k));
                    expr(&mut cons, &cap[k]);
                    let _ = writeln!(cons, " <= {c}");
                }
            }
        }
        if let Some(b) = budget {
            cons.push_str(" budget:");
            expr(&mut cons, &effort);
            let _ = writeln!(cons, " <= {b}");
        }
        let what = match objective {
            LpObjective::Shortfall => {
                obj.extend(short.iter().cloned());
                "the weighted shortfall (points × priority): stage 2 of the lexicographic \
                 objective; then minimise the effort with it at most its optimum"
                    .to_string()
            }
            LpObjective::Effort { max_shortfall } => {
                obj.extend(effort.iter().cloned());
                if !short.is_empty() {
                    cons.push_str(" shortfall:");
                    expr(&mut cons, &short);
                    let _ = writeln!(cons, " <= {max_shortfall}");
                }
                format!(
                    "the effort (person-days) with the weighted shortfall at most {max_shortfall} \
                     points: stage 3 of the lexicographic objective"
                )
            }
            LpObjective::Weighted => {
                obj.extend(effort.iter().cloned());
                obj.extend(
                    short
                        .iter()
                        .map(|(w, s)| (w * self.weight_per_point, s.clone())),
                );
                format!(
                    "effort + {} person-days per point of weighted shortfall",
                    self.weight_per_point
                )
            }
        };
        let mut out = String::new();
        let _ = writeln!(
            out,
            "\\ spaser planning problem: {} lines, {} requirements; minimises {what}",
            self.lines.len(),
            nr,
        );
        out.push_str(
            "\\ variables: x_<line>_<lever> = 1 when the lever is planned on the line; \
             v_<line>_<target> the line's coverage counted for the target (0..1); \
             s_<target>_<year> the target's shortfall in points\n\
             \\ constraints: req_<target>_<year> target, cov_<line>_<target> coverage, \
             ob_<line>_<obligation> legal obligation, excl_<line>_<n> exclusivity group, \
             pre_<line>_<lever> prerequisite, max_<line> levers per line, cap_<year> and \
             cap<n>_<year> insertion capacity, budget (both raised to what the obligations force)\n",
        );
        for (short, original) in &names.renamed {
            let _ = writeln!(
                out,
                "\\ {short} = {}",
                crate::util::text::excerpt(original).replace('\n', " ")
            );
        }
        out.push_str("Minimize\n obj:");
        expr(&mut out, &obj);
        out.push_str("\nSubject To\n");
        if cons.is_empty() {
            // the format needs at least one constraint
            out.push_str(" dummy: 0 x_none >= 0\n");
        }
        out.push_str(&cons);
        out.push_str("Bounds\n");
        out.push_str(&bounds);
        if !binaries.is_empty() {
            out.push_str("Binary\n");
            for chunk in binaries.chunks(8) {
                let _ = writeln!(out, " {}", chunk.join(" "));
            }
        }
        out.push_str("End\n");
        out
    }

    /// Reads a solver's solution of [`PlanningProblem::to_lp`] (HiGHS `.sol` format: the
    /// `# Columns N` section of `name value` lines; other sections ignored) into the options
    /// chosen on each line (bit masks; a binary counts as chosen from 0.5).
    ///
    /// # Errors
    /// [`ErrorKind::Parse`] naming the line of the file for a missing columns section or a
    /// value that is not a number; [`ErrorKind::Missing`] when a variable `x_…` of the problem
    /// is absent.
    pub(crate) fn read_solution(&self, text: &str) -> Result<Vec<u64>> {
        let names = self.lp_names();
        let mut values: HashMap<&str, f64> = HashMap::new();
        let mut lines = text.lines().enumerate();
        let mut found = false;
        while let Some((_, l)) = lines.next() {
            let Some(n) = l.trim().strip_prefix("# Columns ") else {
                continue;
            };
            found = true;
            let n: usize = n.trim().parse().map_err(|_| {
                Error::new(
                    ErrorKind::Parse,
                    format!(
                        "solution: \"# Columns {}\" is not a count",
                        crate::util::text::excerpt(n)
                    ),
                )
            })?;
            for _ in 0..n {
                let Some((i, l)) = lines.next() else {
                    return Err(Error::new(
                        ErrorKind::Parse,
                        format!("solution: the file ends before its {n} columns"),
                    ));
                };
                let mut parts = l.split_whitespace();
                let (Some(name), Some(v)) = (parts.next(), parts.next()) else {
                    return Err(Error::new(
                        ErrorKind::Parse,
                        format!("solution, line {}: expected \"name value\"", i + 1),
                    ));
                };
                let v: f64 = v.parse().map_err(|_| {
                    Error::new(
                        ErrorKind::Parse,
                        format!(
                            "solution, line {}: value \"{}\" of {name} is not a number",
                            i + 1,
                            crate::util::text::excerpt(v)
                        ),
                    )
                })?;
                values.insert(name, v);
            }
            break;
        }
        if !found {
            return Err(Error::new(
                ErrorKind::Parse,
                "solution: no \"# Columns\" section (expected a HiGHS .sol file)",
            ));
        }
        let mut masks = Vec::with_capacity(self.lines.len());
        for xs in &names.x {
            let mut m = 0u64;
            for (k, x) in xs.iter().enumerate() {
                let v = values.get(x.as_str()).copied().ok_or_else(|| {
                    Error::new(
                        ErrorKind::Missing,
                        format!("solution: variable {x} of the problem is missing"),
                    )
                })?;
                if v >= 0.5 {
                    m |= 1 << k;
                }
            }
            masks.push(m);
        }
        Ok(masks)
    }
}
