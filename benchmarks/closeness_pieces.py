"""Sampled closeness on a network in many small pieces (as the actor-artifact network at Hub
scale): a 20,000-node Barabasi-Albert core plus 60,028 nodes in 8,740 small trees, 64 sources.

    python benchmarks/closeness_pieces.py OUT.pkl     # prints the time, pickles the values

Run it with an older kg on PYTHONPATH (``git archive REV kg | tar -x -C /tmp/old``) to compare
the two: the values should agree to rounding.
"""

from __future__ import annotations

import pickle
import random
import sys
import time
from pathlib import Path

import networkx as nx

from kg.networks import metrics


def network(seed: int = 7) -> tuple[nx.Graph, int]:
    """The core and the small trees, and how many trees."""
    rng = random.Random(seed)
    H = nx.relabel_nodes(nx.barabasi_albert_graph(20_000, 3, seed=seed), lambda i: f"g{i}")
    pieces = 0
    while H.number_of_nodes() < 80_000:
        size = rng.choice([2, 2, 2, 3, 3, 4, 5, 8, 12, 30])
        tree = (
            nx.random_labeled_tree(size, seed=rng.randrange(10**9))
            if size > 2
            else nx.path_graph(2)
        )
        H.add_edges_from((f"c{pieces}-{u}", f"c{pieces}-{v}") for u, v in tree.edges)
        pieces += 1
    return H, pieces


def main() -> None:
    H, pieces = network()
    start = time.perf_counter()
    values = metrics.closeness(H, samples=64, seed=1, backend="compiled")
    took = time.perf_counter() - start
    print(f"{len(H):,} nodes, {pieces:,} small pieces: closeness in {took:.1f} s")
    Path(sys.argv[1]).write_bytes(pickle.dumps(values))


if __name__ == "__main__":
    main()
