"""Reasons for people: the built-in bots name the situation in words a student reads.

A bot's reason is shown beside its move in the terminal, the window and the
debrief, so it says what happened and why in the game's own words ("you broke
your promise on inspectors last round, so I hold back relief"), never an
internal name or a number only an engineer reads.
"""

from __future__ import annotations

from game.bots.common import BROKEN, Ctx


def names(ctx: Ctx, items) -> str:
    """Items in words: 'aid', 'aid and remains', 'aid, travel and remains', or 'nothing'."""
    n = [ctx.T.items[i].name for i in items]
    if not n:
        return "nothing"
    return n[0] if len(n) == 1 else ", ".join(n[:-1]) + " and " + n[-1]


def deal_words(ctx: Ctx, give, get) -> str:
    """A deal proposed to me in words, from my side: what they offer and what they ask of me."""
    if not give:
        return f"you offer {names(ctx, get)} and ask nothing of me"
    if not get:
        return f"you ask me for {names(ctx, give)} and offer nothing in return"
    return f"you offer {names(ctx, get)} for {names(ctx, give)}"


def last_broken(ctx: Ctx):
    """The other side's most recently settled broken (or exposed) promise, or None."""
    broken = [c for c in ctx.view.commitments if c.giver == ctx.other and c.status in BROKEN]
    return max(broken, key=lambda c: c.settled) if broken else None


def broken_words(ctx: Ctx) -> str:
    """'you broke your promise on X last round' (or 'were caught faking X'), for reasons."""
    c = last_broken(ctx)
    if c is None:
        return "you broke a promise"
    ago = ctx.view.round - c.settled
    when = "this round" if ago <= 0 else "last round" if ago == 1 else f"in round {c.settled}"
    if c.status == "exposed":
        return f"you were caught claiming {c.name} without doing it {when}"
    return f"you broke your promise on {c.name} {when}"


def doing(T, view, steps) -> str:
    """A move (one action, or a whole deal's steps) in words, as the bot that makes it says it."""
    from game.actions import (
        Accept, Break, Call, Exchange, Fake, Gift, Give, Get, Implement, Intel, Meet, OpenChannel, Pass, Pressure,
        Propose, ProposeSummit, Reject, Reverse,
    )

    a = steps[0]

    def item(i: str) -> str:
        return T.items[i].name

    if isinstance(a, Propose):
        give = [item(s.item) for s in steps if isinstance(s, Give)]
        get = [item(s.item) for s in steps if isinstance(s, Get)]
        return (f"offering {' and '.join(give) or 'nothing'}"
                + (f" for {' and '.join(get)}" if get else " as a gift"))
    p = next((p for p in view.proposals if p.receiver == view.side), None)
    if isinstance(a, Accept):
        return "accepting the deal" if p is not None and p.kind == "deal" else "saying yes"
    if isinstance(a, Reject):
        return "turning the proposal down"
    if isinstance(a, Implement):
        return f"keeping my promise on {item(a.item)}"
    if isinstance(a, Break):
        return f"breaking my promise on {item(a.item)}"
    if isinstance(a, Fake):
        return f"claiming {item(a.item)} without really doing it"
    if isinstance(a, Call):
        return "calling on the hotline to calm things"
    if isinstance(a, Meet):
        return "a working-level meeting" + (f" to prepare {item(a.item)}" if a.item else "")
    if isinstance(a, Exchange):
        return "a cultural exchange"
    if isinstance(a, OpenChannel):
        return f"opening the {T.channel[a.channel].name} channel"
    if isinstance(a, ProposeSummit):
        return "proposing a summit"
    if isinstance(a, Pressure):
        return f"applying pressure ({T.pressure[a.side][a.move].name})"
    if isinstance(a, Intel):
        return f"checking your claim about {item(a.target)}" if a.target else "finding out what you are really after"
    if isinstance(a, Gift):
        return f"giving {item(a.item)} as a gesture"
    if isinstance(a, Reverse):
        return f"taking back {item(a.item)}"
    if isinstance(a, Pass):
        return "waiting"
    return str(a)
