"""Server settings: one dataclass, filled from flags over environment variables over defaults."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path

ENV_PREFIX = "CASEC_"


@dataclass(frozen=True)
class Settings:
    host: str = "127.0.0.1"
    port: int = 8080
    workers: int = 4
    query_timeout: float = 10.0
    read_timeout: float = 10.0  # seconds a client has to send a whole request (headers and body); else 408
    max_rows: int = 100_000
    max_body: int = 1_000_000
    base_url: str = ""
    data: tuple[Path, ...] = field(default_factory=tuple)
    store: str = ""  # sparql+http://HOST:PORT/PATH: an external SPARQL store instead of the embedded one
    query_memory: int = 1024  # MB a query executor may allocate beyond the store it shares
    allow_unsandboxed: bool = False  # run queries even where the seccomp sandbox is unavailable

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: object) -> Settings:
        """Defaults, then ``CASEC_<NAME>`` variables, then the non-None overrides (flags)."""
        variables: Mapping[str, str] = os.environ if environ is None else environ
        values: dict[str, object] = {}
        for spec in fields(cls):
            raw = variables.get(ENV_PREFIX + spec.name.upper())
            if raw is not None and raw != "":
                values[spec.name] = _convert(spec.name, raw)
        values.update({name: value for name, value in overrides.items() if value is not None})
        if "data" in values:
            values["data"] = tuple(Path(str(p)) for p in values["data"])  # type: ignore[attr-defined]
        return cls(**values)  # type: ignore[arg-type]

    def public_base(self) -> str:
        """The URL the server is reached at (``--base-url``), without a trailing slash."""
        return (self.base_url or f"http://{self.host}:{self.port}").rstrip("/")


def _convert(name: str, raw: str) -> object:
    kinds = {
        "port": int,
        "workers": int,
        "max_rows": int,
        "max_body": int,
        "query_timeout": float,
        "read_timeout": float,
        "query_memory": int,
    }
    if name == "data":
        return tuple(raw.split(os.pathsep))
    if name == "allow_unsandboxed":
        if raw.lower() not in ("1", "true", "yes", "0", "false", "no"):
            raise ValueError(f"{ENV_PREFIX}{name.upper()}={raw!r} is not a valid {name}: use 1 or 0")
        return raw.lower() in ("1", "true", "yes")
    try:
        return kinds.get(name, str)(raw)
    except ValueError as error:
        raise ValueError(f"{ENV_PREFIX}{name.upper()}={raw!r} is not a valid {name}") from error
