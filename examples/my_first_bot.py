"""My first Crossroads bot: copy this file, change `choose`, and play it.

    python main.py match --us examples/my_first_bot.py:MyBot --dprk random --seed 3

The guide is docs/writing-a-bot.md.
"""

from game.actions import deal_steps
from game.bots import Bot

SOFT = {"us": "aid", "dprk": "remains"}  # the cheapest item each side can give


class MyBot(Bot):
    """Keeps every promise, accepts every offer, calms tension and trades one soft item each way."""

    name = "my-first-bot"
    description = "keeps promises, accepts offers, calms tension, trades soft items"

    def reset(self, side, seed):
        super().reset(side, seed)
        self.plan = []  # the remaining steps of the deal I am composing

    def choose(self, view, legal, rng):
        if self.plan and self.plan[0] in legal:  # go on composing my deal
            return self.plan.pop(0), "composing my deal"
        self.plan = []
        first = {}
        for action in legal:
            first.setdefault(action.verb, action)
        for verb in ("implement", "accept", "send", "cancel", "open"):  # keep promises, take offers
            if verb in first:
                return first[verb], f"I {verb} when I can"
        if view.tension >= 7 and "call" in first:  # a crisis comes at 10
            return first["call"], f"tension is {view.tension}: calling the hotline"
        me, other = view.side, view.other
        if not any(c.item == SOFT[me] for c in view.commitments):
            for channel in view.channels:
                steps = deal_steps(me, channel.id, give=[SOFT[me]], get=[SOFT[other]])
                if steps[0] in legal:
                    self.plan = steps[1:]
                    return steps[0], f"offering {SOFT[me]} for {SOFT[other]} through {channel.name}"
        builders = [a for a in legal if a.verb in ("meet", "exchange", "call")]
        return rng.choice(builders or [first.get("pass", legal[0])]), "building trust"
