"""Two ways a hand-written tidy CSV once gave a wrong number without a word.

1. Areas that are not forces, ranked as forces. A tidy CSV that called "England and
   Wales", "Wales", "East Midlands" and "Action Fraud" area_kind `force` (or left
   area_kind blank, which every later step reads as `force`) was ranked: England and
   Wales 1st, Kent Police 5th, "ranked 5 of 5 forces". `validate_tidy` skipped every name
   the registry knows without asking what it is. Now a known non-force called a force is
   refused naming the file and row, and a blank area_kind is filled from the registry
   (`other` for a name it does not know, as docs/tidy-dataset.md says).

2. Table and Markdown percentages rounded half to even (Python's float formatting):
   Kent 400 → 449 is exactly +12.25%, shown +12.2% beside the export's 12.3; Dorset
   80 → 79.8 is exactly -0.25%, shown -0.2% beside -0.3. The project rounds half up
   (away from zero) from the exact value, everywhere a person reads a figure.
"""

from __future__ import annotations

import csv
import io
import tempfile
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from foistats.analysis.change import percent_change_exact
from foistats.publish.render import human_value

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "sextortion"
HEADER = "force,force_code,area_kind,measure,period_start,period_end,period_label,value,status\n"
YEARS = (
    ("2020-06-01", "2021-05-31", "Jun 2020 - May 2021"),
    ("2022-06-01", "2023-05-31", "Jun 2022 - May 2023"),
)


def tidy_csv(path: Path, areas: list[tuple[str, str, object, object]]) -> Path:
    """A hand-written tidy CSV: for each (name, area_kind, 2020/21 value, 2022/23 value), two rows."""
    lines = [HEADER]
    for name, kind, first, last in areas:
        for (start, end, label), value in zip(YEARS, (first, last)):
            lines.append(f"{name},,{kind},Reports,{start},{end},{label},{value},ok\n")
    path.write_text("".join(lines), encoding="utf-8")
    return path


def rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


# ---------------------------------------------------------------- defect 1: areas that are not forces

NOT_FORCES = [
    ("England and Wales", 1000, 9000),
    ("Wales", 300, 1500),
    ("East Midlands", 100, 600),
    ("Action Fraud", 50, 400),
]


def test_registry_knows_the_non_forces_as_what_they_are() -> None:
    """The premise of the fix: each of these names is in the registry, and none is a force."""
    from foistats.model.forces import registry

    kinds = {name: registry().by_name(name).kind for name, _, _ in NOT_FORCES}  # type: ignore[union-attr]
    assert kinds == {"England and Wales": "national", "Wales": "country", "East Midlands": "region", "Action Fraud": "other_body"}


def test_a_region_called_a_force_is_refused_naming_file_and_row(invoke, tmp_path: Path) -> None:
    path = tidy_csv(tmp_path / "t4.csv", [("Kent Police", "force", 20, 40)] + [(n, "force", a, b) for n, a, b in NOT_FORCES])
    result = invoke("rank", path, "--year-start", "jun", "-f", "csv")
    assert result.exit_code == 3, result.stdout
    assert result.stdout == ""  # no ranking at all, rather than a wrong one
    assert f"{path}: row 4: 'England and Wales' is a national total (area_kind national), not a police force, " \
        "but area_kind says force" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(("name", "kind"), [("Wales", "country"), ("East Midlands", "region"), ("Action Fraud", "other_body"),
                                            ("England & Wales", "national"), ("West Midlands (region)", "region")])
def test_each_kind_of_non_force_is_refused_as_a_force(invoke, tmp_path: Path, name: str, kind: str) -> None:
    path = tidy_csv(tmp_path / "one.csv", [("Kent Police", "force", 20, 40), (name, "force", 100, 600)])
    result = invoke("rank", path, "--year-start", "jun", "-f", "csv")
    assert result.exit_code == 3
    assert f"row 4: '{name}' is " in result.stderr and f"(area_kind {kind}), not a police force" in result.stderr


def test_blank_area_kind_is_filled_from_the_registry_and_only_forces_are_ranked(invoke, tmp_path: Path) -> None:
    path = tidy_csv(
        tmp_path / "blank.csv",
        [("Kent Police", "", 20, 40), ("Essex", "", 10, 30)] + [(n, "", a, b) for n, a, b in NOT_FORCES]
        + [("Gotham City Police", "", 10, 90)],
    )
    result = invoke("rank", path, "--year-start", "jun", "-f", "csv", "--areas", "all")
    assert result.exit_code == 0, result.stderr
    out = {r["force"]: r for r in rows(result.stdout)}
    assert {n: r["area_kind"] for n, r in out.items()} == {
        "Essex Police": "force",  # a known force under another spelling is put right
        "Kent Police": "force",
        "England and Wales": "national",
        "Wales": "country",
        "East Midlands": "region",
        "Action Fraud": "other_body",
        "Gotham City Police": "other",  # not registered: its own area, never a force
    }
    ranked = sorted((int(r["rank"]), n) for n, r in out.items() if r["rank"])
    assert ranked == [(1, "Essex Police"), (2, "Kent Police")]
    assert "ranked 2 of 2 forces" in result.stderr


def test_blank_area_kind_default_listing_is_forces_only(invoke, tmp_path: Path) -> None:
    path = tidy_csv(tmp_path / "blank.csv", [("Kent Police", "", 20, 40)] + [(n, "", a, b) for n, a, b in NOT_FORCES])
    result = invoke("rank", path, "--year-start", "jun", "-f", "csv")
    assert result.exit_code == 0, result.stderr
    assert [(r["rank"], r["force"]) for r in rows(result.stdout)] == [("1", "Kent Police")]
    assert "ranked 1 of 1 forces" in result.stderr


def test_an_area_kind_foistats_never_writes_is_refused(invoke, tmp_path: Path) -> None:
    path = tidy_csv(tmp_path / "typo.csv", [("Kent Police", "force", 20, 40), ("Wales", "Country", 300, 1500)])
    result = invoke("rank", path, "--year-start", "jun", "-f", "csv")
    assert result.exit_code == 3
    assert f"{path}: row 4: area_kind 'Country' is not one foistats writes" in result.stderr


def test_piped_tidy_data_is_checked_the_same_way(invoke, tmp_path: Path) -> None:
    path = tidy_csv(tmp_path / "t4.csv", [("Kent Police", "force", 20, 40), ("England and Wales", "force", 1000, 9000)])
    result = invoke("rank", "-", "--year-start", "jun", "-f", "csv", input=path.read_text())
    assert result.exit_code == 3
    assert "-: row 4: 'England and Wales' is a national total" in result.stderr


def test_the_shipped_example_still_loads_back_and_ranks_leicestershire_9th(invoke, tmp_path: Path) -> None:
    out = tmp_path / "sext.csv"
    assert invoke("import", EXAMPLES, "-o", out).exit_code == 0
    result = invoke("rank", out, "--year-start", "jun", "--force", "Leicestershire", "-f", "csv")
    assert result.exit_code == 0, result.stderr
    assert "9th of 38 forces ranked" in result.stderr


@pytest.mark.parametrize("suffix", ["csv", "parquet"])
def test_foistats_own_output_with_regional_rows_loads_back(invoke, tmp_path: Path, suffix: str) -> None:
    """Forces, a region, a country, the national total, Action Fraud and a Total row, as
    `foistats import` writes them: read back without refusal, only the forces ranked."""
    table = tmp_path / "regional.csv"
    table.write_text(
        "Force,2021/22,2022/23\nKent,10,20\nEssex,15,9\nWest Midlands,30,31\nEast Midlands,100,120\n"
        "Wales,40,44\nEngland and Wales,1000,1100\nAction Fraud,3,4\nTotal,1198,1338\n"
    )
    tidy = tmp_path / f"regional_tidy.{suffix}"
    assert invoke("import", table, "-o", tidy).exit_code == 0
    result = invoke("rank", tidy, "-f", "csv", "--areas", "all")
    assert result.exit_code == 0, result.stderr
    kinds = {r["force"]: (r["area_kind"], r["rank"]) for r in rows(result.stdout)}
    assert kinds == {
        "Kent Police": ("force", "1"),
        "West Midlands Police": ("force", "2"),
        "Essex Police": ("force", "3"),
        "East Midlands": ("region", ""),
        "Wales": ("country", ""),
        "England and Wales": ("national", ""),
        "Total": ("national", ""),
        "Action Fraud": ("other_body", ""),
    }


# ---------------------------------------------------------------- defect 2: half-up rounding


def half_up(value: Fraction, places: int = 1) -> str:
    """The newsroom rule, worked out here independently: half away from zero, exact."""
    scaled = abs(value) * 10**places
    n = int(scaled + Fraction(1, 2))  # floor(|x| * 10^p + 1/2)
    if n == 0:
        return f"{0:.{places}f}"
    text = f"{Decimal(n).scaleb(-places):,.{places}f}"
    return ("+" if value > 0 else "-") + text


def markdown_pct(text: str) -> dict[str, str]:
    """The % change cell of each force's row of `rank -f markdown`."""
    lines = [l for l in text.splitlines() if l.startswith("|")]
    header = [c.strip() for c in lines[0].strip("|").split("|")]
    col, name = header.index("% change"), header.index("Force")
    out = {}
    for line in lines[2:]:
        cells = [c.strip() for c in line.strip("|").split("|")]
        out[cells[name]] = cells[col]
    return out


T8 = [("Kent Police", "force", 400, 449), ("Dorset Police", "force", 80, 79.8)]


def test_markdown_rounds_half_up_like_the_export(invoke, tmp_path: Path) -> None:
    path = tidy_csv(tmp_path / "t8.csv", T8)
    md = invoke("rank", path, "--year-start", "jun", "-f", "markdown")
    assert md.exit_code == 0, md.stderr
    assert markdown_pct(md.stdout) == {"Kent Police": "+12.3%", "Dorset Police": "-0.3%"}
    exp = tmp_path / "exp.csv"
    assert invoke("export", path, "--year-start", "jun", "-o", exp).exit_code == 0
    assert {r["Force"]: r["% change"] for r in rows(exp.read_text())} == {"Kent Police": "12.3", "Dorset Police": "-0.3"}


@pytest.mark.parametrize("command", ["rank", "rise"])
def test_table_rounds_half_up(invoke, tmp_path: Path, command: str) -> None:
    path = tidy_csv(tmp_path / "t8.csv", T8)
    result = invoke(command, path, "--year-start", "jun", "-f", "table")
    assert result.exit_code == 0, result.stderr
    assert "+12.3%" in result.stdout and "-0.3%" in result.stdout
    assert "+12.2%" not in result.stdout and "-0.2%" not in result.stdout


def test_a_percentage_that_rounds_to_zero_has_no_sign() -> None:
    assert human_value(-0.04, "pct") == "0.0%"
    assert human_value(0.0, "pct") == "0.0%"
    assert human_value(-0.05, "pct") == "-0.1%"


def test_exact_values_are_rounded_as_themselves() -> None:
    """A Fraction or Decimal handed to the renderer is rounded exactly, not through a float."""
    assert human_value(Fraction(49, 4), "pct") == "+12.3%"
    assert human_value(Decimal("-0.25"), "pct") == "-0.3%"
    assert human_value(Fraction(1225, 100) - Fraction(1, 10**30), "pct") == "+12.2%"  # just under the half


counts = st.one_of(
    st.integers(min_value=1, max_value=100_000).map(Fraction),
    st.integers(min_value=1, max_value=1_000_000).map(lambda n: Fraction(n, 10)),  # one-decimal figures
)


@st.composite
def ties(draw: st.DrawFn) -> tuple[Fraction, Fraction]:
    """Pairs whose percentage change is exactly a multiple of 0.25: half the draws land on a tie."""
    k = draw(st.integers(min_value=1, max_value=50))
    j = draw(st.integers(min_value=-399, max_value=20_000))
    return Fraction(400 * k), Fraction(400 * k + j * k)


@settings(max_examples=400)
@given(st.one_of(st.tuples(counts, counts), ties()))
@example((Fraction(400), Fraction(449)))
@example((Fraction(80), Fraction(798, 10)))
def test_rendered_percentage_is_the_half_up_rounding_of_the_exact_value(pair: tuple[Fraction, Fraction]) -> None:
    """What a rank or rise row carries (the float of the exact percentage) renders as the
    exact percentage rounded half up to one decimal, for table and Markdown alike."""
    a, b = pair
    pct = percent_change_exact(a, b)
    assert pct is not None
    shown = human_value(float(pct), "pct")
    assert shown == half_up(pct) + "%"


def _one_decimal(value: Fraction) -> str:
    text = f"{Decimal(value.numerator) / Decimal(value.denominator)}"
    return text


@settings(max_examples=15, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.one_of(st.tuples(counts, counts), ties()))
@example((Fraction(400), Fraction(449)))
def test_cli_markdown_and_export_agree_on_every_percentage(invoke, pair: tuple[Fraction, Fraction]) -> None:
    """End to end: the figures as written in a tidy CSV, through `rank -f markdown` and
    `export`, give the same one-decimal percentage, the half-up rounding of the exact one."""
    a, b = pair
    pct = percent_change_exact(a, b)
    assert pct is not None
    with tempfile.TemporaryDirectory() as tmp:
        path = tidy_csv(Path(tmp) / "p.csv", [("Kent Police", "force", _one_decimal(a), _one_decimal(b))])
        md = invoke("rank", path, "--year-start", "jun", "-f", "markdown", "--min-base", "0")
        assert md.exit_code == 0, md.stderr
        exp = Path(tmp) / "exp.csv"
        assert invoke("export", path, "--year-start", "jun", "--min-base", "0", "-o", exp).exit_code == 0
        exported = rows(exp.read_text())[0]["% change"]
    shown = markdown_pct(md.stdout)["Kent Police"]
    assert shown == half_up(pct) + "%"
    expected_export = Decimal(half_up(pct).replace(",", "").lstrip("+"))
    assert Decimal(exported) == expected_export
