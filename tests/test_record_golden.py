"""Golden records: stored matches whose transcripts must replay byte for byte.

After a deliberate rules change that alters them, regenerate them with
`python tests/data/golden/regenerate.py` and review `git diff tests/data/golden`;
after a change to the narrator only, `regenerate.py --transcripts` rewrites the
transcripts from the stored records.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from game import cli
from game.record import load_record, verify

GOLDEN = Path(__file__).resolve().parent / "data" / "golden"
RECORDS = sorted(GOLDEN.glob("*.json"))
REGENERATE = "python tests/data/golden/regenerate.py"


def test_there_are_enough_different_goldens():
    records = [load_record(p) for p in RECORDS]
    assert len(records) >= 5
    assert len({r.seed for r in records}) >= 5
    assert len({tuple(p.name for p in r.players.values()) for r in records}) >= 4
    outcomes = {r.outcome for r in records}
    assert "crisis" in outcomes and outcomes & {"peace", "settlement"}


@pytest.mark.parametrize("path", RECORDS, ids=lambda p: p.stem)
def test_golden_record_verifies(path):
    record = load_record(path)
    assert verify(record, str(path)).actions == len(record.steps) > 0


@pytest.mark.parametrize("side", ["all", "us", "dprk"])
@pytest.mark.parametrize("path", RECORDS, ids=lambda p: p.stem)
def test_golden_transcript_replays_byte_for_byte(path, side, capsys):
    code = cli.main(["replay", str(path), "--text", "--as", side])
    out = capsys.readouterr().out
    assert code == 0
    expected = path.with_suffix(f".{side}.txt").read_bytes()
    assert out.encode("utf-8") == expected, f"{path.name} --as {side} replays differently; if the rules changed " \
                                            f"on purpose, run {REGENERATE} and review the diff"


@pytest.mark.parametrize("path", RECORDS, ids=lambda p: p.stem)
def test_verbose_adds_the_bookkeeping_and_drops_nothing(path, capsys):
    """`replay --verbose` prints each trust move; every other line of the plain transcript is in it too."""
    assert cli.main(["replay", str(path), "--text", "--verbose"]) == 0
    verbose = capsys.readouterr().out.splitlines()
    plain = path.with_suffix(".all.txt").read_text(encoding="utf-8").splitlines()
    summaries = [line for line in plain if line.startswith(("    trust: ", "End of round "))]
    assert [line for line in plain if line not in summaries and line not in verbose] == []
    assert sum(line.startswith("End of round ") for line in verbose) == sum(line.startswith("End of round ")
                                                                          for line in plain)
    assert any(" trust " in line and " -> " in line for line in verbose) or not summaries
