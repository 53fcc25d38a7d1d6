"""Test helpers: inline scenarios built from the default TOML, and scripted play through `apply`.

Inline scenarios (boardgame.io's "inline games"): `scenario(edit)` loads the scenario file
into a dict, lets the test change a few numbers, and validates the result with
`parse_scenario`, so every rule test states exactly what it depends on. The file is
tests/data/game_md.toml, a frozen copy of the default scenario at GAME.md's starting
numbers: balance work may tune rules/summit_2018.toml without changing what the rule
tests check.

Scripted play: `play(state, script)` applies a list of action texts in order; before each
one it lets the game run on with a default policy (answer: accept if possible; settle:
implement if possible; act: pass) until that action is legal. Tests therefore reach a
position with real moves and only say the moves that matter.
"""

from __future__ import annotations

import copy
import random
import tomllib
from pathlib import Path
from typing import Callable, Iterable

from game.actions import Action
from game.engine import apply, legal_actions, new_game
from game.scenario import Scenario, parse_scenario
from game.state import Happening, State

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_TOML = ROOT / "rules" / "summit_2018.toml"
BASELINE_TOML = ROOT / "tests" / "data" / "game_md.toml"

_RAW: dict | None = None


def raw_baseline() -> dict:
    """A fresh, freely editable copy of the GAME.md baseline scenario (tests/data/game_md.toml) as a dict."""
    global _RAW
    if _RAW is None:
        with BASELINE_TOML.open("rb") as f:
            _RAW = tomllib.load(f)
    return copy.deepcopy(_RAW)


def scenario(edit: Callable[[dict], None] | None = None, *, events: str | list[str] | None = "quiet_month",
             motive: str | None = None, intent: str | None = None, domestic: str | None = None) -> Scenario:
    """An inline scenario: the GAME.md baseline with `edit` applied to its dict.

    By default the event deck is made of quiet months only (so no random event
    interferes with the rule under test); pass `events` as one card id (the whole
    deck is copies of it), a list of card ids (one copy each, in any order the
    shuffle picks), or None to keep the default deck. `motive`, `intent` and
    `domestic` reduce that agenda deck to the one named card.
    """
    raw = raw_baseline()
    if events is not None:
        set_events(raw, events)
    for deck_id, card in (("motive", motive), ("intent", intent), ("domestic", domestic)):
        if card is not None:
            only_card(raw, deck_id, card)
    if edit is not None:
        edit(raw)
    return parse_scenario(raw, "<inline>")


def set_events(raw: dict, cards: str | list[str]) -> None:
    """Replace the event deck: all copies of one card, or one copy of each listed card (padded with quiet months)."""
    by_id = {e["id"]: e for e in raw["events"]}
    rounds = raw["rounds"]
    if isinstance(cards, str):
        card = dict(by_id[cards], count=rounds)
        raw["events"] = [card]
        return
    counts: dict[str, int] = {}
    for c in cards:
        counts[c] = counts.get(c, 0) + 1
    padding = max(0, rounds - len(cards))
    if padding:
        counts["quiet_month"] = counts.get("quiet_month", 0) + padding
    raw["events"] = [dict(by_id[c], count=n) for c, n in counts.items()]


def only_card(raw: dict, deck_id: str, card_id: str) -> None:
    """Reduce an agenda deck to one card, so every seed draws it."""
    deck = find(raw["decks"], deck_id)
    deck["cards"] = [find(deck["cards"], card_id)]


def find(entries: list[dict], ident: str) -> dict:
    """The entry of a list of tables (items, channels, sides, decks...) with this id."""
    for e in entries:
        if e.get("id") == ident:
            return e
    raise KeyError(ident)


def item(raw: dict, ident: str) -> dict:
    """An item table of a raw scenario."""
    return find(raw["items"], ident)


def channel(raw: dict, ident: str) -> dict:
    """A channel table of a raw scenario."""
    return find(raw["channels"], ident)


def open_at_start(*channels: str, trust: int | None = None) -> Callable[[dict], None]:
    """An edit that opens the given channels at the start (optionally at another opening trust)."""

    def edit(raw: dict) -> None:
        for c in channels:
            channel(raw, c)["open"] = True
        if trust is not None:
            raw["trust"]["opened_at"] = trust

    return edit


def edits(*fns: Callable[[dict], None]) -> Callable[[dict], None]:
    """Several edits as one."""

    def edit(raw: dict) -> None:
        for fn in fns:
            fn(raw)

    return edit


def setting(path: str, value) -> Callable[[dict], None]:
    """An edit that sets one dotted field, e.g. setting('tension.start', 7) or setting('sides.0.name', 'x')."""

    def edit(raw: dict) -> None:
        *head, last = path.split(".")
        node = raw
        for key in head:
            node = node[int(key)] if key.isdigit() else node[key]
        node[int(last) if last.isdigit() else last] = value

    return edit


# ---------------------------------------------------------------- play

def A(text: str) -> Action:
    """An action from its text form."""
    return Action.parse(text)


def legal_texts(state: State) -> list[str]:
    """The legal actions of a state as text."""
    return [str(a) for a in legal_actions(state)]


def default_action(state: State) -> Action:
    """The scripted players' move when the script says nothing: accept, implement, send, or pass."""
    legal = legal_actions(state)
    texts = {str(a): a for a in legal}
    side = state.to_move
    for verb in ("accept", "send", "pass"):
        a = texts.get(f"{side} {verb}")
        if a is not None:
            return a
    for a in legal:
        if a.verb == "implement":
            return a
    for verb in ("reject", "cancel"):
        a = texts.get(f"{side} {verb}")
        if a is not None:
            return a
    return legal[-1]  # settle phase without implement: break


class Game:
    """A game being played by a script: the current state and everything that happened so far."""

    def __init__(self, scenario: Scenario, seed: int = 1):
        self.state = new_game(scenario, seed)
        self.happenings: list[Happening] = list(self.state.happened)
        self.actions: list[str] = []

    def do(self, *texts: str) -> "Game":
        """Apply these actions now, in order (each must be legal when its turn comes)."""
        for text in texts:
            self._apply(A(text))
        return self

    def play(self, *texts: str, max_steps: int = 400) -> "Game":
        """For each action: let the game run on by the default policy until it is legal, then apply it."""
        for text in texts:
            action = A(text)
            for _ in range(max_steps):
                if action in legal_actions(self.state):
                    break
                if self.state.is_over:
                    raise AssertionError(f"the game ended ({self.state.outcome}) before {text!r} became legal")
                self._apply(default_action(self.state))
            else:
                raise AssertionError(f"{text!r} never became legal")
            self._apply(action)
        return self

    def until(self, pred: Callable[[State], bool], max_steps: int = 400) -> "Game":
        """Run on by the default policy until `pred(state)` holds."""
        for _ in range(max_steps):
            if pred(self.state):
                return self
            if self.state.is_over:
                raise AssertionError(f"the game ended ({self.state.outcome}) before the position was reached")
            self._apply(default_action(self.state))
        raise AssertionError("the position was never reached")

    def to_turn(self, round_: int, side: str) -> "Game":
        """Run on until `side` may act (act phase) in `round_`."""
        return self.until(lambda s: s.round == round_ and s.to_move == side and s.phase == "act")

    def to_round(self, round_: int) -> "Game":
        """Run on until round `round_` has begun."""
        return self.until(lambda s: s.round >= round_)

    def finish(self) -> "Game":
        """Run on by the default policy until the game is over."""
        return self.until(lambda s: s.is_over, max_steps=2000)

    def _apply(self, action: Action) -> None:
        self.state, ev = apply(self.state, action)
        self.happenings.extend(ev)
        self.actions.append(str(action))

    def since(self, n: int) -> list[Happening]:
        """Happenings from index n on."""
        return self.happenings[n:]

    @property
    def trust(self) -> dict[str, float]:
        """Trust per channel id."""
        return dict(zip(self.state.scenario.channel_ids, self.state.trust))

    @property
    def commitments(self) -> dict[str, object]:
        """Each item's latest commitment."""
        return {c.item: c for c in self.state.commitments}


def random_playout(state: State, rng: random.Random, max_steps: int = 5000) -> Iterable[tuple[State, Action, State]]:
    """Yield (before, action, after) for a uniformly random legal playout to the end."""
    for _ in range(max_steps):
        if state.is_over:
            return
        legal = legal_actions(state)
        a = legal[rng.randrange(len(legal))]
        after, _ = apply(state, a)
        yield state, a, after
        state = after
    raise AssertionError("a random game did not end")
