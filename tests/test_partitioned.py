"""`foistats import … -o DIR/`: a hive-partitioned Parquet dataset with a Frictionless descriptor (issue 19)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import polars as pl
import pytest

from foistats.intake.dataset import load
from foistats.intake.partitioned import is_partitioned_dataset, scan
from foistats.model import schema
from foistats.publish.partitioned import named_as_folder, write_partitioned

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "sextortion"


def _frame() -> pl.DataFrame:
    rows = []
    forces = ["Avon and Somerset Constabulary", "Devon & Cornwall Police", "A/B=c% 100", "Gwent Police"]
    for i in range(40):
        start = None if i % 13 == 0 else date(2019 + i % 4, 1 + i % 12, 1)
        rows.append(
            schema.TidyRow(
                force=forces[i % 4], force_code=None if i % 3 else f"E{i}", area_kind=schema.FORCE,
                measure="Burglary" if i % 2 else "Robbery", period_start=start, period_end=start,
                period_label=str(i), value=None if i % 7 == 0 else i * 1.5,
                status=schema.SUPPRESSED if i % 7 == 0 else schema.OK, value_low=None, value_high=None,
                source_file=f"f{i}.xlsx", source_sheet="Sheet1", source_cell=f"B{i + 2}", is_total=i % 5 == 0,
                unit="count",
            )
        )
    return schema.to_frame(rows)


def _sorted(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.sort(list(frame.columns), nulls_last=True)


def test_round_trip_is_exact(tmp_path: Path) -> None:
    frame = _frame()
    parts = write_partitioned(frame, tmp_path / "ds")
    assert parts and all(p.suffix == ".parquet" for p in parts)
    assert is_partitioned_dataset(tmp_path / "ds")
    back = scan(tmp_path / "ds").collect()
    assert back.schema == pl.Schema(schema.polars_schema())
    assert _sorted(back).equals(_sorted(frame))


def test_partitions_are_force_and_calendar_year(tmp_path: Path) -> None:
    write_partitioned(_frame(), tmp_path / "ds")
    names = {(p.parent.parent.name, p.parent.name) for p in (tmp_path / "ds").glob("force=*/*/*.parquet")}
    assert ("force=Devon%20&%20Cornwall%20Police", "year=2020") in names or any(
        f.startswith("force=Devon") for f, _ in names
    )
    assert any(y == "year=__HIVE_DEFAULT_PARTITION__" for _, y in names)  # rows without a start date
    lf = pl.scan_parquet(str(tmp_path / "ds" / "force=*" / "*" / "*.parquet"), hive_partitioning=True)
    years = lf.select(pl.col("year"), pl.col("period_start").dt.year().alias("y")).collect()
    assert years.filter(pl.col("year").cast(pl.Int32) != pl.col("y")).height == 0


def test_descriptor_describes_the_tidy_schema(tmp_path: Path) -> None:
    parts = write_partitioned(_frame(), tmp_path / "ds")
    desc = json.loads((tmp_path / "ds" / "datapackage.json").read_text())
    (res,) = desc["resources"]
    assert [f["name"] for f in res["schema"]["fields"]] == list(schema.COLUMNS)
    types = {f["name"]: f["type"] for f in res["schema"]["fields"]}
    assert types["period_start"] == "date" and types["value"] == "number" and types["is_total"] == "boolean"
    status = next(f for f in res["schema"]["fields"] if f["name"] == "status")
    assert status["constraints"]["enum"] == list(schema.STATUSES)
    assert desc["foistats"]["provenance_columns"] == ["source_file", "source_sheet", "source_cell"]
    assert sorted(res["path"]) == sorted(p.relative_to(tmp_path / "ds").as_posix() for p in parts)
    assert all((tmp_path / "ds" / p).is_file() for p in res["path"])
    assert [k["name"] for k in res["partitioning"]["keys"]] == ["force", "year"]
    assert desc["foistats"]["rows"] == 40


def test_rewrite_replaces_only_its_own_files(tmp_path: Path) -> None:
    folder = tmp_path / "ds"
    write_partitioned(_frame(), folder)
    (folder / "notes.txt").write_text("mine")
    small = _frame().filter(pl.col("force") == "Gwent Police")
    write_partitioned(small, folder)
    assert (folder / "notes.txt").read_text() == "mine"
    assert _sorted(scan(folder).collect()).equals(_sorted(small))
    assert not list(folder.glob(".foistats-partial-*"))


def test_empty_dataset(tmp_path: Path) -> None:
    write_partitioned(schema.empty_frame(), tmp_path / "ds")
    assert is_partitioned_dataset(tmp_path / "ds")
    assert scan(tmp_path / "ds").collect().height == 0


@pytest.mark.parametrize(
    "argv,expected",
    [
        (["import", "x", "-o", "out/"], True),
        (["import", "x", "--output", "out/"], True),
        (["import", "x", "--output=out/"], True),
        (["import", "x", "-oout/"], True),
        (["import", "x", "-o", "out"], False),
        (["import", "x", "-o", "out.csv"], False),
    ],
)
def test_named_as_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, argv: list[str], expected: bool) -> None:
    monkeypatch.chdir(tmp_path)
    out = Path(argv[-1].split("=")[-1].removeprefix("-o"))
    assert named_as_folder(out, argv) is expected
    (tmp_path / "out").mkdir()
    assert named_as_folder(Path("out"), ["-o", "out"]) is True  # an existing folder


def test_load_reads_a_partitioned_folder_like_the_csv(tmp_path: Path) -> None:
    from foistats.intake.pipeline import import_paths
    from foistats.intake.report import ImportOptions

    frame = import_paths([EXAMPLES], ImportOptions()).frame
    write_partitioned(frame, tmp_path / "ds")
    loaded = load([tmp_path / "ds"])
    assert loaded.imported is None
    assert _sorted(loaded.frame).equals(_sorted(frame))


def test_cli_import_to_folder_then_rank_gives_the_same_ranking(tmp_path: Path, invoke) -> None:  # type: ignore[no-untyped-def]
    run = invoke
    csv_out = tmp_path / "sx.csv"
    assert run("import", str(EXAMPLES), "-o", str(csv_out), "--quiet").exit_code == 0
    folder = str(tmp_path / "sx") + "/"
    import sys

    argv = sys.argv
    sys.argv = ["foistats", "import", str(EXAMPLES), "-o", folder, "--quiet"]  # the slash is read from argv
    try:
        assert run("import", str(EXAMPLES), "-o", folder, "--quiet").exit_code == 0
    finally:
        sys.argv = argv
    assert (tmp_path / "sx" / "datapackage.json").is_file()
    a = run("rank", str(csv_out), "--year-start", "jun", "--format", "csv")
    b = run("rank", str(tmp_path / "sx"), "--year-start", "jun", "--format", "csv")
    assert a.exit_code == 0 and b.exit_code == 0
    assert a.stdout == b.stdout


def test_duckdb_reads_the_same_data(tmp_path: Path) -> None:
    duckdb = pytest.importorskip("duckdb")
    frame = _frame()
    write_partitioned(frame, tmp_path / "ds")
    glob = str(tmp_path / "ds" / "force=*" / "*" / "*.parquet")
    got = duckdb.execute(
        f"SELECT force, count(*), sum(value) FROM read_parquet('{glob}', hive_partitioning = true) GROUP BY force ORDER BY force"
    ).fetchall()
    want = frame.group_by("force").agg(pl.len(), pl.col("value").sum()).sort("force").rows()
    assert [(f, n, pytest.approx(v)) for f, n, v in want] == got
