//! Sourcing (issue 20): the supplier directory, market capacity per line, the ladder, the
//! innovative-purchase routes, the sourcing sheets — on the sample directory and on constructed
//! cases (scenario table `tests/data/sourcing/ladder.json`, one runner).

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Deserialize;
use spaser::sourcing::{
    Capacity, CheckKind, Directory, Label, Level, LeverAvailability, Recommendations, RouteKind,
    RouteStatus, Rung, SourcingOptions, SourcingPlan, Status, Supplier, Thresholds,
    innovation_routes,
};
use spaser::{
    Amount, Buyer, BuyerKind, Catalogue, CpvCode, InnovationRules, LeadTimes, Nature, PlanLine,
    Programme, Rulebook,
};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn options49() -> SourcingOptions {
    SourcingOptions::default().departement("49".parse().unwrap())
}

fn sample_capacity() -> Capacity {
    Capacity::compute(Programme::sample(), Directory::sample(), &options49())
}

// ---------------------------------------------------------------------------------------
// The sample directory: counts per status and perimeter, dependency figures.

#[test]
fn sample_directory_reads_every_row_without_rejection() {
    let read = Directory::read_csv(include_bytes!("../src/data/sample_suppliers.csv")).unwrap();
    assert_eq!((read.rows, read.accepted), (83, 83));
    assert!(read.rejected.is_empty() && read.warnings.is_empty());
    let dir = &read.directory;
    assert!(dir.suppliers().iter().all(|s| s.siret.is_some()));
    let count = |st: Status| dir.suppliers().iter().filter(|s| s.has(&st)).count();
    assert_eq!(count(Status::Esat), 8);
    assert_eq!(count(Status::Ea), 8);
    assert_eq!(count(Status::Ei), 10);
    assert_eq!(count(Status::Aci), 9);
    assert_eq!(count(Status::Rge), 5);
}

#[test]
fn green_spaces_counts_per_status_in_departement_region_and_country() {
    // S26-04, CPV 77310000: matched through CPV prefixes 7731/773 and NAF 81.30Z (-> 773).
    let cap = sample_capacity();
    let c = cap.line("S26-04").unwrap();
    assert_eq!(c.reach, Level::Region);
    let dep = c.at(Level::Departement).unwrap();
    let reg = c.at(Level::Region).unwrap();
    let nat = c.at(Level::National).unwrap();
    assert_eq!((dep.all.count, reg.all.count, nat.all.count), (7, 9, 11));
    assert_eq!(
        (
            dep.status(&Status::Esat).count,
            reg.status(&Status::Esat).count,
            nat.status(&Status::Esat).count
        ),
        (4, 4, 6)
    );
    assert_eq!(
        (dep.status(&Status::Ea).count, reg.status(&Status::Ea).count),
        (0, 1)
    );
    assert_eq!(
        (
            dep.status(&Status::Aci).count,
            dep.status(&Status::Ai).count
        ),
        (1, 1)
    );
    assert_eq!(
        (
            dep.inclusive.count,
            reg.inclusive.count,
            nat.inclusive.count
        ),
        (6, 7, 9)
    );
    // two suppliers are matched only through their NAF code (81.30Z)
    assert_eq!(c.via_naf, 2);
}

#[test]
fn green_spaces_dependency_is_budget_over_mean_turnover() {
    // Le Marché de l'inclusion: dependency = budget / average turnover x 100.
    // Département 49, L2113-12 structures: 3 ESAT with a turnover (2.4M, 1.9M, 1.25M), one
    // without: mean 1.85M, median 1.9M; 140,000 / 1,850,000 = 7.57 %.
    let cap = sample_capacity();
    let c = cap.line("S26-04").unwrap();
    let f = c
        .at(Level::Departement)
        .unwrap()
        .article(spaser::ReservedArticle::L2113_12);
    assert_eq!((f.count, f.with_turnover), (4, 3));
    assert_eq!(f.mean_turnover.unwrap().to_string(), "1850000.00");
    assert_eq!(f.median_turnover.unwrap().to_string(), "1900000.00");
    assert_eq!(f.dependency.unwrap().to_string(), "7.57");
    // Region: the EA of Vendée joins: mean 1,605,000, dependency 8.72 %.
    let r = c
        .at(Level::Region)
        .unwrap()
        .article(spaser::ReservedArticle::L2113_12);
    assert_eq!(r.mean_turnover.unwrap().to_string(), "1605000.00");
    assert_eq!(r.dependency.unwrap().to_string(), "8.72");
}

#[test]
fn dependency_on_the_annual_amount_divides_by_the_duration() {
    // S26-01 cleaning: 760,000 over 48 months -> 190,000 a year.
    let o = options49().dependency_basis(spaser::sourcing::DependencyBasis::Annual);
    let cap = Capacity::compute(Programme::sample(), Directory::sample(), &o);
    let c = cap.line("S26-01").unwrap();
    assert_eq!(c.basis_amount.to_string(), "190000.00");
    let whole = sample_capacity();
    let w = whole.line("S26-01").unwrap();
    assert_eq!(w.basis_amount.to_string(), "760000.00");
}

#[test]
fn a_line_without_cpv_matches_no_supplier_and_says_why() {
    let mut p = Programme::sample().clone();
    p.lines[0].cpv = None;
    let cap = Capacity::compute(&p, Directory::sample(), &options49());
    let c = &cap.lines[0];
    assert_eq!(c.unmatched, Some(spaser::sourcing::Unmatched::NoCpv));
    assert_eq!(c.in_reach().all.count, 0);
    let recs = Recommendations::compute(&p, &cap, Catalogue::embedded(), &options49()).unwrap();
    assert_eq!(recs.lines[0].social.rung, Rung::ReverseSourcing);
    assert!(recs.lines[0].social.reason_en.contains("no CPV"));
}

#[test]
fn without_a_place_of_performance_suppliers_count_nationally() {
    let cap = Capacity::compute(
        Programme::sample(),
        Directory::sample(),
        &SourcingOptions::default(),
    );
    let c = cap.line("S26-04").unwrap();
    assert_eq!(c.reach, Level::National);
    assert!(c.at(Level::Departement).is_none() && c.at(Level::Region).is_none());
    assert_eq!(c.in_reach().all.count, 11);
}

#[test]
fn capacity_is_deterministic_json() {
    let a = serde_json::to_string(&sample_capacity()).unwrap();
    let b = serde_json::to_string(&sample_capacity()).unwrap();
    assert_eq!(a, b);
    let back: Capacity = serde_json::from_str(&a).unwrap();
    assert_eq!(serde_json::to_string(&back).unwrap(), a);
}

// ---------------------------------------------------------------------------------------
// The ladder: every rung reached by a constructed case (scenario table, one runner).

#[derive(Deserialize)]
struct Scenario {
    name: String,
    #[allow(dead_code)]
    rule: String,
    line: LineSpec,
    suppliers: Vec<SupplierSpec>,
    #[serde(default)]
    thresholds: Option<serde_json::Value>,
    expect: Expect,
}

#[derive(Deserialize)]
struct LineSpec {
    cpv: String,
    nature: String,
    amount: String,
    #[serde(default)]
    duration_months: Option<u32>,
}

#[derive(Deserialize)]
struct SupplierSpec {
    count: usize,
    statuses: Vec<String>,
    cpv: String,
    departement: String,
    #[serde(default)]
    turnover: Option<String>,
    #[serde(default)]
    insertion_fte: Option<String>,
}

#[derive(Deserialize, Default)]
struct Expect {
    social: Option<String>,
    article: Option<String>,
    dependency: Option<String>,
    structures: Option<usize>,
    levers: Option<Vec<String>>,
    estimated_hours: Option<String>,
    absorbable_hours: Option<String>,
    clause_hours: Option<String>,
    environmental: Option<Vec<String>>,
    env_levers: Option<Vec<String>>,
}

fn programme_of(line: &LineSpec) -> Programme {
    let nature: Nature = line.nature.parse().unwrap();
    let mut l = PlanLine::new(
        "L1",
        "case",
        nature,
        line.amount.parse().unwrap(),
        d(2026, 9, 1),
    );
    l.cpv = Some(CpvCode::parse(&line.cpv).unwrap());
    l.duration_months = line.duration_months;
    l.departements = vec!["49".parse().unwrap()];
    Programme::new(
        Buyer::new("Ville", BuyerKind::OtherContractingAuthority),
        vec![l],
    )
    .unwrap()
}

fn directory_of(specs: &[SupplierSpec]) -> Directory {
    let mut v = Vec::new();
    for (g, s) in specs.iter().enumerate() {
        for i in 0..s.count {
            let mut sup = Supplier::new(format!("Fournisseur {g}-{i}"));
            sup.cpv_prefixes = vec![s.cpv.clone()];
            sup.departement = Some(s.departement.parse().unwrap());
            sup.labels = s
                .statuses
                .iter()
                .map(|x| Label::new(x.parse().unwrap()))
                .collect();
            sup.turnover = s.turnover.as_ref().map(|t| t.parse().unwrap());
            sup.insertion_fte = s.insertion_fte.as_ref().map(|t| t.parse().unwrap());
            v.push(sup);
        }
    }
    Directory::new(v).unwrap()
}

fn dec(s: &str) -> Decimal {
    s.parse().unwrap()
}

#[test]
fn ladder_scenarios() {
    let scenarios: Vec<Scenario> =
        serde_json::from_str(include_str!("data/sourcing/ladder.json")).unwrap();
    let mut reached = std::collections::BTreeSet::new();
    for s in &scenarios {
        let p = programme_of(&s.line);
        let dir = directory_of(&s.suppliers);
        let mut o = SourcingOptions::default();
        if let Some(t) = &s.thresholds {
            o = o.thresholds(Thresholds::from_json(&t.to_string()).unwrap());
        }
        let cap = Capacity::compute(&p, &dir, &o);
        let recs = Recommendations::compute(&p, &cap, Catalogue::embedded(), &o).unwrap();
        let r = &recs.lines[0];
        let e = &s.expect;
        let at = &s.name;
        reached.insert(r.social.rung);
        for env in &r.environmental {
            reached.insert(env.rung);
        }
        if let Some(x) = &e.social {
            assert_eq!(r.social.rung.as_str(), x, "{at}: {}", r.social.reason_en);
        }
        if let Some(x) = &e.article {
            assert_eq!(r.social.article.as_deref(), Some(x.as_str()), "{at}");
        }
        if let Some(x) = &e.dependency {
            assert_eq!(
                r.social.dependency.map(|d| d.to_string()).as_deref(),
                Some(x.as_str()),
                "{at}"
            );
        }
        if let Some(x) = e.structures {
            assert_eq!(r.social.structures, x, "{at}");
        }
        if let Some(x) = &e.levers {
            assert_eq!(&r.social.levers, x, "{at}");
        }
        for (got, want) in [
            (r.social.estimated_hours, &e.estimated_hours),
            (r.social.absorbable_hours, &e.absorbable_hours),
            (r.social.clause_hours, &e.clause_hours),
        ] {
            if let Some(w) = want {
                assert_eq!(got.map(|g| g.normalize()), Some(dec(w).normalize()), "{at}");
            }
        }
        if let Some(x) = &e.environmental {
            let got: Vec<&str> = r.environmental.iter().map(|r| r.rung.as_str()).collect();
            assert_eq!(&got, x, "{at}");
        }
        if let Some(x) = &e.env_levers {
            assert_eq!(&r.environmental[0].levers, x, "{at}");
        }
        // every recommendation names its legal basis and says why, in both languages
        for rec in std::iter::once(&r.social).chain(&r.environmental) {
            assert!(
                rec.legal_basis.starts_with("CCP "),
                "{at}: {}",
                rec.legal_basis
            );
            assert!(
                !rec.reason_fr.is_empty() && !rec.reason_en.is_empty(),
                "{at}"
            );
        }
    }
    // every rung of the ladder is reached by some case
    for rung in Rung::ALL {
        assert!(reached.contains(&rung), "no scenario reaches {rung}");
    }
}

#[test]
fn thresholds_out_of_order_are_refused() {
    let e = Thresholds::from_json(r#"{"reservation_min": 5, "lot_min": 10}"#).unwrap_err();
    assert_eq!(e.kind(), spaser::ErrorKind::Inconsistent);
    assert!(
        e.to_string()
            .contains("reservation_min (5) is below lot_min (10)"),
        "{e}"
    );
    assert!(Thresholds::from_json(r#"{"colour": 1}"#).is_err());
    assert_eq!(
        Thresholds::confidence("reservation_min"),
        Some(spaser::Confidence::S)
    );
    assert_eq!(
        Thresholds::confidence("label_min"),
        Some(spaser::Confidence::Unknown)
    );
}

// ---------------------------------------------------------------------------------------
// Availability for the planner.

fn one_line(cpv: &str, nature: Nature, amount: u32) -> Programme {
    let mut l = PlanLine::new(
        "L1",
        "case",
        nature,
        Amount::from_euros(amount),
        d(2026, 9, 1),
    );
    l.cpv = Some(CpvCode::parse(cpv).unwrap());
    l.departements = vec!["49".parse().unwrap()];
    Programme::new(
        Buyer::new("Ville", BuyerKind::OtherContractingAuthority),
        vec![l],
    )
    .unwrap()
}

fn esat(n: usize, dep: &str) -> Directory {
    directory_of(&[SupplierSpec {
        count: n,
        statuses: vec!["esat".into()],
        cpv: "7731".into(),
        departement: dep.into(),
        turnover: Some("1000000".into()),
        insertion_fte: Some("20".into()),
    }])
}

#[test]
fn no_reserved_contract_where_no_structure_exists() {
    // CCP L2113-12: a contract reserved to EA/ESAT needs such structures to bid.
    let p = one_line("77310000", Nature::Services, 150_000);
    let o = SourcingOptions::default();
    for (n, allowed) in [(0, false), (3, true)] {
        let dir = esat(n, "49");
        let cap = Capacity::compute(&p, &dir, &o);
        let a = LeverAvailability::compute(&p, &cap, Catalogue::embedded(), &o).unwrap();
        assert_eq!(a.allows("L1", "reserved-l2113-12"), allowed, "{n} ESAT");
        let v = a.verdict("L1", "reserved-l2113-12").unwrap();
        assert!(
            v.reason.contains(&format!("{n} eligible structure")),
            "{}",
            v.reason
        );
    }
}

#[test]
fn capacity_reasons_agree_in_french_and_follow_french_typography() {
    // the reasons come from the message catalogue: French takes the singular for 0 and 1
    let p = one_line("77310000", Nature::Services, 150_000);
    let o = SourcingOptions::default();
    let reason = |n: usize, lever: &str| {
        let cap = Capacity::compute(&p, &esat(n, "49"), &o);
        let a = LeverAvailability::compute(&p, &cap, Catalogue::embedded(), &o).unwrap();
        a.verdict("L1", lever).unwrap().reason_fr.clone()
    };
    let r = reason(0, "reserved-l2113-12");
    assert!(
        r.starts_with("0 structure éligible au titre de L2113-12 dans la région Pays de la Loire"),
        "{r}"
    );
    assert!(
        r.ends_with("(au moins 1 requise)\u{a0}: pas de marché réservé"),
        "{r}"
    );
    let r = reason(1, "ins-green-spaces");
    assert!(
        r.contains("1 structure inclusive dans la région Pays de la Loire peut absorber"),
        "{r}"
    );
    assert!(r.contains("\u{202f}; la clause en demande"), "{r}");
    let r = reason(3, "ins-green-spaces");
    assert!(
        r.contains("3 structures inclusives dans la région Pays de la Loire peuvent absorber"),
        "{r}"
    );
}

#[test]
fn insertion_clause_unavailable_when_the_market_cannot_absorb_it() {
    // ins-green-spaces on 10,000,000: far more hours than 2 ESAT with 1 FTE each can absorb.
    let p = one_line("77310000", Nature::Services, 10_000_000);
    let mut dir = esat(2, "49").suppliers().to_vec();
    for s in &mut dir {
        s.insertion_fte = Some(Decimal::ONE);
    }
    let dir = Directory::new(dir).unwrap();
    let o = SourcingOptions::default();
    let cap = Capacity::compute(&p, &dir, &o);
    let a = LeverAvailability::compute(&p, &cap, Catalogue::embedded(), &o).unwrap();
    assert!(!a.allows("L1", "ins-green-spaces"));
    assert!(
        a.verdict("L1", "ins-green-spaces")
            .unwrap()
            .reason
            .contains("too many hours")
    );
    // the buyer turns the check off
    assert!(a.clone().insertion(false).allows("L1", "ins-green-spaces"));
    let insertion: Vec<_> = a
        .unavailable()
        .filter(|(_, _, v)| v.check == spaser::sourcing::CheckKind::Insertion)
        .collect();
    assert_eq!(insertion.len(), 1);
}

// ---------------------------------------------------------------------------------------
// Innovative purchases.

#[test]
fn innovative_line_below_100k_may_be_awarded_without_competition() {
    // CCP R2122-9-1: innovative purchases below €100,000 without publicity or competition.
    let cap = sample_capacity();
    let routes = innovation_routes(
        Programme::sample(),
        &cap,
        None,
        Rulebook::embedded(),
        InnovationRules::embedded(),
    )
    .unwrap();
    let sensors = routes.iter().find(|r| r.line == "F26-10").unwrap();
    assert!(sensors.innovative);
    assert_eq!(sensors.routes[0].status, RouteStatus::Available);
    assert_eq!(
        sensors.routes[0].threshold.unwrap().to_string(),
        "100000.00"
    );
    // a young innovative company matches: the partnership is shown as a conditional route
    assert_eq!(sensors.young_innovative_companies, 1);
    assert!(
        sensors
            .routes
            .iter()
            .any(|r| r.kind == RouteKind::InnovationPartnership)
    );
}

#[test]
fn innovative_line_at_or_above_100k_cannot_use_the_exemption() {
    let cap = sample_capacity();
    let routes = innovation_routes(
        Programme::sample(),
        &cap,
        None,
        Rulebook::embedded(),
        InnovationRules::embedded(),
    )
    .unwrap();
    // S28-01, energy optimisation tool, €160,000, innovative
    let tool = routes.iter().find(|r| r.line == "S28-01").unwrap();
    assert!(tool.innovative);
    assert_eq!(tool.routes[0].status, RouteStatus::NotAvailable);
    let partnership = tool
        .routes
        .iter()
        .find(|r| r.kind == RouteKind::InnovationPartnership)
        .unwrap();
    assert_eq!(partnership.status, RouteStatus::Conditional);
    assert!(partnership.article.starts_with("L2172-3"));
}

#[test]
fn defence_security_contracts_take_r2322_16_at_300k() {
    // CCP R2322-16 (décret 2024-1251): innovative defence or security contracts below
    // €300,000 from 2025-01-01; the test is the contract's object, not the buyer.
    let mut p = one_line("35000000", Nature::Supplies, 250_000);
    p.lines[0].defence_security = true;
    p.lines[0].innovative = true;
    let cap = Capacity::compute(&p, &Directory::default(), &SourcingOptions::default());
    let r = innovation_routes(
        &p,
        &cap,
        None,
        Rulebook::embedded(),
        InnovationRules::embedded(),
    )
    .unwrap();
    let route = &r[0].routes[0];
    assert_eq!(
        (route.kind, route.status),
        (RouteKind::DefenceNoCompetition, RouteStatus::Available)
    );
    assert_eq!(route.article, "R2322-16");
    assert_eq!(route.confidence, spaser::Confidence::V);
}

#[test]
fn the_innovative_indicator_is_apart_from_innovation_award_criteria() {
    // An innovation award criterion does not make a purchase innovative (DECP marcheInnovant
    // is the line's flag alone).
    let mut p = one_line("72212000", Nature::Services, 50_000);
    p.lines[0].award_criteria = Some(vec![spaser::AwardCriterion::new(
        "Caractère innovant",
        spaser::CriterionKind::Innovation,
        "0.2".parse().unwrap(),
    )]);
    let cap = Capacity::compute(&p, &Directory::default(), &SourcingOptions::default());
    let r = &innovation_routes(
        &p,
        &cap,
        None,
        Rulebook::embedded(),
        InnovationRules::embedded(),
    )
    .unwrap()[0];
    assert!(!r.innovative && r.innovation_criterion);
    assert_eq!(r.routes[0].status, RouteStatus::NotDeclared);
}

// ---------------------------------------------------------------------------------------
// Location never restricts competition.

#[test]
fn no_lever_or_criterion_is_derived_from_location() {
    let programme = Programme::sample();
    let catalogue = Catalogue::embedded();
    // 1. No lever of the catalogue has a location in its applicability.
    for lever in catalogue.levers() {
        let json = serde_json::to_value(&lever.applies_to)
            .unwrap()
            .to_string()
            .to_lowercase();
        for word in [
            "departement",
            "région",
            "region",
            "commune",
            "local",
            "postcode",
            "distance",
        ] {
            assert!(
                !json.contains(word),
                "lever {} applies by location: {json}",
                lever.id
            );
        }
    }
    // 2. Moving every supplier to another département of the same region changes no
    //    recommendation (the reach of services and works is the region; supplies national).
    let base = Directory::sample();
    let moved: Vec<Supplier> = base
        .suppliers()
        .iter()
        .cloned()
        .map(|mut s| {
            if s.departement.as_ref().is_some_and(|d| d.as_str() == "49") {
                s.departement = Some("85".parse().unwrap());
                s.commune = None;
            }
            s
        })
        .collect();
    let moved = Directory::new(moved).unwrap();
    let o = options49();
    let strip = |r: &Recommendations| {
        let mut v = serde_json::to_value(r).unwrap();
        // the texts say where suppliers were counted; the levers and rungs must not move
        for l in v["lines"].as_array_mut().unwrap() {
            let l = l.as_object_mut().unwrap();
            for (k, x) in l.iter_mut() {
                let recs: Vec<&mut serde_json::Value> = match k.as_str() {
                    "social" => vec![x],
                    "environmental" => x.as_array_mut().unwrap().iter_mut().collect(),
                    _ => vec![],
                };
                for rec in recs {
                    rec.as_object_mut().unwrap().remove("reason_fr");
                    rec.as_object_mut().unwrap().remove("reason_en");
                }
            }
        }
        v
    };
    let a = Recommendations::compute(
        programme,
        &Capacity::compute(programme, base, &o),
        catalogue,
        &o,
    )
    .unwrap();
    let b = Recommendations::compute(
        programme,
        &Capacity::compute(programme, &moved, &o),
        catalogue,
        &o,
    )
    .unwrap();
    assert_eq!(strip(&a), strip(&b));
    // 3. Every lever recommended or judged is a catalogue lever; no text proposes a local
    //    preference.
    for l in &a.lines {
        for rec in std::iter::once(&l.social).chain(&l.environmental) {
            for id in &rec.levers {
                assert!(catalogue.get(id).is_some(), "{id}");
            }
            for t in [&rec.reason_fr, &rec.reason_en] {
                let t = t.to_lowercase();
                for word in [
                    "local",
                    "proximité",
                    "proximity",
                    "circuit court",
                    "short supply",
                ] {
                    assert!(!t.contains(word), "{}: {t}", l.line);
                }
            }
        }
    }
}

#[test]
fn sheets_say_the_perimeter_never_restricts_competition() {
    let plan = SourcingPlan::build(
        Programme::sample(),
        Directory::sample(),
        Catalogue::embedded(),
        Rulebook::embedded(),
        InnovationRules::embedded(),
        &options49(),
        &LeadTimes::default(),
        d(2026, 3, 15),
    )
    .unwrap();
    for lang in [spaser::Lang::Fr, spaser::Lang::En] {
        let en = lang == spaser::Lang::En;
        for (service, md) in plan.sheets_markdown(lang) {
            let notice = if en {
                "never to restrict competition"
            } else {
                "jamais à restreindre la concurrence"
            };
            assert!(md.contains(notice), "{service}");
        }
    }
}

// ---------------------------------------------------------------------------------------
// Sourcing actions and sheets.

#[test]
fn sourcing_window_ends_at_the_launch_and_opens_two_months_before() {
    let plan = SourcingPlan::build(
        Programme::sample(),
        Directory::sample(),
        Catalogue::embedded(),
        Rulebook::embedded(),
        InnovationRules::embedded(),
        &options49(),
        &LeadTimes::default().sourcing(3),
        d(2026, 3, 15),
    )
    .unwrap();
    let a = plan.action("S26-01").unwrap();
    assert_eq!(a.sourcing_until, d(2026, 5, 4));
    assert_eq!(a.sourcing_from, d(2026, 2, 4));
    assert!(a.sourcing_late);
    // windows in order
    assert!(
        plan.actions
            .windows(2)
            .all(|w| w[0].sourcing_from <= w[1].sourcing_from)
    );
    // suppliers to meet: the inclusive structures first for an insertion clause
    assert_eq!(a.social.rung, Rung::InsertionClause);
    assert_eq!(
        a.meet[0].family,
        Some(spaser::sourcing::StatusFamily::Insertion)
    );
    // deterministic output
    let again = SourcingPlan::build(
        Programme::sample(),
        Directory::sample(),
        Catalogue::embedded(),
        Rulebook::embedded(),
        InnovationRules::embedded(),
        &options49(),
        &LeadTimes::default().sourcing(3),
        d(2026, 3, 15),
    )
    .unwrap();
    assert_eq!(plan.to_json().unwrap(), again.to_json().unwrap());
    assert_eq!(
        plan.sheet_markdown("Propreté", spaser::Lang::Fr),
        again.sheet_markdown("Propreté", spaser::Lang::Fr)
    );
}

#[test]
fn the_sheet_shows_the_innovative_routes_and_the_suppliers_to_meet() {
    let plan = SourcingPlan::build(
        Programme::sample(),
        Directory::sample(),
        Catalogue::embedded(),
        Rulebook::embedded(),
        InnovationRules::embedded(),
        &options49(),
        &LeadTimes::default(),
        d(2026, 1, 15),
    )
    .unwrap();
    let service = plan
        .action("F26-10")
        .unwrap()
        .service
        .clone()
        .unwrap_or_default();
    let md = plan.sheet_markdown(&service, spaser::Lang::Fr);
    assert!(md.contains("F26-10"));
    assert!(md.contains("**R2122-9-1** — ouverte (confiance V)"), "{md}");
    assert!(md.contains("Air Qualité Capteurs"));
    assert!(md.contains("marcheInnovant"));
}

// ---------------------------------------------------------------------------------------
// Into the planner: capacity makes levers available or not.

fn reserved_target() -> spaser::Targets {
    spaser::Targets::from_json(
        r#"{"targets": [{"id": "reserved", "dimension": "social",
             "levers": ["reserved-l2113-12"], "basis": "count",
             "trajectory": {"2026": "1"}}]}"#,
    )
    .unwrap()
}

fn plan_with(n_esat: usize) -> spaser::Plan {
    // CCP L2113-12: a contract reserved to EA/ESAT is realistic only where such structures exist.
    let p = one_line("77310000", Nature::Services, 150_000);
    let dir = esat(n_esat, "49");
    let o = SourcingOptions::default();
    let cap = Capacity::compute(&p, &dir, &o);
    let a = LeverAvailability::compute(&p, &cap, Catalogue::embedded(), &o).unwrap();
    spaser::Planner::new(Catalogue::embedded(), Rulebook::embedded())
        .plan(
            &p,
            &reserved_target(),
            &spaser::PlanOptions::default().sourcing(a),
        )
        .unwrap()
}

#[test]
fn the_planner_drops_a_reserved_contract_where_no_structure_exists() {
    let plan = plan_with(0);
    let levers: Vec<&String> = plan.assignments.iter().flat_map(|a| &a.levers).collect();
    assert!(
        !levers.iter().any(|l| *l == "reserved-l2113-12"),
        "{levers:?}"
    );
    let u = plan
        .unavailable
        .iter()
        .find(|u| u.lever == "reserved-l2113-12")
        .expect("listed as unavailable");
    assert_eq!(u.line, "L1");
    assert!(
        u.reason.contains("0 eligible structures under L2113-12"),
        "{}",
        u.reason
    );
    assert!(
        !plan.unmet.is_empty(),
        "the reservation target cannot be met"
    );
}

#[test]
fn the_prescriber_sheet_says_which_levers_the_market_ruled_out_and_why() {
    let p = one_line("77310000", Nature::Services, 150_000);
    let plan = plan_with(0);
    for (lang, title, reason) in [
        (
            spaser::Lang::Fr,
            "Leviers écartés faute de capacité du marché\u{a0}:",
            "0 structure éligible au titre de L2113-12",
        ),
        (
            spaser::Lang::En,
            "Levers ruled out by the market's capacity:",
            "0 eligible structures under L2113-12",
        ),
    ] {
        let input = spaser::document::DocumentInput::new(&p)
            .lang(lang)
            .date(d(2026, 1, 15));
        let doc = spaser::document::Document::new(&plan, &input).unwrap();
        let md = doc.sheets_markdown();
        let at = md.find(title).unwrap_or_else(|| panic!("{md}"));
        let item = md[at..].lines().find(|l| l.starts_with("- ")).unwrap();
        assert!(item.contains(reason), "{item}");
        assert!(item.starts_with("- **"), "{item}");
        // French typography: a no-break space before a colon
        assert!(lang == spaser::Lang::En || !md.contains(" :"), "{md}");
    }
    // a plan without sourcing says nothing of the kind
    let plain = spaser::Planner::new(Catalogue::embedded(), Rulebook::embedded())
        .plan(&p, &reserved_target(), &spaser::PlanOptions::default())
        .unwrap();
    let input = spaser::document::DocumentInput::new(&p).date(d(2026, 1, 15));
    let md = spaser::document::Document::new(&plain, &input)
        .unwrap()
        .sheets_markdown();
    assert!(!md.contains("écartés"), "{md}");
}

#[test]
fn the_planner_keeps_a_reserved_contract_where_three_structures_exist() {
    let plan = plan_with(3);
    let a = plan.assignments.iter().find(|a| a.line == "L1").unwrap();
    let i = a
        .levers
        .iter()
        .position(|l| l == "reserved-l2113-12")
        .expect("kept");
    // the reason cites the capacity figures
    assert!(
        a.reasons[i].contains("capacity: 3 eligible structures under L2113-12"),
        "{}",
        a.reasons[i]
    );
    assert!(a.reasons[i].contains("dependency 15%"), "{}", a.reasons[i]);
    assert!(
        plan.unavailable
            .iter()
            .all(|u| u.lever != "reserved-l2113-12")
    );
    // turning the check off restores the lever even without structures
    let p = one_line("77310000", Nature::Services, 150_000);
    let o = SourcingOptions::default();
    let cap = Capacity::compute(&p, &esat(0, "49"), &o);
    let off = LeverAvailability::compute(&p, &cap, Catalogue::embedded(), &o)
        .unwrap()
        .reserved(false);
    let plan = spaser::Planner::new(Catalogue::embedded(), Rulebook::embedded())
        .plan(
            &p,
            &reserved_target(),
            &spaser::PlanOptions::default().sourcing(off),
        )
        .unwrap();
    assert!(
        plan.assignments[0]
            .levers
            .iter()
            .any(|l| l == "reserved-l2113-12")
    );
}

#[test]
fn a_lock_forcing_a_lever_wins_over_capacity() {
    let p = one_line("77310000", Nature::Services, 150_000);
    let o = SourcingOptions::default();
    let cap = Capacity::compute(&p, &esat(0, "49"), &o);
    let a = LeverAvailability::compute(&p, &cap, Catalogue::embedded(), &o).unwrap();
    let lock = spaser::Lock {
        line: "L1".into(),
        lever: "reserved-l2113-12".into(),
        kind: spaser::LockKind::Force,
    };
    let plan = spaser::Planner::new(Catalogue::embedded(), Rulebook::embedded())
        .plan(
            &p,
            &spaser::Targets::defaults_for(&p, Rulebook::embedded()),
            &spaser::PlanOptions::default().sourcing(a).lock(lock),
        )
        .unwrap();
    assert!(
        plan.assignments[0]
            .levers
            .iter()
            .any(|l| l == "reserved-l2113-12")
    );
}

// ---------------------------------------------------------------------------------------
// The wording of the reasons: French as a French public buyer writes it, English second.

/// `n` suppliers of `status` for green spaces (CPV 7731) in the département 49, each with
/// 20 insertion FTEs and €1M turnover.
fn holders(n: usize, status: &str) -> Directory {
    directory_of(&[SupplierSpec {
        count: n,
        statuses: vec![status.into()],
        cpv: "7731".into(),
        departement: "49".into(),
        turnover: Some("1000000".into()),
        insertion_fte: Some("20".into()),
    }])
}

/// The ladder's recommendations for a single line.
fn ladder_of(
    p: &Programme,
    dir: &Directory,
    o: &SourcingOptions,
) -> spaser::sourcing::LineRecommendations {
    let cap = Capacity::compute(p, dir, o);
    Recommendations::compute(p, &cap, Catalogue::embedded(), o)
        .unwrap()
        .lines
        .remove(0)
}

#[test]
fn insertion_years_take_the_plural_in_french_and_english() {
    // "1 an", "2 ans" — never "an(s)" / "year(s)" in a text a buyer reads.
    for (months, fr, en) in [(12, "× 1 an)", "× 1 year)"), (24, "× 2 ans)", "× 2 years)")] {
        let mut p = one_line("77310000", Nature::Services, 150_000);
        p.lines[0].duration_months = Some(months);
        let r = ladder_of(&p, &holders(3, "esat"), &SourcingOptions::default()).social;
        assert_eq!(r.rung, Rung::InsertionClause, "{}", r.reason_en);
        assert!(r.reason_fr.contains(fr), "{}", r.reason_fr);
        assert!(r.reason_en.contains(en), "{}", r.reason_en);
        assert!(!r.reason_fr.contains("(s)") && !r.reason_en.contains("(s)"));
    }
}

#[test]
fn insertion_capacity_agrees_with_one_or_several_structures() {
    // one structure: "elle peut absorber", "sa capacité"; several: "elles peuvent", "leur"
    let mut t = Thresholds::default();
    t.clause_min = 1;
    let o = SourcingOptions::default().thresholds(t);
    let p = one_line("77310000", Nature::Services, 150_000);
    let one = ladder_of(&p, &holders(1, "esat"), &o).social;
    assert_eq!(one.rung, Rung::InsertionClause, "{}", one.reason_en);
    assert!(one.reason_fr.contains("sa capacité"), "{}", one.reason_fr);
    assert!(
        one.reason_fr.contains("elle peut absorber"),
        "{}",
        one.reason_fr
    );
    assert!(one.reason_en.contains("its capacity"), "{}", one.reason_en);
    assert!(one.reason_en.contains("it can absorb"), "{}", one.reason_en);
    let three = ladder_of(&p, &holders(3, "esat"), &o).social;
    assert!(
        three.reason_fr.contains("leur capacité"),
        "{}",
        three.reason_fr
    );
    assert!(
        three.reason_fr.contains("elles peuvent absorber"),
        "{}",
        three.reason_fr
    );
    assert!(
        three.reason_en.contains("their capacity"),
        "{}",
        three.reason_en
    );
}

#[test]
fn environmental_criterion_agrees_with_one_or_several_label_holders() {
    // green spaces: no label lever of the catalogue applies; suppliers with an environmental
    // label make an environmental award criterion worth it — "sa" for one, "leur" for several
    let p = one_line("77310000", Nature::Services, 150_000);
    let o = SourcingOptions::default();
    for (n, fr, en) in [
        (
            1,
            "1 fournisseur a un label environnemental",
            "valorise sa performance",
        ),
        (
            2,
            "2 fournisseurs ont un label environnemental",
            "valorise leur performance",
        ),
    ] {
        let env = ladder_of(&p, &holders(n, "rge"), &o).environmental;
        assert_eq!(env.len(), 1);
        let r = &env[0];
        assert_eq!(r.rung, Rung::EnvironmentalCriterion, "{}", r.reason_en);
        assert!(r.reason_fr.contains(fr), "{}", r.reason_fr);
        assert!(r.reason_fr.contains(en), "{}", r.reason_fr);
        let their = if n == 1 {
            "rewards its performance"
        } else {
            "rewards their performance"
        };
        assert!(r.reason_en.contains(their), "{}", r.reason_en);
    }
}

#[test]
fn young_innovative_companies_read_in_the_right_order_in_french_and_english() {
    // L2172-3 al. 2, last sentence (loi 2023-1322): what a JEI offers is deemed innovative.
    // "1 jeune entreprise innovante du répertoire correspond à cet achat", not
    // "1 jeune entreprise innovante correspond du répertoire".
    for (n, fr, en) in [
        (
            1,
            "1 jeune entreprise innovante du répertoire correspond à cet achat\u{202f}; ses offres \
             sont réputées innovantes par la loi (L2172-3 al. 2, dernière phrase)",
            "1 young innovative company in the directory matches this purchase; its offers are \
             deemed innovative by law (L2172-3 al. 2, last sentence)",
        ),
        (
            2,
            "2 jeunes entreprises innovantes du répertoire correspondent à cet achat\u{202f}; leurs \
             offres sont réputées innovantes par la loi (L2172-3 al. 2, dernière phrase)",
            "2 young innovative companies in the directory match this purchase; their offers are \
             deemed innovative by law (L2172-3 al. 2, last sentence)",
        ),
    ] {
        // not declared innovative, below €100,000: the exemption is conditional on the JEI
        let p = one_line("72212000", Nature::Services, 50_000);
        let dir = directory_of(&[SupplierSpec {
            count: n,
            statuses: vec!["jei".into()],
            cpv: "7221".into(),
            departement: "75".into(),
            turnover: None,
            insertion_fte: None,
        }]);
        let cap = Capacity::compute(&p, &dir, &SourcingOptions::default());
        let a = &innovation_routes(
            &p,
            &cap,
            None,
            Rulebook::embedded(),
            InnovationRules::embedded(),
        )
        .unwrap()[0];
        assert_eq!(a.young_innovative_companies, n);
        let r = &a.routes[0];
        assert_eq!(r.status, RouteStatus::Conditional);
        assert!(r.reason_fr.contains(fr), "{}", r.reason_fr);
        assert!(r.reason_en.contains(en), "{}", r.reason_en);
        // the innovation partnership's reason agrees with the count too
        let partnership = a
            .routes
            .iter()
            .find(|r| r.kind == RouteKind::InnovationPartnership)
            .unwrap();
        let (verb_fr, verb_en) = if n == 1 {
            (
                "1 jeune entreprise innovante y correspond",
                "1 young innovative company matches it",
            )
        } else {
            (
                "2 jeunes entreprises innovantes y correspondent",
                "2 young innovative companies match it",
            )
        };
        assert!(
            partnership.reason_fr.starts_with(verb_fr),
            "{}",
            partnership.reason_fr
        );
        assert!(
            partnership.reason_en.starts_with(verb_en),
            "{}",
            partnership.reason_en
        );
        // no English article label in the French text, no French one in the English text
        assert!(!r.reason_fr.contains("last sentence"), "{}", r.reason_fr);
        assert!(!r.reason_en.contains("dernière"), "{}", r.reason_en);
    }
}

#[test]
fn article_labels_of_the_innovation_rules_are_french_and_read_english_in_english() {
    // the labels are shown in the French sheet: written in French in the data, turned into
    // English only in English output
    for a in &InnovationRules::embedded().articles {
        for english in [" to ", "last sentence", "paragraph", " and "] {
            assert!(!a.article.contains(english), "{}", a.article);
        }
    }
    let p = one_line("72212000", Nature::Services, 50_000);
    let cap = Capacity::compute(&p, &Directory::default(), &SourcingOptions::default());
    let a = &innovation_routes(
        &p,
        &cap,
        None,
        Rulebook::embedded(),
        InnovationRules::embedded(),
    )
    .unwrap()[0];
    // no supplier matches: the partnership route, its articles as one reference
    let partnership = a
        .routes
        .iter()
        .find(|r| r.kind == RouteKind::InnovationPartnership)
        .unwrap();
    assert_eq!(partnership.article, "L2172-3 al. 1; R2172-20 à R2172-32");
    let plan = SourcingPlan::build(
        &p,
        &Directory::default(),
        Catalogue::embedded(),
        Rulebook::embedded(),
        InnovationRules::embedded(),
        &SourcingOptions::default(),
        &LeadTimes::default(),
        d(2026, 1, 5),
    )
    .unwrap();
    let sheets = |lang| -> String {
        plan.sheets_markdown(lang)
            .into_iter()
            .map(|(_, md)| md)
            .collect()
    };
    let (fr, en) = (sheets(spaser::Lang::Fr), sheets(spaser::Lang::En));
    assert!(
        fr.contains("L2172-3 al. 1\u{202f}; R2172-20 à R2172-32"),
        "{fr}"
    );
    assert!(en.contains("L2172-3 al. 1; R2172-20 to R2172-32"), "{en}");
}

/// Every French reason of the ladder and of the innovative routes on the sample programme and
/// directory, with thresholds low enough to reach every rung.
fn french_reasons() -> Vec<String> {
    let p = Programme::sample();
    let mut t = Thresholds::default();
    (t.reservation_min, t.lot_min) = (3, 2);
    let mut out = Vec::new();
    for o in [options49(), options49().thresholds(t)] {
        let cap = Capacity::compute(p, Directory::sample(), &o);
        let recs = Recommendations::compute(p, &cap, Catalogue::embedded(), &o).unwrap();
        for l in &recs.lines {
            out.push(l.social.reason_fr.clone());
            out.extend(l.environmental.iter().map(|r| r.reason_fr.clone()));
        }
        let routes = innovation_routes(
            p,
            &cap,
            None,
            Rulebook::embedded(),
            InnovationRules::embedded(),
        )
        .unwrap();
        for a in &routes {
            out.extend(a.routes.iter().map(|r| r.reason_fr.clone()));
        }
    }
    out
}

#[test]
fn french_reasons_put_a_no_break_space_before_high_punctuation() {
    // French typography: U+00A0 before ':' and inside « », U+202F before ';', '?', '!' and '%'
    let reasons = french_reasons();
    assert!(reasons.len() > 20);
    for r in &reasons {
        for bad in [" :", " ;", " ?", " !", " %", "« ", " »"] {
            assert!(!r.contains(bad), "{bad:?} in {r}");
        }
    }
    assert!(reasons.iter().any(|r| r.contains("\u{a0}:")));
    assert!(reasons.iter().any(|r| r.contains("\u{202f};")));
    // deterministic: the same input gives the same bytes
    assert_eq!(reasons, french_reasons());
}

#[test]
fn a_label_requirement_needs_label_min_holders_as_in_the_ladder() {
    // Thresholds::label_min (default 3): requiring a label (CCP R2111-12) only where enough
    // suppliers hold it to leave competition; with fewer, the environmental award criterion
    // (L2152-7) is the route that stays available — for the planner as in the ladder.
    let p = one_line("90910000", Nature::Services, 150_000);
    let o = SourcingOptions::default();
    let ecolabel = |n: usize| {
        directory_of(&[SupplierSpec {
            count: n,
            statuses: vec!["ecolabel".into()],
            cpv: "9091".into(),
            departement: "49".into(),
            turnover: None,
            insertion_fte: None,
        }])
    };
    let check = |n: usize| {
        let dir = ecolabel(n);
        let cap = Capacity::compute(&p, &dir, &o);
        let a = LeverAvailability::compute(&p, &cap, Catalogue::embedded(), &o).unwrap();
        let recs = Recommendations::compute(&p, &cap, Catalogue::embedded(), &o).unwrap();
        let env = recs.lines[0]
            .environmental
            .iter()
            .find(|r| r.label == Some(Status::Ecolabel))
            .unwrap()
            .clone();
        (a, env)
    };

    let (a, env) = check(2);
    assert!(
        !a.allows("L1", "ecolabel-cleaning"),
        "2 holders, label_min 3"
    );
    assert!(a.allows("L1", "env-award-criterion"));
    assert_eq!(env.rung, Rung::EnvironmentalCriterion);
    assert_eq!(env.levers, ["env-award-criterion"]);
    let v = a.verdict("L1", "ecolabel-cleaning").unwrap();
    assert!(
        v.reason.contains("2 suppliers hold the label"),
        "{}",
        v.reason
    );
    assert!(v.reason.contains("(at least 3 needed)"), "{}", v.reason);
    assert!(
        v.reason
            .contains("an environmental award criterion remains possible"),
        "{}",
        v.reason
    );
    assert!(
        v.reason_fr
            .contains("(au moins 3 requis)\u{a0}: le label ne peut être exigé"),
        "{}",
        v.reason_fr
    );
    assert!(
        a.unavailable()
            .any(|(_, l, v)| l == "ecolabel-cleaning" && v.check == CheckKind::Label)
    );
    // the buyer turns the check off
    assert!(a.clone().labels(false).allows("L1", "ecolabel-cleaning"));

    let (a, env) = check(3);
    assert!(a.allows("L1", "ecolabel-cleaning"), "3 holders");
    assert_eq!(env.rung, Rung::LabelRequirement);

    let (a, env) = check(0);
    assert!(!a.allows("L1", "ecolabel-cleaning"), "no holder");
    assert!(a.allows("L1", "env-award-criterion"));
    assert_eq!(env.rung, Rung::SourcingFirst);
    let v = a.verdict("L1", "ecolabel-cleaning").unwrap();
    assert!(
        v.reason.ends_with("the label cannot be required"),
        "{}",
        v.reason
    );

    // a lower label_min follows in both
    let mut t = Thresholds::default();
    t.label_min = 2;
    let o2 = SourcingOptions::default().thresholds(t);
    let dir = ecolabel(2);
    let cap = Capacity::compute(&p, &dir, &o2);
    let a = LeverAvailability::compute(&p, &cap, Catalogue::embedded(), &o2).unwrap();
    assert!(a.allows("L1", "ecolabel-cleaning"));
}

// ---------------------------------------------------------------------------------------
// Invariants on random directories.

mod props {
    use super::*;
    use proptest::prelude::*;

    const CPVS: [&str; 6] = ["909", "9091", "7731", "45", "452", "3019"];
    const DEPS: [&str; 6] = ["49", "44", "85", "69", "75", "2A"];
    const STATUSES: [&str; 8] = ["ei", "aci", "esat", "ea", "esus", "rge", "ecolabel", "jei"];

    fn supplier() -> impl Strategy<Value = Supplier> {
        (
            0..CPVS.len(),
            0..DEPS.len(),
            proptest::collection::vec(0..STATUSES.len(), 0..3),
            proptest::option::of(1u32..50_000_000),
            proptest::option::of(0u32..100),
        )
            .prop_map(|(c, d, st, t, f)| {
                let mut s = Supplier::new("X");
                s.cpv_prefixes = vec![CPVS[c].to_string()];
                s.departement = Some(DEPS[d].parse().unwrap());
                s.labels = st
                    .into_iter()
                    .map(|i| Label::new(STATUSES[i].parse().unwrap()))
                    .collect();
                s.labels.dedup();
                s.turnover = t.map(Amount::from_euros);
                s.insertion_fte = f.map(Decimal::from);
                s
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        #[test]
        fn counts_grow_with_the_perimeter_and_every_line_gets_its_rungs(
            suppliers in proptest::collection::vec(supplier(), 0..60)
        ) {
            let dir = Directory::new(suppliers).unwrap();
            let p = Programme::sample();
            let o = options49();
            let cap = Capacity::compute(p, &dir, &o);
            for c in &cap.lines {
                let d = c.at(Level::Departement).unwrap();
                let r = c.at(Level::Region).unwrap();
                let n = c.at(Level::National).unwrap();
                prop_assert!(d.all.count <= r.all.count && r.all.count <= n.all.count);
                for l in [d, r, n] {
                    prop_assert!(l.inclusive.count <= l.all.count);
                    prop_assert!(l.all.with_turnover <= l.all.count);
                    for f in l.statuses.values().chain(l.articles.values()) {
                        prop_assert!(f.count <= l.all.count);
                    }
                    if let (Some(m), Some(dep)) = (l.all.mean_turnover, l.all.dependency) {
                        prop_assert!(m > Amount::ZERO && dep >= Decimal::ZERO);
                    }
                }
                prop_assert_eq!(c.suppliers(&dir).count(), c.in_reach().all.count);
            }
            let recs = Recommendations::compute(p, &cap, Catalogue::embedded(), &o).unwrap();
            for (r, c) in recs.lines.iter().zip(&cap.lines) {
                prop_assert!(r.social.structures <= c.in_reach().all.count);
                prop_assert!(!r.environmental.is_empty());
                if let (Some(est), Some(abs), Some(h)) =
                    (r.social.estimated_hours, r.social.absorbable_hours, r.social.clause_hours)
                {
                    prop_assert!(h <= est && h <= abs);
                }
            }
        }
    }
}
