"""Where the bundled ontology, data, shapes and example queries live.

An installed wheel carries them inside the package (``casec/bundled/``); a
source checkout has them at the top of the repository. Everything that reads
them asks a :class:`Bundle`, so a test or a user can point casec at other
folders.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Bundle:
    ontology: Path
    data: Path
    shapes: Path
    queries: Path

    @classmethod
    def at(cls, root: Path) -> Bundle:
        return cls(root / "ontology", root / "data", root / "shapes", root / "queries")

    def ontology_files(self) -> list[Path]:
        return sorted(self.ontology.glob("*.ttl"))

    def data_files(self) -> list[Path]:
        return sorted(self.data.rglob("*.ttl"))

    def shape_files(self) -> list[Path]:
        return sorted(self.shapes.glob("*.ttl"))


def default_bundle() -> Bundle:
    """The bundle named by ``CASEC_ROOT``, else the packaged one, else the checkout."""
    if root := os.environ.get("CASEC_ROOT"):
        return Bundle.at(Path(root))
    packaged = _PACKAGE / "bundled"
    if (packaged / "ontology").is_dir():
        return Bundle.at(packaged)
    return Bundle.at(_PACKAGE.parents[1])
