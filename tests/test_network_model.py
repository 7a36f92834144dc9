"""The network model, its filters, exports and analyses, checked against what the source documents state."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pyoxigraph as ox
import pytest

from casec.bundle import Bundle
from casec.network import DEFAULT_RELATIONS, RELATIONS, FilterError, NetworkCache, build_model, parse_filters
from casec.network.analysis import ego, metrics, shortest_paths
from casec.network.exports import edge_csv, gexf, graphml, node_link
from casec.network.model import NetworkModel
from casec.store.embedded import EmbeddedStore
from casec.store.load import bundle_files
from casec.vocab import CASEC, ID, PREFIXES

UZBEKISTAN, CSTO, SCO = ID + "state/uzbekistan", ID + "org/csto", ID + "org/sco"
PAKISTAN, ARMENIA = ID + "state/pakistan", ID + "state/armenia"


@pytest.fixture(scope="module")
def model(store: EmbeddedStore) -> NetworkModel:
    return build_model(store)


def view(model: NetworkModel, **filters: object) -> nx.MultiDiGraph:
    return model.view(parse_filters(model, **filters))  # type: ignore[arg-type]


def links(graph: nx.MultiDiGraph, a: str, b: str) -> dict[str, dict]:
    return dict(graph[a][b]) if graph.has_edge(a, b) else {}


def quotes(model: NetworkModel, statements: list[str]) -> list[str]:
    return [q.text for s in statements for q in model.statements[s].quotes]


# ---- the model follows the sources ------------------------------------------------------------------


def test_every_edge_carries_statements_with_quotes(model: NetworkModel) -> None:
    graph = view(model, relations="all")
    assert graph.number_of_edges() > 200
    for _, _, data in graph.edges(data=True):
        assert data["statements"], data
        for statement in data["statements"]:
            assert model.statements[statement].quotes, statement
            assert model.statements[statement].asserted  # never an opinion, a projection or a negation


def test_nodes_are_states_organizations_and_bodies_by_default(model: NetworkModel) -> None:
    types = {data["type"] for _, data in view(model).nodes(data=True)}
    assert {"state", "organization", "body"} <= types
    assert not types & {"person", "event"}
    everything = {data["type"] for _, data in view(model, relations="all").nodes(data=True)}
    assert {"person", "event"} <= everything


def test_uzbekistan_was_a_csto_member_in_its_two_periods_and_not_between(model: NetworkModel) -> None:
    # Rauf and Saud 2020: "Uzbekistan has joined the CSTO twice and left twice, 1994-1999 and 2006-2012."
    for year in (1996, 2008):
        member = links(view(model, year=str(year)), UZBEKISTAN, CSTO).get("membership/member")
        assert member, year
        assert any("1994" in q or "2006" in q for q in quotes(model, member["statements"]))
    # Between the two, no membership. Koldunova and Das Kundu 2014 say Uzbekistan "first suspended its membership
    # in CSTO in 1999 but rejoined in 2006": a suspended membership, disputed by the sources that say it left.
    between = links(view(model, year="2003"), UZBEKISTAN, CSTO)
    assert set(between) <= {"membership/suspended member"}
    for edge in between.values():
        assert edge["disputed"] and any("first suspended" in q for q in quotes(model, edge["statements"]))


def test_in_2013_uzbekistan_is_a_suspended_csto_member_per_de_haas(model: NetworkModel) -> None:
    # de Haas 2017: "Karimov once more suspended Tashkent's participation in the CSTO on 28 June 2012."
    edges = links(view(model, year="2013"), UZBEKISTAN, CSTO)
    suspended = edges["membership/suspended member"]
    assert any("suspended" in q and "2012" in q for q in quotes(model, suspended["statements"]))
    assert suspended["role"] == "suspended member"
    # Any "member" edge left in 2013 rests only on reported claims, never on a stated fact.
    for statement in edges.get("membership/member", {}).get("statements", []):
        assert model.statements[statement].modality == CASEC + "ReportedClaim"


def test_taking_part_in_an_event_holds_in_the_year_of_the_event(model: NetworkModel, store: EmbeddedStore) -> None:
    # A 2014 report saying who came to the 2011 summit: the participation holds in 2011, not in 2014.
    query = """PREFIX casec: <https://w3id.org/casec/ontology#>
    PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
    SELECT ?event ?date WHERE { ?a rdf:subject ?event ; rdf:predicate casec:eventDate ; rdf:object ?date }"""
    years: dict[str, set[int]] = {}
    for row in store.select(query):
        years.setdefault(row["event"].value, set()).add(int(row["date"].value[:4]))
    checked = 0
    for fact in model.links:
        if fact.relation == "participation" and fact.target in years and not model.statements[fact.statements[0]].dated:
            assert min(years[fact.target]) <= fact.first <= fact.last <= max(years[fact.target]), fact
            checked += 1
    assert checked > 10
    summit = ID + "event/sco-heads-of-government-meeting-2011"
    russia = [f for f in model.links if f.relation == "participation" and f.target == summit]
    assert russia and all(f.first == f.last == 2011 for f in russia)


def test_undirected_links_are_stored_once(model: NetworkModel) -> None:
    graph = view(model)
    for u, v, key, data in graph.edges(keys=True, data=True):
        if not data["directed"]:
            assert u < v, (u, v, key)
            assert not graph.has_edge(v, u) or key not in graph[v][u]


# ---- filters -----------------------------------------------------------------------------------


def test_filters_change_the_counts(model: NetworkModel) -> None:
    everything = view(model)
    in_2013 = view(model, year="2013")
    memberships = view(model, relations="membership")
    assert 0 < in_2013.number_of_edges() < everything.number_of_edges()
    assert 0 < memberships.number_of_edges() < everything.number_of_edges()
    assert {d["relation"] for _, _, d in memberships.edges(data=True)} == {"membership"}
    for _, _, data in in_2013.edges(data=True):
        assert data["from_year"] <= 2013 <= data["to_year"]


def test_the_source_filter_keeps_only_that_sources_statements(model: NetworkModel) -> None:
    iskandarov = view(model, sources="002")
    assert 0 < iskandarov.number_of_edges() < view(model).number_of_edges()
    for _, _, data in iskandarov.edges(data=True):
        assert data["sources"] == [ID + "source/002_b3e1b6c5754170bd"]


def test_the_organization_filter_keeps_its_members_and_bodies(model: NetworkModel) -> None:
    graph = view(model, organization="csto")
    assert CSTO in graph and UZBEKISTAN in graph
    assert graph.number_of_nodes() < view(model).number_of_nodes()
    for node in graph:
        if node != CSTO:
            assert graph.has_edge(node, CSTO) or graph.has_edge(CSTO, node), node


@pytest.mark.parametrize(
    ("kwargs", "status"),
    [
        ({"year": "20x3"}, 400),
        ({"year": "99999"}, 400),
        ({"relations": "membership,friendship"}, 400),
        ({"organization": "org/no-such-thing"}, 404),
        ({"organization": "state/uzbekistan"}, 400),
        ({"sources": "999"}, 404),
    ],
)
def test_bad_filters_say_what_is_wrong(model: NetworkModel, kwargs: dict, status: int) -> None:
    with pytest.raises(FilterError) as raised:
        parse_filters(model, **kwargs)
    assert raised.value.status == status
    assert raised.value.message


def test_relations_default_to_the_actor_network(model: NetworkModel) -> None:
    assert parse_filters(model).relations == DEFAULT_RELATIONS
    assert parse_filters(model, relations="all").relations == frozenset(RELATIONS)


# ---- exports ------------------------------------------------------------------------------------


def test_gexf_and_graphml_parse_back_with_the_same_counts(model: NetworkModel) -> None:
    graph = view(model, year="2014")
    for back in (nx.read_gexf(io.BytesIO(gexf(graph))), nx.read_graphml(io.BytesIO(graphml(graph)))):
        assert back.is_multigraph() and back.is_directed()
        assert back.number_of_nodes() == graph.number_of_nodes()
        assert back.number_of_edges() == graph.number_of_edges()
    back = nx.read_graphml(io.BytesIO(graphml(graph)))
    some_edge = next(iter(back.edges(data=True)))[2]
    assert some_edge["statements"].startswith(ID + "statement/")
    assert back.nodes[UZBEKISTAN]["label"] == "Uzbekistan"


def test_node_link_json_and_csv_hold_every_edge(model: NetworkModel) -> None:
    graph = view(model, year="2013")
    data = json.loads(json.dumps(node_link(graph, model, evidence=True)))
    assert len(data["nodes"]) == graph.number_of_nodes() and len(data["links"]) == graph.number_of_edges()
    assert nx.node_link_graph(data, edges="links").number_of_edges() == graph.number_of_edges()
    assert all(data["statements"][s]["quotes"] for link in data["links"] for s in link["statements"])
    rows = list(csv.DictReader(io.StringIO(edge_csv(graph))))
    assert len(rows) == graph.number_of_edges()
    assert {"source", "target", "relation", "statements", "from_year"} <= set(rows[0])


# ---- analyses -----------------------------------------------------------------------------------


def test_pakistan_reaches_armenia_through_the_sco_and_the_csto_with_quotes(model: NetworkModel) -> None:
    graph = view(model, year="2017", relations="membership")
    paths = shortest_paths(graph, model, PAKISTAN, ARMENIA)
    assert paths
    # Through the SCO and the CSTO; in 2017 also through CAREC, whose membership 004 (2014) states for Pakistan and
    # Afghanistan and which persists, and Afghanistan's CSTO observer status (001: since 2013).
    assert any(SCO in [n["iri"] for n in path["nodes"]] and CSTO in [n["iri"] for n in path["nodes"]] for path in paths)
    for path in paths:
        nodes = [n["iri"] for n in path["nodes"]]
        assert nodes[0] == PAKISTAN and nodes[-1] == ARMENIA
        assert CSTO in nodes
        for hop in path["hops"]:
            assert hop["links"]
            for link in hop["links"]:
                assert link["statements"] and all(s["quotes"] for s in link["statements"])
    # Over all years, the SCO links them directly (Pakistan a member, Armenia a dialogue partner).
    direct = shortest_paths(view(model), model, PAKISTAN, ARMENIA)
    assert direct[0]["length"] == 2 and direct[0]["nodes"][1]["iri"] == SCO


def test_no_path_when_an_end_has_no_link_in_the_view(model: NetworkModel) -> None:
    assert shortest_paths(view(model, year="1995"), model, PAKISTAN, ARMENIA) == []


def test_ego_networks_grow_with_the_radius(model: NetworkModel) -> None:
    graph = view(model, year="2013")
    one, two = ego(graph, UZBEKISTAN, 1), ego(graph, UZBEKISTAN, 2)
    assert CSTO in one and SCO in one
    assert set(one) < set(two) <= set(graph)
    assert all(nx.has_path(one.to_undirected(), UZBEKISTAN, n) for n in one)


def test_metrics_put_the_two_organizations_at_the_centre_and_are_reproducible(model: NetworkModel) -> None:
    graph = view(model)
    first, second = metrics(graph), metrics(graph)
    assert first == second
    rows = {row["iri"]: row for row in first["metrics"]}
    assert set(rows) == set(graph)
    top = [row["iri"] for row in first["metrics"][:3]]
    assert SCO in top and CSTO in top
    members = [n for c in first["communities"] for n in c["members"]]
    assert sorted(members) == sorted(graph)
    assert all(0 <= row["betweenness"] <= 1 for row in first["metrics"])


# ---- the cache rebuilds when the data changes --------------------------------------------------------


class _Reloadable(EmbeddedStore):
    """A store whose data is replaced in place with a new version, as ``casec load`` does to an external one."""

    version = "v1"

    def data_version(self) -> str:
        return self.version


def test_the_cache_rebuilds_when_the_data_changes(minimal_root: Path) -> None:
    from casec.store.derive import derive

    store = _Reloadable(bundle_files(Bundle.at(minimal_root)))
    cache = NetworkCache(store, recheck=0)
    filters = parse_filters(cache.model())
    before = cache.view(filters)
    assert before.number_of_edges() == 2 and cache.builds == 1
    assert cache.view(filters) is before and cache.builds == 1
    quad = lambda s, p, o: ox.Quad(ox.NamedNode(s), ox.NamedNode(p), o, ox.DefaultGraph())  # noqa: E731
    iri, statement = ID + "state/ruritania", ID + "statement/sample-ruritania-member"
    rdf, org, rdfs = PREFIXES["rdf"], PREFIXES["org"], PREFIXES["rdfs"]
    store.oxigraph.extend(
        [
            quad(iri, rdf + "type", ox.NamedNode(CASEC + "State")),
            quad(iri, rdfs + "label", ox.Literal("Ruritania", language="en")),
            quad(statement, rdf + "type", ox.NamedNode(CASEC + "Membership")),
            quad(statement, org + "member", ox.NamedNode(iri)),
            quad(statement, org + "organization", ox.NamedNode(ID + "org/alpha-pact")),
            quad(statement, org + "role", ox.NamedNode(CASEC + "Member")),
        ]
    )
    evidence = ox.BlankNode()  # as the sample source states it (of 2010): a member as of then
    store.oxigraph.extend(
        [
            ox.Quad(ox.NamedNode(statement), ox.NamedNode(CASEC + "evidence"), evidence, ox.DefaultGraph()),
            ox.Quad(evidence, ox.NamedNode(PREFIXES["oa"] + "hasSource"), ox.NamedNode(ID + "source/sample")),
        ]
    )
    derive(store.oxigraph)  # what loading the new data derives from it
    store.version = "v2"
    after = cache.view(parse_filters(cache.model()))
    assert cache.builds == 2
    assert after.number_of_edges() == 3 and iri in after


# ---- the command line ------------------------------------------------------------------------------


def test_casec_graph_writes_gexf_that_networkx_reads(tmp_path: Path) -> None:
    out = tmp_path / "net.gexf"
    result = subprocess.run(
        [sys.executable, "-m", "casec.cli", "graph", "--format", "gexf", "--year", "2013", "-o", str(out)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    back = nx.read_gexf(out)
    nodes, edges = result.stderr.split(" nodes, ")
    assert back.number_of_nodes() == int(nodes) and back.number_of_edges() == int(edges.split()[0])


def test_casec_graph_refuses_unknown_relations() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "casec.cli", "graph", "--relations", "friendship"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "unknown relation friendship" in result.stderr
