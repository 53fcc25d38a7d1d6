"""Where a match's hidden draws come from: a typed seed mixed with a secret no bot can reach.

A seed a person types (or a tournament derives from its small seed) is public
and small, so any public function of it can be searched from inside a bot:
try seeds until one reproduces what the bot holds, then redraw the other
side's cards. So the draws (and every bot's `rng`) come from the *engine seed*,
`hidden_seed(seed, secret)`, a keyed hash (HMAC-SHA256) of the typed seed with
a 256-bit secret: without the secret the engine seed is 64 unguessable bits.

The secret lives in a file the bot processes cannot open (the sandbox's
Landlock rules admit only the Python installation and the bot's own folder):
for the `match` command the user's own `~/.crossroads/secret` (made on first
use; `CROSSROADS_SECRET_FILE` names another), so the same `--seed` plays the
same match for whoever typed it; for a tournament a key stored in its folder.
Records keep the engine seed, which is all replay needs (records are read
after the match).
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets as _secrets
from pathlib import Path

SECRET_ENV = "CROSSROADS_SECRET_FILE"
SECRET_BYTES = 32


class SecretError(Exception):
    """The secret file cannot be read or made (the message is one line)."""


def hidden_seed(seed: int, secret: bytes) -> int:
    """The engine seed of a match: a keyed hash of the typed seed, 64 bits (the engine's generator state size)."""
    digest = hmac.new(secret, f"crossroads-match:{int(seed)}".encode(), hashlib.sha256).digest()
    return int.from_bytes(digest[:8], "big")


def derive_key(secret: bytes, label: str) -> bytes:
    """A sub-key of `secret` for one purpose (say, a tournament's draws or its log's authentication)."""
    return hmac.new(secret, f"crossroads-key:{label}".encode(), hashlib.sha256).digest()


def new_secret() -> bytes:
    """A fresh random secret."""
    return _secrets.token_bytes(SECRET_BYTES)


def secret_path() -> Path:
    """The user's secret file: `$CROSSROADS_SECRET_FILE`, or `~/.crossroads/secret`."""
    named = os.environ.get(SECRET_ENV)
    return Path(named) if named else Path.home() / ".crossroads" / "secret"


def read_secret_file(path: Path) -> bytes:
    """The secret held in `path` (64 hex digits); SecretError if it is missing or not a secret file."""
    try:
        if not path.is_file():
            raise SecretError(f"{path}: not a secret file (not a regular file)")
        text = path.read_text(encoding="ascii").strip()
        value = bytes.fromhex(text)
    except (OSError, UnicodeDecodeError, ValueError) as err:
        raise SecretError(f"{path}: the secret cannot be read ({err.__class__.__name__})") from None
    if len(value) != SECRET_BYTES:
        raise SecretError(f"{path}: the secret must be {2 * SECRET_BYTES} hex digits")
    return value


def write_secret_file(path: Path, value: bytes) -> None:
    """Store a secret readable by its owner only; refuses to replace an existing file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as f:
        f.write(value.hex() + "\n")


def user_secret() -> bytes:
    """The user's secret (made on first use); SecretError if it cannot be read or made."""
    path = secret_path()
    if not path.exists():
        try:
            write_secret_file(path, new_secret())
        except FileExistsError:
            pass  # another process made it first: read theirs
        except OSError as err:
            raise SecretError(f"{path}: cannot make the secret file ({err.strerror or err.__class__.__name__}); "
                              f"set {SECRET_ENV} to a writable path") from None
    return read_secret_file(path)
