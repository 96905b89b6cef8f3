//! scratch
use spaser::{Catalogue, Programme};
use spaser::sourcing::*;
fn main() -> Result<(), spaser::Error> {
    let programme = Programme::sample();
    let low = std::env::args().nth(1).is_some();
    let mut t = Thresholds::default();
    if low { t.reservation_min = 3; t.lot_min = 2; }
    let options = SourcingOptions::default().departement("49".parse()?).thresholds(t);
    let capacity = Capacity::compute(programme, Directory::sample(), &options);
    let recs = Recommendations::compute(programme, &capacity, Catalogue::embedded(), &options)?;
    for (l, c) in recs.lines.iter().zip(&capacity.lines) {
        println!("{} [{}] reach={} all={} incl={} | {} {:?}\n   {}", l.line, c.cpv.map(|x| x.to_string()).unwrap_or_default(), c.reach, c.in_reach().all.count, c.in_reach().inclusive.count, l.social.rung, l.social.levers, l.social.reason_fr);
        for e in &l.environmental { println!("   ENV {} {:?} {}", e.rung, e.levers, e.reason_fr); }
    }
    Ok(())
}
