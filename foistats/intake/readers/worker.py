"""A long-lived reader process: calamine runs there, so an abort kills the worker, not the import.

The guard measures every size calamine is known to allocate from, and panics are
caught in-process; but an *abort* (an allocation Rust cannot make, on a path nobody has
found yet) ends the process that runs it, and a folder import would end with it. So
spreadsheets are read in one worker process, started on first use and kept for the
whole run (a process per file would cost ~150 ms each; 450 returns must import in
about 2 s). If the worker dies, that file gets one line - "the spreadsheet reader
crashed on this file" - and the next file starts a fresh worker. A read that takes
longer than READ_TIMEOUT seconds is stopped the same way, so a file cannot hang the
import either.

The worker's stderr goes to /dev/null (Rust's panic and abort text, backtraces with
RUST_BACKTRACE set), and it imports only python-calamine and the guard, not polars.
Files over WORKER_MAX_BYTES are read in-process (see there). Set
FOISTATS_READER=inprocess to read everything in the calling process (debugging,
profiling), or FOISTATS_READER=worker to send everything to the worker.

Protocol: length-prefixed pickles over the worker's stdin/stdout. The parent unpickles
only what its own worker wrote.
"""

from __future__ import annotations

import os
import pickle
import struct
import subprocess
import sys
from pathlib import Path
from typing import Any

# Seconds for one file. Only files up to WORKER_MAX_BYTES come here, which calamine reads
# in well under a second; a minute leaves room for a machine under heavy load.
READ_TIMEOUT = 60.0

_proc: subprocess.Popen[bytes] | None = None


# Files larger than this are read in-process: handing 200,000 rows back through a pipe
# costs ~1.5 s of pickling, and the files built to abort a reader are tiny (the lying
# headers found so far are 1-10 KB). FOISTATS_READER=worker sends every file to the worker.
WORKER_MAX_BYTES = 4 * 1024 * 1024


def enabled(path: Path | None = None) -> bool:
    """Read this file in the worker? (FOISTATS_READER=inprocess|worker overrides.)"""
    mode = os.environ.get("FOISTATS_READER", "auto").lower()
    if os.name == "nt":
        return False  # select() does not work on pipes there; read in-process (the guard still applies)
    if mode in ("inprocess", "worker"):
        return mode == "worker"
    try:
        return path is None or path.stat().st_size <= WORKER_MAX_BYTES
    except OSError:
        return True


CALAMINE = "foistats.intake.readers.spreadsheet:_read_calamine_here"


def read(path: Path, kind: str, reader: str = CALAMINE, *extra: Any) -> Any:
    """What `reader(path, kind, *extra)` returns, run in the worker; InputError on any failure.

    `reader` is "module:function", so any reader (the PDF and Word ones too) can be
    isolated the same way without this module importing them.
    """
    from foistats.model.errors import InputError

    proc = _worker()
    try:
        _send(proc.stdin, (reader, str(path), kind, extra))
        reply = _receive(proc.stdout, READ_TIMEOUT)
    except _Timeout:
        _stop()
        raise InputError(
            f"the spreadsheet reader did not finish within {READ_TIMEOUT:.0f} seconds; "
            "the file is damaged or built to stall readers",
            path=path,
        ) from None
    except (OSError, EOFError, pickle.UnpicklingError, struct.error, ValueError):
        try:
            code = proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            code = None
        _stop()
        how = " (it aborted)" if code is not None and code < 0 else ""
        raise InputError(
            f"the spreadsheet reader crashed on this file{how}: it is damaged, or built to break readers",
            path=path,
        ) from None
    status, payload = reply
    if status == "ok":
        return payload
    message, where, sheet, cell, hint = payload
    raise InputError(message, path=where, sheet=sheet, cell=cell, hint=hint)


def _worker() -> subprocess.Popen[bytes]:
    global _proc
    if _proc is None or _proc.poll() is not None:
        env = dict(os.environ, FOISTATS_READER="inprocess")
        _proc = subprocess.Popen(
            [sys.executable, "-m", "foistats.intake.readers.worker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=env,
        )
        import atexit

        atexit.register(_stop)
    return _proc


def _stop() -> None:
    global _proc
    proc, _proc = _proc, None
    if proc is None:
        return
    try:
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=5)
    except (OSError, subprocess.TimeoutExpired):
        pass
    for fh in (proc.stdin, proc.stdout):
        try:
            if fh is not None:
                fh.close()
        except OSError:
            pass


class _Timeout(Exception):
    pass


def _send(fh: Any, obj: Any) -> None:
    data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    fh.write(struct.pack("<Q", len(data)))
    fh.write(data)
    fh.flush()


def _read_exactly(fh: Any, n: int, timeout: float | None) -> bytes:
    import select

    out = bytearray()
    fd = fh.fileno()
    while len(out) < n:
        if timeout is not None:
            ready, _, _ = select.select([fd], [], [], timeout)
            if not ready:
                raise _Timeout
        chunk = os.read(fd, min(n - len(out), 1 << 20))
        if not chunk:
            raise EOFError
        out += chunk
    return bytes(out)


def _receive(fh: Any, timeout: float | None) -> Any:
    (size,) = struct.unpack("<Q", _read_exactly(fh, 8, timeout))
    return pickle.loads(_read_exactly(fh, size, timeout))


def _serve() -> None:
    """The worker's loop: read a request, read the workbook in-process, reply; until stdin closes."""
    import importlib

    from foistats.model.errors import InputError

    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # nothing but replies may go down the pipe
    while True:
        try:
            reader, path, kind, extra = _receive(stdin, None)
        except EOFError:
            return
        try:
            module, _, name = reader.partition(":")
            if not module.startswith("foistats.intake.readers."):
                raise InputError(f"not a reader: {reader}", path=path)
            function = getattr(importlib.import_module(module), name)
            reply: Any = ("ok", function(Path(path), kind, *extra))
        except InputError as exc:
            reply = ("error", (exc.reason, exc.path, exc.sheet, exc.cell, exc.hint))
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException as exc:  # noqa: BLE001 - anything else is still one line for the user
            reply = ("error", (f"cannot read the file ({type(exc).__name__})", path, None, None, None))
        _send(stdout, reply)


if __name__ == "__main__":
    _serve()
