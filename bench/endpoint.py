"""Benchmark: `casec serve` over real HTTP on 127.0.0.1, against the peer Python endpoint rdflib-endpoint.

Measures what a client sees, so it includes gunicorn, Flask, the query guard, the
executor round trip and serialization, not only the engine: time from process
start to the first answered query; p50/p95/p99 latency of every example query
(queries/*.rq) at concurrency 1; throughput at concurrency 1, 8 and 32 over a mix
of the example queries; memory (PSS) of the whole server process tree. In the
same run, the same queries go to rdflib-endpoint (FastAPI + uvicorn, rdflib's
engine) serving a dump of casec's own store, derived edges included, with as many
worker processes, and the ratios are printed with PASS/FAIL against issue 4's
targets. Needs `pip install '.[bench]'`.

    python bench/endpoint.py [--quick] [--workers N] [--budget S] [--timeout S] [--duration S]
"""

from __future__ import annotations

import argparse
import http.client
import json
import math
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import pyoxigraph as ox

from casec.bundle import default_bundle
from casec.store.embedded import EmbeddedStore
from casec.store.load import bundle_files

ROOT = Path(__file__).resolve().parents[1]
HEADERS = {"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"}
TARGET_P50_MS, TARGET_RATIO, TARGET_FIRST_S = 5.0, 3.0, 2.0
CONCURRENCY = (1, 8, 32)


@dataclass
class Reply:
    status: str  # "200", "400"…, "timeout" (no reply within the per-request timeout) or "refused"
    seconds: float
    rows: int | None = None


class Client:
    """One HTTP/1.1 connection, kept alive where the server allows it.

    gunicorn's sync workers close the connection after each reply, and http.client
    then reconnects on the next request (a loopback TCP handshake, part of what
    casec's clients pay too); uvicorn keeps it open.
    """

    def __init__(self, port: int, timeout: float) -> None:
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)

    def ask(self, sparql: str, count_rows: bool = False) -> Reply:
        start = time.perf_counter()
        for attempt in (1, 2):  # a kept-alive connection the server closed meanwhile is retried once
            try:
                self.connection.request("POST", "/sparql", body=sparql.encode(), headers=HEADERS)
                response = self.connection.getresponse()
                body = response.read()
                break
            except TimeoutError:
                self.connection.close()
                return Reply("timeout", time.perf_counter() - start)
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                self.connection.close()
                if attempt == 2:
                    return Reply("refused", time.perf_counter() - start)
            except OSError:
                self.connection.close()
                return Reply("refused", time.perf_counter() - start)
        seconds = time.perf_counter() - start
        rows = len(json.loads(body)["results"]["bindings"]) if count_rows and response.status == 200 else None
        return Reply(str(response.status), seconds, rows)


@dataclass
class Server:
    """A server under test, started as a subprocess in its own session so that its whole tree can be stopped."""

    name: str
    command: list[str]
    port: int
    log: IO[bytes]
    process: subprocess.Popen[bytes] | None = None

    def start(self, probe: str, limit: float = 120.0) -> float:
        """Start the server; return the seconds from process start to the first 200 answer to ``probe``."""
        start = time.perf_counter()
        self.process = subprocess.Popen(
            self.command, cwd=ROOT, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True
        )
        client = Client(self.port, timeout=limit)
        while time.perf_counter() - start < limit:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.process.returncode}; see {self.log.name}")
            if client.ask(probe).status == "200":
                return time.perf_counter() - start
            time.sleep(0.005)
        raise RuntimeError(f"{self.name} did not answer within {limit:g} s; see {self.log.name}")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def tree(self) -> list[int]:
        """The server's process and all its descendants (workers, executors), from /proc."""
        assert self.process is not None
        children: dict[int, list[int]] = {}
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                parent = int(stat.read_text().rsplit(")", 1)[1].split()[1])
            except OSError:
                continue
            children.setdefault(parent, []).append(int(stat.parent.name))
        tree = [self.process.pid]
        for pid in tree:
            tree += children.get(pid, [])
        return tree

    def cpu_seconds(self) -> float:
        """CPU time used so far by the server's processes (and their children that exited)."""
        total = 0
        for pid in self.tree():
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            total += sum(int(tick) for tick in fields[11:15])  # utime, stime, cutime, cstime
        return total / os.sysconf("SC_CLK_TCK")

    def memory_mib(self) -> tuple[float, float, int]:
        """(PSS sum, RSS sum, process count) over the server's process tree.

        PSS, not RSS: gunicorn's workers and casec's executors are forked from the
        process holding the store and share its pages copy-on-write; RSS counts each
        shared page once per process, PSS splits it among them, so the PSS sum is what
        the tree really occupies.
        """
        tree, pss, rss = self.tree(), 0, 0
        for pid in tree:
            try:
                rollup = Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()
            except OSError:
                continue
            pss += sum(int(line.split()[1]) for line in rollup if line.startswith("Pss:"))
            rss += sum(int(line.split()[1]) for line in rollup if line.startswith("Rss:"))
        return pss / 1024, rss / 1024, len(tree)


def machine_cpu_seconds() -> float:
    """CPU time all processes on the machine have used (busy time in /proc/stat, idle and iowait excluded)."""
    ticks = [int(tick) for tick in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return (sum(ticks[:8]) - ticks[3] - ticks[4]) / os.sysconf("SC_CLK_TCK")


@dataclass
class Rate:
    """A throughput run: requests/s answered 200, requests that failed, and the CPU (in cores) the server, the
    client and everything else on the machine used meanwhile: others' load makes a run's figure unreliable."""

    per_second: float
    failed: int
    server_cores: float
    client_cores: float
    other_cores: float


@dataclass
class Latency:
    status: str
    rows: int | None = None
    samples: list[float] = field(default_factory=list)

    def ms(self, percent: float) -> float:
        """Nearest-rank percentile in ms: with fewer than 100 samples p99 is the slowest one."""
        ordered = sorted(self.samples)
        return 1000 * ordered[max(0, math.ceil(percent / 100 * len(ordered)) - 1)]


def engine_ms(store: EmbeddedStore, sparql: str, args: argparse.Namespace) -> float:
    """Median ms of evaluating the query and serializing it as JSON in this process, with no server: the floor
    under casec's HTTP latency, so that what the server adds (HTTP, Flask, executor round trip) shows."""
    samples: list[float] = []
    store.select(sparql).serialize(format=ox.QueryResultsFormat.JSON)  # warm-up
    deadline = time.perf_counter() + args.budget / 3
    while len(samples) < args.samples and time.perf_counter() < deadline:
        start = time.perf_counter()
        store.select(sparql).serialize(format=ox.QueryResultsFormat.JSON)
        samples.append(time.perf_counter() - start)
    return 1000 * sorted(samples)[len(samples) // 2]


def measure_latency(server: Server, queries: dict[str, str], args: argparse.Namespace) -> dict[str, Latency]:
    """Each query alone, one warm-up then up to ``samples`` requests within ``budget`` s; a timeout restarts
    the server, because neither server stops a query whose client went away (rdflib-endpoint even runs it
    on its event loop, blocking every other request of that worker)."""
    results: dict[str, Latency] = {}
    client = Client(server.port, args.timeout)
    for name, sparql in queries.items():
        warm = client.ask(sparql, count_rows=True)
        result = results[name] = Latency(warm.status, warm.rows)
        if warm.status == "timeout":
            server.stop()
            server.start(next(iter(queries.values())))
            continue
        deadline = time.perf_counter() + args.budget
        while warm.status == "200" and len(result.samples) < args.samples and time.perf_counter() < deadline:
            reply = client.ask(sparql)
            if reply.status != "200":
                result.status = reply.status
                break
            result.samples.append(reply.seconds)
        print(f"  {server.name:<6} {name:<40} {result.status:>7} {len(result.samples):>4} samples", file=sys.stderr)
    return results


def warm_up(server: Server, probe: str, args: argparse.Namespace) -> None:
    """A few requests per worker, from as many clients as workers, so that every worker has started (casec's
    workers fork their query executor on their first query): start-up costs are in "first answer" instead."""

    def run(_: int) -> None:
        client = Client(server.port, args.timeout)
        for _ in range(4):
            client.ask(probe)

    with ThreadPoolExecutor(args.workers) as pool:
        list(pool.map(run, range(args.workers)))


def measure_throughput(server: Server, mix: list[str], concurrency: int, args: argparse.Namespace) -> Rate:
    """``concurrency`` clients cycling through the mix, each from its own offset, for ``duration`` s (the
    requests under way then finish)."""
    deadline = time.perf_counter() + args.duration

    def run(offset: int) -> tuple[int, int]:
        client, done, failed, i = Client(server.port, args.timeout), 0, 0, offset
        while time.perf_counter() < deadline:
            if client.ask(mix[i % len(mix)]).status == "200":
                done += 1
            else:
                failed += 1
            i += 1
        return done, failed

    before = cpu_sample(server)
    with ThreadPoolExecutor(concurrency) as pool:
        counts = list(pool.map(run, (k * len(mix) // concurrency for k in range(concurrency))))
    elapsed, server_cores, client_cores, other_cores = cpu_use(before, cpu_sample(server))
    return Rate(sum(d for d, _ in counts) / elapsed, sum(f for _, f in counts), server_cores, client_cores, other_cores)


def cpu_sample(server: Server) -> tuple[float, float, float, float]:
    """(wall clock, this process's CPU, the server tree's CPU, the whole machine's CPU), all in seconds."""
    return time.perf_counter(), time.process_time(), server.cpu_seconds(), machine_cpu_seconds()


def cpu_use(before: tuple[float, ...], after: tuple[float, ...]) -> tuple[float, float, float, float]:
    """(seconds elapsed, cores used by the server, by the client, by every other process) between two samples."""
    wall, client, server, machine = (b - a for a, b in zip(before, after, strict=True))
    return wall, server / wall, client / wall, max(0.0, machine - server - client) / wall


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def cell(result: Latency, percent: float | None) -> str:
    """A percentile in ms, or the sample count (None), or why there are no samples."""
    if percent is None:
        return str(len(result.samples))
    if not result.samples:
        return ("HTTP " + result.status if result.status.isdigit() else result.status) if percent == 50 else "-"
    return f"{result.ms(percent):.1f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a short run (smaller budgets; figures are rougher)")
    parser.add_argument("--workers", type=int, default=4, help="worker processes of each server (default 4, casec's)")
    parser.add_argument("--samples", type=int, default=200, help="most timed requests per query and server")
    parser.add_argument("--budget", type=float, default=3.0, help="seconds of timed requests per query and server")
    parser.add_argument("--timeout", type=float, default=10.0, help="seconds before a request counts as 'timeout'")
    parser.add_argument("--duration", type=float, default=10.0, help="seconds of each throughput run")
    args = parser.parse_args()
    if args.quick:
        args.samples, args.budget, args.duration, args.timeout = 30, 0.5, 3.0, 5.0

    queries = {path.stem: path.read_text(encoding="utf-8") for path in sorted((ROOT / "queries").glob("*.rq"))}
    probe = next(iter(queries.values()))
    workdir = Path(tempfile.mkdtemp(prefix="casec-bench-"))
    dump = workdir / "casec.nq"
    store = EmbeddedStore(bundle_files(default_bundle()))
    store.oxigraph.dump(dump, format=ox.RdfFormat.N_QUADS)
    print(f"{len(queries)} example queries; {len(store)} quads (derived edges included) dumped to {dump}")
    print(f"load before the run: {os.getloadavg()[0]:.2f} (1 min), {os.cpu_count()} cores; server logs in {workdir}")
    engine = {name: engine_ms(store, sparql, args) for name, sparql in queries.items()}

    casec_port, peer_port = free_port(), free_port()
    casec = Server(
        "casec",
        [sys.executable, "-m", "casec.cli", "serve", "--port", str(casec_port), "--workers", str(args.workers)],
        casec_port,
        (workdir / "casec.log").open("wb"),
    )
    peer_command = [sys.executable, str(ROOT / "bench" / "peer_rdflib_endpoint.py"), str(dump)]
    peer = Server(
        "peer",
        [*peer_command, "--port", str(peer_port), "--workers", str(args.workers)],
        peer_port,
        (workdir / "peer.log").open("wb"),
    )
    try:
        first = {server.name: server.start(probe) for server in (casec, peer)}
        for server in (casec, peer):
            warm_up(server, probe, args)
        before = cpu_sample(casec)
        latency = {"casec": measure_latency(casec, queries, args)}
        others = cpu_use(before, cpu_sample(casec))[3]  # not for the peer: its restarts would count as others
        latency["peer"] = measure_latency(peer, queries, args)
        mix = [queries[n] for n in queries if latency["casec"][n].status == latency["peer"][n].status == "200"]
        rates: dict[str, dict[int, Rate]] = {}
        memory: dict[str, tuple[float, float, int]] = {}
        for server in (casec, peer):
            rates[server.name] = {c: measure_throughput(server, mix, c, args) for c in CONCURRENCY}
            memory[server.name] = server.memory_mib()
            server.stop()
    finally:
        casec.stop()
        peer.stop()
        dump.unlink()  # 6 MB; the logs stay

    print(f"load after the run: {os.getloadavg()[0]:.2f} (1 min)")
    report(queries, engine, latency, others, mix, rates, first, memory, args)


def report(
    queries: dict[str, str],
    engine: dict[str, float],
    latency: dict[str, dict[str, Latency]],
    others: float,
    mix: list[str],
    rates: dict[str, dict[int, Rate]],
    first: dict[str, float],
    memory: dict[str, tuple[float, float, int]],
    args: argparse.Namespace,
) -> None:
    """Markdown tables, so that a run can be pasted into bench/README.md as it is."""
    print(f"\nLatency at concurrency 1, ms (nearest rank: n < 100 makes p99 the slowest; {args.budget:g} s a query)")
    print(f"other processes used {others:.2f} cores while casec's latency was measured\n")
    print("| query | in-process | casec p50 | p95 | p99 | n | peer p50 | p95 | p99 | n | peer/casec p50 |")
    print("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|")
    for name in queries:
        ours, theirs = latency["casec"][name], latency["peer"][name]
        ratio = f"{theirs.ms(50) / ours.ms(50):.0f}x" if ours.samples and theirs.samples else "-"
        if ours.samples and theirs.samples and ours.rows != theirs.rows:
            ratio += f" (rows differ: {ours.rows} vs {theirs.rows})"
        cells = [cell(result, p) for result in (ours, theirs) for p in (50, 95, 99, None)]
        print(f"| {name} | {engine[name]:.1f} | {' | '.join(cells)} | {ratio} |")
    print(f"\nThroughput, requests/s, {len(mix)} queries both answer in turn, {args.duration:g} s a run\n")
    print("| concurrency | casec | peer | casec/peer | failed casec/peer | CPU, cores: server, client, others |")
    print("|--:|--:|--:|--:|--:|--:|")
    for c in CONCURRENCY:
        mine, peer = rates["casec"][c], rates["peer"][c]
        cpu = " / ".join(f"{r.server_cores:.2f}, {r.client_cores:.2f}, {r.other_cores:.2f}" for r in (mine, peer))
        gain, failed = mine.per_second / peer.per_second, f"{mine.failed}/{peer.failed}"
        print(f"| {c} | {mine.per_second:.1f} | {peer.per_second:.1f} | {gain:.1f}x | {failed} | {cpu} |")
    print("\n| server | first answer after start | memory: PSS summed | RSS summed | processes |")
    print("|---|--:|--:|--:|--:|")
    for name, (pss, rss, count) in memory.items():
        print(f"| {name} | {first[name]:.2f} s | {pss:.0f} MiB | {rss:.0f} MiB | {count} |")

    slow = [n for n in queries if not latency["casec"][n].samples or latency["casec"][n].ms(50) > TARGET_P50_MS]
    print("\nTargets (issue 4), on this machine; figures vary ±30 % run to run:")
    over = f" (over: {', '.join(slow)})" if slow else ""
    fast = f"{len(queries) - len(slow)}/{len(queries)}"
    print(f"  {verdict(not slow)}  p50 <= {TARGET_P50_MS:g} ms for every example query: {fast}{over}")
    for c in CONCURRENCY:
        gain = rates["casec"][c].per_second / rates["peer"][c].per_second
        print(f"  {verdict(gain >= TARGET_RATIO)}  throughput >= {TARGET_RATIO:g}x the peer's at {c}: {gain:.1f}x")
    ok = first["casec"] <= TARGET_FIRST_S
    print(f"  {verdict(ok)}  first answer within {TARGET_FIRST_S:g} s of start: {first['casec']:.2f} s")


if __name__ == "__main__":
    main()
