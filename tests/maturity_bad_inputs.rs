//! Runner of `tests/data/maturity_bad_inputs.json`: a grid or an assessment with a bad entry
//! (duplicate id, empty level, zero points, unknown indicator, unknown criterion, share
//! outside 0..=1, …) is refused with an error of the listed kind whose message names the entry.

use serde_json::Value;
use spaser::ErrorKind;
use spaser::maturity::{Assessment, Grid};

fn apply(doc: &mut Value, op: &Value) {
    let pointer = op["pointer"].as_str().unwrap();
    match op["op"].as_str().unwrap() {
        "set" => match doc.pointer_mut(pointer) {
            Some(v) => *v = op["value"].clone(),
            None => {
                let (parent, key) = pointer.rsplit_once('/').unwrap();
                doc.pointer_mut(parent)
                    .unwrap()
                    .as_object_mut()
                    .unwrap()
                    .insert(key.to_string(), op["value"].clone());
            }
        },
        "remove" => {
            let (parent, key) = pointer.rsplit_once('/').unwrap();
            let p = doc.pointer_mut(parent).unwrap();
            match p {
                Value::Array(a) => {
                    a.remove(key.parse::<usize>().unwrap());
                }
                Value::Object(o) => {
                    o.remove(key).unwrap();
                }
                _ => panic!("cannot remove {pointer}"),
            }
        }
        "push" => doc
            .pointer_mut(pointer)
            .unwrap()
            .as_array_mut()
            .unwrap()
            .push(op["value"].clone()),
        other => panic!("unknown op {other}"),
    }
}

fn kind(name: &str) -> ErrorKind {
    match name {
        "Duplicate" => ErrorKind::Duplicate,
        "Missing" => ErrorKind::Missing,
        "InvalidValue" => ErrorKind::InvalidValue,
        "Inconsistent" => ErrorKind::Inconsistent,
        "Parse" => ErrorKind::Parse,
        other => panic!("unknown kind {other}"),
    }
}

#[test]
fn bad_grids_and_assessments_are_refused_with_an_error_naming_the_entry() {
    let table: Value = serde_json::from_str(include_str!("data/maturity_bad_inputs.json")).unwrap();
    let base_grid = table["base_grid"].clone();
    let base_assessment = table["base_assessment"].clone();
    // The bases themselves are valid.
    let grid = Grid::from_json(&base_grid.to_string()).unwrap();
    Assessment::from_json(&base_assessment.to_string())
        .unwrap()
        .check(&grid)
        .unwrap();
    let cases = table["cases"].as_array().unwrap();
    assert!(cases.len() >= 25);
    for case in cases {
        let name = case["name"].as_str().unwrap();
        let target = case["target"].as_str().unwrap();
        let mut doc = if target == "grid" {
            base_grid.clone()
        } else {
            base_assessment.clone()
        };
        for op in case["ops"].as_array().unwrap() {
            apply(&mut doc, op);
        }
        let text = doc.to_string();
        let result = if target == "grid" {
            Grid::from_json(&text).map(|_| ())
        } else {
            Assessment::from_json(&text).and_then(|a| a.check(&grid))
        };
        let err = match result {
            Ok(()) => panic!("case \"{name}\": accepted"),
            Err(e) => e,
        };
        let expected = case["message"].as_str().unwrap();
        assert_eq!(
            err.kind(),
            kind(case["kind"].as_str().unwrap()),
            "case \"{name}\": {err}"
        );
        assert!(
            err.to_string().contains(expected),
            "case \"{name}\": message \"{err}\" does not contain \"{expected}\""
        );
        let msg = err.to_string();
        assert!(!msg.ends_with('.'), "case \"{name}\": trailing period");
    }
}
