#!/usr/bin/env python3
"""Trino is not available on this machine: this checks that every shipped
hunt and golden `query` case that translates to Trino gives SQL that
sqlglot's Trino dialect parses (syntax only; it does not run it).

    pip install sqlglot
    python3 tests/crosscheck/trino_syntax.py [IISHUNT_BINARY]

Exits 1 when a translation does not parse.
"""
import os
import subprocess
import sys
import tempfile

import sqlglot

from translate_vs_duckdb import FIXTURES, NOW, ROOT, slt_cases


def main():
    binary = sys.argv[1] if len(sys.argv) > 1 else str(ROOT / "target" / "release" / "iishunt")
    lookups = [x for f in sorted((FIXTURES / "lookups").glob("*.csv")) for x in ("--lookup", str(f))]
    cases = [(str(f.relative_to(ROOT)), f.read_text())
             for f in sorted((ROOT / "queries").rglob("*")) if f.suffix in (".kql", ".esql")]
    for sub in ("kql", "esql"):
        for f in sorted((ROOT / "tests" / sub).glob("*.slt")):
            cases += list(slt_cases(f))
    parsed = failed = refused = 0
    with tempfile.TemporaryDirectory() as tmp:
        data = os.path.join(tmp, "dataset")
        subprocess.run([binary, "ingest", str(FIXTURES), "--out", data], check=True, capture_output=True)
        for name, query in cases:
            r = subprocess.run([binary, "translate", "--to", "trino", "--data", data, "--now", NOW]
                               + lookups + [query], capture_output=True, text=True)
            if r.returncode != 0:
                refused += 1
                continue
            try:
                for statement in r.stdout.split(";\n"):
                    if statement.strip():
                        sqlglot.parse_one(statement, read="trino")
                parsed += 1
            except sqlglot.errors.ParseError as e:
                failed += 1
                print(f"PARSE ERROR {name}: {str(e)[:300]}")
    print(f"trino: {len(cases)} cases, {parsed} translate and parse, {failed} do not parse, {refused} refused")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
