"""docs/scenario-guide.md's worked example must keep working.

The test reads the guide's TOML snippets (each follows an `<!-- example: add -->` or
`<!-- example: change -->` marker), applies them to a copy of the default scenario the way
the guide tells a teacher to (new entries pasted at the end of the file; changed lines
replaced in place), and checks that the file loads, that `rules check` prints the line the
guide shows, that matches play to the end with the new item and card, and that the error
messages the guide shows are the ones the loader really gives.
"""

from __future__ import annotations

import random
import re
import shutil
import tomllib
from pathlib import Path

import pytest

from game.bots import make_bot
from game.engine import apply, legal_actions, new_game
from game.match import play_match
from game.scenario import ScenarioError, load_scenario
from game.transcript import transcript_lines

ROOT = Path(__file__).resolve().parent.parent
GUIDE = ROOT / "docs" / "scenario-guide.md"
DEFAULT = ROOT / "rules" / "summit_2018.toml"
FILE = "my_class.toml"


def guide() -> str:
    """The guide's text."""
    return GUIDE.read_text(encoding="utf-8")


def snippets() -> list[tuple[str, str]]:
    """The worked example's snippets in order, as (mode, toml text), mode 'add' or 'change'."""
    found = re.findall(r"<!-- example: (add|change) -->\n```toml\n(.*?)```", guide(), flags=re.S)
    return [(mode, body) for mode, body in found]


_KEY = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)\s*=")


def apply_change(text: str, snippet: str) -> str:
    """Replace, in a TOML file's text, the lines a 'change' snippet shows.

    The snippet names its place by its first line (a table header such as `[tension]`,
    or none for the top of the file) and, for a list entry, its `id = "..."` line; every
    other `key = value` line of the snippet replaces the line of the same key there.
    """
    lines = snippet.strip().splitlines()
    header = lines[0].strip() if lines[0].startswith("[") else None
    body = lines[1:] if header else lines
    ident = body[0].strip() if header and body and body[0].strip().startswith("id =") else None
    changes = [ln for ln in body if ln.strip() != ident]
    file_lines = text.splitlines()
    # Blocks: (start, end) line ranges, each from a header line (or the file's top) to the next header.
    starts = [0] + [n for n, ln in enumerate(file_lines) if ln.startswith("[")]
    blocks = [(s, e) for s, e in zip(starts, starts[1:] + [len(file_lines)])]
    target = None
    for s, e in blocks:
        head = file_lines[s].strip() if file_lines[s].startswith("[") else None
        if head != header:
            continue
        if ident is not None and ident not in (ln.strip() for ln in file_lines[s:e]):
            continue
        target = (s, e)
        break
    assert target is not None, f"the guide's change names no place in the file: {header} {ident}"
    s, e = target
    for change in changes:
        key = _KEY.match(change.strip())
        assert key, f"not a key line: {change!r}"
        hits = [n for n in range(s, e) if (m := _KEY.match(file_lines[n])) and m.group(1) == key.group(1)]
        assert len(hits) == 1, f"the key {key.group(1)!r} is not once in {header} {ident}"
        file_lines[hits[0]] = change
    return "\n".join(file_lines) + "\n"


def build_example(directory: Path) -> Path:
    """Copy the default scenario to `directory/my_class.toml` and apply the guide's worked example to it."""
    path = directory / FILE
    shutil.copyfile(DEFAULT, path)
    text = path.read_text(encoding="utf-8")
    for mode, body in snippets():
        if mode == "add":
            text = text.rstrip("\n") + "\n\n" + body
        else:
            text = apply_change(text, body)
    path.write_text(text, encoding="utf-8")
    return path


def added(kind: str) -> list[dict]:
    """The entries of one list (`items`, `events`) that the guide's 'add' snippets paste in."""
    out = []
    for mode, body in snippets():
        if mode == "add":
            out.extend(tomllib.loads(body).get(kind, []))
    return out


def random_players() -> dict:
    return {"us": make_bot("random"), "dprk": make_bot("random")}


@pytest.fixture(scope="module")
def example(tmp_path_factory) -> Path:
    """The worked example's file, built once."""
    return build_example(tmp_path_factory.mktemp("guide"))


def test_the_guide_has_the_worked_example_steps():
    modes = [m for m, _ in snippets()]
    assert modes.count("add") >= 2 and modes.count("change") >= 2
    for _, body in snippets():
        tomllib.loads(body)  # each snippet is valid TOML by itself
    assert len(added("items")) == 1 and len(added("events")) == 1
    text = guide()
    assert f"cp rules/summit_2018.toml {FILE}" in text
    assert f"python main.py rules check {FILE}" in text
    assert re.search(rf"python main.py match --scenario {FILE} --seed \d+", text)


def test_the_worked_example_loads_with_every_change(example):
    sc = load_scenario(example)
    for entry in added("items"):
        assert sc.item_by_id[entry["id"]].model_dump(include=set(entry)) == entry
    for entry in added("events"):
        assert entry["id"] in sc.event_by_id
        assert entry["id"] in sc.event_deck
    changes = [tomllib.loads(body) for mode, body in snippets() if mode == "change"]
    top = {k: v for c in changes for k, v in c.items() if not isinstance(v, (dict, list))}
    assert all(getattr(sc, k) == v for k, v in top.items())
    for c in changes:
        if "tension" in c:
            for k, v in c["tension"].items():
                assert getattr(sc.tension, k) == v
        for deck_card in c.get("decks", {}).get("cards", []):
            cards = {card.id: card for d in sc.decks for card in d.cards}
            for k, v in deck_card.items():
                assert getattr(cards[deck_card["id"]], k) == v


def test_the_trap_odds_the_guide_states(example):
    sc = load_scenario(example)
    cards = sc.deck_by_id["intent"].cards
    total = sum(c.weight for c in cards)
    trap = next(c for c in cards if c.id == "trap")
    sincere = next(c for c in cards if c.id == "sincere")
    text = guide()
    assert (f"sincere in {sincere.weight / total * 4:g} games out of 4 and sets a trap in "
            f"{trap.weight / total * 4:g} out of 4") in text


def code_blocks(text: str) -> list[str]:
    """The bodies of the fenced code blocks of a markdown text."""
    blocks, body = [], None
    for line in text.splitlines():
        if line.startswith("```"):
            if body is None:
                body = []
            else:
                blocks.append("\n".join(body))
                body = None
        elif body is not None:
            body.append(line)
    return blocks


@pytest.mark.heavy
def test_rules_check_prints_what_the_guide_shows(example, monkeypatch, capsys):
    from game.cli import main

    monkeypatch.chdir(example.parent)
    assert main(["rules", "check", FILE]) == 0
    out = capsys.readouterr().out.strip()
    assert out.startswith(f"{FILE}: ok")
    # The quick games' wall time differs from machine to machine; everything else is deterministic.
    seconds = re.compile(r" in \d+ s$", re.M)
    shown = [seconds.sub(" in N s", block) for block in code_blocks(guide())]
    assert seconds.sub(" in N s", out) in shown, f"the guide should show the check's output:\n{out}"


def test_a_match_plays_to_the_end_and_the_shown_output_is_real(example):
    sc = load_scenario(example)
    text = guide()
    seed = int(re.search(rf"--scenario {FILE} --seed (\d+)", text).group(1))
    result = play_match(sc, seed, random_players())
    assert result.outcome in ("settlement", "peace", "crisis", "plain") and result.forfeit is None
    new_event = added("events")[0]
    new_item = added("items")[0]

    m = re.search(r"is not drawn with seed (\d+), but it is with seed (\d+), in round (\d+)", text)
    assert m, "the guide should say which seed draws the new card"
    not_seed, draw_seed, draw_round = (int(x) for x in m.groups())
    assert not_seed == seed
    assert new_event["id"] not in new_game(sc, seed).deck[: sc.rounds]
    assert new_game(sc, draw_seed).deck[draw_round - 1] == new_event["id"]

    shown = transcript_lines(play_match(sc, draw_seed, random_players()).happenings, "all", scenario=sc)
    blocks = re.findall(r"```\n((?:== Round|    ).*?)```", text, flags=re.S)
    assert len(blocks) >= 2, "the guide should show the new card and the new item in a match"
    for block in blocks:
        for line in block.rstrip("\n").splitlines():
            assert line in shown, f"seed {draw_seed} does not print: {line}"
    joined = "\n".join(shown)
    assert f"Event: {new_event['name']}." in joined
    assert new_item["name"] in joined


def test_the_new_item_can_be_put_into_a_deal(example):
    """Random play reaches a position where the new item is a legal step of a deal, within a few seeds."""
    sc = load_scenario(example)
    item = added("items")[0]["id"]
    for seed in range(20):
        state = new_game(sc, seed)
        rng = random.Random(seed)
        while not state.is_over:
            legal = legal_actions(state)
            if any(getattr(a, "item", None) == item and a.verb in ("give", "get") for a in legal):
                return
            state, _ = apply(state, legal[rng.randrange(len(legal))])
    pytest.fail(f"{item} never became a legal deal step in 20 random games")


# Each slip the guide shows, in the guide's order: a text replacement ("replace", old, new) in the
# worked example's file, or a changed line ("change", snippet) applied as the guide's changes are.
SLIPS = [
    ("replace", 'name = "reunions of separated families"', 'name = "reunions of separated families'),
    ("replace", 'value = 2\nverifiable = true\n\n[[events]]', 'value = 2\nverifiable = true\nrequires = ["detainee"]\n\n[[events]]'),
    ("replace", 'cost = 1\nvalue = 2\nverifiable = true\n\n[[events]]', 'value = 2\nverifiable = true\n\n[[events]]'),
    ("replace", 'min_trust = 10\ncost = 1\nvalue = 2\nverifiable = true\n\n[[events]]',
     'min_trust = "ten"\ncost = 1\nvalue = 2\nverifiable = true\n\n[[events]]'),
    ("replace", 'min_trust = 10\ncost = 1\nvalue = 2\nverifiable = true\n\n[[events]]',
     'min_trust = 150\ncost = 1\nvalue = 2\nverifiable = true\n\n[[events]]'),
    ("replace", 'value = 2\nverifiable = true\n\n[[events]]', 'value = 2\nverifable = true\n\n[[events]]'),
    ("replace", '{ kind = "tension", amount = -1 },\n]', '{ kind = "calm", amount = -1 },\n]'),
    ("replace", 'channel = "working", amount = 5', 'channel = "working-level", amount = 5'),
    ("replace", 'tier = "soft"\nmin_trust = 10\ncost = 1\nvalue = 2\nverifiable = true\n\n[[events]]',
     'tier = "easy"\nmin_trust = 10\ncost = 1\nvalue = 2\nverifiable = true\n\n[[events]]'),
    ("replace", 'id = "family_reunions"', 'id = "remains"'),
    ("change", '[[decks.cards]]\nid = "sincere"\nweight = 0\n'),
    ("change", '[[channels]]\nid = "exchange"\nweight = 0.30\n'),
]


def test_the_error_messages_the_guide_shows_are_real(example, tmp_path, monkeypatch):
    shown = re.findall(rf"^error: {re.escape(FILE)}: .*$", guide(), flags=re.M)
    assert len(shown) == len(SLIPS), "the guide's error examples and this test's list of slips differ"
    good = example.read_text(encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    for slip, expected in zip(SLIPS, shown):
        if slip[0] == "replace":
            _, old, new = slip
            assert good.count(old) == 1, old
            broken = good.replace(old, new)
        else:
            broken = apply_change(good, slip[1])
        Path(FILE).write_text(broken, encoding="utf-8")
        with pytest.raises(ScenarioError) as err:
            load_scenario(FILE)
        got = f"error: {err.value}"
        if "TOML syntax error" in expected:  # the line number moves whenever the default file grows
            assert got.split(" (at line")[0] == expected.split(" (at line")[0]
        else:
            assert got == expected
