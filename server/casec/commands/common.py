"""What every subcommand shares: exit codes, the bundle and store named by the flags, table output."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Protocol, TypeAlias

from casec.bundle import Bundle, default_bundle
from casec.store.embedded import EmbeddedStore
from casec.store.load import bundle_files
from casec.vocab import PREFIXES

EXIT_OK, EXIT_PROBLEMS, EXIT_ERROR = 0, 1, 2
# what ``add_subparsers`` returns: each command module adds its parser to it (generic to type checkers only)
Subcommands: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"
# what a command module sets as ``run`` (``set_defaults(run=run)``): the parsed arguments in, the exit code out
Run = Callable[[argparse.Namespace], int]


class Command(Protocol):
    """A module under :mod:`casec.commands`, as ``cli`` uses it."""

    def register(self, commands: Subcommands) -> None: ...


def bundle_of(args: argparse.Namespace) -> Bundle:
    return Bundle.at(args.root) if args.root else default_bundle()


def store_of(args: argparse.Namespace) -> EmbeddedStore:
    return EmbeddedStore(bundle_files(bundle_of(args)))


def short(iri: str) -> str:
    """The prefixed name of an IRI in casec's namespaces, else the IRI."""
    for name, namespace in PREFIXES.items():
        if iri.startswith(namespace):
            return f"{name}:{iri[len(namespace) :]}"
    return iri


def table(header: list[str], rows: list[list[str]]) -> str:
    widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(header)]
    line = "  ".join(h.ljust(w) for h, w in zip(header, widths, strict=False))
    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line, rule] + ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=False)) for r in rows])
