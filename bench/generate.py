"""Deterministic benchmark inputs, generated on demand under bench/.data/ (never committed).

Why generate rather than ship: the inputs are large (a 6 M-row CSV is 1.3 GB) and must
be identical on every machine, so each is a pure function of (kind, size, seed). A small
JSON stamp beside each file records those parameters; a file whose stamp matches is
reused, so a second run does not pay for generation.

No numpy here (it is not a foistats dependency): randomness comes from
`random.Random(seed)` for the small per-force tables and from integer arithmetic in
polars expressions for the per-row columns, which is exact and version-stable
(unlike `Expr.hash`, whose output polars does not promise to keep).
"""

from __future__ import annotations

import json
import random
import zipfile
from datetime import date
from pathlib import Path
from typing import Any, Callable
from xml.sax.saxutils import escape

GENERATOR_VERSION = 3
SEED = 20240327  # the Loughborough Echo story's date

# The 43 territorial forces of England and Wales, as data.police.uk spells "Falls within".
FORCES = (
    "Avon and Somerset Constabulary", "Bedfordshire Police", "Cambridgeshire Constabulary",
    "Cheshire Constabulary", "City of London Police", "Cleveland Police", "Cumbria Constabulary",
    "Derbyshire Constabulary", "Devon and Cornwall Police", "Dorset Police", "Durham Constabulary",
    "Dyfed-Powys Police", "Essex Police", "Gloucestershire Constabulary", "Greater Manchester Police",
    "Gwent Police", "Hampshire and Isle of Wight Constabulary", "Hertfordshire Constabulary", "Humberside Police",
    "Kent Police", "Lancashire Constabulary", "Leicestershire Police", "Lincolnshire Police",
    "Merseyside Police", "Metropolitan Police Service", "Norfolk Constabulary", "North Wales Police",
    "North Yorkshire Police", "Northamptonshire Police", "Northumbria Police", "Nottinghamshire Police",
    "South Wales Police", "South Yorkshire Police", "Staffordshire Police", "Suffolk Constabulary",
    "Surrey Police", "Sussex Police", "Thames Valley Police", "Warwickshire Police", "West Mercia Police",
    "West Midlands Police", "West Yorkshire Police", "Wiltshire Police",
)
# Their GSS codes (police force areas), in the same order.
FORCE_CODES = (
    "E23000036", "E23000026", "E23000023", "E23000006", "E23000034", "E23000013", "E23000002",
    "E23000018", "E23000035", "E23000039", "E23000008", "W15000004", "E23000028", "E23000037",
    "E23000005", "W15000002", "E23000030", "E23000027", "E23000012", "E23000032", "E23000003",
    "E23000021", "E23000020", "E23000004", "E23000001", "E23000024", "W15000001", "E23000009",
    "E23000022", "E23000007", "E23000019", "W15000003", "E23000011", "E23000015", "E23000025",
    "E23000031", "E23000033", "E23000029", "E23000017", "E23000016", "E23000014", "E23000010",
    "E23000038",
)

# data.police.uk street-level categories with rough national weights (per cent).
CRIME_TYPES = (
    ("Violence and sexual offences", 33), ("Anti-social behaviour", 20), ("Public order", 8),
    ("Criminal damage and arson", 8), ("Other theft", 7), ("Shoplifting", 6), ("Vehicle crime", 5),
    ("Burglary", 4), ("Drugs", 3), ("Other crime", 2), ("Theft from the person", 1),
    ("Robbery", 1), ("Bicycle theft", 1), ("Possession of weapons", 1),
)
OUTCOMES = (
    "Investigation complete; no suspect identified", "Unable to prosecute suspect",
    "Under investigation", "Awaiting court outcome", "Offender given a caution",
    "Local resolution", "Status update unavailable", "Court result unavailable",
    "Further action is not in the public interest", "Action to be taken by another organisation",
)
STREETS = tuple(
    f"On or near {name}"
    for name in (
        "High Street", "Station Road", "Church Lane", "Park Avenue", "Mill Road", "London Road",
        "Victoria Street", "Shopping Area", "Supermarket", "Parking Area", "Petrol Station",
        "Nightclub", "Sports/Recreation Area", "Hospital", "Further/Higher Educational Building",
        "Conference/Exhibition Centre", "Police Station", "Theatre/Concert Hall", "Bus/Coach Station",
        "Pedestrian Subway",
    )
)
STREET_HEADER = (
    "Crime ID", "Month", "Reported by", "Falls within", "Longitude", "Latitude", "Location",
    "LSOA code", "LSOA name", "Crime type", "Last outcome category", "Context",
)
FIRST_MONTH = (2020, 6)  # June 2020 .. May 2023: three June–May years
MONTHS = 36


def month_label(k: int) -> str:
    y, m = divmod(FIRST_MONTH[0] * 12 + FIRST_MONTH[1] - 1 + k, 12)
    return f"{y:04d}-{m + 1:02d}"


def _stamp_ok(path: Path, params: dict[str, Any]) -> bool:
    stamp = path.with_name(path.name + ".json")
    try:
        return path.exists() and json.loads(stamp.read_text()) == params
    except (OSError, ValueError):
        return False


def _write_stamp(path: Path, params: dict[str, Any]) -> None:
    path.with_name(path.name + ".json").write_text(json.dumps(params, sort_keys=True))


def cached(path: Path, params: dict[str, Any], make: Callable[[Path], None]) -> Path:
    """Build `path` with `make` unless a file made with the same parameters is already there."""
    params = {**params, "generator": GENERATOR_VERSION}
    if _stamp_ok(path, params):
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    make(tmp)
    tmp.replace(path)
    _write_stamp(path, params)
    return path


# --------------------------------------------------------------------------- street CSV


def force_month_counts(rows: int, seed: int = SEED) -> list[list[int]]:
    """Records per force per month, summing exactly to `rows`.

    Each force gets a size (the Met biggest, the City smallest) and its own trend over the
    36 months, from a 35% fall to a 90% rise, so the ranking has fallers as well as risers
    (a fall is what exposes a UInt32 count wrapping round into a giant "rise").
    """
    rng = random.Random(seed)
    weights = []
    for name in FORCES:
        size = rng.lognormvariate(0, 0.6)
        if name == "Metropolitan Police Service":
            size *= 6
        if name == "City of London Police":
            size *= 0.05
        trend = rng.uniform(-0.35, 0.9)
        weights.append([size * (1 + trend) ** (k / (MONTHS - 1)) * (1.1 if (k % 12) in (1, 2) else 1.0) for k in range(MONTHS)])
    total = sum(sum(w) for w in weights)
    exact = [[rows * w / total for w in ws] for ws in weights]
    counts = [[int(x) for x in xs] for xs in exact]
    short = rows - sum(sum(c) for c in counts)
    # Largest remainder, so the total is exactly `rows` and every run agrees.
    order = sorted(
        ((f, k) for f in range(len(FORCES)) for k in range(MONTHS)),
        key=lambda fk: (-(exact[fk[0]][fk[1]] - counts[fk[0]][fk[1]]), fk),
    )
    for f, k in order[:short]:
        counts[f][k] += 1
    return counts


def expected_years(counts: list[list[int]]) -> dict[str, tuple[int, int, int]]:
    """Per force: the three June–May totals the generator put in (the answer key)."""
    return {name: tuple(sum(counts[f][y * 12:(y + 1) * 12]) for y in range(3)) for f, name in enumerate(FORCES)}  # type: ignore[misc]


def street_csvs(paths_rows: list[tuple[Path, int]], seed: int = SEED, chunk: int = 500_000) -> list[Path]:
    """Write data.police.uk-shaped street CSVs; smaller sizes are prefixes of the biggest.

    Rows are shuffled before writing, so any prefix is itself a fair sample of every
    force and month (a 1.5 M-row file covers the same 43 × 36 grid as the 6 M one).
    """
    wanted = sorted(paths_rows, key=lambda pr: pr[1])
    biggest = wanted[-1][1]
    params = {"kind": "street", "rows": biggest, "seed": seed}
    if all(_stamp_ok(p, {**params, "prefix": n, "generator": GENERATOR_VERSION}) for p, n in wanted):
        return [p for p, _ in paths_rows]

    import polars as pl

    counts = force_month_counts(biggest, seed)
    grid = pl.DataFrame(
        {
            "f": [f for f in range(len(FORCES)) for _ in range(MONTHS)],
            "k": [k for _ in range(len(FORCES)) for k in range(MONTHS)],
            "n": [counts[f][k] for f in range(len(FORCES)) for k in range(MONTHS)],
        },
        schema={"f": pl.Int64, "k": pl.Int64, "n": pl.Int64},
    )
    rows = (
        grid.with_columns(pl.int_ranges(pl.col("n")).alias("r"))
        .explode("r")
        .select("f", "k")
        .sample(fraction=1.0, shuffle=True, seed=seed)
        .with_row_index("i")
        .with_columns(pl.col("i").cast(pl.Int64))
    )
    types_table: list[str] = []
    for name, weight in CRIME_TYPES:
        types_table.extend([name] * weight)
    assert len(types_table) == 100

    handles = []
    for p, n in wanted:
        p.parent.mkdir(parents=True, exist_ok=True)
        handles.append((p.with_name(p.name + ".part").open("wb"), n))
    try:
        for start in range(0, biggest, chunk):
            part = rows.slice(start, chunk)
            u = (pl.col("i") * 2654435761 + seed) % 4294967296
            v = (pl.col("u") * 1103515245 + 12345) % 2147483648
            w = (pl.col("v") * 69069 + 1) % 2147483648
            part = part.with_columns(u.alias("u")).with_columns(v.alias("v")).with_columns(w.alias("w"))
            crime = pl.col("u").mod(100).replace_strict(dict(enumerate(types_table)), return_dtype=pl.String)
            force = pl.col("f").replace_strict(dict(enumerate(FORCES)), return_dtype=pl.String)
            digits = (
                pl.col("i").cast(pl.String).str.zfill(10)
                + pl.col("u").cast(pl.String).str.zfill(10)
                + pl.col("v").cast(pl.String).str.zfill(10)
                + pl.col("w").cast(pl.String).str.zfill(10)
                + pl.col("u").cast(pl.String).str.zfill(12)
                + pl.col("w").cast(pl.String).str.zfill(12)
            )
            out = part.with_columns(crime.alias("crime")).select(
                pl.when(pl.col("crime") == "Anti-social behaviour").then(pl.lit(None, dtype=pl.String)).otherwise(digits).alias("Crime ID"),
                pl.col("k").replace_strict({k: month_label(k) for k in range(MONTHS)}, return_dtype=pl.String).alias("Month"),
                force.alias("Reported by"),
                force.alias("Falls within"),
                (-3.0 + (pl.col("v") % 3_000_000) / 1_000_000).round(6).alias("Longitude"),
                (50.5 + (pl.col("w") % 4_000_000) / 1_000_000).round(6).alias("Latitude"),
                pl.col("v").mod(len(STREETS)).replace_strict(dict(enumerate(STREETS)), return_dtype=pl.String).alias("Location"),
                (pl.lit("E01") + (pl.col("w") % 35_000).cast(pl.String).str.zfill(6)).alias("LSOA code"),
                (
                    force.str.split(" ").list.first()
                    + pl.lit(" ")
                    + (pl.col("u") % 400).cast(pl.String).str.zfill(3)
                    + pl.lit("A")
                ).alias("LSOA name"),
                pl.col("crime").alias("Crime type"),
                pl.when(pl.col("crime") == "Anti-social behaviour")
                .then(pl.lit(None, dtype=pl.String))
                .otherwise(pl.col("w").mod(len(OUTCOMES)).replace_strict(dict(enumerate(OUTCOMES)), return_dtype=pl.String))
                .alias("Last outcome category"),
                pl.lit(None, dtype=pl.String).alias("Context"),
            )
            for fh, n in handles:
                if start < n:
                    piece = out.slice(0, n - start)
                    piece.write_csv(fh, include_header=(start == 0), null_value="")
    finally:
        for fh, _ in handles:
            fh.close()
    for p, n in wanted:
        p.with_name(p.name + ".part").replace(p)
        _write_stamp(p, {**params, "prefix": n, "generator": GENERATOR_VERSION})
    return [p for p, _ in paths_rows]


def csv_slice(source: Path, dest: Path, rows: int) -> Path:
    """The first `rows` records of a CSV (for the slow tools that are run on a slice and scaled)."""

    def make(tmp: Path) -> None:
        with source.open("rb") as src, tmp.open("wb") as out:
            for i, line in enumerate(src):
                if i > rows:
                    break
                out.write(line)

    return cached(dest, {"kind": "slice", "source": source.name, "rows": rows}, make)


# --------------------------------------------------------------------------- big xlsx


def big_xlsx(path: Path, rows: int, seed: int = SEED) -> Path:
    """A long-format FOI-style workbook: title, blank row, header, then `rows` data rows.

    Columns: Force | Force code | Month (a real date cell, shown Jun-20) | Crime type |
    Outcome | Count. Written as raw SpreadsheetML with a shared-string table, as Excel
    and openpyxl write it; building it with openpyxl would take longer than the benchmark.
    """
    return cached(path, {"kind": "xlsx", "rows": rows, "seed": seed}, lambda tmp: _write_xlsx(tmp, rows, seed))


def _write_xlsx(path: Path, rows: int, seed: int) -> None:
    rng = random.Random(seed)
    types = [t for t, _ in CRIME_TYPES][:13]
    strings: dict[str, int] = {}

    def sst(text: str) -> int:
        if text not in strings:
            strings[text] = len(strings)
        return strings[text]

    excel_epoch = date(1899, 12, 30).toordinal()
    month_serials = []
    for k in range(MONTHS):
        y, m = (int(x) for x in month_label(k).split("-"))
        month_serials.append(date(y, m, 1).toordinal() - excel_epoch)

    header = ("Force", "Force code", "Month", "Crime type", "Outcome", "Count")
    parts: list[str] = [
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<sheetData>'
    ]
    parts.append(f'<row r="1"><c r="A1" t="s"><v>{sst("Recorded crime by force, month, crime type and outcome, June 2020 to May 2023")}</v></c></row>')
    parts.append('<row r="3">' + "".join(f'<c r="{col}3" t="s"><v>{sst(h)}</v></c>' for col, h in zip("ABCDEF", header)) + "</row>")
    r = 4
    produced = 0
    for f, force in enumerate(FORCES):
        force_s, code_s = sst(force), sst(FORCE_CODES[f])
        for k in range(MONTHS):
            for t in types:
                t_s = sst(t)
                for o in OUTCOMES:
                    if produced == rows:
                        break
                    parts.append(
                        f'<row r="{r}"><c r="A{r}" t="s"><v>{force_s}</v></c><c r="B{r}" t="s"><v>{code_s}</v></c>'
                        f'<c r="C{r}" s="1"><v>{month_serials[k]}</v></c><c r="D{r}" t="s"><v>{t_s}</v></c>'
                        f'<c r="E{r}" t="s"><v>{sst(o)}</v></c><c r="F{r}"><v>{rng.randrange(0, 250)}</v></c></row>'
                    )
                    r += 1
                    produced += 1
    parts.append("</sheetData></worksheet>")
    sheet_xml = "".join(parts)
    shared = "".join(f"<si><t>{escape(s)}</t></si>" for s in strings)
    files = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
            "</Types>"
        ),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>"
        ),
        "xl/workbook.xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            '<sheets><sheet name="Crime by month" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
            '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
            '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
            "</Relationships>"
        ),
        "xl/styles.xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            '<numFmts count="1"><numFmt numFmtId="164" formatCode="mmm\\-yy"/></numFmts>'
            '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
            '<fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
            '<borders count="1"><border/></borders>'
            '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
            '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
            '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
            "</styleSheet>"
        ),
        "xl/sharedStrings.xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="{len(strings)}" '
            f'uniqueCount="{len(strings)}">{shared}</sst>'
        ),
        "xl/worksheets/sheet1.xml": sheet_xml,
    }
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
        for name, text in files.items():
            info = zipfile.ZipInfo(name, date_time=(2024, 3, 27, 0, 0, 0))  # fixed: same bytes every run
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, text.encode("utf-8"))


# --------------------------------------------------------------------------- tidy frame


def tidy_frame(rows: int, seed: int = SEED) -> Any:
    """A tidy dataset of `rows` rows in foistats' schema, shaped like a monthly import.

    Mostly whole counts, some FTE-like decimals, some suppressed (null) values with a
    status, so the writer does all the work it does for real data.
    """
    import polars as pl

    measures = [f"Street-level crime records: {t}" for t, _ in CRIME_TYPES] + ["Police officer FTE"]
    idx = pl.int_range(0, rows, dtype=pl.Int64, eager=True).alias("i")
    frame = pl.DataFrame(idx).with_columns(((pl.col("i") * 2654435761 + seed) % 4294967296).alias("u"))
    month = pl.col("i") % MONTHS
    year = pl.lit(FIRST_MONTH[0]) + (month + FIRST_MONTH[1] - 1) // 12
    mon = (month + FIRST_MONTH[1] - 1) % 12 + 1
    start = pl.date(year, mon, 1)
    suppressed = pl.col("u") % 50 == 0
    is_fte = (pl.col("i") // MONTHS) % len(measures) == len(measures) - 1
    value = (
        pl.when(suppressed)
        .then(pl.lit(None, dtype=pl.Float64))
        .when(is_fte)
        .then((pl.col("u") % 100_000) / 100)
        .otherwise((pl.col("u") % 5_000).cast(pl.Float64))
    )
    force_i = (pl.col("i") // (MONTHS * len(measures))) % len(FORCES)
    out = frame.select(
        force_i.replace_strict(dict(enumerate(FORCES)), return_dtype=pl.String).alias("force"),
        force_i.replace_strict(dict(enumerate(FORCE_CODES)), return_dtype=pl.String).alias("force_code"),
        pl.lit("force").alias("area_kind"),
        ((pl.col("i") // MONTHS) % len(measures)).replace_strict(dict(enumerate(measures)), return_dtype=pl.String).alias("measure"),
        start.alias("period_start"),
        start.dt.month_end().alias("period_end"),
        start.dt.strftime("%B %Y").alias("period_label"),
        value.alias("value"),
        pl.when(suppressed).then(pl.lit("suppressed")).otherwise(pl.lit("ok")).alias("status"),
        pl.lit(None, dtype=pl.Float64).alias("value_low"),
        pl.lit(None, dtype=pl.Float64).alias("value_high"),
        (force_i.replace_strict(dict(enumerate(FORCES)), return_dtype=pl.String) + pl.lit(" FOI 2024-0001.xlsx")).alias("source_file"),
        pl.lit("Data").alias("source_sheet"),
        (pl.lit("C") + ((pl.col("i") % 1000) + 5).cast(pl.String)).alias("source_cell"),
        pl.when(suppressed).then(pl.lit("<5 in source")).otherwise(pl.lit(None, dtype=pl.String)).alias("note"),
    )
    from foistats.model.schema import conform

    return conform(out)  # every schema column, the evidence ones (force_source ... unit) with their defaults


def main(argv: list[str]) -> None:
    """Generate in a child process, so the harness never grows (a child inherits its peak RSS)."""
    kind, *args = argv
    if kind == "street":
        street_csvs([(Path(spec.rsplit(":", 1)[0]), int(spec.rsplit(":", 1)[1])) for spec in args])
    elif kind == "xlsx":
        big_xlsx(Path(args[0]), int(args[1]))
    elif kind == "slice":
        csv_slice(Path(args[0]), Path(args[1]), int(args[2]))
    else:
        raise SystemExit(f"unknown kind {kind!r}: street | xlsx | slice")


if __name__ == "__main__":
    import sys

    main(sys.argv[1:])
