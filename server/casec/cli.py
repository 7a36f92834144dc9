"""The ``casec`` command: validate, stats, query, conflicts."""

from __future__ import annotations

import argparse
import io
import json
import sys
from collections.abc import Sequence
from pathlib import Path

import pyoxigraph as ox

from . import __version__
from .bundle import Bundle, default_bundle
from .load import LoadError, bundle_files
from .namespaces import PREFIXES
from .store import EmbeddedStore

EXIT_OK, EXIT_PROBLEMS, EXIT_ERROR = 0, 1, 2


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "run"):
        parser.print_help()
        return EXIT_ERROR
    try:
        return args.run(args)
    except LoadError as error:
        print(f"casec: the data does not load; run 'casec validate' for details:\n{error}", file=sys.stderr)
        return EXIT_ERROR
    except (OSError, ValueError) as error:
        print(f"casec: {error}", file=sys.stderr)
        return EXIT_ERROR


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="casec",
        description="casec, the Central Asian security knowledge graph: every fact traced to a quote.",
        epilog="Environment: CASEC_ROOT points at a folder holding ontology/, data/, shapes/ and queries/ "
        "to use instead of the bundled graph.",
    )
    parser.add_argument("--version", action="version", version=f"casec {__version__}")
    parser.add_argument(
        "--root", type=Path, help="folder with ontology/, data/, shapes/, queries/ (default: the bundled graph)"
    )
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")

    validate = commands.add_parser(
        "validate",
        help="check syntax, SHACL shapes and (with --sources) every quote",
        description="Parse all Turtle, run the SHACL shapes with the ontology, check that each statement file cites "
        "its own source and, with --sources, that every oa:exact quote occurs in its source text on the "
        "cited line. Exit 0 valid, 1 problems found, 2 could not run.",
    )
    validate.add_argument(
        "--format",
        choices=("text", "json", "junit", "github"),
        default="text",
        help="text for people; json, junit or github (workflow annotations) for CI",
    )
    validate.add_argument(
        "--sources",
        type=Path,
        nargs="?",
        const=Path("../shared/seeds"),
        default=None,
        metavar="DIR",
        help="folder of the source .txt files (default when given without DIR: ../shared/seeds)",
    )
    validate.set_defaults(run=_validate)

    stats = commands.add_parser(
        "stats",
        help="count entities per class and statements per source",
        description="Count entities per class and statements and quotes per source.",
    )
    stats.add_argument("--format", choices=("table", "json"), default="table")
    stats.set_defaults(run=_stats)

    query = commands.add_parser(
        "query",
        help="run a SPARQL query on the bundled graph",
        description="Run a SPARQL 1.1 query on the graph (all named graphs are visible as the "
        "default graph; GRAPH ?source {...} tells which source says what).",
    )
    query.add_argument("sparql", help="the query text, or @FILE to read it from a file")
    query.add_argument("--format", choices=("table", "csv", "json"), default="table")
    query.set_defaults(run=_query)

    conflicts = commands.add_parser(
        "conflicts",
        help="list statements the sources disagree on, with both quotes",
        description="List pairs of statements on the same subject and relation whose values differ, between sources "
        "or within one (queries/conflicts.rq), each with its source, line and quote.",
    )
    conflicts.add_argument("--format", choices=("text", "json"), default="text")
    conflicts.set_defaults(run=_conflicts)
    return parser


def _bundle(args: argparse.Namespace) -> Bundle:
    return Bundle.at(args.root) if args.root else default_bundle()


def _store(args: argparse.Namespace) -> EmbeddedStore:
    return EmbeddedStore(bundle_files(_bundle(args)))


def _validate(args: argparse.Namespace) -> int:
    from .findings_format import render
    from .validate import validate_bundle

    bundle = _bundle(args)
    for folder in (bundle.ontology, bundle.data, bundle.shapes):
        if not folder.is_dir():
            print(f"casec validate: {folder} is not a folder", file=sys.stderr)
            return EXIT_ERROR
    if args.sources is not None and not args.sources.is_dir():
        print(f"casec validate: the sources folder {args.sources} does not exist", file=sys.stderr)
        return EXIT_ERROR
    report = validate_bundle(bundle, args.sources)
    sys.stdout.write(render(report, args.format))
    return EXIT_OK if report.valid else EXIT_PROBLEMS


def _stats(args: argparse.Namespace) -> int:
    from .stats import class_counts, source_counts

    store = _store(args)
    classes, sources = class_counts(store.oxigraph), source_counts(store.oxigraph)
    if args.format == "json":
        print(
            json.dumps(
                {
                    "triples": len(store),
                    "classes": [{"class": c.iri, "label": c.label, "count": c.count} for c in classes],
                    "sources": [
                        {"source": s.iri, "label": s.label, "statements": s.count, "quotes": s.extra} for s in sources
                    ],
                },
                indent=2,
                ensure_ascii=False,
            )
        )
        return EXIT_OK
    print(f"{len(store)} triples\n")
    print(_table(["class", "count"], [[c.label or c.iri, str(c.count)] for c in classes]))
    print()
    print(
        _table(
            ["source", "statements", "quotes"],
            [[s.iri.rsplit("/", 1)[-1], str(s.count), str(s.extra)] for s in sources],
        )
    )
    return EXIT_OK


def _query(args: argparse.Namespace) -> int:
    text = Path(args.sparql[1:]).read_text(encoding="utf-8") if args.sparql.startswith("@") else args.sparql
    try:
        result = _store(args).query(text)
    except SyntaxError as error:
        print(f"casec query: {error}", file=sys.stderr)
        return EXIT_ERROR
    if isinstance(result, ox.QueryBoolean):
        print(json.dumps({"head": {}, "boolean": bool(result)}) if args.format == "json" else str(bool(result)).lower())
    elif isinstance(result, ox.QueryTriples):
        sys.stdout.write(result.serialize(format=ox.RdfFormat.TURTLE).decode())
    elif args.format == "table":
        names = [v.value for v in result.variables]
        rows = [[_show(row[name]) for name in names] for row in result]
        print(_table(names, rows))
        print(f"({len(rows)} rows)")
    else:
        fmt = ox.QueryResultsFormat.CSV if args.format == "csv" else ox.QueryResultsFormat.JSON
        buffer = io.BytesIO()
        result.serialize(buffer, format=fmt)
        sys.stdout.write(buffer.getvalue().decode())
    return EXIT_OK


def _conflicts(args: argparse.Namespace) -> int:
    from .conflicts import find_conflicts

    found = find_conflicts(_store(args), _bundle(args))
    if args.format == "json":
        print(json.dumps([c.as_dict() for c in found], indent=2, ensure_ascii=False))
        return EXIT_OK
    for conflict in found:
        print(f"{_short(conflict.subject)} {_short(conflict.relation)}:")
        for claim in (conflict.a, conflict.b):
            print(f"  {_short(claim.value)} according to {_short(claim.source)}, line {claim.line}:")
            print(f'    "{claim.quote}"  ({_short(claim.statement)})')
    print(f"{len(found)} disagreement(s)")
    return EXIT_OK


def _short(iri: str) -> str:
    for name, namespace in PREFIXES.items():
        if iri.startswith(namespace):
            return f"{name}:{iri[len(namespace) :]}"
    return iri


def _show(term: ox.NamedNode | ox.BlankNode | ox.Literal | None) -> str:
    if term is None:
        return ""
    return term.value


def _table(header: list[str], rows: list[list[str]]) -> str:
    widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(header)]
    line = "  ".join(h.ljust(w) for h, w in zip(header, widths, strict=False))
    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line, rule] + ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=False)) for r in rows])


if __name__ == "__main__":
    sys.exit(main())
