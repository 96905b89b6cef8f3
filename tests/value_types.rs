//! Value types: exact amounts, shares, CPV codes, SIRETs and periods. Invalid values cannot be
//! built; text and serde forms round-trip.

use chrono::NaiveDate;
use proptest::prelude::*;
use rust_decimal::Decimal;
use spaser::{Amount, CpvCode, ErrorKind, Nature, Period, Share, Siret};

// ---------- Amount

#[test]
fn amount_is_exact_to_the_cent_and_never_negative() {
    assert_eq!("1234.5".parse::<Amount>().unwrap().to_string(), "1234.50");
    assert_eq!("1234.500".parse::<Amount>().unwrap().to_string(), "1234.50");
    assert_eq!(
        "0.001".parse::<Amount>().unwrap_err().kind(),
        ErrorKind::InvalidValue
    );
    assert_eq!(
        "-0.01".parse::<Amount>().unwrap_err().kind(),
        ErrorKind::InvalidValue
    );
    assert_eq!(
        "12,5".parse::<Amount>().unwrap_err().kind(),
        ErrorKind::Parse
    );
    assert_eq!(
        "100000000000000.01".parse::<Amount>().unwrap_err().kind(),
        ErrorKind::InvalidValue
    );
}

#[test]
fn amount_serializes_as_a_json_string() {
    let a = Amount::from_cents(123_456);
    assert_eq!(serde_json::to_string(&a).unwrap(), "\"1234.56\"");
    assert!(
        serde_json::from_str::<Amount>("1234.56").is_err(),
        "numbers are not accepted"
    );
    assert!(serde_json::from_str::<Amount>("\"-1\"").is_err());
}

#[test]
fn amount_parses_french_spreadsheet_forms() {
    for (text, want) in [
        ("1 234,56", "1234.56"),
        ("1\u{a0}234\u{a0}567,80\u{a0}€", "1234567.80"),
        ("1\u{202f}234,5 €", "1234.50"),
        ("12 500 € HT", "12500.00"),
        ("€12", "12.00"),
        ("1.234.567,80", "1234567.80"),
        ("1,234,567.80", "1234567.80"),
    ] {
        assert_eq!(
            Amount::parse_localized(text).unwrap().to_string(),
            want,
            "{text}"
        );
    }
}

#[test]
fn amount_arithmetic_is_checked() {
    let max: Amount = "100000000000000".parse().unwrap();
    assert_eq!(
        max.checked_add(Amount::from_cents(1)).unwrap_err().kind(),
        ErrorKind::Overflow
    );
    assert!(
        Amount::from_euros(1)
            .checked_sub(Amount::from_euros(2))
            .is_err()
    );
    assert_eq!(
        Amount::from_cents(u64::MAX),
        max,
        "from_cents saturates at the bound"
    );
    assert_eq!(
        Amount::from_cents(u64::MAX).to_string(),
        "100000000000000.00"
    );
}

// ---------- Share

#[test]
fn share_is_exact_within_zero_and_one() {
    assert_eq!("30%".parse::<Share>().unwrap().to_string(), "0.3");
    assert_eq!("0,25".parse::<Share>().unwrap().to_string(), "0.25");
    assert!("1.0001".parse::<Share>().is_err());
    assert!("-0.1".parse::<Share>().is_err());
    assert!("101 %".parse::<Share>().is_err());
    assert_eq!(Share::ratio(Decimal::ONE, Decimal::ZERO), None);
    assert_eq!(Share::ratio(Decimal::TWO, Decimal::ONE), None);
    assert_eq!(serde_json::to_string(&Share::ONE).unwrap(), "\"1\"");
}

// ---------- CpvCode

#[test]
fn cpv_accepts_an_optional_check_digit_and_drops_it() {
    let c: CpvCode = "45210000-2".parse().unwrap();
    assert_eq!(c.to_string(), "45210000");
    assert_eq!(c, "45210000".parse().unwrap());
    for bad in [
        "4521000",
        "452100000",
        "4521000a",
        "45210000-",
        "45210000-22",
        "45210000-x",
        "",
    ] {
        assert_eq!(
            bad.parse::<CpvCode>().unwrap_err().kind(),
            ErrorKind::InvalidValue,
            "{bad}"
        );
    }
}

#[test]
fn cpv_hierarchy_accessors() {
    let c: CpvCode = "30192700".parse().unwrap();
    assert_eq!(
        (c.division(), c.group(), c.class(), c.category()),
        (30, 301, 3019, 30192)
    );
    assert_eq!(c.significant_prefix(), "301927");
    assert!(c.is_within(&"30000000".parse().unwrap()));
    assert!(!c.is_within(&"31000000".parse().unwrap()));
}

#[test]
fn cpv_nature_follows_the_division() {
    // 45 works; 03-44 and 48 supplies; 50-98 services.
    for (code, want) in [
        ("45000000", Some(Nature::Works)),
        ("03000000", Some(Nature::Supplies)),
        ("44000000", Some(Nature::Supplies)),
        ("48000000", Some(Nature::Supplies)),
        ("50000000", Some(Nature::Services)),
        ("98000000", Some(Nature::Services)),
        ("46000000", None),
        ("49000000", None),
        ("02000000", None),
        ("99000000", None),
    ] {
        assert_eq!(code.parse::<CpvCode>().unwrap().nature(), want, "{code}");
    }
}

// ---------- Siret

#[test]
fn siret_is_14_digits_passing_luhn() {
    let s: Siret = "356 000 000 00048".parse().unwrap(); // La Poste, head office
    assert_eq!(s.siren(), "356000000");
    assert!("21490999600016".parse::<Siret>().is_ok());
    assert_eq!(
        "21490999600017".parse::<Siret>().unwrap_err().kind(),
        ErrorKind::InvalidValue
    );
    assert!("2149099960001".parse::<Siret>().is_err());
    assert!("2149099960001a".parse::<Siret>().is_err());
}

#[test]
fn la_poste_is_the_known_luhn_exception() {
    // SIREN 356000000: digit sum a multiple of 5 instead of the Luhn check.
    let s = "35600000000010";
    let luhn_ok = {
        let sum: u32 = s
            .bytes()
            .rev()
            .enumerate()
            .map(|(i, b)| {
                let d = u32::from(b - b'0');
                if i % 2 == 1 {
                    if d * 2 > 9 { d * 2 - 9 } else { d * 2 }
                } else {
                    d
                }
            })
            .sum();
        sum % 10 == 0
    };
    assert!(!luhn_ok, "the test value must fail Luhn");
    assert!(s.parse::<Siret>().is_ok());
    assert!("35600000000011".parse::<Siret>().is_err());
}

// ---------- Period

#[test]
fn period_enforces_start_before_end() {
    let d = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd).unwrap();
    assert!(Period::new(d(2026, 1, 2), d(2026, 1, 1)).is_err());
    let p = Period::new(d(2026, 1, 1), d(2026, 1, 1)).unwrap();
    assert!(p.contains(d(2026, 1, 1)) && !p.contains(d(2026, 1, 2)));
    let open: Period = "2026-04-01/..".parse().unwrap();
    assert!(!open.overlaps(&p) && open.contains(d(2100, 1, 1)));
    assert!("2026-04-01".parse::<Period>().is_err());
    assert!("2026-13-01/..".parse::<Period>().is_err());
}

// ---------- round trips

fn date() -> impl Strategy<Value = NaiveDate> {
    (-100_000i64..100_000)
        .prop_map(|d| NaiveDate::from_ymd_opt(2000, 1, 1).unwrap() + chrono::Duration::days(d))
}

fn siret() -> impl Strategy<Value = Siret> {
    (0u64..10_000_000_000_000).prop_map(|n| {
        // Complete 13 digits with the Luhn check digit.
        let body = format!("{n:013}");
        (0..10)
            .map(|c| format!("{body}{c}"))
            .find_map(|s| s.parse::<Siret>().ok())
            .unwrap()
    })
}

proptest! {
    #[test]
    fn amount_display_fromstr_and_serde_round_trip(cents in 0u64..10_000_000_000_000_000) {
        let a = Amount::from_cents(cents);
        prop_assert_eq!(a.to_string().parse::<Amount>().unwrap(), a);
        let json = serde_json::to_string(&a).unwrap();
        prop_assert_eq!(serde_json::from_str::<Amount>(&json).unwrap(), a);
    }

    #[test]
    fn localized_parsing_never_panics(text in "\\PC{0,20}") {
        let _ = Amount::parse_localized(&text);
        let _ = text.parse::<Amount>();
        let _ = text.parse::<Share>();
        let _ = text.parse::<CpvCode>();
        let _ = text.parse::<Siret>();
        let _ = text.parse::<Period>();
    }

    #[test]
    fn share_display_fromstr_and_serde_round_trip(
        (num, den) in (1u64..=1_000_000).prop_flat_map(|den| (0..=den, Just(den)))
    ) {
        let s = Share::ratio(Decimal::from(num), Decimal::from(den)).unwrap();
        prop_assert_eq!(s.to_string().parse::<Share>().unwrap(), s);
        let json = serde_json::to_string(&s).unwrap();
        prop_assert_eq!(serde_json::from_str::<Share>(&json).unwrap(), s);
        prop_assert!(s >= Share::ZERO && s <= Share::ONE);
    }

    #[test]
    fn cpv_display_fromstr_and_serde_round_trip(n in 0u32..100_000_000, check in proptest::option::of(0u8..10)) {
        let text = match check {
            Some(c) => format!("{n:08}-{c}"),
            None => format!("{n:08}"),
        };
        let c: CpvCode = text.parse().unwrap();
        prop_assert_eq!(c.to_string(), format!("{n:08}"));
        prop_assert_eq!(c.to_string().parse::<CpvCode>().unwrap(), c);
        prop_assert_eq!(serde_json::from_str::<CpvCode>(&serde_json::to_string(&c).unwrap()).unwrap(), c);
    }

    #[test]
    fn siret_display_fromstr_and_serde_round_trip(s in siret()) {
        prop_assert_eq!(s.to_string().parse::<Siret>().unwrap(), s);
        prop_assert_eq!(serde_json::from_str::<Siret>(&serde_json::to_string(&s).unwrap()).unwrap(), s);
    }

    #[test]
    fn period_display_fromstr_and_serde_round_trip(a in date(), b in proptest::option::of(date())) {
        let p = match b {
            Some(b) if b >= a => Period::new(a, b).unwrap(),
            Some(b) => Period::new(b, a).unwrap(),
            None => Period::from(a),
        };
        prop_assert_eq!(p.to_string().parse::<Period>().unwrap(), p);
        prop_assert_eq!(serde_json::from_str::<Period>(&serde_json::to_string(&p).unwrap()).unwrap(), p);
    }
}
