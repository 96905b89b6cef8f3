//! The lever planner: the optimisation model, its solvers and its LP export.

mod compiled;
mod lp;
mod plan;
mod problem;
mod solve;
mod synthetic;
mod synthetic_programme;

#[cfg(test)]
mod tests;

pub use plan::{
    Assignment, CoverageStatus, LeverNote, LeverReason, Lock, LockKind, ObligationCoverage, Plan,
    PlanFinding, PlanOptions, Planner, TargetResult, UnmetCause, UnmetTarget,
};
pub use problem::{DEFAULT_SHORTFALL_WEIGHT, PlanningProblem, ProblemClass, ProblemOption};
pub use solve::{Solution, SolverOptions};
#[doc(hidden)]
pub use synthetic_programme::{synthetic_programme, synthetic_targets};
