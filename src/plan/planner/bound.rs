//! A stronger lower bound than the subgradient's: the Lagrangian dual solved by a stabilised
//! cutting-plane method (Kelley with a box step, its master LP solved by a small dense
//! simplex), year by year, with the value requirements kept as constraints of the subproblem.
//!
//! The problem separates by year once the requirement rows and capacities are dualised (the
//! rows and capacities are per year; an effort budget couples the years, and then this bound is
//! not used). Within a year, requirements whose lines form small groups (a value target on one
//! product category, say) are not dualised: their lines solve a multiple-choice knapsack
//! exactly (branch and bound with the LP bound of the hull of each line's options), so the
//! integrality of those covers counts in the bound — the linear relaxation misses it. What is
//! dualised (the count targets over every line, the capacities) has few multipliers per year,
//! which the cutting-plane method settles in a few dozen evaluations.
//!
//! Any multipliers give a valid bound; the method only makes it large.

// numeric code over parallel arrays (rows, capacities, lines): index loops read best
#![allow(clippy::needless_range_loop)]

use super::compiled::{CClass, Compiled, EPS, coef};

/// Most lines in one block of kept requirements.
const BLOCK_LINES: usize = 4_000;
/// Most lines of a block whose knapsack is solved exactly (larger ones: its relaxation).
const EXACT_LINES: usize = 400;
/// Most states in one layer of a block's knapsack.
const FRONTIER: usize = 4_000;
/// Most evaluations of one year's dual function.
const MAX_EVALS: usize = 120;

// ---------------------------------------------------------------------------------------
// the master LP of the cutting-plane method

/// Maximises `t` subject to `t ≤ a_i + g_i·x` for every cut and `0 ≤ x ≤ u`, by the primal
/// simplex on its dual (one row per coordinate plus one; one column per cut). Returns `(t, x)`.
fn master(a: &[f64], g: &[Vec<f64>], u: &[f64]) -> Option<(f64, Vec<f64>)> {
    let k = a.len();
    let d = u.len();
    let m = d + 1;
    // columns: π_i (0..k), ρ_j (k..k+d), σ_j (k+d..k+2d)
    let ncol = k + 2 * d;
    let col = |q: usize, out: &mut [f64]| {
        out.iter_mut().for_each(|x| *x = 0.0);
        if q < k {
            out[0] = 1.0;
            for j in 0..d {
                out[j + 1] = -g[q][j];
            }
        } else if q < k + d {
            out[q - k + 1] = 1.0;
        } else {
            out[q - k - d + 1] = -1.0;
        }
    };
    let cost = |q: usize| -> f64 {
        if q < k {
            a[q]
        } else if q < k + d {
            u[q - k]
        } else {
            0.0
        }
    };
    // initial basis: the cut of least value at 0, and ρ_j or σ_j for each coordinate
    let i0 = (0..k).min_by(|&x, &y| a[x].total_cmp(&a[y]).then(x.cmp(&y)))?;
    let mut basis: Vec<usize> = vec![i0];
    for j in 0..d {
        basis.push(if g[i0][j] >= 0.0 { k + j } else { k + d + j });
    }
    // B and its inverse (Gauss–Jordan; m is small)
    let mut binv = vec![0.0; m * m];
    {
        let mut bm = vec![0.0; m * m];
        let mut colv = vec![0.0; m];
        for (p, &q) in basis.iter().enumerate() {
            col(q, &mut colv);
            for i in 0..m {
                bm[i * m + p] = colv[i];
            }
        }
        for i in 0..m {
            binv[i * m + i] = 1.0;
        }
        for p in 0..m {
            let piv =
                (p..m).max_by(|&x, &y| bm[x * m + p].abs().total_cmp(&bm[y * m + p].abs()))?;
            if bm[piv * m + p].abs() < 1e-12 {
                return None;
            }
            for c in 0..m {
                bm.swap(p * m + c, piv * m + c);
                binv.swap(p * m + c, piv * m + c);
            }
            let v = bm[p * m + p];
            for c in 0..m {
                bm[p * m + c] /= v;
                binv[p * m + c] /= v;
            }
            for r in 0..m {
                if r != p {
                    let f = bm[r * m + p];
                    if f != 0.0 {
                        for c in 0..m {
                            bm[r * m + c] -= f * bm[p * m + c];
                            binv[r * m + c] -= f * binv[p * m + c];
                        }
                    }
                }
            }
        }
    }
    // x_B = B^-1 b, b = e_0
    let mut xb: Vec<f64> = (0..m).map(|i| binv[i * m]).collect();
    let scale = a.iter().fold(1.0f64, |s, x| s.max(x.abs()));
    let mut colv = vec![0.0; m];
    let mut dir = vec![0.0; m];
    let mut y = vec![0.0; m];
    let mut degenerate = 0usize;
    for _ in 0..(50 * (ncol + m)) {
        // duals y = c_B B^-1
        for (j, yj) in y.iter_mut().enumerate() {
            *yj = (0..m).map(|i| cost(basis[i]) * binv[i * m + j]).sum();
        }
        // entering column: most negative reduced cost (Bland's rule after degenerate pivots)
        let bland = degenerate > 2 * m;
        let mut enter = None;
        let mut best = -1e-11 * scale;
        for q in 0..ncol {
            if basis.contains(&q) {
                continue;
            }
            col(q, &mut colv);
            let rc = cost(q) - (0..m).map(|i| y[i] * colv[i]).sum::<f64>();
            if rc < best {
                enter = Some(q);
                if bland {
                    break;
                }
                best = rc;
            }
        }
        let Some(q) = enter else {
            return Some((y[0], y[1..].to_vec()));
        };
        col(q, &mut colv);
        for i in 0..m {
            dir[i] = (0..m).map(|j| binv[i * m + j] * colv[j]).sum();
        }
        let mut leave = None;
        let mut ratio = f64::INFINITY;
        for i in 0..m {
            if dir[i] > 1e-12 {
                let r = xb[i] / dir[i];
                if r < ratio - 1e-15
                    || (r <= ratio + 1e-15 && leave.is_some_and(|l: usize| basis[i] < basis[l]))
                {
                    ratio = r;
                    leave = Some(i);
                }
            }
        }
        let p = leave?;
        degenerate = if ratio <= 1e-15 { degenerate + 1 } else { 0 };
        // pivot
        let piv = dir[p];
        for c in 0..m {
            binv[p * m + c] /= piv;
        }
        xb[p] /= piv;
        for i in 0..m {
            if i != p && dir[i] != 0.0 {
                let f = dir[i];
                for c in 0..m {
                    binv[i * m + c] -= f * binv[p * m + c];
                }
                xb[i] -= f * xb[p];
            }
        }
        for x in xb.iter_mut() {
            if *x < 0.0 && *x > -1e-12 {
                *x = 0.0;
            }
        }
        basis[p] = q;
    }
    None
}

// ---------------------------------------------------------------------------------------
// the subproblem of one year

/// A group of kept requirements and the classes of their lines.
#[derive(Debug, Clone)]
struct Block {
    rows: Vec<usize>,
    classes: Vec<usize>,
}

/// One year's subproblem: its dualised rows and capacities (the coordinates), its blocks and
/// its free classes.
struct Year {
    /// Dualised requirement rows.
    rows: Vec<usize>,
    /// Capacity rows.
    caps: Vec<usize>,
    blocks: Vec<Block>,
    free: Vec<usize>,
}

/// The value of one evaluation and its subgradient (on the year's coordinates).
struct Eval {
    value: f64,
    grad: Vec<f64>,
    /// The prices of the kept rows (their relaxation's duals; 0 elsewhere).
    kept_mu: Vec<f64>,
}

/// A line's option within a block: reduced cost and coverage of each kept row.
#[derive(Clone)]
struct Opt {
    rc: f64,
    cov: Vec<f64>,
    sub: usize,
}

struct Knap<'a> {
    /// Options per line (Pareto-filtered), in search order.
    opts: Vec<Vec<Opt>>,
    goal: &'a [f64],
    pen: &'a [f64],
    /// Per depth: Σ of the least reduced cost of the lines from that depth on.
    suf_min: Vec<f64>,
    /// Per depth and row: coverage of those least-cost options from that depth on.
    suf_base: Vec<Vec<f64>>,
    /// Per row: hull segments (depth, extra coverage, extra cost), by efficiency.
    segs: Vec<Vec<(usize, f64, f64, usize)>>,
    best: f64,
    best_pick: Vec<usize>,
    nodes: u64,
}

impl Knap<'_> {
    fn bound(&self, d: usize, cost: f64, cov: &[f64]) -> f64 {
        let mut extra = 0.0f64;
        for (r, segs) in self.segs.iter().enumerate() {
            let mut need = self.goal[r] - cov[r] - self.suf_base[d][r];
            if need <= 1e-12 {
                continue;
            }
            let mut e = 0.0;
            for &(dd, dk, dc, _) in segs {
                if dd < d {
                    continue;
                }
                if dc / dk >= self.pen[r] {
                    break;
                }
                if dk >= need {
                    e += dc * need / dk;
                    need = 0.0;
                    break;
                }
                e += dc;
                need -= dk;
            }
            e += need.max(0.0) * self.pen[r];
            extra = extra.max(e);
        }
        cost + self.suf_min[d] + extra
    }

    /// Breadth-first over the lines, keeping at each depth only the states (cost, coverage)
    /// that no cheaper state covers at least as much and whose bound beats the incumbent
    /// (Nemhauser–Ullmann with bounding). `false` when a layer exceeds [`FRONTIER`] states.
    fn frontier(&mut self) -> bool {
        let n = self.opts.len();
        let nk = self.goal.len();
        let mut cur: Vec<(f64, Vec<f64>)> = vec![(0.0, vec![0.0; nk])];
        let mut back: Vec<Vec<(u32, u32)>> = Vec::with_capacity(n);
        let tol = 1e-9 * self.best.abs().max(1.0);
        for d in 0..n {
            let mut next: Vec<(f64, Vec<f64>, u32, u32)> = Vec::new();
            for (si, (cost, cov)) in cur.iter().enumerate() {
                for (i, o) in self.opts[d].iter().enumerate() {
                    let nc = cost + o.rc;
                    let ncov: Vec<f64> = (0..nk)
                        .map(|r| (cov[r] + o.cov[r]).min(self.goal[r].max(0.0) + 1e-9))
                        .collect();
                    if self.bound(d + 1, nc, &ncov) >= self.best - tol {
                        continue;
                    }
                    next.push((nc, ncov, si as u32, i as u32));
                }
            }
            self.nodes += next.len() as u64;
            next.sort_by(|x, y| {
                x.0.total_cmp(&y.0)
                    .then_with(|| y.1.iter().sum::<f64>().total_cmp(&x.1.iter().sum::<f64>()))
            });
            let mut kept: Vec<(f64, Vec<f64>, u32, u32)> = Vec::new();
            let mut top = f64::NEG_INFINITY;
            for st in next {
                let dominated = if nk == 1 {
                    st.1[0] <= top + 1e-12
                } else {
                    kept.iter()
                        .any(|k| (0..nk).all(|r| k.1[r] >= st.1[r] - 1e-12))
                };
                if dominated {
                    continue;
                }
                if nk == 1 {
                    top = st.1[0];
                }
                kept.push(st);
                if kept.len() > FRONTIER {
                    return false;
                }
            }
            back.push(kept.iter().map(|s| (s.2, s.3)).collect());
            cur = kept.into_iter().map(|s| (s.0, s.1)).collect();
            if cur.is_empty() {
                return true; // nothing beats the incumbent
            }
        }
        let mut best: Option<(f64, usize)> = None;
        for (si, (cost, cov)) in cur.iter().enumerate() {
            let v = self.leaf(*cost, cov);
            if v < self.best - tol && best.is_none_or(|b| v < b.0) {
                best = Some((v, si));
            }
        }
        if let Some((v, mut si)) = best {
            self.best = v;
            for d in (0..n).rev() {
                let (parent, opt) = back[d][si];
                self.best_pick[d] = opt as usize;
                si = parent as usize;
            }
        }
        true
    }

    fn leaf(&self, cost: f64, cov: &[f64]) -> f64 {
        cost + (0..cov.len())
            .map(|r| self.pen[r] * (self.goal[r] - cov[r]).max(0.0))
            .sum::<f64>()
    }
}

/// The strong bound's computation over a compiled problem.
pub(crate) struct Strong<'a> {
    c: &'a Compiled,
    years: Vec<Year>,
}

/// Reduced cost and hours of every combination of a class at the multipliers.
fn class_costs(c: &Compiled, cl: &CClass, mu: &[f64], lam: &[f64], out: &mut Vec<(f64, f64)>) {
    out.clear();
    let lam: f64 = cl.caps.iter().map(|&k| lam[k]).sum();
    for (s, sub) in cl.subs.iter().enumerate() {
        let mut al = c.alpha * sub.c0;
        let mut be = c.alpha * sub.c1 + lam * sub.h1;
        for (j, &x) in cl.inc(s).iter().enumerate() {
            let r = cl.rows[j];
            let p = mu[r] * c.inv_den[r] * x;
            if cl.value[j] {
                be -= p;
            } else {
                al -= p;
            }
        }
        out.push((al, be));
    }
}

impl<'a> Strong<'a> {
    /// The years' subproblems, or `None` when an effort budget couples the years.
    pub(crate) fn new(c: &'a Compiled) -> Option<Strong<'a>> {
        if c.budget.is_finite() {
            return None;
        }
        let ny = c.years.len();
        let nr = c.g.len();
        // lines in each row's scope
        let mut scope = vec![0usize; nr];
        for cl in c.classes.iter() {
            for &r in &cl.rows {
                scope[r] += cl.lines.len();
            }
        }
        // kept rows: active value rows, grouped by shared classes, while a group stays small
        let mut parent: Vec<usize> = (0..nr).collect();
        fn find(p: &mut [usize], x: usize) -> usize {
            let mut x = x;
            while p[x] != x {
                p[x] = p[p[x]];
                x = p[x];
            }
            x
        }
        let mut kept = vec![false; nr];
        let mut size = scope.clone();
        let mut order: Vec<usize> = (0..nr)
            .filter(|&r| c.g[r] > EPS && !c.count[r] && scope[r] > 0)
            .collect();
        order.sort_by_key(|&r| (scope[r], r));
        for &r in &order {
            if scope[r] > BLOCK_LINES {
                continue;
            }
            // the classes of r tie it to the kept rows they carry
            let mut roots: Vec<usize> = vec![find(&mut parent, r)];
            for cl in c.classes.iter() {
                if cl.rows.contains(&r) {
                    for &q in &cl.rows {
                        if kept[q] {
                            let x = find(&mut parent, q);
                            if !roots.contains(&x) {
                                roots.push(x);
                            }
                        }
                    }
                }
            }
            let lines: usize = roots.iter().map(|&x| size[x]).sum::<usize>();
            // one row per block: the knapsack of several rows is too costly to solve exactly
            if lines > BLOCK_LINES || roots.len() > 1 {
                continue;
            }
            kept[r] = true;
            let root = roots[0];
            for &x in &roots[1..] {
                parent[x] = root;
            }
            size[root] = lines;
        }
        let mut years: Vec<Year> = (0..ny)
            .map(|_| Year {
                rows: Vec::new(),
                caps: Vec::new(),
                blocks: Vec::new(),
                free: Vec::new(),
            })
            .collect();
        for r in 0..nr {
            if c.g[r] > EPS && !kept[r] {
                years[c.row_year[r]].rows.push(r);
            }
        }
        for (k, &cap) in c.cap.iter().enumerate() {
            if cap.is_finite() {
                years[c.cap_year[k]].caps.push(k);
            }
        }
        let mut block_of: std::collections::BTreeMap<usize, usize> =
            std::collections::BTreeMap::new();
        let mut blocks: Vec<(usize, Block)> = Vec::new();
        for (ci, cl) in c.classes.iter().enumerate() {
            if cl.lines.is_empty() {
                continue;
            }
            let y = cl.caps[0];
            let root = cl
                .rows
                .iter()
                .find(|&&r| kept[r])
                .map(|&r| find(&mut parent, r));
            match root {
                None => years[y].free.push(ci),
                Some(x) => {
                    let b = *block_of.entry(x).or_insert_with(|| {
                        blocks.push((
                            y,
                            Block {
                                rows: Vec::new(),
                                classes: Vec::new(),
                            },
                        ));
                        blocks.len() - 1
                    });
                    blocks[b].1.classes.push(ci);
                }
            }
        }
        for r in 0..nr {
            if kept[r] {
                if let Some(&b) = block_of.get(&find(&mut parent, r)) {
                    blocks[b].1.rows.push(r);
                }
            }
        }
        for (y, b) in blocks {
            years[y].blocks.push(b);
        }
        Some(Strong { c, years })
    }

    /// Solves a block's knapsack at the multipliers; adds its value to `ev` and its
    /// dualised rows' contributions and hours to `contr`, `hours`. `false` when it needs
    /// more than the node limit.
    #[allow(clippy::too_many_arguments)]
    fn block(
        &self,
        b: &Block,
        mu: &[f64],
        lam: &[f64],
        exact: bool,
        value: &mut f64,
        contr: &mut [f64],
        hours: &mut [f64],
        kept_mu: &mut [f64],
    ) -> bool {
        let c = self.c;
        let nk = b.rows.len();
        let mut costs = Vec::new();
        // one item per line
        let mut items: Vec<(Vec<Opt>, usize, f64, usize)> = Vec::new(); // options, class, amount, line
        for &ci in &b.classes {
            let cl = &c.classes[ci];
            class_costs(c, cl, mu, lam, &mut costs);
            let kj: Vec<Option<usize>> = b
                .rows
                .iter()
                .map(|r| cl.rows.iter().position(|x| x == r))
                .collect();
            for (i, &a) in cl.amounts.iter().enumerate() {
                let mut opts: Vec<Opt> = (0..cl.subs.len())
                    .map(|s| {
                        let inc = cl.inc(s);
                        Opt {
                            rc: costs[s].0 + costs[s].1 * a,
                            cov: kj
                                .iter()
                                .map(|j| {
                                    j.map_or(0.0, |j| {
                                        coef(cl.value[j], c.inv_den[cl.rows[j]], a) * inc[j]
                                    })
                                })
                                .collect(),
                            sub: s,
                        }
                    })
                    .collect();
                // Pareto filter: drop an option with more (or equal) cost and no more coverage
                opts.sort_by(|x, y| x.rc.total_cmp(&y.rc).then(x.sub.cmp(&y.sub)));
                let mut kept: Vec<Opt> = Vec::new();
                for o in opts {
                    if !kept
                        .iter()
                        .any(|k| (0..nk).all(|r| k.cov[r] >= o.cov[r] - 1e-15))
                    {
                        kept.push(o);
                    }
                }
                items.push((kept, ci, a, cl.lines[i] as usize));
            }
        }
        // search order: lines of most coverage first
        items.sort_by(|x, y| {
            let mx = |o: &[Opt]| {
                o.iter()
                    .map(|o| o.cov.iter().sum::<f64>())
                    .fold(0.0, f64::max)
            };
            mx(&y.0).total_cmp(&mx(&x.0)).then(x.3.cmp(&y.3))
        });
        let n = items.len();
        let goal: Vec<f64> = b.rows.iter().map(|&r| c.g[r]).collect();
        let pen: Vec<f64> = b.rows.iter().map(|&r| c.m[r]).collect();
        let mut suf_min = vec![0.0; n + 1];
        let mut suf_base = vec![vec![0.0; nk]; n + 1];
        for d in (0..n).rev() {
            let o = &items[d].0[0]; // least reduced cost first
            suf_min[d] = suf_min[d + 1] + o.rc;
            suf_base[d] = suf_base[d + 1].clone();
            for r in 0..nk {
                suf_base[d][r] += o.cov[r];
            }
        }
        let mut segs: Vec<Vec<(usize, f64, f64, usize)>> = vec![Vec::new(); nk];
        for (d, it) in items.iter().enumerate() {
            let base = &it.0[0];
            for r in 0..nk {
                // lower convex hull of (extra coverage, extra cost) from the base option
                let mut pts: Vec<(f64, f64, usize)> =
                    it.0.iter()
                        .enumerate()
                        .map(|(i, o)| (o.cov[r] - base.cov[r], o.rc - base.rc, i))
                        .filter(|p| p.0 > 1e-15)
                        .collect();
                pts.sort_by(|x, y| x.0.total_cmp(&y.0).then(x.1.total_cmp(&y.1)));
                let (mut k0, mut c0) = (0.0, 0.0);
                while !pts.is_empty() {
                    // the point of least slope from (k0, c0)
                    let (i, _) = pts
                        .iter()
                        .enumerate()
                        .map(|(i, p)| (i, (p.1 - c0) / (p.0 - k0)))
                        .fold(
                            (0, f64::INFINITY),
                            |acc, x| if x.1 < acc.1 { x } else { acc },
                        );
                    let p = pts[i];
                    segs[r].push((d, p.0 - k0, (p.1 - c0).max(0.0), p.2));
                    k0 = p.0;
                    c0 = p.1;
                    pts.retain(|q| q.0 > k0 + 1e-15);
                }
            }
        }
        for s in &mut segs {
            s.sort_by(|x, y| (x.2 / x.1).total_cmp(&(y.2 / y.1)).then(x.0.cmp(&y.0)));
        }
        let add = |o: &Opt,
                   it: &(Vec<Opt>, usize, f64, usize),
                   w: f64,
                   contr: &mut [f64],
                   hours: &mut [f64]| {
            let cl = &c.classes[it.1];
            let a = it.2;
            let sub = &cl.subs[o.sub];
            for &k in &cl.caps {
                hours[k] += w * sub.hours(a);
            }
            for (j, &x) in cl.inc(o.sub).iter().enumerate() {
                if x > 0.0 {
                    let r = cl.rows[j];
                    contr[r] += w * coef(cl.value[j], c.inv_den[r], a) * x;
                }
            }
        };
        // a block of many lines: its relaxation (the exact knapsack would need too many states)
        let exact = exact && n <= EXACT_LINES;
        if !exact && nk == 1 {
            // the linear relaxation: every line at its least reduced cost, then the hull
            // segments by efficiency until the row is covered (the last one in part)
            let mut level: Vec<(usize, usize, f64)> = (0..n).map(|_| (0, 0, 0.0)).collect();
            let mut need = goal[0] - suf_base[0][0];
            let mut v = suf_min[0];
            kept_mu[b.rows[0]] = 0.0;
            for &(d, dk, dc, to) in &segs[0] {
                if need <= 1e-12 || dc / dk >= pen[0] {
                    break;
                }
                // the row's price: the efficiency of the last segment it needs
                kept_mu[b.rows[0]] = dc / dk;
                let f = (need / dk).min(1.0);
                v += f * dc;
                need -= f * dk;
                let from = level[d].0;
                level[d] = if f >= 1.0 {
                    (to, to, 0.0)
                } else {
                    (from, to, f)
                };
            }
            if need > 1e-12 {
                kept_mu[b.rows[0]] = pen[0];
            }
            v += need.max(0.0) * pen[0];
            *value += v;
            for (d, it) in items.iter().enumerate() {
                let (from, to, f) = level[d];
                add(&it.0[from], it, 1.0 - f, contr, hours);
                if f > 0.0 {
                    add(&it.0[to], it, f, contr, hours);
                }
            }
            return true;
        }
        let mut knap = Knap {
            opts: items.iter().map(|x| x.0.clone()).collect(),
            goal: &goal,
            pen: &pen,
            suf_min,
            suf_base,
            segs,
            best: f64::INFINITY,
            best_pick: vec![0; n],
            nodes: 0,
        };
        // a first incumbent: greedy upgrades by efficiency on the row most short
        let mut pick = vec![0usize; n];
        let mut cov = vec![0.0; nk];
        let mut cost = 0.0;
        for (d, it) in items.iter().enumerate() {
            cost += it.0[0].rc;
            for r in 0..nk {
                cov[r] += it.0[0].cov[r];
            }
            let _ = d;
        }
        for _ in 0..4 * (n + 1) * nk {
            let Some(r) = (0..nk)
                .filter(|&r| goal[r] - cov[r] > 1e-12)
                .max_by(|&x, &y| (goal[x] - cov[x]).total_cmp(&(goal[y] - cov[y])))
            else {
                break;
            };
            let mut best: Option<(f64, usize, usize)> = None;
            for (d, it) in items.iter().enumerate() {
                let cur = &it.0[pick[d]];
                for (i, o) in it.0.iter().enumerate() {
                    let dk = o.cov[r] - cur.cov[r];
                    if dk > 1e-15 {
                        let e = (o.rc - cur.rc) / dk.min(goal[r] - cov[r]);
                        if best.is_none_or(|b| e < b.0) {
                            best = Some((e, d, i));
                        }
                    }
                }
            }
            let Some((e, d, i)) = best else { break };
            if e >= pen[r] {
                break;
            }
            let (old, new) = (&items[d].0[pick[d]], &items[d].0[i]);
            cost += new.rc - old.rc;
            for q in 0..nk {
                cov[q] += new.cov[q] - old.cov[q];
            }
            pick[d] = i;
        }
        knap.best = knap.leaf(cost, &cov) + 1e-9 * knap.leaf(cost, &cov).abs().max(1.0);
        knap.best_pick = pick;
        let done = knap.frontier();
        if !done {
            return false;
        }
        *value += knap.best;
        for (d, it) in items.iter().enumerate() {
            add(&it.0[knap.best_pick[d]], it, 1.0, contr, hours);
        }
        true
    }

    /// Evaluates year `y`'s dual function at `x` (its rows' multipliers, then its
    /// capacities'). `None` when a block is too hard (it is then dualised).
    fn eval(&mut self, y: usize, x: &[f64], exact: bool) -> Option<Eval> {
        let c = self.c;
        let yr = &self.years[y];
        let nr = c.g.len();
        let mut mu = vec![0.0; nr];
        let mut lam = vec![0.0; c.cap.len()];
        for (i, &r) in yr.rows.iter().enumerate() {
            mu[r] = x[i];
        }
        for (i, &k) in yr.caps.iter().enumerate() {
            lam[k] = x[yr.rows.len() + i];
        }
        let mut value: f64 = yr.rows.iter().map(|&r| mu[r] * c.g[r]).sum();
        value -= yr
            .caps
            .iter()
            .map(|&k| lam[k] * c.cap_limit(k))
            .sum::<f64>();
        let mut contr = vec![0.0; nr];
        let mut hours = vec![0.0; c.cap.len()];
        let mut costs = Vec::new();
        let mut scratch: Vec<(f64, f64, usize)> = Vec::new();
        let mut env: Vec<(usize, f64)> = Vec::new();
        for &ci in &yr.free {
            let cl = &c.classes[ci];
            class_costs(c, cl, &mu, &lam, &mut costs);
            scratch.clear();
            scratch.extend(costs.iter().enumerate().map(|(s, &(al, be))| (al, be, s)));
            super::compiled::envelope(&mut scratch, &mut env);
            for (e, &(s, start)) in env.iter().enumerate() {
                let end = env.get(e + 1).map_or(f64::INFINITY, |x| x.1);
                let i0 = cl.amounts.partition_point(|&a| a < start);
                let i1 = cl.amounts.partition_point(|&a| a < end);
                if i1 <= i0 {
                    continue;
                }
                let n = (i1 - i0) as f64;
                let amt = cl.prefix[i1] - cl.prefix[i0];
                value += n * costs[s].0 + amt * costs[s].1;
                let sub = &cl.subs[s];
                for &k in &cl.caps {
                    hours[k] += amt * sub.h1;
                }
                for (j, &xx) in cl.inc(s).iter().enumerate() {
                    if xx > 0.0 {
                        let r = cl.rows[j];
                        let w = if cl.value[j] { amt } else { n };
                        contr[r] += w * c.inv_den[r] * xx;
                    }
                }
            }
        }
        let mut hard = None;
        let mut kept_mu = vec![0.0; nr];
        for (bi, b) in yr.blocks.iter().enumerate() {
            if !self.block(
                b,
                &mu,
                &lam,
                exact,
                &mut value,
                &mut contr,
                &mut hours,
                &mut kept_mu,
            ) {
                if exact && b.rows.len() == 1 {
                    // too many states for the exact knapsack: its relaxation still bounds it
                    self.block(
                        b,
                        &mu,
                        &lam,
                        false,
                        &mut value,
                        &mut contr,
                        &mut hours,
                        &mut kept_mu,
                    );
                    continue;
                }
                hard = Some(bi);
                break;
            }
        }
        if let Some(bi) = hard {
            // dualise the block's rows and free its classes, for this year from now on
            let b = self.years[y].blocks.remove(bi);
            let yr = &mut self.years[y];
            yr.rows.extend(b.rows);
            yr.free.extend(b.classes);
            return None;
        }
        let mut grad: Vec<f64> = yr.rows.iter().map(|&r| c.g[r] - contr[r]).collect();
        grad.extend(yr.caps.iter().map(|&k| hours[k] - c.cap_limit(k)));
        Some(Eval {
            value,
            grad,
            kept_mu,
        })
    }

    /// The year's starting point and upper bounds of the coordinates.
    fn start(&self, y: usize, mu: &[f64], lam: &[f64]) -> (Vec<f64>, Vec<f64>) {
        let yr = &self.years[y];
        let mut x: Vec<f64> = yr.rows.iter().map(|&r| mu[r]).collect();
        x.extend(yr.caps.iter().map(|&k| lam[k]));
        let mut hi: Vec<f64> = yr.rows.iter().map(|&r| self.c.m[r]).collect();
        hi.extend(yr.caps.iter().map(|_| f64::INFINITY));
        (x, hi)
    }

    /// Maximises year `y`'s dual function from `(mu, lam)`; returns its best value and writes
    /// the multipliers reached (the kept rows' prices from their relaxation) into `out_mu`,
    /// `out_lam`.
    fn year(
        &mut self,
        y: usize,
        mu: &[f64],
        lam: &[f64],
        out_mu: &mut [f64],
        out_lam: &mut [f64],
    ) -> f64 {
        loop {
            let (x0, hi) = self.start(y, mu, lam);
            let Some(e0) = self.eval(y, &x0, false) else {
                continue; // a block was dualised: the coordinates changed
            };
            let d = x0.len();
            if d == 0 {
                let e = self
                    .eval(y, &x0, true)
                    .map_or(e0.value, |e| e.value.max(e0.value));
                for (r, &m) in e0.kept_mu.iter().enumerate() {
                    if m > 0.0 {
                        out_mu[r] = m;
                    }
                }
                return e;
            }
            let mut cuts_a: Vec<f64> = vec![e0.value];
            let mut cuts_g: Vec<Vec<f64>> = vec![e0.grad.clone()];
            let mut cuts_x: Vec<Vec<f64>> = vec![x0.clone()];
            let mut center = x0;
            let mut best = e0.value;
            let scale = best.abs().max(1.0);
            // box half-widths: the coordinate's size, at least a typical price
            let typical: Vec<f64> = (0..d)
                .map(|j| {
                    let g = e0.grad[j].abs().max(1e-9);
                    (scale / g / d as f64).min(if hi[j].is_finite() {
                        hi[j]
                    } else {
                        f64::INFINITY
                    })
                })
                .collect();
            let mut delta: Vec<f64> = (0..d)
                .map(|j| center[j].abs().max(typical[j]).max(1e-9))
                .collect();
            let mut restart = false;
            for _ in 0..MAX_EVALS {
                let lo: Vec<f64> = (0..d).map(|j| (center[j] - delta[j]).max(0.0)).collect();
                let up: Vec<f64> = (0..d).map(|j| (center[j] + delta[j]).min(hi[j])).collect();
                let u: Vec<f64> = (0..d).map(|j| (up[j] - lo[j]).max(0.0)).collect();
                let a: Vec<f64> = (0..cuts_a.len())
                    .map(|i| {
                        cuts_a[i]
                            + (0..d)
                                .map(|j| cuts_g[i][j] * (lo[j] - cuts_x[i][j]))
                                .sum::<f64>()
                    })
                    .collect();
                let Some((t, xs)) = master(&a, &cuts_g, &u) else {
                    break;
                };
                let x: Vec<f64> = (0..d).map(|j| lo[j] + xs[j]).collect();
                let binding: Vec<bool> = (0..d)
                    .map(|j| {
                        (xs[j] <= 1e-12 * u[j].max(1.0) && lo[j] > 0.0)
                            || (xs[j] >= u[j] * (1.0 - 1e-12) && up[j] < hi[j])
                    })
                    .collect();
                if t - best <= 1e-7 * scale {
                    if binding.iter().any(|&b| b) {
                        for j in 0..d {
                            if binding[j] {
                                delta[j] *= 4.0;
                            }
                        }
                        continue;
                    }
                    break;
                }
                let Some(e) = self.eval(y, &x, false) else {
                    restart = true;
                    break;
                };
                if e.value > best + 0.1 * (t - best) {
                    center.clone_from(&x);
                    for j in 0..d {
                        if binding[j] {
                            delta[j] *= 2.0;
                        }
                    }
                } else {
                    for dj in delta.iter_mut() {
                        *dj *= 0.7;
                    }
                }
                if e.value > best {
                    best = e.value;
                }
                cuts_a.push(e.value);
                cuts_g.push(e.grad);
                cuts_x.push(x);
            }
            if !restart {
                // the knapsacks solved exactly at the best multipliers of their relaxation
                let Some(lp) = self.eval(y, &center, false) else {
                    continue;
                };
                let Some(e) = self.eval(y, &center, true) else {
                    continue;
                };
                let best = e.value.max(best);
                let yr = &self.years[y];
                for (i, &r) in yr.rows.iter().enumerate() {
                    out_mu[r] = center[i];
                }
                for (i, &k) in yr.caps.iter().enumerate() {
                    out_lam[k] = center[yr.rows.len() + i];
                }
                for (r, &m) in lp.kept_mu.iter().enumerate() {
                    if m > 0.0 {
                        out_mu[r] = m;
                    }
                }
                return best;
            }
        }
    }

    /// The bound: every year's dual maximised from the given multipliers. Returns it with the
    /// multipliers reached.
    pub(crate) fn bound(&mut self, mu: &[f64], lam: &[f64]) -> (f64, Vec<f64>, Vec<f64>) {
        let mut total = 0.0;
        let mut out_mu = mu.to_vec();
        let mut out_lam = lam.to_vec();
        for y in 0..self.years.len() {
            total += self.year(y, mu, lam, &mut out_mu, &mut out_lam);
        }
        (total, out_mu, out_lam)
    }
}

#[cfg(test)]
mod tests {
    use super::master;

    #[test]
    fn master_maximises_the_lower_envelope_of_the_cuts_in_the_box() {
        // t ≤ 1 + x, t ≤ 3 − x, x ∈ [0, 5]: t = 2 at x = 1
        let (t, x) = master(&[1.0, 3.0], &[vec![1.0], vec![-1.0]], &[5.0]).expect("solved");
        assert!((t - 2.0).abs() < 1e-9, "{t}");
        assert!((x[0] - 1.0).abs() < 1e-9, "{x:?}");
        // one cut rising: the box's upper end
        let (t, x) = master(&[1.0], &[vec![2.0]], &[3.0]).expect("solved");
        assert!(
            (t - 7.0).abs() < 1e-9 && (x[0] - 3.0).abs() < 1e-9,
            "{t} {x:?}"
        );
        // two coordinates
        let (t, x) = master(
            &[0.0, 4.0, 4.0],
            &[vec![1.0, 1.0], vec![-1.0, 0.0], vec![0.0, -1.0]],
            &[10.0, 10.0],
        )
        .expect("solved");
        assert!((t - 8.0 / 3.0).abs() < 1e-9, "{t} {x:?}");
    }
}
