"""The entity, statement and source pages, the disagreements and the exports as a reader gets them over HTTP
(on every backend): disagreements grouped as the data has them, statements titled with a sentence, relations in
the order that matters, the time model's periods read as its contract says, GEXF that plays over the years."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
from collections import defaultdict
from html.parser import HTMLParser
from pathlib import Path

import networkx as nx
from flask.testing import FlaskClient

from casec.bundle import Bundle
from casec.settings import Settings
from casec.store.embedded import EmbeddedStore
from casec.store.load import bundle_files
from casec.vocab import ID, sparql_prologue
from casec.web.app import create_app

UZBEKISTAN, CSTO, CAREC = ID + "state/uzbekistan", ID + "org/csto", ID + "org/carec"


def select(store, query: str) -> list[dict[str, str]]:
    solutions = store.select(sparql_prologue() + query)
    names = [v.value for v in solutions.variables]
    return [{k: row[k].value for k in names if row[k] is not None} for row in solutions]


def expected_disagreements(store) -> dict[tuple[str, str, str], set[str]]:
    """Worked out from the statements themselves, not from queries/conflicts.rq: functional attributes with
    values that do not agree (one is not a prefix of the other), and memberships ending in the same year in
    different ways. Key: (subject, relation, organization); value: the statements taking a side."""
    found: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    values: dict[tuple[str, str], dict[str, str]] = defaultdict(dict)
    for row in select(
        store,
        """SELECT ?st ?s ?p ?o WHERE { ?p a owl:FunctionalProperty .
           ?st a casec:Assertion ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o }""",
    ):
        values[(row["s"], row["p"])][row["st"]] = row["o"]
    for (subject, relation), by_statement in values.items():
        for st, value in by_statement.items():
            if any(not (v.startswith(value) or value.startswith(v)) for v in by_statement.values()):
                found[(subject, relation, "")].add(st)
    ends: dict[tuple[str, str, str], dict[str, str]] = defaultdict(dict)
    for row in select(
        store,
        """SELECT ?st ?m ?o ?year ?how WHERE {
           ?st a casec:Membership ; org:member ?m ; org:organization ?o ; casec:endYear ?year ; casec:endType ?how }""",
    ):
        ends[(row["m"], row["o"], row["year"])][row["st"]] = row["how"]
    for (member, organization, _), by_statement in ends.items():
        if len(set(by_statement.values())) > 1:
            found[(member, "https://w3id.org/casec/ontology#endType", organization)] |= set(by_statement)
    return dict(found)


def test_conflicts_give_one_entry_per_disagreement_each_claim_once(client: FlaskClient, backend) -> None:
    expected = expected_disagreements(backend.store)
    assert expected, "the bundled data has disagreements"
    body = client.get("/conflicts.json").get_json()
    assert body["count"] == len(expected) == len(body["disagreements"])
    got = {}
    for d in body["disagreements"]:
        statements = [c["statement"] for c in d["claims"]]
        assert len(statements) == len(set(statements))  # each claim once
        assert all(c["quotes"] for c in d["claims"])  # with its quotes
        got[(d["subject"], d["relation"], d["organization"] or "")] = set(statements)
        if d["organization"]:
            assert d["organization_label"] in d["about"]  # "Uzbekistan — membership in the CSTO…: how it ended"
    assert got == expected
    html = client.get("/conflicts", headers={"Accept": "text/html"}).get_data(as_text=True)
    assert html.count('class="disagreement-entry"') == len(expected)


def test_casec_conflicts_prints_one_entry_per_disagreement_naming_the_organization(store: EmbeddedStore) -> None:
    expected = expected_disagreements(store)
    text = run_cli("conflicts")
    headers = [line for line in text.splitlines() if line and not line.startswith(" ")]
    assert len(headers) == len(expected) + 1  # the entries and the closing count
    assert headers[-1].startswith(f"{len(expected)} disagreement")
    uzbek = [h for h in headers if h.startswith("Uzbekistan")]
    assert len(uzbek) == 1 and "Collective Security Treaty Organization" in uzbek[0]
    as_json = json.loads(run_cli("conflicts", "--format", "json"))
    assert {(d["subject"], d["relation"], d["organization"] or "") for d in as_json} == set(expected)


def run_cli(*args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "casec.cli", *args], capture_output=True, text=True, timeout=120, check=True
    )
    return done.stdout


def test_the_conflicts_query_gives_one_row_per_claim_with_its_disagreement(store: EmbeddedStore, bundle) -> None:
    rows = select(store, (bundle.queries / "conflicts.rq").read_text(encoding="utf-8"))
    claims = [row["statement"] for row in rows]
    assert len(claims) == len(set(claims))
    keys = {(r["subject"], r["relation"], r.get("organization", "")) for r in rows}
    assert keys == set(expected_disagreements(store))
    assert all(re.match(r"\d+: ", row["quotes"]) for row in rows)


class Headings(HTMLParser):
    """The text of each h1, and each group of the Memberships section in order."""

    def __init__(self) -> None:
        super().__init__()
        self.h1 = ""
        self.in_h1 = False
        self.section = ""
        self.groups: dict[str, list[str]] = defaultdict(list)
        self.rows: list[str] = []
        self.in_th = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "h1":
            self.in_h1 = True
        if tag == "details" and "relation" in (found.get("class") or ""):
            self.section = found.get("id") or ""
        if tag == "details" and "group" in (found.get("class") or "").split():
            self.groups[self.section].append(found.get("data-other") or "")
        if tag == "th":
            self.in_th = True

    def handle_endtag(self, tag: str) -> None:
        self.in_h1 = self.in_h1 and tag != "h1"
        self.in_th = self.in_th and tag != "th"

    def handle_data(self, data: str) -> None:
        if self.in_h1:
            self.h1 += data
        if self.in_th:
            self.rows.append(data.strip())


def parsed(client: FlaskClient, path: str) -> Headings:
    response = client.get(path, headers={"Accept": "text/html"})
    assert response.status_code == 200, path
    parser = Headings()
    parser.feed(response.get_data(as_text=True))
    return parser


def test_memberships_in_major_organizations_come_first(client: FlaskClient) -> None:
    memberships = parsed(client, "/id/state/uzbekistan").groups["membership-out"]
    assert memberships.index(CSTO) < memberships.index(CAREC)


def test_statement_pages_are_titled_with_a_sentence_and_say_each_thing_once(client: FlaskClient, backend) -> None:
    page = parsed(client, "/id/statement/000-uzbekistan-csto-2006-2012")
    assert page.h1.strip() == "Uzbekistan — member of the CSTO, 2006–2012, according to Rauf and Saud 2020"
    assert len(page.rows) == len(set(page.rows))
    assert not {"start year", "end year", "from year", "to year", "reported year"} & set(page.rows)
    rows = select(
        backend.store,
        f"""SELECT ?st ?label WHERE {{ ?st a casec:Membership ; org:member <{UZBEKISTAN}> ; org:organization <{CSTO}> ;
            casec:source/rdfs:label ?label }}""",
    )
    assert rows
    for row in rows:
        title = parsed(client, "/id/statement/" + row["st"].rsplit("/", 1)[-1]).h1.strip()
        assert title.startswith("Uzbekistan — ") and " of the CSTO" in title, title
        assert title.endswith("according to " + row["label"].split(",")[0]), title


def test_an_events_own_date_is_not_said_to_be_as_of_its_sources_year(client: FlaskClient, backend) -> None:
    rows = select(
        backend.store,
        "SELECT ?event WHERE { ?st a casec:Assertion ; rdf:subject ?event ; rdf:predicate casec:eventDate } LIMIT 5",
    )
    assert rows
    for row in rows:
        html = client.get(row["event"].replace(ID, "/id/"), headers={"Accept": "text/html"}).get_data(as_text=True)
        section = html.split('id="eventDate-out"', 1)[1].split('<details class="relation"', 1)[0]
        assert "source's year" not in section


def test_counts_agree_in_number(client: FlaskClient) -> None:
    for path in ("/id/org/csto", "/id/source/000_cf6bc392400e9cf7", "/id/state/uzbekistan", "/id/source/"):
        text = re.sub(r"<[^>]+>", " ", client.get(path, headers={"Accept": "text/html"}).get_data(as_text=True))
        assert not re.search(r"\b1 (statements|sources|passages)\b", text), path
        assert not re.search(r"\b([02-9]|\d\d+) (statement|source|passage)\b", text), path
    assert "All of kind" not in client.get("/id/source/", headers={"Accept": "text/html"}).get_data(as_text=True)


INBOUND_OBJECTS = """PREFIX casec: <https://w3id.org/casec/ontology#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
SELECT ?relation (SAMPLE(?object) AS ?page) WHERE {
  ?st a casec:Assertion ; rdf:predicate ?relation ; rdf:object ?object .
  FILTER (isIRI(?object) && STRSTARTS(STR(?object), "https://w3id.org/casec/id/"))
} GROUP BY ?relation"""


def test_every_section_of_an_entity_page_is_titled_in_words(client: FlaskClient, store: EmbeddedStore) -> None:
    """Seen from its object, a relation reads as English ("Chaired by", "Has unit"), never as an identifier
    ("HasUnit") or a verb forced into "is … of" ("Is chairs of")."""
    for row in select(store, INBOUND_OBJECTS):
        path = "/id/" + row["page"].removeprefix(ID)
        html = client.get(path, headers={"Accept": "text/html"}).get_data(as_text=True)
        for title in re.findall(r"<summary><h2>([^<]*)", html):
            title = title.strip()
            assert not re.match(r"Is \w+( \w+)* (of|by) of$|Is \w+s of$", title), (path, title)
            assert not re.search(r"\b[A-Z]?[a-z]+[A-Z]\w*", title), (path, title)
            assert not title.endswith(" of of"), (path, title)


PERIODS = """PREFIX casec: <https://w3id.org/casec/ontology#>
PREFIX org: <http://www.w3.org/ns/org#>
SELECT ?from ?basis WHERE {
  ?p a casec:StatusPeriod ; org:organization ?org ; casec:fromYear ?from ; casec:basis ?basis .
  ?org a casec:InternationalOrganization .
}"""
BASIS_CLASS = {
    "https://w3id.org/casec/ontology#StatedBasis": "stretch-stated",
    "https://w3id.org/casec/ontology#InferredBasis": "stretch-inferred",
    "https://w3id.org/casec/ontology#OpenBasis": "stretch-open",
}


def test_the_pages_show_the_periods_the_time_model_derives(minimal_root: Path) -> None:
    """The timeline draws each casec:StatusPeriod of the derivation once, with its basis; the entity page sums up
    the members of the latest year with their basis; a statement page names the period it stands behind."""
    bundle = Bundle.at(minimal_root)
    store = EmbeddedStore(bundle_files(bundle))
    derived = sorted((row["from"].value, BASIS_CLASS[row["basis"].value]) for row in store.select(PERIODS))
    assert {basis for _, basis in derived} >= {"stretch-stated", "stretch-inferred"}  # a test that can fail
    app = create_app(Settings(query_timeout=60.0), store=store, bundle=bundle)
    try:
        client = app.test_client()
        timeline = client.get("/timeline").get_data(as_text=True)
        stretches = re.findall(r'class="stretch ([^"]+)"\s+style="[^"]*" data-role="[^"]*" data-from="(\d+)"', timeline)
        assert sorted((year, classes.split()[1]) for classes, year in stretches) == derived
        pact = client.get("/id/org/alpha-pact").get_data(as_text=True)
        summary = pact.split('id="summary"', 1)[1].split("</section>", 1)[0]
        assert "Members in" in summary and "Sylvania" in summary and "basis-" in summary
        statement = client.get("/id/statement/sample-freedonia-founding-member").get_data(as_text=True)
        assert "basis-stated" in statement and "1999–2004" in statement
    finally:
        app.extensions["casec"].runner.close()


def test_gexf_carries_time_spells_that_read_back(client: FlaskClient) -> None:
    links = client.get("/graph.json?relations=membership").get_json()["links"]
    back = nx.read_gexf(io.BytesIO(client.get("/graph.gexf?relations=membership").data))
    assert back.graph["mode"] == "dynamic"
    spells = {(u, v, d["role"]): d.get("spells") for u, v, d in back.edges(data=True)}
    assert len(spells) == len(links)
    for link in links:
        got = spells[(link["source"], link["target"], link["role"])]
        if link["from_year"] is None:
            assert got is None
            continue
        assert got == [(float(a), float(b + 1)) for a, b in link["spells"]]
        assert got[0][0] == link["from_year"] and got[-1][1] == link["to_year"] + 1
    uzbek = next(l for l in links if (l["source"], l["target"], l["role"]) == (UZBEKISTAN, CSTO, "member"))  # noqa: E741
    assert len(uzbek["spells"]) >= 2  # left in 1999, back in 2006: two runs, not one
    assert back.nodes[UZBEKISTAN].get("spells")
