//! Plan options from a file a buyer writes (JSON or TOML): everything [`PlanOptions`] and
//! [`LeadTimes`] hold, so that no one needs Rust to use them.
//!
//! ```toml
//! max_levers_per_line = 3
//! effort_budget = 250          # person-days over the whole plan
//! shortfall_weight = 1000      # person-days per point of shortfall
//!
//! [capacity]                   # insertion hours the facilitator can place
//! every_year = 12000
//! 2027 = 15000
//!
//! [[locks]]
//! line = "T26-01"
//! lever = "social-insertion-clause"
//! kind = "force"               # or "forbid" (imposer / interdire)
//!
//! [lead_times]                 # months (calendar)
//! no_competition = 1
//! adapted = 3
//! formal = 6
//! sourcing = 2
//!
//! [solver]
//! target_gap = 0.01
//! max_iterations = 400
//! exact_line_limit = 24
//! exact_node_limit = 2000000
//! ```
//!
//! Every key is optional. Numbers may be written as numbers or as texts (`"12 000"`).
//!
//! `[capacity_per_service.<service>]` (hours per year, or `every_year`, for one prescribing
//! service, named as in the programme's `service` column) bounds the insertion hours of that
//! service's lines, besides the year's capacity ([`PlanOptions::service_capacity`],
//! [`PlanOptions::service_capacity_every_year`]).

use std::collections::BTreeMap;
use std::path::Path;

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde::Deserialize;

use crate::error::{Error, ErrorKind, Result};
use crate::plan::planner::{Lock, LockKind, PlanOptions, SolverOptions};
use crate::programme::calendar::LeadTimes;
use crate::programme::files::{Scalar, is_toml, parse_json, parse_toml, read_text};
use crate::util::text::excerpt;
use crate::values::date::{EARLIEST_YEAR, LATEST_YEAR};

/// The most subgradient iterations an options file may ask for (the default is 400).
const MAX_ITERATIONS: usize = 1_000_000;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct LockFile {
    #[serde(alias = "ligne")]
    line: String,
    #[serde(alias = "levier")]
    lever: String,
    #[serde(alias = "type")]
    kind: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct LeadFile {
    #[serde(default, alias = "sans_mise_en_concurrence")]
    no_competition: Option<u32>,
    #[serde(default, alias = "adaptee", alias = "mapa")]
    adapted: Option<u32>,
    #[serde(default, alias = "formalisee")]
    formal: Option<u32>,
    #[serde(default, alias = "sourcage")]
    sourcing: Option<u32>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct SolverFile {
    #[serde(default)]
    target_gap: Option<f64>,
    #[serde(default)]
    max_iterations: Option<usize>,
    #[serde(default)]
    exact_line_limit: Option<usize>,
    #[serde(default)]
    exact_node_limit: Option<u64>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct OptionsFile {
    #[serde(default, alias = "capacite")]
    capacity: BTreeMap<String, Scalar>,
    #[serde(default, alias = "capacite_par_service")]
    capacity_per_service: BTreeMap<String, BTreeMap<String, Scalar>>,
    #[serde(default, alias = "leviers_par_ligne_max")]
    max_levers_per_line: Option<usize>,
    #[serde(default, alias = "budget_effort")]
    effort_budget: Option<Scalar>,
    #[serde(default, alias = "poids_ecart")]
    shortfall_weight: Option<Scalar>,
    #[serde(default, alias = "verrous")]
    locks: Vec<LockFile>,
    #[serde(default, alias = "delais")]
    lead_times: Option<LeadFile>,
    #[serde(default)]
    solver: Option<SolverFile>,
}

/// The options of a plan and of its calendar, as a buyer writes them in a file (see the
/// module documentation for the format).
///
/// ```
/// use spaser::PlanningOptions;
/// let o = PlanningOptions::from_json(r#"{"capacity": {"every_year": "12 000", "2027": 15000},
///     "locks": [{"line": "T1", "lever": "social-insertion-clause", "kind": "forbid"}],
///     "lead_times": {"formal": 8}}"#)?;
/// assert_eq!(o.lead_times.months(spaser::Procedure::Formal), 8);
/// assert_eq!(o.lead_times.months(spaser::Procedure::Adapted), 3); // the default
/// # Ok::<(), spaser::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
#[non_exhaustive]
pub struct PlanningOptions {
    /// The planner's options.
    pub plan: PlanOptions,
    /// The calendar's lead times.
    pub lead_times: LeadTimes,
}

fn field(name: &str, e: impl std::fmt::Display) -> Error {
    Error::new(
        ErrorKind::InvalidValue,
        format!("plan options, field \"{name}\": {e}"),
    )
}

fn year(name: &str, key: &str) -> Result<i32> {
    key.trim()
        .parse::<i32>()
        .ok()
        .filter(|y| (EARLIEST_YEAR..=LATEST_YEAR).contains(y))
        .ok_or_else(|| {
            field(
                name,
                format!(
                    "\"{}\" is neither a year in {EARLIEST_YEAR}-{LATEST_YEAR} nor \"every_year\"",
                    excerpt(key)
                ),
            )
        })
}

fn non_negative(name: &str, v: &Scalar) -> Result<Decimal> {
    let d = v.decimal().map_err(|e| field(name, e))?;
    if d.is_sign_negative() && !d.is_zero() {
        return Err(field(
            name,
            format!("\"{}\" is negative", excerpt(&v.text())),
        ));
    }
    Ok(d)
}

fn is_every_year(key: &str) -> bool {
    matches!(
        key.trim().to_ascii_lowercase().as_str(),
        "every_year" | "chaque_annee" | "default" | "*"
    )
}

impl TryFrom<OptionsFile> for PlanningOptions {
    type Error = Error;
    fn try_from(f: OptionsFile) -> Result<PlanningOptions> {
        let mut plan = PlanOptions::default();
        for (k, v) in &f.capacity {
            let name = format!("capacity.{}", excerpt(k));
            let hours = non_negative(&name, v)?;
            plan = if is_every_year(k) {
                plan.capacity_every_year(hours)
            } else {
                plan.capacity(year(&name, k)?, hours)
            };
        }
        for (service, years) in &f.capacity_per_service {
            for (k, v) in years {
                let name = format!("capacity_per_service.{}.{}", excerpt(service), excerpt(k));
                let hours = non_negative(&name, v)?;
                let y = if is_every_year(k) {
                    None
                } else {
                    Some(year(&name, k)?)
                };
                plan = service_capacity(plan, service, y, hours).map_err(|e| field(&name, e))?;
            }
        }
        if let Some(n) = f.max_levers_per_line {
            plan = plan.max_levers_per_line(n);
        }
        if let Some(b) = &f.effort_budget {
            plan = plan.effort_budget(non_negative("effort_budget", b)?);
        }
        if let Some(w) = &f.shortfall_weight {
            let d = non_negative("shortfall_weight", w)?;
            let w = d
                .to_f64()
                .filter(|x| x.is_finite())
                .ok_or_else(|| field("shortfall_weight", "is out of range"))?;
            plan = plan.shortfall_weight(w);
        }
        for (i, l) in f.locks.iter().enumerate() {
            let name = format!("locks[{i}]");
            if l.line.trim().is_empty() || l.lever.trim().is_empty() {
                return Err(field(&name, "a lock needs a line and a lever"));
            }
            let kind = match l.kind.trim().to_lowercase().as_str() {
                "force" | "forced" | "imposer" | "impose" | "forcer" => LockKind::Force,
                "forbid" | "forbidden" | "interdire" | "interdit" | "exclure" => LockKind::Forbid,
                other => {
                    return Err(field(
                        &format!("{name}.kind"),
                        format!(
                            "\"{}\" is unknown; accepted: force, forbid (imposer, interdire)",
                            excerpt(other)
                        ),
                    ));
                }
            };
            plan = plan.lock(Lock {
                line: l.line.trim().to_string(),
                lever: l.lever.trim().to_string(),
                kind,
            });
        }
        if let Some(s) = &f.solver {
            let mut o = SolverOptions::default();
            if let Some(g) = s.target_gap {
                if !(0.0..=1.0).contains(&g) {
                    return Err(field("solver.target_gap", format!("{g} is outside 0..=1")));
                }
                o = o.target_gap(g);
            }
            if let Some(n) = s.max_iterations {
                if !(1..=MAX_ITERATIONS).contains(&n) {
                    return Err(field(
                        "solver.max_iterations",
                        format!("{n} is outside 1..={MAX_ITERATIONS}"),
                    ));
                }
                o = o.max_iterations(n);
            }
            if let Some(n) = s.exact_line_limit {
                o = o.exact_line_limit(n);
            }
            if let Some(n) = s.exact_node_limit {
                o = o.exact_node_limit(n);
            }
            plan = plan.solver(o);
        }
        let mut lead_times = LeadTimes::default();
        if let Some(l) = &f.lead_times {
            for (name, v) in [
                ("lead_times.no_competition", l.no_competition),
                ("lead_times.adapted", l.adapted),
                ("lead_times.formal", l.formal),
                ("lead_times.sourcing", l.sourcing),
            ] {
                if v.is_some_and(|m| m > 120) {
                    return Err(field(name, "more than 120 months"));
                }
            }
            if let Some(m) = l.no_competition {
                lead_times = lead_times.no_competition(m);
            }
            if let Some(m) = l.adapted {
                lead_times = lead_times.adapted(m);
            }
            if let Some(m) = l.formal {
                lead_times = lead_times.formal(m);
            }
            if let Some(m) = l.sourcing {
                lead_times = lead_times.sourcing(m);
            }
        }
        Ok(PlanningOptions { plan, lead_times })
    }
}

/// Sets the insertion capacity of a prescribing service (for a year, or every year).
fn service_capacity(
    plan: PlanOptions,
    service: &str,
    year: Option<i32>,
    hours: Decimal,
) -> Result<PlanOptions> {
    if service.trim().is_empty() {
        return Err(Error::new(
            ErrorKind::InvalidValue,
            "the service name is empty",
        ));
    }
    Ok(match year {
        Some(y) => plan.service_capacity(service, y, hours),
        None => plan.service_capacity_every_year(service, hours),
    })
}

impl PlanningOptions {
    /// Reads the options from JSON.
    ///
    /// # Errors
    /// [`ErrorKind::Parse`] for malformed JSON or an unknown key (naming it and where);
    /// [`ErrorKind::InvalidValue`] naming the field for a negative number, a year outside
    /// 1990–2100, an unknown lock kind, a gap outside 0..=1 or a lead time above 120 months.
    pub fn from_json(json: &str) -> Result<PlanningOptions> {
        let f: OptionsFile = parse_json(json, "plan options")?;
        PlanningOptions::try_from(f)
    }

    /// Reads the options from TOML (feature `toml`).
    ///
    /// # Errors
    /// As [`PlanningOptions::from_json`].
    ///
    /// ```
    /// let o = spaser::PlanningOptions::from_toml("max_levers_per_line = 2\n[capacity]\n2026 = 5000\n")?;
    /// assert_eq!(o, spaser::PlanningOptions::from_json(r#"{"max_levers_per_line": 2, "capacity": {"2026": 5000}}"#)?);
    /// # Ok::<(), spaser::Error>(())
    /// ```
    #[cfg(feature = "toml")]
    pub fn from_toml(text: &str) -> Result<PlanningOptions> {
        let f: OptionsFile = parse_toml(text, "plan options")?;
        PlanningOptions::try_from(f)
    }

    /// Reads an options file: TOML when its name ends in `.toml`, JSON otherwise.
    ///
    /// # Errors
    /// [`ErrorKind::Io`] naming the file; the errors of [`PlanningOptions::from_json`],
    /// prefixed with the file.
    pub fn from_path(path: impl AsRef<Path>) -> Result<PlanningOptions> {
        let path = path.as_ref();
        let text = read_text(path)?;
        let f: Result<OptionsFile> = if is_toml(path) {
            parse_toml(&text, "plan options")
        } else {
            parse_json(&text, "plan options")
        };
        f.and_then(PlanningOptions::try_from)
            .map_err(|e| e.context(path.display()))
    }
}

impl PlanOptions {
    /// The planner's options of an options file ([`PlanningOptions::from_path`], without the
    /// calendar's lead times).
    ///
    /// # Errors
    /// As [`PlanningOptions::from_path`].
    pub fn from_path(path: impl AsRef<Path>) -> Result<PlanOptions> {
        PlanningOptions::from_path(path).map(|o| o.plan)
    }
}
