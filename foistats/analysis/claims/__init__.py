"""Check a quoted change ("rose from 28 to 152, a rise of 443%") the way a careful sub-editor would.

Two ideas live here, one module each, and they meet only in the `Claim`:

- reading copy: `numbers` (one figure as written), `figures` (which numbers in a passage
  are figures at all, and not years, dates, durations or ages), `sentence` (the strict
  one-change grammar), `phrases` (the ways copy orders figures and scopes claims, as
  patterns) and `passage` (a paragraph or article read into several claims, each
  paired with the figures it is about, and the figures no claim used);
- judging a claim: `model` (Claim, Interval, Verdict), `judge` (the arithmetic and the
  classic mistakes), `phrasing` (the plain fact, the arithmetic and a corrected
  sentence) and `wording` (numbers rounded once, for people).

Everything is pure standard library: `foistats check` must start instantly, so neither
polars nor Typer may be on this import path. The names below are the public interface.
"""

from __future__ import annotations

from foistats.analysis.claims.judge import check, check_against
from foistats.analysis.claims.model import (
    CANNOT_CHECK,
    CONSISTENT,
    DIAGNOSES,
    INCONSISTENT,
    KINDS,
    Claim,
    Interval,
    Verdict,
)
from foistats.analysis.claims.numbers import parse_number
from foistats.analysis.claims.sentence import parse_args, parse_claim, parse_claims
from foistats.analysis.claims.wording import _round_half_up  # noqa: F401  (tests round as the checker does)

__all__ = [
    "CANNOT_CHECK",
    "CONSISTENT",
    "DIAGNOSES",
    "INCONSISTENT",
    "KINDS",
    "Claim",
    "Interval",
    "Verdict",
    "check",
    "check_against",
    "parse_args",
    "parse_claim",
    "parse_claims",
    "parse_number",
]
