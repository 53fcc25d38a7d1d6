"""No network for bot processes: a tournament's local workers (and so every bot process they start) have no
network on Linux where user namespaces are allowed; elsewhere the header says network is OFF."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest

from game.tournament import netns

BOTS = Path(__file__).parent / "data" / "bots"


def _listeners():
    udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    udp.bind(("127.0.0.1", 0))
    udp.setblocking(False)
    tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    tcp.bind(("127.0.0.1", 0))
    tcp.listen(5)
    tcp.setblocking(False)
    return udp, tcp


def _heard(udp, tcp) -> list[str]:
    heard = []
    try:
        udp.recv(100)
        heard.append("udp")
    except BlockingIOError:
        pass
    try:
        tcp.accept()[0].close()
        heard.append("tcp")
    except BlockingIOError:
        pass
    return heard


@pytest.mark.skipif(not netns.available(), reason="no user namespaces here: the header's warning is tested below")
def test_an_isolated_process_reaches_nothing():
    """After isolate(), neither a datagram nor a connection reaches a listener on this machine's loopback."""
    udp, tcp = _listeners()
    try:
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child
            code = 1
            try:
                if netns.isolate():
                    code = 0
                    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
                        try:
                            s.sendto(b"x", udp.getsockname())
                            code = 2
                        except OSError:
                            pass
                    try:
                        socket.create_connection(tcp.getsockname(), timeout=1.0)
                        code = 3
                    except OSError:
                        pass
            finally:
                os._exit(code)
        _, status = os.waitpid(pid, 0)
        assert os.waitstatus_to_exitcode(status) == 0
        assert _heard(udp, tcp) == []
    finally:
        udp.close()
        tcp.close()


def test_a_bot_in_a_tournament_reaches_no_network(tmp_path):
    """A bot file that tries UDP and TCP at its first move reaches neither (Linux with user namespaces), or the
    header says network is OFF."""
    from game.tournament import TournamentConfig, run_tournament
    from game.tournament.runner import read_log

    udp, tcp = _listeners()
    try:
        probe = f"{BOTS / 'network_probe.py'}:Probe:udp={udp.getsockname()[1]},tcp={tcp.getsockname()[1]}"
        cfg = TournamentConfig(bots=[probe, "random"], repetitions=1, seed=3, workers=1)
        stats, results = run_tournament(cfg, tmp_path / "t", charts=False)
        rows = list(read_log(tmp_path / "t"))
        heard = _heard(udp, tcp)
    finally:
        udp.close()
        tcp.close()
    assert results["tournament"]["complete"] and len(rows) == 2
    if netns.available():
        assert heard == [] and all(r["forfeit"] is None for r in rows), (heard, rows)
        assert stats.no_network is True
    else:
        assert stats.no_network is False


def test_the_header_says_whether_bots_have_network(monkeypatch):
    """The tournament header names network among the protections on, or among those OFF (a Dask cluster's
    workers, or a platform without user namespaces)."""
    from game.tournament.cli import protections_line

    on, _, off = protections_line(local=True).partition("OFF:")
    assert ("network" in on) == netns.available() and ("network" in off) != netns.available()
    assert "network" in protections_line(local=False).partition("OFF:")[2]
    monkeypatch.setattr(netns, "_available", False)
    assert "network" in protections_line(local=True).partition("OFF:")[2]
