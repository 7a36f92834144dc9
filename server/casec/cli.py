"""The ``casec`` command. Each subcommand lives in its own module under :mod:`casec.commands`."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from casec import __version__
from casec.commands import conflicts, coverage, export, graph, load, query, search, serve, stats, validate
from casec.commands.common import EXIT_ERROR, Command, Run
from casec.errors import LoadError, Refusal
from casec.sparql.sandbox import SandboxUnavailable

COMMANDS: tuple[Command, ...] = (validate, stats, query, search, conflicts, coverage, serve, load, graph, export)


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "run"):
        parser.print_help()
        return EXIT_ERROR
    run: Run = args.run
    try:
        return run(args)
    except Refusal as error:  # the same refusals the server answers with a 4xx or 5xx
        print(f"casec: {error.message}", file=sys.stderr)
        return EXIT_ERROR
    except SandboxUnavailable as error:
        print(
            f"casec: {error}; refusing to run queries unconfined (CASEC_ALLOW_UNSANDBOXED=1 overrides)", file=sys.stderr
        )
        return EXIT_ERROR
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
    for command in COMMANDS:
        command.register(commands)
    return parser


if __name__ == "__main__":
    sys.exit(main())
