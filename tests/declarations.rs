//! The yearly declarations and publications: the AGEC art. 58 table (loi 2020-105 art. 58,
//! décret 2024-134; FACTS §4), the EGalim table per restaurant (CRPM L230-5-1; FACTS §5) and
//! the forward plan published to suppliers (APProch fields, amounts as bands).

use chrono::NaiveDate;
use rust_decimal::Decimal;
use spaser::declarations::{
    AgecDeclaration, AgecSource, AmountBands, CheckStatus, EgalimDeclaration, ForwardPlan,
    ForwardPlanOptions, RateCheck,
};
use spaser::decp::{AwardedContract, Identifier};
use spaser::{
    AgecCategory, Amount, Buyer, BuyerStatus, Catalogue, Confidence, CpvCode, Departement,
    ErrorKind, Intermediary, IntermediaryKind, Lang, LineStatus, PlanOptions, Planner, Programme,
    Rulebook, Siret, Targets,
};

const SPEND: &str = include_str!("data/declarations/agec_spend_2025.csv");
const EGALIM: &str = include_str!("data/declarations/egalim_2025.csv");

fn town() -> Buyer {
    let mut b = Buyer::with_status("Ville de Valmont-sur-Loire", BuyerStatus::LocalAuthority);
    b.siret = Some(Siret::parse("21490999600016").unwrap());
    b
}

fn row(t: &AgecDeclaration, c: AgecCategory) -> &spaser::declarations::AgecRow {
    t.rows.iter().find(|r| r.category == c).unwrap()
}

/// An unknown rate (rulebook cell without a figure) never prints `met`, whatever the share.
fn assert_unknown_rates_never_met(t: &AgecDeclaration) {
    for r in &t.rows {
        for c in [&r.reuse_check, &r.recycled_check] {
            if c.rate.is_none() {
                assert_ne!(c.status, CheckStatus::Met, "{}: {}", r.category, c.reason);
            }
        }
    }
}

/// The table has the 17 categories in the official order, with their official labels.
#[test]
fn agec_table_has_the_17_categories_in_the_official_order() {
    let t = AgecDeclaration::from_spend_csv(
        SPEND.as_bytes(),
        Some(2025),
        &town(),
        Rulebook::embedded(),
    )
    .unwrap();
    assert_eq!(t.source, AgecSource::SpendFile);
    let cats: Vec<AgecCategory> = t.rows.iter().map(|r| r.category).collect();
    assert_eq!(cats, AgecCategory::ALL);
    let csv = t.to_csv();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 18);
    for (l, c) in lines[1..].iter().zip(AgecCategory::ALL) {
        assert!(l.contains(c.official()), "{l}");
    }
    let json: serde_json::Value = serde_json::from_str(&t.to_json().unwrap()).unwrap();
    assert_eq!(
        json["rows"][0]["category"],
        "Produits textiles à l'exception des équipements de protection individuels"
    );
    assert_eq!(json["rows"][0]["total"], "50000.00");
}

/// Décret 2024-134, rates of the 2024 milestone for 2025 (S): textiles 8 % reuse / 20 %
/// recycled, furniture 20 % / 15 %, urban furniture 4 % / 20 %; IT 20 % reuse (`?`: column not
/// stated by the source); paper: no rate established.
#[test]
fn agec_spend_file_statuses_and_confidence_tags() {
    let t = AgecDeclaration::from_spend_csv(
        SPEND.as_bytes(),
        Some(2025),
        &town(),
        Rulebook::embedded(),
    )
    .unwrap();
    let textiles = row(&t, AgecCategory::Textiles);
    assert_eq!(textiles.reuse_share.unwrap().to_string(), "0.1");
    assert_eq!(textiles.reuse_check.status, CheckStatus::Met);
    assert_eq!(textiles.recycled_check.status, CheckStatus::Met); // 24 % >= 20 %
    assert_eq!(textiles.reuse_check.confidence, Confidence::S);
    assert_eq!(textiles.reuse_check.milestone, Some(2024));
    assert_eq!(textiles.donations.unwrap().to_string(), "1000.00");

    let it = row(&t, AgecCategory::ItTelephony);
    assert_eq!(it.reuse_check.status, CheckStatus::NotMet); // 15 % < 20 %
    assert_eq!(it.reuse_check.confidence, Confidence::Unknown);
    assert_eq!(it.recycled, None); // empty cell: not known
    assert_eq!(it.recycled_check.status, CheckStatus::Unknown);

    let furniture = row(&t, AgecCategory::Furniture);
    assert_eq!(furniture.reuse_check.status, CheckStatus::Met); // exactly 20 %
    assert_eq!(furniture.recycled_check.status, CheckStatus::NotMet); // 14.99998 % < 15 %

    // Paper: 40 % recycled content, but no rate is established: unknown, never met.
    let paper = row(&t, AgecCategory::Paper);
    assert_eq!(paper.recycled_share.unwrap().to_string(), "0.4");
    assert_eq!(paper.recycled_check.rate, None);
    assert_eq!(paper.recycled_check.status, CheckStatus::Unknown);
    assert_eq!(paper.recycled_check.confidence, Confidence::Unknown);

    let urban = row(&t, AgecCategory::UrbanFurniture);
    assert_eq!(
        (urban.reuse_check.status, urban.recycled_check.status),
        (CheckStatus::Met, CheckStatus::Met)
    );
    // a category without spend has nothing to check
    let toys = row(&t, AgecCategory::GamesToys);
    assert_eq!(toys.reuse_check.status, CheckStatus::NotApplicable);
    assert_unknown_rates_never_met(&t);
    assert_eq!(t.siret.unwrap().as_str(), "21490999600016");
    assert!(
        t.notes.iter().any(|n| n.contains("1 rows of other years")),
        "{:?}",
        t.notes
    );
}

/// In the CSV, an unknown rate prints `unknown` and its status `unknown`, with the `?` tag.
#[test]
fn agec_csv_prints_unknown_for_unknown_rates() {
    let t = AgecDeclaration::from_spend_csv(
        SPEND.as_bytes(),
        Some(2025),
        &town(),
        Rulebook::embedded(),
    )
    .unwrap();
    let csv = t.to_csv();
    let header: Vec<&str> = csv.lines().next().unwrap().split(';').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let paper = csv.lines().find(|l| l.contains(";Papier;")).unwrap();
    let cells: Vec<&str> = paper.split(';').collect();
    assert_eq!(cells[col("taux_recycle")], "unknown");
    assert_eq!(cells[col("statut_recycle")], "unknown");
    assert_eq!(cells[col("confiance_taux_recycle")], "?");
    assert_eq!(cells[col("part_recycle")], "0.4");
    assert!(
        !csv.lines()
            .any(|l| l.contains(";unknown;") && l.contains(";met;") && l.contains("Papier"))
    );
    assert_eq!(t.to_csv(), csv, "deterministic");
}

/// The official declaration schema (datagouv `schema-declaration-biens-reemploi-reutilisation-
/// recycle` v0.1.0): its columns, one row per category with spend, every amount required.
#[test]
fn agec_declaration_csv_follows_the_official_schema_and_refuses_unknown_amounts() {
    let complete = "type_produit_acquis;montant_total;montant_reemploi_et_reutilisation;montant_produits_issus_don;montant_produits_recycles\n\
                    Mobilier urbain;10000;400;0;2000\n";
    let t = AgecDeclaration::from_spend_csv(
        complete.as_bytes(),
        Some(2025),
        &town(),
        Rulebook::embedded(),
    )
    .unwrap();
    let out = t.to_declaration_csv().unwrap();
    assert_eq!(
        out,
        "annee,siret,raison_sociale,type_produit_acquis,montant_total,montant_reemploi_et_reutilisation,montant_produits_issus_don,montant_produits_recycles,commentaires\n\
         2025,21490999600016,Ville de Valmont-sur-Loire,Mobilier urbain,10000.00,400.00,0.00,2000.00,\n"
    );
    let t = AgecDeclaration::from_spend_csv(
        SPEND.as_bytes(),
        Some(2025),
        &town(),
        Rulebook::embedded(),
    )
    .unwrap();
    let e = t.to_declaration_csv().unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Missing);
    assert!(
        e.to_string()
            .contains("\"Matériel informatique et téléphonie\": montant_produits_recycles"),
        "{e}"
    );
}

/// AGEC art. 58 applies from décret 2024-134 (2024-07-01): an earlier year is not applicable.
#[test]
fn agec_year_before_the_decree_is_not_applicable() {
    let t = AgecDeclaration::from_spend_csv(
        SPEND.as_bytes(),
        Some(2023),
        &town(),
        Rulebook::embedded(),
    )
    .unwrap();
    assert!(
        t.rows
            .iter()
            .all(|r| r.reuse_check.status == CheckStatus::NotApplicable)
    );
}

#[test]
fn agec_spend_file_errors_name_line_column_and_value_all_at_once() {
    let bad = "categorie;total;reuse;recycled\n\
               Stylos;100;0;0\n\
               Papier;1 000;2 000;0\n\
               Papier;50;0;0\n\
               Jeux et jouets;douze;0;0\n";
    let e =
        AgecDeclaration::from_spend_csv(bad.as_bytes(), Some(2025), &town(), Rulebook::embedded())
            .unwrap_err();
    let m = e.to_string();
    assert!(m.contains("4 problems"), "{m}");
    assert!(
        m.contains("line 2, column \"categorie\": category \"Stylos\""),
        "{m}"
    );
    assert!(
        m.contains("line 3: reuse 2000.00 exceeds the total 1000.00"),
        "{m}"
    );
    assert!(
        m.contains("line 4, column \"categorie\": category \"Papier\" is already given on line 3"),
        "{m}"
    );
    assert!(
        m.contains("line 5, column \"total\": amount \"douze\""),
        "{m}"
    );
    // several years and none asked
    let e = AgecDeclaration::from_spend_csv(SPEND.as_bytes(), None, &town(), Rulebook::embedded())
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Missing);
    assert!(e.to_string().contains("2024, 2025"), "{e}");
}

fn sample_plan() -> spaser::Plan {
    let programme = Programme::sample();
    let rules = Rulebook::embedded();
    let targets = Targets::defaults_for(programme, rules);
    Planner::new(Catalogue::embedded(), rules)
        .plan(programme, &targets, &PlanOptions::default())
        .unwrap()
}

/// The table on the sample plan: the lines launched in the year in their category, the reuse
/// and recycled shares from the levers the plan puts in them; rates' confidence carried.
#[test]
fn agec_table_on_the_sample_plan() {
    let plan = sample_plan();
    let programme = Programme::sample();
    let t = AgecDeclaration::from_plan(
        programme,
        &plan,
        Catalogue::embedded(),
        Rulebook::embedded(),
        2026,
    )
    .unwrap();
    assert_eq!(t.source, AgecSource::PlanProjection);
    assert_eq!(t.rows.len(), 17);
    // every line of 2026 is in a category or counted as left out
    let lines_2026 = programme
        .lines
        .iter()
        .filter(|l| l.launch_date.format("%Y").to_string() == "2026")
        .count() as u64;
    let in_table: u64 = t.rows.iter().map(|r| r.purchases).sum();
    let left_out: u64 = t.notes[1]
        .split(|c: char| !c.is_ascii_digit())
        .filter_map(|n| n.parse::<u64>().ok())
        .skip(1) // the year
        .sum();
    assert_eq!(in_table + left_out, lines_2026, "{:?}", t.notes);
    // the plan's IT lines carry the reuse lever (30 % reconditioned equipment)
    let it = row(&t, AgecCategory::ItTelephony);
    assert!(it.total > Amount::ZERO);
    assert_eq!(it.reuse_share.unwrap().to_string(), "0.3");
    assert_eq!(it.reuse_check.status, CheckStatus::Met);
    assert_eq!(it.reuse_check.confidence, Confidence::Unknown); // rate 20 %, column not stated
    assert_eq!(it.recycled_check.status, CheckStatus::Unknown); // no rate established
    assert_eq!(it.mapping_confidence, Some(Confidence::S));
    assert_unknown_rates_never_met(&t);
    assert!(t.notes[0].contains("estimate"));
    // planned amounts: exact portions, rounded down to the cent
    for r in &t.rows {
        if let Some(x) = r.reuse {
            assert!(x <= r.total);
        }
    }
    let md = t.to_markdown(Lang::Fr);
    assert!(md.contains("Matériel informatique et téléphonie"));
}

/// From DECP actuals: contracts of the buyer notified in the year, by category; reuse known
/// only through a link to a planned line whose levers set it, else `unknown`.
#[test]
fn agec_table_from_decp_actuals_knows_reuse_only_through_linked_lines() {
    let plan = sample_plan();
    let mut programme = Programme::sample().clone();
    let it_line = plan
        .assignments
        .iter()
        .find(|a| a.levers.iter().any(|l| l == "reuse-it"))
        .unwrap()
        .line
        .clone();
    programme
        .lines
        .iter_mut()
        .find(|l| l.id == it_line)
        .unwrap()
        .contract_ids = vec!["2026-IT-01".into()];
    let buyer = programme.buyer.clone();
    let contract = |id: &str, cpv: &str, amount: u32, day: &str| AwardedContract {
        id: id.into(),
        buyer: Some(Identifier::parse(buyer.siret.unwrap().as_str())),
        cpv: Some(CpvCode::parse(cpv).unwrap()),
        amount: Some(Amount::from_euros(amount)),
        notification_date: Some(NaiveDate::parse_from_str(day, "%Y-%m-%d").unwrap()),
        ..AwardedContract::default()
    };
    let mut other_buyer = contract("X", "30213000", 1000, "2026-05-01");
    other_buyer.buyer = Some(Identifier::parse("13002526500013"));
    let contracts = vec![
        contract("2026-IT-01", "30213000", 100_000, "2026-07-01"),
        contract("2026-FURN", "39130000", 50_000, "2026-06-01"),
        contract("2025-OLD", "39130000", 50_000, "2025-06-01"),
        other_buyer,
    ];
    let links = (&programme, &plan, Catalogue::embedded());
    let t = AgecDeclaration::from_decp(&contracts, &buyer, 2026, Rulebook::embedded(), Some(links))
        .unwrap();
    let it = row(&t, AgecCategory::ItTelephony);
    assert_eq!(it.total.to_string(), "100000.00");
    assert_eq!(it.reuse.unwrap().to_string(), "30000.00");
    let furniture = row(&t, AgecCategory::Furniture);
    assert_eq!(furniture.total.to_string(), "50000.00");
    assert_eq!(furniture.reuse, None);
    assert_eq!(furniture.reuse_check.status, CheckStatus::Unknown);
    assert!(t.notes[1].contains("1 of other buyers"), "{:?}", t.notes);
    assert_unknown_rates_never_met(&t);
}

fn check_of(c: &RateCheck) -> (CheckStatus, Option<String>) {
    (c.status, c.rate.map(|r| r.to_string()))
}

/// EGalim per restaurant (CRPM L230-5-1): 50 % sustainable and quality of which 20 % organic
/// (organic counts within the 50 %), 60 % for meat and fish from 2024 (S); ma-cantine's
/// categories add up to the quality total.
#[test]
fn egalim_per_restaurant_from_ma_cantine_categories() {
    let t = EgalimDeclaration::from_csv(EGALIM.as_bytes(), None, Rulebook::embedded()).unwrap();
    assert_eq!(t.year, 2025);
    assert_eq!(t.rows.len(), 3);
    let j = &t.rows[0];
    assert_eq!(j.food.quality.to_string(), "60000.00");
    assert_eq!(
        check_of(&j.quality_check),
        (CheckStatus::Met, Some("0.5".into()))
    );
    assert_eq!(
        check_of(&j.organic_check),
        (CheckStatus::Met, Some("0.2".into()))
    );
    assert_eq!(j.food.meat_fish_total.unwrap().to_string(), "40000.00");
    assert_eq!(
        check_of(&j.meat_fish_check),
        (CheckStatus::Met, Some("0.6".into()))
    );
    let c = &t.rows[1];
    assert_eq!(c.quality_check.status, CheckStatus::NotMet);
    assert_eq!(c.organic_check.status, CheckStatus::NotMet);
    assert_eq!(c.meat_fish_check.status, CheckStatus::NotMet); // 40 %
    let r = &t.rows[2];
    assert_eq!(r.quality_check.status, CheckStatus::Met);
    assert_eq!(r.meat_fish_check.status, CheckStatus::Unknown); // not tracked
    let csv = t.to_csv();
    assert!(csv.starts_with(
        "annee;restaurant;value_total_ht;egalim_ht;value_bio_ht;value_sustainable_ht;"
    ));
    assert!(
        csv.lines().nth(3).unwrap().ends_with(";;0.6;unknown"),
        "{csv}"
    );
    let json: serde_json::Value = serde_json::from_str(&t.to_json().unwrap()).unwrap();
    assert_eq!(json["rows"][0]["food"]["ma_cantine"]["siqo"], "30000.00");
    assert!(
        t.to_markdown(Lang::En)
            .contains("Groupe scolaire Jean-Jaurès")
    );
}

#[test]
fn egalim_meat_and_fish_rule_starts_in_2024() {
    let t = EgalimDeclaration::from_csv(EGALIM.as_bytes(), Some(2023), Rulebook::embedded());
    // the file's rows are of 2025: none read for 2023, each accounted for
    let t = t.unwrap();
    assert_eq!(t.rows.len(), 0);
    assert_eq!(t.notes, ["3 rows of other years left out"]);
    let csv =
        "restaurant;total;quality;bio;viandes_poissons;viandes_poissons_egalim\nA;100;50;20;10;1\n";
    let t = EgalimDeclaration::from_csv(csv.as_bytes(), Some(2023), Rulebook::embedded()).unwrap();
    assert_eq!(t.rows[0].meat_fish_check.status, CheckStatus::NotApplicable);
    let t = EgalimDeclaration::from_csv(csv.as_bytes(), Some(2024), Rulebook::embedded()).unwrap();
    assert_eq!(t.rows[0].meat_fish_check.status, CheckStatus::NotMet);
}

#[test]
fn egalim_errors_name_the_restaurant_line_and_column() {
    let csv = "restaurant;total;quality;bio;value_sustainable_ht\nA;100;60;20;30\nB;100;50;60;\n";
    let e =
        EgalimDeclaration::from_csv(csv.as_bytes(), Some(2025), Rulebook::embedded()).unwrap_err();
    assert!(
        e.to_string()
            .contains("line 2, column \"quality\": quality 60.00 differs from the sum 50.00"),
        "{e}"
    );
    let csv = "restaurant;total;quality;bio\nB;100;50;60\n";
    let e =
        EgalimDeclaration::from_csv(csv.as_bytes(), Some(2025), Rulebook::embedded()).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Inconsistent);
    assert!(e.to_string().contains("restaurant \"B\""), "{e}");
    let csv = "restaurant;total;quality;bio\nB;100;50;10\nB;100;50;10\n";
    let e =
        EgalimDeclaration::from_csv(csv.as_bytes(), Some(2025), Rulebook::embedded()).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Duplicate);
}

/// The forward plan of the sample: one row per line still to launch, amounts as bands only.
#[test]
fn forward_plan_of_the_sample_has_one_row_per_line_to_launch_and_bands_only() {
    let programme = Programme::sample();
    let estimation = programme.estimate(Rulebook::embedded()).unwrap();
    let plan = sample_plan();
    let fp = ForwardPlan::new(
        programme,
        &estimation,
        Some((&plan, Catalogue::embedded())),
        &ForwardPlanOptions::default(),
    )
    .unwrap();
    let to_launch = programme
        .lines
        .iter()
        .filter(|l| {
            matches!(l.status, LineStatus::ToLaunch | LineStatus::InPreparation)
                && !l.confidential
                && l.intermediary.is_none()
        })
        .count();
    assert_eq!(fp.rows.len(), to_launch);
    assert_eq!(fp.rows.len() + fp.excluded.len(), programme.lines.len());
    let bands = ["< 40k€", "40k - 100k€", "100k - 1M€", "1M - 5M€", "> 5M€"];
    let csv = fp.to_csv();
    let json = fp.to_json().unwrap();
    // every cell of the CSV and every value of the JSON, to look for the estimates
    let cells: Vec<String> = csv
        .lines()
        .flat_map(|l| l.split(';'))
        .map(|c| c.trim_matches('"').to_string())
        .collect();
    fn values(v: &serde_json::Value, out: &mut Vec<String>) {
        match v {
            serde_json::Value::Array(a) => a.iter().for_each(|x| values(x, out)),
            serde_json::Value::Object(o) => o.values().for_each(|x| values(x, out)),
            other => out.push(other.to_string().trim_matches('"').to_string()),
        }
    }
    let mut json_values = Vec::new();
    values(&serde_json::from_str(&json).unwrap(), &mut json_values);
    for (r, l) in fp.rows.iter().zip(&programme.lines) {
        assert_eq!(r.code, l.id);
        assert!(bands.contains(&r.amount_band.as_str()), "{}", r.amount_band);
        // the estimate itself appears nowhere
        for text in [
            l.amount.to_string(),
            l.amount.as_decimal().normalize().to_string(),
        ] {
            assert!(
                !cells.contains(&text) && !json_values.contains(&text),
                "{text}"
            );
        }
        assert_eq!(r.buyer_siren.as_deref(), Some("214909996"));
    }
    let csv_lines: Vec<&str> = csv.lines().collect();
    assert_eq!(csv_lines.len(), fp.rows.len() + 1);
    assert_eq!(
        csv_lines[0],
        "code;libelle;description;statut;siren_de_l_entite_acheteuse;categorie_d_achat;code_s_cpv;date_previsionnelle_de_publication;date_cible_de_remise_des_offres;type_de_procedure;duree_previsionnelle_du_marche;montant_estime_du_marche;departement_s_d_execution_du_marche;considerations_sociales;considerations_environnementales"
    );
    // considerations come from the plan
    assert!(fp.rows.iter().any(|r| !r.environmental.is_empty()));
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert!(v["rows"][0]["montant_estime_du_marche"].is_string());
    assert_eq!(fp.to_csv(), csv, "deterministic");
}

/// Confidential lines and lines no longer to launch are left out, each with its reason;
/// départements come from the line, else from the buyer; the offer date follows the procedure.
#[test]
fn forward_plan_leaves_out_confidential_and_launched_lines() {
    let mut programme = Programme::sample().clone();
    programme.buyer.departement = Some(Departement::parse("49").unwrap());
    programme.lines[0].confidential = true;
    programme.lines[1].status = LineStatus::Awarded;
    programme.lines[2].status = LineStatus::InPreparation;
    programme.lines[4].intermediary = Some(Intermediary {
        kind: IntermediaryKind::CentralPurchasingBody,
        name: "UGAP".into(),
    });
    programme.lines[2].departements = vec![
        Departement::parse("44").unwrap(),
        Departement::parse("2a").unwrap(),
    ];
    let estimation = programme.estimate(Rulebook::embedded()).unwrap();
    let fp = ForwardPlan::new(
        &programme,
        &estimation,
        None,
        &ForwardPlanOptions::default(),
    )
    .unwrap();
    assert_eq!(fp.excluded.len(), 3);
    assert_eq!(fp.excluded[0].reason, "confidential");
    assert!(fp.excluded[1].reason.contains("awarded"));
    assert!(fp.excluded[2].reason.contains("bought through UGAP"));
    let third = fp
        .rows
        .iter()
        .find(|r| r.code == programme.lines[2].id)
        .unwrap();
    assert_eq!(third.status, "En préparation");
    assert!(fp.to_csv().contains(";44|2A;"));
    let other = fp
        .rows
        .iter()
        .find(|r| r.code == programme.lines[3].id)
        .unwrap();
    assert_eq!(other.departements, vec![Departement::parse("49").unwrap()]);
    // without a plan, the considerations are the dimensions planned on the line
    assert!(
        fp.rows
            .iter()
            .any(|r| r.environmental == ["Considération environnementale prévue"])
    );
    // the target date of the offers: 35 days after publication for a formal procedure
    let formal = fp
        .rows
        .iter()
        .find(|r| r.procedure == "Procédure formalisée")
        .unwrap();
    assert_eq!(
        formal.offers_date.unwrap() - formal.publication_date,
        chrono::Duration::days(35)
    );
    // a minimum leaves the small lines out, listed
    let fp = ForwardPlan::new(
        &programme,
        &estimation,
        None,
        &ForwardPlanOptions::default().minimum(Amount::from_euros(40_000)),
    )
    .unwrap();
    assert!(
        fp.excluded
            .iter()
            .any(|e| e.reason.contains("below the published minimum"))
    );
    assert!(fp.rows.iter().all(|r| r.amount_band != "< 40k€"));
}

#[test]
fn amount_bands_boundaries_and_custom_bands() {
    let b = AmountBands::default();
    for (euros, band) in [
        (39_999u32, "< 40k€"),
        (40_000, "40k - 100k€"),
        (999_999, "100k - 1M€"),
        (1_000_000, "1M - 5M€"),
        (5_000_000, "> 5M€"),
    ] {
        assert_eq!(b.label(Amount::from_euros(euros)), band, "{euros}");
    }
    assert_eq!(
        b.label(Amount::new(Decimal::new(3_999_999, 2)).unwrap()),
        "< 40k€"
    );
    let fine = AmountBands::new(vec![
        Amount::from_euros(100_000),
        Amount::from_euros(500_000),
        Amount::from_euros(1_000_000),
    ])
    .unwrap();
    assert_eq!(fine.label(Amount::from_euros(250_000)), "100k - 500k€");
    assert!(AmountBands::new(vec![Amount::from_euros(5), Amount::from_euros(5)]).is_err());
    assert!(AmountBands::new(vec![]).is_err());
}

use proptest::prelude::*;

proptest! {
    /// The spend-file reader never panics, whatever the bytes.
    #[test]
    fn agec_spend_reader_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        let _ = AgecDeclaration::from_spend_csv(bytes.as_slice(), Some(2025), &town(), Rulebook::embedded());
    }

    /// The EGalim reader never panics, whatever the bytes.
    #[test]
    fn egalim_reader_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        let _ = EgalimDeclaration::from_csv(bytes.as_slice(), Some(2025), Rulebook::embedded());
    }

    /// Shares stay in 0..=1 and a status is `met` only with a known rate the share reaches.
    #[test]
    fn agec_shares_stay_in_range_and_met_needs_a_reached_known_rate(
        rows in prop::collection::vec((0usize..17, 0u32..1_000_000, 0u32..=100, 0u32..=100, any::<bool>()), 0..17)
    ) {
        let mut seen = std::collections::BTreeSet::new();
        let mut csv = String::from("categorie;total;reuse;recycled\n");
        for (c, total, r, rec, known) in rows {
            if !seen.insert(c) { continue; }
            let reuse = u64::from(total) * u64::from(r) / 100;
            let recycled = u64::from(total) * u64::from(rec) / 100;
            csv.push_str(&format!("{};{total};{reuse};{}\n", AgecCategory::ALL[c].official(),
                if known { recycled.to_string() } else { String::new() }));
        }
        let t = AgecDeclaration::from_spend_csv(csv.as_bytes(), Some(2026), &town(), Rulebook::embedded()).unwrap();
        for r in &t.rows {
            for (share, c) in [(r.reuse_share, &r.reuse_check), (r.recycled_share, &r.recycled_check)] {
                if let Some(s) = share {
                    prop_assert!(s.as_decimal() >= Decimal::ZERO && s.as_decimal() <= Decimal::ONE);
                }
                if c.status == CheckStatus::Met {
                    prop_assert!(c.rate.is_some());
                    prop_assert!(share.unwrap() >= c.rate.unwrap());
                }
            }
        }
    }
}
