//! Reads and prepares every record of Relaton JSON Lines files without storing them:
//! how fast the reading side of an import can go (a development measure).

use std::time::Instant;

use stdbridge_catalog::input::{Lines, ReadCounter, open};
use stdbridge_catalog::relaton::read_json_line;
use stdbridge_storage::Incoming;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    for path in std::env::args().skip(1) {
        let started = Instant::now();
        let path = std::path::PathBuf::from(path);
        let mut lines = Lines::new(open(&path, &ReadCounter::default())?, &path);
        let mut count = 0u64;
        let mut bytes = 0usize;
        let stage: u32 = std::env::var("STAGE")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(3);
        while let Some((_, line)) = lines.next_line()? {
            let Ok(line) = line else { continue };
            if stage == 0 {
                count += 1;
                continue;
            }
            if let Ok((record, _)) = read_json_line(&line) {
                if stage == 2 {
                    count += 1;
                    continue;
                }
                let prepared = Incoming {
                    record,
                    source: "x".to_owned(),
                    priority: 0,
                }
                .prepare();
                bytes += std::mem::size_of_val(&prepared);
                count += 1;
            }
        }
        let seconds = started.elapsed().as_secs_f64();
        println!(
            "{}: {count} records in {seconds:.2} s = {:.0}/s ({bytes})",
            path.display(),
            count as f64 / seconds
        );
    }
    Ok(())
}
