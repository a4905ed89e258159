"""Writing files: atomically, so an interrupted run never leaves half an output behind.

Separate from the renderer because writing a file is not rendering: the tidy dataset,
the import report's JSON, exports, charts and the campaign template all land through here.

The contract (README "Output"):
- `-o -` is stdout; `-o /dev/stdout`, `/dev/null`, a FIFO or any other non-regular file
  is written as a stream, never replaced by a rename;
- `-o` through a symlink writes the file it points to (the link stays a link);
- a new file's mode follows the umask (0644 under 022); a replaced file keeps its mode;
- a file that cannot be written (no such folder, permission, full disk, over-long
  name) is one line and exit 3, never a traceback, and no temporary file is left.
"""

from __future__ import annotations

import errno
import os
import stat
import sys
from pathlib import Path
from typing import Any, Callable

from foistats.model.errors import EXIT_INPUT, FoistatsError, UsageError


class OutputError(FoistatsError):
    """An output could not be written (exit 3, like an input that cannot be read)."""

    exit_code = EXIT_INPUT


def is_stdout(path: Path | str | None) -> bool:
    return path is not None and str(path) == "-"


def describe_os_error(exc: OSError) -> str:
    """'No space left on device', not '[Errno 28] No space left on device: ...'."""
    if exc.errno == errno.ENAMETOOLONG:
        return "file name too long"
    return (exc.strerror or str(exc)).rstrip(".")


def _stream_target(path: Path) -> bool:
    """True when `path` is written as a stream: a device, FIFO or socket, or anything under
    /dev or /proc (`-o /dev/stdout` while stdout is a file must write into that file, never
    rename a new file over the /dev entry)."""
    text = os.path.abspath(str(path))
    if text.startswith(("/dev/", "/proc/")):
        return True
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return not stat.S_ISREG(mode) and not stat.S_ISDIR(mode)


def _new_file_mode(existing: Path) -> int:
    """A replaced file keeps its mode; a new one gets 0666 less the umask, as `open()` would."""
    try:
        return stat.S_IMODE(os.stat(existing).st_mode)
    except OSError:
        pass
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def atomic_write_text(path: Path, text: str) -> None:
    """Write via a temporary file and rename, so an interrupted run never leaves half a file."""
    atomic_write_bytes(path, text.encode("utf-8"))


def atomic_write_bytes(path: Path, data: bytes) -> None:
    if is_stdout(path):
        _write_stdout(data)
        return

    def write(tmp: str) -> None:
        with open(tmp, "wb") as fh:
            fh.write(data)

    atomic_write_with(path, write)


def _write_stdout(data: bytes) -> None:
    sys.stdout.flush()
    try:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    except BrokenPipeError:
        raise
    except OSError as exc:
        raise OutputError(f"cannot write to stdout: {describe_os_error(exc)}") from None


def atomic_write_with(path: Path, write: Callable[[str], Any]) -> None:
    """Let `write` fill a temporary file beside `path`, then rename it into place.

    The writer gets a path, so polars can stream a million rows straight to disk
    rather than building the whole file in memory first. A stream target (device, FIFO,
    `-`) is handed to the writer directly: it cannot be renamed over.
    """
    import tempfile

    if is_stdout(path):
        _writer_to_stdout(write)
        return
    path = Path(path)
    if path.is_dir():
        raise UsageError(f"cannot write {path}: it is a folder", hint="name a file with -o")
    if _stream_target(path):
        try:
            write(str(path))
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise OutputError(f"cannot write {path}: {describe_os_error(exc)}") from None
        return
    # Through a symlink: write the target, keep the link.
    target = Path(os.path.realpath(path)) if path.is_symlink() else path
    parent = target.parent if str(target.parent) else Path(".")
    if not parent.exists():
        raise UsageError(f"cannot write {path}: folder {parent} does not exist")
    mode = _new_file_mode(target)
    tmp: str | None = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name[:40]}.", suffix=".tmp", dir=parent)
        os.close(fd)
        write(tmp)
        os.chmod(tmp, mode)
        if len(target.name.encode()) > 255:  # rename would fail the same way; say it plainly
            raise OSError(errno.ENAMETOOLONG, "File name too long", str(path))
        os.replace(tmp, target)
        tmp = None
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {describe_os_error(exc)}") from None
    except Exception as exc:  # polars wraps I/O failures in its own exception types
        if _looks_like_io(exc):
            raise OutputError(f"cannot write {path}: {_first_line(exc)}") from None
        raise
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass


def _writer_to_stdout(write: Callable[[str], Any]) -> None:
    """A path-taking writer (polars) aimed at stdout: through a temporary file, then copied."""
    import shutil
    import tempfile

    with tempfile.TemporaryDirectory(prefix="foistats-") as folder:
        tmp = os.path.join(folder, "out")
        write(tmp)
        sys.stdout.flush()
        with open(tmp, "rb") as fh:
            try:
                shutil.copyfileobj(fh, sys.stdout.buffer)
                sys.stdout.buffer.flush()
            except BrokenPipeError:
                raise
            except OSError as exc:
                raise OutputError(f"cannot write to stdout: {describe_os_error(exc)}") from None


def _looks_like_io(exc: Exception) -> bool:
    text = str(exc).lower()
    return any(w in text for w in ("no space", "os error", "permission denied", "file name too long", "i/o error"))


def _first_line(exc: Exception) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


def refuse_overwriting_inputs(output: Path | None, inputs: list[Path]) -> None:
    """`-o` naming one of the inputs is refused before anything is read or written.

    An input named directly, or a file inside an input folder that would be read as a
    return (foistats' own outputs found there are skipped, so replacing one is fine).
    """
    if output is None or is_stdout(output) or _stream_target(output):
        return
    try:
        out = Path(os.path.realpath(output))
    except OSError:
        return
    for p in inputs:
        if is_stdout(p):
            continue
        try:
            real = Path(os.path.realpath(p))
        except OSError:
            continue
        if out == real:
            raise UsageError(f"-o {output} is one of the inputs", hint="write the output somewhere else")
        if real.is_dir() and out.is_file() and real in out.parents:
            from foistats.intake.own_outputs import recognise

            if recognise(out) is None and not any(part.startswith(".") for part in out.relative_to(real).parts):
                from foistats.intake.pipeline import SUPPORTED

                if out.suffix.lower() in SUPPORTED:
                    raise UsageError(
                        f"-o {output} would replace a return in {p}", hint="write the output somewhere else"
                    )
