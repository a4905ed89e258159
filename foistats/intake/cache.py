"""A small cache of document extractions, keyed by the file's content hash.

Reading the characters of a 60-page PDF and rebuilding its tables takes seconds; a
folder of replies is re-read by every command (import, check, status), so the result
is kept as JSON in the user's cache folder: `$FOISTATS_CACHE_DIR`, else
`$XDG_CACHE_HOME/foistats`, else `~/.cache/foistats`. Set `FOISTATS_CACHE_DIR=off` to
disable it.

Safe against corruption and stale versions: the key is the SHA-256 of the file's bytes
plus the extractor's name and version, each entry carries its own key and a checksum
of its body and is written atomically (temporary file, then rename); an entry that
does not parse, whose key differs or whose checksum fails is ignored and rewritten.
A cache that cannot be written (read-only home) is silently skipped: it only saves time.
Standard library only.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

_FORMAT = 1


def cache_dir() -> Path | None:
    """Where extractions are kept, or None when caching is switched off."""
    explicit = os.environ.get("FOISTATS_CACHE_DIR")
    if explicit is not None:
        if explicit.strip().lower() in ("", "off", "0", "none", "false"):
            return None
        return Path(explicit).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg).expanduser() if xdg else Path.home() / ".cache"
    return base / "foistats"


def content_key(data: bytes, extractor: str, version: str) -> str:
    digest = hashlib.sha256(data).hexdigest()
    return f"{extractor}-{version}-{digest}"


def _entry_path(key: str) -> Path | None:
    folder = cache_dir()
    if folder is None:
        return None
    return folder / "extract" / key[-2:] / f"{key}.json.gz"


def load(key: str) -> Any | None:
    """The cached extraction for `key`, or None (absent, corrupt, or of another version)."""
    path = _entry_path(key)
    if path is None or not path.is_file():
        return None
    try:
        with gzip.open(path, "rb") as fh:
            envelope = json.loads(fh.read().decode("utf-8"))
        if not isinstance(envelope, dict) or envelope.get("format") != _FORMAT or envelope.get("key") != key:
            return None
        body = envelope.get("body")
        text = json.dumps(body, sort_keys=True, ensure_ascii=False)
        if hashlib.sha256(text.encode("utf-8")).hexdigest() != envelope.get("check"):
            return None
        return body
    except (OSError, EOFError, ValueError, UnicodeDecodeError, gzip.BadGzipFile):
        return None


def store(key: str, body: Any) -> None:
    """Keep `body` (JSON-able) under `key`; never raises."""
    path = _entry_path(key)
    if path is None:
        return
    try:
        text = json.dumps(body, sort_keys=True, ensure_ascii=False)
        envelope = {"format": _FORMAT, "key": key, "check": hashlib.sha256(text.encode("utf-8")).hexdigest(), "body": body}
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".json.gz", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=3) as fh:
                fh.write(json.dumps(envelope, ensure_ascii=False).encode("utf-8"))
            os.replace(tmp, path)
        except BaseException:
            try:
                os.unlink(tmp)
            except OSError:
                pass
            raise
    except (OSError, TypeError, ValueError):
        return
