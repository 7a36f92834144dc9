"""Six example queries are written for speed (bench/README.md); they answer exactly as their plain formulations.

The plain formulations, as first written, are kept in tests/fixtures/reference-queries: the same rows, in the same
order where the query orders them. A change to the data or the model that makes the two disagree shows here.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from casec.bundle import Bundle
from casec.store.embedded import EmbeddedStore

REFERENCE = Path(__file__).parent / "fixtures" / "reference-queries"


def rows(store: EmbeddedStore, sparql: str) -> tuple[list[str], list[tuple[str | None, ...]]]:
    result = store.select(sparql)
    names = [variable.value for variable in result.variables]
    return names, [tuple(cell(n, row[n]) for n in names) for row in result]


def cell(name: str, term: object) -> str | None:
    """A column's value; a concatenated list (``?quotes``) as its sorted parts, since GROUP_CONCAT's order is
    not defined by SPARQL."""
    if term is None:
        return None
    if name == "quotes":
        return " | ".join(sorted(str(getattr(term, "value", term)).split(" | ")))
    return str(term)


@pytest.mark.parametrize("name", sorted(path.stem for path in REFERENCE.glob("*.rq")))
def test_the_fast_query_answers_as_the_plain_one(store: EmbeddedStore, bundle: Bundle, name: str) -> None:
    fast_names, fast = rows(store, (bundle.queries / f"{name}.rq").read_text(encoding="utf-8"))
    plain_names, plain = rows(store, (REFERENCE / f"{name}.rq").read_text(encoding="utf-8"))
    assert fast_names == plain_names
    assert fast, f"{name} answers nothing: the comparison would prove nothing"
    assert sorted(fast, key=repr) == sorted(plain, key=repr)
    # where the plain query's ORDER BY decides, the order is the same (ties may fall either way)
    assert [ordered_by(name, row) for row in fast] == [ordered_by(name, row) for row in plain]


def ordered_by(name: str, row: tuple[str | None, ...]) -> tuple[str | None, ...]:
    """The columns the plain query orders by (all of them: a total order)."""
    return row
