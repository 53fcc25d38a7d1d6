"""The deal builder: compose a deal item by item without touching the game until it is sent.

The builder only reads views and `deal_options`; "back" leaves nothing
behind, and sending hands the whole deal to the match at once (propose or
counter, the items, send), so a draft never reaches the record.
"""

from __future__ import annotations

from typing import Callable

from game.actions import Counter, Get, Give, Propose, Send
from game.menu import deal_options
from game.terminal.console import Console
from game.view import View

BUILDER_HELP = ("Type an item's number to add or remove it, 'send' to send the deal, or 'back' to leave it (free); "
                "against a bot, 'ask' asks what it would take.")


class DealBuilder:
    """One deal being composed through one channel; `run()` returns the actions to submit, or None for back.

    For a counter-offer `view` is the side's view as it would be once it counters (a preview: nothing applied).
    """

    def __init__(self, console: Console, view: View, channel: str, channel_name: str, *, counter: bool = False,
                 explain_rule: Callable[[], list[str]] | None = None, advisor: Callable | None = None):
        self.console = console
        self.view = view
        self.channel = channel
        self.channel_name = channel_name
        self.counter = counter
        self.give: list[str] = []
        self.get: list[str] = []
        self.explain_rule = explain_rule
        self.advisor = advisor  # the bot across the table's "what would it take?", or None facing a person
        self.nearest: tuple | None = None

    def actions(self) -> list:
        """The actions that send this deal: propose (or counter), each item, send."""
        side = self.view.side
        start = Counter(side) if self.counter else Propose(side, self.channel)
        return [start, *(Give(side, i) for i in self.give), *(Get(side, i) for i in self.get), Send(side)]

    def _show(self) -> list:
        opts = deal_options(self.view, self.channel, tuple(self.give), tuple(self.get))
        c = self.console
        kind = "Counter-offer" if self.counter else "Deal"
        c.heading(f"{kind} through {self.channel_name} - nothing is sent until you type 'send'")
        numbered = []
        for title, options in (("You give", opts.give), ("You ask for", opts.get)):
            c.say(f"{title}:")
            for o in options:
                numbered.append(o)
                n = len(numbered)
                mark = "[x]" if o.in_deal else "[ ]"
                worth = f"worth {o.value:+g} to you"
                if o.in_deal or o.addable:
                    c.say(f"  {n:>2}. {mark} {o.name} ({o.tier}, {worth})")
                else:
                    c.say(f"  {n:>2}.  -  {o.name} ({o.tier}): {o.reason}", "dim")
        total = sum(o.value for o in numbered if o.in_deal)
        c.say(f"This deal is worth {total:+g} to you by your own card." if (self.give or self.get)
              else "The deal is empty.")
        if not opts.can_send:
            c.say(f"Cannot send yet: {opts.why_not_send}")
        return [numbered, opts]

    def run(self) -> list | None:
        """Let the person compose; the actions to send, or None if they went back."""
        while True:
            numbered, opts = self._show()
            try:
                answer = self.console.ask("deal> ").lower()
            except ValueError:
                self.console.say("That was not readable text. " + BUILDER_HELP)
                continue
            if answer in ("back", "b", "cancel"):
                return None
            if answer in ("send", "s"):
                if opts.can_send:
                    return self.actions()
                self.console.say(f"Not yet: {opts.why_not_send}")
                continue
            if answer == "ask" and self.advisor is not None:
                self._ask()
                continue
            if answer == "use" and self.nearest is not None:
                _, give, get = self.nearest
                self.give, self.get = list(give), list(get)
                self.nearest = None
                continue
            if answer in ("rules", "?") and self.explain_rule is not None:
                for line in self.explain_rule():
                    self.console.say(line)
                continue
            if not answer.isdigit() or not 1 <= int(answer) <= len(numbered):
                self.console.say(f"{answer!r} is not one of the items 1-{len(numbered)}. " + BUILDER_HELP)
                continue
            o = numbered[int(answer) - 1]
            mine = o.item in {x.item for x in opts.give}
            bucket = self.give if mine else self.get
            if o.in_deal:
                bucket.remove(o.item)
            elif o.addable:
                bucket.append(o.item)
            else:
                self.console.say(f"{o.name} cannot go into this deal: {o.reason}")

    def _ask(self) -> None:
        """Ask the bot whether it would accept this deal and what it would accept (nothing is sent)."""
        try:
            advice = self.advisor(self.channel, tuple(self.give), tuple(self.get))
        except Exception as err:  # advice is a courtesy: a bot that cannot give it must not end the game
            self.console.say(f"The bot could not say ({type(err).__name__}).")
            return
        likely = "would accept this deal" if advice.accept else "would not accept this deal as it stands"
        self.console.say(f"The other side {likely}. {advice.text()}")
        self.nearest = advice.nearest if not advice.accept else None
        if self.nearest is not None:
            self.console.say("Type 'use' to put the deal it named on the table.")
