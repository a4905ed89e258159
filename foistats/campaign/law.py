"""Which law each force answers under, who regulates it, and the clock that follows.

Why per force: a campaign sent to "all UK forces" straddles two Acts. Every force in
England, Wales and Northern Ireland, and the UK-wide bodies (BTP, MDP, CNC), answer under
the Freedom of Information Act 2000, regulated by the Information Commissioner's Office;
Police Scotland answers under the Freedom of Information (Scotland) Act 2002, regulated
by the Scottish Information Commissioner, with a different calendar and no
public-interest extension. A chaser or a complaint that cites the wrong Act or the
wrong regulator is easy for a force to brush off.

The Crown Dependencies have their own regimes (see DOMAIN-NOTES): the Isle of Man's FOI
Act 2015, Jersey's FOI Law 2011 and Guernsey's non-statutory Code. Their 20-working-day
limit and holiday calendars are recorded here so their deadlines are counted with their
own bank holidays; their section numbers are not cited.
"""

from __future__ import annotations

from dataclasses import dataclass

from foistats.campaign.calendars import (
    GUERNSEY,
    ISLE_OF_MAN,
    JERSEY,
    SCOTLAND,
    UNITED_KINGDOM,
    Calendar,
)


@dataclass(frozen=True, slots=True)
class Law:
    """One access-to-information regime and its time limits."""

    key: str  # "foia", "foisa", ...
    act: str  # "the Freedom of Information Act 2000"
    short: str  # "FOIA"
    calendar: Calendar
    regulator: str  # "the Information Commissioner's Office"
    regulator_short: str  # "ICO"
    deadline_section: str | None  # where the 20 working days are written, for chasers
    days: int = 20
    # A public-interest extension (FOIA s10(3)): "such time as is reasonable", which the
    # ICO reads as no more than 20 further working days.
    extension_section: str | None = None
    extension_max_days: int | None = None
    # Internal review: FOISA s21(1) makes it 20 working days; under FOIA it is the s45
    # Code of Practice's 20 working days, 40 at most in complex cases.
    review_days: int = 20
    review_max_days: int | None = None
    review_basis: str | None = None

    @property
    def allows_extension(self) -> bool:
        return self.extension_section is not None


FOIA = Law(
    key="foia",
    act="the Freedom of Information Act 2000",
    short="FOIA",
    calendar=UNITED_KINGDOM,
    regulator="the Information Commissioner's Office",
    regulator_short="ICO",
    deadline_section="section 10(1)",
    extension_section="section 10(3)",
    extension_max_days=20,
    review_days=20,
    review_max_days=40,
    review_basis="the section 45 Code of Practice",
)
FOISA = Law(
    key="foisa",
    act="the Freedom of Information (Scotland) Act 2002",
    short="FOISA",
    calendar=SCOTLAND,
    regulator="the Scottish Information Commissioner",
    regulator_short="SIC",
    deadline_section="section 10(1)",
    review_days=20,
    review_basis="section 21(1) of the Act",
)
ISLE_OF_MAN_FOI = Law(
    key="iom",
    act="the Freedom of Information Act 2015 (Isle of Man)",
    short="FOI Act 2015 (IoM)",
    calendar=ISLE_OF_MAN,
    regulator="the Isle of Man Information Commissioner",
    regulator_short="the Information Commissioner",
    deadline_section=None,
)
JERSEY_FOI = Law(
    key="jersey",
    act="the Freedom of Information (Jersey) Law 2011",
    short="FOI (Jersey) Law 2011",
    calendar=JERSEY,
    regulator="the Jersey Information Commissioner",
    regulator_short="the Information Commissioner",
    deadline_section=None,
)
GUERNSEY_CODE = Law(
    key="guernsey",
    act="the States of Guernsey Code of Practice on Access to Public Information",
    short="Guernsey Code",
    calendar=GUERNSEY,
    regulator="none (a non-statutory code)",
    regulator_short="no regulator",
    deadline_section=None,
)
LAWS = {law.key: law for law in (FOIA, FOISA, ISLE_OF_MAN_FOI, JERSEY_FOI, GUERNSEY_CODE)}
_BY_COUNTRY = {
    "Scotland": FOISA,
    "Isle of Man (Crown Dependency)": ISLE_OF_MAN_FOI,
    "Jersey (Crown Dependency)": JERSEY_FOI,
    "Guernsey (Crown Dependency)": GUERNSEY_CODE,
}


def law_for(force: str | None) -> Law:
    """The law a force answers under, from its registry entry (FOIA unless it says otherwise).

    BTP is a UK public authority and answers under FOIA even for Scottish incidents;
    only the Scottish public authorities, here Police Scotland, answer under FOISA.
    """
    if force is None:
        return FOIA
    from foistats.model.forces import registry

    area = registry().by_name(force)
    if area is None:
        return FOIA
    return _BY_COUNTRY.get(area.country, FOIA)
