#!/usr/bin/env python3
"""iishunt's ingest against DuckDB's best effort at reading the same W3C logs.

    python3 tests/bench/ingest.py                 # 5M lines, 3 runs each
    python3 tests/bench/ingest.py --runs 5 --lines 1000000

Run `tests/bench/peers.py` once first (with the same --lines): it generates the
logs under --work. iishunt runs `iishunt ingest LOGS --out DIR` as a process
(wall time, and CPU and peak RSS from the child's rusage), all its runs first,
while this process is still small (a forked child's peak RSS counts its
parent's pages until it execs); then DuckDB runs ../shared/bench/duckdb_ingest.sql
in this Python process (`pip install duckdb`). The rows each kept are printed: iishunt keeps every valid line
(the malformed ones go to `_rejects/`), DuckDB loses the sections written under a
changed `#Fields` line.
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
SHARED_SQL = os.path.join(ROOT, "..", "shared", "bench", "duckdb_ingest.sql")


def iishunt_ingest(binary, logs, out):
    shutil.rmtree(out, ignore_errors=True)
    start = time.perf_counter()
    p = subprocess.Popen([binary, "ingest", logs, "--out", out],
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    text = p.stdout.read()
    # This child's own rusage (RUSAGE_CHILDREN would mix in every earlier child).
    _, status, usage = os.wait4(p.pid, 0)
    wall = time.perf_counter() - start
    if status != 0:
        raise SystemExit(f"iishunt ingest failed:\n{text[-2000:]}")
    cpu = usage.ru_utime + usage.ru_stime
    rows = next((int(l.split()[-1].replace(",", "")) for l in text.splitlines()
                 if l.startswith("rows") and "W3CIISLog" in l), None)
    return wall, cpu, usage.ru_maxrss // 1024, rows


def duckdb_ingest(duckdb, logs, out):
    # The CLI's getenv() is not in the Python module: put the glob in the text.
    sql = open(SHARED_SQL, encoding="utf-8").read()
    sql = sql.replace("__OUT__", out).replace("getenv('LOGS')", "'" + os.path.join(logs, "*", "*.log") + "'")
    con = duckdb.connect()
    start = time.perf_counter()
    con.execute(sql)
    wall = time.perf_counter() - start
    rows = con.execute(f"SELECT count(*) FROM read_parquet('{out}')").fetchone()[0]
    return wall, rows


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--lines", type=int, default=5_000_000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--work", default="/tmp/iishunt-bench")
    ap.add_argument("--bin", default=os.path.join(ROOT, "target", "release", "iishunt"))
    a = ap.parse_args()

    logs = os.path.join(a.work, f"logs-{a.seed}-{a.lines}")
    if not os.path.isdir(logs):
        raise SystemExit(f"{logs} is missing: run tests/bench/peers.py --lines {a.lines} first")
    truth_file = logs + ".truth.json"
    truth = json.load(open(truth_file)) if os.path.exists(truth_file) else {}
    out = os.path.join(a.work, "ingest-bench")
    duck_out = os.path.join(a.work, "ingest-bench-duckdb.parquet")
    ours = [iishunt_ingest(a.bin, logs, out) for _ in range(a.runs)]
    import duckdb

    theirs = [duckdb_ingest(duckdb, logs, duck_out) for _ in range(a.runs)]
    wall = statistics.median(r[0] for r in ours)
    duck = statistics.median(r[0] for r in theirs)
    print(f"{truth.get('lines', '?')} lines ({truth.get('malformed', '?')} malformed); medians of {a.runs}")
    print(f"iishunt ingest  {wall:.2f} s  (runs {', '.join(f'{r[0]:.2f}' for r in ours)}; "
          f"CPU {statistics.median(r[1] for r in ours):.1f} s; peak {max(r[2] for r in ours)} MB; "
          f"W3CIISLog rows {ours[-1][3]:,})")
    print(f"duckdb ingest   {duck:.2f} s  (runs {', '.join(f'{r[0]:.2f}' for r in theirs)}; rows {theirs[-1][1]:,})")
    print(f"ratio           {wall / duck:.2f}")
    shutil.rmtree(out, ignore_errors=True)
    if os.path.exists(duck_out):
        os.remove(duck_out)


if __name__ == "__main__":
    main()
