#!/usr/bin/env python3
"""iishunt against DuckDB, Polars and DataFusion on the same Parquet, one table per run.

Run from the project root (needs `pip install duckdb polars datafusion`; the logs come
from ../shared/bench/gen_iis_logs.py, cached under --work like ../shared/bench/run.py):

    python3 tests/bench/peers.py                      # 5M lines, 3 timed runs each
    python3 tests/bench/peers.py --lines 1000000      # another size
    python3 tests/bench/peers.py --threads 1,2 --iishunt-only   # iishunt's scaling

Every engine reads iishunt's own dataset (hive-partitioned Parquet), so all scan the
same bytes. iishunt runs one process per query and reports its in-process `time:`
(`--timing`); the peers run in this Python process, warm (the first run is dropped).
Each query is written idiomatically for each engine; the row counts are compared and
printed (`rows`), a mismatch is flagged. Peak RSS is iishunt's (`ru_maxrss` of the child).
"""
import argparse
import csv
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
SHARED = os.path.join(ROOT, "..", "shared")


def seed_kql(name):
    """The KQL of a seed document, verbatim."""
    text = open(os.path.join(SHARED, "seeds", name), encoding="utf-8").read().splitlines()
    out, on = [], False
    for line in text:
        if line == "KQL Query":
            on = True
            continue
        if line.startswith("id: "):
            break
        if on:
            out.append(line)
    return "\n".join(out) + "\n"


def shared_sql(name):
    return open(os.path.join(SHARED, "bench", name), encoding="utf-8").read()


# ---------------------------------------------------------------- the queries
# Each: kql (iishunt), sql (DuckDB; PARQUET, HTTPERR and WATCHLIST are substituted),
# polars (a function of the lazy frames), df (DataFusion SQL, or None where its
# dialect lacks a piece).

def polars_queries(pl):
    def to_str(c):
        return pl.col(c).cast(pl.String)

    friendly = {
        "401.0": "Access denied.", "401.1": "Logon failed.",
        "401.2": "Logon failed due to server configuration.",
        "401.3": "Unauthorized due to ACL on resource.", "401.4": "Authorization failed by filter.",
        "401.5": "Authorization failed by ISAPI/CGI application.", "403.0": "Forbidden.",
        "403.4": "SSL required.",
    }

    def q1(w, e, wl):
        return (w.filter(to_str("scStatus").is_in(["401", "403"]) & (to_str("csUserName") != "-"))
                .with_columns(full=to_str("scStatus") + "." + to_str("scSubStatus"))
                .with_columns(friendly=pl.col("full").replace_strict(friendly, default="See - https://support.microsoft.com/help/943891"))
                .group_by(pl.col("TimeGenerated").dt.truncate("1m"), "cIP", "Computer", "sIP")
                .agg(pl.col("csUriQuery").unique(), pl.col("csUserName").unique(), pl.col("sSiteName").unique(),
                     pl.col("sPort").unique(), pl.col("csUserAgent").unique(), pl.col("csMethod").unique(),
                     pl.col("full").unique(), pl.col("friendly").unique(), pl.col("scWin32Status").unique(),
                     pl.len().alias("FailedConnectionsCount"))
                .filter(pl.col("FailedConnectionsCount") >= 20)
                .sort("FailedConnectionsCount", descending=True))

    def q2(w, e, wl):
        return (w.group_by(pl.col("TimeGenerated").dt.truncate("10m"), "cIP", "Computer", "sIP")
                .agg(pl.col("sPort").unique(), pl.col("csUriQuery").unique(), pl.col("csUserName").unique(),
                     pl.col("sSiteName").unique(), pl.col("csUserAgent").unique(), pl.col("csMethod").unique(),
                     (to_str("scStatus") + "." + to_str("scSubStatus")).unique().alias("full"),
                     pl.col("scWin32Status").unique(), pl.len().alias("ConnectionsCount"),
                     pl.col("sPort").n_unique().alias("portCount"))
                .filter(pl.col("portCount") >= 30)
                .sort("portCount", descending=True))

    def q3(w, e, wl):
        return (w.filter(pl.col("cIP").is_not_null() & (to_str("scStatus").cast(pl.Int32, strict=False) >= 400))
                .group_by("cIP", "Computer")
                .agg(pl.len().alias("event_count"), pl.col("Computer").unique().alias("host_name_values"))
                .filter(pl.col("event_count") > 50)
                .sort("event_count", descending=True))

    def q4(w, e, wl):
        return (w.filter(to_str("scStatus") == "404")
                .group_by(pl.col("TimeGenerated").dt.truncate("10m"), "cIP")
                .agg(pl.len().alias("NotFound"), pl.col("csUriStem").n_unique().alias("DistinctPaths"),
                     pl.col("csUriStem").unique().alias("set_csUriStem"))
                .filter(pl.col("NotFound") > 100)
                .sort("NotFound", descending=True))

    def q5(w, e, wl):
        return (w.group_by("scStatus").agg(pl.len().alias("count_"), pl.col("scBytes").sum().alias("sum_scBytes"))
                .sort("count_", descending=True))

    def q6(w, e, wl):
        return (w.select(to_str("cIP").alias("cIP")).join(wl, left_on="cIP", right_on="ip", how="inner")
                .group_by("tag").agg(pl.len().alias("Requests")).sort("Requests", descending=True))

    def q7(w, e, wl):
        both = pl.concat([w.select(to_str("cIP").alias("cIP")), e.select(to_str("cIP").alias("cIP"))])
        return both.group_by("cIP").agg(pl.len().alias("Requests")).sort("Requests", descending=True).head(10)

    def q8(w, e, wl):
        top = w.group_by("cIP").agg(pl.len().alias("n")).sort("n", descending=True).head(10).select("cIP")
        return (w.join(top, on="cIP", how="semi")
                .group_by("cIP", pl.col("TimeGenerated").dt.truncate("1h"))
                .agg(pl.len().alias("Requests"))
                .group_by("cIP").agg(pl.col("TimeGenerated").sort_by("TimeGenerated"), pl.col("Requests").sort_by("TimeGenerated")))

    def q9(w, e, wl):
        return (w.select(to_str("csUriQuery").str.extract(r"id=(\d+)", 1).alias("id"))
                .filter(pl.col("id").is_not_null() & (pl.col("id") != ""))
                .group_by("id").agg(pl.len().alias("n")).sort("n", descending=True).head(20))

    def q10(w, e, wl):
        return (w.group_by(pl.col("TimeGenerated").dt.truncate("1h"))
                .agg(pl.col("cIP").n_unique().alias("Clients")).sort("TimeGenerated"))

    def q11(w, e, wl):
        s = to_str("scStatus")
        return (w.filter(~s.str.starts_with("20") & ~s.str.starts_with("30") & ~to_str("cIP").str.starts_with("192.168.")
                         & (to_str("cIP") != to_str("sIP")) & (to_str("cIP") != "::1"))
                .group_by("Computer", "sSiteName", "sIP", "sPort", "cIP", "csMethod")
                .agg(pl.col("TimeGenerated").min().alias("StartTimeUtc"), pl.col("TimeGenerated").max().alias("EndTimeUtc"),
                     pl.col("csUserAgent").unique().alias("set_csUserAgent"), pl.len().alias("ConnectionCount"))
                .with_columns(pl.col("set_csUserAgent").list.len().alias("n"))
                .filter(pl.col("n").is_between(2, 15) & (pl.col("ConnectionCount") <= 50)))

    def q12(w, e, wl):
        base = (w.filter(pl.col("csUserAgent").is_not_null() & (to_str("csUserAgent") != "")
                         & ~to_str("csUserAgent").str.to_lowercase().is_in(["-", "msrpc"]))
                .with_columns(to_str("csUserAgent").str.len_chars().alias("csUserAgent_size")))
        rare = (base.group_by("csUserAgent_size").agg(pl.len().alias("csUserAgent_count"))
                .sort("csUserAgent_count").head(20))
        # Kusto's default join (innerunique) keeps one left row per key.
        one = base.unique(subset="csUserAgent_size", keep="any")
        return one.join(rare, on="csUserAgent_size", how="inner").select("TimeGenerated", "cIP", "csUserAgent", "csUserAgent_size", "csUserAgent_count")

    def q13(w, e, wl):
        # `.cache()`: the per-client table is computed once and read twice.
        per = w.group_by("cIP").agg(pl.len().alias("Requests")).cache()
        total = per.select(pl.col("Requests").sum().alias("Total"))
        return (per.top_k(10, by="Requests").join(total, how="cross")
                .select("cIP", "Requests", (pl.col("Requests") * 100.0 / pl.col("Total")).alias("Share")))

    return {"q1_bruteforce": q1, "q2_manyports": q2, "q3_errorspike": q3, "q4_recon404": q4, "q5_scan": q5,
            "q6_join_watchlist": q6, "q7_union_tables": q7, "q8_make_series_top": q8, "q9_regex_extract": q9,
            "q10_dcount_hourly": q10, "q11_sentinel_many_uas": q11, "q12_sentinel_rare_uas": q12,
            "q13_materialize_share": q13}


KQL_EXTRA = {
    "q6_join_watchlist": """W3CIISLog
| join kind=inner (watchlist) on $left.cIP == $right.ip
| summarize Requests = count() by tag
| order by Requests desc
""",
    "q7_union_tables": """union W3CIISLog, HttpErrorLog
| summarize Requests = count() by cIP
| top 10 by Requests
""",
    "q8_make_series_top": """let Busiest = W3CIISLog | summarize n = count() by cIP | top 10 by n;
W3CIISLog
| where cIP in (Busiest)
| make-series Requests = count() default = 0 on TimeGenerated step 1h by cIP
""",
    "q9_regex_extract": """W3CIISLog
| extend id = extract(@"id=(\\d+)", 1, csUriQuery)
| where isnotempty(id)
| summarize n = count() by id
| top 20 by n
""",
    "q10_dcount_hourly": """W3CIISLog
| summarize Clients = dcount(cIP) by bin(TimeGenerated, 1h)
| order by TimeGenerated asc
""",
    # Sentinel hunting query "Same IP address with multiple csUserAgent"
    # (4edbb420-2df7-4089-9906-c335f065803e), its 1h window widened to the dataset.
    "q11_sentinel_many_uas": """let timeFrame = ago(30d);
W3CIISLog
| where TimeGenerated >= timeFrame
| where scStatus !startswith "20" and scStatus !startswith "30" and cIP !startswith "192.168." and cIP != sIP and cIP != "::1"
| summarize StartTimeUtc = min(TimeGenerated), EndTimeUtc = max(TimeGenerated), makeset(csUserAgent), ConnectionCount = count()
by Computer, sSiteName, sIP, sPort, cIP, csMethod
| extend csUserAgentPerIPCount = arraylength(set_csUserAgent)
| where  csUserAgentPerIPCount between ( 2 .. 15 ) and ConnectionCount <=50
| extend timestamp = StartTimeUtc, IPCustomEntity = cIP, HostCustomEntity = Computer
""",
    # Sentinel hunting query "Rare User Agent strings" (3de523b5-9608-43d5-801e-732c741dd82e),
    # its 3d window widened to the dataset.
    "q12_sentinel_rare_uas": """let timeframe = 30d;
W3CIISLog | where TimeGenerated >= ago(timeframe)
| where isnotempty(csUserAgent) and csUserAgent !in~ ("-", "MSRPC")
| extend csUserAgent_size = string_size(csUserAgent)
| project TimeGenerated, sSiteName, sPort, csUserAgent, csUserAgent_size, csUserName , csMethod, csUriStem, sIP, cIP, scStatus,
scSubStatus, scWin32Status, RemoteIPCountry, MaliciousIP, csHost
| join (
    W3CIISLog | where TimeGenerated >= ago(timeframe)
    | where isnotempty(csUserAgent) and csUserAgent !in~ ("-", "MSRPC")
    | extend csUserAgent_size = string_size(csUserAgent)
    | summarize csUserAgent_count = count() by bin(csUserAgent_size, 1)
    | top 20 by csUserAgent_count asc nulls last
) on csUserAgent_size
| project TimeGenerated, sSiteName, sPort, sIP, cIP, csUserAgent, csUserAgent_size, csUserAgent_count, csUserName , csMethod, csUriStem,
scStatus, scSubStatus, scWin32Status, RemoteIPCountry, MaliciousIP, csHost
""",
    # One materialized per-client summary read twice: its top 10 and its total.
    "q13_materialize_share": """let PerClient = materialize(W3CIISLog | summarize Requests = count() by cIP);
PerClient
| top 10 by Requests
| extend k = 1
| join kind=inner (PerClient | summarize Total = sum(Requests) | extend k = 1) on k
| project cIP, Requests, Share = Requests * 100.0 / Total
""",
}

SQL_EXTRA = {
    "q6_join_watchlist": "SELECT tag, count(*) AS Requests FROM read_parquet(PARQUET) w JOIN read_csv(WATCHLIST) l ON w.cIP = l.ip GROUP BY tag ORDER BY Requests DESC",
    "q7_union_tables": "SELECT cIP, count(*) AS Requests FROM (SELECT cIP FROM read_parquet(PARQUET) UNION ALL SELECT cIP FROM read_parquet(HTTPERR)) GROUP BY cIP ORDER BY Requests DESC LIMIT 10",
    "q8_make_series_top": """WITH top AS (SELECT cIP FROM read_parquet(PARQUET) GROUP BY cIP ORDER BY count(*) DESC LIMIT 10),
      b AS (SELECT cIP, time_bucket(INTERVAL 1 hour, TimeGenerated) AS t, count(*) AS n FROM read_parquet(PARQUET) WHERE cIP IN (SELECT cIP FROM top) GROUP BY ALL),
      r AS (SELECT min(t) AS lo, max(t) AS hi FROM b),
      g AS (SELECT unnest(generate_series(lo, hi, INTERVAL 1 hour)) AS t FROM r)
      SELECT top.cIP, list(g.t ORDER BY g.t) AS TimeGenerated, list(coalesce(b.n, 0) ORDER BY g.t) AS Requests
      FROM top CROSS JOIN g LEFT JOIN b ON b.cIP = top.cIP AND b.t = g.t GROUP BY top.cIP""",
    "q9_regex_extract": "SELECT regexp_extract(csUriQuery, 'id=(\\d+)', 1) AS id, count(*) AS n FROM read_parquet(PARQUET) WHERE regexp_extract(csUriQuery, 'id=(\\d+)', 1) <> '' GROUP BY id ORDER BY n DESC LIMIT 20",
    "q10_dcount_hourly": "SELECT time_bucket(INTERVAL 1 hour, TimeGenerated) AS TimeGenerated, count(DISTINCT cIP) AS Clients FROM read_parquet(PARQUET) GROUP BY ALL ORDER BY 1",
    "q11_sentinel_many_uas": """SELECT Computer, sSiteName, sIP, sPort, cIP, csMethod, min(TimeGenerated) AS StartTimeUtc, max(TimeGenerated) AS EndTimeUtc,
      array_agg(DISTINCT csUserAgent) AS set_csUserAgent, count(*) AS ConnectionCount
      FROM read_parquet(PARQUET)
      WHERE NOT starts_with(scStatus, '20') AND NOT starts_with(scStatus, '30') AND NOT starts_with(cIP, '192.168.') AND cIP <> sIP AND cIP <> '::1'
      GROUP BY ALL HAVING count(DISTINCT csUserAgent) BETWEEN 2 AND 15 AND count(*) <= 50""",
    "q12_sentinel_rare_uas": """WITH base AS (SELECT TimeGenerated, cIP, csUserAgent, length(csUserAgent) AS csUserAgent_size FROM read_parquet(PARQUET)
        WHERE csUserAgent IS NOT NULL AND csUserAgent <> '' AND lower(csUserAgent) NOT IN ('-', 'msrpc')),
      rare AS (SELECT csUserAgent_size, count(*) AS csUserAgent_count FROM base GROUP BY 1 ORDER BY 2 ASC LIMIT 20),
      one AS (SELECT DISTINCT ON (csUserAgent_size) * FROM base)  -- Kusto's innerunique: one left row per key
      SELECT one.*, rare.csUserAgent_count FROM one JOIN rare USING (csUserAgent_size)""",
    "q13_materialize_share": """WITH per AS MATERIALIZED (SELECT cIP, count(*) AS Requests FROM read_parquet(PARQUET) GROUP BY cIP)
      SELECT cIP, Requests, Requests * 100.0 / (SELECT sum(Requests) FROM per) AS Share FROM per ORDER BY Requests DESC LIMIT 10""",
}

# DataFusion's dialect: date_bin for bins, no GROUP BY ALL, regexp_match.
DF_SQL = {
    "q3_errorspike": "SELECT \"cIP\", \"Computer\", count(*) AS event_count, array_agg(DISTINCT \"Computer\") AS host_name_values FROM w WHERE \"cIP\" IS NOT NULL AND try_cast(\"scStatus\" AS INT) >= 400 GROUP BY \"cIP\", \"Computer\" HAVING count(*) > 50 ORDER BY event_count DESC",
    "q4_recon404": "SELECT date_bin(INTERVAL '10 minutes', \"TimeGenerated\") AS t, \"cIP\", count(*) AS \"NotFound\", count(DISTINCT \"csUriStem\") AS d, array_agg(DISTINCT \"csUriStem\") AS s FROM w WHERE \"scStatus\" = '404' GROUP BY t, \"cIP\" HAVING count(*) > 100 ORDER BY \"NotFound\" DESC",
    "q5_scan": "SELECT \"scStatus\", count(*) AS count_, sum(\"scBytes\") AS sum_scBytes FROM w GROUP BY \"scStatus\" ORDER BY count_ DESC",
    "q6_join_watchlist": "SELECT tag, count(*) AS n FROM w JOIN watchlist l ON w.\"cIP\" = l.ip GROUP BY tag ORDER BY n DESC",
    "q7_union_tables": "SELECT \"cIP\", count(*) AS n FROM (SELECT \"cIP\" FROM w UNION ALL SELECT \"cIP\" FROM e) GROUP BY \"cIP\" ORDER BY n DESC LIMIT 10",
    "q10_dcount_hourly": "SELECT date_bin(INTERVAL '1 hour', \"TimeGenerated\") AS t, count(DISTINCT \"cIP\") AS c FROM w GROUP BY t ORDER BY t",
    "q13_materialize_share": "WITH per AS (SELECT \"cIP\", count(*) AS r FROM w GROUP BY \"cIP\") SELECT \"cIP\", r, r * 100.0 / (SELECT sum(r) FROM per) AS share FROM per ORDER BY r DESC LIMIT 10",
}


def median(xs):
    return statistics.median(xs) if xs else None


def run_iishunt(binary, ds, qfile, lookup, runs, threads):
    env = dict(os.environ)
    if threads:
        env["RAYON_NUM_THREADS"] = str(threads)
    cmd = [binary, "query", "--data", ds, "--file", qfile, "--format", "csv", "--timing", "--now", "latest"]
    if lookup:
        cmd += ["--lookup", lookup]
    times, rss, rows = [], [], None
    for i in range(runs + 1):
        t0 = time.perf_counter()
        p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True)
        out, err = p.communicate()
        if p.returncode != 0:
            return None, None, "error: " + (err.strip().splitlines() or ["?"])[-1][:160]
        m = re.search(r"time:\s*([0-9.]+)", err)
        if i > 0:
            times.append(float(m.group(1)) if m else time.perf_counter() - t0)
        rows = sum(1 for _ in csv.reader(out.splitlines())) - 1
    return median(times), None, rows


def run_iishunt_rss(binary, ds, qfile, lookup, threads):
    """One more run under /usr/bin/time for the child's own peak RSS (MB). Not
    forked from this process: a child forked from Python (holding DuckDB's and
    Polars' memory) would report this process's size, kept across exec."""
    if not os.path.exists("/usr/bin/time"):
        return float("nan")
    env = dict(os.environ)
    if threads:
        env["RAYON_NUM_THREADS"] = str(threads)
    cmd = ["/usr/bin/time", "-f", "maxrss_kb=%M", binary, "query", "--data", ds, "--file", qfile,
           "--format", "csv", "--now", "latest"]
    if lookup:
        cmd += ["--lookup", lookup]
    p = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, text=True)
    m = re.search(r"maxrss_kb=(\d+)", p.stderr)
    return int(m.group(1)) / 1024.0 if m else float("nan")


def timed(fn, runs):
    fn()  # warm
    ts = []
    for _ in range(runs):
        t = time.perf_counter()
        rows = fn()
        ts.append(time.perf_counter() - t)
    return median(ts), rows


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--lines", type=int, default=5_000_000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--work", default="/tmp/iishunt-bench")
    ap.add_argument("--bin", default=os.path.join(ROOT, "target", "release", "iishunt"))
    ap.add_argument("--threads", default="", help="comma list of RAYON_NUM_THREADS for iishunt, e.g. 1,2")
    ap.add_argument("--iishunt-only", action="store_true")
    ap.add_argument("--only", default="", help="comma list of query names")
    ap.add_argument("--json", help="write the figures here too")
    a = ap.parse_args()

    os.makedirs(a.work, exist_ok=True)
    logs = os.path.join(a.work, f"logs-{a.seed}-{a.lines}")
    truth = logs + ".truth.json"
    if not os.path.exists(truth):
        shutil.rmtree(logs, ignore_errors=True)
        subprocess.run([sys.executable, os.path.join(SHARED, "bench", "gen_iis_logs.py"), "--lines", str(a.lines),
                        "--seed", str(a.seed), "--out", logs, "--truth", truth], check=True)
    ds = os.path.join(a.work, f"ds-{a.seed}-{a.lines}")
    if not os.path.exists(os.path.join(ds, "W3CIISLog")):
        shutil.rmtree(ds, ignore_errors=True)
        subprocess.run([a.bin, "ingest", logs, "--out", ds], check=True, stdout=subprocess.DEVNULL)
    pq = os.path.join(ds, "W3CIISLog", "**", "*.parquet")
    httperr = os.path.join(ds, "HttpErrorLog", "**", "*.parquet")

    # A 100,000-row watchlist: 2,000 addresses that visit, 98,000 that never do.
    import duckdb
    con = duckdb.connect()
    seen = [r[0] for r in con.execute(f"SELECT DISTINCT cIP FROM read_parquet('{pq}') WHERE cIP IS NOT NULL ORDER BY 1").fetchall()]
    rnd = random.Random(a.seed)
    watch = os.path.join(a.work, "watchlist.csv")
    with open(watch, "w", newline="") as f:
        wr = csv.writer(f)
        wr.writerow(["ip", "tag"])
        chosen = set(rnd.sample(seen, min(2000, len(seen))))
        for ip in sorted(chosen):
            wr.writerow([ip, rnd.choice(["scanner", "botnet", "tor", "proxy"])])
        n = len(chosen)
        while n < 100_000:
            ip = f"{rnd.randrange(1, 224)}.{rnd.randrange(256)}.{rnd.randrange(256)}.{rnd.randrange(1, 255)}"
            if ip not in chosen:
                wr.writerow([ip, rnd.choice(["scanner", "botnet", "tor", "proxy"])])
                n += 1

    kql = {
        "q1_bruteforce": seed_kql("003_66e64ede338a5461.txt"),
        "q2_manyports": seed_kql("002_43813a497b00ed18.txt"),
        "q3_errorspike": shared_sql("q3_errorspike.kql"),
        "q4_recon404": shared_sql("q4_recon404.kql"),
        "q5_scan": shared_sql("q5_scan.kql"),
        **KQL_EXTRA,
    }
    sql = {name: shared_sql(name + ".sql") for name in ["q1_bruteforce", "q2_manyports", "q3_errorspike", "q4_recon404", "q5_scan"]}
    sql = {k: v.replace("getenv('PARQUET')", "PARQUET") for k, v in sql.items()}
    sql.update(SQL_EXTRA)
    only = [q for q in a.only.split(",") if q]
    names = [n for n in kql if not only or n in only]

    peers = {}
    if not a.iishunt_only:
        import polars as pl
        w = pl.scan_parquet(pq, hive_partitioning=True)
        e = pl.scan_parquet(httperr, hive_partitioning=True)
        wl = pl.scan_csv(watch)
        pq_q = polars_queries(pl)
        try:
            import datafusion
            dfc = datafusion.SessionContext()
            dfc.register_parquet("w", os.path.join(ds, "W3CIISLog"))
            dfc.register_parquet("e", os.path.join(ds, "HttpErrorLog"))
            dfc.register_csv("watchlist", watch)
        except Exception as err:  # noqa: BLE001 - any failure means "not measured"
            print(f"datafusion not used: {err}", file=sys.stderr)
            dfc = None
        for name in names:
            s = sql[name].replace("PARQUET", f"'{pq}'").replace("HTTPERR", f"'{httperr}'").replace("WATCHLIST", f"'{watch}'")
            r = {}
            try:
                r["duckdb_s"], r["duckdb_rows"] = timed(lambda: len(con.execute(s).fetchall()), a.runs)
            except Exception as err:  # noqa: BLE001
                r["duckdb_error"] = str(err)[:200]
            try:
                fn = pq_q[name]
                r["polars_s"], r["polars_rows"] = timed(lambda: fn(w, e, wl).collect().height, a.runs)
            except Exception as err:  # noqa: BLE001
                r["polars_error"] = str(err)[:200]
            if dfc is not None and name in DF_SQL:
                try:
                    r["datafusion_s"], r["datafusion_rows"] = timed(lambda: sum(b.num_rows for b in dfc.sql(DF_SQL[name]).collect()), a.runs)
                except Exception as err:  # noqa: BLE001
                    r["datafusion_error"] = str(err)[:200]
            peers[name] = r

    results = {"lines": a.lines, "seed": a.seed, "queries": {}}
    thread_list = [int(t) for t in a.threads.split(",") if t] or [0]
    for name in names:
        qfile = os.path.join(a.work, name + ".kql")
        open(qfile, "w").write(kql[name])
        lookup = watch if name == "q6_join_watchlist" else None
        r = dict(peers.get(name, {}))
        for threads in thread_list:
            t, _, rows = run_iishunt(a.bin, ds, qfile, lookup, a.runs, threads)
            key = f"iishunt_{threads}t_s" if threads else "iishunt_s"
            r[key] = t
            r["iishunt_rows"] = rows
        r["iishunt_peak_mb"] = run_iishunt_rss(a.bin, ds, qfile, lookup, thread_list[-1] or None)
        best = [r[k] for k in ("duckdb_s", "polars_s") if r.get(k)]
        mine = r.get("iishunt_s") or r.get(f"iishunt_{thread_list[-1]}t_s")
        if best and mine:
            r["ratio_best_peer"] = mine / min(best)
        results["queries"][name] = r

    def f(v):
        return "—" if v is None else (f"{v:.3f}" if isinstance(v, float) else str(v))

    print(f"{a.lines:,} lines (seed {a.seed}); medians of {a.runs} warm runs; seconds")
    head = f"{'query':24} {'iishunt':>9} " + ("" if a.iishunt_only else f"{'duckdb':>9} {'polars':>9} {'datafus.':>9} {'ratio':>6} ") + "rows (ii/duck/pol)  peak MB"
    if len(thread_list) > 1:
        head = f"{'query':24} " + " ".join(f"{str(t) + ' thr':>9}" for t in thread_list) + f" {'speedup':>8} rows"
    print(head)
    for name, r in results["queries"].items():
        if len(thread_list) > 1:
            ts = [r.get(f"iishunt_{t}t_s") for t in thread_list]
            sp = ts[0] / ts[-1] if all(isinstance(x, float) for x in ts) else None
            print(f"{name:24} " + " ".join(f"{f(x):>9}" for x in ts) + f" {f(sp):>8} {r['iishunt_rows']}")
            continue
        rows = f"{r.get('iishunt_rows')}/{r.get('duckdb_rows', '-')}/{r.get('polars_rows', '-')}"
        if not a.iishunt_only and len({r.get('iishunt_rows'), r.get('duckdb_rows'), r.get('polars_rows')} - {None}) > 1:
            rows += " MISMATCH"
        line = f"{name:24} {f(r.get('iishunt_s')):>9} "
        if not a.iishunt_only:
            line += f"{f(r.get('duckdb_s')):>9} {f(r.get('polars_s')):>9} {f(r.get('datafusion_s')):>9} {f(r.get('ratio_best_peer')):>6} "
        print(line + f"{rows:20} {r['iishunt_peak_mb']:.0f}")
        for k in ("duckdb_error", "polars_error", "datafusion_error"):
            if k in r:
                print(f"    {k}: {r[k]}")
    if a.json:
        json.dump(results, open(a.json, "w"), indent=1)


if __name__ == "__main__":
    main()
