"""A new game: the seeded draw of each side's agenda and intent cards and the event deck, then round 1."""

from __future__ import annotations

from game.scenario import Card, Scenario
from game.state import Happening, rng_below, rng_float, rng_seed, State
from game.engine.flow import _end_game, _start_round
from game.engine.lookup import NO_SUMMIT, tables


# ---------------------------------------------------------------- new game

def new_game(scenario: Scenario, seed: int, *, secret: bytes | None = None) -> State:
    """A new game of a scenario: agendas drawn and events shuffled from the seed, round 1 begun.

    With `secret` the draws come from `game.hidden.hidden_seed(seed, secret)` (and `state.seed` is that
    engine seed), so no one without the secret can compute them from `seed`.
    """
    if secret is not None:
        from game.hidden import hidden_seed

        seed = hidden_seed(seed, secret)
    T = tables(scenario)
    s = State()
    s.scenario = scenario
    s.seed = int(seed)
    rng = rng_seed(seed)
    agendas = []
    for side in T.sides:
        cards = []
        for deck in T.decks_of[side]:
            rng, card = _weighted_draw(rng, deck.cards)
            cards.append(card.id)
        agendas.append(tuple(cards))
    deck = list(scenario.event_deck)
    for i in range(len(deck) - 1, 0, -1):  # Fisher-Yates with the state's generator
        rng, j = rng_below(rng, i + 1)
        deck[i], deck[j] = deck[j], deck[i]
    s.rng = rng
    s.agendas = tuple(agendas)
    s.deck = tuple(deck)
    s.round = 0
    s.turn = 0
    s.to_move = T.sides[0]
    s.phase = "act"
    s.ap = 0
    s.tension = scenario.tension.start
    s.trust = tuple(float(scenario.trust.opened_at) if c.open else 0.0 for c in scenario.channels)
    s.is_open = tuple(c.open for c in scenario.channels)
    s.used = tuple(0 for _ in scenario.channels)
    s.groundwork = tuple(0 for _ in scenario.items)
    s.ties = tuple(t.value for t in scenario.ties)
    s.legitimacy = tuple(0 for _ in T.sides)
    s.commitments = ()
    s.proposals = ()
    s.draft = None
    s.ruled_out = tuple(() for _ in T.sides)
    s.summit_next = 0
    s.last_summit = NO_SUMMIT
    s.summits = 0
    s.summit_round = False
    s.gifts = ()
    s.ap_this_round = tuple(scenario.action_points for _ in T.sides)
    s.bonuses = ()
    s.boost_used = tuple(0 for _ in T.sides)
    s.hot_rounds = 0
    s.broken = tuple(0 for _ in T.sides)
    s.outcome = None
    ev: list[Happening] = []
    _start_round(s, T, ev)
    if s.outcome is not None:  # round 1's event card can already bring crisis
        _end_game(s, T, ev)
    s.happened = tuple(ev)
    return s


def _weighted_draw(rng: int, cards: list[Card]) -> tuple[int, Card]:
    total = sum(c.weight for c in cards)
    rng, u = rng_float(rng)
    u *= total
    for c in cards:
        u -= c.weight
        if u < 0:
            return rng, c
    return rng, cards[-1]
