"""A bot that tries the network at its first move, for tests/test_no_network.py: a UDP datagram and a TCP
connection to ports the test listens on (on this machine's loopback). If either gets through it crashes, naming
what got through, so the test sees it as a forfeit; otherwise it plays its first legal action."""

import socket

from game.bots import Bot


class Probe(Bot):
    """`udp` and `tcp`: the test's ports on 127.0.0.1."""

    def __init__(self, udp=0, tcp=0):
        super().__init__(udp=udp, tcp=tcp)
        self.udp, self.tcp = int(udp), int(tcp)
        self.tried = False

    def choose(self, view, legal, rng):
        if not self.tried:
            self.tried = True
            reached = []
            try:
                with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
                    s.sendto(b"udp from a bot", ("127.0.0.1", self.udp))
                    reached.append("udp")
            except OSError:
                pass
            try:
                with socket.create_connection(("127.0.0.1", self.tcp), timeout=1.0) as s:
                    s.sendall(b"tcp from a bot")
                    reached.append("tcp")
            except OSError:
                pass
            if reached:
                raise RuntimeError(f"reached the network: {', '.join(reached)}")
        return legal[0]
