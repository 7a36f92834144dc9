"""Benchmark: how casec's cost grows with the graph, on the embedded store and on external SPARQL servers.

Generates synthetic graphs with casec's real schema at about 10^4 … 10^7 triples,
loads each into the embedded store (pyoxigraph, in this process's child) and into
Oxigraph's server and Virtuoso, and measures, per backend in the same run: load
time, memory, p50/p95 latency of eight of the example queries and of the network
build. Prints a Markdown table, saves the figures as JSON and a log-log plot.

    python bench/scale.py [--sizes 1e4,1e5,1e6,1e7] [--backends embedded,oxigraph,virtuoso] [--quick]

Needs `pip install '.[bench,test]'` (matplotlib; the `oxigraph` server) and Debian's virtuoso-opensource
(`isql-vt`, `virtuoso-t`); the servers are started on 127.0.0.1 by tests/external_stores.py and stopped after.
The results are in bench/README.md, section "Scale".
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import select
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, TextIO

import pyoxigraph as ox

from casec.network.filters import Filters
from casec.network.model import build_model
from casec.network.relations import DEFAULT_RELATIONS
from casec.store.embedded import EmbeddedStore
from casec.store.interface import GraphStore
from casec.store.load import DataFile
from casec.store.remote import SparqlHttpStore
from casec.store.virtuoso import VirtuosoAdmin
from casec.vocab import BASE_GRAPH, CASEC, ID, META_GRAPH, PREFIXES, SOURCE

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "tests"))  # the servers' launchers are shared with the tests

import external_stores  # noqa: E402

DEBIAN_VIRTUOSO_INI = external_stores.VIRTUOSO_INI

QUERIES = tuple(sorted(path.stem for path in (ROOT / "queries").glob("*.rq")))  # every example query
BACKENDS = ("embedded", "oxigraph", "virtuoso")
# The servers' own ceiling: the network build's queries may run this long (casec gives each query of a user
# --query-timeout, 10 s by default, and sends it along); a user's query past casec's limit is stopped by
# Virtuoso at that limit, by Oxigraph's server only at this one.
NETWORK_LIMIT = 120
TRIPLES_PER_STATEMENT = 16.5  # measured on this generator after derivation (statement + evidence + derived edges)

RDF, RDFS, XSD = PREFIXES["rdf"], PREFIXES["rdfs"], PREFIXES["xsd"]
ORG, OA, DCTERMS, OWL = PREFIXES["org"], PREFIXES["oa"], PREFIXES["dcterms"], PREFIXES["owl"]


# ---- synthetic data ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Dataset:
    """The files of one synthetic graph, in the layout casec loads (ontology and entities in the default graph,
    each source's statements in its own named graph)."""

    folder: Path
    entities: Path
    sources: Path
    statements: int
    source_count: int

    def files(self) -> list[DataFile]:
        return [DataFile(ROOT / "ontology" / "casec.ttl"), DataFile(self.entities), DataFile(self.sources)]


def iri(value: str) -> str:
    return f"<{value}>"


def literal(value: str, datatype: str | None = None, lang: str | None = None) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    if lang:
        return f'"{escaped}"@{lang}'
    return f'"{escaped}"^^<{XSD}{datatype}>' if datatype else f'"{escaped}"'


WORDS = [
    *("security", "cooperation", "member", "states", "terrorism", "extremism", "separatism", "summit", "declaration"),
    *("treaty", "border", "troops", "exercise", "joint", "forces", "secretariat", "council", "charter", "observer"),
    *("partner", "dialogue", "region", "stability", "drug", "trafficking", "Afghanistan", "Central", "Asia"),
    *("collective", "defence", "agreement", "signed", "heads", "ministers", "meeting", "annual", "communique"),
]


def generate(folder: Path, target_triples: int, seed: int = 7) -> Dataset:
    """Write entities.nt (default graph) and sources.nq (one named graph per source) for ``target_triples``.

    Entity counts grow with the graph except states (the world has ~200); two organizations keep the IRIs
    of the SCO and the CSTO and one state that of Kazakhstan, so the example queries run unchanged. Each
    source states memberships (with roles, start/end dates, end types, modalities), agreement parties,
    event participants, dates and places, threats addressed and faced, and symmetric relations — every
    statement with a quote, a line and its source, like data/sources/*.ttl."""
    rng = random.Random(seed)
    statements = max(200, round(target_triples / TRIPLES_PER_STATEMENT))
    n_states = min(200, max(20, statements // 40))
    n_orgs = max(8, statements // 200)
    n_agreements = max(8, statements // 40)
    n_events = max(8, statements // 40)
    n_threats = max(8, min(400, statements // 500))
    n_places = max(8, statements // 100)
    n_sources = max(4, statements // 300)

    states = [ID + "state/kazakhstan", ID + "state/russia"] + [ID + f"state/s{i:03d}" for i in range(2, n_states)]
    orgs = [ID + "org/sco", ID + "org/csto"] + [ID + f"org/o{i:05d}" for i in range(2, n_orgs)]
    agreements = [ID + f"agreement/a{i:06d}" for i in range(n_agreements)]
    events = [ID + f"event/e{i:06d}" for i in range(n_events)]
    threats = [ID + f"threat/t{i:04d}" for i in range(n_threats)]
    places = [ID + f"place/p{i:05d}" for i in range(n_places)]
    sources = [SOURCE + f"syn{i:05d}" for i in range(n_sources)]
    years = {source: rng.randint(1996, 2024) for source in sources}
    agreement_classes = ["Treaty", "Charter", "Memorandum", "Declaration", "Convention", "ConceptDocument"]
    event_classes = ["Summit", "Meeting", "MilitaryExercise", "Operation", "Crisis", "Event"]

    folder.mkdir(parents=True, exist_ok=True)
    entities, quads = folder / "entities.nt", folder / "sources.nq"
    with entities.open("w", encoding="utf-8") as out:

        def entity(subject: str, cls: str, label: str) -> None:
            out.write(f"{iri(subject)} {iri(RDF + 'type')} {iri(CASEC + cls)} .\n")
            out.write(f"{iri(subject)} {iri(RDFS + 'label')} {literal(label, lang='en')} .\n")

        for i, state in enumerate(states):
            entity(state, "State", "Kazakhstan" if i == 0 else "Russia" if i == 1 else f"State {i}")
            out.write(f"{iri(state)} {iri(CASEC + 'iso3')} {literal(f'S{i:02d}'[:3])} .\n")
        for i, org in enumerate(orgs):
            entity(org, "InternationalOrganization", ["SCO", "CSTO"][i] if i < 2 else f"Organization {i}")
        for i, agreement in enumerate(agreements):
            entity(agreement, agreement_classes[i % len(agreement_classes)], f"Agreement {i}")
        for i, event in enumerate(events):
            entity(event, event_classes[i % len(event_classes)], f"Event {i}")
        for i, threat in enumerate(threats):
            entity(threat, "Threat", f"Threat {i}")
        for i, place in enumerate(places):
            entity(place, "Place", f"Place {i}")
        for i, source in enumerate(sources):
            entity(source, "Source", f"Synthetic source {i} ({years[source]})")
            out.write(f"{iri(source)} {iri(DCTERMS + 'issued')} {literal(str(years[source]), 'gYear')} .\n")

    roles = ["Member"] * 6 + ["FoundingMember"] * 2 + ["Observer", "DialoguePartner", "Partner", "Applicant"]
    modalities = [None] * 17 + ["ReportedClaim", "Opinion", "Projection"]
    actors = states + orgs
    a, p = iri(RDF + "type"), iri(CASEC + "evidence")
    with quads.open("w", encoding="utf-8") as out:
        for n in range(statements):
            source = sources[n % n_sources]
            year = years[source]
            g = iri(source)
            st = iri(ID + f"statement/syn-{n}")
            kind = rng.random()
            lines: list[str] = []
            if kind < 0.36:  # a membership, skewed towards the SCO and the CSTO
                pick = rng.random()
                org = orgs[0] if pick < 0.3 else orgs[1] if pick < 0.5 else rng.choice(orgs)
                lines += [
                    f"{st} {a} {iri(CASEC + 'Membership')}",
                    f"{st} {iri(ORG + 'member')} {iri(rng.choice(states))}",
                    f"{st} {iri(ORG + 'organization')} {iri(org)}",
                    f"{st} {iri(ORG + 'role')} {iri(CASEC + rng.choice(roles))}",
                ]
                if rng.random() < 0.6:
                    start = rng.randint(1992, year)
                    value = literal(f"{start}-{rng.randint(1, 12):02d}-15", "date") if rng.random() < 0.3 else None
                    lines.append(f"{st} {iri(CASEC + 'start')} {value or literal(str(start), 'gYear')}")
                    if rng.random() < 0.2:
                        lines.append(f"{st} {iri(CASEC + 'end')} {literal(str(rng.randint(start, year)), 'gYear')}")
                        if rng.random() < 0.5:
                            ending = rng.choice(["Withdrawal", "Suspension"])
                            lines.append(f"{st} {iri(CASEC + 'endType')} {iri(CASEC + ending)}")
            else:
                lines.append(f"{st} {a} {iri(CASEC + 'Assertion')}")
                if kind < 0.52:
                    triple = (rng.choice(agreements), "party", iri(rng.choice(actors)))
                elif kind < 0.67:
                    triple = (rng.choice(events), "participant", iri(rng.choice(actors)))
                elif kind < 0.73:
                    triple = (rng.choice(events), "eventDate", literal(f"{rng.randint(1996, year)}", "gYear"))
                elif kind < 0.76:
                    triple = (rng.choice(events), "eventPlace", iri(rng.choice(places)))
                elif kind < 0.80:
                    triple = (rng.choice(agreements), "signingDate", literal(f"{rng.randint(1996, year)}", "gYear"))
                elif kind < 0.88:
                    triple = (rng.choice(orgs), "addresses", iri(rng.choice(threats)))
                elif kind < 0.93:
                    triple = (rng.choice(states), "faces", iri(rng.choice(threats)))
                else:
                    relation = rng.choice(["borders", "cooperatesWith", "rivalOf"])
                    pair = states if relation == "borders" else actors
                    triple = (rng.choice(pair), relation, iri(rng.choice(pair)))
                subject, predicate, obj = triple
                lines += [
                    f"{st} {iri(RDF + 'subject')} {iri(subject)}",
                    f"{st} {iri(RDF + 'predicate')} {iri(CASEC + predicate)}",
                    f"{st} {iri(RDF + 'object')} {obj}",
                ]
            modality = rng.choice(modalities)
            if modality:
                lines.append(f"{st} {iri(CASEC + 'modality')} {iri(CASEC + modality)}")
            quote = " ".join(rng.choices(WORDS, k=rng.randint(8, 24)))
            evidence, selector = f"_:e{n}", f"_:q{n}"
            lines += [
                f"{st} {p} {evidence}",
                f"{evidence} {iri(OA + 'hasSource')} {g}",
                f"{evidence} {iri(CASEC + 'line')} {literal(str(rng.randint(1, 2000)), 'integer')}",
                f"{evidence} {iri(OA + 'hasSelector')} {selector}",
                f"{selector} {a} {iri(OA + 'TextQuoteSelector')}",
                f"{selector} {iri(OA + 'exact')} {literal(quote.capitalize() + '.')}",
            ]
            out.write("".join(f"{line} {g} .\n" for line in lines))
    return Dataset(folder, entities, quads, statements, n_sources)


# ---- measuring ---------------------------------------------------------------------------------------------


@dataclass
class Latency:
    """Wall-clock seconds of repeated runs of one query on one path (after one unmeasured warm-up)."""

    samples: list[float] = field(default_factory=list)
    rows: int = -1
    cold: float = 0.0
    error: str = ""
    timed_out: bool = False

    @property
    def p50(self) -> float:
        if self.timed_out:
            return math.inf
        return statistics.median(self.samples) if self.samples else math.nan

    @property
    def p95(self) -> float:
        if self.timed_out:
            return math.inf
        if not self.samples:
            return math.nan
        ordered = sorted(self.samples)
        return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]  # nearest rank

    def figures(self) -> dict[str, Any]:
        return {**asdict(self), "p50": self.p50, "p95": self.p95}


@dataclass
class Result:
    """One backend at one size: ``direct`` is the engine asked without casec (the server over HTTP, or
    pyoxigraph in-process for the embedded store), ``casec`` the same query through ``casec serve``."""

    size: str
    backend: str
    triples: int = 0
    load_s: float = math.nan
    load_note: str = ""
    rss_mib: float = math.nan
    pss_mib: float = math.nan
    disk_mib: float = math.nan
    push_s: float = math.nan  # casec load --into (Graph Store Protocol), where measured
    direct: dict[str, dict[str, Any]] = field(default_factory=dict)
    casec: dict[str, dict[str, Any]] = field(default_factory=dict)
    network: dict[str, Any] = field(default_factory=dict)
    error: str = ""


def memory(pid: int) -> tuple[float, float]:
    """RSS and PSS of a process in MiB, from /proc (PSS counts shared pages once across the processes sharing)."""
    values = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        parts = line.split()
        if parts[0] in ("Rss:", "Pss:"):
            values[parts[0]] = int(parts[1]) / 1024
    return values["Rss:"], values["Pss:"]


class TimedOut(Exception):
    """The first run of a query took longer than the cap: it is not repeated."""


def in_child(run: Callable[[], int], cap: float) -> int:
    """Run ``run`` in a forked child killed after ``cap`` seconds: pyoxigraph cannot be interrupted in-process
    (casec serve does the same with its executors)."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        os.close(read)
        try:
            os.write(write, str(run()).encode())
        finally:
            os._exit(0)
    os.close(write)
    try:
        ready, _, _ = select.select([read], [], [], cap)
        if not ready:
            os.kill(pid, signal.SIGKILL)
            raise TimedOut(f"over {cap:.0f} s")
        answer = os.read(read, 64)
    finally:
        os.waitpid(pid, 0)
        os.close(read)
    if not answer:
        raise RuntimeError("the query failed in the child")
    return int(answer)


def wait_idle(pid: int, most: float = 600) -> None:
    """After a client gave up on a query, wait until the server stops computing it (neither server cancels a
    query whose client went away), so the next measurement does not share the CPU with it."""
    deadline = time.monotonic() + most
    ticks = os.sysconf("SC_CLK_TCK")

    def cpu() -> float:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / ticks

    before = cpu()
    while time.monotonic() < deadline:
        time.sleep(1)
        now = cpu()
        if now - before < 0.05:
            return
        before = now


Ask = Callable[[str], int]  # runs one query, returns its number of rows


def http_asker(url: str, timeout: float, params: dict[str, str] | None = None) -> Ask:
    """POST the query as a form, as a SPARQL client would; every row is read and parsed (JSON results)."""

    def ask(sparql: str) -> int:
        data = urllib.parse.urlencode({"query": sparql, **(params or {})}).encode()
        headers = {"Accept": "application/sparql-results+json", "Content-Type": "application/x-www-form-urlencoded"}
        request = urllib.request.Request(url, data=data, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                body = response.read()
                if response.headers.get("X-SQL-State"):  # Virtuoso's partial answer at its time limit
                    raise TimedOut(response.headers.get("X-SQL-Message", "")[:200])
        except urllib.error.HTTPError as error:
            detail = error.read().decode("utf-8", "replace")[:200]
            if (error.code == 503 and "time limit" in detail) or "SR171" in detail:  # casec's; Virtuoso's
                raise TimedOut(detail) from None
            raise RuntimeError(f"HTTP {error.code}: {detail}") from None
        except TimeoutError:
            raise TimedOut(f"no answer within {timeout:g} s") from None
        if b"The SPARQL operation has been cancelled" in body:  # Oxigraph's --timeout-s, mid-answer
            raise TimedOut("stopped by the server's time limit")
        return len(json.loads(body)["results"]["bindings"])

    return ask


def embedded_asker(store: EmbeddedStore) -> Ask:
    """pyoxigraph in this process: evaluated and serialized as JSON, as a server would, without a server."""

    def ask(sparql: str) -> int:
        body = store.select(sparql).serialize(format=ox.QueryResultsFormat.JSON)
        return len(json.loads(body)["results"]["bindings"])

    return ask


def measure(ask: Ask, sparql: str, runs: int, budget: float, warm_up: Callable[[], int] | None = None) -> Latency:
    """One unmeasured warm-up (``warm_up``, else ``ask``), then up to ``runs`` timed runs within ``budget`` s."""
    latency = Latency()
    try:
        started = time.perf_counter()
        latency.rows = warm_up() if warm_up else ask(sparql)
        latency.cold = spent = time.perf_counter() - started
        for _ in range(runs):
            started = time.perf_counter()
            latency.rows = ask(sparql)
            took = time.perf_counter() - started
            latency.samples.append(took)
            spent += took
            if spent > budget:
                break
    except TimedOut as error:
        latency.timed_out, latency.error = True, str(error)[:200]
    except Exception as error:  # a backend failing a query is a finding, not a reason to stop the run
        latency.error = f"{type(error).__name__}: {str(error)[:300]}"
    return latency


def measure_queries(
    paths: dict[str, Ask],
    runs: int,
    budget: float,
    deadline: float,
    after_timeout: Callable[[], None] = lambda: None,
    first_runs: dict[str, Ask] | None = None,
) -> dict[str, dict[str, dict[str, Any]]]:
    """Every example query on each path in turn (``direct`` then ``casec``), so both see the same machine.
    ``first_runs`` may give a path another way to run its warm-up (the embedded store's, in a child that can be
    killed at the time limit). Past ``deadline`` (time.time()) the remaining queries are skipped."""
    measured: dict[str, dict[str, dict[str, Any]]] = {name: {} for name in paths}
    for query in QUERIES:
        sparql = (ROOT / "queries" / f"{query}.rq").read_text(encoding="utf-8")
        line = f"    {query:<36}"
        for name, ask in paths.items():
            if time.time() > deadline:
                latency = Latency(error="skipped: the backend's time limit was reached")
            else:
                first = (first_runs or {}).get(name)
                latency = measure(ask, sparql, runs, budget, (lambda f=first, q=sparql: f(q)) if first else None)
                if latency.timed_out:
                    after_timeout()
            measured[name][query] = latency.figures()
            note = f", {latency.error[:60]}" if latency.error else ""
            line += f" {name} {latency.p50 * 1000:9.1f} ms ({latency.rows} rows{note})"
        print(line, flush=True)
    return measured


def measure_network(store: GraphStore, result: Result, runs: int, budget: float, deadline: float) -> None:
    """The network model (casec.network.build_model: five SELECTs and the folding into facts) and its default
    view as a networkx graph — what /network computes when the data changed."""
    if time.time() > deadline:
        result.network = {"error": "skipped: the backend's time limit was reached", "p50": math.nan, "p95": math.nan}
        return
    filters = Filters(relations=DEFAULT_RELATIONS)
    edges = 0

    def run(_: str) -> int:
        nonlocal edges
        graph = build_model(store, "bench").view(filters)
        edges = graph.number_of_edges()
        return graph.number_of_nodes()

    latency = measure(run, "", runs, budget, warm_up=lambda: 0)
    result.network = {**latency.figures(), "edges": edges}
    print(f"    {'network build':<36} p50 {latency.p50:9.2f} s   p95 {latency.p95:9.2f} s   "
          f"nodes {latency.rows} edges {edges} {latency.error}", flush=True)  # fmt: skip


class CasecServe:
    """``casec serve`` in its own process group on a free loopback port: the path a user's query takes."""

    def __init__(self, args: list[str], folder: Path, cap: float) -> None:
        port = external_stores.free_port()
        self.url = f"http://127.0.0.1:{port}/sparql"
        self.log = folder / "casec-serve.log"
        command = [sys.executable, "-m", "casec.cli", "serve", "--port", str(port), "--workers", "2"]
        command += ["--query-timeout", str(cap), "--max-rows", str(10**7), *args]
        self.process = subprocess.Popen(
            command, stdout=self.log.open("w"), stderr=subprocess.STDOUT, start_new_session=True
        )
        external_stores.wait_for(self.url.replace("/sparql", "/healthz"), self.process, 600, self.log)

    def stop(self) -> None:
        external_stores.stop_process_group(self.process, grace=15)


# ---- backends ----------------------------------------------------------------------------------------------


def embedded_worker(folder: Path, size: str, runs: int, budget: float, net_runs: int, cap: float, deadline: float,
                    measure_it: bool) -> None:  # fmt: skip
    """Runs in a child process, so the memory figures are those of a process holding only this store.

    Loads through casec's own path (EmbeddedStore: parse, then derive the direct edges), measures the queries
    in-process (the "direct" path of the embedded store), then dumps the default graph (ontology, entities,
    derived edges) and the meta graph for the external stores' bulk loaders."""
    dataset = Dataset(folder, folder / "entities.nt", folder / "sources.nq", 0, 0)
    result = Result(size, "embedded")
    started = time.perf_counter()
    store = EmbeddedStore(dataset.files())
    result.load_s = time.perf_counter() - started
    result.load_note = "parse + derive"
    result.triples = len(store)
    print(f"  embedded: {result.triples} quads loaded and derived in {result.load_s:.1f} s", flush=True)
    if measure_it:
        ask = embedded_asker(store)

        def capped(sparql: str) -> int:
            return in_child(lambda: ask(sparql), cap)  # pyoxigraph cannot be interrupted in-process

        result.direct = measure_queries({"direct": ask}, runs, budget, deadline, first_runs={"direct": capped})[
            "direct"
        ]
        result.rss_mib, result.pss_mib = memory(os.getpid())  # before the network model, as for the servers
        measure_network(store, result, net_runs, budget * 3, deadline)
    store.oxigraph.dump(folder / "base.nt", format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
    meta = ox.NamedNode(META_GRAPH)  # what casec load --into records: the version and the graphs it loaded
    about = [ox.Quad(meta, ox.NamedNode(OWL + "versionInfo"), ox.Literal(store.data_version()), meta)]
    about += [
        ox.Quad(meta, ox.NamedNode(DCTERMS + "hasPart"), ox.NamedNode(g), meta) for g in sorted(store.graph_names())
    ]
    ox.serialize(about, folder / "meta.nq", format=ox.RdfFormat.N_QUADS)
    (folder / "embedded.json").write_text(json.dumps(asdict(result)))


def run_embedded(dataset: Dataset, size: str, runs: int, budget: float, net_runs: int, cap: float, limit: float,
                 measure_it: bool) -> Result:  # fmt: skip
    """In-process figures from the worker; then the same queries through ``casec serve --data`` (its executors
    forked from the process holding the store, as in production)."""
    command = [sys.executable, __file__, "--_worker", str(dataset.folder), "--_size", size]
    command += ["--_runs", str(runs), "--_budget", str(budget), "--_net-runs", str(net_runs), "--_cap", str(cap)]
    command += ["--_deadline", str(time.time() + limit - 60)]  # leaves a minute to report and dump
    command += [] if measure_it else ["--_derive-only", "1"]
    try:
        subprocess.run(command, check=True, timeout=limit)
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as error:
        return Result(size, "embedded", error=str(error))
    result = Result(**json.loads((dataset.folder / "embedded.json").read_text()))
    if not measure_it:
        return result
    data = [str(file.path) for file in dataset.files()]
    serve = CasecServe(["--data", *data, "--query-memory", "4096"], dataset.folder, cap)
    try:
        paths = {"casec": http_asker(serve.url, cap + 10)}
        result.casec = measure_queries(paths, runs, budget, time.time() + limit)["casec"]
    finally:
        serve.stop()
    return result


def sh(command: list[str], timeout: float) -> str:
    done = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    if done.returncode != 0:
        raise RuntimeError(f"{command[0]} exited {done.returncode}: {done.stderr[-1000:]}")
    return done.stdout + done.stderr


def isql(server: external_stores.VirtuosoServer, *statements: str, timeout: float) -> str:
    """Virtuoso's isql exits 0 even when the SQL fails: look for its error marker."""
    port = f"127.0.0.1:{server.sql_port}"
    output = sh(["isql-vt", port, "dba", server.password or "", *[f"EXEC={s}" for s in statements]], timeout)
    if "*** Error" in output:
        raise RuntimeError(f"isql: {output[-1000:]}")
    return output


def tuned_virtuoso_ini(folder: Path) -> Path:
    """Debian's virtuoso.ini with the buffers its own comments recommend for 4 GB of free memory (the default,
    10,000 buffers = 80 MB, is meant for tiny databases): an operated store would be tuned like this."""
    text = DEBIAN_VIRTUOSO_INI.read_text()
    text = text.replace("NumberOfBuffers          = 10000", "NumberOfBuffers          = 340000")
    text = text.replace("MaxDirtyBuffers          = 6000", "MaxDirtyBuffers          = 250000")
    ini = folder / "virtuoso-tuned.ini"
    ini.write_text(text)
    return ini


def run_external(
    backend: str,
    dataset: Dataset,
    size: str,
    runs: int,
    budget: float,
    net_runs: int,
    cap: float,
    push: bool,
    limit: float,
    expected_quads: int = 0,
) -> Result:
    """Bulk-load the derived graph (base.nt, dumped by the embedded run), the source graphs and the meta graph
    into a fresh server set up as deploy/README.md says, then ask each query directly and through casec serve."""
    result = Result(size, backend)
    folder = Path(tempfile.mkdtemp(prefix=f"casec-scale-{backend}-", dir=dataset.folder))
    server: external_stores.ExternalServer | None = None
    serve: CasecServe | None = None
    deadline = time.time() + limit
    try:
        base, quads, meta = dataset.folder / "base.nt", dataset.sources, dataset.folder / "meta.nq"
        if backend == "oxigraph":
            started = time.perf_counter()
            db = str(folder / "db")
            sh(["oxigraph", "load", "--location", db, "--file", str(base), "--graph", BASE_GRAPH], limit)
            sh(["oxigraph", "load", "--location", db, "--file", str(quads), str(meta)], limit)
            result.load_s = time.perf_counter() - started
            result.load_note = "oxigraph load (bulk), server stopped"
            server = external_stores.OxigraphServer(folder, time_limit=NETWORK_LIMIT)
        else:
            server = external_stores.VirtuosoServer(
                folder, time_limit=NETWORK_LIMIT, template=tuned_virtuoso_ini(folder)
            )
            assert isinstance(server, external_stores.VirtuosoServer)
            for file in (base, quads, meta):
                os.link(file, folder / file.name)
            started = time.perf_counter()
            isql(server, f"ld_dir('{folder}', 'base.nt', '{BASE_GRAPH}');", timeout=limit)
            isql(server, f"ld_dir('{folder}', '*.nq', '{BASE_GRAPH}');", timeout=limit)
            isql(server, "rdf_loader_run();", "checkpoint;", timeout=limit)
            admin = VirtuosoAdmin(server.query_url + "-auth", server.user or "", server.password or "")
            admin.only_granted_graphs_readable()  # what casec load does after its PUTs
            admin.grant_read(META_GRAPH)  # first: the list of the other graphs is read from it
            for graph in [BASE_GRAPH, *SparqlHttpStore(server.store_url).graph_names()]:
                admin.grant_read(graph)
            result.load_s = time.perf_counter() - started
            result.load_note = "ld_dir + rdf_loader_run + checkpoint + read grants"
            errors = isql(server, "SELECT ll_file, ll_error FROM DB.DBA.LOAD_LIST WHERE ll_error IS NOT NULL;",
                          timeout=60)  # fmt: skip
            if "0 Rows" not in errors:
                raise RuntimeError(f"Virtuoso's loader reported errors: {errors[-800:]}")
        print(f"  {backend}: bulk-loaded in {result.load_s:.1f} s", flush=True)
        assert server is not None
        result.triples = len(SparqlHttpStore(server.store_url, timeout=max(60.0, deadline - time.time())))
        print(f"  {backend}: {result.triples} quads (embedded: {expected_quads}); direct, then through casec:")
        serve = CasecServe(["--store", server.store_url], folder, cap)
        # the same time limit both ways: casec sends it to Virtuoso as `timeout`, so does the direct client
        limit = {"timeout": str(int(cap * 1000))} if backend == "virtuoso" else {}
        paths = {"direct": http_asker(server.query_url, cap + 10, limit), "casec": http_asker(serve.url, cap + 10)}
        pid = server.process.pid

        def after_timeout() -> None:  # the server stops the query itself (deploy/README.md); wait until it has
            wait_idle(pid, most=max(0.0, min(120.0, deadline - time.time())))

        measured = measure_queries(paths, runs, budget, deadline, after_timeout)
        result.direct, result.casec = measured["direct"], measured["casec"]
        store = SparqlHttpStore(server.store_url, timeout=NETWORK_LIMIT)
        measure_network(store, result, net_runs, budget * 3, deadline)
        result.rss_mib, result.pss_mib = memory(server.process.pid)
        if push:
            from casec.store.push import GraphStoreClient
            from casec.store.push import push as push_graphs

            client = GraphStoreClient(server.graph_store_url, server.user, server.password)
            admin_or_none = None
            if backend == "virtuoso":
                admin_or_none = VirtuosoAdmin(server.query_url + "-auth", server.user or "", server.password or "")
            started = time.perf_counter()
            push_graphs(dataset.files(), client, SparqlHttpStore(server.store_url), virtuoso=admin_or_none)
            result.push_s = time.perf_counter() - started
            print(f"  {backend}: casec load --into (Graph Store PUT per graph) took {result.push_s:.1f} s", flush=True)
    except Exception as error:
        result.error = f"{type(error).__name__}: {str(error)[:500]}"
        print(f"  {backend}: FAILED {result.error}", flush=True)
    finally:
        if serve is not None:
            serve.stop()
        if server is not None:
            server.stop()
        inputs = {"base.nt", "sources.nq", "meta.nq"}  # hard links to the generated files, not the database
        result.disk_mib = (
            sum(f.stat().st_size for f in folder.rglob("*") if f.is_file() and f.name not in inputs) / 2**20
        )
        shutil.rmtree(folder, ignore_errors=True)
    return result


# ---- reporting ---------------------------------------------------------------------------------------------


def ms(seconds: float) -> str:
    if math.isinf(seconds):
        return "timeout"
    return "—" if math.isnan(seconds) else f"{seconds * 1000:,.0f}" if seconds >= 0.1 else f"{seconds * 1000:.1f}"


def fmt(value: float, digits: int = 1) -> str:
    return "—" if math.isnan(value) else f"{value:,.{digits}f}"


def ratios(r: Result) -> list[tuple[str, float]]:
    """through casec / direct, p50, for every query both answered."""
    out = []
    for name, direct in r.direct.items():
        through = r.casec.get(name)
        if through and direct["samples"] and through["samples"] and direct["p50"] > 0:
            out.append((name, through["p50"] / direct["p50"]))
    return out


def answered(queries: dict[str, dict[str, Any]], within: float) -> int:
    return sum(1 for q in queries.values() if q["samples"] and q["p50"] <= within)


def table(results: list[Result], out: TextIO) -> None:
    out.write(
        "| size | backend | quads | load s | RSS MiB | disk MiB | answered ≤ 10 s, direct / casec "
        f"(of {len(QUERIES)}) | Σp50 s direct / casec, queries both answered | casec/direct p50: median, worst (query) "
        "| network p50 s | casec load --into s |\n|---|---|--:|--:|--:|--:|--:|--:|---|--:|--:|\n"
    )
    for r in results:
        if r.error and not r.direct:
            out.write(f"| {r.size} | {r.backend} | failed: {r.error[:100]} ||||||||\n")
            continue
        both = ratios(r)
        worst = max(both, key=lambda item: item[1]) if both else ("—", math.nan)
        median = statistics.median([x for _, x in both]) if both else math.nan
        answered_both = [name for name, _ in both]  # the sums compare the same queries
        sums = [sum(qs[name]["p50"] for name in answered_both) for qs in (r.direct, r.casec)]
        load = fmt(r.load_s, 2 if r.load_s < 10 else 1)
        out.write(
            f"| {r.size} | {r.backend} | {r.triples:,} | {load} | {fmt(r.rss_mib, 0)} | {fmt(r.disk_mib, 0)} "
            f"| {answered(r.direct, 10)} / {answered(r.casec, 10) if r.casec else '—'} "
            f"| {fmt(sums[0], 2)} / {fmt(sums[1], 2) if r.casec else '—'} "
            f"| {fmt(median, 2)}×, {fmt(worst[1], 2)}× ({worst[0]}) "
            f"| {fmt(r.network.get('p50', math.nan), 2)} | {fmt(r.push_s)} |\n"
        )


def query_table(results: list[Result], out: TextIO) -> None:
    """p50 / p95 in ms per query, direct and through casec, and the rows; rows that differ from the embedded
    store's are marked ≠ (the answers must agree)."""
    sizes = list(dict.fromkeys(r.size for r in results))
    backends = list(dict.fromkeys(r.backend for r in results))
    head = "| size | query | " + " | ".join(f"{b}: direct p50/p95 · casec p50/p95 ms (rows)" for b in backends)
    out.write(head + " |\n|---|---|" + "--:|" * len(backends) + "\n")

    def cell(q: dict[str, Any] | None) -> str:
        if q is None:
            return "—"
        if q["timed_out"]:
            return "timeout"
        if q["error"]:
            return "error: " + q["error"][:40]
        return f"{ms(q['p50'])}/{ms(q['p95'])}"

    for size in sizes:
        by_backend = {r.backend: r for r in results if r.size == size}
        for name in QUERIES:
            ref = by_backend["embedded"].direct.get(name) if "embedded" in by_backend else None
            cells = []
            for backend in backends:
                r = by_backend.get(backend)
                if r is None or not r.direct:
                    cells.append("—")
                    continue
                d, c = r.direct.get(name), r.casec.get(name)
                rows = c["rows"] if c and c["rows"] >= 0 else d["rows"] if d else -1
                differs = ref is not None and ref["rows"] >= 0 and rows >= 0 and rows != ref["rows"]
                cells.append(f"{cell(d)} · {cell(c)} ({rows}{' ≠' if differs else ''})")
            out.write(f"| {size} | {name} | " + " | ".join(cells) + " |\n")


def ratio_table(results: list[Result], out: TextIO) -> None:
    """Through casec against direct, p50, over the queries both answered: all of them, and those the server
    needs 100 ms or more for (where the server's work, not casec's fixed cost per request, is measured)."""
    out.write(
        "| size | backend | queries both answered | casec/direct p50: median | within 1.3× "
        "| of those ≥ 100 ms direct: n, median, within 1.3×, worst | added p50 ms, queries < 100 ms: median |\n"
        "|---|---|--:|--:|--:|---|--:|\n"
    )
    for r in results:
        both = [(name, r.direct[name]["p50"], r.casec[name]["p50"]) for name, _ in ratios(r)]
        if not both:
            continue
        all_ratios = [c / d for _, d, c in both]
        heavy = [(name, c / d) for name, d, c in both if d >= 0.1]
        light = [(c - d) * 1000 for _, d, c in both if d < 0.1]
        worst = max(heavy, key=lambda item: item[1]) if heavy else ("—", math.nan)
        heavy_part = (
            f"{len(heavy)}, {statistics.median(x for _, x in heavy):.2f}×, {sum(x <= 1.3 for _, x in heavy)}, "
            f"{worst[1]:.2f}× ({worst[0]})"
            if heavy
            else "0"
        )
        out.write(
            f"| {r.size} | {r.backend} | {len(both)} | {statistics.median(all_ratios):.2f}× "
            f"| {sum(x <= 1.3 for x in all_ratios)} | {heavy_part} "
            f"| {fmt(statistics.median(light), 1) if light else '—'} |\n"
        )


def plot(results: list[Result], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    def total(queries: dict[str, dict[str, Any]]) -> float:
        return sum(q["p50"] for q in queries.values() if q["samples"]) if queries else math.nan

    panels: list[tuple[str, Callable[[Result], float]]] = [
        ("load (s)", lambda r: r.load_s),
        ("memory, RSS (MiB)", lambda r: r.rss_mib),
        ("example queries answered, Σ p50 (s), through casec", lambda r: total(r.casec)),
        ("network build, p50 (s)", lambda r: r.network.get("p50", math.nan)),
    ]
    figure, axes = plt.subplots(1, len(panels), figsize=(18, 4.6))
    for axis, (title, value) in zip(axes, panels, strict=True):
        for backend, marker in zip(BACKENDS, "osD", strict=True):
            points = [(r.triples, value(r)) for r in results if r.backend == backend and r.triples]
            points = [(x, y) for x, y in points if not math.isnan(y) and y > 0]
            if points:
                line = axis.plot(*zip(*points, strict=True), marker=marker, label=backend)[0]
                if title.startswith("example"):
                    direct = [(r.triples, total(r.direct)) for r in results if r.backend == backend and r.triples]
                    direct = [(x, y) for x, y in direct if not math.isnan(y) and y > 0]
                    axis.plot(*zip(*direct, strict=True), marker=marker, linestyle="--", color=line.get_color(),
                              alpha=0.6, label=f"{backend}, direct")  # fmt: skip
        axis.set_xscale("log")
        axis.set_yscale("log")
        axis.set_xlabel("quads in the store")
        axis.set_title(title, fontsize="medium")
        axis.grid(True, which="both", alpha=0.3)
    axes[0].legend()
    axes[2].legend(fontsize="small")
    figure.suptitle("casec: cost against graph size per backend (2-core shared machine under load, ±50 %)")
    figure.tight_layout()
    figure.savefig(path, dpi=110)


# ---- main --------------------------------------------------------------------------------------------------


def sizes_of(text: str) -> list[tuple[str, int]]:
    return [(part.strip(), int(float(part))) for part in text.split(",") if part.strip()]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__
    )
    parser.add_argument("--sizes", default="1e4,1e5,1e6", help="target triple counts, comma-separated")
    parser.add_argument("--backends", default=",".join(BACKENDS), help="of: " + ", ".join(BACKENDS))
    parser.add_argument("--quick", action="store_true", help="sizes 1e4,1e5 and fewer repetitions (a smoke run)")
    parser.add_argument("--runs", type=int, default=15, help="timed runs per query (after a warm-up), at most")
    parser.add_argument("--budget", type=float, default=10, help="seconds per query after which repeating stops")
    parser.add_argument("--push-max", type=float, default=1e5, help="also time casec load --into up to this size")
    parser.add_argument("--limit", type=float, default=600, help="seconds per backend and size before giving up")
    parser.add_argument("--work", type=Path, help="folder for the generated graphs (default: a temporary one)")
    parser.add_argument("--out", type=Path, default=HERE, help="where scale.png and scale-results.json go")
    parser.add_argument("--from-json", type=Path, nargs="+", help="only report: merge saved results (later files win)")
    parser.add_argument("--cap", type=float, default=10, help="casec's and the servers' time limit per query (s)")
    hidden_flags = (
        "--_worker",
        "--_size",
        "--_runs",
        "--_budget",
        "--_net-runs",
        "--_cap",
        "--_deadline",
        "--_derive-only",
    )
    for hidden in hidden_flags:
        parser.add_argument(hidden, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args._worker:
        worker = Path(args._worker)
        numbers = int(args._runs), float(args._budget), int(args._net_runs), float(args._cap), float(args._deadline)
        embedded_worker(worker, args._size, *numbers, measure_it=not args._derive_only)
        return

    if args.from_json:
        merged: dict[tuple[str, str], Result] = {}
        for path in args.from_json:
            for raw in json.loads(path.read_text())["results"]:
                merged[(raw["size"], raw["backend"])] = Result(**raw)
        order = {label: i for i, (label, _) in enumerate(sizes_of("1e3,1e4,1e5,1e6,1e7,1e8"))}
        results = sorted(merged.values(), key=lambda r: (order.get(r.size, 99), BACKENDS.index(r.backend)))
        args.out.mkdir(parents=True, exist_ok=True)
        raw = {"merged_from": [str(path) for path in args.from_json], "results": [asdict(r) for r in results]}
        (args.out / "scale-results.json").write_text(json.dumps(raw, indent=1))
        report(results, args.out)
        return
    sizes = sizes_of("1e4,1e5" if args.quick and args.sizes == parser.get_default("sizes") else args.sizes)
    runs, budget = (5, 5.0) if args.quick else (args.runs, args.budget)
    backends = [b.strip() for b in args.backends.split(",") if b.strip()]
    unknown = set(backends) - set(BACKENDS)
    if unknown:
        parser.error(f"unknown backend {', '.join(unknown)}")
    measure_embedded = "embedded" in backends
    backends = ["embedded", *[b for b in backends if b != "embedded"]]  # it derives the graph the others load
    work = args.work or Path(tempfile.mkdtemp(prefix="casec-scale-"))
    print(f"load before the run: {os.getloadavg()}; {os.cpu_count()} cores; work folder {work}", flush=True)
    results: list[Result] = []
    for label, target in sizes:
        started = time.perf_counter()
        dataset = generate(work / label, target)
        print(f"\n== {label}: {dataset.statements} statements in {dataset.source_count} sources, "
              f"generated in {time.perf_counter() - started:.1f} s", flush=True)  # fmt: skip
        size_runs = max(3, runs // (1 if target < 10**6 else 2 if target < 10**7 else 3))
        net_runs = 5 if target < 10**6 else 3 if target < 10**7 else 2
        for backend in backends:
            if backend == "embedded":
                result = derived = run_embedded(
                    dataset, label, size_runs, budget, net_runs, args.cap, args.limit, measure_embedded
                )
            else:
                push = target <= args.push_max
                embedded = derived.triples
                result = run_external(
                    backend, dataset, label, size_runs, budget, net_runs, args.cap, push, args.limit, embedded
                )
            if backend != "embedded" or measure_embedded:
                results.append(result)
        if not args.work:
            shutil.rmtree(work / label, ignore_errors=True)
    if not args.work:
        shutil.rmtree(work, ignore_errors=True)
    load = os.getloadavg()
    print(f"\nload after the run: {load}\n")
    args.out.mkdir(parents=True, exist_ok=True)
    raw = {"load_average_after": load, "results": [asdict(r) for r in results]}
    (args.out / "scale-results.json").write_text(json.dumps(raw, indent=1))
    report(results, args.out)


def report(results: list[Result], out: Path) -> None:
    table(results, sys.stdout)
    print()
    ratio_table(results, sys.stdout)
    print()
    query_table(results, sys.stdout)
    out.mkdir(parents=True, exist_ok=True)
    plot(results, out / "scale.png")
    print(f"\nplot: {out / 'scale.png'}; figures: {out / 'scale-results.json'}")


if __name__ == "__main__":
    main()
