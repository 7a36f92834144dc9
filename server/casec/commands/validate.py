"""``casec validate``: syntax, SHACL shapes and (with --sources) every quote."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from casec.commands.common import EXIT_ERROR, EXIT_OK, EXIT_PROBLEMS, Subcommands, bundle_of


def register(commands: Subcommands) -> None:
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
    validate.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from casec.curation.report_format import render
    from casec.curation.validate import validate_bundle

    bundle = bundle_of(args)
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
