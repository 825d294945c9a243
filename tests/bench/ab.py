#!/usr/bin/env python3
"""Two iishunt binaries on the benchmark queries, runs interleaved (A, B, A, B, ...).

    python3 tests/bench/ab.py --a /tmp/iishunt-before --b target/release/iishunt q7,q11
    python3 tests/bench/ab.py --a OLD --b NEW --runs 11 q1,q3,q13

Run `tests/bench/peers.py` once first: it generates the logs and the dataset under
--work. Each query runs once to warm, then `runs` times per binary; the medians of
iishunt's own `time:` are printed with B/A, and whether both printed the same rows
(sorted, hashed). Interleaving keeps a noisy machine's drift out of the ratio.
"""
import argparse
import hashlib
import importlib.util
import os
import re
import statistics
import subprocess

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("queries", help="comma list of query names or prefixes (q7, q11_sentinel_many_uas)")
    ap.add_argument("--a", required=True, help="the binary before")
    ap.add_argument("--b", required=True, help="the binary after")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--work", default="/tmp/iishunt-bench")
    ap.add_argument("--lines", type=int, default=5_000_000)
    ap.add_argument("--seed", type=int, default=7)
    a = ap.parse_args()
    spec = importlib.util.spec_from_file_location("peers", os.path.join(HERE, "peers.py"))
    peers = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(peers)
    ds = os.path.join(a.work, f"ds-{a.seed}-{a.lines}")
    lookup = os.path.join(a.work, "watchlist.csv")
    kql = {
        "q1_bruteforce": peers.seed_kql("003_66e64ede338a5461.txt"),
        "q2_manyports": peers.seed_kql("002_43813a497b00ed18.txt"),
        "q3_errorspike": peers.shared_sql("q3_errorspike.kql"),
        "q4_recon404": peers.shared_sql("q4_recon404.kql"),
        "q5_scan": peers.shared_sql("q5_scan.kql"),
        **peers.KQL_EXTRA,
    }
    want = [w for w in a.queries.split(",") if w]
    bins = {"A": a.a, "B": a.b}
    for name, text in kql.items():
        if not any(name == w or name.startswith(w + "_") for w in want):
            continue
        qfile = os.path.join(a.work, f"ab_{name}.kql")
        with open(qfile, "w", encoding="utf-8") as f:
            f.write(text)
        times = {"A": [], "B": []}
        digest = {}
        for i in range(a.runs + 1):
            for k, binary in bins.items():
                cmd = [binary, "query", "--data", ds, "--file", qfile, "--format", "csv",
                       "--timing", "--now", "latest", "--lookup", lookup]
                p = subprocess.run(cmd, capture_output=True, text=True)
                if p.returncode != 0:
                    raise SystemExit(f"{name} ({k}): {p.stderr.strip()[-300:]}")
                rows = "\n".join(sorted(p.stdout.splitlines())).encode()
                digest[k] = hashlib.md5(rows).hexdigest()
                m = re.search(r"time:\s*([0-9.]+)", p.stderr)
                if i > 0 and m:
                    times[k].append(float(m.group(1)))
        ma, mb = statistics.median(times["A"]), statistics.median(times["B"])
        print(f"{name:24s} A {ma:.3f}  B {mb:.3f}  B/A {mb / ma:.2f}  same rows: {digest['A'] == digest['B']}")


if __name__ == "__main__":
    main()
