"""What students' bots print during a tournament, kept per bot in the tournament's `printed/` folder, capped.

A worker sends each match's printed text back with the match's summary (so it
travels from any worker, local or on another machine); the parent takes it out
before the summary is logged and appends it to `printed/<bot>.txt` under a
header naming the match, until the file reaches its cap.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

FOLDER = "printed"
PER_MATCH_CHARS = 4000      # what a worker sends back per bot and match
PER_BOT_BYTES = 256 << 10   # what the folder keeps per bot
CAP_NOTE = "[the output cap of {kb} KB for this bot is reached: later output is not kept]\n"


def file_for(out: Path, name: str) -> Path:
    """The file that keeps what the entrant `name` printed."""
    return out / FOLDER / (re.sub(r"[^A-Za-z0-9_.=-]+", "_", name)[:80] + ".txt")


def take_printed(seats: dict[str, Any]) -> dict[str, str]:
    """In a worker: what each seat's bot printed this match ({side: text}; sides that printed nothing left out)."""
    printed = {}
    for side, seat in seats.items():
        take = getattr(getattr(seat, "inner", seat), "take_output", None)
        if take is None:
            continue
        text = take(PER_MATCH_CHARS)
        if text.strip():
            printed[side] = text
    return printed


def keep_printed(out: Path, summary: dict[str, Any]) -> None:
    """In the parent: move a summary's printed text (if any) into printed/<bot>.txt, capped per bot."""
    printed = summary.pop("printed", None)
    if not printed:
        return
    players = summary.get("players", {})
    title = " vs ".join(f"{n} as {s}" for s, n in players.items())
    for side, text in sorted(printed.items()):
        name = players.get(side)
        if name is None or not isinstance(text, str):
            continue
        path = file_for(out, name)
        path.parent.mkdir(exist_ok=True)
        size = path.stat().st_size if path.exists() else 0
        if size >= PER_BOT_BYTES:
            continue
        block = f"--- seed {summary.get('seed')} (repetition {summary.get('rep')}): {title} ---\n{text.rstrip()}\n"
        data = block.encode("utf-8", errors="replace")
        if size + len(data) > PER_BOT_BYTES:
            data = data[:max(0, PER_BOT_BYTES - size)] + b"\n" + CAP_NOTE.format(kb=PER_BOT_BYTES >> 10).encode()
        with path.open("ab") as f:
            f.write(data)
