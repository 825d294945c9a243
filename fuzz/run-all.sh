#!/bin/sh
# Runs each fuzz target for SECONDS (default 600), one at a time, at the
# lowest priority, and prints libFuzzer's final figures per target
# (docs/fuzzing.md). Needs `cargo install cargo-fuzz` and a nightly toolchain.
# Usage: fuzz/run-all.sh [SECONDS] [TARGET...]
set -eu
cd "$(dirname "$0")/.."
secs=${1:-600}
[ $# -gt 0 ] && shift
targets=${*:-kql esql w3c pipeline}
python3 fuzz/seed.py
nice -n 19 cargo +nightly fuzz build -s none
for t in $targets; do
    mkdir -p fuzz/corpus/"$t" fuzz/artifacts/"$t"
    log=fuzz/artifacts/"$t"/last-run.log
    # -timeout: one input may take at most 10 s (the pipeline's own budget is 2 s).
    nice -n 19 fuzz/target/x86_64-unknown-linux-gnu/release/"$t" \
        -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix=fuzz/artifacts/"$t"/ fuzz/corpus/"$t" >"$log" 2>&1 || true
    printf '%s: ' "$t"
    grep -E '^(Done|stat::number_of_executed_units|stat::peak_rss_mb)' "$log" | tr '\n' ' '
    ls fuzz/artifacts/"$t" | grep -E '^(crash|oom|timeout|leak)-' | tr '\n' ' ' || true
    echo
done
