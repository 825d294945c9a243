#!/usr/bin/env python3
"""Builds the seed corpora of the fuzz targets from the repository's own test
inputs (docs/fuzzing.md): one query per file for `kql` and `pipeline` (the
KQL syntax corpus and the .slt golden queries), one per file for `esql` (the
ES|QL syntax corpus and ES|QL .slt queries), and the fixture logs for `w3c`.
Writes fuzz/corpus/<target>/seed-*; run from anywhere."""
import hashlib
import pathlib
import re

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "fuzz" / "corpus"


def put(target, data):
    # Queries are trimmed to one trailing newline; log bytes (gzip too) are
    # kept exactly.
    if isinstance(data, str):
        data = data.strip("\n").encode() + b"\n"
    d = OUT / target
    d.mkdir(parents=True, exist_ok=True)
    (d / ("seed-" + hashlib.sha1(data).hexdigest()[:16])).write_bytes(data)


def slt_queries(path):
    """The query texts of a .slt golden file (between `query NAME` and `----`)."""
    text = path.read_text()
    for m in re.finditer(r"^(?:query|error)[^\n]*\n(.*?)^----", text, re.S | re.M):
        yield m.group(1)


for f in sorted((ROOT / "tests/syntax/valid").glob("*.kql")):
    for q in re.split(r"^// =====.*$", f.read_text(), flags=re.M):
        put("kql", q)
        put("pipeline", q)
for f in sorted((ROOT / "tests/syntax/invalid").glob("*.txt")):
    for q in re.split(r"^// =====.*$", f.read_text(), flags=re.M):
        q = "\n".join(l for l in q.splitlines() if not l.startswith("//!"))
        put("kql", q)
for f in sorted((ROOT / "tests/esql_syntax").glob("*/*.esql")):
    put("esql", f.read_text())
    put("pipeline", f.read_text())
for f in sorted((ROOT / "tests/kql").glob("*.slt")):
    for q in slt_queries(f):
        put("kql", q)
        put("pipeline", q)
for f in sorted((ROOT / "tests/esql").glob("*.slt")):
    for q in slt_queries(f):
        put("esql", q)
        put("pipeline", q)
for f in sorted((ROOT / "tests/fixtures").rglob("*")):
    if f.is_file() and f.suffix in (".log", ".gz") and f.stat().st_size < 64 * 1024:
        put("w3c", f.read_bytes())

for t in ("kql", "esql", "w3c", "pipeline"):
    print(t, len(list((OUT / t).glob("seed-*"))), "seeds")
