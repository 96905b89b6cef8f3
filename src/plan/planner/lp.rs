//! Export of a planning problem in CPLEX LP format.

use std::fmt::Write;

use crate::indicators::Basis;

use super::problem::PlanningProblem;

/// Writes `terms` (coefficient, variable) as a wrapped linear expression.
fn expr(out: &mut String, terms: &[(f64, String)]) {
    for (i, (c, v)) in terms.iter().enumerate() {
        if i > 0 && i % 8 == 0 {
            out.push_str("\n   ");
        }
        if i == 0 {
            if *c < 0.0 {
                let _ = write!(out, " - {} {v}", -c);
            } else {
                let _ = write!(out, " {c} {v}");
            }
        } else if *c < 0.0 {
            let _ = write!(out, " - {} {v}", -c);
        } else {
            let _ = write!(out, " + {c} {v}");
        }
    }
    if terms.is_empty() {
        out.push_str(" 0");
    }
}

impl PlanningProblem {
    /// The problem in CPLEX LP format: binary `x<l>_<k>` (lever `k` of its class on line `l`),
    /// continuous capped coverages `v<l>_<j>` and shortfalls `s<r>` (share units). Its optimum
    /// objective equals the planner's objective: total effort + `100 × weight_per_point ×`
    /// Σ shortfalls. Any MILP solver (HiGHS, CBC, Gurobi) reads it.
    ///
    /// ```
    /// use spaser::{Basis, PlanningProblem, ProblemClass, ProblemOption};
    /// let mut p = PlanningProblem::new(&[2026]);
    /// let r = p.add_requirement("social", 2026, Basis::Count, 0.3)?;
    /// let option = ProblemOption { lever: 0, effort_base: 1.0, effort_per_meur: 0.5,
    ///     hours_per_meur: 0.0, covers: vec![(r, 1.0)] };
    /// let class = p.add_class(ProblemClass { year: 2026, rows: vec![(r, 0.0)],
    ///     options: vec![option], ..ProblemClass::default() })?;
    /// p.add_line(class, 2_000_000.0)?;
    /// let lp = p.to_lp();
    /// assert!(lp.starts_with("\\ spaser planning problem"));
    /// assert!(lp.contains("Binary"));
    /// # Ok::<(), spaser::Error>(())
    /// ```
    pub fn to_lp(&self) -> String {
        let m = self.weight_per_point * 100.0;
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
        let mut obj: Vec<(f64, String)> = Vec::new();
        let mut cons = String::new();
        let mut bounds = String::new();
        let mut binaries: Vec<String> = Vec::new();
        let mut req: Vec<Vec<(f64, String)>> = vec![Vec::new(); nr];
        let mut cap: Vec<Vec<(f64, String)>> = vec![Vec::new(); self.years.len()];
        let mut budget: Vec<(f64, String)> = Vec::new();
        for (l, line) in self.lines.iter().enumerate() {
            let class = &self.classes[line.class as usize];
            let a = line.amount;
            let y = self.years.binary_search(&class.year).unwrap_or(0);
            for (k, o) in class.options.iter().enumerate() {
                let x = format!("x{l}_{k}");
                let e = o.effort_base + o.effort_per_meur * a / 1e6;
                obj.push((e, x.clone()));
                budget.push((e, x.clone()));
                let h = o.hours_per_meur * a / 1e6;
                if h != 0.0 {
                    cap[y].push((h, x.clone()));
                }
                binaries.push(x);
            }
            for &k in &class.forced {
                let _ = writeln!(bounds, " x{l}_{k} = 1");
            }
            for (j, &(r, base)) in class.rows.iter().enumerate() {
                if den[r] <= 0.0 || g[r] <= 0.0 || base >= 1.0 {
                    continue;
                }
                let mut t: Vec<(f64, String)> = vec![(1.0, format!("v{l}_{j}"))];
                for (k, o) in class.options.iter().enumerate() {
                    let c: f64 = o.covers.iter().filter(|x| x.0 == r).map(|x| x.1).sum();
                    if c > 0.0 {
                        let c = match self.rows[r].basis {
                            Basis::Count => 1.0,
                            Basis::Value => c,
                        };
                        t.push((-c, format!("x{l}_{k}")));
                    }
                }
                if t.len() == 1 {
                    continue;
                }
                let _ = write!(cons, " cov{l}_{j}:");
                expr(&mut cons, &t);
                cons.push_str(" <= 0\n");
                let _ = writeln!(bounds, " 0 <= v{l}_{j} <= {}", 1.0 - base);
                let w = match self.rows[r].basis {
                    Basis::Count => 1.0,
                    Basis::Value => a,
                };
                req[r].push((w / den[r], format!("v{l}_{j}")));
            }
            for (gi, group) in class.obligations.iter().enumerate() {
                let t: Vec<(f64, String)> =
                    group.iter().map(|k| (1.0, format!("x{l}_{k}"))).collect();
                let _ = write!(cons, " ob{l}_{gi}:");
                expr(&mut cons, &t);
                cons.push_str(" >= 1\n");
            }
            if let Some(max) = class.max_levers {
                if max < class.options.len() {
                    let t: Vec<(f64, String)> = (0..class.options.len())
                        .map(|k| (1.0, format!("x{l}_{k}")))
                        .collect();
                    let _ = write!(cons, " max{l}:");
                    expr(&mut cons, &t);
                    let _ = writeln!(cons, " <= {max}");
                }
            }
        }
        for r in 0..nr {
            if den[r] <= 0.0 || g[r] <= 0.0 {
                continue;
            }
            let s = format!("s{r}");
            obj.push((m, s.clone()));
            let mut t = std::mem::take(&mut req[r]);
            t.push((1.0, s));
            let _ = write!(cons, " req{r}:");
            expr(&mut cons, &t);
            let _ = writeln!(cons, " >= {}", g[r]);
        }
        for (y, year) in self.years.iter().enumerate() {
            if let Some(c) = self.capacity.get(year) {
                if !cap[y].is_empty() {
                    let _ = write!(cons, " cap{year}:");
                    expr(&mut cons, &cap[y]);
                    let _ = writeln!(cons, " <= {c}");
                }
            }
        }
        if let Some(b) = self.budget {
            cons.push_str(" budget:");
            expr(&mut cons, &budget);
            let _ = writeln!(cons, " <= {b}");
        }
        let mut out = String::new();
        let _ = writeln!(
            out,
            "\\ spaser planning problem: {} lines, {} requirements, shortfall weight {} per point",
            self.lines.len(),
            nr,
            self.weight_per_point
        );
        out.push_str("Minimize\n obj:");
        expr(&mut out, &obj);
        out.push_str("\nSubject To\n");
        if cons.is_empty() {
            // the format needs at least one constraint
            out.push_str(" dummy: 0 x_dummy >= 0\n");
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
}
