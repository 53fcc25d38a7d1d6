"""The `rules` command: the quick start, the rulebook, `rules check`'s quick games and warnings, `rules show`."""

from __future__ import annotations

import io
import tomllib
from pathlib import Path

import pytest

from rich.console import Console

from game.cli import main
from game.rules_table import print_scenario
from game.card_texts import card_text, event_text
from game.scenario import default_scenario, load_scenario, parse_scenario
from game.scenario_check import Game, warnings_for

ROOT = Path(__file__).resolve().parent.parent
SC = default_scenario()


def run(capsys, *argv):
    rc = main(list(argv))
    out, err = capsys.readouterr()
    return rc, out, err


def test_rules_alone_prints_the_quick_start(capsys):
    rc, out, _ = run(capsys, "rules")
    assert rc == 0
    assert out.startswith((ROOT / "rules" / "QUICKSTART.md").read_text(encoding="utf-8").splitlines()[0])
    assert "python main.py rules book" in out


def test_rules_book_prints_the_rulebook(capsys):
    rc, out, _ = run(capsys, "rules", "book")
    assert rc == 0 and "## Glossary" in out


def test_an_eight_round_default_warns_that_peace_is_out_of_reach(tmp_path, capsys):
    """Issue 14's case: `rounds = 8` alone passed the check with 'ok'; now the check says what is lost."""
    data = tomllib.loads((ROOT / "rules" / "summit_2018.toml").read_text(encoding="utf-8"))
    text = (ROOT / "rules" / "summit_2018.toml").read_text(encoding="utf-8").replace("rounds = 12", "rounds = 8", 1)
    assert data["rounds"] == 12
    path = tmp_path / "short.toml"
    path.write_text(text, encoding="utf-8")
    rc, out, _ = run(capsys, "rules", "check", str(path), "--seeds", "2")
    assert rc == 0
    assert "warning: No game reached peace or a settlement" in out
    assert "add rounds, or make the chain shorter" in out


@pytest.mark.heavy
@pytest.mark.parametrize("name", ["lesson_45min", "singapore_to_hanoi", "eight_motives"])
def test_the_variants_check_without_warnings(name, capsys):
    rc, out, _ = run(capsys, "rules", "check", f"rules/{name}.toml", "--seeds", "3")
    assert rc == 0, out
    assert "warning:" not in out and "no warnings" in out, out


def test_no_play_only_validates(capsys):
    rc, out, _ = run(capsys, "rules", "check", "rules/summit_2018.toml", "--no-play")
    assert rc == 0 and out.count("\n") == 1 and ": ok - " in out


def test_bad_seeds_is_one_line(capsys):
    rc, out, err = run(capsys, "rules", "check", "rules/summit_2018.toml", "--seeds", "0")
    assert rc == 2 and err.startswith("error: --seeds") and err.count("\n") == 1


def _games(outcomes: list[str], us: float = 5.0, dprk: float = 5.0) -> list[Game]:
    bots = ("random", "dove", "reciprocator", "verifier")
    return [Game(bots[i % 4], bots[(i // 4) % 4], o, us + (i % 3), dprk + (i % 3), 12) for i, o in enumerate(outcomes)]


def test_warnings_in_teacher_words():
    mixed = ["settlement", "peace", "crisis", "plain"] * 25
    assert warnings_for(SC, _games(mixed)) == []
    crises = warnings_for(SC, _games(["crisis"] * 60 + ["peace", "settlement", "plain"] * 10))
    assert any(w.startswith("Nearly every game ends in a crisis") for w in crises)
    calm = warnings_for(SC, _games(["settlement", "peace", "plain"] * 30))
    assert any(w.startswith("No game ended in a crisis") for w in calm)
    ahead = warnings_for(SC, _games(mixed, us=15.0, dprk=0.0))
    assert any("One side is far ahead" in w and "United States scores 15.0 points more than DPRK" in w for w in ahead)


def test_rules_show_says_what_cards_do(capsys):
    rc, out, _ = run(capsys, "rules", "show")
    assert rc == 0 and "what it does" in out
    wide = Console(file=io.StringIO(), width=400)
    print_scenario(SC, wide)
    text = wide.file.getvalue()
    for words in ("tension +2 (halved", "partial sanctions relief, full sanctions relief worth ×2 to you",
                  "+1 point per summit held", "80% chance to check one unverified claim"):
        assert words in text, words
    assert "settle the promises that fall due" not in text


def test_rules_show_says_when_both_sides_settle_at_the_round_start(capsys):
    rc, out, _ = run(capsys, "rules", "show", str(ROOT / "rules" / "lesson_45min.toml"))
    assert rc == 0 and "both sides settle the promises that fall due" in " ".join(out.split())


def test_card_and_event_texts_come_from_the_numbers():
    ev = {e.id: e for e in SC.events}
    assert event_text(SC, ev["quiet_month"]) == "nothing"
    assert event_text(SC, ev["joint_exercises"]).startswith(
        f"tension +2 (halved, rounding down, if the Leaders' hotline is open with trust {SC.tension.spike_halving_trust}")
    assert "unless the suspension of joint exercises is in force" in event_text(SC, ev["joint_exercises"])
    assert event_text(SC, ev["us_midterms"]) == "United States has 1 action point this round"
    cards = {c.id: c for d in SC.decks for c in d.cards}
    assert card_text(SC, cards["engagement_mandate"]) == "+3 while the peace treaty is in force"
    assert "your own strategic items cost ×2" in card_text(SC, cards["trap"])
    assert "+10 if the peace treaty is in force and at least 2 of your own strategic items really are" \
        in card_text(SC, cards["sincere"])
    # An edited scenario is described by its own numbers.
    data = SC.model_dump()
    data["decks"][2]["cards"][2]["item_bonus"] = {"peace_treaty": 5.0}
    edited = parse_scenario(data, "edited")
    assert card_text(edited, edited.decks[2].cards[2]) == "+5 while the peace treaty is in force"


def test_every_variant_loads():
    for name in ("lesson_45min", "singapore_to_hanoi", "eight_motives"):
        assert load_scenario(ROOT / "rules" / f"{name}.toml").id == name
