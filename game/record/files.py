"""Saving records atomically (a temp file, fsync, rename), sweeping stale temp files, and the rotating autosaver."""

from __future__ import annotations

import errno
import os
import re
import secrets
import time
from pathlib import Path
from typing import Callable

from game.record.build import record_json
from game.record.decode import load_record
from game.record.schema import Record, RecordError


def _write_chunk(fd: int, data: bytes) -> int:
    """Write some of `data` to a file descriptor (one `os.write`); a seam tests use to fail a write half way."""
    return os.write(fd, data)


def write_atomic(path: str | os.PathLike, data: bytes) -> None:
    """Replace the file at `path` with `data` so that a crash at any moment leaves the old file or the new one.

    Writes a temporary file in the same folder, flushes and fsyncs it, then
    `os.replace`s it over `path` and fsyncs the folder (where the platform
    allows; Windows does not, quietly). A process killed mid-write cannot
    remove its temporary file; the next save to the same path sweeps it.
    """
    path = Path(path)
    tmp = _write_temp(path, data)
    _commit(tmp, path)


def _write_temp(path: Path, data: bytes) -> Path:
    """Write `data` to a new temporary file beside `path` (flushed and fsynced); removed again if anything fails."""
    sweep_temp_files(path)
    tmp = path.parent / f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp"
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    fd = os.open(tmp, flags, 0o666)
    try:
        try:
            view = memoryview(data)
            while view:
                n = _write_chunk(fd, view)
                if n <= 0:
                    raise OSError(errno.EIO, "write made no progress")
                view = view[n:]
            os.fsync(fd)
        finally:
            os.close(fd)
    except BaseException:
        _unlink_quietly(tmp)
        raise
    return tmp


def _commit(tmp: Path, path: Path, before: Callable[[], None] | None = None) -> None:
    """Move a written temporary file over `path` (after `before`, if given) and fsync the folder."""
    try:
        if before is not None:
            before()
        os.replace(tmp, path)
    except BaseException:
        _unlink_quietly(tmp)
        raise
    _fsync_dir(path.parent)


def _unlink_quietly(path: Path) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return  # Windows cannot open a folder; its os.replace is as durable as it gets there
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


_STALE_SECONDS = 600


def temp_files(path: str | os.PathLike) -> list[Path]:
    """Temporary files of unfinished saves to `path` (normally none; a killed process may leave one)."""
    path = Path(path)
    try:
        return sorted(p for p in path.parent.glob(f".{glob_escape(path.name)}.*.tmp"))
    except OSError:
        return []


def glob_escape(name: str) -> str:
    """A file name with glob's special characters escaped."""
    return re.sub(r"([*?\[])", r"[\1]", name)


def sweep_temp_files(path: str | os.PathLike) -> None:
    """Remove temporary files of earlier saves to `path` whose writer is gone (dead, or stale for 10 minutes)."""
    path = Path(path)
    for tmp in temp_files(path):
        parts = tmp.name[len(path.name) + 2:].split(".")
        pid = int(parts[0]) if parts and parts[0].isdigit() else None
        if pid == os.getpid():
            continue  # another thread of ours may be writing it
        try:
            if not (_pid_gone(pid) or time.time() - tmp.stat().st_mtime > _STALE_SECONDS):
                continue
            tmp.unlink()
        except OSError:
            pass


def _pid_gone(pid: int | None) -> bool:
    if pid is None or os.name != "posix":
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OSError:
        return False
    return False


def save_record(record: Record, path: str | os.PathLike) -> Path:
    """Write a record to `path` atomically (the old file or the new one, never a torn one); returns the path."""
    path = Path(path)
    write_atomic(path, record_json(record).encode("utf-8"))
    return path


class Autosaver:
    """Autosaves of one game: `save(record)` after every action keeps the newest `keep` (default 3) files.

    The files are `<folder>/<stem>.autosave1.json` (newest) to
    `<stem>.autosave3.json` (oldest). Each save writes the new record to a
    temporary file first, then rotates the older ones and moves it into place,
    so a crash at any moment loses at most the last action. The game window's
    Continue uses `latest()`.
    """

    def __init__(self, folder: str | os.PathLike, stem: str = "game", keep: int = 3):
        if keep < 1:
            raise ValueError("keep at least one autosave")
        if not stem or any(c in stem for c in "/\\") or stem.startswith("."):
            raise ValueError(f"autosave stem {stem!r}: use a plain file name")
        self.folder = Path(folder)
        self.stem = stem
        self.keep = keep

    def path(self, n: int = 1) -> Path:
        """The file of the n-th newest autosave (1 = the newest)."""
        return self.folder / f"{self.stem}.autosave{n}.json"

    def save(self, record: Record) -> Path:
        """Autosave a record as the newest, shifting the older ones down and dropping the oldest."""
        self.folder.mkdir(parents=True, exist_ok=True)
        newest = self.path(1)
        tmp = _write_temp(newest, record_json(record).encode("utf-8"))

        def rotate() -> None:
            for n in range(self.keep - 1, 0, -1):
                if self.path(n).exists():
                    os.replace(self.path(n), self.path(n + 1))

        _commit(tmp, newest, before=rotate)
        return newest

    def paths(self) -> list[Path]:
        """The autosave files that exist, newest first."""
        return [self.path(n) for n in range(1, self.keep + 1) if self.path(n).exists()]

    def latest(self) -> tuple[Path, Record] | None:
        """The newest autosave that loads (skipping damaged ones), with its path; None if there is none."""
        for p in self.paths():
            try:
                return p, load_record(p)
            except RecordError:
                continue
        return None

    def clear(self) -> None:
        """Delete this game's autosaves (for example once the finished match has been saved for good)."""
        for p in self.paths():
            try:
                p.unlink()
            except FileNotFoundError:
                pass
        sweep_temp_files(self.path(1))
