"""How long `kg serve --store` takes to be ready on a big store, and how fast entity lookups are.

    python benchmarks/serve_ready.py /tmp/serve/10m.store [--runs 2] [--samples 300]

Each run launches `kg serve --store STORE` and times /healthz 200 and /readyz 200 (the search
index and projection ready) from the launch, then times `GET /entities/model/{id}` over random
models (p50, p99), and stops the server. The first run on a store without saved derived tables
builds and saves them (llmkg-derived.bin, kg/read/derived.py); the next runs read them.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from hub_scale import wait_for  # noqa: E402
from sparql import free_port, rest_latency  # noqa: E402


def run(store: Path, samples: int, limit: float) -> dict[str, float]:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    kg = Path(sys.executable).with_name("kg")
    command = [str(kg), "serve", "--store", str(store), "--port", str(port)]
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        healthz = wait_for(f"{url}/healthz", proc, limit)
        readyz = healthz + wait_for(f"{url}/readyz", proc, limit)
        reader = ox.Store.read_only(str(store.resolve()))
        p50, p99 = rest_latency(url, reader, samples)
        del reader
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
    return {"healthz": healthz, "readyz": readyz, "p50": p50, "p99": p99}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("store", type=Path)
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--samples", type=int, default=300)
    parser.add_argument("--limit", type=float, default=900, help="seconds to wait for ready")
    args = parser.parse_args()
    print(
        f"{platform.node()}: {os.cpu_count()} CPUs, Python {platform.python_version()}, "
        f"pyoxigraph {ox.__version__}, {time.strftime('%Y-%m-%d %H:%M')}"
    )
    for number in range(1, args.runs + 1):
        before = os.getloadavg()[0]
        found = run(args.store, args.samples, args.limit)
        print(
            f"run {number}: /healthz {found['healthz']:.1f} s, /readyz {found['readyz']:.1f} s, "
            f"GET /entities/model/{{id}} p50 {found['p50']:.2f} ms, p99 {found['p99']:.2f} ms "
            f"(load average {before:.1f} before, {os.getloadavg()[0]:.1f} after)",
            flush=True,
        )


if __name__ == "__main__":
    main()
