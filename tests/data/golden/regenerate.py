"""Regenerate the golden match records and their transcripts (only after a deliberate change to the rules).

    python tests/data/golden/regenerate.py
    python tests/data/golden/regenerate.py --transcripts   (after a change to the narrator: the records stay)

Each golden is a match between named bots; for each the script tries seeds
from `first_seed` on until the match ends the way the golden is meant to end
(a crisis, a peace, a forfeit...), so a rules or bot change that moves the
outcomes still yields one of each. It writes `<name>.json` (the record) and
`<name>.all.txt`, `<name>.us.txt`, `<name>.dprk.txt` (what `python main.py
replay <name>.json --text --as <side>` prints). tests/test_record_golden.py
replays every record and compares the transcripts byte for byte; review the
diff (`git diff tests/data/golden`) before committing regenerated files.
With `--transcripts` it keeps every record and rewrites only the `.txt` files
from them: the way to regenerate after a change to how matches are worded.
"""

from __future__ import annotations

import contextlib
import io
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent.parent))

from game import cli  # noqa: E402
from game.bots import Bot, make_bot  # noqa: E402
from game.match import BotForfeit, play_match  # noqa: E402
from game.record import record_from_result, save_record  # noqa: E402
from game.scenario import default_scenario  # noqa: E402

STARTED = "2026-01-05T09:00:00+00:00"  # fixed times, so regenerating unchanged rules changes no file
ENDED = "2026-01-05T09:40:00+00:00"

# name, US bot, DPRK bot, the outcome it must end in, first seed to try
GOLDENS = [
    ("crisis_random", "random", "random", "crisis", 3),
    ("peace_dove_trapper", "dove", "trapper", "peace", 9),
    ("peace_verifier_reciprocator", "verifier", "reciprocator", "peace", 2),
    ("plain_hawk_dove", "hawk", "dove", "plain", 5),
    ("plain_random_passive", "random", "passive", "plain", 11),
    ("forfeit_random_quitter", "random", "quitter", "forfeit", 21),
]


class Quitter(Bot):
    """A test seat that plays at random and forfeits (as a crashed student's bot would) in round 4."""

    name = "quitter"
    description = "plays at random, then forfeits in round 4"
    classifier = {"stochastic": True, "search": False}

    def choose(self, view, legal, rng):
        """Pick at random until round 4, then forfeit."""
        if view.round >= 4:
            raise BotForfeit("crash", "ZeroDivisionError: division by zero (a test seat that always fails)")
        return legal[rng.randrange(len(legal))]


def _bot(spec: str) -> Bot:
    return Quitter() if spec == "quitter" else make_bot(spec)


def transcript(path: Path, side: str) -> str:
    """What `python main.py replay PATH --text --as SIDE` prints."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = cli.main(["replay", str(path), "--text", "--as", side])
    if code != 0:
        raise SystemExit(f"replay {path} failed with exit code {code}")
    return out.getvalue()


def regenerate(folder: Path = HERE) -> list[str]:
    """Play every golden match again and rewrite its record and transcripts; returns one line per golden."""
    scenario = default_scenario()
    report = []
    for name, us, dprk, want, first in GOLDENS:
        for seed in range(first, first + 200):
            players = {"us": _bot(us), "dprk": _bot(dprk)}
            result = play_match(scenario, seed, players, checksums=True)
            if result.outcome == want:
                break
        else:
            raise SystemExit(f"{name}: no seed from {first} to {first + 199} ends in {want}")
        record = record_from_result(result, players, started=STARTED, ended=ENDED)
        path = folder / f"{name}.json"
        save_record(record, path)
        for side in ("all", "us", "dprk"):
            (folder / f"{name}.{side}.txt").write_text(transcript(path, side), encoding="utf-8", newline="\n")
        report.append(f"{name}: seed {seed}, {us} vs {dprk}, {result.outcome}, {len(result.steps)} actions, "
                      f"{path.stat().st_size:,} bytes")
    return report


def rewrite_transcripts(folder: Path = HERE) -> list[str]:
    """Rewrite every golden's transcripts from its stored record (the records stay); returns one line per golden."""
    report = []
    for path in sorted(folder.glob("*.json")):
        for side in ("all", "us", "dprk"):
            (folder / f"{path.stem}.{side}.txt").write_text(transcript(path, side), encoding="utf-8", newline="\n")
        report.append(f"{path.stem}: transcripts rewritten from {path.name}")
    return report


if __name__ == "__main__":
    for line in (rewrite_transcripts() if sys.argv[1:] == ["--transcripts"] else regenerate()):
        print(line)
