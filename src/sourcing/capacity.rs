//! Market capacity per line: the suppliers of the directory that match a line's CPV code,
//! counted by status in the département where it is performed, its region and the whole
//! country, with their turnover and the economic dependency a contract would create.

use std::collections::BTreeMap;
use std::sync::Arc;

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

use crate::law::context::ReservedArticle;
use crate::programme::model::{PlanLine, Programme};
use crate::sourcing::directory::Directory;
use crate::sourcing::geo::Region;
use crate::sourcing::naf::NafCode;
use crate::sourcing::options::{DependencyBasis, Level, SourcingOptions};
use crate::sourcing::status::{Status, StatusFamily};
use crate::util::hash::FastMap;
use crate::values::cpv::CpvCode;
use crate::values::money::Amount;
use crate::values::nature::Nature;
use crate::values::place::Departement;

/// Figures of one group of suppliers (all matching suppliers, those of one status, family or
/// reservation article) at one level.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Figures {
    /// Suppliers in the group.
    pub count: usize,
    /// Those whose turnover is known.
    pub with_turnover: usize,
    /// Average (mean) turnover of those, euros HT, rounded to the cent (half away from
    /// zero).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mean_turnover: Option<Amount>,
    /// Median turnover of those, euros HT (the mean of the two middle values for an even
    /// count, rounded to the cent half away from zero).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub median_turnover: Option<Amount>,
    /// Economic dependency: the line's amount (see [`DependencyBasis`]) as a percentage of the
    /// mean turnover, rounded to 0.01 point (half away from zero) — Le Marché de
    /// l'inclusion's "budget ÷ average turnover × 100".
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "rust_decimal::serde::str_option"
    )]
    pub dependency: Option<Decimal>,
    /// Sum of the known insertion FTEs of the group.
    #[serde(with = "rust_decimal::serde::str")]
    pub insertion_fte: Decimal,
    /// Suppliers whose insertion FTE is known.
    pub with_fte: usize,
}

/// The capacity of the market at one level (département, region or country).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct LevelCapacity {
    /// The level.
    pub level: Level,
    /// Every matching supplier.
    pub all: Figures,
    /// The inclusive structures (insertion, disability, prison): the partners of an
    /// insertion clause.
    pub inclusive: Figures,
    /// By status (a supplier counts once under each of its statuses).
    pub statuses: BTreeMap<Status, Figures>,
    /// By family of status.
    pub families: BTreeMap<StatusFamily, Figures>,
    /// By reservation article (`L2113-12`, `L2113-13`, `L2113-13-1`, `L2113-15`): the
    /// structures a contract reserved under it could go to (each counted once).
    pub articles: BTreeMap<String, Figures>,
}

/// No supplier, nationally.
const NO_FIGURES: Figures = Figures {
    count: 0,
    with_turnover: 0,
    mean_turnover: None,
    median_turnover: None,
    dependency: None,
    insertion_fte: Decimal::ZERO,
    with_fte: 0,
};

/// The capacity of a line without levels.
static NO_CAPACITY: LevelCapacity = LevelCapacity {
    level: Level::National,
    all: NO_FIGURES,
    inclusive: NO_FIGURES,
    statuses: BTreeMap::new(),
    families: BTreeMap::new(),
    articles: BTreeMap::new(),
};

impl LevelCapacity {
    /// The figures of `status` (empty figures when no supplier holds it).
    pub fn status(&self, status: &Status) -> Figures {
        self.statuses.get(status).cloned().unwrap_or_default()
    }

    /// The figures of the structures eligible under `article`.
    pub fn article(&self, article: ReservedArticle) -> Figures {
        self.articles
            .get(article.as_str())
            .cloned()
            .unwrap_or_default()
    }

    /// The figures of `family`.
    pub fn family(&self, family: StatusFamily) -> Figures {
        self.families.get(&family).cloned().unwrap_or_default()
    }
}

/// Why a line could not be matched with suppliers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Unmatched {
    /// The line has no CPV code.
    NoCpv,
}

/// The capacity of the market for one line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct LineCapacity {
    /// The line's id.
    pub line: String,
    /// Its CPV code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpv: Option<CpvCode>,
    /// Its nature.
    pub nature: Nature,
    /// Its estimated value (whole duration).
    pub amount: Amount,
    /// The amount the dependency divides (whole or per year, [`DependencyBasis`]).
    pub basis_amount: Amount,
    /// Where it is performed: the line's départements, else the buyer's, else the options'.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub departements: Vec<Departement>,
    /// Their regions.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub regions: Vec<Region>,
    /// The level up to which suppliers count for the ladder (the options' reach for the
    /// nature; national when the place of performance is unknown).
    pub reach: Level,
    /// Capacity at each known level, narrowest first (national always; département and
    /// region when the place of performance is known).
    pub levels: Vec<LevelCapacity>,
    /// Suppliers (nationally) matched only through their NAF code (confidence `S`).
    pub via_naf: usize,
    /// Why nothing could be matched, when so.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unmatched: Option<Unmatched>,
    /// The matching suppliers within reach, as indices into the directory (not serialized).
    #[serde(skip)]
    pub(crate) members: Arc<[u32]>,
}

impl LineCapacity {
    /// The capacity at `level` (`None` when the place of performance is unknown and the level
    /// is the département or the region).
    pub fn at(&self, level: Level) -> Option<&LevelCapacity> {
        self.levels.iter().find(|l| l.level == level)
    }

    /// The capacity within reach (no supplier at all for a capacity without levels, as one
    /// built or read back by hand could be; the crate's own always hold the national level).
    pub fn in_reach(&self) -> &LevelCapacity {
        self.at(self.reach)
            .or_else(|| self.levels.last())
            .unwrap_or(&NO_CAPACITY)
    }

    /// The matching suppliers within reach, in directory order (empty for a capacity read
    /// back from JSON, which does not carry them).
    pub fn suppliers<'d>(
        &'d self,
        directory: &'d Directory,
    ) -> impl Iterator<Item = &'d crate::sourcing::directory::Supplier> + 'd {
        self.members
            .iter()
            .filter_map(move |&i| directory.suppliers().get(i as usize))
    }
}

/// The capacity of the market for every line of a programme, in programme order.
///
/// ```
/// use spaser::Programme;
/// use spaser::sourcing::{Capacity, Directory, Level, SourcingOptions, Status};
/// let options = SourcingOptions::default().departement("49".parse()?);
/// let capacity = Capacity::compute(Programme::sample(), Directory::sample(), &options);
/// let greens = capacity.line("S26-04").unwrap(); // green spaces, CPV 77310000
/// let dep = greens.at(Level::Departement).unwrap();
/// assert_eq!(dep.status(&Status::Esat).count, 4);
/// assert!(greens.at(Level::National).unwrap().all.count > dep.all.count);
/// # Ok::<(), spaser::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Capacity {
    /// One entry per line, in programme order.
    pub lines: Vec<LineCapacity>,
}

impl Capacity {
    /// Matches every line of `programme` with the suppliers of `directory`.
    ///
    /// A supplier matches a line when one of its CPV prefixes (declared, or given by its NAF
    /// code through the NAF → CPV table) and the line's CPV code lie on one branch of the CPV
    /// tree: the supplier's prefix contains the line's code (`909` for a line `90911200`) or
    /// lies within it (`90919` for a line `90900000`). Suppliers are counted where the line is
    /// performed (département), in its region and nationally; the reach of the ladder is the
    /// options' level for the line's nature.
    pub fn compute(
        programme: &Programme,
        directory: &Directory,
        options: &SourcingOptions,
    ) -> Capacity {
        let index = Index::new(directory, options);
        let mut scratch = Scratch::new(directory.len());
        let mut matched: FastMap<String, Matched> = FastMap::default();
        let mut national: FastMap<String, LevelCapacity> = FastMap::default();
        let mut by_region: FastMap<(String, Vec<Region>), PlaceLevel> = FastMap::default();
        let mut by_dep: FastMap<(String, Vec<Departement>), PlaceLevel> = FastMap::default();
        let mut lines = Vec::with_capacity(programme.lines.len());
        for line in &programme.lines {
            let departements = place_of(line, programme, options);
            let reach = if departements.is_empty() {
                Level::National
            } else {
                options.reach_of(line.nature)
            };
            let basis_amount = basis(line, options.basis);
            let Some(cpv) = line.cpv else {
                lines.push(empty(line, departements, reach, basis_amount));
                continue;
            };
            let prefix = cpv.significant_prefix();
            if !matched.contains_key(prefix) {
                let m = index.matches(prefix, &mut scratch);
                matched.insert(prefix.to_string(), m);
            }
            let m = &matched[prefix];
            if !national.contains_key(prefix) {
                let l = index.level(Level::National, m.members.iter().copied());
                national.insert(prefix.to_string(), l);
            }
            let regions = regions_of(&departements);
            let mut levels = Vec::with_capacity(3);
            let mut members: Option<Arc<[u32]>> = None;
            if !departements.is_empty() {
                let dep_ids: Vec<u16> = departements
                    .iter()
                    .filter_map(|d| index.dep_ids.get(d).copied())
                    .collect();
                let key = (prefix.to_string(), departements.clone());
                let (l, list) = by_dep.entry(key).or_insert_with(|| {
                    let list = Matched::union(&m.by_dep, &dep_ids);
                    (index.level(Level::Departement, list.iter().copied()), list)
                });
                levels.push(l.clone());
                if reach == Level::Departement {
                    members = Some(list.clone());
                }
                let key = (prefix.to_string(), regions.clone());
                let (l, list) = by_region.entry(key).or_insert_with(|| {
                    let list = Matched::union(&m.by_region, &regions);
                    (index.level(Level::Region, list.iter().copied()), list)
                });
                levels.push(l.clone());
                if reach == Level::Region {
                    members = Some(list.clone());
                }
            }
            levels.push(national[prefix].clone());
            for l in &mut levels {
                fill_dependency(l, basis_amount);
            }
            lines.push(LineCapacity {
                line: line.id.clone(),
                cpv: Some(cpv),
                nature: line.nature,
                amount: line.amount,
                basis_amount,
                regions,
                departements,
                reach,
                levels,
                via_naf: m.via_naf,
                unmatched: None,
                members: members.unwrap_or_else(|| m.members.clone()),
            });
        }
        Capacity { lines }
    }

    /// The capacity of line `id`.
    pub fn line(&self, id: &str) -> Option<&LineCapacity> {
        self.lines.iter().find(|l| l.line == id)
    }
}

/// Where a line is performed.
fn place_of(line: &PlanLine, programme: &Programme, options: &SourcingOptions) -> Vec<Departement> {
    let mut d: Vec<Departement> = if !line.departements.is_empty() {
        line.departements.clone()
    } else if let Some(b) = &programme.buyer.departement {
        vec![b.clone()]
    } else {
        options.departements.clone()
    };
    d.sort();
    d.dedup();
    d
}

fn regions_of(departements: &[Departement]) -> Vec<Region> {
    let mut r: Vec<Region> = departements.iter().filter_map(Region::of).collect();
    r.sort();
    r.dedup();
    r
}

/// The amount the dependency divides.
fn basis(line: &PlanLine, basis: DependencyBasis) -> Amount {
    match basis {
        DependencyBasis::WholeAmount => line.amount,
        DependencyBasis::Annual => {
            let months = line.duration_months.unwrap_or(12).max(12);
            let per_year = line.amount.as_decimal() * Decimal::from(12) / Decimal::from(months);
            Amount::rounded(per_year, RoundingStrategy::MidpointAwayFromZero).unwrap_or(line.amount)
        }
    }
}

fn empty(
    line: &PlanLine,
    departements: Vec<Departement>,
    reach: Level,
    basis_amount: Amount,
) -> LineCapacity {
    let mut levels = Vec::new();
    for level in Level::ALL {
        if level == Level::National || !departements.is_empty() {
            levels.push(LevelCapacity {
                level,
                all: Figures::default(),
                inclusive: Figures::default(),
                statuses: BTreeMap::new(),
                families: BTreeMap::new(),
                articles: BTreeMap::new(),
            });
        }
    }
    LineCapacity {
        line: line.id.clone(),
        cpv: None,
        nature: line.nature,
        amount: line.amount,
        basis_amount,
        regions: regions_of(&departements),
        departements,
        reach,
        levels,
        via_naf: 0,
        unmatched: Some(Unmatched::NoCpv),
        members: Arc::from(Vec::new()),
    }
}

/// Dependency = amount ÷ mean turnover × 100, rounded to 0.01 point.
pub(crate) fn dependency(amount: Amount, mean: Amount) -> Option<Decimal> {
    // In cents: amount × 100 ÷ mean, in hundredths of a point = amount × 10,000 ÷ mean,
    // rounded half away from zero; exact integer arithmetic (amounts are at most 10^16 cents).
    let a = cents(amount)?;
    let m = cents(mean)?;
    if m == 0 {
        return None;
    }
    Some(Decimal::from_i128_with_scale(div_round(a * 10_000, m), 2))
}

/// An amount in cents (amounts carry at most two decimals).
fn cents(a: Amount) -> Option<i128> {
    let d = a.as_decimal();
    let scale = d.scale();
    if scale > 2 {
        return None;
    }
    Some(d.mantissa() * 10i128.pow(2 - scale))
}

/// `n ÷ d` rounded half away from zero (`d > 0`, `n >= 0`).
fn div_round(n: i128, d: i128) -> i128 {
    (2 * n + d) / (2 * d)
}

fn fill(f: &mut Figures, amount: Amount) {
    f.dependency = f.mean_turnover.and_then(|m| dependency(amount, m));
}

fn fill_dependency(l: &mut LevelCapacity, amount: Amount) {
    fill(&mut l.all, amount);
    fill(&mut l.inclusive, amount);
    l.statuses.values_mut().for_each(|f| fill(f, amount));
    l.families.values_mut().for_each(|f| fill(f, amount));
    l.articles.values_mut().for_each(|f| fill(f, amount));
}

/// The figures of one level for one (CPV prefix, place), with the suppliers it counts.
type PlaceLevel = (LevelCapacity, Arc<[u32]>);

/// The suppliers matching one CPV prefix.
#[derive(Debug, Clone)]
struct Matched {
    /// Indices into the directory, ascending.
    members: Arc<[u32]>,
    /// Those matched only through their NAF code.
    via_naf: usize,
    /// The members by interned département, ascending.
    by_dep: FastMap<u16, Vec<u32>>,
    /// The members by region, ascending.
    by_region: FastMap<Region, Vec<u32>>,
}

impl Matched {
    /// The members in any of `keys`' buckets, ascending.
    fn union<K: std::hash::Hash + Eq>(buckets: &FastMap<K, Vec<u32>>, keys: &[K]) -> Arc<[u32]> {
        let mut v: Vec<u32> = keys
            .iter()
            .filter_map(|k| buckets.get(k))
            .flatten()
            .copied()
            .collect();
        if keys.len() > 1 {
            v.sort_unstable();
            v.dedup();
        }
        v.into()
    }
}

/// Reused buffers of the matching.
struct Scratch {
    stamp: Vec<u32>,
    via: Vec<bool>,
    generation: u32,
}

impl Scratch {
    fn new(n: usize) -> Scratch {
        Scratch {
            stamp: vec![0; n],
            via: vec![false; n],
            generation: 0,
        }
    }
}

/// Accumulates the figures of a group (turnovers in cents, exact).
#[derive(Debug, Default)]
struct Acc {
    count: usize,
    cents: Vec<i64>,
    fte: Decimal,
    with_fte: usize,
}

impl Acc {
    fn add(&mut self, cents: Option<i64>, fte: Option<Decimal>) {
        self.count += 1;
        if let Some(c) = cents {
            self.cents.push(c);
        }
        if let Some(f) = fte {
            self.fte += f;
            self.with_fte += 1;
        }
    }

    fn finish(mut self) -> Figures {
        let n = self.cents.len();
        let (mean, median) = if n == 0 {
            (None, None)
        } else {
            // Exact integer arithmetic in cents, rounded half away from zero (turnovers are
            // never negative).
            let sum: i128 = self.cents.iter().map(|&c| i128::from(c)).sum();
            let mean = div_round(sum, n as i128);
            let mid = n / 2;
            let (_, &mut upper, _) = self.cents.select_nth_unstable(mid);
            let median = if n % 2 == 1 {
                i128::from(upper)
            } else {
                let lower = self.cents[..mid].iter().copied().max().unwrap_or(upper);
                div_round(i128::from(lower) + i128::from(upper), 2)
            };
            let r = |c: i128| Amount::new(Decimal::from_i128_with_scale(c, 2)).ok();
            (r(mean), r(median))
        };
        Figures {
            count: self.count,
            with_turnover: n,
            mean_turnover: mean,
            median_turnover: median,
            dependency: None,
            insertion_fte: self.fte,
            with_fte: self.with_fte,
        }
    }
}

/// The keys a supplier is counted under.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Key {
    All,
    Inclusive,
    Status(Status),
    Family(StatusFamily),
    Article(ReservedArticle),
}

/// The directory indexed by CPV prefix.
struct Index<'a> {
    directory: &'a Directory,
    /// The distinct keys, interned.
    names: Vec<Key>,
    /// Per supplier, the ids of its keys.
    keys: Vec<Vec<u16>>,
    /// Per supplier, its turnover in cents.
    cents: Vec<Option<i64>>,
    /// Per supplier, its département (interned) and region.
    dep: Vec<Option<u16>>,
    regions: Vec<Option<Region>>,
    /// Département → interned id.
    dep_ids: FastMap<Departement, u16>,
    /// Prefix → suppliers with a code that starts with it (and whether through NAF only).
    subtree: FastMap<u64, Vec<(u32, bool)>>,
    /// Code → suppliers with exactly that code.
    exact: FastMap<u64, Vec<(u32, bool)>>,
}

/// A CPV prefix (2 to 8 ASCII digits) as a number tagged with its length.
fn code_key(prefix: &str) -> u64 {
    let value = prefix
        .bytes()
        .fold(0u64, |acc, b| acc * 10 + u64::from(b.wrapping_sub(b'0')));
    ((prefix.len() as u64) << 40) | value
}

impl<'a> Index<'a> {
    fn new(directory: &'a Directory, options: &SourcingOptions) -> Index<'a> {
        let naf = options.naf_in_use();
        let n = directory.len();
        let mut keys = Vec::with_capacity(n);
        let mut names: Vec<Key> = Vec::new();
        let mut ids: FastMap<Key, u16> = FastMap::default();
        let mut cents = Vec::with_capacity(n);
        let mut dep = Vec::with_capacity(n);
        let mut dep_ids: FastMap<Departement, u16> = FastMap::default();
        let mut regions = Vec::with_capacity(n);
        let mut subtree: FastMap<u64, Vec<(u32, bool)>> = FastMap::default();
        let mut exact: FastMap<u64, Vec<(u32, bool)>> = FastMap::default();
        let mut naf_cache: FastMap<NafCode, &[String]> = FastMap::default();
        for (i, s) in directory.suppliers().iter().enumerate() {
            let i = i as u32;
            let mut k = vec![Key::All];
            let mut inclusive = false;
            let mut articles: Vec<ReservedArticle> = Vec::new();
            let mut families: Vec<StatusFamily> = Vec::new();
            for st in s.statuses() {
                k.push(Key::Status(st.clone()));
                let fam = st.family();
                inclusive |= fam.is_inclusive();
                if !families.contains(&fam) {
                    families.push(fam);
                }
                if let Some(a) = st.reserved_article() {
                    if !articles.contains(&a) {
                        articles.push(a);
                    }
                }
            }
            if inclusive {
                k.push(Key::Inclusive);
            }
            k.extend(families.into_iter().map(Key::Family));
            k.extend(articles.into_iter().map(Key::Article));
            let interned: Vec<u16> = k
                .into_iter()
                .map(|key| {
                    *ids.entry(key.clone()).or_insert_with(|| {
                        names.push(key);
                        (names.len() - 1) as u16
                    })
                })
                .collect();
            keys.push(interned);
            cents.push(
                s.turnover
                    .and_then(self::cents)
                    .and_then(|c| i64::try_from(c).ok()),
            );
            let next = dep_ids.len() as u16;
            dep.push(
                s.departement
                    .as_ref()
                    .map(|d| *dep_ids.entry(d.clone()).or_insert(next)),
            );
            regions.push(s.departement.as_ref().and_then(Region::of));
            let mut codes: Vec<(&str, bool)> =
                s.cpv_prefixes.iter().map(|c| (c.as_str(), false)).collect();
            if let Some(code) = &s.naf {
                let prefixes = *naf_cache
                    .entry(*code)
                    .or_insert_with(|| naf.cpv_prefixes(code));
                for c in prefixes {
                    if !codes.iter().any(|(x, _)| *x == c.as_str()) {
                        codes.push((c.as_str(), true));
                    }
                }
            }
            for (c, by_naf) in codes {
                exact.entry(code_key(c)).or_default().push((i, by_naf));
                for len in 2..=c.len() {
                    subtree
                        .entry(code_key(&c[..len]))
                        .or_default()
                        .push((i, by_naf));
                }
            }
        }
        Index {
            directory,
            names,
            keys,
            cents,
            dep,
            regions,
            dep_ids,
            subtree,
            exact,
        }
    }

    /// The suppliers whose codes lie on one branch of the CPV tree with `prefix`.
    fn matches(&self, prefix: &str, scratch: &mut Scratch) -> Matched {
        scratch.generation = scratch.generation.wrapping_add(1);
        if scratch.generation == 0 {
            scratch.stamp.iter_mut().for_each(|s| *s = 0);
            scratch.generation = 1;
        }
        let generation = scratch.generation;
        let mut members: Vec<u32> = Vec::new();
        let mut visit = |list: Option<&Vec<(u32, bool)>>| {
            for &(i, by_naf) in list.into_iter().flatten() {
                let u = i as usize;
                if scratch.stamp[u] != generation {
                    scratch.stamp[u] = generation;
                    scratch.via[u] = by_naf;
                    members.push(i);
                } else if !by_naf {
                    scratch.via[u] = false;
                }
            }
        };
        visit(self.subtree.get(&code_key(prefix)));
        for len in 2..prefix.len() {
            visit(self.exact.get(&code_key(&prefix[..len])));
        }
        members.sort_unstable();
        let via_naf = members.iter().filter(|&&i| scratch.via[i as usize]).count();
        let mut by_dep: FastMap<u16, Vec<u32>> = FastMap::default();
        let mut by_region: FastMap<Region, Vec<u32>> = FastMap::default();
        for &i in &members {
            if let Some(d) = self.dep[i as usize] {
                by_dep.entry(d).or_default().push(i);
            }
            if let Some(r) = self.regions[i as usize] {
                by_region.entry(r).or_default().push(i);
            }
        }
        Matched {
            members: members.into(),
            via_naf,
            by_dep,
            by_region,
        }
    }

    /// The figures of `members` at `level`.
    fn level(&self, level: Level, members: impl Iterator<Item = u32>) -> LevelCapacity {
        let mut acc: Vec<Acc> = std::iter::repeat_with(Acc::default)
            .take(self.names.len())
            .collect();
        let suppliers = self.directory.suppliers();
        for i in members {
            let u = i as usize;
            let fte = suppliers[u].insertion_fte;
            for &k in &self.keys[u] {
                acc[usize::from(k)].add(self.cents[u], fte);
            }
        }
        let mut all = Figures::default();
        let mut inclusive = Figures::default();
        let mut statuses = BTreeMap::new();
        let mut families = BTreeMap::new();
        let mut articles = BTreeMap::new();
        for (k, a) in acc.into_iter().enumerate() {
            if a.count == 0 {
                continue;
            }
            let f = a.finish();
            match &self.names[k] {
                Key::All => all = f,
                Key::Inclusive => inclusive = f,
                Key::Status(s) => {
                    statuses.insert(s.clone(), f);
                }
                Key::Family(fam) => {
                    families.insert(*fam, f);
                }
                Key::Article(a) => {
                    articles.insert(a.as_str().to_string(), f);
                }
            }
        }
        LevelCapacity {
            level,
            all,
            inclusive,
            statuses,
            families,
            articles,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_capacity_without_levels_has_no_supplier_in_reach() {
        let c = LineCapacity {
            line: "L1".to_string(),
            cpv: None,
            nature: Nature::Supplies,
            amount: Amount::from_euros(1_000),
            basis_amount: Amount::from_euros(1_000),
            departements: Vec::new(),
            regions: Vec::new(),
            reach: Level::Departement,
            levels: Vec::new(),
            via_naf: 0,
            unmatched: None,
            members: Arc::from(Vec::new()),
        };
        assert_eq!(c.in_reach().all.count, 0);
        assert_eq!(c.in_reach().level, Level::National);
    }

    #[test]
    fn dependency_is_amount_over_mean_turnover_times_100() {
        let d = dependency(Amount::from_euros(300_000), Amount::from_euros(1_200_000)).unwrap();
        assert_eq!(d.to_string(), "25.00");
        let d = dependency(Amount::from_euros(100), Amount::from_euros(300)).unwrap();
        assert_eq!(d.to_string(), "33.33");
        assert!(dependency(Amount::from_euros(1), Amount::ZERO).is_none());
    }

    #[test]
    fn median_of_an_even_count_is_the_mean_of_the_middle_two() {
        let mut a = Acc::default();
        for t in [100i64, 400, 200, 300] {
            a.add(Some(t * 100), None);
        }
        a.add(None, Some(Decimal::from(3)));
        let f = a.finish();
        assert_eq!((f.count, f.with_turnover, f.with_fte), (5, 4, 1));
        assert_eq!(f.median_turnover.unwrap().to_string(), "250.00");
        assert_eq!(f.mean_turnover.unwrap().to_string(), "250.00");
    }
}
