//! The lever planner: the optimisation model, its solvers and its LP export.

mod compiled;
mod lp;
mod problem;
mod solve;
mod synthetic;

#[cfg(test)]
mod tests;

pub use problem::{DEFAULT_SHORTFALL_WEIGHT, PlanningProblem, ProblemClass, ProblemOption};
pub use solve::{Solution, SolverOptions};
