"""The errors that cross layers: a refusal with its HTTP status, a store out of reach, data that does not load.

They live here, below every package, so that the web layer and the commands can catch what the store and
the SPARQL pipeline raise without importing their implementations."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


class Refusal(Exception):
    """A request that will not get the answer it asked for; ``status`` is the HTTP status to answer with."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


class StoreUnavailable(RuntimeError):
    """The external store could not be reached or refused the request."""


class LoadError(Exception):
    """The files could not be loaded; ``errors`` says where."""

    def __init__(self, errors: list[ParseError]) -> None:
        super().__init__("\n".join(str(error) for error in errors))
        self.errors = errors


@dataclass(frozen=True)
class ParseError:
    path: Path
    line: int | None
    column: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}:{self.column}" if self.line else str(self.path)
        return f"{where}: {self.message}"
