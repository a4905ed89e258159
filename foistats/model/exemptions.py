"""FOI exemptions by section: "s12" read as "s12 (cost limit)".

Shared vocabulary: reply letters (intake), the campaign tracker and the tidy rows of
refusals all name exemptions the same way.
"""

from __future__ import annotations

import re

_EXEMPTIONS = {
    "12": "cost limit", "14": "vexatious", "21": "accessible by other means", "22": "intended for future publication",
    "23": "security bodies", "24": "national security", "30": "investigations", "31": "law enforcement",
    "38": "health and safety", "40": "personal data", "41": "information provided in confidence",
    "42": "legal professional privilege", "43": "commercial interests", "44": "prohibitions on disclosure",
}
_SECTION = re.compile(r"\b(?:sections?|s\.?)\s*(\d{1,2})(\s*\(\s*\d\s*\))?", re.I)


def exemption_words(text: str | None) -> str | None:
    """ "refused: section 12 (cost limit)" or "s12" → "s12 (cost limit)"; other text as given."""
    if not text:
        return None
    found = []
    for m in _SECTION.finditer(text):
        sub = re.sub(r"\s+", "", m.group(2) or "")
        label = f"s{m.group(1)}{sub}"
        meaning = _EXEMPTIONS.get(m.group(1))
        words = f"{label} ({meaning})" if meaning else label
        if words not in found:
            found.append(words)
    if found:
        return "; ".join(found)
    cleaned = re.sub(r"^\s*refus(?:ed|al)\s*[:,-]?\s*", "", text, flags=re.I).strip()
    return cleaned or None
