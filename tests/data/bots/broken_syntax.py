from game.bots import Bot


class Broken(Bot):
    def choose(self, view, legal, rng)
        return legal[0]
