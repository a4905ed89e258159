"""Web pages (a force's disclosure log, an HTML e-mail body, a table saved as .htm).

Parsed with lxml (BSD) with the network off; each <table> becomes a grid, with colspan
and rowspan spread so every cell keeps its (row, column) place. A table's title is its
<caption>, else the heading or short paragraph just above it. The page's text outside
tables is the letter.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from foistats.model.errors import InputError

MAX_HTML = 50 * 1024 * 1024
MAX_SPAN = 1000
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
    try:
        for table in root.xpath("//table"):
            if table.xpath("ancestor::table"):
                continue  # a table inside a layout table is reached through its own cells below
            grids.extend(_tables(table, budget))
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
    return grids_to_document(path, kind, grids, text, Document)


def _tables(table: Any, budget: list[int] | None = None) -> list[tuple[str | None, list[list[Any]]]]:
    """The table (and any data tables nested in it, when it is only a layout table)."""
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
            colspan = _span(cell.get("colspan"))
            rowspan = _span(cell.get("rowspan"))
            if budget is not None:
                budget[0] -= colspan * rowspan
                if budget[0] < 0:
                    raise _TooBig
            row.append(text)
            for k in range(1, colspan):
                row.append(None)
            for dr in range(1, rowspan):
                for k in range(colspan):
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
        out.extend(_tables(t, budget))
    return out


def _closest_table(el: Any) -> Any:
    node = el
    while node is not None:
        if isinstance(node.tag, str) and node.tag.lower() == "table":
            return node
        node = node.getparent()
    return None


def _span(value: str | None) -> int:
    try:
        return max(1, min(MAX_SPAN, int(str(value).strip())))
    except (TypeError, ValueError):
        return 1


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
