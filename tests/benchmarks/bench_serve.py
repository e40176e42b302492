"""Rerunnable load benchmark of ``disclosure serve`` (not a timed test).

    python tests/benchmarks/bench_serve.py            # 100,000 requests per endpoint
    python tests/benchmarks/bench_serve.py --quick    # a smoke run
    python tests/benchmarks/bench_serve.py --requests 20000 --clients 32

On loopback only (127.0.0.1): 32 concurrent clients, each on its own keep-alive
connection, send their share of the requests one after another. Two servers are measured,
each in a process of its own with the same uvicorn settings (one worker, access log on,
written to a file):

* the reference: a minimal JSON endpoint of the same framework and server (a Starlette
  route answering ``{"ok": true}``);
* ``disclosure serve`` as started by the command: ``POST /v1/evaluate`` on 1,000 possible
  complete situations, each with a date that selects one of the versions of the law.

Both servers stay up; the loads alternate in rounds (five by default), so that both meet
the same noise of a shared machine. It prints requests per second (overall and per
round), the median and 99th percentile latency, the errors, the ratio of the two
throughputs (the median of the rounds' ratios: the figure), and the service's resident
memory (RSS) after the warm-up and after each round: flat figures mean no growth. The
load generator is a few lines of asyncio over raw sockets, so that it costs far less than
the servers it measures. Every loop is bounded: the run ends by itself.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import disclosure

HOST = "127.0.0.1"

MINIMAL_SERVER = """
import sys
import uvicorn
from starlette.applications import Starlette
from starlette.responses import JSONResponse
from starlette.routing import Route

async def ok(request):
    return JSONResponse({"ok": True})

app = Starlette(routes=[Route("/ok", ok, methods=["GET", "POST"])])
uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), log_level="info", server_header=False)
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        port: int = probe.getsockname()[1]
        return port


def rss_mib(pid: int) -> float:
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def situations(count: int, seed: int) -> list[dict[str, Any]]:
    """``count`` possible complete situations, each dated inside one of the versions."""
    family = disclosure.load()
    rng = random.Random(seed)
    domains = family.vocabulary.domains
    days = [v.valid_from.isoformat() for v in family.versions]
    found: list[dict[str, Any]] = []
    while len(found) < count:
        facts = {name: rng.choice(values) for name, values in domains.items()}
        if family.vocabulary.is_possible(facts):
            found.append({**facts, "date": rng.choice(days)})
    return found


def request(method: str, path: str, body: bytes = b"") -> bytes:
    head = f"{method} {path} HTTP/1.1\r\nHost: {HOST}\r\n"
    if body:
        head += f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
    return head.encode() + b"\r\n" + body


class Server:
    """A server process on a free port, stopped by its pid at the end."""

    def __init__(self, command: list[str], port: int, log: Path) -> None:
        self.port = port
        self.log = log.open("w")
        self.process = subprocess.Popen(command, stdout=self.log, stderr=subprocess.STDOUT)

    def __enter__(self) -> Server:
        deadline = time.monotonic() + 60
        while True:
            try:
                with socket.create_connection((HOST, self.port), timeout=1):
                    return self
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"the server did not start; see {self.log.name}") from None
                time.sleep(0.1)

    def __exit__(self, *exc: object) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.log.close()


async def _client(
    payloads: list[bytes], latencies: list[float], statuses: dict[int, int], port: int
) -> None:
    reader, writer = await asyncio.open_connection(HOST, port)
    try:
        for payload in payloads:
            started = time.perf_counter()
            writer.write(payload)
            status = int((await reader.readline()).split()[1])
            length = 0
            while True:
                line = await reader.readline()
                if line in (b"\r\n", b""):
                    break
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length":
                    length = int(value)
            await reader.readexactly(length)
            latencies.append(time.perf_counter() - started)
            statuses[status] = statuses.get(status, 0) + 1
    finally:
        writer.close()
        await writer.wait_closed()


async def _load(
    payloads: list[bytes], clients: int, port: int
) -> tuple[float, list[float], dict[int, int]]:
    """Send ``payloads`` from ``clients`` connections at once; the time taken, each
    request's latency, and the count of each status."""
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    shares = [payloads[i::clients] for i in range(clients)]
    started = time.perf_counter()
    await asyncio.gather(*(_client(share, latencies, statuses, port) for share in shares))
    return time.perf_counter() - started, latencies, statuses


def load(
    payloads: list[bytes], clients: int, port: int
) -> tuple[float, list[float], dict[int, int]]:
    return asyncio.run(_load(payloads, clients, port))


def summary(name: str, rounds: list[tuple[float, list[float], dict[int, int]]]) -> dict[str, Any]:
    latencies = sorted(value for _, values, _ in rounds for value in values)
    count = len(latencies)
    return {
        "name": name,
        "requests": count,
        "rate": count / sum(elapsed for elapsed, _, _ in rounds),
        "rates": [len(values) / elapsed for elapsed, values, _ in rounds],
        "p50": statistics.median(latencies) * 1000,
        "p99": latencies[min(count - 1, int(count * 0.99))] * 1000,
        "errors": sum(
            n for _, _, counts in rounds for status, n in counts.items() if status != 200
        ),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="a smoke run (2,000 requests)")
    parser.add_argument("--requests", type=int, default=100_000, help="per endpoint")
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--rounds", type=int, default=5, help="alternations of the two loads")
    options = parser.parse_args()
    total = 2_000 if options.quick else options.requests
    clients = options.clients
    rounds = max(1, min(options.rounds, total // clients))
    chunk = total // rounds

    pool = situations(1_000, seed=7)
    bodies = [json.dumps({"facts": facts}).encode() for facts in pool]
    evaluate = [request("POST", "/v1/evaluate", bodies[i % len(bodies)]) for i in range(total)]
    minimal = [request("GET", "/ok")] * total
    warmup = min(2_000, total)

    print(
        f"disclosure serve under load: {clients} clients on {HOST}, {chunk * rounds:,} "
        f"requests per endpoint in {rounds} alternating rounds, one uvicorn worker each, "
        f"{os.cpu_count()} cores, disclosure {disclosure.__version__}"
    )
    with tempfile.TemporaryDirectory(prefix="bench-serve-") as folder:
        port_minimal, port_serve = free_port(), free_port()
        with (
            Server(
                [sys.executable, "-c", MINIMAL_SERVER, str(port_minimal)],
                port_minimal,
                Path(folder) / "minimal.log",
            ) as _reference,
            Server(
                [sys.executable, "-m", "disclosure.cli", "serve", "--port", str(port_serve)],
                port_serve,
                Path(folder) / "serve.log",
            ) as service,
        ):
            pid = service.process.pid
            load(minimal[:warmup], clients, port_minimal)
            load(evaluate[:warmup], clients, port_serve)
            rss = [rss_mib(pid)]
            minimal_rounds = []
            serve_rounds = []
            for index in range(rounds):  # alternate, so that both meet the same noise
                part = slice(index * chunk, (index + 1) * chunk)
                minimal_rounds.append(load(minimal[part], clients, port_minimal))
                serve_rounds.append(load(evaluate[part], clients, port_serve))
                rss.append(rss_mib(pid))

    results = [
        summary("minimal JSON endpoint (reference)", minimal_rounds),
        summary("POST /v1/evaluate", serve_rounds),
    ]
    print()
    print("| endpoint | requests | requests/s | per round | p50 ms | p99 ms | errors |")
    print("|---|---:|---:|---|---:|---:|---:|")
    for result in results:
        per_round = ", ".join(f"{rate:,.0f}" for rate in result["rates"])
        print(
            f"| {result['name']} | {result['requests']:,} | {result['rate']:,.0f} | {per_round} | "
            f"{result['p50']:.1f} | {result['p99']:.1f} | {result['errors']:,} |"
        )
    reference_result, service_result = results
    ratios = [
        served / minimal
        for served, minimal in zip(service_result["rates"], reference_result["rates"], strict=True)
    ]
    print()
    print(
        f"ratio, evaluations/s to the minimal endpoint's requests/s: median of the rounds "
        f"{statistics.median(ratios):.2f} (rounds: {', '.join(f'{r:.2f}' for r in ratios)}; "
        f"aim: >= 0.5)"
    )
    print(f"p99 of /v1/evaluate: {service_result['p99']:.1f} ms (aim: < 50 ms)")
    print(f"errors: {service_result['errors'] + reference_result['errors']:,} (aim: none)")
    print(
        f"service RSS after warm-up {rss[0]:.1f} MiB, after {chunk * rounds:,} requests "
        f"{rss[-1]:.1f} MiB ({rss[-1] - rss[0]:+.1f} MiB); after each round: "
        + ", ".join(f"{value:.1f}" for value in rss[1:])
    )
    if service_result["errors"] or reference_result["errors"]:
        sys.exit(1)


if __name__ == "__main__":
    main()
