"""The bundled graph: valid, every quote in its source, and the facts the
documents state are there (asserted against the texts, not against today's output)."""

from __future__ import annotations

from pathlib import Path

import pycountry
import pytest

from casec.bundle import Bundle
from casec.curation.validate import validate_bundle
from casec.store.embedded import EmbeddedStore
from casec.vocab import sparql_prologue

SOURCE_000 = "https://w3id.org/casec/id/source/000_cf6bc392400e9cf7"
DERIVED = (
    "memberOf",
    "observerOf",
    "dialoguePartnerOf",
    "partnerOf",
    "applicantTo",
    "holdsPostIn",
    "fromYear",
    "toYear",
    "startYear",
    "endYear",
    "atYear",
    "reportedYear",
    "source",
)


def _select(store: EmbeddedStore, query: str) -> list[dict[str, str]]:
    result = store.select(sparql_prologue() + query)
    names = [v.value for v in result.variables]
    return [{n: row[n].value for n in names if row[n] is not None} for row in result]


def test_the_bundled_data_passes_every_check(bundle: Bundle, seeds: Path) -> None:
    report = validate_bundle(bundle, seeds)
    assert [f"{f.file}: {f.focus}: {f.message}" for f in report.findings] == []
    assert report.quotes_checked and report.quotes_checked > 1000


def test_every_state_has_a_real_iso_code(store: EmbeddedStore) -> None:
    rows = _select(
        store, "SELECT ?state ?label ?code WHERE { ?state a casec:State ; rdfs:label ?label ; casec:iso3 ?code }"
    )
    assert len(rows) >= 20
    for row in rows:
        country = pycountry.countries.get(alpha_3=row["code"]) or pycountry.historic_countries.get(alpha_3=row["code"])
        assert country is not None, row


def test_derived_edges_are_never_written_by_hand(bundle: Bundle) -> None:
    for path in bundle.data_files():
        text = path.read_text(encoding="utf-8")
        for name in DERIVED:
            assert f"casec:{name} " not in text, f"{path} writes the derived casec:{name}"


@pytest.mark.parametrize(
    "source",
    [
        "000_cf6bc392400e9cf7",
        "001_69e3e1bd891962e3",
        "002_b3e1b6c5754170bd",
        "003_df78db9f75221ab8",
        "004_dc7120b301c5bf91",
    ],
)
def test_each_source_has_its_named_graph_of_statements(store: EmbeddedStore, source: str) -> None:
    rows = _select(store, f"SELECT (COUNT(?s) AS ?n) WHERE {{ GRAPH src:{source} {{ ?s casec:evidence ?e }} }}")
    assert int(rows[0]["n"]) >= 50


def test_the_2020_membership_table_of_source_000(store: EmbeddedStore) -> None:
    # 000, line 258-260: SCO full members, observers and dialogue partners as of 2020.
    def members(role: str) -> set[str]:
        rows = _select(
            store,
            f"""SELECT ?label WHERE {{ GRAPH <{SOURCE_000}> {{
            ?m a casec:Membership ; org:member ?s ; org:organization orgn:sco ; org:role casec:{role} }}
            ?s rdfs:label ?label }}""",
        )
        return {r["label"] for r in rows}

    assert members("Member") >= {
        "Russia",
        "Tajikistan",
        "Kazakhstan",
        "Kyrgyzstan",
        "China",
        "Uzbekistan",
        "Pakistan",
        "India",
    }
    assert members("Observer") >= {"Afghanistan", "Belarus", "Iran", "Mongolia"}
    assert members("DialoguePartner") >= {"Armenia", "Azerbaijan", "Cambodia", "Nepal", "Sri Lanka", "Turkey"}


def test_members_in_a_year_is_a_simple_query(store: EmbeddedStore) -> None:
    rows = _select(
        store,
        """SELECT DISTINCT ?label WHERE {
        ?m a casec:Membership ; org:member ?s ; org:organization orgn:sco ; org:role casec:Member ;
           casec:fromYear ?from ; casec:toYear ?to . FILTER (?from <= 2020 && 2020 <= ?to)
        ?s rdfs:label ?label }""",
    )
    assert {"India", "Pakistan"} <= {r["label"] for r in rows}


def test_direct_edges_are_derived_from_statements(store: EmbeddedStore) -> None:
    assert store.ask(sparql_prologue() + "ASK { state:india casec:memberOf orgn:sco }")
    assert store.ask(sparql_prologue() + "ASK { orgn:csto casec:addresses threat:drug-trafficking }")


def test_uzbekistan_leaving_the_csto_is_kept_with_each_sources_wording(store: EmbeddedStore) -> None:
    rows = _select(
        store,
        """SELECT ?source ?quote WHERE {
        GRAPH ?source { ?m a casec:Membership ; org:member state:uzbekistan ; org:organization orgn:csto ;
                        casec:evidence/oa:hasSelector/oa:exact ?quote } }""",
    )
    quotes = " ".join(r["quote"] for r in rows)
    assert "left CST and CSTO two times" in quotes  # 000, line 175
    assert len({r["source"] for r in rows}) >= 2


def test_conflicts_surface_uzbekistans_2012_exit_worded_left_and_suspended(
    store: EmbeddedStore, bundle: Bundle
) -> None:
    from casec.facts.conflicts import find_conflicts

    found = [d for d in find_conflicts(store, bundle) if d.subject.endswith("/state/uzbekistan")]
    assert [d.organization for d in found] == ["https://w3id.org/casec/id/org/csto"]  # one entry, about the CSTO
    in_2012 = dict(found[0].points)[2012]
    assert {"withdrawal", "suspension"} <= set(in_2012)
    quotes = " ".join(q.text for c in found[0].claims for q in c.quotes).casefold()
    assert "suspended" in quotes and ("left" in quotes or "withdr" in quotes)
