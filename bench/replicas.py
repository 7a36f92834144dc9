"""Prove that casec replicas behind HAProxy lose no request when one dies or when they are restarted onto new data.

Starts three ``casec serve`` replicas and HAProxy with ``deploy/haproxy.cfg`` on 127.0.0.1, drives a bounded
load through HAProxy (client threads cycling example queries, pages and /healthz), and in that load:

1. kills one replica (its whole process group) with SIGKILL, later starts it again;
2. restarts the replicas one by one onto a new data version (drain in HAProxy, SIGTERM, start on the new
   data, wait for /healthz, back in rotation), as deploy/README.md says.

It counts the requests that failed (anything but a 200, or no answer) and checks that every answer names
exactly one data version (``Casec-Data-Version``) that a replica served at that moment.

    python bench/replicas.py [--clients 4] [--phase 15]

Runs about two minutes; every process it starts is stopped at the end, also on Ctrl-C.
"""

from __future__ import annotations

import argparse
import itertools
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "tests"))

from external_stores import free_port, stop_process_group, wait_for  # noqa: E402

QUERIES = ("members-in-year", "statements-per-source", "sco-founders", "agreements", "three-evils")
PATHS = ("/healthz", "/", "/id/org/sco", "/void")


@dataclass
class Tally:
    ok: int = 0
    failed: list[str] = field(default_factory=list)
    versions: Counter = field(default_factory=Counter)
    without_version: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, status: int | None, version: str | None, what: str) -> None:
        with self.lock:
            if status == 200:
                self.ok += 1
            else:
                self.failed.append(f"{what}: {status}")
            if version:
                self.versions[version] += 1
            elif status == 200:
                self.without_version += 1


class Replica:
    def __init__(self, port: int, root: Path, folder: Path) -> None:
        self.port, self.root, self.folder = port, root, folder
        self.process: subprocess.Popen | None = None

    def start(self, root: Path | None = None) -> None:
        self.launch(root)
        self.ready()

    def launch(self, root: Path | None = None) -> None:
        """Start the process without waiting for it: replicas that boot together boot in parallel."""
        self.root = root or self.root
        command = [sys.executable, "-m", "casec.cli", "--root", str(self.root), "serve"]
        command += ["--host", "127.0.0.1", "--port", str(self.port), "--workers", "2"]
        output = self.log.open("a")
        self.process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT, start_new_session=True)

    def ready(self) -> None:
        assert self.process is not None
        wait_for(f"http://127.0.0.1:{self.port}/healthz", self.process, 120, self.log)

    @property
    def log(self) -> Path:
        return self.folder / f"replica-{self.port}.log"

    def kill(self) -> None:
        assert self.process is not None
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(10)

    def stop(self) -> None:
        if self.process is not None:
            stop_process_group(self.process, grace=20)


class HAProxy:
    def __init__(self, replicas: list[Replica], folder: Path) -> None:
        self.port = free_port()
        self.socket = folder / "haproxy.sock"
        env = {
            **os.environ,
            "CASEC_LB_BIND": f"127.0.0.1:{self.port}",
            "CASEC_LB_SOCKET": str(self.socket),
            **{f"CASEC_REPLICA_{i + 1}": f"127.0.0.1:{r.port}" for i, r in enumerate(replicas)},
        }
        log = folder / "haproxy.log"
        self.process = subprocess.Popen(
            ["haproxy", "-db", "-f", str(ROOT / "deploy" / "haproxy.cfg")],
            env=env, stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        wait_for(f"http://127.0.0.1:{self.port}/healthz", self.process, 30, log)

    def command(self, line: str) -> str:
        with socket.socket(socket.AF_UNIX) as sock:
            sock.connect(str(self.socket))
            sock.sendall(line.encode() + b"\n")
            return sock.recv(65536).decode()

    def stop(self) -> None:
        stop_process_group(self.process, grace=5)


def client(base: str, tally: Tally, stop: threading.Event, offset: int) -> None:
    work = itertools.cycle(
        [("query", name) for name in QUERIES] + [("page", path) for path in PATHS]
    )  # fmt: skip
    for _ in range(offset):
        next(work)
    texts = {name: (ROOT / "queries" / f"{name}.rq").read_text(encoding="utf-8") for name in QUERIES}
    while not stop.is_set():
        kind, what = next(work)
        if kind == "query":
            data = urllib.parse.urlencode({"query": texts[what]}).encode()
            request = urllib.request.Request(
                base + "/sparql", data=data, headers={"Accept": "application/sparql-results+json"}
            )
        else:
            request = urllib.request.Request(base + what)
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                response.read()
                tally.record(response.status, response.headers.get("Casec-Data-Version"), what)
        except urllib.error.HTTPError as error:
            error.read()
            tally.record(error.code, error.headers.get("Casec-Data-Version"), what)
        except OSError as error:
            tally.record(None, None, f"{what} ({error})")


def new_version(folder: Path) -> Path:
    """A copy of the bundled graph with one more label: another data version."""
    root = folder / "v2"
    for part in ("ontology", "data", "shapes", "queries"):
        shutil.copytree(ROOT / part, root / part)
    extra = root / "data" / "replica-bench.ttl"
    extra.write_text(
        '<https://w3id.org/casec/id/org/sco> <http://www.w3.org/2000/01/rdf-schema#comment> "v2 of the data" .\n'
    )
    return root


def version_of(port: int) -> str:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=10) as response:
        return response.headers["Casec-Data-Version"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=4, help="client threads")
    parser.add_argument("--phase", type=float, default=15, help="seconds of load between the events")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="casec-replicas-"))
    replicas = [Replica(free_port(), ROOT, folder) for _ in range(3)]
    balancer: HAProxy | None = None
    stop = threading.Event()
    threads: list[threading.Thread] = []
    try:
        v2 = new_version(folder)
        for replica in replicas:
            replica.launch()
        for replica in replicas:
            replica.ready()
        v1_version = version_of(replicas[0].port)
        balancer = HAProxy(replicas, folder)
        base = f"http://127.0.0.1:{balancer.port}"
        tallies = {name: Tally() for name in ("steady", "kill", "rolling")}
        current = {"tally": tallies["steady"]}

        class Switch:  # each client records into the tally of the phase it is in
            def record(self, *a: object) -> None:
                current["tally"].record(*a)  # type: ignore[arg-type]

        for i in range(args.clients):
            thread = threading.Thread(target=client, args=(base, Switch(), stop, i * 2), daemon=True)
            thread.start()
            threads.append(thread)
        print(f"{args.clients} clients through HAProxy at {base}; three replicas on data version {v1_version}")
        time.sleep(args.phase)

        current["tally"] = tallies["kill"]
        victim = replicas[1]
        started = time.monotonic()
        victim.kill()
        print(f"SIGKILL to replica :{victim.port} (its whole process group)", flush=True)
        time.sleep(args.phase)
        victim.start()
        print(f"replica :{victim.port} back after {time.monotonic() - started:.1f} s", flush=True)
        time.sleep(args.phase)

        current["tally"] = tallies["rolling"]
        for i, replica in enumerate(replicas):
            name = f"replicas/casec{i + 1}"
            balancer.command(f"set server {name} state drain")
            time.sleep(2)  # in-flight requests finish; health checks keep running
            replica.stop()
            replica.start(v2)
            balancer.command(f"set server {name} state ready")
            print(f"replica :{replica.port} restarted on data version {version_of(replica.port)}", flush=True)
            time.sleep(args.phase / 3)
        time.sleep(args.phase / 2)
        stop.set()
        for thread in threads:
            thread.join(90)
        v2_version = version_of(replicas[0].port)
        stats = balancer.command("show stat").splitlines()
        columns = stats[0].lstrip("# ").split(",")
        for line in stats[1:]:
            row = dict(zip(columns, line.split(","), strict=False))
            if row.get("pxname") == "replicas" and row.get("svname") == "BACKEND":
                print(f"\nHAProxy: {row['wretr']} retries and {row['wredis']} redispatches to another replica; "
                      f"{row['econ']} connection errors, {row['eresp']} response errors seen")  # fmt: skip
        print()
        print("| phase | requests | failed | answers by data version | 200s without a version |")
        print("|---|--:|--:|---|--:|")
        for phase, tally in tallies.items():
            named = ", ".join(f"{v}: {n}" for v, n in sorted(tally.versions.items()))
            total = tally.ok + len(tally.failed)
            print(f"| {phase} | {total} | {len(tally.failed)} | {named} | {tally.without_version} |")
        for phase, tally in tallies.items():
            unknown = set(tally.versions) - {v1_version, v2_version}
            if tally.failed:
                print(f"{phase}: failed requests: {tally.failed[:10]}")
            if unknown:
                print(f"{phase}: answers naming an unknown version: {unknown}")
        ok = all(not t.failed and not t.without_version and set(t.versions) <= {v1_version, v2_version}
                 for t in tallies.values())  # fmt: skip
        print(f"\n{'PASS' if ok else 'FAIL'}: 0 failed requests and one known version per answer "
              f"(versions {v1_version} → {v2_version})")  # fmt: skip
        sys.exit(0 if ok else 1)
    finally:
        stop.set()
        if balancer is not None:
            balancer.stop()
        for replica in replicas:
            replica.stop()
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
