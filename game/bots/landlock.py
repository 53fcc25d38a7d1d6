"""Linux Landlock through ctypes: a bot process fences itself in before it runs a line of the student's code.

Landlock is an unprivileged kernel sandbox (Linux 5.13+). A process builds a
ruleset ("these kinds of access are handled"), adds the paths where some of
them are allowed, and restricts itself (after `no_new_privs`); the rules hold
for it and every process it starts, and cannot be lifted. What each kernel
offers grows with its ABI version: 1 files, 2 renames across folders, 3
truncation, 4 TCP bind/connect, 5 device ioctls, 6 scopes (signals and
abstract unix sockets stay inside the domain), 7 audit logging.

`restrict` asks for everything the running kernel knows and reports, as a
dict of named protections, which ones hold, so the tournament header can say
which are off. It never raises: a kernel without Landlock (or another OS)
gets all protections reported off.
"""

from __future__ import annotations

import ctypes
import os
import sys
from pathlib import Path
from typing import Iterable

# Syscall numbers: the same on every Linux architecture (they came after the table was unified).
SYS_CREATE_RULESET, SYS_ADD_RULE, SYS_RESTRICT_SELF = 444, 445, 446
CREATE_RULESET_VERSION = 1
RULE_PATH_BENEATH = 1
PR_SET_NO_NEW_PRIVS = 38

FS_EXECUTE, FS_WRITE_FILE, FS_READ_FILE, FS_READ_DIR = 1 << 0, 1 << 1, 1 << 2, 1 << 3
FS_REMOVE_DIR, FS_REMOVE_FILE, FS_MAKE_CHAR, FS_MAKE_DIR = 1 << 4, 1 << 5, 1 << 6, 1 << 7
FS_MAKE_REG, FS_MAKE_SOCK, FS_MAKE_FIFO, FS_MAKE_BLOCK, FS_MAKE_SYM = 1 << 8, 1 << 9, 1 << 10, 1 << 11, 1 << 12
FS_REFER, FS_TRUNCATE, FS_IOCTL_DEV = 1 << 13, 1 << 14, 1 << 15
NET_BIND_TCP, NET_CONNECT_TCP = 1 << 0, 1 << 1
SCOPE_ABSTRACT_UNIX_SOCKET, SCOPE_SIGNAL = 1 << 0, 1 << 1

READ = FS_EXECUTE | FS_READ_FILE | FS_READ_DIR
FILE_ONLY = FS_EXECUTE | FS_READ_FILE | FS_WRITE_FILE | FS_TRUNCATE | FS_IOCTL_DEV  # rights a file rule may hold

PROTECTIONS = ("files", "network", "signals", "no_new_privs")


def _fs_mask(abi: int) -> int:
    mask = (1 << 13) - 1  # ABI 1: execute .. make_sym
    if abi >= 2:
        mask |= FS_REFER
    if abi >= 3:
        mask |= FS_TRUNCATE
    if abi >= 5:
        mask |= FS_IOCTL_DEV
    return mask


class _RulesetAttr(ctypes.Structure):
    _fields_ = [("handled_access_fs", ctypes.c_uint64), ("handled_access_net", ctypes.c_uint64),
                ("scoped", ctypes.c_uint64)]


class _PathBeneathAttr(ctypes.Structure):
    _pack_ = 1
    _fields_ = [("allowed_access", ctypes.c_uint64), ("parent_fd", ctypes.c_int32)]


def _libc():
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.syscall.restype = ctypes.c_long
        return libc
    except (OSError, AttributeError):
        return None


def abi_version() -> int:
    """The kernel's Landlock ABI version, or 0 where there is none (another OS, an old or unconfigured kernel)."""
    libc = _libc()
    if libc is None:
        return 0
    v = libc.syscall(ctypes.c_long(SYS_CREATE_RULESET), None, ctypes.c_size_t(0),
                     ctypes.c_uint32(CREATE_RULESET_VERSION))
    return max(0, int(v))


def no_new_privs() -> bool:
    """Set `no_new_privs` (no setuid gain through exec, for us and our children); True if it holds."""
    libc = _libc()
    if libc is None:
        return False
    return libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0


def restrict(read: Iterable[Path], write: Iterable[Path]) -> dict[str, bool]:
    """Fence this process (and its future children) in: read and run only under `read`, write only under
    `write`, no TCP, no signals or abstract sockets beyond its own domain. Returns which protections hold."""
    held = {name: False for name in PROTECTIONS}
    held["no_new_privs"] = no_new_privs()
    abi = abi_version()
    libc = _libc()
    if abi < 1 or libc is None or not held["no_new_privs"]:
        return held
    fs = _fs_mask(abi)
    attr = _RulesetAttr(fs, (NET_BIND_TCP | NET_CONNECT_TCP) if abi >= 4 else 0,
                        (SCOPE_ABSTRACT_UNIX_SOCKET | SCOPE_SIGNAL) if abi >= 6 else 0)
    size = ctypes.sizeof(_RulesetAttr) if abi >= 6 else (16 if abi >= 4 else 8)
    ruleset = libc.syscall(ctypes.c_long(SYS_CREATE_RULESET), ctypes.byref(attr), ctypes.c_size_t(size),
                           ctypes.c_uint32(0))
    if ruleset < 0:
        return held
    try:
        for paths, rights in ((read, READ), (write, fs)):
            for path in paths:
                _allow(libc, int(ruleset), Path(path), rights & fs)
        if libc.syscall(ctypes.c_long(SYS_RESTRICT_SELF), ctypes.c_int(ruleset), ctypes.c_uint32(0)) != 0:
            return held
    finally:
        os.close(int(ruleset))
    held["files"] = True
    held["network"] = abi >= 4
    held["signals"] = abi >= 6
    return held


def _allow(libc, ruleset: int, path: Path, rights: int) -> None:
    """Add one rule (a path that does not exist is skipped; a file gets only the rights a file can have)."""
    try:
        fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
    except OSError:
        return
    try:
        if not path.is_dir():
            rights &= FILE_ONLY
        attr = _PathBeneathAttr(rights, fd)
        libc.syscall(ctypes.c_long(SYS_ADD_RULE), ctypes.c_int(ruleset), ctypes.c_int(RULE_PATH_BENEATH),
                     ctypes.byref(attr), ctypes.c_uint32(0))
    finally:
        os.close(fd)
