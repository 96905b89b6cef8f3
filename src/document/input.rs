//! What a document is made from besides the plan: the programme (its buyer, purchases and
//! procedures) and optional inputs that fill more of it.

use chrono::NaiveDate;

use crate::indicators::IndicatorTable;
use crate::law::obligations::Finding;
use crate::law::rulebook::Rulebook;
use crate::maturity::Scorecard;
use crate::programme::calendar::LeadTimes;
use crate::programme::model::Programme;
use crate::render::messages::Messages;
use crate::values::lang::Lang;

/// The inputs of a [`Document`](crate::document::Document): the programme the plan was
/// computed for (its buyer profile, purchases, dates and families) and optional inputs; the
/// simple call is [`Plan::document`](crate::Plan::document).
///
/// Every optional input has a default: French, no date, the embedded rulebook and message
/// catalogue, the default lead times, no past indicators, no maturity score, and the SPASER
/// verdict computed from the buyer's yearly expenditure when its profile gives it.
///
/// ```
/// use chrono::NaiveDate;
/// use spaser::document::DocumentInput;
/// use spaser::{Lang, Programme};
/// let input = DocumentInput::new(Programme::sample())
///     .lang(Lang::En)
///     .date(NaiveDate::from_ymd_opt(2026, 1, 15).unwrap());
/// assert_eq!(input.language(), Lang::En);
/// ```
#[derive(Debug, Clone)]
pub struct DocumentInput<'a> {
    pub(crate) programme: &'a Programme,
    pub(crate) lang: Lang,
    pub(crate) date: Option<NaiveDate>,
    pub(crate) rulebook: &'a Rulebook,
    pub(crate) messages: &'a Messages,
    pub(crate) lead_times: LeadTimes,
    pub(crate) actuals: Option<&'a IndicatorTable>,
    pub(crate) scorecard: Option<&'a Scorecard>,
    pub(crate) spaser: Option<Finding>,
}

impl<'a> DocumentInput<'a> {
    /// The inputs of the document of a plan computed for `programme`, with every default.
    pub fn new(programme: &'a Programme) -> DocumentInput<'a> {
        DocumentInput {
            programme,
            lang: Lang::Fr,
            date: None,
            rulebook: Rulebook::embedded(),
            messages: Messages::embedded(),
            lead_times: LeadTimes::default(),
            actuals: None,
            scorecard: None,
            spaser: None,
        }
    }

    /// The language (French by default).
    pub fn lang(mut self, lang: Lang) -> DocumentInput<'a> {
        self.lang = lang;
        self
    }

    /// The date of the document: printed on its cover and the reference of the calendar
    /// (which consultations are late). The crate never reads the clock.
    pub fn date(mut self, date: NaiveDate) -> DocumentInput<'a> {
        self.date = Some(date);
        self
    }

    /// The rulebook the plan was computed with (the embedded one by default): the source of
    /// the obligations, thresholds and their confidence.
    pub fn rulebook(mut self, rulebook: &'a Rulebook) -> DocumentInput<'a> {
        self.rulebook = rulebook;
        self
    }

    /// A message catalogue (the embedded one by default; see
    /// [`Messages::with_patch`](crate::Messages::with_patch) for a buyer's own wording).
    pub fn messages(mut self, messages: &'a Messages) -> DocumentInput<'a> {
        self.messages = messages;
        self
    }

    /// Lead times of the procedures and of sourcing (for the sheets' dates).
    pub fn lead_times(mut self, lead_times: LeadTimes) -> DocumentInput<'a> {
        self.lead_times = lead_times;
        self
    }

    /// The indicators of past years, measured on awarded contracts (e.g. the `marches` table
    /// of [`decp::ActualsReport`](crate::decp::ActualsReport)): the starting point of the
    /// "état des lieux" and the realised line of the trajectory charts.
    pub fn actuals(mut self, actuals: &'a IndicatorTable) -> DocumentInput<'a> {
        self.actuals = Some(actuals);
        self
    }

    /// A maturity score of the purchasing function (the radar of the "état des lieux").
    pub fn scorecard(mut self, scorecard: &'a Scorecard) -> DocumentInput<'a> {
        self.scorecard = Some(scorecard);
        self
    }

    /// The SPASER verdict to print, when the caller computed it (e.g. with
    /// [`ObligationEngine::spaser_for_year`](crate::ObligationEngine::spaser_for_year));
    /// otherwise it is computed from the buyer's yearly expenditure.
    pub fn spaser(mut self, verdict: Finding) -> DocumentInput<'a> {
        self.spaser = Some(verdict);
        self
    }

    /// The language of the document.
    pub fn language(&self) -> Lang {
        self.lang
    }
}
