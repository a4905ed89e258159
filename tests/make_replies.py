"""Reply documents made for the tests: PDF letters (reportlab), Word (python-docx), e-mails, zips.

Each maker draws what real replies do — ruled and unruled tables, a table continued over
pages with and without its header, a running letterhead, labels wrapped over two lines,
"Grand / Total" split over two lines, a summary table followed by a list of records — so
the tests exercise the geometry, not a layout made to pass.
"""

from __future__ import annotations

import io
import zipfile
from email.message import EmailMessage
from pathlib import Path
from typing import Sequence

A4 = (595.0, 842.0)


def _canvas(path: Path):
    from reportlab.pdfgen import canvas

    return canvas.Canvas(str(path), pagesize=A4)


def letter_lines(c, lines: Sequence[str], y: float = 800, x: float = 60, size: float = 10) -> float:
    c.setFont("Helvetica", size)
    for line in lines:
        c.drawString(x, y, line)
        y -= size * 1.4
    return y


def ruled_table(c, top: float, header: Sequence[Sequence[str]], rows: Sequence[Sequence[str]], widths: Sequence[float], x: float = 60, row_h: float = 16, size: float = 9) -> float:
    """Draw a ruled table; a cell may hold several lines ("Chester-le-Street\\nHospital")."""
    c.setFont("Helvetica", size)
    y = top
    all_rows = list(header) + list(rows)
    right = x + sum(widths)
    c.line(x, y, right, y)
    for row in all_rows:
        lines = max(len(str(v).split("\n")) for v in row)
        h = row_h * lines
        cx = x
        for v, w in zip(row, widths):
            parts = str(v).split("\n")
            for k, part in enumerate(parts):
                ty = y - 11 - k * row_h
                if part and (part[0].isdigit() or part in ("-", "*")):
                    c.drawRightString(cx + w - 4, ty, part)
                else:
                    c.drawString(cx + 4, ty, part)
            cx += w
        y -= h
        c.line(x, y, right, y)
    cx = x
    for w in [0, *widths]:
        cx += w
        c.line(cx, top, cx, y)
    return y


def unruled_table(c, top: float, header: Sequence[str], rows: Sequence[Sequence[str]], xs: Sequence[float], size: float = 10) -> float:
    c.setFont("Helvetica-Bold", size)
    y = top
    for v, x in zip(header, xs):
        c.drawString(x, y, v)
    c.setFont("Helvetica", size)
    for row in rows:
        y -= size * 1.5
        for k, (v, x) in enumerate(zip(row, xs)):
            if k == 0:
                c.drawString(x, y, v)
            else:
                c.drawRightString(x + 40, y, v)
    return y


def ruled_reply(path: Path, force: str = "Kent Police", total: str = "Total") -> Path:
    """A letter and a ruled table with a wrapped label and a split "Grand / Total" header."""
    c = _canvas(path)
    y = letter_lines(c, [
        force, "Freedom of Information Unit", "Our ref: 01/FOI/25/006753/Z", "Date: 15 October 2025", "",
        "Dear Requester,", "Please find below the information you requested about crimes on hospital grounds.", "",
        "Crimes by Hospital",
    ])
    ruled_table(
        c, y - 6,
        [["Hospital", "2019/20", "2020/21", "Grand\nTotal"]],
        [["General Hospital", "12", "15", "27"], ["Chester-le-Street Community\nHospital", "-", "3", "3"], ["Royal Infirmary", "40", "38", "78"], [total, "52", "56", "108"]],
        [200, 70, 70, 70],
    )
    c.showPage()
    letter_lines(c, ["If you are dissatisfied you may ask for an internal review within 40 working days."])
    c.save()
    return path


def unruled_reply(path: Path, force: str = "Surrey Police") -> Path:
    c = _canvas(path)
    y = letter_lines(c, [f"{force}", "FOI 1306/25", "3 March 2025", "", "Dear Sir,", "I can confirm the information is provided in the table below.", "", "Arrests by year"])
    unruled_table(c, y - 8, ["Offence", "2021", "2022", "2023"], [["Burglary", "10", "12", "9"], ["Robbery", "4", "-", "7"], ["Theft", "101", "99", "120"]], [60, 250, 330, 410])
    c.save()
    return path


def continued_reply(path: Path, force: str = "Essex Police", repeat_header: bool = True) -> Path:
    """A table over three pages under a running letterhead: header repeated on page 2 (if asked), absent on page 3; columns shift."""
    c = _canvas(path)
    n = 0
    widths = [[200, 80, 80], [190, 90, 90], [210, 75, 75]]
    for page in range(3):
        letter_lines(c, [f"{force} - Freedom of Information", "OFFICIAL"], y=815, size=8)
        y = 780
        if page == 0:
            y = letter_lines(c, ["Our ref: ESX-2025-101", "Date: 1 June 2025", "Dear Sir,", "Please find attached the figures you asked for.", "", "Stops by station"], y=y)
        header = [["Station", "2022/23", "2023/24"]] if page == 0 or (page == 1 and repeat_header) else []
        rows = []
        for _ in range(12):
            n += 1
            rows.append([f"Station {n:02d}", str(n), str(2 * n)])
        ruled_table(c, y - 4, header, rows, widths[page], x=60 + 5 * page)
        c.showPage()
    c.save()
    return path


def records_reply(path: Path, force: str = "Hertfordshire Constabulary", wrong: bool = False, crosstab: bool = False) -> Path:
    """A spreadsheet printed to PDF: a summary table, then a numbered list of records over pages."""
    import itertools

    years = ["2019/2020", "2020/2021"]
    types = ["VIOLENCE AGAINST THE PERSON", "THEFT OFFENCES", "PUBLIC ORDER OFFENCES"]
    records = [(y, t) for y, t in itertools.product(years, types) for _ in range(15)]
    per_year = {y: sum(1 for r in records if r[0] == y) for y in years}
    c = _canvas(path)
    y = letter_lines(c, [force, "Reported Crimes Committed on Hospital Grounds", "", "Total No. of Crimes"], size=11)
    if crosstab:
        cross = [[t] + [str(sum(1 for r in records if r == (yy, t)) + (2 if wrong and t == types[1] and yy == years[1] else 0)) for yy in years] for t in types]
        y = ruled_table(c, y - 4, [["Crime Type", *years]], cross, [200, 80, 80])
    else:
        summary = [[yy, str(per_year[yy] + (1 if wrong and yy == years[0] else 0))] for yy in years]
        summary.append(["Grand Total", str(len(records) + (1 if wrong else 0))])
        y = ruled_table(c, y - 4, [["Financial Year", "Total"]], summary, [120, 60])
    y = letter_lines(c, ["Crime Nature Breakdown"], y=y - 20)
    k = 0
    first = True
    while k < len(records):
        take = 30 if first else 45
        chunk = records[k : k + take]
        rows = [[str(k + i + 1), yy, t] for i, (yy, t) in enumerate(chunk)]
        ruled_table(c, y - 4, [["No.", "Financial Year", "Crime Type"]] if first else [], rows, [40, 90, 220] if first else [50, 95, 230])
        k += take
        first = False
        c.showPage()
        y = 800
    c.save()
    return path


def letter_only(path: Path, body: Sequence[str], force: str = "Cheshire Constabulary") -> Path:
    c = _canvas(path)
    letter_lines(c, [force, "Freedom of Information", *body])
    c.save()
    return path


def scanned(path: Path) -> Path:
    """A page with drawings and no text layer, as a scan is."""
    c = _canvas(path)
    for i in range(40):
        c.rect(50 + i * 5, 700 - i * 10, 200, 5, fill=1)
    c.save()
    return path


def docx_reply(path: Path, force: str = "Norfolk Constabulary") -> Path:
    import docx

    d = docx.Document()
    d.add_paragraph(force)
    d.add_paragraph("Reference: FOI-2024-0555")
    d.add_paragraph("Date: 4 April 2024")
    d.add_paragraph("Dear Requester, please find the information below.")
    d.add_paragraph("Sextortion reports")
    t = d.add_table(rows=3, cols=3)
    for r, row in enumerate([["Year", "2022", "2023"], ["Reports", "41", "57"], ["Arrests", "3", "5"]]):
        for cidx, v in enumerate(row):
            t.cell(r, cidx).text = v
    d.add_paragraph("Yours sincerely")
    d.save(str(path))
    return path


def xlsx_bytes(force: str = "Suffolk Constabulary") -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append([f"{force} sextortion reports"])
    ws.append(["Year", "Reports"])
    ws.append(["2022", 12])
    ws.append(["2023", 19])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def eml_reply(path: Path, attachments: dict[str, bytes] | None = None, html_table: bool = True, body: str | None = None) -> Path:
    msg = EmailMessage()
    msg["From"] = "foi@police.example"
    msg["To"] = "someone@example.org"
    msg["Subject"] = "Your FOI request 2024-0140"
    msg["Date"] = "Fri, 29 May 2015 18:21:28 +0100"
    text = body or "Dear Requester,\nOur ref: 2024-0140\nPlease find attached the information you requested.\nSuffolk Constabulary"
    msg.set_content(text)
    if html_table:
        msg.add_alternative(
            "<html><body><p>Dear Requester,</p><p>Our ref: 2024-0140</p><p>Suffolk Constabulary reports by year</p>"
            "<table><tr><th>Year</th><th>Reports</th></tr><tr><td>2022</td><td>12</td></tr><tr><td>2023</td><td>19</td></tr></table>"
            "<p>Suffolk Constabulary</p></body></html>",
            subtype="html",
        )
    for name, data in (attachments or {}).items():
        maintype, subtype = ("application", "octet-stream")
        msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    path.write_bytes(bytes(msg))
    return path


def zip_of(path: Path, files: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return path


def unruled_wrapped(path: Path, force: str = "Durham Constabulary") -> Path:
    """Unruled, with labels wrapped over two or three lines and centred on their numbers (as Durham's)."""
    c = _canvas(path)
    y = letter_lines(c, [force, "Reference: 1406745", "Date: 15 October 2025", "", "Crime Outcomes Breakdown"])
    c.setFont("Helvetica-Bold", 9)
    y -= 10
    for text, x in (("Crime Outcome", 60), ("2019/20", 300), ("2020/21", 370)):
        c.drawString(x, y, text)
    c.setFont("Helvetica", 9)
    entries = [
        (["Charged or Summonsed"], ["28", "42"]),
        (["Named Suspect Identified -", "Suspect Too Ill to Prosecute"], ["24", "34"]),
        (["Suspect NOT Identified -", "Evidential Difficulties: Victim", "Declines or Unable to Support"], ["4", "3"]),
        (["Cautioned - Youth"], ["-", "-"]),
    ]
    y -= 18
    for labels, nums in entries:
        n = len(labels)
        mid = y - (n - 1) * 11 / 2
        for k, lab in enumerate(labels):
            c.drawString(60, y - k * 11, lab)
        if n == 2:
            mid = y - 5.5
        c.drawRightString(335, mid, nums[0])
        c.drawRightString(405, mid, nums[1])
        y -= n * 11 + 8
    c.save()
    return path


def merged_header_reply(path: Path, force: str = "Cumbria Constabulary") -> Path:
    """A ruled table whose year headers each span two columns (Crimes | Arrests under each year)."""
    c = _canvas(path)
    y = letter_lines(c, [force, "Our ref: 0042/24", "Dear Sir,", "Please find the figures below.", "", "Crimes and arrests"])
    x0, w0, w = 60, 150, 60
    top = y - 6
    rows = [["", "2022", "", "2023", ""], ["Offence", "Crimes", "Arrests", "Crimes", "Arrests"], ["Burglary", "10", "2", "12", "3"], ["Robbery", "5", "1", "7", "2"]]
    xs = [x0, x0 + w0] + [x0 + w0 + w * k for k in range(1, 5)]
    c.setFont("Helvetica", 9)
    for i, row in enumerate(rows):
        ty = top - 16 * i - 11
        for k, v in enumerate(row):
            if not v:
                continue
            if i == 0:
                c.drawCentredString((xs[k] + xs[k + 2]) / 2, ty, v)  # centred over its two columns
            elif k == 0:
                c.drawString(xs[0] + 4, ty, v)
            else:
                c.drawRightString(xs[k + 1] - 4, ty, v)
    bottom = top - 16 * len(rows)
    for i in range(len(rows) + 1):
        c.line(xs[0], top - 16 * i, xs[-1], top - 16 * i)
    for k, x in enumerate(xs):
        if k in (2, 4):  # no rule between Crimes and Arrests in the year row
            c.line(x, top - 16, x, bottom)
        else:
            c.line(x, top, x, bottom)
    c.save()
    return path


def boxed_reply(path: Path, force: str = "Dorset Police") -> Path:
    """A table in a box with one rule under the header and none between its rows."""
    c = _canvas(path)
    y = letter_lines(c, [force, "Reference: 2024-0210", "Dear Sir,", "Please find below the information you requested.", "", "Reports by year"])
    top = y - 6
    xs = [60, 260, 330, 400]
    rows = [["Category", "2021", "2022"], ["Online", "14", "19"], ["In person", "6", "4"], ["Unknown", "1", "-"]]
    c.setFont("Helvetica", 9)
    for i, row in enumerate(rows):
        ty = top - 14 * i - 11
        for k, v in enumerate(row):
            if k == 0:
                c.drawString(xs[0] + 4, ty, v)
            else:
                c.drawRightString(xs[k + 1] - 4, ty, v)
    bottom = top - 14 * len(rows) - 4
    c.rect(xs[0], bottom, xs[-1] - xs[0], top - bottom)
    c.line(xs[0], top - 14, xs[-1], top - 14)
    for x in xs[1:-1]:
        c.line(x, top, x, bottom)
    c.save()
    return path


def dated_records_reply(path: Path, force: str = "Kent Police", numeric_ids: bool = False) -> Path:
    """A list of crimes with a reference, a date and an offence, no row numbers, over two pages."""
    from datetime import date, timedelta

    offences = ["Assault", "Theft", "Criminal damage"]
    start = date(2023, 4, 1)
    records = []
    for i in range(60):
        d = start + timedelta(days=i * 3)
        ref = str(4_100_000 + i * 37) if numeric_ids else f"46/{1000 + i * 7}/23"
        records.append([ref, d.strftime("%d/%m/%Y"), offences[i % 3]])
    c = _canvas(path)
    y = letter_lines(c, [force, "Our ref: KP-2024-77", "Dear Sir,", "Please find attached a list of the crimes.", "", "Crimes recorded"])
    ruled_table(c, y - 4, [["Crime Reference", "Date", "Offence"]], records[:35], [120, 90, 150])
    c.showPage()
    ruled_table(c, 800, [], records[35:], [120, 90, 150])
    c.save()
    return path


def rotated_reply(path: Path, rotation: int = 90, force: str = "Kent Police") -> Path:
    """A landscape page stored portrait with /Rotate (as some printers write it); upright on screen."""
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), pagesize=A4)
    c.setPageRotation(rotation)
    w, h = A4
    if rotation == 90:
        c.translate(w, 0)
        c.rotate(90)
    elif rotation == 270:
        c.translate(0, h)
        c.rotate(-90)
    top = 560.0
    y = letter_lines(c, [force, "Dear Sir,", "Please find below the information you requested.", "", "Crimes by Hospital"], y=top)
    ruled_table(c, y - 6, [["Hospital", "2019/20", "2020/21"]], [["General Hospital", "12", "15"], ["Royal Infirmary", "40", "38"]], [300, 90, 90])
    c.save()
    return path


def unruled_records_reply(path: Path, force: str = "Cleveland Police") -> Path:
    """A list of crimes as aligned text, no rules and no numbers, continued on a second page."""
    years = ["2019/20", "2020/21"]
    types = ["Theft", "Violence against the person", "Criminal damage"]
    outcomes = ["No further action", "Charged", "Community resolution"]
    records = [(years[i % 2], types[i % 3], outcomes[i % 3 if i % 4 else 1]) for i in range(50)]
    c = _canvas(path)
    y = letter_lines(c, [force, "Our ref: CLE-2024-9", "Dear Sir,", "Please find below the information you requested.", "", "Crimes at hospitals"])
    xs = [60, 150, 330]
    c.setFont("Helvetica-Bold", 9)
    y -= 10
    for x, v in zip(xs, ["Year", "Crime type", "Outcome"]):
        c.drawString(x, y, v)
    c.setFont("Helvetica", 9)
    for k, rec in enumerate(records):
        if k == 30:
            c.showPage()
            c.setFont("Helvetica", 9)
            y = 800
        y -= 12
        for x, v in zip(xs, rec):
            c.drawString(x, y, v)
    c.save()
    return path
