"""The replay viewer's text panels: the numbered log, what the chosen perspective knew, and the key help.

Each is drawn only from what the viewer's perspective may see: the log's lines and the view
come from the replay model for that perspective, so a side's view never holds the other
side's card or the truth of its unverified claims before the end.
"""

from __future__ import annotations

import pygame

from game.ui.text import INK, line_step, wrap, wrapped_height
from game.ui.theme import colour
from game.ui.widgets import panel

STATUS_WORDS = {"pending": "agreed", "verified": "implemented", "claimed": "unverified claim", "broken": "broken",
                "exposed": "exposed", "reversed": "withdrawn", "fallen": "fallen"}

KEYS = [
    ("Right or j", "one action forward"),
    ("Left or k", "one action back"),
    ("Down / Up", "the start of the next / this or the previous round"),
    ("Home / End", "the new game / the last action"),
    ("Space", "play or pause"),
    ("+ / -", "play faster / slower"),
    ("1 2 3 4", "the room's view, the US's, the DPRK's, everything"),
    ("Click or drag", "the timeline (or click a log entry) to jump"),
    ("S D B X", "summit, deal, broken promise, exposed claim"),
    ("Tab, Enter", "the buttons"),
    ("?", "this help (any key closes it)"),
    ("Esc", "back to the menu"),
]


def entry_rows(number: int, lines, fallback: str, width: int, size: int, bold: bool) -> list[tuple[str, str]]:
    """A log entry as (text, role) rows: its sentences as one numbered paragraph, a round's header on a row of
    its own (the entry of the action that ended a round also opens the next one)."""
    rows: list[tuple[str, str]] = []
    para: list[str] = []

    def flush(first: bool) -> None:
        if para or first:
            text = " ".join(para) or fallback
            rows.extend((w, "text") for w in wrap(f"{number}. {text}" if first else text, width, size, bold))
            para.clear()

    first = True
    for ln in lines:
        t = ln.strip()
        if t.startswith("==") and t.endswith("=="):
            flush(first)
            first = False
            rows.extend((w, "accent") for w in wrap(t.strip("= "), width, size, True))
        elif t and not (t.startswith("--") and t.endswith("--")):
            para.append(t)
    flush(first)
    return rows


def draw_log(target: pygame.Surface, rect: pygame.Rect, entries, names: dict[str, str], current: int,
             body: int, opening=(), trailer: str = "") -> list[tuple[pygame.Rect, int]]:
    """The numbered log up to the shown action, newest at the foot, the current entry boxed; the entries' rects."""
    small = max(18, body - 2)
    inner = panel(target, rect, "The log (numbers as --fork-at N takes them)", body, box=False)
    step = line_step(small)
    blocks: list[tuple[int, list[tuple[str, str]]]] = []   # (number, [(text, role)])
    rows_total = 0
    # Newest first until the panel is full: a long match never re-wraps the whole log each frame.
    for n in range(len(entries) - 1, -1, -1):
        e = entries[n]
        now = e.number == current  # the current entry is bold: wrapped bold, so no line is cut
        rows = entry_rows(e.number, e.lines, f"{names.get(e.side, e.side)} moves", inner.width - 8, small, now)
        if e.reason:
            rows += [(w, "muted") for w in wrap(f"Why: {e.reason}", inner.width - 8, small)]
        blocks.append((e.number, rows))
        rows_total += len(rows)
        if rows_total * step > inner.height * 2:
            break
    if not entries:
        text = "\n".join(ln.strip("= ") for ln in opening) + "\n\nThe new game, before any action: press Right " \
                                                             "(or j) to step, Space to play."
        INK.block(target, text.strip(), inner, small, panel=inner)
        return []
    y = inner.bottom
    if trailer:  # what stops the replay here, under the last entry it can show
        tail = wrap(trailer, inner.width - 8, small, True)
        y -= len(tail) * step
        for k, text in enumerate(tail):
            INK.line(target, text, (inner.x + 4, y + k * step), small, bold=True, role="bad", panel=inner)
    out: list[tuple[pygame.Rect, int]] = []
    for number, rows in blocks:
        h = len(rows) * step
        top = y - h
        box = pygame.Rect(inner.x, max(top, inner.y), inner.width, y - max(top, inner.y))
        if number == current:
            pygame.draw.rect(target, colour("button_hover"), box.inflate(0, 2), border_radius=4)
            pygame.draw.rect(target, colour("focus"), box.inflate(0, 2), 2, border_radius=4)
        for k, (text, role) in enumerate(rows):
            ry = top + k * step
            if ry < inner.y:
                continue
            INK.line(target, text, (inner.x + 4, ry), small, role=role, panel=inner,
                     bold=role == "accent" or (number == current and role == "text"))
        out.append((box, number))
        y = top
        if y <= inner.y:
            break
    return out


def knowledge_lines(perspective: str, v, names: dict[str, str], side_label: str,
                    owners: dict[str, str] | None = None):
    """What the perspective knew: (one column of (role, text) lines per agenda card it could see, the lines
    under them: its score as it saw it and the promises)."""
    cards: list[list[tuple[str, str]]] = []
    out: list[tuple[str, str]] = []
    if perspective != "public":  # the room saw no agenda card: its title says so
        by_owner: dict[str, list[tuple[str, str]]] = {}
        for c in v.agenda:  # one column per side (a side may hold a card from each of several decks)
            owner = (owners or {}).get(c.deck, "")
            col = by_owner.setdefault(owner, [])
            both = len({(owners or {}).get(x.deck, "") for x in v.agenda}) > 1
            col += [("bold", f"{owner}: {c.name}" if owner and both else c.name), ("text", c.text)]
        cards = list(by_owner.values())
        if v.my_score is not None:
            out.append(("accent", f"{side_label}'s score as it saw it: {round(v.my_score, 2):g}"))
    if v.final_scores:
        out.append(("accent", "Final scores: " + ", ".join(f"{names.get(s, s)} {x:g}" for s, x in v.final_scores)))
    out.append(("accent", "Promises"))
    lines = []
    for c in reversed(v.commitments):
        status = STATUS_WORDS.get(str(c.status), str(c.status))
        if str(c.status) == "pending":
            status = "due now" if c.due <= v.round else f"agreed, due round {c.due}"
        lines.append(("text", f"{names.get(c.giver, c.giver)}: {c.name} - {status}"))
    return cards, out + (lines or [("muted", "No promises yet.")])


def draw_knowledge(target: pygame.Surface, rect: pygame.Rect, title: str, parts, body: int) -> None:
    """The perspective's panel: the cards side by side, then the rest in order, cut at the foot."""
    cards, rest = parts
    small = max(18, body - 2)
    inner = panel(target, rect, title, body, box=False)
    gap = small
    y_end = inner.y
    if cards:
        colw = (inner.width - gap * (len(cards) - 1)) // len(cards)
        for n, lines in enumerate(cards):
            col = pygame.Rect(inner.x + n * (colw + gap), inner.y, colw, inner.height)
            y_end = max(y_end, _lines(target, col, inner.y, lines, small))
    _lines(target, inner, y_end, rest, small)


def _lines(target, inner: pygame.Rect, y: int, lines, small: int) -> int:
    """(role, text) lines down from y inside `inner`; where they ended."""
    for role, text in lines:
        bold = role in ("bold", "accent")
        h = wrapped_height(text, inner.width, small, bold)
        if y >= inner.bottom:
            break
        h = min(h, inner.bottom - y)
        y += INK.block(target, text, pygame.Rect(inner.x, y, inner.width, h), small, bold=bold,
                       role="text" if role == "bold" else role, panel=inner) + small // 4
    return y


def draw_help(target: pygame.Surface, body: int) -> None:
    """The key help over the viewer, as lichess's `?` shows it."""
    w, h = target.get_size()
    size = body
    step = line_step(size)
    key_w = max(INK.surface(k, size, True).get_width() for k, _ in KEYS) + size
    box = pygame.Rect(0, 0, min(w - 40, key_w + size * 26), min(h - 40, step * (len(KEYS) + 2) + size * 2))
    box.center = (w // 2, h // 2)
    pygame.draw.rect(target, colour("background"), box, border_radius=8)
    inner = panel(target, box, "Keys of the replay viewer", size, edge="focus")
    for n, (k, what) in enumerate(KEYS):
        y = inner.y + n * step
        INK.line(target, k, (inner.x, y), size, bold=True, role="focus", panel=inner)
        INK.line(target, what, (inner.x + key_w, y), size, panel=inner)
