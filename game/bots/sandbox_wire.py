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
`Sender` (in the worker) keeps, per host process, which lists it knows.
"""

from __future__ import annotations

import dataclasses
import operator
from itertools import compress, count
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


def view_delta(previous: tuple | None, values: tuple) -> list[Any]:
    """The changes from `previous` (a view's VALUES sent before; None: nothing sent yet) to `values`, as the
    flat [index, value, ...] list an item carries as "d" (the legal list travels apart: see `Sender`)."""
    if not _ENCODING:
        _ENCODING.append(_Encoding())
    enc = _ENCODING[0]
    convert, out = enc.convert, []
    if previous is None:
        for i in enc.fields:
            out += (i, convert[i](values[i]))
        return out
    floats = enc.floats
    # The view shares what did not change with the previous one (game.view's memo): only the fields that are
    # not the same object are compared, and only those that differ (or hold floats of other types) travel.
    for i in compress(range(len(FIELDS)), map(operator.is_not, previous, values)):
        if i == LEGAL:
            continue
        old, value = previous[i], values[i]
        if old == value:
            if i in floats and floats[i](old) != floats[i](value):
                out += (i, convert[i](value))
            continue
        each = enc.items.get(i)
        if each is None or old is None or value is None:
            out += (i, convert[i](value))
            continue
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
    return out


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
        before an item refers to it; a new process (`pid` changed) knows no list.
        """
        if pid != self.pid:
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
        self.convert = [_converter(tp) or _same for tp in hints]
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
        values = self.matches.get(key)
        if values is None:
            values = self.matches[key] = [None] * len(FIELDS)
        delta, convert, n = item["d"], self.convert, len(FIELDS)
        for j in range(0, len(delta), 2):
            i = delta[j]
            if i < n:
                values[i] = convert[i](delta[j + 1])
            else:  # some items of a list: [its new length, place, item, place, item, ...]
                i -= n
                changes, each = delta[j + 1], self.convert_item[i]
                patched = list(values[i][:changes[0]])
                patched += [None] * (changes[0] - len(patched))
                for k in range(1, len(changes), 2):
                    patched[changes[k]] = each(changes[k + 1])
                values[i] = tuple(patched)
        if "L" in item:
            values[LEGAL] = self.legal[int(item["L"])]
        texts, actions = values[LEGAL]
        v = View(*values[:LEGAL], texts, *values[LEGAL + 1:])
        return v, actions

    def forget(self, key: Any) -> None:
        """Drop what a match's views were (it ended)."""
        self.matches.pop(key, None)


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
        if all(c is None for c in convs):
            return lambda v: tp(*v)
        return lambda v: tp(*[x if c is None else c(x) for c, x in zip(convs, v, strict=True)])
    raise TypeError(f"the wire cannot carry a {tp!r}")


def _parse(text: str) -> Any:
    from game.bots.host_child import _parse as parse

    return parse(text)
