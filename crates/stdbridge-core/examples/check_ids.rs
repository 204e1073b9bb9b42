//! Reads designations, one per line, and reports those that do not parse or do not
//! display back to an equal parse (a development aid for the parser).
use std::collections::HashMap;
use std::io::BufRead;
use stdbridge_core::Designation;

fn main() {
    let stdin = std::io::stdin();
    let mut failed = 0;
    let mut total = 0;
    let mut by_key: HashMap<String, String> = HashMap::new();
    let mut merged = 0;
    for line in stdin.lock().lines().map_while(Result::ok) {
        total += 1;
        match Designation::parse(&line) {
            Ok(d) => {
                let shown = d.to_string();
                match Designation::parse(&shown) {
                    Ok(again) if again == d => {}
                    other => println!("ROUNDTRIP {line} -> {shown} -> {other:?}"),
                }
                if let Some(previous) = by_key.insert(d.key(), line.clone()) {
                    if previous != line {
                        merged += 1;
                        println!("MERGE {previous} == {line}  [{}]", d.key());
                    }
                }
            }
            Err(e) => {
                failed += 1;
                println!("FAIL {line}: {e}");
            }
        }
    }
    println!("total {total} failed {failed} merged {merged}");
}
