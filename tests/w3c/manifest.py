"""Read the W3C SPARQL 1.1 test manifests (protocol, result formats) into plain Python records."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS

MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
QT = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-query#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
HTS = Namespace("http://www.w3.org/2011/http-statusCodes#")

W3C = Path(__file__).resolve().parents[3] / "shared" / "w3c-sparql11"


@dataclass(frozen=True)
class HttpRequest:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes | None
    expected_status: frozenset[int]  # status classes: 2, 3, 4
    expected_format: str | None
    expected_boolean: bool | None


@dataclass(frozen=True)
class ProtocolTest:
    iri: str
    name: str
    requests: list[HttpRequest]
    graphs: dict[str, Path] = field(default_factory=dict)  # graph name -> data file

    @property
    def id(self) -> str:
        return self.iri.rsplit("#", 1)[-1]


@dataclass(frozen=True)
class ResultFormatTest:
    iri: str
    name: str
    query: Path
    data: Path
    result: Path

    @property
    def id(self) -> str:
        return self.iri.rsplit("#", 1)[-1]


def _entries(graph: Graph) -> list[URIRef]:
    manifest = next(graph.subjects(RDF.type, MF.Manifest))
    return list(Collection(graph, graph.value(manifest, MF.entries)))


def _manifest(folder: str) -> tuple[Graph, Path]:
    path = W3C / folder / "manifest.ttl"
    graph = Graph()
    graph.parse(path, format="turtle", publicID=(W3C / folder / "manifest.ttl").as_uri())
    return graph, path.parent


def protocol_tests() -> list[ProtocolTest]:
    graph, folder = _manifest("protocol")
    tests = []
    for entry in _entries(graph):
        action = graph.value(entry, MF.action)
        requests = [_request(graph, node) for node in Collection(graph, graph.value(action, HT.requests))]
        graphs = {
            str(graph.value(data, RDFS.label)): folder / Path(str(graph.value(data, UT.graph))).name
            for data in graph.objects(entry, UT.graphData)
        }
        tests.append(ProtocolTest(str(entry), str(graph.value(entry, MF.name)), requests, graphs))
    return tests


def _request(graph: Graph, node: URIRef) -> HttpRequest:
    headers = {}
    header_list = graph.value(node, HT.headers)
    if header_list is not None:
        for header in Collection(graph, header_list):
            headers[str(graph.value(header, HT.fieldName))] = str(graph.value(header, HT.fieldValue))
    body_node = graph.value(node, HT.body)
    body = None
    if body_node is not None:
        encoding = str(graph.value(body_node, CNT.characterEncoding) or "UTF-8")
        charset = headers.get("content-type", "").partition("charset=")[2] or encoding
        body = str(graph.value(body_node, CNT.chars)).encode(charset)
    response = graph.value(node, HT.resp)
    statuses = frozenset(int(str(s).rsplit("StatusCode", 1)[1][0]) for s in graph.objects(response, MF.expectedStatus))
    boolean = graph.value(response, MF.expectedBoolean)
    fmt = graph.value(response, MF.expectedFormat)
    return HttpRequest(
        str(graph.value(node, HT.methodName)),
        str(graph.value(node, HT.absolutePath)),
        headers,
        body,
        statuses,
        str(fmt) if fmt is not None else None,
        bool(boolean.toPython()) if boolean is not None else None,
    )


def result_format_tests(folder_name: str) -> list[ResultFormatTest]:
    graph, folder = _manifest(folder_name)
    tests = []
    for entry in _entries(graph):
        action = graph.value(entry, MF.action)

        def local(term: object) -> Path:
            return folder / Path(str(term)).name

        tests.append(
            ResultFormatTest(
                str(entry),
                str(graph.value(entry, MF.name)),
                local(graph.value(action, QT.query)),
                local(graph.value(action, QT.data)),
                local(graph.value(entry, MF.result)),
            )
        )
    return tests
