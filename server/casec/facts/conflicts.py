"""Where the sources disagree: pairs of statements on the same subject and
relation with different values, each with its quote. The query itself is
``queries/conflicts.rq``, so the command and the endpoint answer alike."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from casec.bundle import Bundle
from casec.store.interface import GraphStore


@dataclass(frozen=True)
class Claim:
    statement: str
    value: str
    source: str
    line: int
    quote: str


@dataclass(frozen=True)
class Conflict:
    subject: str
    relation: str
    a: Claim
    b: Claim

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def find_conflicts(store: GraphStore, bundle: Bundle) -> list[Conflict]:
    query = (bundle.queries / "conflicts.rq").read_text(encoding="utf-8")
    conflicts = []
    for row in store.select(query):
        claims = [
            Claim(
                row[f"{side}"].value,
                row[f"value{side.upper()}"].value,
                row[f"source{side.upper()}"].value,
                int(row[f"line{side.upper()}"].value),
                row[f"quote{side.upper()}"].value,
            )
            for side in "ab"
        ]
        conflicts.append(Conflict(row["subject"].value, row["relation"].value, *claims))
    return conflicts
