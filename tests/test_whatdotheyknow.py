"""A WhatDoTheyKnow batch export becomes a campaign whose `status` matches the site's statuses.

The export is built here in WhatDoTheyKnow's layout: `download.csv` (request_url,
authority_name, number_of_replies, request_status) and a zip of
`<Authority name> - <url_title>/<YYYY-MM-DD-HHMMSS>/incoming_<id>.txt` (or outgoing_)
with each reply's attachments beside its email. The batch went on Mon 8 Jan 2024; the
export was downloaded on Tue 20 Feb 2024, the day `status` is judged on.
"""

from __future__ import annotations

import csv
import io
import subprocess
import sys
import zipfile
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from foistats.campaign.file import load_campaign
from foistats.campaign.whatdotheyknow import STATUSES, reply_outcome
from foistats.cli.app import app
from foistats.model.forces import registry

runner = CliRunner(env={"COLUMNS": "200", "NO_COLOR": "1"})
SITE = "https://www.whatdotheyknow.com/request/"
REQUEST = (
    "Dear {name},\n\nPlease provide the number of reports of sextortion where the victim was under 18, "
    "for each of the years June 2020 – May 2021, June 2021 – May 2022 and June 2022 – May 2023.\n\nYours faithfully,\nA Journalist"
)
ACK = "Thank you for your email. We have received your request and will respond within 20 working days."


def installed() -> list[str]:
    """The installed console script: beside this interpreter (a venv), else on PATH."""
    import shutil

    beside = Path(sys.executable).with_name("foistats")
    exe = str(beside) if beside.exists() else shutil.which("foistats")
    assert exe, "the foistats console script is not installed"
    return [exe]


def run(*args: object):
    return runner.invoke(app, [str(a) for a in args])


def canonical(name: str) -> str:
    area = registry().by_wdtk_slug(name) or registry().resolve(name).area
    return area.name


def rows_of(result) -> dict[str, dict[str, str]]:
    return {r["force"]: r for r in csv.DictReader(io.StringIO(result.stdout))}


def _made(maker, name: str, *args, **kwargs) -> bytes:
    """A real reply document (PDF letter, Word reply) made by tests/make_replies.py, as bytes."""
    import tempfile

    import make_replies

    with tempfile.TemporaryDirectory() as tmp:
        return maker(Path(tmp) / name, *args, **kwargs).read_bytes()


def refusal_letter_pdf() -> bytes:
    import make_replies

    return _made(
        make_replies.letter_only, "letter.pdf",
        ["Our ref: FOI 044/24", "2 February 2024",
         "To locate this information would exceed the appropriate limit under section 12 of the Freedom of",
         "Information Act 2000, so your request is refused."],
        force="Hampshire and Isle of Wight Constabulary",
    )


def partial_reply_docx() -> bytes:
    import make_replies

    return _made(make_replies.docx_reply, "reply.docx", force="Surrey Police")


def xlsx_reply() -> bytes:
    """A reply spreadsheet that does not name its force (the recipe does)."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Response"
    ws.append(["Under-18 sextortion reports"])
    ws.append([])
    ws.append(["Period", "Number of reports"])
    ws.append(["01/06/2020 - 31/05/2021", 12])
    ws.append(["01/06/2021 - 31/05/2022", 30])
    ws.append(["01/06/2022 - 31/05/2023", 61])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


CSV_REPLY = (
    "Period,Number of reports\n01/06/2020 - 31/05/2021,4\n01/06/2021 - 31/05/2022,9\n01/06/2022 - 31/05/2023,15\n"
).encode()

# (authority as named in download.csv, folder name, url_title, request_status, number_of_replies,
#  thread: [(stamp, direction, text, {attachment: bytes})], foistats status expected on 20 Feb 2024)
BATCH = [
    ("Kent Police", "Kent Police", "under_18_sextortion_reports_23", "Successful", 2, [
        ("2024-01-08-101500", "outgoing", REQUEST, {}),
        ("2024-01-08-101702", "incoming", ACK, {}),
        ("2024-02-01-093000", "incoming", "Please find attached our response to your request.",
         {"FOI 2024-0123 response.xlsx": xlsx_reply()}),
    ], "answered"),
    # Matched by its WhatDoTheyKnow slug, which outlived the force's rename.
    ("hampshire_police", "Hampshire Police", "under_18_sextortion_reports_17", "Refused", 1, [
        ("2024-01-08-101500", "outgoing", REQUEST, {}),
        ("2024-02-02-142210", "incoming",
         "To locate this information would exceed the appropriate limit under section 12 of the Freedom of "
         "Information Act 2000. If you are dissatisfied you may ask for an internal review.",
         {"Response letter 044-24.pdf": refusal_letter_pdf()}),
    ], "refused"),
    ("Essex Police", "Essex Police", "under_18_sextortion_reports_12", "Information not held", 1, [
        ("2024-01-08-101500", "outgoing", REQUEST, {}),
        ("2024-01-29-090000", "incoming", "Essex Police does not hold the information you requested.", {}),
    ], "no data held"),
    ("Surrey Police", "Surrey Police", "under_18_sextortion_reports_31", "Partially successful", 1, [
        ("2024-01-08-101500", "outgoing", REQUEST, {}),
        ("2024-02-05-160000", "incoming", "We can provide some of the information; please see the attached letter.",
         {"FOI 812-24 reply.docx": partial_reply_docx()}),
    ], "partial"),
    # Sent a month later than the rest: still within time on 20 Feb (due 4 Mar).
    ("Sussex Police", "Sussex Police", "under_18_sextortion_reports_32", "Awaiting response", 1, [
        ("2024-02-05-110000", "outgoing", REQUEST, {}),
        ("2024-02-05-110500", "incoming", ACK, {}),
    ], "outstanding"),
    ("Thames Valley Police", "Thames Valley Police", "under_18_sextortion_reports_33", "Delayed", 1, [
        ("2024-01-08-101500", "outgoing", REQUEST, {}),
        ("2024-01-09-080000", "incoming", ACK, {}),
    ], "overdue"),
    ("Cumbria Constabulary", "Cumbria Constabulary", "under_18_sextortion_reports_7", "Long overdue", 0, [
        ("2023-12-04-120000", "outgoing", REQUEST, {}),
    ], "overdue"),
    ("Police Scotland", "Police Scotland", "under_18_sextortion_reports_28", "Awaiting clarification", 1, [
        ("2024-01-08-101500", "outgoing", REQUEST, {}),
        ("2024-01-10-143000", "incoming", "Could you please clarify what you mean by sextortion?", {}),
    ], "awaiting clarification"),
    ("Police Service of Northern Ireland", "Police Service of Northern Ireland", "under_18_sextortion_reports_29",
     "Awaiting internal review", 1, [
        ("2024-01-08-101500", "outgoing", REQUEST, {}),
        ("2024-01-30-100000", "incoming", "The information is exempt under section 40(2) (personal data).", {}),
        ("2024-02-01-090000", "outgoing",
         "Please pass this on to the person who conducts Freedom of Information reviews. I am writing to request "
         "an internal review of Police Service of Northern Ireland's handling of my FOI request.", {}),
    ], "internal review"),
    ("Derbyshire Constabulary", "Derbyshire Constabulary", "under_18_sextortion_reports_9", "Withdrawn", 0, [
        ("2024-01-08-101500", "outgoing", REQUEST, {}),
        ("2024-01-12-090000", "outgoing", "I would like to withdraw my request, thank you.", {}),
    ], "withdrawn"),
    ("Lincolnshire Police", "Lincolnshire Police", "under_18_sextortion_reports_19", "Successful", 2, [
        ("2024-01-08-101500", "outgoing", REQUEST, {}),
        ("2024-02-02-120000", "incoming",
         "We need to extend the time to consider the public interest test; we will respond by 4 March 2024.", {}),
        ("2024-02-15-120000", "incoming", "Please find the figures attached.", {"Response.csv": CSV_REPLY}),
    ], "answered"),
]


def write_export(folder: Path, batch=BATCH, *, extra_rows: list[list[str]] | None = None) -> tuple[Path, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    download = folder / "download.csv"
    with download.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["request_url", "authority_name", "number_of_replies", "request_status"])
        for name, _, url_title, status, replies, _, _ in batch:
            w.writerow([SITE + url_title, name, replies, status])
        for row in extra_rows or []:
            w.writerow(row)
    archive = folder / "batch.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for _, folder_name, url_title, _, _, thread, _ in batch:
            for n, (stamp, direction, text, attachments) in enumerate(thread, start=1):
                base = f"{folder_name} - {url_title}/{stamp}/"
                z.writestr(base + f"{direction}_{1000 + n}.txt", text.format(name=folder_name))
                for file_name, data in attachments.items():
                    z.writestr(base + file_name, data)
    return download, archive


@pytest.fixture(scope="module")
def campaign(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("wdtk")
    download, archive = write_export(root / "export")
    folder = root / "campaign"
    made = run("init", folder, "--from-wdtk", download, "--from-wdtk", archive, "--title", "Under-18 sextortion reports",
               "--measure", "Under-18 sextortion reports", "--year-start", "jun", "--periods", "2020/21,2021/22,2022/23")
    return folder, made


def test_init_from_wdtk_writes_a_campaign(campaign) -> None:
    folder, made = campaign
    assert made.exit_code == 0, made.stderr
    assert "11 forces from WhatDoTheyKnow" in made.stderr
    camp = load_campaign(folder / "foistats.toml")
    assert camp.sent == date(2024, 1, 8)  # the day most of the batch went
    assert len(camp.forces) == 11 and "Hampshire and Isle of Wight Constabulary" in camp.forces
    kinds = {(e.force, e.kind, e.on) for e in camp.events}
    assert ("Sussex Police", "sent", date(2024, 2, 5)) in kinds
    assert ("Cumbria Constabulary", "sent", date(2023, 12, 4)) in kinds
    assert ("Police Scotland", "clarification_requested", date(2024, 1, 10)) in kinds
    assert ("Police Service of Northern Ireland", "review_requested", date(2024, 2, 1)) in kinds
    assert ("Derbyshire Constabulary", "withdrawn", date(2024, 1, 12)) in kinds
    ext = next(e for e in camp.events if e.kind == "extended")
    assert ext.force == "Lincolnshire Police" and ext.until == date(2024, 3, 4)
    hants = camp.responses["Hampshire and Isle of Wight Constabulary"]
    assert hants["status"] == "refused" and hants["exemption"] == "s12 (cost limit)"
    assert hants["received"] == date(2024, 2, 2) and "under_18_sextortion_reports_17" in hants["note"]
    assert camp.responses["Kent Police"]["received"] == date(2024, 2, 1)  # not the acknowledgement


def test_replies_saved_and_imported_or_listed(campaign) -> None:
    folder, made = campaign
    saved = sorted(p.name for p in (folder / "replies").iterdir())
    assert saved == [
        "Hampshire and Isle of Wight Constabulary - 2024-02-02 - Response letter 044-24.pdf",
        "Kent Police - 2024-02-01 - FOI 2024-0123 response.xlsx",
        "Lincolnshire Police - 2024-02-15 - Response.csv",
        "Surrey Police - 2024-02-05 - FOI 812-24 reply.docx",
    ]
    # Reply documents are imported like spreadsheets: the PDF letter's refusal is read, the
    # Word reply's table imported; nothing is left aside.
    assert "kept, not imported" not in made.stderr
    assert "no table of figures" not in made.stderr and "damaged" not in made.stderr
    assert made.stderr.count("\n") == 1, made.stderr  # one summary line, no per-file problems
    camp = load_campaign(folder / "foistats.toml")
    assert camp.recipes["Kent Police - 2024-02-01 - FOI 2024-0123 response.xlsx"] == {"force": "Kent Police"}
    # No email bodies among the replies: the importer would read them as tables.
    assert not list((folder / "replies").glob("*.txt"))


def test_status_matches_the_export(campaign) -> None:
    folder, _ = campaign
    result = run("status", folder, "--as-of", "2024-02-20", "--format", "csv")
    assert result.exit_code == 0, result.stderr
    rows = rows_of(result)
    expected = {canonical(b[0]): b[6] for b in BATCH}
    assert {force: r["status"] for force, r in rows.items()} == expected
    # The imported spreadsheet's figures are in the grid.
    kent = rows["Kent Police"]
    assert (kent["2020/21"], kent["2021/22"], kent["2022/23"]) == ("12", "30", "61")
    assert rows["Lincolnshire Police"]["2022/23"] == "15"
    assert rows["Hampshire and Isle of Wight Constabulary"]["exemption"] == "s12 (cost limit)"
    # Each overdue force by its own clock: Thames Valley due Mon 5 Feb, 11 working days by Tue 20 Feb;
    # Cumbria sent Mon 4 Dec 2023 → due Fri 5 Jan 2024 (Christmas, Boxing Day, 1 and 2 January skipped).
    assert rows["Thames Valley Police"]["due"] == "2024-02-05" and rows["Thames Valley Police"]["working_days_overdue"] == "11"
    assert rows["Cumbria Constabulary"]["due"] == "2024-01-05" and rows["Cumbria Constabulary"]["sent"] == "2023-12-04"
    # PSNI's review: asked Thu 1 Feb, 20 working days → Thu 29 Feb.
    assert rows["Police Service of Northern Ireland"]["due"] == "2024-02-29"
    assert rows["Sussex Police"]["due"] == "2024-03-04"
    assert "WhatDoTheyKnow: Delayed" in rows["Thames Valley Police"]["note"]
    # Kent, Lincolnshire, Surrey (partial) and Essex (not held) replied.
    assert (
        "4 of 11 answered; 1 refused; 3 outstanding, 2 overdue; 1 awaiting clarification; 1 in internal review; 1 withdrawn"
        in result.stderr
    )


def test_statuses_documented_for_every_site_word() -> None:
    assert set(STATUSES) == {
        "awaiting response", "delayed", "long overdue", "successful", "partially successful", "refused",
        "information not held", "awaiting clarification", "awaiting internal review", "withdrawn",
    }


@pytest.mark.parametrize(
    "text, kind",
    [
        (ACK, "acknowledgement"),
        ("This request is refused under section 12 as it would exceed the cost limit.", "refused"),
        ("I can confirm that the force does not hold this information.", "no_data"),
        ("The information is exempt by virtue of section 31(1)(a).", "refused"),
        ("Could you please clarify which years you mean?", "clarification"),
        ("We are extending the deadline to consider the public interest test.", "extension"),
        ("Please find attached the information you requested.", "answered"),
        ("We are still working on your request.", "other"),
    ],
)
def test_reply_outcome(text: str, kind: str) -> None:
    assert reply_outcome(text)[0] == kind


def test_slug_in_the_registry() -> None:
    assert registry().by_wdtk_slug("hampshire_police").name == "Hampshire and Isle of Wight Constabulary"
    assert registry().by_wdtk_slug("https://www.whatdotheyknow.com/body/police_scotland").name == "Police Scotland"
    assert registry().by_wdtk_slug("no_such_body") is None


# ---------------------------------------------------------------- bad exports: one line each


def test_malformed_download_csv(tmp_path: Path) -> None:
    bad = tmp_path / "download.csv"
    bad.write_text("url,name\nhttps://example.org,Kent\n", encoding="utf-8")
    result = run("init", tmp_path / "c", "--from-wdtk", bad)
    assert result.exit_code == 3
    assert "download.csv" in result.stderr and "request_url" in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "c" / "foistats.toml").exists()


def test_not_a_zip(tmp_path: Path) -> None:
    bad = tmp_path / "batch.zip"
    bad.write_bytes(b"this is not a zip")
    result = run("init", tmp_path / "c", "--from-wdtk", bad)
    assert result.exit_code == 3 and "batch.zip" in result.stderr and "zip" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_unsafe_zip_names_refused(tmp_path: Path) -> None:
    bad = tmp_path / "batch.zip"
    with zipfile.ZipFile(bad, "w") as z:
        z.writestr("../../evil.txt", "x")
    result = run("init", tmp_path / "c", "--from-wdtk", bad)
    assert result.exit_code == 3 and "unsafe name" in result.stderr and "batch.zip" in result.stderr
    assert not (tmp_path / "evil.txt").exists()


def test_odd_names_and_unknown_authorities_reported_per_line(tmp_path: Path) -> None:
    download, archive = write_export(
        tmp_path / "export", BATCH[:2], extra_rows=[[SITE + "sextortion_home_office", "Home Office", "0", "Awaiting response"],
                                                  ["not a url", "Kent Police", "0", "Successful"]],
    )
    with zipfile.ZipFile(archive, "a") as z:
        z.writestr("stray notes.txt", "hello")
        z.writestr("Kent Police - under_18_sextortion_reports_23/2024-02-30-101500/incoming_9.txt", "bad date")
    result = run("init", tmp_path / "c", "--from-wdtk", download, "--from-wdtk", archive)
    assert result.exit_code == 3, result.stderr
    err = result.stderr
    assert "Home Office is not a police force foistats knows" in err and "download.csv, row 4" in err
    assert "'stray notes.txt' is not in the WhatDoTheyKnow layout" in err
    assert "2024-02-30-101500 is not a real date" in err
    assert "row 5: request_url 'not a url'" in err
    assert "Traceback" not in err
    # The rest still made a campaign.
    assert load_campaign(tmp_path / "c" / "foistats.toml").forces == ["Kent Police", "Hampshire and Isle of Wight Constabulary"]


def test_nothing_usable(tmp_path: Path) -> None:
    download = tmp_path / "download.csv"
    download.write_text("request_url,authority_name,number_of_replies,request_status\n"
                        f"{SITE}x_1,Home Office,0,Successful\n", encoding="utf-8")
    result = run("init", tmp_path / "c", "--from-wdtk", download)
    assert result.exit_code == 2 and "nothing written" in result.stderr and "Traceback" not in result.stderr


def test_forces_and_wdtk_together_is_a_usage_error(tmp_path: Path) -> None:
    download, _ = write_export(tmp_path / "export", BATCH[:1])
    result = run("init", tmp_path / "c", "--from-wdtk", download, "--forces", "Kent")
    assert result.exit_code == 2 and "--forces" in result.stderr


def test_csv_alone_uses_the_sent_option(tmp_path: Path) -> None:
    download, _ = write_export(tmp_path / "export", BATCH[4:7])
    folder = tmp_path / "c"
    made = subprocess.run(
        [*installed(), "init", str(folder), "--from-wdtk", str(download), "--sent", "2024-01-08"],
        capture_output=True, text=True, check=False,
    )
    assert made.returncode == 0, made.stderr
    status = subprocess.run(
        [*installed(), "status", str(folder), "--as-of", "2024-02-20", "--format", "csv"],
        capture_output=True, text=True, check=False,
    )
    assert status.returncode == 0, status.stderr
    rows = rows_of(status)
    # Without the zip every request counts from --sent: all three are past 5 Feb.
    assert {f: r["status"] for f, r in rows.items()} == {
        "Sussex Police": "overdue", "Thames Valley Police": "overdue", "Cumbria Constabulary": "overdue",
    }


def test_zip_in_a_wrapper_folder_with_its_csv_and_a_rerun(tmp_path: Path) -> None:
    download, archive = write_export(tmp_path / "export", BATCH[:3])
    wrapped = tmp_path / "wrapped.zip"
    with zipfile.ZipFile(archive) as src, zipfile.ZipFile(wrapped, "w") as dst:
        for info in src.infolist():
            dst.writestr("wdtk-batch-export/" + info.filename, src.read(info))
        dst.writestr("wdtk-batch-export/download.csv", download.read_bytes())
    folder = tmp_path / "c"
    first = run("init", folder, "--from-wdtk", wrapped)
    assert first.exit_code == 0, first.stderr
    camp = load_campaign(folder / "foistats.toml")
    assert camp.forces == ["Kent Police", "Hampshire and Isle of Wight Constabulary", "Essex Police"]
    assert camp.responses["Essex Police"]["status"] == "no_data"
    again = run("init", folder, "--from-wdtk", wrapped, "--force-overwrite")
    assert again.exit_code == 0, again.stderr
    # The same attachments are not saved twice.
    assert len(list((folder / "replies").iterdir())) == 2


def test_chasers_to_a_file(campaign, tmp_path: Path) -> None:
    folder, _ = campaign
    out = tmp_path / "chasers.txt"
    result = run("status", folder, "--as-of", "2024-02-20", "--chasers", "-o", out)
    assert result.exit_code == 0, result.stderr
    text = out.read_text(encoding="utf-8")
    assert "To: Thames Valley Police" in text and "To: Cumbria Constabulary" in text
    assert "4 December 2023" in text and "5 January 2024" in text and "32 working days" in text
    assert "Police Scotland" not in text  # awaiting clarification: nothing to chase
    assert "2 chaser(s)" in result.stderr
