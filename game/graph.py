"""The relationship graph: its shape comes from the scenario, built once with networkx.

The game state holds only the changing numbers (each channel's trust, each
tie's warmth) as tuples; this module answers questions about the shape —
which channels diffuse into which, where each actor sits on the board — and
caches the answers per scenario, so no graph is copied or rebuilt per move.
"""

from __future__ import annotations

from typing import Callable, TypeVar

import networkx as nx

from game.scenario import Scenario

T = TypeVar("T")


def per_scenario(fn: Callable[[Scenario], T]) -> Callable[[Scenario], T]:
    """Cache a function of a scenario for that scenario object's lifetime.

    Scenario models hold lists, so they cannot be hashed for lru_cache; the cache
    keeps the scenario itself alive so that its id stays unique.
    """
    cache: dict[int, tuple[Scenario, T]] = {}

    def wrapper(scenario: Scenario) -> T:
        hit = cache.get(id(scenario))
        if hit is None or hit[0] is not scenario:
            hit = cache[id(scenario)] = (scenario, fn(scenario))
        return hit[1]

    wrapper.__doc__ = fn.__doc__
    wrapper.__name__ = fn.__name__
    return wrapper


@per_scenario
def build_graph(scenario: Scenario) -> nx.Graph:
    """The board as a networkx graph: actors as nodes; ties and cross channels as edges."""
    g = nx.Graph()
    for a in scenario.actors:
        g.add_node(a.id, name=a.name, side=a.side, pos=(a.x, a.y))
    for t in scenario.ties:
        g.add_edge(t.a, t.b, kind=t.kind, channel=None)
    for c in scenario.channels:
        g.add_edge(c.a, c.b, kind="channel", channel=c.id)
    return g


@per_scenario
def diffusion_partners(scenario: Scenario) -> tuple[tuple[int, ...], ...]:
    """For each cross channel (by index), the channels it diffuses toward.

    Two channels are partners when each side's ends of them are linked by that
    side's internal ties: trust flows between levels of a side, so exchanges
    between societies can lift official and leader trust.
    """
    g = build_graph(scenario)
    internal = nx.Graph()
    internal.add_nodes_from(g.nodes)
    internal.add_edges_from((u, v) for u, v, k in g.edges(data="kind") if k == "internal")
    component = {}
    for n, comp in enumerate(nx.connected_components(internal)):
        for node in comp:
            component[node] = n
    chans = scenario.channels
    out = []
    for i, c in enumerate(chans):
        out.append(tuple(j for j, d in enumerate(chans) if j != i
                         and component[c.a] == component[d.a] and component[c.b] == component[d.b]))
    return tuple(out)


def layout(scenario: Scenario) -> dict[str, tuple[float, float]]:
    """Board positions (0-1, from the top left) of every actor, as the scenario places them."""
    return dict(build_graph(scenario).nodes(data="pos"))


def tie_index(scenario: Scenario, a: str, b: str) -> int:
    """The index of the tie between two actors in the scenario's tie list."""
    for i, t in enumerate(scenario.ties):
        if {t.a, t.b} == {a, b}:
            return i
    raise KeyError(f"no tie {a}-{b}")
