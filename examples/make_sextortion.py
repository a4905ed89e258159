#!/usr/bin/env python3
"""Generate examples/sextortion/: the FOI return set shipped with foistats.

Why a script and not just the files: the files are committed, but a reader (or a
test) needs to know what each one was *meant* to say. The table `RETURNS` below is
the single source of truth; every spreadsheet and CSV is built from it, read back
with python-calamine / the csv module and compared cell by cell, and the expected
yearly figures are written to tests/data/sextortion_expected.csv.

Scenario: a newsroom asked every force "Please provide the number of reports of
sextortion where the victim was under 18, for each of the years June 2020 – May
2021, June 2021 – May 2022 and June 2022 – May 2023". Leicestershire (28, 48, 152)
and Greater Manchester (20 → 560) are the published figures; every other number is
illustrative. See examples/README.md.

Run:  python examples/make_sextortion.py            (writes the files, prints checks)
      python examples/make_sextortion.py --table    (also prints the README table)

Dev-only dependencies: openpyxl (.xlsx), xlwt (.xls, BIFF8), odfpy (.ods), reportlab (.pdf
letters), python-docx (.docx); e-mails (.eml) with the standard library. PDF, Word and
e-mail replies are read back with foistats's own document readers.
Output is byte-for-byte reproducible: zip timestamps and document dates are fixed.
"""

from __future__ import annotations

import csv
import re
import sys
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from fractions import Fraction
from pathlib import Path
from typing import Callable, Union

HERE = Path(__file__).resolve().parent
OUT = HERE / "sextortion"
EXPECTED = HERE.parent / "tests" / "data" / "sextortion_expected.csv"
EXPECTED_COLUMNS = ("force", "y2020", "y2021", "y2022", "status_note")

WORDING = (
    "Please provide the number of reports of sextortion where the victim was under 18, "
    "for each of the years June 2020 – May 2021, June 2021 – May 2022 and June 2022 – May 2023."
)
# Every generated container gets this time, so re-running the script changes no bytes.
FROZEN = datetime(2024, 2, 5, 9, 0, 0)
FIRST_YEAR = 2020  # the request's years start in June 2020, 2021, 2022

Value = Union[int, str]  # a count, or a symbol exactly as the force wrote it ("<5", "Nil")


@dataclass(frozen=True)
class Return:
    """One force's reply: what it says, and how it is laid out.

    `values` are the force's three yearly figures *as the force defines its years*
    (June–May for most; April–March for Essex, calendar years for Police Scotland).
    `status` is the campaign truth: ok | refused | nil | misaligned | suppressed | partial.
    """

    force: str  # canonical name, exactly as in foistats/data/areas.csv
    file: str  # file name inside examples/sextortion/
    layout: str  # key of LAYOUTS
    values: tuple[Value, Value, Value]
    title: str  # how the force writes its own name (title cell)
    measure: str  # the force's own label for the count
    labels: str = "june-dash"  # key of PERIOD_STYLES
    ref: str = ""  # the force's FOI reference
    flags: str = ""  # space-separated layout options (see the layout functions)
    status: str = "ok"

    def flag(self, name: str, default: str | None = None) -> str | None:
        """`flags="total months=iso"` -> flag("total") == "", flag("months") == "iso"."""
        for token in self.flags.split():
            key, _, val = token.partition("=")
            if key == name:
                return val
        return default

    def has(self, name: str) -> bool:
        return self.flag(name) is not None


R = Return
# fmt: off
# One line per body that answered. Kent Police, Ministry of Defence Police and Civil
# Nuclear Constabulary have not answered (no file). Ranked on % change 2020/21 -> 2022/23.
RETURNS: tuple[Return, ...] = (
    R("Avon and Somerset Constabulary", "Avon and Somerset Constabulary FOI 0031-24.ods", "monthly_grid", (41, 77, 199), "Avon & Somerset Constabulary", "Sextortion (victim aged under 18)", "jun-dash", "0031/24", "total"),
    R("Bedfordshire Police", "Bedfordshire Police FOI 2024-118.csv", "long", (50, 71, 100), "Bedfordshire Police", "Number of reports", "dates", "2024-118", "bom titles=1 total"),
    R("British Transport Police", "British Transport Police FOI 2024-0077.csv", "wide", (15, 14, 12), "British Transport Police", "Under 18 sextortion reports", "june-endash", "2024-0077", "cp1252 titles=0"),
    R("Cambridgeshire Constabulary", "Cambridgeshire Constabulary 0188-2024.xlsx", "long", (21, 39, 55), "Cambridgeshire Constabulary", "Count", "june-to", "0188/2024", "total"),
    R("Cheshire Constabulary", "FOI-2024-00417 response.xls", "wide", (29, 40, 57), "Cheshire Constabulary", "Number of reports", "jun-dash", "FOI-2024-00417", "total"),
    R("City of London Police", "City of London Police FOI 24-0009.xlsx", "nil", ("Nil", "Nil", "Nil"), "City of London Police", "Sextortion reports (victim under 18)", "june-dash", "24-0009", "", "nil"),
    R("Cleveland Police", "Cleveland Police 2024-0151.xlsx", "wide", (19, 30, 47), "Cleveland Police", "Under 18 sextortion reports", "long-dates", "2024/0151", "titles=2"),
    R("Cumbria Constabulary", "Cumbria Constabulary FOI 0042-24.xlsx", "long", (6, 17, 41), "Cumbria Constabulary", "Number of reports", "june-dash", "0042/24", "total"),
    R("Derbyshire Constabulary", "Derbyshire Constabulary FOI 24-0260.xlsx", "monthly_calendar", (27, 55, 101), "Derbyshire Constabulary", "Reports of sextortion (victim under 18)", "june-dash", "24-0260"),
    R("Devon and Cornwall Police", "Devon & Cornwall FOI 0097-24.ods", "wide", (36, 70, 122), "Devon & Cornwall Police", "Sextortion (victim aged under 18)", "june-to", "0097/24", "total"),
    R("Dorset Police", "Dorset Police FOI 2024-0210.pdf", "wide", (24, 21, 19), "Dorset Police", "Number of reports", "ye", "2024-0210", "unruled"),
    R("Durham Constabulary", "Durham Constabulary FOI 0315-24.xlsx", "long", (16, 29, 38), "Durham Constabulary", "Under 18 sextortion reports", "jun-dash", "0315/24", "total"),
    R("Dyfed-Powys Police", "Dyfed Powys Police FOI DP-2024-041.xlsx", "wide", ("<5", 11, 23), "Dyfed Powys Police", "Sextortion (victim aged under 18)", "june-dash", "DP-2024-041", "key=lt5", "suppressed"),
    R("Essex Police", "Essex Police FOI 2024-0052.xlsx", "financial", (47, 98, 233), "Essex Police", "Number of reports", "fy", "2024/0052", "", "misaligned"),
    R("Gloucestershire Constabulary", "Gloucestershire Constabulary 2024-0133.docx", "wide", (13, 19, 27), "Gloucestershire Constabulary", "Count", "jun-yy", "2024-0133"),
    R("Greater Manchester Police", "GMP FOI 2024-0412.xlsx", "long", (20, 143, 560), "Greater Manchester Police", "Number of reports", "june-to", "2024/0412", "total"),
    R("Gwent Police", "Gwent Police FOI 2024-0066.xls", "long", (10, 21, 34), "Gwent Police", "Count", "june-dash", "2024/0066", "subtitle=Heddlu_Gwent"),
    R("Hampshire and Isle of Wight Constabulary", "Hampshire FOI 044-24.xlsx", "sheet_per_year", (35, 88, 166), "Hampshire & Isle of Wight Constabulary", "Under 18 sextortion reports", "jun-dash", "044/24", "months=month-yyyy"),
    R("Hertfordshire Constabulary", "Hertfordshire Constabulary FOI 2024-0098.xlsx", "wide", (33, 61, 117), "Hertfordshire Constabulary", "Number of reports", "june-dash", "2024/0098", "total=wrong"),
    R("Humberside Police", "Request 24-0415 reply.xls", "monthly_long", (34, 49, 62), "Humberside Police", "Number of reports", "june-dash", "24-0415", "months=date total"),
    R("Lancashire Constabulary", "Lancashire Constabulary FOI 2024-0520.xlsx", "long", (17, 52, 121), "Lancashire Constabulary", "Sextortion (victim aged under 18)", "june-to", "2024/0520", "notescol"),
    R("Leicestershire Police", "Leicestershire Police FOI 2024-0123.xlsx", "wide", (28, 48, 152), "Leicestershire Police", "Under 18 sextortion reports", "june-dash", "2024/0123", "notes=leics"),
    R("Lincolnshire Police", "Lincolnshire Police FOI 2024-0031.csv", "monthly_long", (19, 36, 88), "Lincolnshire Police", "Count", "june-dash", "2024-0031", "bom titles=1 months=iso until=2023-01", "partial"),
    R("Merseyside Police", "Merseyside Police FOI 2024-0190.xlsx", "monthly_long", (22, 77, 180), "Merseyside Police", "Number of reports", "june-dash", "2024/0190", "months=date total"),
    R("Metropolitan Police Service", "Metropolitan Police FOI 01-FOI-24-034567.xlsx", "wide", (96, 402, 1010), "Metropolitan Police", "Under 18 sextortion reports", "june-dash", "01/FOI/24/034567", "total titles=4"),
    R("Norfolk Constabulary", "Norfolk Constabulary FOI 0144-24.pdf", "wide", (23, 35, 51), "Norfolk Constabulary", "Sextortion (victim aged under 18)", "jun-dash", "0144/24"),
    R("North Wales Police", "North Wales Police FOI 2024-0029.xlsx", "wide", (18, 23, 24), "North Wales Police", "Number of reports", "june-dash", "2024/0029", "subtitle=Heddlu_Gogledd_Cymru"),
    R("North Yorkshire Police", "North Yorkshire Police FOI 1290-2024.xls", "monthly_long", (67, 40, 118), "North Yorkshire Police", "Count", "june-dash", "1290/2024", "months=mon-yy star"),
    R("Northamptonshire Police", "Northamptonshire Police FOI 10512-24.xlsx", "wide", (18, 37, 71), "Northamptonshire Police", "Number of reports", "june-to", "10512-24", "total"),
    R("Northumbria Police", "Northumbria Police FOI 1021-24.xlsx", "refusal", ("", "", ""), "Northumbria Police", "", "june-dash", "1021/24", "", "refused"),
    R("Nottinghamshire Police", "Nottinghamshire Police FOI 2024-00611.csv", "wide", (60, 170, 310), "Nottinghamshire Police", "Reports of sextortion (victim under 18)", "june-endash", "2024/00611", "cp1252 titles=1 total"),
    R("South Wales Police", "South Wales Police FOI 24-0077.xlsx", "wide", (14, 41, 97), "South Wales Police", "Under 18 sextortion reports", "jun-dash", "24/0077", "footnote subtitle=Heddlu_De_Cymru"),
    R("South Yorkshire Police", "South Yorkshire Police FOI 20240133.csv", "monthly_long", (44, 96, 187), "South Yorkshire Police", "Number of reports", "june-dash", "20240133", "cp1252 titles=3 months=month-yyyy total"),
    R("Staffordshire Police", "Staffordshire Police FOI 0078-24.xlsx", "long", (26, 58, 118), "Staffordshire Police", "Under 18 sextortion reports", "june-dash", "0078/24", "textnums"),
    R("Suffolk Constabulary", "Suffolk Constabulary FOI 2024-0140.csv", "long", (30, 44, 60), "Suffolk Constabulary", "Number of reports", "june-endash", "2024-0140", "cp1252 titles=2"),
    R("Surrey Police", "Disclosure 000812-24.xlsx", "wide", (40, 52, 66), "Surrey Police", "Count", "june-dash", "000812-24", "titles=2"),
    R("Sussex Police", "Sussex Police FOI 812-24.xlsx", "monthly_wide2", (39, 74, 158), "Sussex Police", "Under 18 sextortion reports", "june-dash", "812-24", "total"),
    R("Thames Valley Police", "FOI 2024-0233 Response.eml", "wide", (31, 89, 205), "Thames Valley Police", "Sextortion (victim aged under 18)", "june-dash", "2024-0233"),
    R("Warwickshire Police", "Warwickshire Police FOI 2024-0299.csv", "wide", (19, 18, 17), "Warwickshire Police", "Number of reports", "june-dash", "2024-0299", "bom titles=0"),
    R("West Mercia Police", "West Mercia Police FOI 2024-0300.xlsx", "long", (37, 45, 58), "West Mercia Police", "Number of reports", "jun-dash", "2024-0300"),
    R("West Midlands Police", "West Midlands Police FOI 2024-1187.xlsx", "notes_sheet", (45, 170, 410), "West Midlands Police", "Under 18 sextortion reports", "june-dash", "2024/1187", "total"),
    R("West Yorkshire Police", "West Yorkshire Police FOI 2024-0456.xlsx", "monthly_long", (38, 121, 290), "West Yorkshire Police", "Number of reports", "june-dash", "2024/0456", "months=iso total"),
    R("Wiltshire Police", "Wiltshire Police FOI 2024-0061.ods", "monthly_long", (22, 26, 31), "Wiltshire Police", "Count", "june-dash", "2024/0061", "months=date total"),
    R("Police Scotland", "Police Scotland IM-FOI-2024-0034.ods", "calendar", (82, 164, 391), "Police Scotland", "Number of reports", "calendar", "IM-FOI-2024-0034", "", "misaligned"),
    R("Police Service of Northern Ireland", "PSNI FOI-24-0102.ods", "wide", (58, 63, 71), "Police Service of Northern Ireland", "Under 18 sextortion reports", "june-dash", "FOI-24-0102", "total"),
)
# fmt: on

# The request went to these 48 bodies (canonical names); the three below never answered.
OUTSTANDING = ("Kent Police", "Ministry of Defence Police", "Civil Nuclear Constabulary")
TERRITORIAL = (
    "Avon and Somerset Constabulary", "Bedfordshire Police", "Cambridgeshire Constabulary",
    "Cheshire Constabulary", "City of London Police", "Cleveland Police", "Cumbria Constabulary",
    "Derbyshire Constabulary", "Devon and Cornwall Police", "Dorset Police", "Durham Constabulary",
    "Dyfed-Powys Police", "Essex Police", "Gloucestershire Constabulary", "Greater Manchester Police",
    "Gwent Police", "Hampshire and Isle of Wight Constabulary", "Hertfordshire Constabulary",
    "Humberside Police", "Kent Police", "Lancashire Constabulary", "Leicestershire Police",
    "Lincolnshire Police", "Merseyside Police", "Metropolitan Police Service", "Norfolk Constabulary",
    "North Wales Police", "North Yorkshire Police", "Northamptonshire Police", "Northumbria Police",
    "Nottinghamshire Police", "South Wales Police", "South Yorkshire Police", "Staffordshire Police",
    "Suffolk Constabulary", "Surrey Police", "Sussex Police", "Thames Valley Police",
    "Warwickshire Police", "West Mercia Police", "West Midlands Police", "West Yorkshire Police",
    "Wiltshire Police",
)
OTHER_BODIES = (
    "British Transport Police", "Police Scotland", "Police Service of Northern Ireland",
    "Ministry of Defence Police", "Civil Nuclear Constabulary",
)

# How each force writes a June–May year; `a` is the start year.
PERIOD_STYLES: dict[str, Callable[[int], str]] = {
    "june-dash": lambda a: f"June {a} - May {a + 1}",
    "june-to": lambda a: f"June {a} to May {a + 1}",
    "jun-dash": lambda a: f"Jun {a} - May {a + 1}",
    "june-endash": lambda a: f"June {a} – May {a + 1}",
    "dates": lambda a: f"01/06/{a} - 31/05/{a + 1}",
    "long-dates": lambda a: f"1 June {a} to 31 May {a + 1}",
    "ye": lambda a: f"Year ending May {a + 1}",
    "jun-yy": lambda a: f"Jun-{a % 100:02d} to May-{(a + 1) % 100:02d}",
    "fy": lambda a: f"{a}/{(a + 1) % 100:02d}",  # Essex: financial years
    "calendar": lambda a: f"{a}",  # Police Scotland: calendar years
}
MONTH_ABBR = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
MONTH_NAME = ("January", "February", "March", "April", "May", "June", "July", "August",
              "September", "October", "November", "December")
# Relative weight of each month June..May: how a yearly figure is spread over months.
# Uneven on purpose, so monthly files are not flat lines.
MONTH_WEIGHTS = (9, 6, 7, 10, 11, 9, 10, 12, 11, 14, 13, 15)

GENERIC_NOTES = (
    "Sextortion is not a Home Office crime classification. Figures were found by a keyword "
    "search of crimes and incidents where the victim was aged under 18 at the time of the report.",
    "Figures are correct at the time of extraction and may change as investigations progress.",
)


# --------------------------------------------------------------------------- sheets

Cell = Union[None, int, str, date]


@dataclass
class Sheet:
    """A grid of cells as the force laid it out; the writers turn it into a file."""

    name: str
    rows: list[list[Cell]] = field(default_factory=list)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # r0, c0, r1, c1 (0-based, inclusive)
    bold: set[int] = field(default_factory=set)  # 0-based row numbers shown bold

    def add(self, *cells: Cell, bold: bool = False) -> int:
        self.rows.append([None if v == "" else v for v in cells])  # "" is an empty cell
        if bold:
            self.bold.add(len(self.rows) - 1)
        return len(self.rows) - 1

    def merge_row(self, row: int, width: int) -> None:
        if width > 1:
            self.merges.append((row, 0, row, width - 1))


def months(r: Return) -> list[tuple[date, Value]]:
    """The force's 36 monthly counts, June 2020 .. May 2023, summing exactly to its yearly figures."""
    out: list[tuple[date, Value]] = []
    for i, total in enumerate(r.values):
        assert isinstance(total, int), r.force
        for k, n in enumerate(spread(total, MONTH_WEIGHTS)):
            m = (6 + k - 1) % 12 + 1
            y = FIRST_YEAR + i + (1 if m < 6 else 0)
            out.append((date(y, m, 1), n))
    return out


def spread(total: int, weights: tuple[int, ...]) -> list[int]:
    """Largest-remainder split: integers in proportion to `weights` that add up to `total` exactly."""
    wsum = sum(weights)
    exact = [Fraction(total * w, wsum) for w in weights]
    parts = [int(x) for x in exact]
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] - parts[i]), i))
    for i in order[: total - sum(parts)]:
        parts[i] += 1
    assert sum(parts) == total
    return parts


def suppressed_months(r: Return) -> set[date]:
    """North Yorkshire shows '*' for months below 3; by construction only 2021/22 (a dip year) has any."""
    return {d for d, n in months(r) if date(2021, 6, 1) <= d <= date(2022, 5, 1) and isinstance(n, int) and n < 3}


def month_label(d: date, style: str) -> Cell:
    if style == "iso":
        return f"{d.year}-{d.month:02d}"
    if style == "mon-yy":
        return f"{MONTH_ABBR[d.month - 1]}-{d.year % 100:02d}"
    if style == "month-yyyy":
        return f"{MONTH_NAME[d.month - 1]} {d.year}"
    if style == "date":
        return d
    raise ValueError(style)


def period(r: Return, i: int) -> str:
    return PERIOD_STYLES[r.labels](FIRST_YEAR + i)


def shown(r: Return, v: Value) -> Cell:
    """A count as the file stores it: a number, or (Staffordshire) the text "118"."""
    if isinstance(v, int) and r.has("textnums"):
        return str(v)
    return v


def titles(r: Return, sheet: Sheet, width: int, default: int = 3) -> None:
    """1–4 title rows (force, FOI reference, request wording, response date), merged across the table."""
    n = int(r.flag("titles", str(default)) or default)
    if n == 0:
        return
    sub = r.flag("subtitle")
    name = f"{r.title} / {sub.replace('_', ' ')}" if sub else r.title
    lines = [
        name,
        f"Freedom of Information request {r.ref}",
        f"Request: {WORDING}",
        "Date of response: 5 February 2024",
    ]
    for k, text in enumerate(lines[:n]):
        row = sheet.add(text, bold=(k == 0))
        sheet.merge_row(row, width)
    sheet.add()


def notes(r: Return, sheet: Sheet, extra: tuple[str, ...] = ()) -> None:
    """Notes and a Source line under the table, as FOI units write them."""
    sheet.add()
    if r.flag("notes") == "leics":
        sheet.add("Notes:", bold=True)
        sheet.add("1. Figures relate to reports recorded by Leicestershire Police where the offence "
                  "involved sextortion (threats to share sexual images unless demands are met) "
                  "and the victim was aged under 18 at the time of the report.")
        sheet.add("2. Each report is counted once, regardless of the number of offences recorded.")
        sheet.add("3. Data extracted from the force crime recording system (Niche RMS) on 22 January 2024.")
        sheet.add("Source: Leicestershire Police, Freedom of Information Unit")
        return
    sheet.add("Notes:", bold=True)
    for k, text in enumerate(extra + GENERIC_NOTES, start=1):
        sheet.add(f"{k}. {text}")
    sheet.add(f"Source: {r.title} crime recording system, January 2024")


# --------------------------------------------------------------------------- layouts


def layout_wide(r: Return) -> list[Sheet]:
    """Years as columns, one data row (the commonest FOI reply).

    Flags: total | total=wrong (a Total column; 'wrong' prints a mistyped sum),
    footnote (a '*' marker on the last period label), key=lt5 (a '<5' key row),
    titles=N, subtitle=Welsh_name.
    """
    total = r.flag("total")
    width = 4 + (total is not None)
    s = Sheet("Sheet1")
    titles(r, s, width)
    header: list[Cell] = ["", *(period(r, i) for i in range(3))]
    if r.has("footnote"):
        header[3] = f"{header[3]} *"
    if total is not None:
        header.append("Total")
    s.add(*header, bold=True)
    row: list[Cell] = [r.measure, *(shown(r, v) for v in r.values)]
    if total is not None:
        t = sum(v for v in r.values if isinstance(v, int))
        row.append(t + 10 if total == "wrong" else t)  # Hertfordshire: 211 printed as 221
    s.add(*row)
    if r.has("footnote"):
        s.add()
        s.add("* Figures for June 2022 - May 2023 were extracted on 15 January 2024.")
    if r.flag("key") == "lt5":
        s.add()
        s.add("Key:", bold=True)
        s.add("<5 = between 1 and 4. Small numbers are not disclosed to protect the identity "
              "of victims (section 40(2)).")
    if r.flag("titles") == "0":
        return [s]  # a bare exported table, nothing under it
    notes(r, s)
    return [s]


def layout_long(r: Return) -> list[Sheet]:
    """Years as rows ("Period | count"), optionally a Total row and a Notes column."""
    notescol = r.has("notescol")
    width = 3 if notescol else 2
    s = Sheet("Sheet1")
    titles(r, s, width)
    header: list[Cell] = ["Period", r.measure] + (["Notes"] if notescol else [])
    s.add(*header, bold=True)
    for i, v in enumerate(r.values):
        row: list[Cell] = [period(r, i), shown(r, v)]
        if notescol:
            row.append("See note 1" if i == 2 else None)
        s.add(*row)
    if r.has("total"):
        s.add("Total", shown(r, sum(v for v in r.values if isinstance(v, int))))
    extra: tuple[str, ...] = ()
    if notescol:
        extra = ("June 2022 - May 2023 includes reports received through the new online reporting form.",)
    notes(r, s, extra)
    return [s]


def layout_monthly_long(r: Return) -> list[Sheet]:
    """One row per month ("Month | count"): June 2020 .. May 2023 (or `until` for a partial reply).

    Flags: months=iso|mon-yy|month-yyyy|date, total, star ('*' months in 2021/22
    with the key "* = fewer than 3"), until=YYYY-MM.
    """
    style = r.flag("months", "iso") or "iso"
    until = r.flag("until")
    last = date(int(until[:4]), int(until[5:7]), 1) if until else date(2023, 5, 1)
    starred = suppressed_months(r) if r.has("star") else set()
    s = Sheet("Data" if style == "date" else "Sheet1")
    titles(r, s, 2)
    s.add("Month", r.measure, bold=True)
    kept = [(d, n) for d, n in months(r) if d <= last]
    for d, n in kept:
        s.add(month_label(d, style), "*" if d in starred else n)
    if r.has("total"):
        s.add("Total", sum(n for _, n in kept if isinstance(n, int)))
    extra: tuple[str, ...] = ()
    if until:
        extra = ("Figures are supplied to the end of January 2023, when the force moved to a new crime "
                 "recording system; later months cannot yet be searched in the same way.",)
    if starred:
        s.add()
        s.add("* = fewer than 3", bold=True)
    if r.flag("titles") == "0":
        return [s]
    notes(r, s, extra)
    return [s]


def layout_monthly_grid(r: Return) -> list[Sheet]:
    """Years as rows, months Jun..May as columns, a Total column (Avon & Somerset)."""
    s = Sheet("Sextortion U18")
    titles(r, s, 14)
    s.add("Period", *MONTH_ABBR[5:], *MONTH_ABBR[:5], "Total", bold=True)
    ms = months(r)
    for i in range(3):
        counts = [n for _, n in ms[12 * i: 12 * i + 12]]
        s.add(period(r, i), *counts, sum(int(n) for n in counts))
    notes(r, s, (f"Figures show {r.measure.lower()} by month the report was recorded.",))
    return [s]


def layout_monthly_calendar(r: Return) -> list[Sheet]:
    """Calendar years as rows (numbers), Jan..Dec as columns, blank outside June 2020 – May 2023."""
    s = Sheet("Sheet1")
    titles(r, s, 13)
    s.add("Year", *MONTH_ABBR, bold=True)
    by_month = dict(months(r))
    for y in range(2020, 2024):
        s.add(y, *(by_month.get(date(y, m, 1)) for m in range(1, 13)))
    notes(r, s, ("Months outside the period requested (June 2020 to May 2023) are left blank.",
                 f"Figures show {r.measure.lower()} by month recorded."))
    return [s]


def layout_monthly_wide2(r: Return) -> list[Sheet]:
    """One data row, 36 month columns under a two-row header: the June–May year merged over Jun..May."""
    s = Sheet("FOI 812-24")
    titles(r, s, 38)
    top = s.add("", *[x for i in range(3) for x in [period(r, i)] + [None] * 11], "Total", bold=True)
    s.add("", *[MONTH_ABBR[(5 + k) % 12] for _ in range(3) for k in range(12)], None, bold=True)
    for i in range(3):
        s.merges.append((top, 1 + 12 * i, top, 12 + 12 * i))
    s.merges.append((top, 37, top + 1, 37))
    counts = [n for _, n in months(r)]
    s.add(r.measure, *counts, sum(int(n) for n in counts))
    notes(r, s)
    return [s]


def layout_sheet_per_year(r: Return) -> list[Sheet]:
    """One sheet per June–May year, each a monthly list with its own Total (Hampshire)."""
    sheets = []
    ms = months(r)
    for i in range(3):
        s = Sheet(period(r, i))
        row = s.add(r.title, bold=True)
        s.merge_row(row, 2)
        s.add(f"Freedom of Information request {r.ref}")
        s.add(f"Period: {PERIOD_STYLES['june-to'](FIRST_YEAR + i)}")
        s.add()
        s.add("Month", r.measure, bold=True)
        chunk = ms[12 * i: 12 * i + 12]
        for d, n in chunk:
            s.add(month_label(d, "month-yyyy"), n)
        s.add("Total", sum(int(n) for _, n in chunk))
        if i == 2:
            notes(r, s)
        sheets.append(s)
    return sheets


def layout_notes_sheet(r: Return) -> list[Sheet]:
    """A 'Notes' sheet (request, caveats) before the 'Data' sheet (West Midlands)."""
    n = Sheet("Notes")
    n.add(r.title, bold=True)
    n.add(f"Freedom of Information request {r.ref}")
    n.add()
    n.add("Your request:", bold=True)
    n.add(WORDING)
    n.add()
    n.add("Our response:", bold=True)
    n.add("West Midlands Police holds information relevant to your request. The figures are on the sheet 'Data'.")
    for text in GENERIC_NOTES:
        n.add(text)
    d = Sheet("Data")
    row = d.add(f"{r.title} - {r.measure}", bold=True)
    d.merge_row(row, 5)
    d.add()
    d.add("", *(period(r, i) for i in range(3)), "Total", bold=True)
    d.add(r.measure, *r.values, sum(int(v) for v in r.values))
    return [n, d]


def layout_refusal(r: Return) -> list[Sheet]:
    """Only the refusal letter, one paragraph per row: there is no table (Northumbria, section 12)."""
    s = Sheet("Response")
    for text in (
        r.title,
        f"Freedom of Information Request {r.ref}",
        "",
        "Your request:",
        WORDING,
        "",
        "Our response:",
        "Section 12(1) of the Freedom of Information Act 2000 does not oblige a public authority to comply "
        "with a request for information if the authority estimates that the cost of complying with the "
        "request would exceed the appropriate limit.",
        "The appropriate limit for the police service is £450, which equates to 18 hours of work.",
        "Sextortion is not a crime classification in its own right. To identify reports where the victim "
        "was under 18 we would have to read every report of blackmail, malicious communications and "
        "sexual communication with a child recorded over the three years you ask about.",
        "We estimate that the cost of complying with your request would exceed the appropriate limit, and "
        "this letter is a refusal notice under section 12 of the Freedom of Information Act 2000.",
        "Advice and assistance: you may wish to narrow your request, for example to a shorter period.",
        "Yours sincerely, Freedom of Information Unit",
    ):
        s.add(text or None, bold=(text == r.title))
    return [s]


def layout_nil(r: Return) -> list[Sheet]:
    """A small table with 'Nil' in every year cell (City of London: no such records held)."""
    s = Sheet("Sheet1")
    titles(r, s, 4)
    s.add("", *(period(r, i) for i in range(3)), bold=True)
    s.add(r.measure, *r.values)
    notes(r, s, ("City of London Police holds no records of sextortion reports where the victim was under 18 "
                 "for the periods requested.",))
    return [s]


def layout_financial(r: Return) -> list[Sheet]:
    """Answered in financial years (April–March) instead of the June–May years asked for (Essex)."""
    s = Sheet("Sheet1")
    titles(r, s, 4)
    s.add("", *(period(r, i) for i in range(3)), bold=True)
    s.add(r.measure, *r.values)
    notes(r, s, ("Figures are for financial years (April to March).",
                 "Essex Police records statistics by financial year; we are unable to provide "
                 "figures for June to May without a manual review."))
    return [s]


def layout_calendar(r: Return) -> list[Sheet]:
    """Answered in calendar years 2020, 2021, 2022 (Police Scotland)."""
    s = Sheet("Sheet1")
    titles(r, s, 2)
    s.add("Calendar year", r.measure, bold=True)
    for i, v in enumerate(r.values):
        s.add(period(r, i), v)
    notes(r, s, ("Figures are for calendar years (January to December).",
                 "Police Scotland records crime under Scottish law; Scottish offence categories differ "
                 "from those used in England and Wales."))
    return [s]


LAYOUTS: dict[str, Callable[[Return], list[Sheet]]] = {
    "wide": layout_wide,
    "long": layout_long,
    "monthly_long": layout_monthly_long,
    "monthly_grid": layout_monthly_grid,
    "monthly_calendar": layout_monthly_calendar,
    "monthly_wide2": layout_monthly_wide2,
    "sheet_per_year": layout_sheet_per_year,
    "notes_sheet": layout_notes_sheet,
    "refusal": layout_refusal,
    "nil": layout_nil,
    "financial": layout_financial,
    "calendar": layout_calendar,
}
LAYOUT_DESCRIPTIONS = {
    "wide": "years as columns",
    "long": "years as rows",
    "monthly_long": "monthly, one row per month",
    "monthly_grid": "monthly grid: June–May years as rows × Jun..May columns, Total column",
    "monthly_calendar": "monthly grid: calendar years as rows × Jan..Dec columns",
    "monthly_wide2": "monthly wide, two-row header (year merged over Jun..May)",
    "sheet_per_year": "one sheet per year, monthly rows, Total per sheet",
    "notes_sheet": "'Notes' sheet before the 'Data' sheet; years as columns",
    "refusal": "refusal letter only, no table",
    "nil": "years as columns, 'Nil' in every cell",
    "financial": "years as columns, financial-year labels",
    "calendar": "years as rows, calendar years",
}


# --------------------------------------------------------------------------- writers


def width_of(sheet: Sheet) -> int:
    return max((len(row) for row in sheet.rows), default=0)


def write_xlsx(path: Path, sheets: list[Sheet]) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    wb.remove(wb.active)
    for sheet in sheets:
        ws = wb.create_sheet(sheet.name)
        for r, row in enumerate(sheet.rows, start=1):
            for c, value in enumerate(row, start=1):
                if value is None:
                    continue
                cell = ws.cell(row=r, column=c, value=value)
                if isinstance(value, date):
                    cell.number_format = "mmm-yy"
                if r - 1 in sheet.bold:
                    cell.font = Font(bold=True)
        for r0, c0, r1, c1 in sheet.merges:
            ws.merge_cells(start_row=r0 + 1, start_column=c0 + 1, end_row=r1 + 1, end_column=c1 + 1)
        ws.column_dimensions["A"].width = 34
    wb.properties.creator = "Freedom of Information Unit"
    wb.properties.created = FROZEN
    wb.save(path)
    freeze_zip(path)


def write_xls(path: Path, sheets: list[Sheet]) -> None:
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    plain = xlwt.XFStyle()
    bold = xlwt.easyxf("font: bold on")
    dated = xlwt.easyxf(num_format_str="mmm-yy")
    for sheet in sheets:
        ws = wb.add_sheet(sheet.name)
        covered = covered_cells(sheet)
        for r0, c0, r1, c1 in sheet.merges:
            style = bold if r0 in sheet.bold else plain
            ws.write_merge(r0, r1, c0, c1, cell_at(sheet, r0, c0), style)
        for r, row in enumerate(sheet.rows):
            for c, value in enumerate(row):
                if value is None or (r, c) in covered or any((r, c) == (m[0], m[1]) for m in sheet.merges):
                    continue
                style = dated if isinstance(value, date) else bold if r in sheet.bold else plain
                ws.write(r, c, value, style)
        ws.col(0).width = 34 * 256
    wb.save(str(path))


def write_ods(path: Path, sheets: list[Sheet]) -> None:
    from odf.number import DateStyle, Month, Text as NumberText, Year
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.style import Style, TextProperties
    from odf.table import CoveredTableCell, Table, TableCell, TableRow
    from odf.text import P

    doc = OpenDocumentSpreadsheet()
    mmmyy = DateStyle(name="mmmyy")
    mmmyy.addElement(Month(textual="true"))
    mmmyy.addElement(NumberText(text="-"))
    mmmyy.addElement(Year())
    doc.automaticstyles.addElement(mmmyy)
    date_cell = Style(name="datecell", family="table-cell", datastylename="mmmyy")
    doc.automaticstyles.addElement(date_cell)
    bold_cell = Style(name="boldcell", family="table-cell")
    bold_cell.addElement(TextProperties(fontweight="bold"))
    doc.automaticstyles.addElement(bold_cell)
    for sheet in sheets:
        table = Table(name=sheet.name)
        width = width_of(sheet)
        covered = covered_cells(sheet)
        spans = {(r0, c0): (r1 - r0 + 1, c1 - c0 + 1) for r0, c0, r1, c1 in sheet.merges}
        for r, row in enumerate(sheet.rows):
            tr = TableRow()
            for c in range(width):
                if (r, c) in covered:
                    tr.addElement(CoveredTableCell())
                    continue
                value = row[c] if c < len(row) else None
                kw: dict[str, object] = {}
                if (r, c) in spans:
                    kw["numberrowsspanned"] = str(spans[(r, c)][0])
                    kw["numbercolumnsspanned"] = str(spans[(r, c)][1])
                if value is None:
                    tr.addElement(TableCell(**kw))
                    continue
                if isinstance(value, int):
                    cell = TableCell(valuetype="float", value=str(value), **kw)
                    text = str(value)
                elif isinstance(value, date):
                    cell = TableCell(valuetype="date", datevalue=value.isoformat(), stylename=date_cell, **kw)
                    text = f"{MONTH_ABBR[value.month - 1]}-{value.year % 100:02d}"
                else:
                    if r in sheet.bold:
                        kw["stylename"] = bold_cell
                    cell = TableCell(valuetype="string", **kw)
                    text = value
                cell.addElement(P(text=text))
                tr.addElement(cell)
            table.addElement(tr)
        doc.spreadsheet.addElement(table)
    doc.save(str(path))
    freeze_zip(path)


def write_csv(path: Path, sheets: list[Sheet], encoding: str) -> None:
    """CSV as Excel saves it on Windows: CRLF, every row padded to the table width."""
    (sheet,) = sheets
    width = width_of(sheet)
    with path.open("w", encoding=encoding, newline="") as fh:
        writer = csv.writer(fh, lineterminator="\r\n")
        for row in sheet.rows:
            assert not any(isinstance(v, date) for v in row)
            writer.writerow(["" if v is None else str(v) for v in row] + [""] * (width - len(row)))


# Reply documents: a letter's lines, then the table, then the notes. A row with one cell is a
# line of the letter; consecutive rows with two or more cells are the table.
LETTER_OPENING = ("Dear Requester,", "Please find below the information you requested.")


def blocks(sheet: Sheet) -> list[tuple[str, object]]:
    out: list[tuple[str, object]] = []
    for row in sheet.rows:
        cells = [v for v in row if v is not None]
        if len(cells) >= 2:
            if out and out[-1][0] == "table":
                out[-1][1].append(row)  # type: ignore[union-attr]
            else:
                out.append(("table", [row]))
        else:
            out.append(("line", str(cells[0]) if cells else ""))
    # The letter's greeting goes just before the table.
    first = next((i for i, (kind, _) in enumerate(out) if kind == "table"), len(out))
    return out[:first] + [("line", t) for t in LETTER_OPENING] + [("line", "")] + out[first:]


def _wrap(text: str, width: int = 100) -> list[str]:
    import textwrap

    return textwrap.wrap(text, width) or [""]


def write_pdf(path: Path, sheets: list[Sheet], ruled: bool = True) -> None:
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), pagesize=(595, 842), invariant=1)
    c.setAuthor("Freedom of Information Unit")
    y = 800.0
    for sheet in sheets:
        for kind, payload in blocks(sheet):
            if kind == "line":
                c.setFont("Helvetica", 9)
                for part in _wrap(str(payload)):
                    c.drawString(50, y, part)
                    y -= 13
                continue
            rows = payload  # type: ignore[assignment]
            width = max(len(r) for r in rows)
            widths = [190] + [110] * (width - 1)
            xs = [50]
            for w in widths:
                xs.append(xs[-1] + w)
            top = y + 10
            c.setFont("Helvetica", 9)
            for row in rows:
                for k in range(width):
                    v = row[k] if k < len(row) else None
                    if v is None:
                        continue
                    if k == 0:
                        c.drawString(xs[0] + 4, y, str(v))
                    else:
                        c.drawRightString(xs[k + 1] - 6, y, str(v))
                y -= 16
            if ruled:
                bottom = y + 10
                for k in range(len(rows) + 1):
                    c.line(xs[0], top - 16 * k, xs[-1], top - 16 * k)
                for x in xs:
                    c.line(x, top, x, bottom)
            y -= 6
    c.showPage()
    c.save()


def write_docx(path: Path, sheets: list[Sheet]) -> None:
    import docx

    d = docx.Document()
    d.core_properties.author = "Freedom of Information Unit"
    d.core_properties.created = FROZEN
    d.core_properties.modified = FROZEN
    d.core_properties.last_modified_by = "Freedom of Information Unit"
    for sheet in sheets:
        for kind, payload in blocks(sheet):
            if kind == "line":
                if payload:
                    d.add_paragraph(str(payload))
                continue
            rows = payload  # type: ignore[assignment]
            width = max(len(r) for r in rows)
            table = d.add_table(rows=len(rows), cols=width)
            table.style = "Table Grid"
            for i, row in enumerate(rows):
                for k in range(width):
                    v = row[k] if k < len(row) else None
                    table.cell(i, k).text = "" if v is None else str(v)
    d.save(str(path))
    freeze_zip(path)


def write_eml(path: Path, sheets: list[Sheet], r: Return) -> None:
    """An e-mailed reply whose HTML body holds the table (no attachment)."""
    from email.message import EmailMessage
    from html import escape

    parts = []
    for sheet in sheets:
        for kind, payload in blocks(sheet):
            if kind == "line":
                parts.append(f"<p>{escape(str(payload))}</p>" if payload else "")
                continue
            rows = payload  # type: ignore[assignment]
            width = max(len(x) for x in rows)
            html_rows = []
            for row in rows:
                cells = "".join(f"<td>{escape('' if v is None else str(v))}</td>" for v in (list(row) + [None] * width)[:width])
                html_rows.append(f"<tr>{cells}</tr>")
            parts.append("<table border=\"1\">" + "".join(html_rows) + "</table>")
    msg = EmailMessage()
    msg["From"] = "Freedom of Information <foi@police.example>"
    msg["To"] = "newsdesk@example.org"
    msg["Subject"] = f"Freedom of Information request {r.ref}"
    msg["Date"] = "Mon, 05 Feb 2024 09:00:00 +0000"
    msg["Message-ID"] = f"<foi-{r.ref.replace('/', '-')}@police.example>"
    msg.set_content("<html><body>" + "\n".join(p for p in parts if p) + "</body></html>", subtype="html")
    path.write_bytes(bytes(msg))


def covered_cells(sheet: Sheet) -> set[tuple[int, int]]:
    """Cells hidden under a merge (every cell of the range except its top-left)."""
    out = set()
    for r0, c0, r1, c1 in sheet.merges:
        out |= {(r, c) for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)} - {(r0, c0)}
    return out


def cell_at(sheet: Sheet, r: int, c: int) -> Cell:
    row = sheet.rows[r]
    return row[c] if c < len(row) else None


def freeze_zip(path: Path) -> None:
    """Rewrite a zip container with fixed timestamps and document dates, so output is reproducible."""
    stamp = FROZEN.strftime("%Y-%m-%dT%H:%M:%S")
    with zipfile.ZipFile(path) as zin:
        items = [(info, zin.read(info.filename)) for info in zin.infolist()]
    with zipfile.ZipFile(path, "w") as zout:
        for info, data in items:
            if info.filename in ("docProps/core.xml", "meta.xml"):
                data = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>" + stamp.encode() + b"Z", data)
                data = re.sub(rb"(<(?:meta:creation-date|dc:date)>)[^<]*", rb"\g<1>" + stamp.encode(), data)
            zi = zipfile.ZipInfo(info.filename, FROZEN.timetuple()[:6])
            zi.compress_type = info.compress_type
            zi.external_attr = 0o644 << 16
            zout.writestr(zi, data)


def write(r: Return) -> list[Sheet]:
    sheets = LAYOUTS[r.layout](r)
    path = OUT / r.file
    ext = path.suffix.lower()
    if ext == ".xlsx":
        write_xlsx(path, sheets)
    elif ext == ".xls":
        write_xls(path, sheets)
    elif ext == ".ods":
        write_ods(path, sheets)
    elif ext == ".csv":
        write_csv(path, sheets, "utf-8-sig" if r.has("bom") else "cp1252" if r.has("cp1252") else "utf-8")
    elif ext == ".pdf":
        write_pdf(path, sheets, ruled=not r.has("unruled"))
    elif ext == ".docx":
        write_docx(path, sheets)
    elif ext == ".eml":
        write_eml(path, sheets, r)
    else:
        raise ValueError(r.file)
    return sheets


# --------------------------------------------------------------------------- checks


def read_back(path: Path, r: Return) -> dict[str, list[list[Cell]]]:
    """The file as a reader sees it: sheet name -> grid of cells (None for empty)."""
    if path.suffix.lower() == ".csv":
        encoding = "utf-8-sig" if r.has("bom") else "cp1252" if r.has("cp1252") else "utf-8"
        raw = path.read_bytes()
        if r.has("bom"):
            assert raw.startswith(b"\xef\xbb\xbf"), path
        if r.has("cp1252"):
            assert b"\x96" in raw, f"{path}: expected a cp1252 en dash"
            try:
                raw.decode("utf-8")
            except UnicodeDecodeError:
                pass
            else:
                raise AssertionError(f"{path} decodes as UTF-8; meant to be Windows-1252")
        with path.open(encoding=encoding, newline="") as fh:
            grid = [[v or None for v in row] for row in csv.reader(fh)]
        return {"Sheet1": grid}
    from python_calamine import CalamineWorkbook

    wb = CalamineWorkbook.from_path(str(path))
    out = {}
    for name in wb.sheet_names:
        grid = []
        for row in wb.get_sheet_by_name(name).to_python(skip_empty_area=False):
            cells: list[Cell] = []
            for v in row:
                if v == "":
                    cells.append(None)
                elif isinstance(v, datetime):
                    cells.append(v.date())
                elif isinstance(v, float) and v.is_integer():
                    cells.append(int(v))
                else:
                    cells.append(v)
            grid.append(cells)
        out[name] = grid
    return out


def trimmed(grid: list[list[Cell]]) -> list[list[Cell]]:
    rows = [list(row) for row in grid]
    for row in rows:
        while row and row[-1] is None:
            row.pop()
    while rows and not rows[-1]:
        rows.pop()
    return rows


def verify(r: Return, sheets: list[Sheet]) -> None:
    """Read the written file back and insist every cell says what the layout meant."""
    path = OUT / r.file
    if path.suffix.lower() in (".pdf", ".docx", ".eml"):
        verify_document(path, r)
        return
    got = read_back(path, r)
    is_csv = path.suffix.lower() == ".csv"
    if not is_csv:
        assert list(got) == [s.name for s in sheets], (path, list(got))
    for sheet in sheets:
        want = trimmed([[str(v) if is_csv and v is not None else v for v in row] for row in sheet.rows])
        have = trimmed(got["Sheet1" if is_csv else sheet.name])
        assert have == want, f"{path} [{sheet.name}] differs:\n{have}\n!=\n{want}"


def verify_document(path: Path, r: Return) -> None:
    """A reply document read back with foistats's own reader: one table holding the three figures."""
    from foistats.intake.read import read_document

    doc = read_document(path)
    cells = [v for sheet in doc.workbook.sheets for row in sheet.rows for v in row if v is not None]
    for v in r.values:
        assert str(v) in cells, f"{path}: {v!r} not found in the tables read back ({cells})"
    for i in range(3):
        assert period(r, i) in cells, f"{path}: period {period(r, i)!r} not read back as one header cell"


def pct(a: int, b: int) -> Fraction:
    return Fraction(b - a, a) * 100


def check_ranking() -> list[tuple[int, str, int, int, Fraction]]:
    """An independent ranking from the table alone: % change 2020/21 -> 2022/23, base >= 10."""
    rows = []
    for r in RETURNS:
        a, _, b = r.values
        if r.status == "ok" and isinstance(a, int) and isinstance(b, int) and a >= 10:
            rows.append((r.force, a, b, pct(a, b)))
    rows.sort(key=lambda x: (-x[3], x[0]))
    ranked = []
    for force, a, b, p in rows:
        rank = 1 + sum(1 for other in rows if other[3] > p)  # competition ranking (1, 2, 2, 4)
        ranked.append((rank, force, a, b, p))
    by_force = {x[1]: x for x in ranked}
    assert len(RETURNS) == 45 and len({r.file for r in RETURNS}) == 45
    assert len(ranked) == 38, len(ranked)
    assert by_force["Greater Manchester Police"][0] == 1 and by_force["Greater Manchester Police"][4] == 2700
    assert by_force["Leicestershire Police"][0] == 9
    assert by_force["Leicestershire Police"][4] == Fraction(3100, 7)  # 442.857...%
    leics = by_force["Leicestershire Police"][4]
    between = [x for x in ranked if leics < x[4] < 2700]
    assert len(between) == 7, between
    percents = [x[4] for x in ranked]
    ties = {p for p in percents if percents.count(p) > 1}
    assert ties == {Fraction(100)} and percents.count(Fraction(100)) == 2, ties
    assert sum(1 for p in percents if p < 0) >= 3
    # Nobody else shares a published figure, so "28", "48", "152", "20", "560" each point at one force.
    published = {28, 48, 152, 20, 560}
    for r in RETURNS:
        if r.force not in ("Leicestershire Police", "Greater Manchester Police"):
            assert not published & {v for v in r.values if isinstance(v, int)}, r.force
    # Cumbria would rank high on % if the base rule did not exclude it.
    cumbria = next(r for r in RETURNS if r.force == "Cumbria Constabulary")
    assert cumbria.values[0] < 10 and pct(cumbria.values[0], cumbria.values[2]) > leics
    return ranked


def check_coverage() -> None:
    """The brief's counts: formats, monthly files, statuses, force-less file names."""
    exts = [Path(r.file).suffix for r in RETURNS]
    assert exts.count(".xls") >= 4 and exts.count(".ods") >= 4
    assert sum(1 for r in RETURNS if r.has("cp1252")) >= 3 and sum(1 for r in RETURNS if r.has("bom")) >= 2
    monthly = [r for r in RETURNS if r.layout.startswith("monthly") or r.layout == "sheet_per_year"]
    assert sum(1 for r in monthly if r.status == "ok") >= 5
    statuses = sorted(r.status for r in RETURNS if r.status != "ok")
    assert statuses == ["misaligned", "misaligned", "nil", "partial", "refused", "suppressed"], statuses
    answered = {r.force for r in RETURNS}
    assert answered | set(OUTSTANDING) == set(TERRITORIAL) | set(OTHER_BODIES)
    assert len(set(TERRITORIAL) | set(OTHER_BODIES)) == 48
    campaign = OUT / "foistats.toml"
    if campaign.exists():  # the campaign file's recipients must be exactly the answered + outstanding bodies
        import tomllib

        sent_to = tomllib.loads(campaign.read_text(encoding="utf-8"))["request"]["forces"]
        assert sorted(sent_to) == sorted(answered | set(OUTSTANDING)), set(sent_to) ^ (answered | set(OUTSTANDING))
    ny = next(r for r in RETURNS if r.force == "North Yorkshire Police")
    assert 2 <= len(suppressed_months(ny)) <= 4, suppressed_months(ny)
    # The force's "<3" rule must look consistently applied: no month outside 2021/22 is below 3.
    assert all(n >= 3 for d, n in months(ny) if not date(2021, 6, 1) <= d <= date(2022, 5, 1))


# --------------------------------------------------------------------------- expected figures


def status_note(r: Return) -> str:
    """Machine-readable keyword, a colon, then the reason in words (tests key on the keyword)."""
    a, b, c = r.values
    if r.status == "refused":
        return "refused: section 12 cost limit; refusal letter only, no table"
    if r.status == "nil":
        return "nil: 'Nil' in every year cell (no information held)"
    if r.status == "misaligned" and r.layout == "financial":
        return "misaligned: financial years April-March (2020/21 = Apr 2020-Mar 2021)"
    if r.status == "misaligned":
        return "misaligned: calendar years 2020, 2021, 2022"
    if r.status == "suppressed":
        return f"suppressed: 2020/21 is '{a}' (between 1 and 4); change not computable"
    if r.status == "partial":
        until = r.flag("until") or ""
        part = sum(int(n) for d, n in months(r) if date(2022, 6, 1) <= d <= date(int(until[:4]), int(until[5:]), 1))
        return f"partial: months June 2020 to January 2023 only; 2022/23 has 8 of 12 months (sum {part})"
    if isinstance(a, int) and a < 10:
        return f"small_base: 2020/21 base {a} is below 10 (would be {float(pct(a, int(c))):+.1f}%)"
    if r.has("star"):
        starred = suppressed_months(r)
        known = sum(int(n) for d, n in months(r) if date(2021, 6, 1) <= d <= date(2022, 5, 1) and d not in starred)
        return (f"ok: 2021/22 has {len(starred)} months shown as '*' (fewer than 3); known months sum to "
                f"{known}, so 2021/22 is between {known} and {known + 2 * len(starred)}")
    if r.flag("total") == "wrong":
        years = sum(int(v) for v in r.values)
        return f"ok: printed Total {years + 10} is wrong (the years sum to {years})"
    if r.has("textnums"):
        return "ok: counts stored as text"
    return "ok"


def expected_rows() -> list[dict[str, str]]:
    rows = []
    for r in sorted(RETURNS, key=lambda x: x.force):
        vals = ["" if not isinstance(v, int) else str(v) for v in r.values]
        if r.has("star"):
            vals[1] = ""
        if r.status == "partial":
            vals[2] = ""
        rows.append(dict(zip(EXPECTED_COLUMNS, [r.force, *vals, status_note(r)])))
    for force in OUTSTANDING:
        rows.append(dict(zip(EXPECTED_COLUMNS, [force, "", "", "", "outstanding: no reply yet (no file)"])))
    return rows


def readme_table() -> str:
    lines = ["| Force | File | Layout | Figures | Rankable? |", "|---|---|---|---|---|"]
    for r in sorted(RETURNS, key=lambda x: x.force):
        layout = LAYOUT_DESCRIPTIONS[r.layout]
        extras = []
        if r.flag("months"):
            extras.append({"iso": 'months "2020-06"', "mon-yy": 'months "Jun-20"', "month-yyyy": 'months "June 2020"',
                           "date": "months as date cells (mmm-yy)"}[r.flag("months") or ""])
        if r.flag("total") == "wrong":
            extras.append("**printed Total wrong**")
        elif r.has("total"):
            extras.append("Total")
        if r.has("textnums"):
            extras.append("numbers stored as text")
        if r.has("star"):
            extras.append("'*' in two 2021/22 months, key \"* = fewer than 3\"")
        if r.flag("key") == "lt5":
            extras.append("key \"<5 = between 1 and 4\"")
        if r.flag("until"):
            extras.append("stops at January 2023")
        if r.flag("titles") == "0":
            extras.append("no title row")
        if r.flag("subtitle"):
            extras.append(f'bilingual title "{r.title} / {(r.flag("subtitle") or "").replace("_", " ")}"')
        if r.has("footnote"):
            extras.append("footnote marker on a label")
        if r.has("notescol"):
            extras.append("Notes column")
        if r.has("cp1252"):
            extras.append("Windows-1252")
        if r.has("bom"):
            extras.append("UTF-8 with BOM")
        if r.title != r.force:
            extras.append(f'named "{r.title}"')
        if r.layout == "refusal":
            figures = "—"
        elif r.layout == "monthly_long" and r.has("star"):
            figures = f"{r.values[0]}, (range), {r.values[2]}"
        elif r.status == "partial":
            figures = f"{r.values[0]}, {r.values[1]}, (8 months)"
        else:
            figures = ", ".join(str(v) for v in r.values)
        note = status_note(r)
        keyword, _, why = note.partition(": ")
        rank = "yes" if keyword == "ok" else f"no — {keyword}: {why}"
        described = f"{layout}; {', '.join(extras)}" if extras else layout
        lines.append(f"| {r.force} | `{r.file}` | {described} | {figures} | {rank} |")
    for force in OUTSTANDING:
        lines.append(f"| {force} | (none) | not answered yet | — | no — outstanding |")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    check_coverage()
    ranked = check_ranking()
    OUT.mkdir(parents=True, exist_ok=True)
    for old in OUT.iterdir():
        if old.is_file() and old.suffix.lower() in (".xlsx", ".xls", ".ods", ".csv", ".pdf", ".docx", ".eml"):
            old.unlink()
    for r in RETURNS:
        sheets = write(r)
        verify(r, sheets)
    EXPECTED.parent.mkdir(parents=True, exist_ok=True)
    with EXPECTED.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(EXPECTED_COLUMNS), lineterminator="\n")
        writer.writeheader()
        writer.writerows(expected_rows())
    print(f"wrote {len(RETURNS)} files to {OUT} and {EXPECTED}; all read back as intended")
    print("Ranking by % change, June 2020–May 2021 to June 2022–May 2023 (base >= 10):")
    for rank, force, a, b, p in ranked:
        print(f"  {rank:>2}  {force:<42} {a:>5} -> {b:>5}  {float(p):+9.3f}%")
    if "--table" in argv:
        print()
        print(readme_table())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
