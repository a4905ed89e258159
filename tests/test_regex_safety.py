r"""No regular expression in the package can backtrack catastrophically on what a user pastes in.

A 26-digit reference number in one cell once made an import run for minutes: a pattern
with a quantifier inside a repeated group (`(\\s*\\d+)+`) tries every way of splitting a
run of digits. The rule: no variable quantifier inside a group that repeats without
bound, unless the repeat is possessive (`*+`, `++`) or atomic, which never backtracks.
A small bounded repeat (`(?:[a-z]+\s+){0,2}?to`, at most eight times, as copy-reading
patterns use to skip a few words) cannot go exponential, but could still go polynomial
if its words could be split more than one way: each such pattern is run on adversarial
text in a separate process that must finish (a hang detector, not a timing).
"""

from __future__ import annotations

import ast
import importlib
import re
import subprocess
import sys
from pathlib import Path

import re._parser as sre_parse  # noqa: E402  (3.11+: the parser behind re.compile)
from re._constants import ASSERT, ASSERT_NOT, BRANCH, MAX_REPEAT, MAXREPEAT, MIN_REPEAT, SUBPATTERN

PACKAGE = Path(__file__).resolve().parents[1] / "foistats"
_BACKTRACKING = {MAX_REPEAT, MIN_REPEAT}  # POSSESSIVE_REPEAT and ATOMIC_GROUP are safe
_RE_CALLS = {"compile", "match", "search", "sub", "subn", "fullmatch", "findall", "finditer", "split"}


_SMALL_BOUND = 8


def _nesting(parsed, inside: str | None = None) -> str | None:
    """"unbounded" when a variable quantifier sits inside a repeat without a small bound,
    "bounded" when only inside repeats of at most eight, None when there is no nesting."""
    worst: str | None = None
    for op, av in parsed:
        found = None
        if op in _BACKTRACKING:
            lo, hi, sub = av
            variable = lo != hi
            if inside and variable:
                found = inside
            else:
                outer = inside
                if variable and hi > 1:
                    outer = "unbounded" if (hi == MAXREPEAT or hi > _SMALL_BOUND) else (inside or "bounded")
                found = _nesting(sub, outer)
        elif op == SUBPATTERN:
            found = _nesting(av[-1], inside)
        elif op == BRANCH:
            kinds = [_nesting(b, inside) for b in av[1]]
            found = "unbounded" if "unbounded" in kinds else ("bounded" if "bounded" in kinds else None)
        elif op in (ASSERT, ASSERT_NOT):
            found = _nesting(av[1], inside)
        if found == "unbounded":
            return found
        worst = worst or found
    return worst


def _nested(parsed) -> bool:
    return _nesting(parsed) is not None


def _patterns():
    """Every pattern given to re.* in the package, with string concatenations of module
    constants evaluated; and every lazily compiled pattern kept at module level."""
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.name == "__main__.py":
            continue
        name = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts).removesuffix(".__init__")
        module = importlib.import_module(name)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in _RE_CALLS
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id == "re"
                and node.args
            ):
                try:
                    pattern = eval(compile(ast.Expression(node.args[0]), str(path), "eval"), vars(module))  # noqa: S307
                except Exception:
                    continue  # built at run time from local values (re.escape(alias), a range of cell letters)
                yield f"{path.relative_to(PACKAGE.parent)}:{node.lineno}", pattern
        for attr, value in vars(module).items():
            source = getattr(value, "_source", None)
            if isinstance(source, str) and type(value).__name__ == "_Lazy":
                yield f"{name}.{attr}", source


def test_no_nested_quantifiers_anywhere_in_the_package() -> None:
    bad = []
    bounded: list[str] = []
    seen = 0
    for where, pattern in _patterns():
        if isinstance(pattern, re.Pattern):
            pattern = pattern.pattern
        if isinstance(pattern, bytes):
            pattern = pattern.decode("latin-1")
        seen += 1
        kind = _nesting(sre_parse.parse(pattern))
        if kind == "unbounded":
            bad.append(f"{where}: {pattern[:120]}")
        elif kind == "bounded":
            bounded.append(pattern)
    assert seen > 100  # the audit really looked
    assert not bad, "nested quantifiers (make the outer repeat possessive, *+ or ++):\n" + "\n".join(bad)
    _adversarial(bounded)


_ATTACKS = ("a" * 3000, "a " * 1500, "ab, " * 800, " " * 3000, "1" * 3000, "1," * 1500, "to " * 1000, "a-" * 1500, "yrabcd " * 400)


def _adversarial(patterns: list[str]) -> None:
    """Every small-bounded nested pattern searched on text made to split many ways; the
    process must finish (it would run for hours on a pattern that backtracks badly)."""
    script = (
        "import re, sys, json\n"
        "pats, attacks = json.loads(sys.stdin.read())\n"
        "for p in pats:\n"
        "    rx = re.compile(p, re.I)\n"
        "    for a in attacks:\n"
        "        rx.search(a); rx.search(a + '!'); rx.search('x ' + a)\n"
        "print(len(pats))\n"
    )
    import json

    done = subprocess.run(
        [sys.executable, "-c", script], input=json.dumps([patterns, list(_ATTACKS)]), capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert int(done.stdout) == len(patterns)


def test_the_audit_catches_the_pattern_that_hung() -> None:
    assert _nested(sre_parse.parse(r"(?:[\s]*[\d]+(?:\s*,\s*\d+)*|[*^~]+)+\s*$"))
    assert not _nested(sre_parse.parse(r"(?:\s*\d+(?:\s*,\s*\d+)*+|[*^~]+)++\s*$"))
    assert not _nested(sre_parse.parse(r"\d{1,3}(?:,\d{3})+"))  # a fixed count inside is no choice
    assert _nesting(sre_parse.parse(r"(?:[a-z]+\s+){0,2}?to")) == "bounded"
    assert _nesting(sre_parse.parse(r"(?:[a-z]+\s+){0,20}to")) == "unbounded"


def _run(args: list[str], timeout: int = 120) -> subprocess.CompletedProcess[str]:
    """A separate process with a generous timeout: the test asserts it finishes, not how fast."""
    return subprocess.run(
        [sys.executable, "-m", "foistats", *args], capture_output=True, text=True, timeout=timeout, check=False
    )


def test_a_csv_full_of_long_digit_runs_imports(tmp_path: Path) -> None:
    path = tmp_path / "references.csv"
    lines = ["Force,Reference,Note,Count"]
    for i in range(200):
        lines.append(f"Kent Police,{10**25 + i * 7919},ref {'12345678901234567890123456' * 2},{i}")
    lines.append(f"Essex Police,{'7' * 5000},{'1' * 5000}/{'2' * 5000},5")
    lines.append(f"{'9' * 5000}x,{'3' * 5000},{'4' * 2500}, 5,6")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    done = _run(["import", str(path), "--format", "csv"])
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Kent Police" in done.stdout and "Essex Police" in done.stdout


def test_area_names_with_long_digit_tails_resolve_quickly() -> None:
    from foistats.model.forces import registry, strip_footnotes

    assert strip_footnotes("Greater Manchester8,9") == ("Greater Manchester", "8,9")
    assert strip_footnotes("North West 8, 12*") == ("North West", "8, 12*")
    long_tail = "Kent" + "1" * 5000
    assert strip_footnotes(long_tail) == (long_tail, None)  # 5,000 digits are no footnote marker
    assert registry().resolve("Kent Police" + "2" * 26 + "x", fuzzy=False) is None  # completes, and is no force
    assert registry().resolve("Kent Police 8").area.name == "Kent Police"


def test_a_claim_with_a_pasted_reference_number_is_refused_not_crashed() -> None:
    done = _run(["check", f"Arrests rose from {'1' * 5000} to 20, a rise of 12%"])
    assert done.returncode != 0
    assert "Traceback" not in done.stderr
    assert "digits" in done.stderr
