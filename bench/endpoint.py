"""Benchmark: `casec serve` over real HTTP on 127.0.0.1, against Oxigraph's own server and rdflib-endpoint.

Measures what a client sees, so it includes gunicorn, casec's worker, Flask, the
query guard, the executor round trip and serialization, not only the engine: time
from process start to the first answered query; p50/p95/p99 latency of every
example query (queries/*.rq) at concurrency 1 over one kept-alive connection, and
what the server adds to the engine (casec's p50 minus the same query evaluated and
serialized in-process); throughput at concurrency 1, 8 and 32 over a mix of the
example queries; memory (PSS) of the whole server process tree; how fast /healthz
and a small query are answered while 100 slow clients hold connections open, and
when those clients get their 408. In the same run, the same queries go to the
peers, serving a dump of casec's own store, derived edges included:
Oxigraph's server (`oxigraph serve-read-only --union-default-graph`, Rust, the
same engine as casec's) and rdflib-endpoint (FastAPI + uvicorn, rdflib's engine,
as many worker processes as casec); the ratios are printed with PASS/FAIL against
issue 11's targets. Needs `pip install '.[bench,test]'` (the `oxigraph` package).

    python bench/endpoint.py [--quick] [--peers oxigraph,rdflib] [--workers N] [--budget S] [--timeout S]
                             [--duration S] [--slow-clients N]
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import math
import os
import select
import signal
import socket
import statistics
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
TARGET_OWN_COST_MS, TARGET_RATE_AT_8, TARGET_OXIGRAPH_RATIO, TARGET_SLOW_MS = 0.5, 447.0, 2.0, 100.0
CONCURRENCY = (1, 8, 32)
PROBE = "ASK { ?s ?p ?o }"  # the small query asked while slow clients hold connections


@dataclass
class Reply:
    status: str  # "200", "400"…, "timeout" (no reply within the per-request timeout) or "refused"
    seconds: float
    rows: int | None = None


class Client:
    """One HTTP/1.1 connection, kept alive (all three servers keep it open between requests)."""

    def __init__(self, port: int, timeout: float, path: str = "/sparql") -> None:
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        self.path = path

    def ask(self, sparql: str, count_rows: bool = False) -> Reply:
        start = time.perf_counter()
        for attempt in (1, 2):  # a kept-alive connection the server closed meanwhile is retried once
            try:
                self.connection.request("POST", self.path, body=sparql.encode(), headers=HEADERS)
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
    path: str = "/sparql"  # the SPARQL endpoint
    health: str = "/healthz"  # a cheap GET that proves the server answers
    process: subprocess.Popen[bytes] | None = None

    def client(self, timeout: float) -> Client:
        return Client(self.port, timeout, self.path)

    def start(self, probe: str, limit: float = 120.0) -> float:
        """Start the server; return the seconds from process start to the first 200 answer to ``probe``."""
        start = time.perf_counter()
        self.process = subprocess.Popen(
            self.command, cwd=ROOT, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True
        )
        client = self.client(timeout=limit)
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
    client = server.client(args.timeout)
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
        print(f"  {server.name:<8} {name:<40} {result.status:>7} {len(result.samples):>4} samples", file=sys.stderr)
    return results


def warm_up(server: Server, probe: str, args: argparse.Namespace) -> None:
    """A few requests per worker, from as many clients as workers, so that every worker has started (casec's
    workers fork their query executor on their first query): start-up costs are in "first answer" instead."""

    def run(_: int) -> None:
        client = server.client(args.timeout)
        for _ in range(4):
            client.ask(probe)

    with ThreadPoolExecutor(args.workers) as pool:
        list(pool.map(run, range(args.workers)))


def measure_throughput(server: Server, mix: list[str], concurrency: int, args: argparse.Namespace) -> Rate:
    """``concurrency`` clients cycling through the mix, each from its own offset, for ``duration`` s (the
    requests under way then finish)."""
    deadline = time.perf_counter() + args.duration

    def run(offset: int) -> tuple[int, int]:
        client, done, failed, i = server.client(args.timeout), 0, 0, offset
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


@dataclass
class SlowClients:
    """/healthz and the small query, asked one after another on fresh connections while ``count`` slow clients
    hold theirs; and when the slow clients got an answer (casec: 408 after its read timeout) or were cut."""

    count: int
    health_ms: list[float] = field(default_factory=list)
    query_ms: list[float] = field(default_factory=list)
    failures: int = 0
    ended_after_s: list[float] = field(default_factory=list)  # per slow client: seconds until answered or closed
    statuses: dict[str, int] = field(default_factory=dict)  # what the slow clients got: "408", "closed", "open"


def measure_slow_clients(server: Server, args: argparse.Namespace) -> SlowClients:
    """A third of the slow clients send nothing, a third drip a header byte every 5 s, a third send headers and
    part of a POST body; the probes run for ``slow_seconds``, then the slow clients wait up to 30 s more; when each
    gets an answer or is cut off is noted as it happens."""
    result = SlowClients(args.slow_clients)
    opened = time.monotonic()
    sockets = [_slow_client(server, kind % 3) for kind in range(args.slow_clients)]
    drips = [sock for kind, sock in enumerate(sockets) if kind % 3 == 1]
    pending = set(sockets)

    def note_endings(wait: float) -> None:
        for sock in select.select(list(pending), [], [], wait)[0]:
            status = _outcome(sock, 0.1)
            result.statuses[status] = result.statuses.get(status, 0) + 1
            result.ended_after_s.append(time.monotonic() - opened)
            pending.discard(sock)

    deadline, next_drip = time.monotonic() + args.slow_seconds, time.monotonic() + 5
    while time.monotonic() < deadline:
        if time.monotonic() >= next_drip:
            for sock in set(drips) & pending:
                with contextlib.suppress(OSError):
                    sock.send(b"x")
            next_drip += 5
        for path, body, samples in ((server.health, None, result.health_ms), (server.path, PROBE, result.query_ms)):
            seconds = _probe(server.port, path, body, args.timeout)
            if seconds is None:
                result.failures += 1
            else:
                samples.append(1000 * seconds)
        note_endings(0)
        time.sleep(0.1)
    limit = time.monotonic() + 30
    while pending and time.monotonic() < limit:
        note_endings(max(0.0, limit - time.monotonic()))
    result.statuses["open"] = len(pending)
    for sock in sockets:
        sock.close()
    return result


def _slow_client(server: Server, kind: int) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", server.port))
    if kind == 1:
        sock.sendall(b"GET " + server.health.encode() + b" HTTP/1.1\r\nHo")
    elif kind == 2:
        head = f"POST {server.path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
        sock.sendall(head.encode() + b"Content-Length: 1000\r\n\r\nSELECT")
    return sock


def _probe(port: int, path: str, body: str | None, timeout: float) -> float | None:
    """Seconds for one request on a new connection, or None when it failed or timed out."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    start = time.perf_counter()
    try:
        if body is None:
            connection.request("GET", path)
        else:
            connection.request("POST", path, body=body.encode(), headers=HEADERS)
        response = connection.getresponse()
        response.read()
        return time.perf_counter() - start if response.status == 200 else None
    except OSError:
        return None
    finally:
        connection.close()


def _outcome(sock: socket.socket, wait: float) -> str:
    """What a slow client got: the status of an answer, "closed" without one, or "open" if still waiting."""
    sock.settimeout(wait)
    try:
        data = sock.recv(64)
    except TimeoutError:
        return "open"
    except OSError:
        return "closed"
    return data.split(b" ", 2)[1].decode() if data.startswith(b"HTTP/") else "closed"


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
    parser.add_argument("--peers", default="oxigraph,rdflib", help="peers to run beside casec (default: both)")
    parser.add_argument("--workers", type=int, default=4, help="worker processes of casec and rdflib-endpoint")
    parser.add_argument("--samples", type=int, default=200, help="most timed requests per query and server")
    parser.add_argument("--budget", type=float, default=3.0, help="seconds of timed requests per query and server")
    parser.add_argument("--timeout", type=float, default=10.0, help="seconds before a request counts as 'timeout'")
    parser.add_argument("--duration", type=float, default=10.0, help="seconds of each throughput run")
    parser.add_argument("--slow-clients", type=int, default=100, help="slow connections held open (0: skip)")
    parser.add_argument("--slow-seconds", type=float, default=12.0, help="seconds of probes while they are held")
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

    servers = [casec_server(workdir, args)] + [
        PEERS[name](workdir, dump, args) for name in args.peers.split(",") if name
    ]
    try:
        first = {server.name: server.start(probe) for server in servers}
        for server in servers:
            warm_up(server, probe, args)
        latency: dict[str, dict[str, Latency]] = {}
        others = 0.0
        for server in servers:
            before = cpu_sample(server)
            latency[server.name] = measure_latency(server, queries, args)
            if server.name == "casec":  # not for the peers: their restarts would count as others
                others = cpu_use(before, cpu_sample(server))[3]
        mix = [queries[n] for n in queries if all(latency[s.name][n].status == "200" for s in servers)]
        rates: dict[str, dict[int, Rate]] = {}
        memory: dict[str, tuple[float, float, int]] = {}
        slow: dict[str, SlowClients] = {}
        for server in servers:
            rates[server.name] = {c: measure_throughput(server, mix, c, args) for c in CONCURRENCY}
            memory[server.name] = server.memory_mib()
            if args.slow_clients:
                print(f"  {server.name:<8} {args.slow_clients} slow clients", file=sys.stderr)
                slow[server.name] = measure_slow_clients(server, args)
            server.stop()
    finally:
        for server in servers:
            server.stop()
        dump.unlink()  # 6 MB; the logs stay

    print(f"load after the run: {os.getloadavg()[0]:.2f} (1 min)")
    report(queries, engine, latency, others, mix, rates, first, memory, slow, args)


def casec_server(workdir: Path, args: argparse.Namespace) -> Server:
    port = free_port()
    command = [sys.executable, "-m", "casec.cli", "serve", "--port", str(port), "--workers", str(args.workers)]
    return Server("casec", command, port, (workdir / "casec.log").open("wb"))


def oxigraph_server(workdir: Path, dump: Path, args: argparse.Namespace) -> Server:
    """Oxigraph's own server on the same quads, loaded into its on-disk store before the clock starts."""
    location = workdir / "oxigraph-db"
    subprocess.run(["oxigraph", "load", "--location", str(location), "--file", str(dump)], check=True)
    port = free_port()
    command = ["oxigraph", "serve-read-only", "--location", str(location), "--bind", f"127.0.0.1:{port}"]
    command.append("--union-default-graph")
    return Server("oxigraph", command, port, (workdir / "oxigraph.log").open("wb"), path="/query", health="/")


def rdflib_server(workdir: Path, dump: Path, args: argparse.Namespace) -> Server:
    port = free_port()
    command = [sys.executable, str(ROOT / "bench" / "peer_rdflib_endpoint.py"), str(dump)]
    command += ["--port", str(port), "--workers", str(args.workers)]
    return Server("rdflib", command, port, (workdir / "rdflib.log").open("wb"), health="/sparql")


PEERS = {"oxigraph": oxigraph_server, "rdflib": rdflib_server}


def report(
    queries: dict[str, str],
    engine: dict[str, float],
    latency: dict[str, dict[str, Latency]],
    others: float,
    mix: list[str],
    rates: dict[str, dict[int, Rate]],
    first: dict[str, float],
    memory: dict[str, tuple[float, float, int]],
    slow: dict[str, SlowClients],
    args: argparse.Namespace,
) -> None:
    """Markdown tables, so that a run can be pasted into bench/README.md as it is."""
    peers = [name for name in latency if name != "casec"]
    print(f"\nLatency at concurrency 1, ms (nearest rank: n < 100 makes p99 the slowest; {args.budget:g} s a query)")
    print(f"other processes used {others:.2f} cores while casec's latency was measured\n")
    print(
        "| query | in-process | casec p50 | p95 | p99 | n | casec's own cost | "
        + " | ".join(f"{p} p50" for p in peers)
        + " |"
    )
    print("|---|" + "--:|" * (6 + len(peers)))
    own: list[float] = []
    for name in queries:
        ours = latency["casec"][name]
        cost = ours.ms(50) - engine[name] if ours.samples else None
        if cost is not None:
            own.append(cost)
        cells = [cell(ours, p) for p in (50, 95, 99, None)]
        theirs = [cell(latency[p][name], 50) for p in peers]
        row = [name, f"{engine[name]:.1f}", *cells, "-" if cost is None else f"{cost:.2f}", *theirs]
        print("| " + " | ".join(row) + " |")
    names = ["casec", *peers]
    print(f"\nThroughput, requests/s, {len(mix)} queries every server answers, in turn, {args.duration:g} s a run\n")
    print(
        "| concurrency | "
        + " | ".join(names)
        + " | casec/"
        + " | casec/".join(peers)
        + " | failed | CPU cores (server, client, others) |"
    )
    print("|--:|" + "--:|" * (2 * len(names) + 1))
    for c in CONCURRENCY:
        figures = [f"{rates[n][c].per_second:.1f}" for n in names]
        gains = [f"{rates['casec'][c].per_second / rates[p][c].per_second:.1f}x" for p in peers]
        failed = "/".join(str(rates[n][c].failed) for n in names)
        cpu = " / ".join(
            f"{rates[n][c].server_cores:.2f}, {rates[n][c].client_cores:.2f}, {rates[n][c].other_cores:.2f}"
            for n in names
        )
        print(f"| {c} | " + " | ".join(figures + gains) + f" | {failed} | {cpu} |")
    print("\n| server | first answer after start | memory: PSS summed | RSS summed | processes |")
    print("|---|--:|--:|--:|--:|")
    for name, (pss, rss, count) in memory.items():
        print(f"| {name} | {first[name]:.2f} s | {pss:.0f} MiB | {rss:.0f} MiB | {count} |")
    if slow:
        print(
            f"\nWith {args.slow_clients} slow clients holding connections (idle, a header byte every 5 s, an unfinished"
        )
        print(f"POST body), probes every 0.1 s for {args.slow_seconds:g} s, each on a new connection, ms:\n")
        print("| server | /healthz p50 | max | small query p50 | max | answered | failed | slow clients got (s) |")
        print("|---|--:|--:|--:|--:|--:|--:|---|")
        for name, found in slow.items():
            ends = f"{min(found.ended_after_s):.1f}-{max(found.ended_after_s):.1f}" if found.ended_after_s else "-"
            got = ", ".join(f"{k}: {v}" for k, v in sorted(found.statuses.items()))
            health, query = (
                Latency("200", samples=[h / 1000 for h in found.health_ms]),
                Latency("200", samples=[q / 1000 for q in found.query_ms]),
            )
            print(
                f"| {name} | {cell(health, 50)} | {cell(health, 100)} | {cell(query, 50)} | {cell(query, 100)} "
                f"| {len(found.health_ms) + len(found.query_ms)} | {found.failures} | {got}; {ends} |"
            )

    print("\nTargets (issue 11), on this machine; figures vary ±30 % run to run:")
    slowest = [n for n in queries if not latency["casec"][n].samples or latency["casec"][n].ms(50) > TARGET_P50_MS]
    over = f" (over: {', '.join(slowest)})" if slowest else ""
    target(
        not slowest,
        f"p50 <= {TARGET_P50_MS:g} ms for every example query",
        f"{len(queries) - len(slowest)}/{len(queries)}{over}",
    )
    cost = statistics.median(own) if own else math.inf
    target(
        cost <= TARGET_OWN_COST_MS,
        f"casec's own cost, median over the queries <= {TARGET_OWN_COST_MS:g} ms",
        f"{cost:.2f} ms",
    )
    at8 = rates["casec"][8].per_second
    target(at8 >= TARGET_RATE_AT_8, f"throughput at concurrency 8 >= {TARGET_RATE_AT_8:g} requests/s", f"{at8:.0f}")
    for peer, wanted in (("oxigraph", TARGET_OXIGRAPH_RATIO), ("rdflib", TARGET_RATIO)):
        for c in CONCURRENCY if peer in rates else ():
            gain = rates["casec"][c].per_second / rates[peer][c].per_second
            target(gain >= wanted, f"throughput >= {wanted:g}x {peer}'s at {c}", f"{gain:.1f}x")
    if "casec" in slow:
        found = slow["casec"]
        worst = max(found.health_ms + found.query_ms, default=math.inf)
        wanted = f"with {args.slow_clients} slow clients, /healthz and a small query within {TARGET_SLOW_MS:g} ms"
        target(
            worst <= TARGET_SLOW_MS and not found.failures, wanted, f"slowest {worst:.1f} ms, {found.failures} failed"
        )
    target(
        first["casec"] <= TARGET_FIRST_S,
        f"first answer within {TARGET_FIRST_S:g} s of start",
        f"{first['casec']:.2f} s",
    )


def target(ok: bool, wanted: str, found: str) -> None:
    print(f"  {verdict(ok)}  {wanted}: {found}")


if __name__ == "__main__":
    main()
