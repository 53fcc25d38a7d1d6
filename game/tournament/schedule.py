"""Which matches a tournament plays, and with which seeds.

A match is keyed by (US entrant index, DPRK entrant index, repetition). Its
seed depends on the tournament seed and the repetition only, so every pairing
meets the same seeds (common random numbers): pairings differ only in the bots.
"""

from __future__ import annotations

import hashlib
from typing import Callable, Iterator, NamedTuple


class MatchKey(NamedTuple):
    """One match of a tournament: who sits on the first side, who on the second, and which repetition."""

    first: int    # index of the entrant playing the scenario's first side (the US)
    second: int   # index of the entrant playing the second side (the DPRK)
    rep: int      # repetition index, 0..N-1


def match_seed(tournament_seed: int, rep: int) -> int:
    """The seed of every match of repetition `rep`: a hash of the tournament seed and `rep`, below 2**31."""
    digest = hashlib.blake2b(f"crossroads-tournament:{tournament_seed}:{rep}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") & 0x7FFFFFFF


def pairings(n_bots: int, self_play: bool) -> list[tuple[int, int]]:
    """Every (first side, second side) assignment: each ordered pair of distinct bots, plus (i, i) with self-play."""
    return [(a, b) for a in range(n_bots) for b in range(n_bots) if a != b or self_play]


def schedule(n_bots: int, repetitions: int, self_play: bool) -> Iterator[MatchKey]:
    """All match keys in their canonical (sorted) order."""
    for a, b in pairings(n_bots, self_play):
        for rep in range(repetitions):
            yield MatchKey(a, b, rep)


CHUNK_COST = 40.0  # what a chunk holds at most, in `chunks`' units (a quick heuristic match costs 1)
FILE_MATCH_COST = 0.025  # a match between bot files: played side by side, many matches' decisions in one message
FILE_CHUNK = round(CHUNK_COST / FILE_MATCH_COST)  # the most bot-file matches a chunk holds
REP_BLOCK = 25  # at least this many repetitions of one pairing follow each other in the play order


def play_order(keys: list[MatchKey], n_bots: int) -> list[MatchKey]:
    """The order matches are handed to workers in (the log's order is not the results'): blocks of repetitions;
    within a block, pairings by their diagonal, (second - first) mod n, then by first.

    So a chunk of consecutive keys holds many pairings in which each bot sits at most about once on each side,
    each for a block of seeds. Why: a match's seed, and so a bot's generator, is the same in every pairing
    (common random numbers), so a bot file that hangs at one seed hangs in all its matches with that seed. In a
    chunk of one repetition (or of one bot's pairings) those hangs queue up in its process, one time limit after
    another, while the chunk waits; spread out, each is one time limit, overlapped with the chunk's other
    matches. A block is long enough that a chunk holds fewer pairings than there are bots, and a bot's process
    still gets a block's worth of decisions per message.
    """
    n, block = max(1, n_bots), _rep_block(n_bots)
    return sorted(keys, key=lambda k: (k.rep // block, (k.second - k.first) % n, k.first, k.rep))


def _rep_block(n_bots: int) -> int:
    """How many repetitions of a pairing follow each other in `play_order`: enough that one diagonal's pairings
    fill a chunk of bot files."""
    return max(REP_BLOCK, -(-FILE_CHUNK // max(1, n_bots)))


def spread_limit(keys: list[MatchKey], n_bots: int) -> int:
    """The most keys a chunk of `play_order`'s may hold and still seat each bot at most about once on each side
    at each seed: every pairing of one diagonal for one block of repetitions (fewer when fewer are left)."""
    return max(1, n_bots) * min(_rep_block(n_bots), max(1, len({k.rep for k in keys})))


def match_count(n_bots: int, repetitions: int, self_play: bool) -> int:
    """How many matches a tournament plays."""
    return len(pairings(n_bots, self_play)) * repetitions


def chunks(keys: list[MatchKey], workers: int, cost: Callable[[MatchKey], float] | None = None,
           max_cost: float = CHUNK_COST, most: int | None = None) -> list[list[MatchKey]]:
    """Split keys into chunks that shrink towards the end (guided scheduling): big enough to keep the overhead
    low, small enough that no worker idles long at the end, progress moves steadily and a stop comes quickly.

    `cost` estimates a match's relative time (1 for a quick heuristic match); a chunk holds about `max_cost`,
    and at most `most` keys.
    """
    costs = [cost(k) if cost else 1.0 for k in keys]
    remaining = sum(costs)
    out: list[list[MatchKey]] = []
    i = 0
    while i < len(keys):
        target = max(1.0, min(max_cost, remaining / (workers * 4)))
        j, acc = i, 0.0
        while j < len(keys) and (j == i or acc + costs[j] <= target) and (most is None or j - i < most):
            acc += costs[j]
            j += 1
        out.append(keys[i:j])
        remaining -= acc
        i = j
    return out
