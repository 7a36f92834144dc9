"""Turn the bundle's Turtle files into a store: each source's statements in the
named graph of that source, everything else in the default graph, then the
derived direct edges (see :mod:`casec.derive`)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from casec.bundle import Bundle
from casec.errors import LoadError, ParseError
from casec.store.derive import derive
from casec.vocab import SOURCE


@dataclass(frozen=True)
class DataFile:
    """An RDF file and the named graph its triples go to (None: the default graph)."""

    path: Path
    graph: str | None = None


def graph_of(path: Path, bundle: Bundle) -> str | None:
    """``data/sources/<stem>[.part].ttl`` holds the statements of source <stem>."""
    sources = bundle.data / "sources"
    if path.parent.resolve() == sources.resolve():
        return SOURCE + path.name.split(".", 1)[0]
    return None


def bundle_files(bundle: Bundle) -> list[DataFile]:
    files = [DataFile(path) for path in bundle.ontology_files()]
    files += [DataFile(path, graph_of(path, bundle)) for path in bundle.data_files()]
    return files


def parse_into(store: ox.Store, files: list[DataFile]) -> list[ParseError]:
    """Load each file; a file that does not parse is reported and left out."""
    errors: list[ParseError] = []
    for file in files:
        target = ox.NamedNode(file.graph) if file.graph else None
        try:
            store.load(path=file.path, format=_format(file.path), to_graph=target)
        except SyntaxError as error:
            message = str(error.msg if hasattr(error, "msg") else error)
            errors.append(ParseError(file.path, error.lineno, error.offset, message))
        except (ValueError, OSError) as error:
            errors.append(ParseError(file.path, None, None, str(error)))
    return errors


def holds_triples(path: Path) -> bool:
    """False for a file with no triple in it (0 bytes, or only prefixes and comments). Reads up to the first
    triple; a file that breaks before one is left to the loader, which says where."""
    try:
        return next(iter(ox.parse(path=path, format=_format(path))), None) is not None
    except SyntaxError:
        return True


def _format(path: Path) -> ox.RdfFormat:
    suffix = path.suffix.lower().lstrip(".")
    known = {
        "ttl": ox.RdfFormat.TURTLE,
        "trig": ox.RdfFormat.TRIG,
        "nt": ox.RdfFormat.N_TRIPLES,
        "nq": ox.RdfFormat.N_QUADS,
        "rdf": ox.RdfFormat.RDF_XML,
        "owl": ox.RdfFormat.RDF_XML,
        "jsonld": ox.RdfFormat.JSON_LD,
    }
    if suffix not in known:
        raise ValueError(f"unknown RDF file extension .{suffix} (use .ttl, .trig, .nt, .nq, .rdf or .jsonld)")
    return known[suffix]


def build_store(files: list[DataFile]) -> ox.Store:
    """An in-memory store holding the files and the edges derived from them."""
    store = ox.Store()
    errors = parse_into(store, files)
    if errors:
        raise LoadError(errors)
    derive(store)
    return store
