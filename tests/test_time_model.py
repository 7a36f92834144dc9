"""The time model answers "who held what, in which role, in year Y" as the five texts state it, with the basis of
each year (docs/time-model.md). Every assertion names the passages it rests on."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest

from casec.bundle import Bundle
from casec.store.embedded import EmbeddedStore
from casec.store.load import bundle_files
from casec.vocab import CASEC, ID, sparql_prologue

SCO, CSTO, SHANGHAI_FIVE, CACO = (
    ID + "org/" + s for s in ("sco", "csto", "shanghai-five", "central-asian-cooperation-organization")
)
MEMBER, OBSERVER, DIALOGUE_PARTNER = CASEC + "Member", CASEC + "Observer", CASEC + "DialoguePartner"
STATED, INFERRED, OPEN = "stated", "inferred", "open"
YEARS = range(1991, 2025)


def select(store: EmbeddedStore, query: str) -> list[dict[str, str]]:
    result = store.select(sparql_prologue() + query)
    names = [v.value for v in result.variables]
    return [{n: row[n].value for n in names if row[n] is not None} for row in result]


def held(store: EmbeddedStore, holder: str, organization: str, role: str) -> dict[int, str]:
    """Year -> basis of the periods in which ``holder`` held ``role`` in ``organization``."""
    rows = select(
        store,
        f"""SELECT ?from ?to ?basis WHERE {{
        ?p a casec:StatusPeriod ; org:member <{holder}> ; org:organization <{organization}> ; org:role <{role}> ;
           casec:fromYear ?from ; casec:toYear ?to ; casec:basis/rdfs:label ?basis }}""",
    )
    years: dict[int, str] = {}
    for row in rows:
        for year in range(int(row["from"]), int(row["to"]) + 1):
            assert year not in years, f"two periods of one status cover {year}"
            years[year] = row["basis"]
    return years


def members_in(store: EmbeddedStore, organization: str, year: int, role: str = MEMBER) -> dict[str, str]:
    """Holder -> basis: the members (in ``role``) of ``organization`` in ``year``, as the documented query asks."""
    rows = select(
        store,
        f"""SELECT ?member ?basis WHERE {{
        ?p a casec:StatusPeriod ; org:organization <{organization}> ; org:member ?member ; org:role <{role}> ;
           casec:fromYear ?from ; casec:toYear ?to ; casec:basis/rdfs:label ?basis .
        FILTER (?from <= {year} && {year} <= ?to) }}""",
    )
    return {row["member"].rsplit("/", 1)[-1]: row["basis"] for row in rows}


def state(name: str) -> str:
    return ID + "state/" + name


# ---- the answers the issue names ----------------------------------------------------------------------------------


@pytest.mark.parametrize("year", [2015, 2016])
def test_four_states_are_members_of_both_organizations_between_the_sources(store: EmbeddedStore, year: int) -> None:
    # 004 (2014, lines 190-193 and 1227-1230) and 001 (2017, lines 63-65 and 257) both place Kazakhstan,
    # Kyrgyzstan, Russia and Tajikistan in the SCO and the CSTO; no source records a change between: inferred.
    sco, csto = members_in(store, SCO, year), members_in(store, CSTO, year)
    for name in ("kazakhstan", "kyrgyzstan", "russia", "tajikistan"):
        assert sco[name] == csto[name] == INFERRED, (name, year)


def test_the_shanghai_five_ends_when_the_sco_succeeds_it(store: EmbeddedStore) -> None:
    # 004 line 190 ("the Shanghai Five ... transformed into the SCO" in 2001) and the SCO's founding in June 2001.
    assert {"china", "kazakhstan", "kyrgyzstan", "russia", "tajikistan"} <= set(members_in(store, SHANGHAI_FIVE, 1998))
    for year in range(2002, 2025):
        assert members_in(store, SHANGHAI_FIVE, year) == {}, year
    # its founders are members from 1996, as 004 dates their founding, up to 2001
    years = held(store, state("kazakhstan"), SHANGHAI_FIVE, MEMBER)
    assert min(years) == 1996 and max(years) == 2001 and years[1996] == STATED


def test_the_central_asian_cooperation_organization_ends_in_2005(store: EmbeddedStore) -> None:
    # 004 line 1222: the CACO "existed from the year 2002 up to 2005".
    assert set(members_in(store, CACO, 2003)) >= {"kazakhstan", "kyrgyzstan", "tajikistan", "uzbekistan"}
    for year in range(2006, 2025):
        assert members_in(store, CACO, year) == {}, year


def test_uzbekistan_was_a_csto_member_in_two_periods(store: EmbeddedStore) -> None:
    # 000 line 175 ("left CST and CSTO two times"), 001 lines 247-249 (withdrew 1999, rejoined 2006, left 2012),
    # 004 (suspended 1999 and 2012), 002 (suspended 2012), 003 ("left").
    years = held(store, state("uzbekistan"), CSTO, MEMBER)
    assert set(years) == set(range(1994, 2000)) | set(range(2006, 2013))
    assert all(basis == STATED for basis in years.values())
    for year in [*range(2000, 2006), *range(2013, 2025)]:
        assert "uzbekistan" not in members_in(store, CSTO, year), year


def test_uzbekistans_first_csto_membership_predates_the_organization_and_is_flagged(store: EmbeddedStore) -> None:
    # 001 line 241 and 004 line 255 date the CSTO to 2002; 000 dates the membership 1994-1999: the Treaty's time.
    rows = select(
        store,
        """SELECT ?from ?predecessor WHERE {
        ?p a casec:StatusPeriod ; org:member state:uzbekistan ; org:organization orgn:csto ; org:role casec:Member ;
           casec:fromYear ?from ; casec:beforeOrganization true . OPTIONAL { ?p casec:predecessor ?predecessor } }""",
    )
    assert {int(r["from"]) for r in rows} == {1994}
    assert {r.get("predecessor") for r in rows} == {ID + "agreement/collective-security-treaty"}


def test_uzbekistan_after_2012_left_or_suspended_is_disputed_not_resolved(store: EmbeddedStore) -> None:
    # 000 line 175: left and "not its member currently"; 001 line 51 and 002: suspended its membership.
    rows = select(
        store,
        """SELECT ?kind ?role WHERE {
        ?p a ?kind ; org:member state:uzbekistan ; org:organization orgn:csto ;
           casec:fromYear ?from ; casec:toYear ?to ; casec:disputed true . OPTIONAL { ?p org:role ?role }
        FILTER (?from <= 2014 && 2014 <= ?to && ?kind IN (casec:StatusPeriod, casec:AbsencePeriod)) }""",
    )
    assert {(r["kind"].rsplit("#")[-1], r.get("role", "").rsplit("#")[-1]) for r in rows} == {
        ("AbsencePeriod", ""),
        ("StatusPeriod", "SuspendedMember"),
    }


@pytest.mark.parametrize("name", ["india", "pakistan"])
def test_india_and_pakistan_are_observers_until_2017_and_members_from_2017(store: EmbeddedStore, name: str) -> None:
    # 004 line 641: observers since 2005; 001 (2017) still lists them as observers; 000 line 231: members in 2017.
    observer, member = held(store, state(name), SCO, OBSERVER), held(store, state(name), SCO, MEMBER)
    assert min(observer) == 2005 and max(observer) == 2017
    assert min(member) == 2017 and max(member) == 2024
    assert observer[2005] == member[2017] == STATED and observer[2010] == INFERRED and member[2024] == OPEN
    assert not any(
        p.get("disputed")
        for p in select(
            store,
            f"SELECT ?disputed WHERE {{ ?p org:member state:{name} ; "
            "org:organization orgn:sco ; casec:disputed ?disputed }",
        )
    )


def test_belarus_is_not_both_sco_observer_and_dialogue_partner_in_2017(store: EmbeddedStore) -> None:
    # 001 line 257: Belarus "raised from dialogue partner to observer"; 004: dialogue partner since 2009.
    partner, observer = (
        held(store, state("belarus"), SCO, DIALOGUE_PARTNER),
        held(store, state("belarus"), SCO, OBSERVER),
    )
    assert partner[2009] == STATED and max(partner) < 2017 and min(observer) <= 2017
    assert not set(partner) & set(observer)


def test_lifespans_end_with_dissolution_and_succession_but_an_agreement_lives_on(store: EmbeddedStore) -> None:
    def span(entity: str) -> tuple[str | None, str | None]:
        rows = select(
            store,
            f"SELECT ?from ?to WHERE {{ OPTIONAL {{ {entity} casec:lifespanFrom ?from }} "
            f"OPTIONAL {{ {entity} casec:lifespanTo ?to }} }}",
        )
        return rows[0].get("from"), rows[0].get("to")

    assert span("orgn:shanghai-five") == ("1996", "2001")  # 004: founded 1996; succeeded by the SCO in 2001
    assert span("orgn:central-asian-cooperation-organization") == ("2002", "2005")  # 004 line 1222
    # The Collective Security Treaty became the CSTO (000, 002) but, a treaty, it does not end with that.
    assert span("agreement:collective-security-treaty") == ("1992", None)  # signed 15 May 1992 (002)
    assert span("person:islam-karimov")[1] == "2016"  # 001: died 2 September 2016


def test_karimov_is_not_president_of_uzbekistan_after_his_death(store: EmbeddedStore) -> None:
    # 001: Karimov president (August 2015) and his death on 2 September 2016; Mirziyoyev succeeded him.
    years = held(store, ID + "person/islam-karimov", state("uzbekistan"), ID + "post/president")
    assert years and max(years) == 2016 and years[2016] == STATED
    rows = select(
        store,
        """SELECT ?ended WHERE { ?p org:member person:islam-karimov ; org:role post:president ;
           casec:toYear 2016 ; casec:endedBy ?ended }""",
    )
    assert ID + "statement/001-karimov-death-date" in {r["ended"] for r in rows}


def test_a_negated_statement_never_makes_a_holding(store: EmbeddedStore) -> None:
    # e.g. 001 line 63: Turkmenistan is not a member of the CSTO; 000 line 175: Uzbekistan "is not its member
    # currently".
    rows = select(
        store,
        """SELECT ?p ?st WHERE { ?st casec:negated true . ?p a casec:StatusPeriod ; casec:derivedFrom ?st }""",
    )
    assert rows == []
    negated = select(store, "SELECT ?st WHERE { ?st casec:negated true }")
    assert negated and all(
        not store.ask(sparql_prologue() + f"ASK {{ <{r['st']}> casec:assertedAsFact true }}") for r in negated
    )
    for year in YEARS:
        assert "turkmenistan" not in members_in(store, CSTO, year) and "turkmenistan" not in members_in(
            store, SCO, year
        )
    absent = select(
        store,
        """SELECT ?from WHERE { ?p a casec:AbsencePeriod ; org:member state:turkmenistan ; org:organization orgn:csto ;
           casec:fromYear ?from ; casec:basis casec:StatedBasis }""",
    )
    # stated absent in the years of the texts that say so: 002 line 176 (2013) and 001 line 71 (2017)
    assert {int(r["from"]) for r in absent} == {2013, 2017}


# ---- how the model behaves everywhere ----------------------------------------------------------------------------


def test_every_period_has_years_a_basis_and_the_statements_behind_it(store: EmbeddedStore) -> None:
    rows = select(
        store,
        """SELECT ?p ?from ?to ?basis (COUNT(?st) AS ?statements) WHERE {
        ?p a casec:Period . OPTIONAL { ?p casec:fromYear ?from } OPTIONAL { ?p casec:toYear ?to }
        OPTIONAL { ?p casec:basis ?basis } OPTIONAL { ?p casec:derivedFrom ?st } } GROUP BY ?p ?from ?to ?basis""",
    )
    assert len(rows) > 500
    for row in rows:
        assert int(row["from"]) <= int(row["to"]) <= 2024, row
        assert row["basis"] in {CASEC + "StatedBasis", CASEC + "InferredBasis", CASEC + "OpenBasis"}, row
        assert int(row["statements"]) >= 1, row


def test_periods_come_only_from_statements_asserted_as_fact(store: EmbeddedStore) -> None:
    rows = select(
        store,
        """SELECT DISTINCT ?st ?modality WHERE { ?p a casec:StatusPeriod ; casec:derivedFrom ?st .
           ?st casec:modality ?modality FILTER (?modality IN (casec:Opinion, casec:Projection)) }""",
    )
    assert rows == []


def test_one_status_has_one_period_a_year(store: EmbeddedStore) -> None:
    rows = select(
        store,
        """SELECT ?p ?kind ?a ?b ?c ?from ?to WHERE { ?p a ?kind ; casec:fromYear ?from ; casec:toYear ?to .
        VALUES ?kind { casec:StatusPeriod casec:AbsencePeriod }
        { ?p org:member ?a ; org:organization ?b OPTIONAL { ?p org:role ?c } }
        UNION { ?p rdf:subject ?a ; rdf:predicate ?b OPTIONAL { ?p rdf:object ?c } } }""",
    )
    seen: dict[tuple[str, ...], set[int]] = defaultdict(set)
    for row in rows:
        key = (row["kind"], row["a"], row["b"], row.get("c", ""))
        years = set(range(int(row["from"]), int(row["to"]) + 1))
        assert not seen[key] & years, (key, sorted(seen[key] & years))
        seen[key] |= years


def test_the_class_and_property_closures_are_materialized(store: EmbeddedStore) -> None:
    assert store.ask(sparql_prologue() + "ASK { agreement:sco-founding-declaration a casec:Agreement }")
    assert store.ask(sparql_prologue() + "ASK { event:peace-mission-2007 a casec:Event }")
    assert store.ask(sparql_prologue() + "ASK { ?p a casec:StatusPeriod , casec:Period }")
    assert store.ask(sparql_prologue() + "ASK { orgn:csto casec:successorOf agreement:collective-security-treaty }")
    rows = select(
        store,
        """SELECT ?a ?b WHERE { ?s casec:assertedAsFact true ; rdf:subject ?a ; rdf:predicate casec:strategicPartnerOf ;
           rdf:object ?b }""",
    )
    assert rows
    for row in rows:  # a strategic partnership is cooperation, both ways
        ask = (
            f"ASK {{ <{row['a']}> casec:cooperatesWith <{row['b']}> . <{row['b']}> casec:cooperatesWith <{row['a']}> }}"
        )
        assert store.ask(sparql_prologue() + ask), row


def test_a_question_about_one_source_uses_the_same_vocabulary(store: EmbeddedStore) -> None:
    # Iskandarov 2013 (002): the states it names as CSTO members, asked inside its graph with the union's words.
    rows = select(
        store,
        """SELECT DISTINCT ?label WHERE {
        GRAPH src:002_b3e1b6c5754170bd { ?m a casec:Statement , casec:Membership ; casec:assertedAsFact true ;
                                             org:member ?state ; org:organization orgn:csto ; org:role casec:Member }
        ?state rdfs:label ?label }""",
    )
    assert {r["label"] for r in rows} >= {"Armenia", "Belarus", "Kazakhstan", "Kyrgyzstan", "Russia", "Tajikistan"}


def test_derived_triples_are_not_written_twice(store: EmbeddedStore) -> None:
    rows = select(store, "SELECT (COUNT(*) AS ?n) WHERE { ?s casec:memberOf orgn:csto }")
    distinct = select(
        store, "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s WHERE { ?s casec:memberOf orgn:csto } }"
    )
    assert rows[0]["n"] == distinct[0]["n"]
    rows = select(
        store, "SELECT ?st (COUNT(*) AS ?n) WHERE { ?st casec:assertedAsFact true } GROUP BY ?st HAVING (?n > 1)"
    )
    assert rows == []


def test_a_withdrawal_starts_an_absence_that_persists_in_the_sample(minimal_root: Path) -> None:
    # The sample: Freedonia founded the Alpha Pact in 1999 and left in 2004; the source is of 2010.
    store = EmbeddedStore(bundle_files(Bundle.at(minimal_root)))
    freedonia, alpha = ID + "state/freedonia", ID + "org/alpha-pact"
    assert held(store, freedonia, alpha, MEMBER) == {y: STATED for y in range(1999, 2005)}
    rows = select(
        store,
        f"""SELECT ?from ?to ?basis WHERE {{ ?p a casec:AbsencePeriod ; org:member <{freedonia}> ;
           org:organization <{alpha}> ; casec:fromYear ?from ; casec:toYear ?to ; casec:basis/rdfs:label ?basis }}""",
    )
    assert {(int(r["from"]), int(r["to"]), r["basis"]) for r in rows} == {(2004, 2004, STATED), (2005, 2010, OPEN)}
    # Sylvania, a founder with no end, as of the source's year: stated in 1999 and 2010, inferred between.
    sylvania = {1999: STATED, **{y: INFERRED for y in range(2000, 2010)}, 2010: STATED}
    assert held(store, ID + "state/sylvania", alpha, MEMBER) == sylvania
