#!/usr/bin/env python3
"""Runs the seed rules and the 404 hunts on Spark (local mode) from
`iishunt translate --to spark`, and checks Spark agrees with iishunt.

Each hunt runs in iishunt (`query --format json`, its own reported time) and
as the translated SQL in one local Spark session (`local[2]`, session time
zone UTC); both answers are normalised as in translate_vs_duckdb.py and
compared as row multisets. Spark is timed twice per hunt: the first run
(planning, JIT, file listing) and a warm second run.

Needs a JDK (Debian: openjdk-17-jre-headless) and `pip install pyspark`;
not part of `cargo test`:

    python3 tests/crosscheck/translate_vs_spark.py DATASET [IISHUNT_BINARY]

DATASET is a folder written by `iishunt ingest`, e.g. of the benchmark's logs.
"""
import json
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from translate_vs_duckdb import CAPPED, ROOT, norm  # noqa: E402

HUNTS = [
    "queries/sentinel/iis_failed_attempts_same_ip.kql",
    "queries/sentinel/iis_many_ports_same_ip.kql",
    "queries/elastic/web_server_error_spike.esql",
    "queries/iis/recon_404_burst.kql",
    "queries/iis/recon_404_to_success.kql",
]


def spark_type(dt):
    """A DuckDB-style type name for norm()."""
    from pyspark.sql import types as T
    if isinstance(dt, T.TimestampType) or isinstance(dt, T.TimestampNTZType):
        return "TIMESTAMP"
    if isinstance(dt, T.LongType):
        return "BIGINT"
    if isinstance(dt, T.ArrayType):
        return "X[]"
    return dt.simpleString()


def main():
    dataset = os.path.abspath(sys.argv[1])
    binary = sys.argv[2] if len(sys.argv) > 2 else str(ROOT / "target" / "release" / "iishunt")
    from pyspark.sql import SparkSession
    spark = (SparkSession.builder.master("local[2]").appName("iishunt-translate")
             .config("spark.sql.session.timeZone", "UTC")
             .config("spark.ui.enabled", "false")
             .config("spark.driver.memory", "4g")
             .getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")
    failures = 0
    print("| hunt | rows | iishunt | Spark local[2], first run | Spark, warm |")
    print("| --- | --- | --- | --- | --- |")
    for hunt in HUNTS:
        text = (ROOT / hunt).read_text()
        caps = {int(n) for n in CAPPED.findall(text)}
        mine = subprocess.run([binary, "query", "--data", dataset, "--now", "latest", "--format", "json",
                               "--file", str(ROOT / hunt)], capture_output=True, text=True, check=True)
        # The whole iishunt process, warm (the run above read the files once).
        started = time.perf_counter()
        subprocess.run([binary, "query", "--data", dataset, "--now", "latest", "--format", "csv",
                        "--file", str(ROOT / hunt)], capture_output=True, text=True, check=True)
        iishunt_s = time.perf_counter() - started
        sql = subprocess.run([binary, "translate", "--to", "spark", "--data", dataset, "--now", "latest",
                              "--file", str(ROOT / hunt)], capture_output=True, text=True)
        if sql.returncode != 0:
            failures += 1
            print(f"| {hunt} | refused: {sql.stderr.strip().splitlines()[:1]} | | | |")
            continue
        statements = [s for s in sql.stdout.split(";\n") if s.strip()]
        timings = []
        rows = None
        for _ in range(2):
            started = time.perf_counter()
            for s in statements[:-1]:
                spark.sql(s)
            df = spark.sql(statements[-1])
            rows = df.collect()
            timings.append(time.perf_counter() - started)
        names = df.columns
        types = [spark_type(f.dataType) for f in df.schema.fields]
        ours_rows = json.loads(mine.stdout) if mine.stdout.strip() else []
        ours = sorted((tuple(norm(r.get(n), t, caps) for n, t in zip(names, types)) for r in ours_rows), key=repr)
        theirs = sorted((tuple(norm(v, t, caps) for v, t in zip(row, types)) for row in rows), key=repr)
        verdict = "agree" if ours == theirs else "DIFFER"
        if ours != theirs:
            failures += 1
            for r in [r for r in ours if r not in theirs][:2]:
                print("   only iishunt:", r, file=sys.stderr)
            for r in [r for r in theirs if r not in ours][:2]:
                print("   only Spark:  ", r, file=sys.stderr)
        print(f"| {hunt} | {len(ours_rows)} vs {len(rows)}, {verdict} | {iishunt_s:.3f} s "
              f"| {timings[0]:.2f} s | {timings[1]:.2f} s |")
    spark.stop()
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
