//! Ingest without the CLI (for profiling the store alone):
//! `cargo run --release -p iishunt-store --example ingest -- OUT PATH...`

use std::path::PathBuf;

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(out) = args.next() else {
        eprintln!("usage: ingest OUT PATH...");
        std::process::exit(2);
    };
    let paths: Vec<PathBuf> = args.map(PathBuf::from).collect();
    let opts = iishunt_store::IngestOptions::new(out);
    match iishunt_store::ingest(&paths, &opts) {
        Ok(s) => {
            println!(
                "rows {:?} rejects {:?} lines {} bytes {} in {:.3}s ({:.0} MB/s) computer {:?}",
                s.rows,
                s.rejects,
                s.lines,
                s.bytes_read,
                s.elapsed.as_secs_f64(),
                s.mb_per_s(),
                s.computer
            );
        }
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(1);
        }
    }
}
