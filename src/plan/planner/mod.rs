//! The lever planner: the optimisation model, its solvers and its LP export.

mod bound;
mod compiled;
mod lp;
mod plan;
mod problem;
mod solve;
mod synthetic;
mod synthetic_programme;

#[cfg(test)]
mod tests;

pub use lp::LpObjective;
pub use plan::{
    Assignment, BudgetFinding, CapacityFinding, CoverageStatus, LeverNote, LeverReason, Lock,
    LockKind, ObjectivePart, ObligationCoverage, Plan, PlanFinding, PlanNote, PlanNoteKind,
    PlanOptions, Planner, TargetResult, TargetStatus, UnmetCause, UnmetTarget,
};
pub use problem::{
    DEFAULT_SHORTFALL_WEIGHT, Objective, PlanningProblem, ProblemClass, ProblemOption,
};
pub use solve::{Raised, Solution, SolverOptions};
#[doc(hidden)]
pub use synthetic_programme::{synthetic_programme, synthetic_targets};
