"""The private panel: the side's own agenda cards, what it knows of the other side, its score in parts.

It is drawn only while "hold to reveal" is held, with a "PRIVATE - shown"
marker, and only from that side's own view; the board scene drops the view
it was drawn from before any hand-off screen is drawn.
"""

from __future__ import annotations

import pygame

from game.ui.text import INK, wrapped_height
from game.ui.theme import colour
from game.ui.widgets import panel


def private_lines(v, scenario) -> list[tuple[str, str]]:
    """(style, text) lines of a side's private panel, from its own view: cards, knowledge, score parts."""
    names = {s.id: s.name for s in scenario.sides}
    other = next(s for s in scenario.side_ids if s != v.side)
    out: list[tuple[str, str]] = [("head", "Your agenda cards")]
    for c in v.agenda:
        out.append(("bold", c.name))
        out.append(("text", c.text))
    hint = card_hints(v)
    if hint:
        out.append(("head", "Hints from your card"))
        out.append(("text", hint))
    out.append(("head", f"What you know of {names[other]}"))
    decks = {d.id: d for d in scenario.decks} if hasattr(scenario, "decks") else {}
    known = []
    for deck_id, card_id in v.ruled_out:
        deck = decks.get(deck_id)
        card = next((c for c in deck.cards if c.id == card_id), None) if deck else None
        known.append(f"Their card is not \"{card.name if card else card_id}\".")
    for c in v.commitments:
        if c.giver == other and c.status == "claimed":
            known.append(f"They claim {c.name} is done: not verified.")
        elif c.giver == other and c.status == "exposed":
            known.append(f"Their claim of {c.name} was exposed as false.")
    out += [("text", k) for k in known] or [("muted", "Nothing beyond the board yet: intelligence moves rule cards out.")]
    out.append(("head", f"Your score so far: {round(v.my_score, 2):g}" if v.my_score is not None else "Your score"))
    for label, value in v.score_parts:
        out.append(("text", f"{round(value, 2):+g}  {label}"))
    if not v.score_parts:
        out.append(("muted", "Nothing yet."))
    return out


def card_hints(v) -> str:
    """What the side's own card makes worth most to receive and cheapest to give (from the menu's item values)."""
    from game.engine import SUMMIT
    from game.menu import deal_options

    try:
        opts = deal_options(v, SUMMIT)  # every tier may go to a summit: the values of all items, nothing applied
    except ValueError:
        return ""
    best = sorted(opts.get, key=lambda o: -o.value)[:3]
    cheap = sorted(opts.give, key=lambda o: -o.value)[:3]
    parts = []
    if best:
        parts.append("Worth most to you: " + ", ".join(f"{o.name} ({o.value:+g})" for o in best) + ".")
    if cheap:
        parts.append("Cheapest to give: " + ", ".join(f"{o.name} ({o.value:+g})" for o in cheap) + ".")
    return " ".join(parts)


def draw_private(target: pygame.Surface, rect: pygame.Rect, v, scenario, size: int) -> None:
    """The open private panel with its marker (drawn over the right-hand column)."""
    inner = panel(target, rect, "", size, edge="private")
    marker = INK.line(target, "PRIVATE - shown (let go to hide)", inner.topleft, size, bold=True, role="private",
                      panel=inner)
    y = marker.bottom + size // 2
    small = max(18, size - 2)
    for style, text in private_lines(v, scenario):
        if style == "head":
            y += small // 2
        sz = size if style == "head" else small
        h = wrapped_height(text, inner.width, sz, bold=style in ("head", "bold"))
        if y + h > inner.bottom:
            INK.line(target, "… (more on a larger window)", (inner.x, min(y, inner.bottom - sz * 2)), small,
                     role="muted", panel=inner)
            break
        role = {"head": "private", "muted": "muted"}.get(style, "text")
        y += INK.block(target, text, pygame.Rect(inner.x, y, inner.width, h), sz, bold=style in ("head", "bold"),
                       role=role, panel=inner)
    pygame.draw.rect(target, colour("private"), rect, 4, border_radius=8)
