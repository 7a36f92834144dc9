"""Benchmark: how long casec takes to load the bundled graph, derive the direct
edges and validate it, and how much memory that needs.

Prints figures; compares the embedded engine (Oxigraph) with rdflib's own
in-memory store on the same files and the same derivation rules, as the
baseline, in the same run.

    python bench/load.py [--repeat N]
"""

from __future__ import annotations

import argparse
import resource
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
import rdflib

from casec.bundle import default_bundle
from casec.curation.validate import validate_bundle
from casec.store.derive import derive, rule_files
from casec.store.load import bundle_files, parse_into


def timed(run: Callable[[], object], repeat: int) -> tuple[float, float]:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples), min(samples)


def oxigraph_load() -> ox.Store:
    store = ox.Store()
    parse_into(store, bundle_files(default_bundle()))
    return store


def rdflib_load() -> rdflib.Dataset:
    dataset = rdflib.Dataset(default_union=True)
    for file in bundle_files(default_bundle()):
        target = dataset.graph(file.graph) if file.graph else dataset.default_graph
        target.parse(file.path, format="turtle")
    return dataset


def rdflib_derive(dataset: rdflib.Dataset) -> None:
    for rule in rule_files():
        for triple in dataset.query(rule.read_text(encoding="utf-8")):
            dataset.default_graph.add(triple)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs per measurement (median and best are shown)")
    args = parser.parse_args()
    files = bundle_files(default_bundle())
    size = sum(Path(f.path).stat().st_size for f in files)
    store = oxigraph_load()
    print(f"bundled graph: {len(files)} files, {size / 1024:.0f} KiB of Turtle, {len(store)} quads before derivation")

    rows = []
    rows.append(("parse (Oxigraph)", *timed(oxigraph_load, args.repeat)))
    rows.append(("parse (rdflib Dataset, baseline)", *timed(rdflib_load, args.repeat)))
    rows.append(("parse + derive edges (Oxigraph)", *timed(lambda: derive(oxigraph_load()), args.repeat)))
    rows.append(
        (
            "parse + derive edges (rdflib, baseline)",
            *timed(lambda: rdflib_derive(rdflib_load()), max(1, args.repeat // 2)),
        )
    )
    rows.append(("validate: syntax + SHACL", *timed(lambda: validate_bundle(default_bundle()), 1)))
    seeds = Path(__file__).resolve().parents[2] / "shared" / "seeds"
    if seeds.is_dir():
        rows.append(("validate: syntax + SHACL + quotes", *timed(lambda: validate_bundle(default_bundle(), seeds), 1)))

    print(f"\n{'step':<40} {'median s':>10} {'best s':>10}")
    for name, median, best in rows:
        print(f"{name:<40} {median:>10.3f} {best:>10.3f}")
    ox_derive, rdf_derive = rows[2][1], rows[3][1]
    print(f"\nload+derive: Oxigraph is {rdf_derive / ox_derive:.1f}x faster than the rdflib baseline")
    derived = ox.Store()
    parse_into(derived, files)
    added = derive(derived)
    print(f"derived triples per rule: {added}")
    print(f"peak resident memory of this process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
