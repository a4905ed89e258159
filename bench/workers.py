"""Benchmark workers: each runs in its own process, started by bench/run.py.

Why separate processes: a worker's peak memory (ru_maxrss) and start-up are then its
own, and a competitor (DuckDB, a bare polars script) pays the same interpreter start
as foistats does. In-process timings (the `*-inproc` workers) import their libraries
first and time only the work, printing one JSON object on stdout.

    python bench/workers.py duckdb-rank FILE.csv            # CSV of the ranking on stdout
    python bench/workers.py polars-rank FILE.csv
    python bench/workers.py fastexcel-loop DIR [REPEATS]    # JSON timings
    python bench/workers.py openpyxl-loop DIR [REPEATS]
    python bench/workers.py foistats-import-inproc PATH [REPEATS]
    python bench/workers.py fastexcel-read FILE.xlsx [REPEATS]
    python bench/workers.py export ROWS OUTDIR [REPEATS]
    python bench/workers.py duckdb-handoff FILE.csv OUTDIR  # DuckDB writes hive-partitioned Parquet
    python bench/workers.py duckdb-read-partitioned DIR MEASURE  # JSON: rows, forces, total of MEASURE
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any, Callable

# The years compared: June 2020–May 2021 against June 2022–May 2023 (what foistats picks
# by default on the generated data: the earliest and latest complete June–May years).
FROM_YEAR, TO_YEAR, YEAR_START = 2020, 2022, 6

DUCKDB_SQL = """
WITH counts AS (
    SELECT "Falls within" AS force,
           CAST(substr("Month", 1, 4) AS INTEGER)
             - CASE WHEN CAST(substr("Month", 6, 2) AS INTEGER) < {ys} THEN 1 ELSE 0 END AS year,
           count(*) AS n
    FROM read_csv('{path}', header = true, all_varchar = true)
    GROUP BY ALL
), years AS (
    SELECT force,
           sum(n) FILTER (WHERE year = {y0}) AS from_value,
           sum(n) FILTER (WHERE year = {y1}) AS to_value
    FROM counts GROUP BY force
)
SELECT rank() OVER (ORDER BY 100.0 * (to_value - from_value) / from_value DESC) AS rank,
       force, from_value, to_value, to_value - from_value AS change,
       100.0 * (to_value - from_value) / from_value AS pct_change
FROM years ORDER BY rank, force
"""

# The same work in SQLite's dialect for csvkit's csvsql (table name given with --tables street).
CSVSQL_QUERY = (
    "SELECT force, from_value, to_value, to_value - from_value AS change, "
    "100.0 * (to_value - from_value) / from_value AS pct_change FROM ("
    "SELECT \"Falls within\" AS force, "
    "SUM(CASE WHEN \"Month\" BETWEEN '2020-06' AND '2021-05' THEN 1 ELSE 0 END) AS from_value, "
    "SUM(CASE WHEN \"Month\" BETWEEN '2022-06' AND '2023-05' THEN 1 ELSE 0 END) AS to_value "
    "FROM street GROUP BY 1) ORDER BY pct_change DESC"
)


def _timed(fn: Callable[[], Any], repeats: int) -> dict[str, Any]:
    times = []
    value = None
    for _ in range(repeats):
        t0 = time.perf_counter()
        value = fn()
        times.append(time.perf_counter() - t0)
    return {"median_s": statistics.median(times), "times_s": times, "result": value}


def duckdb_rank(path: str) -> None:
    import duckdb

    sql = DUCKDB_SQL.format(path=path.replace("'", "''"), ys=YEAR_START, y0=FROM_YEAR, y1=TO_YEAR)
    rows = duckdb.execute(sql).fetchall()
    out = ["rank,force,from_value,to_value,change,pct_change"]
    out += [",".join(str(v) for v in r) for r in rows]
    sys.stdout.write("\n".join(out) + "\n")


def polars_rank(path: str) -> None:
    """What an analyst would write in a notebook: lazy scan, two columns, streaming."""
    import polars as pl

    month = pl.col("Month")
    year = month.str.slice(0, 4).cast(pl.Int32) - (month.str.slice(5, 2).cast(pl.Int32) < YEAR_START).cast(pl.Int32)
    counts = (
        pl.scan_csv(path, infer_schema=False)
        .select(pl.col("Falls within").alias("force"), year.alias("year"))
        .group_by("force", "year")
        .agg(pl.len().cast(pl.Int64).alias("n"))  # UInt32 -> Int64 before any subtraction
        .collect(engine="streaming")
    )
    years = counts.group_by("force").agg(
        pl.col("n").filter(pl.col("year") == FROM_YEAR).sum().alias("from_value"),
        pl.col("n").filter(pl.col("year") == TO_YEAR).sum().alias("to_value"),
    )
    out = (
        years.with_columns((pl.col("to_value") - pl.col("from_value")).alias("change"))
        .with_columns((100.0 * pl.col("change") / pl.col("from_value")).alias("pct_change"))
        .with_columns(pl.col("pct_change").rank("min", descending=True).alias("rank"))
        .sort("rank", "force")
        .select("rank", "force", "from_value", "to_value", "change", "pct_change")
    )
    sys.stdout.write(out.write_csv())


def _spreadsheets(folder: str) -> list[Path]:
    return sorted(p for p in Path(folder).rglob("*") if p.suffix.lower() in (".xlsx", ".xlsm", ".xls", ".ods"))


def fastexcel_loop(folder: str, repeats: int = 5) -> dict[str, Any]:
    """Every sheet of every workbook into Arrow with fastexcel: the floor for reading them."""
    import fastexcel

    files = _spreadsheets(folder)

    def work() -> int:
        cells = 0
        for p in files:
            reader = fastexcel.read_excel(str(p))
            for name in reader.sheet_names:
                sheet = reader.load_sheet(name, header_row=None)
                cells += sheet.height * sheet.width
        return cells

    return {"files": len(files), **_timed(work, repeats)}


def openpyxl_loop(folder: str, repeats: int = 3) -> dict[str, Any]:
    """The same loop with openpyxl (read-only, values only); it reads only .xlsx/.xlsm."""
    import openpyxl

    files = [p for p in _spreadsheets(folder) if p.suffix.lower() in (".xlsx", ".xlsm")]

    def work() -> int:
        cells = 0
        for p in files:
            wb = openpyxl.load_workbook(p, read_only=True, data_only=True)
            for ws in wb.worksheets:
                for row in ws.iter_rows(values_only=True):
                    cells += len(row)
            wb.close()
        return cells

    return {"files": len(files), **_timed(work, repeats)}


def python_calamine_loop(folder: str, repeats: int = 5) -> dict[str, Any]:
    """The reader foistats itself uses (python-calamine to Python lists), for the same files."""
    import python_calamine as pc

    files = _spreadsheets(folder)

    def work() -> int:
        cells = 0
        for p in files:
            book = pc.CalamineWorkbook.from_path(str(p))
            for name in book.sheet_names:
                rows = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
                cells += sum(len(r) for r in rows)
        return cells

    return {"files": len(files), **_timed(work, repeats)}


def foistats_import_inproc(path: str, repeats: int = 3) -> dict[str, Any]:
    """foistats' import of PATH with start-up excluded: polars and the readers imported first."""
    import polars  # noqa: F401
    import python_calamine  # noqa: F401

    from foistats.intake.pipeline import import_paths
    from foistats.intake.report import ImportOptions

    def work() -> int:
        result = import_paths([Path(path)], ImportOptions())
        return result.frame.height

    return _timed(work, repeats)


def fastexcel_read(path: str, repeats: int = 3) -> dict[str, Any]:
    """fastexcel's own throughput on one big sheet: raw cells (no header) into a polars frame."""
    import fastexcel
    import polars  # noqa: F401

    def work() -> int:
        reader = fastexcel.read_excel(path)
        frame = reader.load_sheet(0, header_row=None).to_polars()
        return frame.height

    return _timed(work, repeats)


def python_calamine_read(path: str, repeats: int = 3) -> dict[str, Any]:
    """The reader foistats uses (python-calamine to Python lists) on the same sheet."""
    import python_calamine as pc

    def work() -> int:
        book = pc.CalamineWorkbook.from_path(path)
        return len(book.get_sheet_by_index(0).to_python(skip_empty_area=False))

    return _timed(work, repeats)


def export(rows: int, outdir: str, repeats: int = 5) -> dict[str, Any]:
    """foistats' tidy writer against polars' own write_csv on the same 1 M-row frame, interleaved."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import generate

    from foistats.publish.tidy_file import write_tidy

    frame = generate.tidy_frame(rows)
    out = Path(outdir)
    out.mkdir(parents=True, exist_ok=True)
    a, b = out / "export_polars.csv", out / "export_foistats.csv"
    polars_times, foistats_times = [], []
    for i in range(repeats + 1):  # the first round warms the page cache and is dropped
        order = [("p", a), ("f", b)] if i % 2 == 0 else [("f", b), ("p", a)]
        for who, target in order:
            t0 = time.perf_counter()
            if who == "p":
                frame.write_csv(target)
            else:
                write_tidy(frame, target, None)
            dt = time.perf_counter() - t0
            if i:
                (polars_times if who == "p" else foistats_times).append(dt)
    return {
        "rows": frame.height,
        "polars_median_s": statistics.median(polars_times),
        "foistats_median_s": statistics.median(foistats_times),
        "polars_times_s": polars_times,
        "foistats_times_s": foistats_times,
        "polars_bytes": a.stat().st_size,
        "foistats_bytes": b.stat().st_size,
    }


def duckdb_handoff(path: str, outdir: str) -> None:
    """DuckDB's own hand-off of the same street CSV: monthly counts per force written as
    hive-partitioned Parquet by force and calendar year (what `foistats import -o DIR/` does)."""
    import shutil

    import duckdb

    shutil.rmtree(outdir, ignore_errors=True)
    duckdb.execute(
        f"""COPY (
            SELECT "Falls within" AS force, CAST(substr("Month", 1, 4) AS INTEGER) AS year,
                   "Month" AS month, count(*) AS value
            FROM read_csv('{path}', header = true, all_varchar = true) GROUP BY ALL
        ) TO '{outdir}' (FORMAT parquet, PARTITION_BY (force, year))"""
    )


def duckdb_read_partitioned(folder: str, measure: str) -> dict[str, Any]:
    """Read a folder written by `foistats import -o DIR/` with DuckDB: rows, forces, years and
    the total value of one measure (the street file's all-categories count sums to its rows)."""
    import duckdb

    glob = str(Path(folder) / "force=*" / "*" / "*.parquet")
    t0 = time.perf_counter()
    rows, forces, years, total = duckdb.execute(
        f"SELECT count(*), count(DISTINCT force), count(DISTINCT year), sum(value) FILTER (WHERE measure = ?) "
        f"FROM read_parquet('{glob}', hive_partitioning = true)",
        [measure],
    ).fetchone()
    return {"rows": rows, "forces": forces, "years": years, "total_value": total, "seconds": time.perf_counter() - t0}


def pdf_extract(path: str, cache_dir: str, repeats: int = 5) -> dict[str, Any]:
    """The PDF reader in process: first extraction into an empty cache, then cached ones."""
    import os

    os.environ["FOISTATS_CACHE_DIR"] = cache_dir
    from foistats.intake.readers import pdf as reader

    t0 = time.perf_counter()
    doc = reader.extract(Path(path))
    first = time.perf_counter() - t0
    return {"pages": doc["pages"], "first_s": first, **_timed(lambda: reader.extract(Path(path)), repeats)}


WORKERS: dict[str, Callable[..., Any]] = {
    "pdf-extract": pdf_extract,
    "duckdb-handoff": duckdb_handoff,
    "duckdb-read-partitioned": duckdb_read_partitioned,
    "duckdb-rank": duckdb_rank,
    "polars-rank": polars_rank,
    "fastexcel-loop": fastexcel_loop,
    "openpyxl-loop": openpyxl_loop,
    "python-calamine-loop": python_calamine_loop,
    "foistats-import-inproc": foistats_import_inproc,
    "fastexcel-read": fastexcel_read,
    "python-calamine-read": python_calamine_read,
    "export": export,
}


def main(argv: list[str]) -> None:
    name, *args = argv
    fn = WORKERS[name]
    converted: list[Any] = [int(a) if a.isdigit() else a for a in args]
    result = fn(*converted)
    if result is not None:
        sys.stdout.write(json.dumps(result, default=str) + "\n")


if __name__ == "__main__":
    main(sys.argv[1:])
