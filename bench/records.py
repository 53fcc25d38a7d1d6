"""How long a hostile record takes to refuse: the fuzz test's mutated records, timed one by one.

Run: python bench/records.py [--cases N]
Prints the median and the slowest cases of parse_record + verify on the mutations of tests/test_record_fuzz.py
(the same generator and seed), so a mutation that makes loading slow shows up here rather than as a test that
fails on a busy machine. Each case should take well under a second.
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from game.record import RecordError, parse_record, verify  # noqa: E402
from tests.test_record_fuzz import CASES, GOLDEN, mutate  # noqa: E402 - one generator for the test and the bench


def main(argv: list[str] | None = None) -> int:
    """Time every mutated record's load and verification; print the median and the five slowest."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=CASES)
    args = parser.parse_args(argv)
    sources = [GOLDEN / "peace_verifier_reciprocator.json", GOLDEN / "forfeit_random_quitter.json"]
    bases = [(p.read_bytes(), json.loads(p.read_bytes())) for p in sources]
    rng = random.Random(20260105)
    timings = []
    for n in range(args.cases):
        text, data = bases[n % len(bases)]
        what, blob = mutate(rng, text, data)
        start = time.perf_counter()
        try:
            verify(parse_record(blob, "fuzz.json"), "fuzz.json")
        except RecordError:
            pass
        timings.append((time.perf_counter() - start, n, what))
    print(f"{platform.processor() or platform.machine()}, Python {platform.python_version()}, {args.cases} cases")
    print(f"median {statistics.median(t for t, _, _ in timings) * 1000:.2f} ms")
    for took, n, what in sorted(timings, reverse=True)[:5]:
        print(f"  {took * 1000:8.1f} ms  case {n} ({what})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
