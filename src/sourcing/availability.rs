//! Which levers the market's capacity makes available to the planner, line by line, with the
//! capacity figures as the reason; the buyer can turn each kind of check off.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::law::context::PurchaseContext;
use crate::levers::lever::Catalogue;
use crate::programme::model::Programme;
use crate::render::messages::Messages;
use crate::sourcing::capacity::Capacity;
use crate::sourcing::ladder::{article_of, check_same};
use crate::sourcing::options::SourcingOptions;
use crate::sourcing::text;
use crate::values::lang::Lang;
use crate::vocabulary::dimension::Instrument;

/// The catalogue's text of `key` in `lang`, placeholders filled.
fn msg(key: &str, lang: Lang, args: &[(&str, &str)]) -> String {
    Messages::embedded().format(key, lang, args)
}

/// `KEY.one` or `KEY.other` for `n` (French: singular for 0 and 1).
fn count(key: &str, lang: Lang, n: usize, args: &[(&str, &str)]) -> String {
    Messages::embedded().plural(key, lang, n as u64, &n.to_string(), args)
}

/// `text: consequence`, with the language's colon.
fn then(lang: Lang, text: String, consequence: &str) -> String {
    format!(
        "{text}{} {}",
        msg("common.colon", lang, &[]),
        msg(consequence, lang, &[])
    )
}

/// What kind of check made a verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum CheckKind {
    /// A reserved contract needs structures of its article within reach.
    Reserved,
    /// An insertion clause's hours must fit what the inclusive structures can absorb.
    Insertion,
    /// A label requirement needs enough suppliers holding the label within reach
    /// ([`Thresholds::label_min`](crate::sourcing::Thresholds)).
    Label,
}

/// The verdict on one lever for one line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Verdict {
    /// The check.
    pub check: CheckKind,
    /// Whether the lever stays available.
    pub available: bool,
    /// Why, with the capacity figures (English, as the plan's reasons).
    pub reason: String,
    /// Why, in French.
    pub reason_fr: String,
}

/// A lever the market's capacity ruled out on a line, as a plan lists it
/// ([`Plan::unavailable`](crate::Plan::unavailable)).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct UnavailableLever {
    /// Line id.
    pub line: String,
    /// Lever id.
    pub lever: String,
    /// The check that ruled it out.
    pub check: CheckKind,
    /// Why, with the capacity figures.
    pub reason: String,
    /// Why, in French (empty in a plan serialized before it was given).
    #[serde(default)]
    pub reason_fr: String,
}

impl UnavailableLever {
    pub(crate) fn new(line: &str, lever: &str, v: &Verdict) -> UnavailableLever {
        UnavailableLever {
            line: line.to_string(),
            lever: lever.to_string(),
            check: v.check,
            reason: v.reason.clone(),
            reason_fr: v.reason_fr.clone(),
        }
    }
}

/// The levers the market's capacity makes available or not, per line, for
/// [`PlanOptions::sourcing`](crate::PlanOptions::sourcing).
///
/// - A reserved contract (L2113-12, L2113-13, L2113-13-1, L2113-15) is available only where
///   at least [`Thresholds::planner_reserved_min`](crate::sourcing::Thresholds) structures
///   eligible under its article exist within reach.
/// - An insertion clause is unavailable where the inclusive structures' known insertion FTEs
///   cannot absorb its estimated hours (where no FTE is known, it stays available).
/// - A label requirement backed by a supplier label is available only where at least
///   [`Thresholds::label_min`](crate::sourcing::Thresholds) suppliers within reach hold the
///   label (default 3), as the ladder recommends it: requiring a label fewer suppliers hold
///   would leave too little competition. With fewer holders the environmental award criterion,
///   which no check concerns, is the route that stays available.
///
/// Each check can be turned off ([`LeverAvailability::reserved`],
/// [`LeverAvailability::insertion`], [`LeverAvailability::labels`]); levers no check concerns
/// are always available.
///
/// ```
/// use spaser::{Catalogue, Programme};
/// use spaser::sourcing::{Capacity, Directory, LeverAvailability, SourcingOptions};
/// let programme = Programme::sample();
/// let options = SourcingOptions::default().departement("49".parse()?);
/// let capacity = Capacity::compute(programme, Directory::sample(), &options);
/// let a = LeverAvailability::compute(programme, &capacity, Catalogue::embedded(), &options)?;
/// assert!(a.allows("S26-04", "reserved-l2113-12")); // green spaces: ESAT within reach
/// // the gymnasium's renovation (painting and finishing works, CPV 4545…): no adapted
/// // enterprise or ESAT within reach does such works
/// assert!(!a.allows("T28-01", "reserved-l2113-12"));
/// assert!(a.clone().reserved(false).allows("T28-01", "reserved-l2113-12"));
/// # Ok::<(), spaser::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct LeverAvailability {
    /// Line id → lever id → verdict.
    pub lines: BTreeMap<String, BTreeMap<String, Verdict>>,
    /// Checks turned off by the buyer.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub off: Vec<CheckKind>,
}

impl LeverAvailability {
    /// Judges every lever of the catalogue that applies to each line and that a check
    /// concerns.
    ///
    /// # Errors
    /// [`ErrorKind::Inconsistent`](crate::ErrorKind::Inconsistent) when `capacity` was not
    /// computed for `programme`; [`ErrorKind::Overflow`](crate::ErrorKind::Overflow) when
    /// insertion hours overflow.
    pub fn compute(
        programme: &Programme,
        capacity: &Capacity,
        catalogue: &Catalogue,
        options: &SourcingOptions,
    ) -> Result<LeverAvailability> {
        check_same(programme, capacity)?;
        let t = &options.thresholds;
        let mut lines = BTreeMap::new();
        for (line, cap) in programme.lines.iter().zip(&capacity.lines) {
            let reach = cap.in_reach();
            let place_en = text::place(reach.level, &cap.departements, &cap.regions, true);
            let place_fr = text::place(reach.level, &cap.departements, &cap.regions, false);
            let ctx = PurchaseContext::from_line(line, programme.buyer.kind, None);
            let mut verdicts = BTreeMap::new();
            for a in catalogue.applicable_line(line, programme.buyer.kind) {
                let lever = a.lever;
                if lever.instrument == Instrument::ReservedContract {
                    let Some(article) = article_of(&lever.legal_reference) else {
                        continue;
                    };
                    let f = reach.article(article);
                    let available = f.count >= t.planner_reserved_min;
                    let say = |lang: Lang| {
                        let en = lang == Lang::En;
                        let mut s = msg(
                            "sourcing.capacity.reserved",
                            lang,
                            &[
                                (
                                    "structures",
                                    &count("sourcing.capacity.eligible", lang, f.count, &[]),
                                ),
                                ("article", &article.to_string()),
                                ("place", lang.pick(&place_fr, &place_en)),
                            ],
                        );
                        if !available {
                            let needed = count(
                                "sourcing.capacity.needed",
                                lang,
                                t.planner_reserved_min,
                                &[],
                            );
                            return then(
                                lang,
                                format!("{s} ({needed})"),
                                "sourcing.capacity.no_reserved",
                            );
                        }
                        if let (Some(m), Some(d)) = (f.mean_turnover, f.dependency) {
                            s.push_str(", ");
                            s.push_str(&msg(
                                "sourcing.capacity.dependency",
                                lang,
                                &[
                                    ("turnover", &text::euros_short(m, en)),
                                    ("dependency", &text::percent(d, en)),
                                ],
                            ));
                        }
                        s
                    };
                    let (reason, reason_fr) = (say(Lang::En), say(Lang::Fr));
                    verdicts.insert(
                        lever.id.clone(),
                        Verdict {
                            check: CheckKind::Reserved,
                            available,
                            reason,
                            reason_fr,
                        },
                    );
                } else if lever.insertion.is_some() {
                    let hours = lever.insertion_hours(&ctx)?.unwrap_or(Decimal::ZERO);
                    let inc = &reach.inclusive;
                    let years = Decimal::from(line.duration_months.unwrap_or(12).max(12))
                        / Decimal::from(12);
                    let absorbable = (inc.with_fte > 0).then(|| {
                        inc.insertion_fte
                            * t.hours_per_fte
                            * t.absorbable_share.as_decimal()
                            * years
                    });
                    let available = absorbable.is_none_or(|ab| ab >= hours);
                    let say = |lang: Lang| {
                        let en = lang == Lang::En;
                        let place = lang.pick(&place_fr, &place_en);
                        match absorbable {
                            None => count(
                                "sourcing.capacity.fte_unknown",
                                lang,
                                inc.count,
                                &[("place", place), ("hours", &text::hours(hours, en))],
                            ),
                            Some(ab) => {
                                let s = count(
                                    "sourcing.capacity.absorb",
                                    lang,
                                    inc.count,
                                    &[
                                        ("place", place),
                                        ("absorbable", &text::hours(ab, en)),
                                        ("hours", &text::hours(hours, en)),
                                    ],
                                );
                                if available {
                                    s
                                } else {
                                    then(lang, s, "sourcing.capacity.too_many_hours")
                                }
                            }
                        }
                    };
                    let (reason, reason_fr) = (say(Lang::En), say(Lang::Fr));
                    verdicts.insert(
                        lever.id.clone(),
                        Verdict {
                            check: CheckKind::Insertion,
                            available,
                            reason,
                            reason_fr,
                        },
                    );
                } else if let Some((status, _)) = options
                    .label_levers
                    .iter()
                    .find(|(_, ids)| ids.contains(&lever.id))
                {
                    let f = reach.status(status);
                    // the ladder's rule: a label is required only where enough suppliers hold it
                    let available = f.count >= t.label_min;
                    let say = |lang: Lang| {
                        let s = count(
                            "sourcing.capacity.label",
                            lang,
                            f.count,
                            &[
                                ("label", lang.pick(status.label_fr(), status.label_en())),
                                ("place", lang.pick(&place_fr, &place_en)),
                            ],
                        );
                        if available {
                            return s;
                        }
                        let needed =
                            count("sourcing.capacity.label_needed", lang, t.label_min, &[]);
                        then(
                            lang,
                            format!("{s} ({needed})"),
                            if f.count == 0 {
                                "sourcing.capacity.label_not_required"
                            } else {
                                "sourcing.capacity.label_criterion"
                            },
                        )
                    };
                    verdicts.insert(
                        lever.id.clone(),
                        Verdict {
                            check: CheckKind::Label,
                            available,
                            reason: say(Lang::En),
                            reason_fr: say(Lang::Fr),
                        },
                    );
                }
            }
            if !verdicts.is_empty() {
                lines.insert(line.id.clone(), verdicts);
            }
        }
        Ok(LeverAvailability {
            lines,
            off: Vec::new(),
        })
    }

    fn set(mut self, check: CheckKind, on: bool) -> LeverAvailability {
        self.off.retain(|c| *c != check);
        if !on {
            self.off.push(check);
            self.off.sort();
        }
        self
    }

    /// Turns the reserved-contract check on or off.
    pub fn reserved(self, on: bool) -> LeverAvailability {
        self.set(CheckKind::Reserved, on)
    }

    /// Turns the insertion-hours check on or off.
    pub fn insertion(self, on: bool) -> LeverAvailability {
        self.set(CheckKind::Insertion, on)
    }

    /// Turns the label check on or off.
    pub fn labels(self, on: bool) -> LeverAvailability {
        self.set(CheckKind::Label, on)
    }

    /// The verdict on `lever` for `line`, when a check that is on concerns it.
    pub fn verdict(&self, line: &str, lever: &str) -> Option<&Verdict> {
        self.lines
            .get(line)
            .and_then(|m| m.get(lever))
            .filter(|v| !self.off.contains(&v.check))
    }

    /// Whether `lever` may be planned on `line`.
    pub fn allows(&self, line: &str, lever: &str) -> bool {
        self.verdict(line, lever).is_none_or(|v| v.available)
    }

    /// The levers made unavailable, as (line, lever, verdict), by line then lever.
    pub fn unavailable(&self) -> impl Iterator<Item = (&str, &str, &Verdict)> {
        self.lines.iter().flat_map(move |(l, m)| {
            m.iter()
                .filter(move |(_, v)| !v.available && !self.off.contains(&v.check))
                .map(move |(k, v)| (l.as_str(), k.as_str(), v))
        })
    }
}
