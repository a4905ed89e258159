"""Regular expressions compiled on first use.

`foistats check 28 152 443%` must start instantly; the sentence and passage grammars
hold dozens of patterns that the two-figure form never needs, so each is compiled only
when first searched.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any


class _Lazy:
    """A regex compiled on first use: the common `28 152 443%` form never needs the sentence patterns,
    and compiling them all at import would cost `foistats check` a noticeable slice of its start-up."""

    __slots__ = ("_compiled", "_source")

    def __init__(self, source: str) -> None:
        self._source = source
        self._compiled: re.Pattern[str] | None = None

    def _get(self) -> re.Pattern[str]:
        if self._compiled is None:
            self._compiled = re.compile(self._source)
        return self._compiled

    def search(self, text: str) -> re.Match[str] | None:
        return self._get().search(text)

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        return self._get().finditer(text)

    def findall(self, text: str) -> list[Any]:
        return self._get().findall(text)

    def sub(self, repl: Any, text: str) -> str:
        return self._get().sub(repl, text)


    def split(self, text: str) -> list[str]:
        return self._get().split(text)

    def match(self, text: str, pos: int = 0) -> re.Match[str] | None:
        return self._get().match(text, pos)
