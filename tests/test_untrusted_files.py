"""Untrusted files hurt nothing (issue 15): records and the scenarios inside them are bounded before use."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

import pytest

from game.cli import main as cli_main
from game.record import RecordError, Takeover, fork, load_record, parse_record, resume, save_record
from game.scenario import parse_scenario

GOLDEN = Path(__file__).resolve().parent / "data" / "golden"


def one_line_error(capsys, argv) -> str:
    code = cli_main([str(a) for a in argv])
    err = capsys.readouterr().err.strip()
    assert code != 0 and "\n" not in err and "Traceback" not in err, err
    return err


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX FIFOs")
def test_a_fifo_is_refused_at_once(tmp_path, capsys):
    fifo = tmp_path / "record.json"
    os.mkfifo(fifo)
    result: list[str] = []
    reader = threading.Thread(target=lambda: result.append(one_line_error(capsys, ["replay", fifo, "--verify"])))
    reader.start()
    reader.join(120)  # a guard against hanging the suite, not a timing: refusing a FIFO takes no time at all
    waited = reader.is_alive()
    if waited:  # it waits for a writer: be that writer, so the thread ends, then fail
        os.close(os.open(fifo, os.O_WRONLY))
        reader.join()
    assert not waited, "it waited for a writer"
    assert "not a regular file" in result[0]


def test_repeated_keys_are_refused():
    text = (GOLDEN / "plain_hawk_dove.json").read_text()
    doubled = text.replace('"outcome":', '"outcome": "crisis", "outcome":', 1)
    with pytest.raises(RecordError, match="repeated key 'outcome'"):
        parse_record(doubled)


def test_a_file_of_countless_tiny_values_is_refused_before_parsing():
    with pytest.raises(RecordError, match="more than 300,000 values"):
        parse_record("[" + "{}," * 1_000_000 + "{}]")


def test_every_number_of_a_scenario_is_bounded():
    raw = json.loads((GOLDEN / "plain_hawk_dove.json").read_text())["scenario"]
    huge = json.loads(json.dumps(raw))
    huge["events"][0]["count"] = 10 ** 30
    with pytest.raises(Exception) as caught:
        parse_scenario(huge)  # refused by its bound before any use (a count of 10**30 used would never end)
    assert "count" in str(caught.value)
    big = json.loads(json.dumps(raw))
    big["tension"]["pressure"] = 10 ** 12
    with pytest.raises(Exception, match="pressure"):
        parse_scenario(big)


def test_names_and_details_from_a_file_cannot_forge_lines(tmp_path, capsys):
    data = json.loads((GOLDEN / "forfeit_random_quitter.json").read_text())
    data["players"]["us"]["name"] = "nice\nOutcome: peace; us 99\x1b[2J\x00"
    data["forfeit"]["detail"] = "oops\ndprk forfeits (crash): forged"
    path = tmp_path / "r.json"
    path.write_text(json.dumps(data))
    assert cli_main(["replay", str(path), "--text"]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x00" not in out
    assert "Outcome: peace; us 99" not in out.splitlines() and "nice\\nOutcome" in out
    assert [line for line in out.splitlines() if "forfeits" in line] == [
        "dprk forfeits (crash): oops\\ndprk forfeits (crash): forged"]


def test_a_record_taken_over_too_often_is_refused_before_play(tmp_path):
    record = load_record(GOLDEN / "plain_hawk_dove.json")
    open_one = fork(record, 10)
    full = open_one.model_copy(update={"takeovers": [Takeover(at=10, players=dict(open_one.players))] * 100})
    path = tmp_path / "r.json"
    save_record(full, path)
    with pytest.raises(RecordError, match="taken over 100 times"):
        resume(load_record(path), str(path))
