"""The relationship graph: its shape from the scenario, diffusion partners and the board layout."""

import networkx as nx

from game.graph import build_graph, diffusion_partners, layout, tie_index
from game.scenario import default_scenario, parse_scenario
from tests.helpers import raw_baseline


def test_the_board_has_every_actor_tie_and_channel():
    sc = default_scenario()
    g = build_graph(sc)
    assert set(g.nodes) == {a.id for a in sc.actors}
    channels = {d["channel"] for _, _, d in g.edges(data=True) if d["kind"] == "channel"}
    assert channels == set(sc.channel_ids)
    assert nx.has_path(g, "us.society", "dprk.leader")
    assert build_graph(sc) is build_graph(sc)  # built once per scenario


def test_layout_places_every_actor_inside_the_board():
    pos = layout(default_scenario())
    assert set(pos) == {a.id for a in default_scenario().actors}
    assert all(0 <= x <= 1 and 0 <= y <= 1 for x, y in pos.values())


def test_every_channel_diffuses_toward_the_others_when_each_side_is_connected():
    sc = default_scenario()
    n = len(sc.channels)
    assert diffusion_partners(sc) == tuple(tuple(j for j in range(n) if j != i) for i in range(n))


def test_a_side_without_internal_ties_keeps_its_channels_apart():
    raw = raw_baseline()
    raw["ties"] = [t for t in raw["ties"] if not (t["kind"] == "internal" and t["a"].startswith("dprk."))]
    sc = parse_scenario(raw, "no-dprk-ties")
    assert diffusion_partners(sc) == ((), (), ())


def test_tie_index_finds_a_tie_either_way_round():
    sc = default_scenario()
    i = tie_index(sc, "dprk.leader", "rok")
    assert {sc.ties[i].a, sc.ties[i].b} == {"rok", "dprk.leader"}
