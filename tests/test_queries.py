"""The example queries in queries/ answer what the documents state."""

from __future__ import annotations

import pytest

from casec.bundle import Bundle
from casec.store import EmbeddedStore

SIX_SCO_MEMBERS = {"China", "Russia", "Kazakhstan", "Kyrgyzstan", "Tajikistan", "Uzbekistan"}


def run(store: EmbeddedStore, bundle: Bundle, name: str) -> list[dict[str, str]]:
    result = store.query((bundle.queries / f"{name}.rq").read_text(encoding="utf-8"))
    names = [v.value for v in result.variables]
    return [{n: row[n].value for n in names if row[n] is not None} for row in result]


def test_every_query_states_its_question_and_runs(store: EmbeddedStore, bundle: Bundle) -> None:
    queries = sorted(bundle.queries.glob("*.rq"))
    assert len(queries) >= 6
    for path in queries:
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("# ") and first.endswith("?"), path
        assert run(store, bundle, path.stem), f"{path.name} returns nothing"


def test_sco_members_in_2013(store: EmbeddedStore, bundle: Bundle) -> None:
    # 002 (2013) and 004 (2014) both name the six members the SCO had then.
    rows = run(store, bundle, "members-in-year")
    by_source: dict[str, set[str]] = {}
    for row in rows:
        by_source.setdefault(row["source"].rsplit("/", 1)[-1], set()).add(row["label"])
    assert by_source["002_b3e1b6c5754170bd"] == SIX_SCO_MEMBERS
    assert by_source["004_dc7120b301c5bf91"] == SIX_SCO_MEMBERS


def test_members_of_both_organizations_in_2020(store: EmbeddedStore, bundle: Bundle) -> None:
    # 000, line 258: the common full members of the SCO and the CSTO.
    labels = {row["label"] for row in run(store, bundle, "members-of-both")}
    assert labels == {"Russia", "Tajikistan", "Kazakhstan", "Kyrgyzstan"}


def test_uzbekistan_csto_history_keeps_each_sources_words(store: EmbeddedStore, bundle: Bundle) -> None:
    rows = run(store, bundle, "uzbekistan-csto-history")
    sources = {row["source"].rsplit("/", 1)[-1][:3] for row in rows}
    assert {"000", "001", "002", "004"} <= sources
    ends = {(row.get("end", "")[:4], row.get("endType", "").rsplit("#", 1)[-1]) for row in rows}
    assert ("2012", "Withdrawal") in ends and ("2012", "Suspension") in ends


@pytest.mark.parametrize(
    ("organization", "threat"),
    [
        ("Shanghai Cooperation Organization", "terrorism"),
        ("Collective Security Treaty Organization", "drug trafficking"),
    ],
)
def test_threats_each_organization_addresses(
    store: EmbeddedStore, bundle: Bundle, organization: str, threat: str
) -> None:
    rows = run(store, bundle, "threats-by-organization")
    assert any(r["organization"] == organization and r["threat"] == threat for r in rows)


def test_exercises_have_dates_and_participants(store: EmbeddedStore, bundle: Bundle) -> None:
    rows = run(store, bundle, "exercises")
    assert any("Peace Mission" in r["label"] and r.get("participants") for r in rows)
