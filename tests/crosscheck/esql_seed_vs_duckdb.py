#!/usr/bin/env python3
"""Cross-checks the Elastic seed rule (ES|QL, verbatim) against DuckDB.

The rule groups HttpErrorLog by source.ip and agent.id (the Computer) and keeps
groups with more than 50 events; DuckDB computes the same from iishunt's own
Parquet with `GROUP BY cIP, Computer HAVING count(*) > 50`. Not part of
`cargo test` (it needs DuckDB and a large dataset):

    pip install duckdb
    python3 tests/crosscheck/esql_seed_vs_duckdb.py DATASET [IISHUNT_BINARY]

Exits 0 when both give the same groups, counts and host names.
"""
import csv
import io
import os
import subprocess
import sys

import duckdb

RULE = """from logs-nginx.error-*, logs-apache_tomcat.error-*, logs-apache.error-*, logs-iis.error-*
| keep
    @timestamp,
    event.type,
    event.dataset,
    source.ip,
    agent.id,
    host.name,
    data_stream.namespace

| where source.ip is not null
| stats
    Esql.event_count = count(),
    Esql.host_name_values = values(host.name),
    Esql.agent_id_values = values(agent.id),
    Esql.event_dataset_values = values(event.dataset),
    Esql.data_stream_namespace_values = values(data_stream.namespace)
    by source.ip, agent.id
| where
    Esql.event_count > 50
"""


def main():
    dataset = sys.argv[1]
    binary = sys.argv[2] if len(sys.argv) > 2 else "target/release/iishunt"
    out = subprocess.run([binary, "query", "--data", dataset, "--format", "csv", RULE],
                         check=True, capture_output=True, text=True).stdout
    mine = sorted((r["source.ip"], r["agent.id"], int(r["Esql.event_count"]),
                   r["Esql.host_name_values"]) for r in csv.DictReader(io.StringIO(out)))
    files = os.path.join(dataset, "HttpErrorLog", "**", "*.parquet")
    rows = duckdb.connect().execute(f"""
        SELECT cIP, Computer, count(*), '["' || lower(Computer) || '"]'
        FROM read_parquet('{files}', union_by_name = true)
        WHERE cIP IS NOT NULL AND cIP <> '-'
        GROUP BY cIP, Computer HAVING count(*) > 50 ORDER BY cIP, Computer""").fetchall()
    theirs = sorted(tuple(r) for r in rows)
    print(f"iishunt: {len(mine)} groups, DuckDB: {len(theirs)} groups")
    if mine != theirs:
        for a, b in zip(mine, theirs):
            if a != b:
                print("differs:", a, b)
        sys.exit(1)
    for r in mine:
        print(*r)
    print("identical")


if __name__ == "__main__":
    main()
