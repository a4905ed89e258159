"""Web pages (a force's disclosure log, an HTML e-mail body, a table saved as .htm).

Parsed with lxml (BSD) with the network off; each <table> becomes a grid, with colspan
and rowspan spread so every cell keeps its (row, column) place. A table's title is its
<caption>, else the heading or short paragraph just above it. The page's text outside
tables is the letter.

Spanned cells are laid out the way the Word reader lays out merged cells (python-docx
repeats a vertically merged cell in every row it covers and a horizontal merge is read
once): a label with rowspan is repeated in each row it covers, so "Chelmsford" over its
Male and Female rows names both, rather than leaving the second row without an area
(which would fall back to the letterhead force: a district's figure filed as the
force's). A colspan leaves its copies empty; detection fills a spanning header
("2022" over Male and Female) from the left. A *figure* spanning rows or columns is
never copied (that would count it twice); it stays at its first cell and the reader
warns, since it is one number for several rows or columns.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from foistats.model.errors import InputError

MAX_HTML = 50 * 1024 * 1024
MAX_SPAN = 1000  # colspan: the HTML limit
MAX_ROWSPAN = 65534  # the HTML limit; a rowspan is also clamped to the rows the table has
# A bare count, amount or percentage ("1,234", "12.5%"): repeated into the rows or columns it
# spans it would be counted once per copy, so it is left at its first cell.
_FIGURE = re.compile(r"[-+]?(?:\d[\d,]*)?\.?\d+\s*%?")
_YEAR = re.compile(r"(?:19|20)\d\d")
MAX_CELLS = 2_000_000  # colspan/rowspan can multiply a small page into billions of cells


class _TooBig(ValueError):
    pass


def read_html_document(path: Path) -> Any:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read the file ({exc.strerror or exc})", path=path) from None
    return html_document(path, data, "html")


def html_document(path: Path, data: bytes, kind: str) -> Any:
    from foistats.intake.readers.document import Document
    from foistats.intake.readers.tables import grids_to_document

    if len(data) > MAX_HTML:
        raise InputError(f"the web page is too large to read ({len(data) // 1_000_000} MB)", path=path)
    try:
        import lxml.html
        from lxml import etree
    except ImportError:  # pragma: no cover - a declared dependency
        raise InputError("reading web pages needs lxml (pip install lxml)", path=path) from None
    parser = lxml.html.HTMLParser(no_network=True, remove_comments=True, remove_pis=True, huge_tree=False)
    try:
        root = lxml.html.document_fromstring(data, parser=parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        raise InputError("the web page is empty or cannot be parsed", path=path) from None
    for bad in root.xpath("//script|//style|//noscript|//template"):
        bad.drop_tree()
    grids = []
    budget = [MAX_CELLS]
    spans: list[str] = []
    try:
        for table in root.xpath("//table"):
            if table.xpath("ancestor::table"):
                continue  # a table inside a layout table is reached through its own cells below
            grids.extend(_tables(table, budget, spans))
    except _TooBig:
        raise InputError(f"refusing to read: the page's tables would spread to more than {MAX_CELLS:,} cells (colspan/rowspan)", path=path) from None
    import copy

    letter = copy.deepcopy(root)
    for t in letter.xpath("//table"):
        if t.getparent() is not None and not t.xpath("ancestor::table"):
            # Keep the words of layout tables (letters laid out in a table), drop data tables.
            if any(g for g in _tables(t) if any(_has_digit(v) for row in g[1] for v in row[1:])):
                t.drop_tree()
    for el in letter.iter("br", "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "tr", "td", "th", "table"):
        el.tail = "\n" + (el.tail or "")
    text = "\n".join(line.strip() for line in letter.text_content().splitlines() if line.strip())
    document = grids_to_document(path, kind, grids, text, Document)
    for figure in dict.fromkeys(spans):
        # One number over several rows or columns: read once, at its first cell, which the
        # table's labels may not describe (a total for Male and Female filed as Male's).
        document.warnings.append(
            f"a figure ({figure}) spans several rows or columns of a table; it is read once, at its first cell — check which rows or columns it covers"
        )
    return document


def _tables(
    table: Any, budget: list[int] | None = None, spans: list[str] | None = None
) -> list[tuple[str | None, list[list[Any]]]]:
    """The table (and any data tables nested in it, when it is only a layout table).

    A rowspan copies its label into the rows below it (as a merged Word cell is read), so
    every body row carries its own labels; a figure that spans is not copied and is named
    in `spans` so the caller can warn. A rowspan is clamped to the rows the table has (as
    browsers do), so rowspan=100000 on a three-row table costs three cells, not 100,000.
    """
    rows_el = [tr for tr in table.xpath(".//tr") if _closest_table(tr) is table]
    grid: list[list[Any]] = []
    pending: dict[tuple[int, int], Any] = {}
    for r, tr in enumerate(rows_el):
        row: list[Any] = []
        c = 0
        for cell in tr:
            if not isinstance(cell.tag, str) or cell.tag.lower() not in ("td", "th"):
                continue
            while (r, c) in pending:
                row.append(pending.pop((r, c)))
                c += 1
            text = " ".join(cell.text_content().split()) or None
            if cell.xpath(".//table"):
                text = None  # a layout cell holding a table: the nested table is read on its own
            left = len(rows_el) - r  # rows from this one to the table's end
            colspan = _span(cell.get("colspan"), MAX_SPAN, None)
            rowspan = min(left, _span(cell.get("rowspan"), MAX_ROWSPAN, left))
            if budget is not None:
                budget[0] -= colspan * rowspan
                if budget[0] < 0:
                    raise _TooBig
            figure = _is_figure(text)
            if figure and (rowspan > 1 or colspan > 1) and spans is not None:
                spans.append(text)
            row.append(text)
            for k in range(1, colspan):
                row.append(None)
            below = None if figure else text  # what the rows under it read
            for dr in range(1, rowspan):
                pending[(r + dr, c)] = below
                for k in range(1, colspan):
                    pending[(r + dr, c + k)] = None
            c += colspan
        while (r, c) in pending:
            row.append(pending.pop((r, c)))
            c += 1
        grid.append(row)
    out = []
    if grid:
        out.append((_title(table), grid))
    nested = [t for t in table.xpath(".//table") if _closest_table(t.getparent()) is table]
    for t in nested:
        out.extend(_tables(t, budget, spans))
    return out


def _is_figure(text: str | None) -> bool:
    """A number that would be double-counted if copied into every row or column it spans.

    A year ("2022" over Male and Female, or down a column of months) is a label, not a
    figure: copying it is harmless and it must not raise a warning.
    """
    return bool(text and _FIGURE.fullmatch(text) and not _YEAR.fullmatch(text))


def _closest_table(el: Any) -> Any:
    node = el
    while node is not None:
        if isinstance(node.tag, str) and node.tag.lower() == "table":
            return node
        node = node.getparent()
    return None


def _span(value: str | None, limit: int, zero: int | None) -> int:
    """A colspan or rowspan as a count of cells, between 1 and `limit`.

    Junk, negatives and huge numbers never raise: a hostile page gets a bounded span.
    `zero` is what span=0 means (HTML: a rowspan of 0 runs to the table's end); None
    reads it as 1.
    """
    try:
        n = int(str(value).strip())
    except (TypeError, ValueError):
        return 1
    if n == 0 and zero is not None:
        return max(1, min(limit, zero))
    return max(1, min(limit, n))


def _title(table: Any) -> str | None:
    cap = table.find("caption")
    if cap is not None:
        text = " ".join(cap.text_content().split())
        if text:
            return text[:150]
    prev = table.getprevious()
    hops = 0
    while prev is not None and hops < 3:
        if isinstance(prev.tag, str):
            text = " ".join(prev.text_content().split())
            if text:
                return text if len(text) <= 150 else None
        prev = prev.getprevious()
        hops += 1
    return None


def _has_digit(v: Any) -> bool:
    return isinstance(v, str) and any(ch.isdigit() for ch in v)
