"""The compact wire of a bot host: a match's views travel as their changes, its legal lists as numbers.

A tournament worker asks a bot file's process (`game.bots.host_child`) for
decisions of many matches. Sending each decision's whole view would cost
more than the rest of the decision together (about 2 KB of JSON to write,
read and rebuild), and from one decision of a match to its next most of a
view stays the same. So an item of a batch carries:

    "d": [index, value, index, value, ...]   the view's fields that changed since this match's previous
                                             view to this side (all of them at its first decision), by
                                             their index in `FIELDS`, as JSON-ready data (`to_dict`'s form);
                                             a list field (say the commitments) as index + len(FIELDS) and
                                             [new length, place, item, place, item, ...]: the items that
                                             changed or were added
    "L": 12                                  the legal actions: a list this process has been sent before...
    "Ld": ["us pass", ...]                   ...or, with it, the list itself the first time (then it is 12)
    "Lc": 1                                  forget the lists numbered so far (sent when the worker's table
                                             is full; numbers are never reused)

`Receiver` (in the bot's process) keeps each match's field values and builds
a fresh `View` from them for every decision: equal, field by field, to the
one `game.view.view` made in the worker (tests/test_wire.py checks every
decision of many matches). The legal actions are the view's `legal` field,
so they are sent once, not twice, and parsed once per distinct list.
`Sender` (in the worker) keeps, per host process, which lists it knows;
`ViewChanges` (in the worker) makes each decision's changes from the parts of
the state that changed, the same as `view_delta` of the whole views.
"""

from __future__ import annotations

import dataclasses
import operator
from itertools import compress, count, repeat
import sys
import types
from typing import Any

from game.view import View

#: The view's fields as they travel, in `View`'s order (its `rules`, the scenario object, never travels).
FIELDS: tuple[str, ...] = tuple(f.name for f in dataclasses.fields(View) if f.compare)
LEGAL = FIELDS.index("legal")
VALUES = operator.attrgetter(*FIELDS)  # a view's field values, as one tuple
LEGAL_TABLE_SIZE = 20_000  # distinct legal lists a process remembers (a class tournament meets a few thousand)

if [f.name for f in dataclasses.fields(View)][:len(FIELDS)] != list(FIELDS):
    raise ImportError("game.view.View: the fields that travel must come first, in order")  # View(*values) needs it


def type_hints(tp: type) -> dict[str, Any]:
    """A dataclass's field types, like `typing.get_type_hints`, except that a name imported only for type
    checkers (View.rules: the Scenario, which a bot's process never imports) stands as Any."""
    import typing

    try:
        return typing.get_type_hints(tp)
    except NameError:
        space = vars(sys.modules[tp.__module__])
        out = {}
        for f in dataclasses.fields(tp):
            try:
                out[f.name] = eval(f.type, space) if isinstance(f.type, str) else f.type  # noqa: S307 - our source
            except NameError:
                out[f.name] = Any
        return out


def _field_types() -> list[Any]:
    """The type of each field of FIELDS."""
    hints = type_hints(View)
    return [hints[n] for n in FIELDS]


# --- the worker's side ------------------------------------------------------------------------------------------


def _float_types(tp: Any) -> Any:
    """A function giving the types of what a hint's float places hold (None: the hint has no float place).

    Equal is not always the same to a bot: 1 == 1.0, yet it can print either. A field equal to its previous
    value is kept only if these types match too (checked only when the value is equal but not the same object).
    """
    import typing

    if tp is float:
        return type
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin in (typing.Union, types.UnionType):
        inner = [f for f in (_float_types(a) for a in args if a is not type(None)) if f is not None]
        if not inner:
            return None
        one = inner[0]
        return lambda v: None if v is None else one(v)
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            each = _float_types(args[0])
            return None if each is None else (lambda v: list(map(each, v)))
        parts = [(operator.itemgetter(k), f) for k, f in enumerate(map(_float_types, args)) if f is not None]
        return _combine(parts)
    if dataclasses.is_dataclass(tp):
        names, kinds = _parts(tp)
        return _combine([(operator.attrgetter(n), f) for n, f in zip(names, map(_float_types, kinds)) if f is not None])
    return None


def _combine(parts: list[tuple[Any, Any]]) -> Any:
    """The float places' types of a value whose parts are got by `get` and looked into by `f`."""
    if not parts:
        return None
    if len(parts) == 1:  # the usual case (a score part's value, a channel's trust): no loop
        (get, f), = parts
        return (lambda v: type(get(v))) if f is type else (lambda v: f(get(v)))
    return lambda v: tuple(f(get(v)) for get, f in parts)


class _Encoding:
    """Per field: how to write it as JSON-ready data, its items' way if it is a list, its float places' types."""

    def __init__(self) -> None:
        import typing

        self.convert: list[Any] = []
        self.items: dict[int, tuple[Any, Any]] = {}  # list fields: (the item's converter, its float types)
        self.floats: dict[int, Any] = {}
        for i, tp in enumerate(_field_types()):
            self.convert.append(_to_wire(tp) or _same)
            args = typing.get_args(tp)
            if (i != LEGAL and typing.get_origin(tp) is tuple and len(args) == 2 and args[1] is Ellipsis
                    and dataclasses.is_dataclass(args[0])):
                # Lists of objects the view shares from step to step (commitments, channels, proposals): the
                # items that are not the same object are compared, and only those that differ travel.
                self.items[i] = (_to_wire(args[0]) or _same, _float_types(args[0]))
            floats = _float_types(tp)
            if floats is not None and i != LEGAL:
                self.floats[i] = floats
        self.fields = [i for i in range(len(FIELDS)) if i != LEGAL]


_ENCODING: list[_Encoding] = []


def _encoding() -> _Encoding:
    if not _ENCODING:
        enc = _Encoding()
        # ViewChanges sends these fields as they are when they are not equal: none may hold a float or need
        # converting, and each must be where it looks for it.
        for i, name in _PLAIN.items():
            if FIELDS[i] != name or i in enc.floats or enc.convert[i] is not _same:
                raise ImportError(f"game.view.View: field {i} ({name}) is not a plain value where expected")
        _ENCODING.append(enc)
    return _ENCODING[0]


_PLAIN = {2: "round", 4: "turn", 5: "to_move", 6: "phase", 7: "ap", 8: "tension", 15: "summits", 16: "last_summit",
          17: "summit_next", 18: "summit_round", 19: "event", 21: "deck_left", 29: "hot_rounds"}
_INDEXED = {10: "channels", 11: "trust_index", 12: "groundwork", 13: "ties", 14: "legitimacy", 20: "events_drawn",
            22: "commitments", 23: "proposals", 24: "draft", 25: "gifts", 26: "ap_this_round", 27: "bonuses",
            28: "boost_used", 30: "broken", 31: "agenda", 32: "ruled_out", 34: "my_score", 35: "score_parts"}
if any(FIELDS[i] != name for i, name in _INDEXED.items()):
    raise ImportError("game.view.View: a field ViewChanges reads by its place has moved")


def view_delta(previous: tuple | None, values: tuple) -> list[Any]:
    """The changes from `previous` (a view's VALUES sent before; None: nothing sent yet) to `values`, as the
    flat [index, value, ...] list an item carries as "d" (the legal list travels apart: see `Sender`)."""
    enc = _encoding()
    convert, out = enc.convert, []
    if previous is None:
        for i in enc.fields:
            out += (i, convert[i](values[i]))
        return out
    # The view shares what did not change with the previous one (game.view's memo): only the fields that are
    # not the same object are compared, and only those that differ (or hold floats of other types) travel.
    for i in compress(range(len(FIELDS)), map(operator.is_not, previous, values)):
        if i != LEGAL:
            _put(enc, out, i, previous[i], values[i])
    return out


def _put(enc: _Encoding, out: list[Any], i: int, old: Any, value: Any) -> None:
    """Add field `i`'s change from `old` to `value` to `out`, if it is one (see `view_delta`)."""
    if old == value:
        floats = enc.floats.get(i)
        if floats is not None and floats(old) != floats(value):
            out += (i, enc.convert[i](value))
        return
    each = enc.items.get(i)
    if each is None or old is None or value is None:
        out += (i, enc.convert[i](value))
        return
    # A list (the commitments, the channels) mostly grows or changes in one place: only those places travel.
    convert_item, item_floats = each
    changes: list[Any] = [len(value)]
    places = set(compress(count(), map(operator.ne, old, value)))
    if item_floats is not None:
        places.update(j for j, (a, b) in enumerate(zip(old, value))
                      if a is not b and j not in places and item_floats(a) != item_floats(b))
    places.update(range(len(old), len(value)))
    for j in sorted(places):
        changes += (j, convert_item(value[j]))
    out += (i + len(FIELDS), changes)


def _put_by_side(enc: _Encoding, out: list[Any], values: list[Any], i: int, sides: tuple, per_side: tuple) -> None:
    """`_put` for a field made of one number per side, as (side, number) pairs; `values[i]` becomes the new pairs."""
    pairs = tuple(zip(sides, per_side))
    _put(enc, out, i, values[i], pairs)
    values[i] = pairs


class ViewChanges:
    """The worker's side of one side's views of one match: each decision's changes ("d"), made from the parts
    of the state that changed since the view sent before, without making the whole view again.

    `delta(state)` is exactly `view_delta(values sent before, view_values(state, side))` (tests/test_wire.py
    compares them over many matches): a field is looked at only when a part of the state it is made from is
    not the same object as in the state of the view sent before (the engine shares the tuples a move does not
    change) or, for a number, not equal; then its change is what `view_delta` makes of it. Most of a view stays
    the same from one decision to the next, and making it whole (`view_values`) cost more than the rest of the
    worker's part of a decision. The first view, the end of a match and a viewer that is not a side are made
    whole. `values[LEGAL]` is the legal list's texts sent last; the other `values` are kept up to date only
    for the fields compared with their value (see `_since`), not for those compared with the state's parts.
    """

    __slots__ = ("side", "state", "values", "breakdown")

    def __init__(self, side: str) -> None:
        self.side = side
        self.state: Any = None  # the state the values sent last were made from
        self.values: list[Any] | None = None
        self.breakdown: tuple | None = None  # the score parts but the ending's, as sent last (None: not known)

    def delta(self, state: Any) -> list[Any]:
        """The changes from the view sent last to this side's view of `state` (every field the first time)."""
        if _V is None:
            _bind_view()
        b, side = self.state, self.side
        if (b is None or side == _V.SPECTATOR or side == _V.PUBLIC or state.outcome is not None
                or b.outcome is not None or state.scenario is not b.scenario):
            values = _V.view_values(state, side)
            out = view_delta(None if b is None else _V.view_values(b, side), values)
            self.state, self.values, self.breakdown = state, list(values), None
            return out
        return self._since(state, b)

    def _since(self, state: Any, before: Any) -> list[Any]:
        """`delta` from the view of `before`, the state of the view sent last (same match, not over).

        A field is compared with what it was made from in `before` where that is cheaper than making it
        (the numbers, the channels), else with the value sent last (`values`, kept up to date here for the
        fields made of more than one part of the state; the others in it may be stale)."""
        V = _V
        s, p, v, side = state.__dict__, before.__dict__, self.values, self.side
        T = V.tables(state.scenario)
        enc = _ENCODING[0]
        out: list[Any] = []
        rnd, to_move = s["round"], s["to_move"]
        mine = to_move == side
        was_mine = p["to_move"] == side
        # Numbers and texts (no float among them: checked when the encoding is made) travel when not equal.
        if rnd != p["round"]:
            out += (2, rnd)
        x = s["turn"]
        if x != p["turn"]:
            out += (4, x)
        if to_move != p["to_move"]:
            out += (5, to_move)
        x = s["phase"]
        if x != p["phase"]:
            out += (6, x)
        x, y = (s["ap"] if mine else 0), (p["ap"] if was_mine else 0)
        if x != y:
            out += (7, x)
        x = s["tension"]
        if x != p["tension"]:
            out += (8, x)
        is_open, trust, used = s["is_open"], s["trust"], s["used"]
        same_trust = is_open is p["is_open"] and trust is p["trust"]
        if not same_trust or used is not p["used"]:
            _channels(out, enc, state, is_open, trust, used, p["is_open"], p["trust"], p["used"])
        if not same_trust:
            x = state.trust_index()
            if x != v[11] or type(x) is not type(v[11]):
                out += (11, x)
            v[11] = x
        for i, key, tag, make in ((12, "groundwork", "gw", V._groundwork), (13, "ties", "ti", V._ties)):
            x = s[key]
            if x is not p[key]:
                x = V._from(V._cache(T), T, tag, x, make)
                _put(enc, out, i, v[i], x)
                v[i] = x
        x = s["legitimacy"]
        if x is not p["legitimacy"]:
            _put_by_side(enc, out, v, 14, T.sides, x)
        summits = s["summits"]
        if summits != p["summits"]:
            out += (15, summits)
        x, y = s["last_summit"], p["last_summit"]
        if x != y and (x > 0 or y > 0):
            out += (16, x if x > 0 else None)
        x = s["summit_next"]
        if x != p["summit_next"]:
            out += (17, x)
        x = s["summit_round"]
        if x != p["summit_round"]:
            out += (18, x)
        deck = s["deck"]
        if deck is not p["deck"] or rnd != p["round"]:
            x = deck[rnd - 1] if rnd else None
            y = p["deck"][p["round"] - 1] if p["round"] else None
            if x != y:
                out += (19, x)
            x = deck[:rnd]
            _put(enc, out, 20, v[20], x)
            v[20] = x
            x, y = len(deck) - rnd, len(p["deck"]) - p["round"]
            if x != y:
                out += (21, x)
        commitments = s["commitments"]
        new_commitments = commitments is not p["commitments"]
        if new_commitments:
            cache = V._cache(T)
            x = V._shared(cache, ("cs", side, False), (commitments,), lambda: tuple(
                V._commitment_view(cache, T, c, c.status == "claimed" and c.giver != side) for c in commitments))
            _put(enc, out, 22, v[22], x)
            v[22] = x
        x = s["proposals"]
        if x is not p["proposals"]:
            cache = V._cache(T)
            x = tuple(V._proposal_view(cache, T, q) for q in x)
            _put(enc, out, 23, v[23], x)
            v[23] = x
        d = s["draft"]
        if d is None or not mine:
            x = None
        elif d is p["draft"] and v[24] is not None:
            x = v[24]
        else:
            x = (d.channel, d.give, d.get, d.counter)
        if x is not v[24]:
            _put(enc, out, 24, v[24], x)
            v[24] = x
        x = s["gifts"]
        if x is not p["gifts"]:
            _put(enc, out, 25, p["gifts"], x)
        x = s["ap_this_round"]
        if x is not p["ap_this_round"]:
            _put_by_side(enc, out, v, 26, T.sides, x)
        bonuses = s["bonuses"]
        new_bonuses = bonuses is not p["bonuses"]
        if new_bonuses:
            _put(enc, out, 27, p["bonuses"], bonuses)
        x = s["boost_used"]
        if x is not p["boost_used"]:
            _put_by_side(enc, out, v, 28, T.sides, x)
        hot = s["hot_rounds"]
        if hot != p["hot_rounds"]:
            out += (29, hot)
        broken = s["broken"]
        new_broken = broken is not p["broken"]
        if new_broken:
            _put_by_side(enc, out, v, 30, T.sides, broken)
        agendas = s["agendas"]
        new_agendas = agendas is not p["agendas"]
        if new_agendas:
            x = V._agenda_view(V._cache(T), T, state, (side,))
            _put(enc, out, 31, v[31], x)
            v[31] = x
        x = s["ruled_out"]
        if x is not p["ruled_out"]:
            x = tuple(x[T.sides.index(side)])
            _put(enc, out, 32, v[32], x)
            v[32] = x
        # The score: its parts but the ending's are made from the commitments, the cards, the bonuses, the
        # broken promises, the summits and the rounds near the brink; the ending's from the trust and the
        # commitments (while the match runs: see game.view.view_values).
        breakdown = self.breakdown
        if (breakdown is None or new_commitments or new_agendas or new_bonuses or new_broken
                or summits != p["summits"] or hot != p["hot_rounds"]):
            breakdown = V._shared(V._cache(T), ("sb", side, summits, hot), (commitments, agendas, bonuses, broken),
                                  lambda: tuple(V.score_breakdown(state, side, believe_claims=True)))
            self.breakdown = breakdown
        elif same_trust:
            breakdown = None  # nothing the score is made from changed
        if breakdown is not None:
            parts = breakdown + (V._ending_as_it_stands(state, T, side, v[11]),)
            x = round(sum(map(_SECOND, parts)), 2)  # the same sum as view_values' (the same order)
            if x != v[34] or type(x) is not type(v[34]):
                out += (34, x)
            v[34] = x
            _put(enc, out, 35, v[35], parts)
            v[35] = parts
        if mine:
            legal = V.legal_actions(state)
            x = tuple(map(_TEXT, legal))  # the texts memoised on the actions (each made once per scenario)
            if None in x:
                x = tuple(map(str, legal))
            v[LEGAL] = x
        else:
            v[LEGAL] = ()
        self.state = state
        return out


_SECOND = operator.itemgetter(1)
_TEXT = operator.attrgetter("_text")
_V: Any = None


def _bind_view() -> None:
    """game.view, bound on first use (a bot's process imports this module and needs none of the worker's side)."""
    global _V
    import game.view

    _encoding()
    _V = game.view
    if _V.tables is None:
        _V._load_engine()


def _channels(out: list[Any], enc: _Encoding, state: Any, is_open: tuple, trust: tuple, used: tuple,
              was_open: tuple, had_trust: tuple, had_used: tuple) -> None:
    """The channels' change, found from the state's parts: what `_put` makes of two tuples of ChannelViews."""
    changed, retyped = [], []
    for j, o, t, u, was, had, had_u in zip(count(), is_open, trust, used, was_open, had_trust, had_used):
        if o != was or t != had or u != had_u:
            changed.append(j)
        elif type(t) is not type(had):
            retyped.append(j)
    if not changed and not retyped:
        return
    channels = state.scenario.channels
    if not changed:  # equal, but a trust is a float of another type: the whole list travels, as _put sends it
        out += (10, [[c.id, c.name, o, t, u] for c, o, t, u in zip(channels, is_open, trust, used)])
        return
    changes: list[Any] = [len(is_open)]
    for j in sorted(changed + retyped):
        c = channels[j]
        changes += (j, [c.id, c.name, is_open[j], trust[j], used[j]])
    out += (10 + len(FIELDS), changes)


class Sender:
    """The worker's side of one bot host: which legal lists its current process knows, by number."""

    def __init__(self) -> None:
        self.pid: int | None = None
        self.known: dict[tuple[str, ...], int] = {}
        self.next = 0
        self.clear = False

    def add_legal(self, pid: int | None, item: dict[str, Any], legal: tuple[str, ...]) -> None:
        """Put the legal list into `item` as a number (with the list, the first time this process hears of it).

        Called when the batch is sent, in the order the process reads the items, so a list is defined
        before an item refers to it; a new process (`pid` changed) knows no list, nor does one that is not
        running yet (`pid` None: every list of the batch is defined in it).
        """
        if pid != self.pid or pid is None:  # None twice may be two processes: a start that failed, then another
            self.pid, self.known, self.clear = pid, {}, False
        number = self.known.get(legal)
        if number is None:
            if len(self.known) >= LEGAL_TABLE_SIZE:
                self.known, self.clear = {}, True
            number = self.known[legal] = self.next
            self.next += 1
            item["Ld"] = legal
        if self.clear:
            item["Lc"] = 1
            self.clear = False
        item["L"] = number


# --- the bot process's side -------------------------------------------------------------------------------------


class Receiver:
    """The bot process's side: each match's view fields, and the legal lists (texts and actions) by number."""

    def __init__(self) -> None:
        import typing

        _converter = _from_wire

        hints = _field_types()
        self.convert = [_converter(tp) for tp in hints]  # None: the data is the value
        self.convert_item = [(_converter(typing.get_args(tp)[0]) or _same) if typing.get_origin(tp) is tuple else _same
                             for tp in hints]
        self.matches: dict[Any, list[Any]] = {}
        self.legal: dict[int, tuple[tuple[str, ...], tuple[Any, ...]]] = {}

    def view(self, key: Any, item: dict[str, Any]) -> tuple[View, tuple[Any, ...]]:
        """The view and the legal actions of one decision of match `key` (raises on a malformed item)."""
        if "Lc" in item:
            self.legal.clear()
        if "Ld" in item:
            texts = tuple(str(t) for t in item["Ld"])
            self.legal[int(item["L"])] = (texts, tuple(_parse(t) for t in texts))
        n = len(FIELDS)
        values = self.matches.get(key)
        if values is None:
            values = self.matches[key] = [None] * (n + 1)  # the fields' values, then the legal actions
        convert, delta = self.convert, item["d"]
        if len(delta) % 2:
            raise ValueError("a view's changes come in pairs")
        pairs = iter(delta)
        for i, data in zip(pairs, pairs):  # [index, value, index, value, ...]
            if i < n:
                c = convert[i]
                values[i] = data if c is None else c(data)
            else:  # some items of a list: [its new length, place, item, place, item, ...]
                i -= n
                each, size = self.convert_item[i], data[0]
                patched = list(values[i][:size])
                patched += [None] * (size - len(patched))
                for k in range(1, len(data), 2):
                    patched[data[k]] = each(data[k + 1])
                values[i] = tuple(patched)
        if "L" in item:
            values[LEGAL], values[n] = self.legal[int(item["L"])]
        # A new View of the values, its fields set as its __init__ sets them but without the frozen dataclass's
        # call per field (a third of the cost of rebuilding a view): the same View, equal field by field. The
        # slots' setters run in one C loop (`map` stops at the last field: values[n] is the legal actions).
        v = _new(View)
        any(map(_call, _SETTERS, repeat(v), values))
        _SET_RULES(v, None)
        return v, values[n]

    def forget(self, key: Any) -> None:
        """Drop what a match's views were (it ended)."""
        self.matches.pop(key, None)


_new = object.__new__
_call = operator.call
_SETTERS = [View.__dict__[name].__set__ for name in FIELDS]  # the slots' own setters (View is frozen)
_SET_RULES = View.__dict__["rules"].__set__
if [f.name for f in dataclasses.fields(View)] != [*FIELDS, "rules"] or View.__init__ is object.__init__ \
        or hasattr(View, "__post_init__"):
    raise ImportError("game.view.View: Receiver sets the fields that travel, then `rules`, as its __init__ does")


def _same(value: Any) -> Any:
    return value


# --- the types' forms on the wire: dataclasses as lists of their fields, in order -------------------------------

_LEAVES = (int, float, str, bool, type(None))


def _leaf(tp: Any) -> bool:
    return tp in _LEAVES or (isinstance(tp, type) and issubclass(tp, (int, float, str)))  # str enums too


def _parts(tp: Any) -> tuple[list[str], list[Any]]:
    """A dataclass's compared fields and their types."""
    hints = type_hints(tp)
    names = [f.name for f in dataclasses.fields(tp) if f.compare]
    return names, [hints[n] for n in names]


def _to_wire(tp: Any) -> Any:
    """The function writing a value of type `tp` as JSON-ready data, or None where the value already is."""
    import typing

    if _leaf(tp):
        return None
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin in (typing.Union, types.UnionType):
        inner = [_to_wire(a) for a in args if a is not type(None)]
        if all(c is None for c in inner):
            return None
        one = inner[0]
        return lambda v: None if v is None else one(v)
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            each = _to_wire(args[0])
            return None if each is None else (lambda v: [each(x) for x in v])
        convs = [_to_wire(a) for a in args]
        if all(c is None for c in convs):
            return None
        return lambda v: [x if c is None else c(x) for c, x in zip(convs, v)]
    if dataclasses.is_dataclass(tp):
        names, kinds = _parts(tp)
        convs = [_to_wire(t) for t in kinds]
        get = operator.attrgetter(*names)
        if all(c is None for c in convs):
            return lambda v: list(get(v))
        return lambda v: [x if c is None else c(x) for c, x in zip(convs, get(v))]
    raise TypeError(f"the wire cannot carry a {tp!r}")


def _from_wire(tp: Any) -> Any:
    """The function turning the wire's data back into a value of type `tp` (tuples and dataclasses restored), or
    None where the data already is the value; the inverse of `_to_wire` up to what JSON keeps (text for an enum)."""
    import typing

    if _leaf(tp):
        return None
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin in (typing.Union, types.UnionType):
        inner = [_from_wire(a) for a in args if a is not type(None)]
        if all(c is None for c in inner):
            return None
        one = inner[0]
        return lambda v: None if v is None else one(v)
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            each = _from_wire(args[0])
            return tuple if each is None else (lambda v: tuple(map(each, v)))
        convs = [_from_wire(a) for a in args]
        if all(c is None for c in convs):
            return tuple
        return lambda v: tuple([x if c is None else c(x) for c, x in zip(convs, v, strict=True)])
    if dataclasses.is_dataclass(tp):
        names, kinds = _parts(tp)
        convs = [_from_wire(t) for t in kinds]
        make = _maker(tp, names)
        if all(c is None for c in convs):
            return make
        return lambda v: make([x if c is None else c(x) for c, x in zip(convs, v, strict=True)])
    raise TypeError(f"the wire cannot carry a {tp!r}")


def _maker(tp: type, names: list[str]) -> Any:
    """`tp(*values)` for a dataclass whose fields travel (`names`): for a frozen one with slots and a plain
    __init__, the slots set as that __init__ sets them, without its call per field (the same object)."""
    fields = dataclasses.fields(tp)
    setters = [getattr(tp.__dict__.get(f.name), "__set__", None) for f in fields]
    if ([f.name for f in fields] != names or not all(f.init for f in fields) or None in setters
            or hasattr(tp, "__post_init__") or "__slots__" not in tp.__dict__ or tp.__init__ is object.__init__):
        return lambda v: tp(*v)
    size = len(setters)

    def make(values: Any) -> Any:
        if len(values) != size:
            raise TypeError(f"{tp.__name__} takes {size} values, not {len(values)}")
        made = _new(tp)
        any(map(_call, setters, repeat(made), values))
        return made

    return make


def _parse(text: str) -> Any:
    from game.bots.host_child import _parse as parse

    return parse(text)
