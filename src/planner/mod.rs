//! The lever planner: the optimisation model, its solvers and its LP export.

mod compiled;
mod lp;
mod plan;
mod problem;
mod solve;
mod synthetic;

#[cfg(test)]
mod tests;

pub use plan::{
    Assignment, LeverNote, Lock, LockKind, ObligationCoverage, Plan, PlanFinding, PlanOptions,
    Planner, TargetResult, UnmetCause, UnmetTarget,
};
pub use problem::{DEFAULT_SHORTFALL_WEIGHT, PlanningProblem, ProblemClass, ProblemOption};
pub use solve::{Solution, SolverOptions};
