"""The force registry: messy names in, canonical names out, never a silent wrong match."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from foistats.model.forces import registry, strip_footnotes

SHARED = Path(__file__).resolve().parents[2] / "shared"


@pytest.mark.parametrize(
    "text, name, kind",
    [
        ("Durham 1", "Durham Constabulary", "force"),
        ("Greater Manchester8,9", "Greater Manchester Police", "force"),
        ("Thames Valley10", "Thames Valley Police", "force"),
        ("ENGLAND AND WALES7,8", "England and Wales", "national"),
        ("North West8", "North West", "region"),
        ("Total North East ", "North East", "region"),
        ("Home Office^", "Home Office", "other_body"),
        ("SOCA / NCA", "National Crime Agency", "other_body"),
        ("Action Fraud", "Action Fraud", "other_body"),
        ("Warwickshire and West Mercia", "Warwickshire and West Mercia", "combined"),
        ("Leics Police", "Leicestershire Police", "force"),
        ("Leicestershire Constabulary", "Leicestershire Police", "force"),
        ("Avon & Somerset", "Avon and Somerset Constabulary", "force"),
        ("London, City of", "City of London Police", "force"),
        ("Devon & Cornwall", "Devon and Cornwall Police", "force"),
        ("Dyfed Powys", "Dyfed-Powys Police", "force"),
        ("Hampshire & Isle of Wight Constabulary", "Hampshire and Isle of Wight Constabulary", "force"),
        ("Metropolitan Police", "Metropolitan Police Service", "force"),
        ("The Met", "Metropolitan Police Service", "force"),
        ("GMP", "Greater Manchester Police", "force"),
        ("british transport", "British Transport Police", "force"),
        ("metropolitan", "Metropolitan Police Service", "force"),
    ],
)
def test_exact_aliases(text: str, name: str, kind: str) -> None:
    match = registry().resolve(text)
    assert match is not None
    assert (match.area.name, match.area.kind) == (name, kind)
    assert not match.is_guess


def test_gss_code_settles_west_midlands() -> None:
    assert registry().resolve("West Midlands").area.name == "West Midlands Police"
    assert registry().resolve("West Midlands", "E12000005").area.kind == "region"


def test_fuzzy_match_is_reported_as_a_guess() -> None:
    match = registry().resolve("Leicestershre Police")
    assert match is not None and match.is_guess and match.area.name == "Leicestershire Police"


def test_unknown_names_do_not_match() -> None:
    for text in ("Bedfordshire Fire and Rescue", "Sextortion reports", "Kentucky", "Met Office"):
        match = registry().resolve(text)
        assert match is None or match.area.kind != "force", text


def test_find_in_text_prefers_longest_and_refuses_two_forces() -> None:
    assert registry().find_in_text("North Wales Police FOI 2024-0029").area.name == "North Wales Police"
    assert registry().find_in_text("Kent and Essex joint response") is None
    assert registry().find_in_text("FOI-2024-00417 response") is None


def test_footnotes_are_kept_as_notes() -> None:
    assert strip_footnotes("Greater Manchester8,9") == ("Greater Manchester", "8,9")
    assert strip_footnotes("Home Office^") == ("Home Office", "^")
    assert strip_footnotes("Kent") == ("Kent", None)


def test_every_reference_force_and_alias_resolves() -> None:
    path = SHARED / "reference" / "police_forces.csv"
    if not path.exists():
        pytest.skip("../shared/reference/police_forces.csv is not present")
    with path.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            for alias in [row["canonical_name"], *[a for a in row["aliases"].split(";") if a]]:
                match = registry().resolve(alias)
                assert match is not None, alias
                if alias not in ("Scotland", "Northern Ireland"):
                    assert match.area.name == row["canonical_name"], alias


def test_registry_has_the_43_territorial_forces_with_codes() -> None:
    forces = registry().forces(territorial_only=True)
    assert len(forces) == 43
    assert all(f.code and f.code[:3] in ("E23", "W15") for f in forces)
    assert len({f.code for f in forces}) == 43
