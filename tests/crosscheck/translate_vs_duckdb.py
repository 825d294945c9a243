#!/usr/bin/env python3
"""Cross-checks `iishunt translate --to duckdb` against iishunt itself.

Every shipped hunt (queries/**/*.kql, *.esql) and every `query` case of the
golden files (tests/kql/*.slt, tests/esql/*.slt) runs twice over the same
Parquet dataset, ingested from tests/fixtures/golden by the built binary:
once with `iishunt query --format json`, once as the translated SQL in
DuckDB (the python `duckdb` package). The two results must hold the same
rows, compared as multisets after normalising types:

- datetimes as microseconds since the epoch, timespans (iishunt prints
  `d.hh:mm:ss.fffffff`, the SQL holds BIGINT microseconds) likewise;
- arrays sorted (make_set has no order in SQL) except in make-series
  queries, whose arrays are compared in bin order; reals to 9 significant digits;
- null and "" are one value (Kusto reads a null string as "");
- when the query caps a set or list (`make_set(x, 20)`), arrays are compared
  by length only: which values a capped set keeps is unspecified (iishunt
  keeps the first met, SQL engines any), and such agreements are counted
  apart.

Not part of `cargo test` (it needs python and DuckDB):

    pip install duckdb
    cargo build --release
    python3 tests/crosscheck/translate_vs_duckdb.py [IISHUNT_BINARY] [-v] [--spark]

With `--spark` the same cases run as `translate --to spark` in a local
Spark session instead (needs a JDK and `pip install pyspark`; slower).

Prints one line per case that does not translate (with the reason) or does
not agree, then the counts. Exits 1 when a translated case disagrees: a
translation that runs and gives another answer is a bug; one that is refused
is a documented limit.
"""
import datetime
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[2]
NOW = "2026-03-09T00:00:00Z"
FIXTURES = ROOT / "tests" / "fixtures" / "golden"
TIMESPAN = re.compile(r"^(-?)(?:(\d+)\.)?(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,7}))?$")
EPOCH = datetime.datetime(1970, 1, 1)


def slt_cases(path):
    """`query NAME` blocks of a golden file: (name, query text)."""
    lines = path.read_text().splitlines()
    i = 0
    while i < len(lines):
        if lines[i].startswith("query "):
            name = lines[i][len("query "):]
            j = i + 1
            while j < len(lines) and lines[j] != "----":
                j += 1
            yield f"{path.relative_to(ROOT)}:{name}", "\n".join(lines[i + 1:j])
            i = j
        i += 1


def micros(dt):
    if dt.tzinfo is not None:
        dt = dt.astimezone(datetime.timezone.utc).replace(tzinfo=None)
    d = dt - EPOCH
    return (d.days * 86400 + d.seconds) * 1_000_000 + d.microseconds


def parse_iso(s):
    try:
        return micros(datetime.datetime.fromisoformat(s.replace("Z", "+00:00")))
    except ValueError:
        return None


def parse_timespan(s):
    m = TIMESPAN.match(s)
    if not m:
        return None
    sign, days, h, mi, sec, frac = m.groups()
    us = ((int(days or 0) * 24 + int(h)) * 60 + int(mi)) * 60 + int(sec)
    us = us * 1_000_000 + int((frac or "0").ljust(7, "0")) // 10
    return -us if sign else us


CAPPED = re.compile(r"make_(?:set|list)(?:_if)?\s*\([^()]*,\s*(\d+)\s*\)")


def norm(v, sql_type=None, caps=(), ordered=False):
    """One canonical, comparable form of a cell from either side. An array as
    long as one of the query's caps is compared by its length."""
    if isinstance(v, str) and sql_type and sql_type.endswith("[]"):
        v = json.loads(v)
    if isinstance(v, (list, tuple)) and len(v) in caps:
        return ("capped list of", len(v))
    if v is None or v == "":
        return ("null",)
    if isinstance(v, bool):
        return ("bool", v)
    if isinstance(v, datetime.datetime):
        return ("int", micros(v))
    if isinstance(v, (int,)) :
        return ("int", v)
    if isinstance(v, float):
        return ("real", float(f"{v:.9g}"))
    if isinstance(v, (list, tuple)):
        elem = sql_type[:-2] if sql_type and sql_type.endswith("[]") else None
        items = [norm(x, elem) for x in v]
        return ("list", tuple(items if ordered else sorted(items, key=repr)))
    if isinstance(v, dict):
        return ("bag", json.dumps(v, sort_keys=True))
    if isinstance(v, str):
        if sql_type in ("TIMESTAMP", "TIMESTAMP WITH TIME ZONE"):
            t = parse_iso(v)
            if t is not None:
                return ("int", t)
        if sql_type == "BIGINT":
            t = parse_timespan(v)
            if t is not None:
                return ("int", t)
        if sql_type and sql_type.endswith("[]"):
            try:
                return norm(json.loads(v))
            except ValueError:
                pass
        return ("str", v)
    return ("other", repr(v))


def run(cmd):
    return subprocess.run(cmd, capture_output=True, text=True)


class DuckDb:
    name = "duckdb"

    def __init__(self):
        self.con = duckdb.connect()

    def execute(self, sql):
        """Column names, type names, rows."""
        cur = self.con.execute(sql)
        rows = cur.fetchall()
        return [d[0] for d in cur.description], [str(d[1]) for d in cur.description], rows


class Spark:
    name = "spark"

    def __init__(self):
        from pyspark.sql import SparkSession
        self.spark = (SparkSession.builder.master("local[2]").appName("iishunt-crosscheck")
                      .config("spark.sql.session.timeZone", "UTC")
                      .config("spark.ui.enabled", "false").getOrCreate())
        self.spark.sparkContext.setLogLevel("ERROR")

    def execute(self, sql):
        from pyspark.sql import types as T
        statements = [s for s in sql.split(";\n") if s.strip()]
        for s in statements[:-1]:
            self.spark.sql(s)
        df = self.spark.sql(statements[-1])

        def name(dt):
            if isinstance(dt, (T.TimestampType, T.TimestampNTZType)):
                return "TIMESTAMP"
            if isinstance(dt, T.LongType):
                return "BIGINT"
            if isinstance(dt, T.ArrayType):
                return name(dt.elementType) + "[]"
            return dt.simpleString()
        return df.columns, [name(f.dataType) for f in df.schema.fields], [tuple(r) for r in df.collect()]


def main():
    args = [a for a in sys.argv[1:] if a not in ("-v", "--spark")]
    verbose = "-v" in sys.argv[1:]
    engine = Spark() if "--spark" in sys.argv[1:] else DuckDb()
    binary = args[0] if args else str(ROOT / "target" / "release" / "iishunt")
    lookups = sorted((FIXTURES / "lookups").glob("*.csv"))
    lookup_args = [x for f in lookups for x in ("--lookup", str(f))]
    with tempfile.TemporaryDirectory() as tmp:
        data = os.path.join(tmp, "dataset")
        r = run([binary, "ingest", str(FIXTURES), "--out", data])
        if r.returncode != 0:
            sys.exit(f"ingest failed: {r.stderr}")
        cases = []
        for f in sorted((ROOT / "queries").rglob("*")):
            if f.suffix in (".kql", ".esql"):
                cases.append(("hunt", str(f.relative_to(ROOT)), f.read_text()))
        for sub in ("kql", "esql"):
            for f in sorted((ROOT / "tests" / sub).glob("*.slt")):
                for name, q in slt_cases(f):
                    cases.append(("slt", name, q))
        counts = {}
        failures = 0
        for kind, name, query in cases:
            c = counts.setdefault(kind, {"cases": 0, "ran": 0, "translated": 0, "agree": 0, "capped": 0})
            caps = {int(n) for n in CAPPED.findall(query)}
            # make-series arrays are in bin order on both sides; sets have no order in SQL.
            ordered = "make-series" in query
            c["cases"] += 1
            common = ["--data", data, "--now", NOW] + lookup_args
            mine = run([binary, "query", "--format", "json"] + common + [query])
            if mine.returncode != 0:
                if verbose:
                    print(f"skip      {name}: iishunt itself fails")
                continue
            c["ran"] += 1
            sql = run([binary, "translate", "--to", engine.name] + common + [query])
            if sql.returncode != 0:
                reason = next((l.strip() for l in sql.stderr.splitlines() if "cannot be translated" in l
                               or "differ only" in l or "subqueries" in l), sql.stderr.strip().splitlines()[:1])
                print(f"refused   {name}: {reason}")
                continue
            c["translated"] += 1
            try:
                names, types, theirs_rows = engine.execute(sql.stdout)
            except Exception as e:  # the engine's own error types
                failures += 1
                print(f"SQL ERROR {name}: {(str(e).strip().splitlines() or [''])[0][:300]}")
                if verbose:
                    print(sql.stdout)
                continue
            rows = json.loads(mine.stdout) if mine.stdout.strip() else []
            my_names = list(rows[0].keys()) if rows else names
            if my_names != names:
                failures += 1
                print(f"DIFFERS   {name}: columns {my_names} vs {names}")
                continue
            ours = sorted((tuple(norm(r.get(n), t, caps, ordered) for n, t in zip(names, types)) for r in rows), key=repr)
            theirs = sorted((tuple(norm(v, t, caps, ordered) for v, t in zip(row, types)) for row in theirs_rows), key=repr)
            if ours == theirs:
                c["agree"] += 1
                c["capped"] += any(x[0] == "capped list of" for row in ours for x in row)
                if verbose:
                    print(f"agree     {name}: {len(ours)} rows")
            else:
                failures += 1
                print(f"DIFFERS   {name}: iishunt {len(ours)} rows, {engine.name} {len(theirs)} rows")
                extra = [r for r in ours if r not in theirs][:2]
                missing = [r for r in theirs if r not in ours][:2]
                for r in extra:
                    print("   only iishunt:", r)
                for r in missing:
                    print(f"   only {engine.name}: ", r)
                if verbose:
                    print(sql.stdout)
        for kind, c in counts.items():
            print(f"{kind}: {c['cases']} cases, {c['ran']} run in iishunt, "
                  f"{c['translated']} translate, {c['agree']} agree with {engine.name} "
                  f"({c['capped']} of them with arrays at their cap compared by length)")
        sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
