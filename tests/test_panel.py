"""The membership panel: one row per state, organization and year, coded like the Correlates of War
IGO data, following the periods of the time model, every row with its basis and sources, disagreements
flagged, and matching the membership statements."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from casec.bundle import Bundle
from casec.cli import main
from casec.facts.membership_panel import COLUMNS, Spell, Status, pair_rows, panel, to_csv
from casec.store.embedded import EmbeddedStore
from casec.store.load import bundle_files
from casec.vocab import CASEC, ID, membership_roles, sparql_prologue

RAUF_SAUD, DE_HAAS, ISKANDAROV, KOLDUNOVA = (
    "000_cf6bc392400e9cf7",
    "001_69e3e1bd891962e3",
    "002_b3e1b6c5754170bd",
    "004_dc7120b301c5bf91",
)


@pytest.fixture(scope="module")
def rows(store) -> dict[tuple[str, str, int], dict[str, str]]:
    table = list(csv.DictReader(io.StringIO(to_csv(store, panel(store)))))
    return {(row["state"], row["organization"], int(row["year"])): row for row in table}


def test_the_csv_loads_as_a_rectangular_table_with_numeric_codes(client) -> None:
    response = client.get("/export/memberships.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    table = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert tuple(table[0]) == COLUMNS
    assert all(len(row) == len(COLUMNS) for row in table)
    keys = [(row[0], row[3], row[5]) for row in table[1:]]
    assert len(keys) == len(set(keys)), "one row per state, organization and year"
    for row in table[1:]:
        assert int(row[6]) in (-9, 0, 1, 3) and row[8] in ("0", "1") and row[9] in ("0", "1")
        # -9 only where no source fixes the year (no basis) or where sources disagree
        assert row[13] in ("stated", "inferred", "open", "")
        assert (row[13] == "") == (row[7] == "unknown"), row


def test_a_full_member_is_coded_1_with_its_source(rows) -> None:
    row = rows[("kazakhstan", "csto", 2013)]
    assert (row["status"], row["casec_status"], row["disagreement"]) == ("1", "member", "0")
    assert ISKANDAROV in row["sources"].split()
    assert row["state_iso3"] == "KAZ" and row["organization_label"] == "Collective Security Treaty Organization"


def test_an_observer_is_coded_3_and_a_new_member_1(rows) -> None:
    assert rows[("india", "sco", 2010)]["status"] == "3"  # observer since 2005 (Koldunova and Das Kundu)
    assert rows[("india", "sco", 2018)]["status"] == "1"  # member since 2017 (Rauf and Saud)
    # 2017: a 2017 source still lists India as observer, a 2020 one says it joined in 2017: the new status wins
    assert rows[("india", "sco", 2017)]["disagreement"] == "0"


def test_a_dialogue_partner_is_coded_3_and_named_as_such(rows) -> None:
    row = rows[("sri-lanka", "sco", 2013)]
    assert (row["status"], row["casec_status"]) == ("3", "dialogue partner")


def test_where_sources_disagree_the_row_says_so_with_each_claim_and_its_sources(rows) -> None:
    # after 2012 Rauf and Saud say Uzbekistan left the CSTO, Iskandarov that it suspended its membership
    row = rows[("uzbekistan", "csto", 2013)]
    assert (row["status"], row["casec_status"], row["disagreement"]) == ("-9", "disputed", "1")
    claims = dict(part.split(": ", 1) for part in row["claims"].split("; "))
    assert RAUF_SAUD in claims["none"].split()
    assert ISKANDAROV in claims["suspended member"].split()
    assert {RAUF_SAUD, ISKANDAROV} <= set(row["sources"].split())


def test_years_before_a_withdrawal_are_membership_years(rows) -> None:
    row = rows[("uzbekistan", "csto", 1996)]
    assert (row["status"], row["disagreement"]) == ("1", "0")
    assert RAUF_SAUD in row["sources"].split()


def test_years_between_two_sources_are_inferred_members(rows) -> None:
    # Koldunova and Das Kundu (2014) and de Haas (2017) both list Kazakhstan in the CSTO; none speaks of 2015 and
    # none records a change: a member, inferred, on the strength of the two.
    row = rows[("kazakhstan", "csto", 2015)]
    assert (row["status"], row["casec_status"], row["basis"]) == ("1", "member", "inferred")
    assert {KOLDUNOVA, DE_HAAS} <= set(row["sources"].split())
    assert rows[("kazakhstan", "csto", 2014)]["basis"] == "stated"
    assert rows[("kazakhstan", "csto", 2024)]["basis"] == "open"  # after the last source that names it (2020)


def test_a_negated_membership_is_coded_0_in_its_year(rows) -> None:
    # de Haas 2017: Turkmenistan is not a member of the CSTO (a negated statement): 0, stated; never a member.
    row = rows[("turkmenistan", "csto", 2017)]
    assert (row["status"], row["casec_status"], row["basis"]) == ("0", "none", "stated")
    assert DE_HAAS in row["sources"].split()
    assert not any(r["status"] == "1" for (s, o, _), r in rows.items() if (s, o) == ("turkmenistan", "csto"))


def test_every_row_is_backed_by_membership_statements_of_its_sources(store, rows) -> None:
    query = sparql_prologue() + (
        "SELECT ?st ?member ?organization ?role ?source WHERE { ?st a casec:Membership ; org:member ?member ; "
        "org:organization ?organization ; org:role ?role ; casec:source ?source }"
    )
    statements = {
        row["st"].value.rsplit("/", 1)[-1]: (
            row["member"].value.rsplit("/", 1)[-1],
            row["organization"].value.rsplit("/", 1)[-1],
            row["source"].value.rsplit("/", 1)[-1],
        )
        for row in store.select(query)
    }
    for (state, organization, year), row in rows.items():
        backing = row["statements"].split()
        assert bool(backing) == (row["casec_status"] != "unknown"), (state, organization, year)
        for slug in backing:
            assert statements[slug][:2] == (state, organization), (slug, state, organization, year)
        assert set(row["sources"].split()) == {statements[slug][2] for slug in backing}


def test_every_dated_membership_statement_is_in_the_panel(store, rows) -> None:
    """The panel matches the statements: each membership of a state in an organization, stated or reported,
    with a start, appears in the row of its first year."""
    query = (
        sparql_prologue()
        + """
SELECT ?st ?member ?organization ?from WHERE {
  ?st a casec:Membership ; casec:assertedAsFact true ; org:member ?member ; org:organization ?organization ;
      casec:startYear ?from .
  ?member a casec:State . ?organization a casec:InternationalOrganization .
}"""
    )
    found = list(store.select(query))
    assert found
    for row in found:
        key = (row["member"].value.rsplit("/", 1)[-1], row["organization"].value.rsplit("/", 1)[-1])
        first_year = int(row["from"].value)
        slug = row["st"].value.rsplit("/", 1)[-1]
        assert slug in rows[(*key, first_year)]["statements"].split(), (slug, first_year)


def test_casec_export_panel_writes_the_same_csv(tmp_path: Path, client) -> None:
    out = tmp_path / "panel.csv"
    assert main(["export", "--panel", "-o", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == client.get("/export/memberships.csv").get_data(as_text=True)


# ---------------------------------------------------------------- the coding rules, on small cases


def test_a_withdrawal_ends_membership_at_the_end_of_its_year(minimal_root) -> None:
    """The sample: Freedonia founded the Alpha Pact in 1999 and left in 2004; the source is of 2010."""
    store = EmbeddedStore(bundle_files(Bundle.at(minimal_root)))
    table = {(r.state.rsplit("/", 1)[-1], r.year): r for r in panel(store)}
    assert [table[("freedonia", y)].status for y in range(1999, 2004)] == [1] * 5
    assert [table[("freedonia", y)].status for y in range(2004, 2011)] == [0] * 7
    assert table[("freedonia", 2004)].casec_status == "none"
    assert [table[("sylvania", y)].status for y in range(1999, 2011)] == [1] * 12


STATUSES = {
    "member": Status("member", 1),
    "suspended member": Status("suspended member", 1, suspended=True),
    "observer": Status("observer", 3),
    "applicant": Status("applicant", 0, applicant=True),
    "none": Status("none", 0),
}


def claim(status: str, first: int, last: int, source: str = "s1", basis: str = "stated") -> Spell:
    return Spell(
        STATUSES[status], first, last, basis, {f"{ID}statement/{status}-{first}-{source}"}, {f"{ID}source/{source}"}
    )


def coded(*claims: Spell) -> dict[int, tuple[int, str, bool]]:
    return {r.year: (r.status, r.casec_status, r.disagreement) for r in pair_rows("s", "o", list(claims))}


def test_a_change_of_status_within_a_year_is_not_a_disagreement() -> None:
    years = coded(claim("observer", 2005, 2017), claim("member", 2017, 2020, "s2"))
    assert years[2016] == (3, "observer", False)
    assert years[2017] == (1, "member", False)


def test_an_application_goes_with_any_status() -> None:
    years = coded(claim("observer", 2010, 2014), claim("applicant", 2014, 2014))
    assert years[2014] == (3, "observer", False)
    assert coded(claim("applicant", 2014, 2014))[2014] == (0, "applicant", False)


def test_a_suspended_member_is_coded_1_and_marked_suspended() -> None:
    rows = list(pair_rows("s", "o", [claim("suspended member", 2012, 2013)]))
    assert [(r.status, r.suspended) for r in rows] == [(1, True), (1, True)]


def test_two_sources_giving_different_statuses_for_a_year_disagree() -> None:
    years = coded(claim("member", 2010, 2015), claim("none", 2013, 2015, "s2"))
    assert years[2012] == (1, "member", False)
    assert years[2014] == (-9, "disputed", True)


def test_the_basis_of_a_year_is_the_surest_of_the_statuses_kept() -> None:
    rows = {
        r.year: r.basis
        for r in pair_rows("s", "o", [claim("member", 2001, 2001), claim("member", 2002, 2004, basis="inferred")])
    }
    assert rows == {2001: "stated", 2002: "inferred", 2003: "inferred", 2004: "inferred"}


def test_the_roles_map_to_the_documented_codes(store) -> None:
    # the codes are the ontology's (casec:cowCode), read from the store, not a list in the code
    codes = {iri.removeprefix(CASEC): role.cow_code for iri, role in membership_roles(store).items()}
    assert codes == {
        "FoundingMember": 1,
        "Member": 1,
        "SuspendedMember": 1,
        "Observer": 3,
        "DialoguePartner": 3,
        "Partner": 3,
        "Applicant": 0,
    }
