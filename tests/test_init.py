"""`foistats init` and the campaign file's validation: every mistake names its key and line."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from foistats.campaign.file import FILE_NAME, find_campaign, init_text, load_campaign, parse_campaign
from foistats.cli.app import app
from foistats.model.errors import UsageError

ROOT = Path(__file__).resolve().parents[1]
runner = CliRunner(env={"COLUMNS": "200", "NO_COLOR": "1"})


def run(*args: str):
    return runner.invoke(app, [str(a) for a in args])


def test_init_writes_a_template_load_campaign_accepts(tmp_path: Path) -> None:
    folder = tmp_path / "returns"
    result = run(
        "init", folder, "--title", "Under-18 sextortion reports", "--measure", "Under-18 sextortion reports",
        "--year-start", "jun", "--periods", "2020/21,2021/22,2022/23", "--sent", "2024-01-08",
        "--wording", 'Please provide "the number" of reports',
    )
    assert result.exit_code == 0, result.stderr
    assert "wrote" in result.stderr and "43 forces" in result.stderr
    campaign = load_campaign(folder / FILE_NAME)
    assert campaign.title == campaign.measure == "Under-18 sextortion reports"
    assert campaign.wording == 'Please provide "the number" of reports'
    assert campaign.year_start == 6
    assert campaign.periods == ["2020/21", "2021/22", "2022/23"]
    assert campaign.sent == date(2024, 1, 8)
    assert len(campaign.forces) == 43 and "Leicestershire Police" in campaign.forces
    assert "British Transport Police" not in campaign.forces  # listed, but commented out
    assert campaign.requested_years(6) == [2020, 2021, 2022]
    # Found by every command run on that folder.
    assert find_campaign([folder]).path == folder / FILE_NAME


def test_bare_template_is_valid_and_explains_every_key() -> None:
    text = init_text()
    campaign = parse_campaign(text, Path("x") / FILE_NAME)
    assert campaign.sent is None and campaign.year_start is None and len(campaign.forces) == 43
    for key in ("title", "wording", "measure", "year_start", "periods", "sent", "forces"):
        assert re.search(rf"^#? ?{key} = ", text, re.M), key
    for key in ("sheet", "header_rows", "data_rows", "label_columns", "value_columns", "force", "period",
                "measure", "orientation", "status", "exemption", "received", "due"):
        assert re.search(rf"^# {key} = |^#\s+{key}\s+=", text, re.M), key
    for other in ("British Transport Police", "Police Scotland", "Ministry of Defence Police"):
        assert f'# "{other}",' in text


def test_commented_examples_are_valid_once_uncommented() -> None:
    lines = []
    for line in init_text().splitlines():
        # Switch on the [responses] and [recipes] examples (lines of the form "# key = value").
        m = re.match(r"^# (\[(?:responses|recipes)\..*\]|[a-z_]+ = .*)$", line)
        lines.append(m.group(1) if m and not line.startswith("# forces") else line)
    campaign = parse_campaign("\n".join(lines), Path("x") / FILE_NAME)
    recipe = campaign.recipes["Some file.xlsx"]
    assert recipe["header_rows"] == [5, 6] and recipe["data_rows"] == "7:9"
    assert recipe["label_columns"] == ["A"] and recipe["value_columns"] == ["B", "C"]
    assert recipe["orientation"] == "wide"
    assert campaign.responses["Kent Police"] == {"status": "refused", "exemption": "s12", "received": date(2024, 2, 1)}
    assert campaign.year_start == 6 and campaign.sent == date(2024, 1, 8)


def test_init_refuses_to_overwrite(tmp_path: Path) -> None:
    assert run("init", tmp_path, "--title", "First").exit_code == 0
    again = run("init", tmp_path, "--title", "Second")
    assert again.exit_code == 2
    assert "already exists" in again.stderr and "--force-overwrite" in again.stderr
    assert load_campaign(tmp_path / FILE_NAME).title == "First"
    replaced = run("init", tmp_path, "--title", "Second", "--force-overwrite")
    assert replaced.exit_code == 0
    assert load_campaign(tmp_path / FILE_NAME).title == "Second"


def test_init_forces_option_and_bad_options(tmp_path: Path) -> None:
    ok = run("init", tmp_path / "a", "--forces", "GMP, Devon & Cornwall,Kent")
    assert ok.exit_code == 0, ok.stderr
    assert load_campaign(tmp_path / "a" / FILE_NAME).forces == [
        "Greater Manchester Police", "Devon and Cornwall Police", "Kent Police",
    ]
    bad_force = run("init", tmp_path / "b", "--forces", "Leicstershire")
    assert bad_force.exit_code == 2 and "did you mean Leicestershire Police?" in bad_force.stderr
    bad_date = run("init", tmp_path / "c", "--sent", "8 Jan 2024")
    assert bad_date.exit_code == 2 and "--sent" in bad_date.stderr
    bad_period = run("init", tmp_path / "d", "--year-start", "jun", "--periods", "2021")
    assert bad_period.exit_code == 2 and "ambiguous" in bad_period.stderr
    assert not (tmp_path / "b").exists() or not (tmp_path / "b" / FILE_NAME).exists()


@pytest.mark.parametrize(
    "text, expected",
    [
        ('[request]\ntitle = "x"\nsent = "8 Jan 2024"\n', r"line 3: request\.sent = '8 Jan 2024' is not a date"),
        ('[request]\ntitle = "x"\nsent = 2024-13-01\n', r"line 3: sent = 2024-13-01 is not a valid date"),
        ('[request]\nforces = [\n  "Kent Police",\n  "Leicstershire",\n]\n',
         r"line 4: unknown force 'Leicstershire' in forces \(did you mean Leicestershire Police\?\)"),
        ('[request]\nyear_strat = "jun"\n', r"line 2: unknown key request\.year_strat \(did you mean request\.year_start\?\)"),
        ('[request]\n\nyear_start = "junk"\n', r"line 3: request\.year_start = 'junk' is not a month"),
        ('[responses."Kent"]\nstatus = "refussed"\n', r"line 2: responses\.Kent\.status = 'refussed' is not a reply status"),
        ('[responses."Knet Police"]\nstatus = "refused"\n', r"line 1: unknown force 'Knet Police' in \[responses\] \(did you mean Kent Police\?\)"),
        ('[recipes."a.xlsx"]\nsheet = "Data"\nheader_rows = "5"\n', r'line 3: recipes\."a\.xlsx"\.header_rows must be a list'),
        ('[recipes."a.xlsx"]\norientation = "across"\n', r"line 2: .*orientation = 'across' is not one of wide, long"),
        ('[recipe."a.xlsx"]\nsheet = "x"\n', r"line 1: unknown key recipe \(did you mean recipes\?\)"),
        ('[request]\ntitle = Sextortion\n', r"line 2: not valid TOML.*title = Sextortion.*double quotes"),
    ],
)
def test_campaign_mistakes_name_key_and_line(tmp_path: Path, text: str, expected: str) -> None:
    path = tmp_path / FILE_NAME
    path.write_text(text, encoding="utf-8")
    with pytest.raises(UsageError) as info:
        load_campaign(path)
    assert re.search(expected, str(info.value)), str(info.value)
    assert str(path) in str(info.value)


def test_a_bad_campaign_file_stops_commands_with_exit_2(tmp_path: Path) -> None:
    (tmp_path / FILE_NAME).write_text('[request]\nsent = "yesterday"\n', encoding="utf-8")
    result = run("status", tmp_path)
    assert result.exit_code == 2
    assert "line 2: request.sent = 'yesterday' is not a date" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_shipped_campaign_file_loads() -> None:
    path = ROOT / "examples" / "sextortion" / FILE_NAME
    if not path.exists():
        pytest.skip("examples/sextortion is not present")
    campaign = load_campaign(path)
    assert len(campaign.forces) == 48 and campaign.sent == date(2024, 1, 8) and campaign.year_start == 6
