"""Driving the window without a person: synthetic clicks on buttons by key (the tests, the screenshot script)."""

from __future__ import annotations

import pygame


def click(app, key: str) -> None:
    """Post a left click on the button with this key in the scene on top (AssertionError if there is none)."""
    scene = app.scene
    button = next((b for b in scene.focus.buttons if b.key == key), None)
    assert button is not None, f"no button {key!r} in {type(scene).__name__}: {[b.key for b in scene.focus.buttons]}"
    pos = button.rect.center
    app.frame(0.0, [pygame.event.Event(pygame.MOUSEBUTTONDOWN, button=1, pos=pos),
                    pygame.event.Event(pygame.MOUSEBUTTONUP, button=1, pos=pos)])


def press(app, key: int, up: bool = True) -> None:
    """Post a key press (and its release)."""
    events = [pygame.event.Event(pygame.KEYDOWN, key=key, mod=0, unicode="", scancode=0)]
    if up:
        events.append(pygame.event.Event(pygame.KEYUP, key=key, mod=0, unicode="", scancode=0))
    app.frame(0.0, events)


def keys(app) -> list[str]:
    """The keys of the buttons in the scene on top."""
    return [b.key for b in app.scene.focus.buttons]


def person_move(app) -> None:
    """One move of the person at the board, chosen simply: answer or settle first, else open a channel, else pass."""
    scene = app.scene
    entries = [e for e in scene._entries if e.legal]
    groups = {e.group for e in entries}
    prefer = [("answer", ("accept", "reject")), ("settle", ("implement",)), ("channels", ("open",)),
              ("pass", ("pass",))]
    for group, verbs in prefer:
        if group not in groups:
            continue
        click(app, f"group:{group}")
        for e in app.scene._entries:
            if e.group == group and e.legal and e.action is not None and e.action.verb in verbs:
                # The entry may sit on a later page of the group.
                for _ in range(10):
                    if f"move:{e.key}" in keys(app):
                        break
                    click(app, "more")
                click(app, f"move:{e.key}")
                return
    raise AssertionError(f"no move chosen among {[e.key for e in entries]}")
