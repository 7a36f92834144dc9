"""The network over HTTP: exports, paths with their quotes, neighbourhoods, metrics, the two pages, and errors."""

from __future__ import annotations

import csv
import io
import json
import re
from html.parser import HTMLParser

import networkx as nx
import pytest
from flask.testing import FlaskClient

from casec.vocab import ID

UZBEKISTAN, CSTO, SCO = ID + "state/uzbekistan", ID + "org/csto", ID + "org/sco"


def get_json(client: FlaskClient, url: str) -> dict:
    response = client.get(url)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    return response.get_json()


@pytest.mark.parametrize(
    ("fmt", "mimetype", "reader"),
    [("gexf", "application/gexf+xml", nx.read_gexf), ("graphml", "application/graphml+xml", nx.read_graphml)],
)
def test_exports_parse_back_with_the_counts_of_the_json(client: FlaskClient, fmt, mimetype, reader) -> None:
    data = get_json(client, "/graph.json?year=2013")
    response = client.get(f"/graph.{fmt}?year=2013")
    assert response.status_code == 200 and response.mimetype == mimetype
    assert f"casec-network-2013.{fmt}" in response.headers["Content-Disposition"]
    back = reader(io.BytesIO(response.data))
    assert (back.number_of_nodes(), back.number_of_edges()) == (len(data["nodes"]), len(data["links"]))


def test_the_csv_edge_list_has_a_row_per_edge(client: FlaskClient) -> None:
    data = get_json(client, "/graph.json?relations=membership,borders")
    response = client.get("/graph.csv?relations=membership&relations=borders")
    assert response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert len(rows) == len(data["links"])
    assert {row["relation"] for row in rows} == {"membership", "borders"}


def test_filters_change_the_counts_over_http(client: FlaskClient) -> None:
    counts = {
        query: get_json(client, f"/graph.json?{query}")["counts"]["edges"]
        for query in ("", "year=2013", "relations=membership", "source=002", "organization=sco")
    }
    assert all(0 < counts[q] < counts[""] for q in counts if q)
    assert get_json(client, "/graph.json?year=1995")["counts"]["nodes"] < 20


def test_evidence_adds_every_statements_quotes(client: FlaskClient) -> None:
    data = get_json(client, "/graph.json?year=2008&relations=membership&evidence=1")
    uzbekistan_csto = [l for l in data["links"] if l["source"] == UZBEKISTAN and l["target"] == CSTO]  # noqa: E741
    assert uzbekistan_csto
    quotes = [q["quote"] for s in uzbekistan_csto[0]["statements"] for q in data["statements"][s]["quotes"]]
    assert any("2006" in q for q in quotes)


def test_the_path_from_pakistan_to_armenia_comes_with_quotes(client: FlaskClient) -> None:
    body = get_json(client, "/graph/path?from=state/pakistan&to=state/armenia&year=2017&relations=membership")
    assert body["connected"] and body["paths"]
    labels = [n["label"] for n in body["paths"][0]["nodes"]]
    assert labels[0] == "Pakistan" and labels[-1] == "Armenia"
    assert "Collective Security Treaty Organization" in labels
    statements = [s for hop in body["paths"][0]["hops"] for link in hop["links"] for s in link["statements"]]
    assert statements and all(s["quotes"] and s["source_label"] for s in statements)
    full = get_json(client, f"/graph/path?from={ID}state/pakistan&to=armenia")
    assert full["length"] == 2


def test_a_path_between_unlinked_entities_is_empty_not_an_error(client: FlaskClient) -> None:
    body = get_json(client, "/graph/path?from=state/pakistan&to=state/armenia&year=1995")
    assert body["connected"] is False and body["paths"] == [] and "no link" in body["note"]


def test_ego_network_with_its_facts(client: FlaskClient) -> None:
    one = get_json(client, "/graph/ego/state/uzbekistan?radius=1&year=2013")
    two = get_json(client, "/graph/ego/state/uzbekistan?radius=2&year=2013")
    ids = {n["id"] for n in one["nodes"]}
    assert {UZBEKISTAN, CSTO, SCO} <= ids < {n["id"] for n in two["nodes"]}
    assert one["graph"]["center"] == UZBEKISTAN
    assert all(one["statements"][s]["quotes"] for link in one["links"] for s in link["statements"])
    gexf = client.get("/graph/ego/state/uzbekistan?radius=1&year=2013&format=gexf")
    assert nx.read_gexf(io.BytesIO(gexf.data)).number_of_nodes() == len(one["nodes"])


def test_metrics_as_json_and_csv(client: FlaskClient) -> None:
    body = get_json(client, "/graph/metrics?year=2014")
    assert body["nodes"] == len(body["metrics"]) > 20
    assert {"degree", "betweenness", "eigenvector", "community", "degree_centrality"} <= set(body["metrics"][0])
    assert sum(c["size"] for c in body["communities"]) == body["nodes"]
    response = client.get("/graph/metrics?year=2014&format=csv")
    assert response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert [r["iri"] for r in rows] == [m["iri"] for m in body["metrics"]]
    assert client.get("/graph/metrics.csv", headers={"Accept": "text/csv"}).mimetype == "text/csv"
    assert client.get("/graph/metrics", headers={"Accept": "text/csv"}).mimetype == "text/csv"


@pytest.mark.parametrize(
    ("url", "status", "words"),
    [
        ("/graph.json?year=twenty", 400, "year"),
        ("/graph.json?year=3000", 400, "between"),
        ("/graph.json?relations=friendship", 400, "unknown relation"),
        ("/graph.json?organization=org/nothing", 404, "unknown organization"),
        ("/graph.json?source=nowhere", 404, "unknown source"),
        ("/graph.pdf", 404, "formats"),
        ("/graph/path?from=state/pakistan", 400, "'to'"),
        ("/graph/path?from=state/pakistan&to=state/atlantis", 404, "unknown"),
        ("/graph/path?from=state/pakistan&to=state/armenia&limit=0", 400, "limit"),
        ("/graph/ego/state/uzbekistan?radius=3", 400, "radius"),
        ("/graph/ego/state/atlantis", 404, "not a node"),
        ("/graph/ego/state/uzbekistan?format=pdf", 400, "format"),
        ("/graph/metrics?format=xml", 400, "json or csv"),
        ("/graph/metrics?year=-5", 400, "year"),
        ("/timeline?organization=org/nothing", 404, "unknown"),
        ("/network?year=abc", 400, "year"),
    ],
)
def test_bad_requests_get_a_message_not_a_500(client: FlaskClient, url: str, status: int, words: str) -> None:
    response = client.get(url)
    assert response.status_code == status, response.get_data(as_text=True)
    assert words in response.get_data(as_text=True)


def test_the_network_page_carries_its_config_and_works_offline(client: FlaskClient) -> None:
    html = client.get("/network?year=2013").get_data(as_text=True)
    config = json.loads(re.search(r'id="casec-network-config" type="application/json">(.*?)</script>', html, re.S)[1])
    assert config["year"] == 2013 and "membership" in config["selected"]
    assert config["years"][0] <= 1994 and config["years"][1] >= 2020
    scripts = re.findall(r'<script[^>]+src="([^"]+)"', html)
    assert scripts and all(src.startswith("/static/") for src in scripts)
    for src in scripts:
        assert client.get(src).status_code == 200
    assert client.get("/static/cytoscape/LICENSE").status_code == 200


class Stretches(HTMLParser):
    """Each drawn stretch of the timeline, with the member and organization of its row, and each statement."""

    def __init__(self) -> None:
        super().__init__()
        self.stretches: list[dict[str, str]] = []
        self.statements: list[dict[str, str]] = []
        self.row: tuple[str, str] = ("", "")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {k: v or "" for k, v in attrs}
        classes = found.get("class", "").split()
        if tag == "details" and "timeline-row" in classes:
            self.row = (found["data-member"], found["data-organization"])
        if tag == "span" and "stretch" in classes:
            self.stretches.append({**found, "member": self.row[0], "organization": self.row[1]})
        if tag == "li" and "bar" in classes:
            self.statements.append({**found, "member": self.row[0], "organization": self.row[1]})


def test_the_timeline_shows_uzbekistans_two_csto_periods_and_the_dispute(client: FlaskClient) -> None:
    html = client.get("/timeline").get_data(as_text=True)
    parser = Stretches()
    parser.feed(html)
    uzbek = [s for s in parser.stretches if (s["member"], s["organization"]) == (UZBEKISTAN, CSTO)]
    members = sorted((int(s["data-from"]), int(s["data-to"])) for s in uzbek if s["data-role"] == "member")
    assert members[0][0] == 1994 and any(first == 2006 for first, _ in members)
    assert not any(first <= 2003 <= last for first, last in members)  # out of the CSTO in between
    assert any("disputed" in s["class"] for s in uzbek)
    assert all(s["data-basis"] in ("stated", "inferred", "open") for s in parser.stretches)
    stated = {
        (s["data-from"], s["data-to"])
        for s in parser.statements
        if (s["member"], s["organization"]) == (UZBEKISTAN, CSTO)
    }
    assert {("1994", "1999"), ("2006", "2012")} <= stated  # each source's own words behind the row
    assert "Disagreements" in html and "suspension" in html and "withdrawal" in html


def test_the_timeline_is_grouped_by_organization_and_can_show_a_few_states(client: FlaskClient) -> None:
    html = client.get("/timeline").get_data(as_text=True)
    organizations = re.findall(r'<details class="timeline-org" data-organization="([^"]+)"', html)
    assert len(organizations) == len(set(organizations)) > 2
    html = client.get("/timeline?state=uzbekistan&state=kazakhstan&organization=csto").get_data(as_text=True)
    assert re.findall(r'<details class="timeline-org" data-organization="([^"]+)"', html) == [CSTO]
    assert len(set(re.findall(r'class="timeline-row[^"]*" data-member="([^"]+)"', html))) == 2


def test_openapi_lists_the_network_paths(client: FlaskClient) -> None:
    paths = client.get("/openapi.json").get_json()["paths"]
    for path in ("/graph.json", "/graph.gexf", "/graph/path", "/graph/ego/{kind}/{slug}", "/graph/metrics", "/network"):
        assert path in paths
