"""Check the bundle: Turtle syntax, the SHACL shapes, which graph each file's
evidence belongs to, and (optionally) every quote against its source text.

Findings are :class:`Finding` objects that name the file, the entity and what is
wrong, so a curator can go straight to the line to fix.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
import rdflib
from pyshacl import validate as shacl_validate
from rdflib import BNode, URIRef
from rdflib.namespace import SH
from rdflib.query import ResultRow

from casec.bundle import Bundle
from casec.curation.quotes import EVIDENCE_QUERY, CitedQuote, check_quotes
from casec.store.load import DataFile, bundle_files, parse_into
from casec.vocab import CASEC, OA, PREFIXES, SHAPES

OA_HAS_SOURCE = URIRef(OA + "hasSource")
EVIDENCE = URIRef(CASEC + "evidence")


@dataclass(frozen=True)
class Finding:
    """One thing wrong with the data, located as precisely as we can."""

    file: str
    line: int | None
    focus: str
    message: str
    rule: str
    column: int | None = None
    value: str | None = None

    def as_dict(self) -> dict[str, str | int | None]:
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "focus": self.focus,
            "rule": self.rule,
            "message": self.message,
            "value": self.value,
        }


@dataclass
class Report:
    findings: list[Finding] = field(default_factory=list)
    files: int = 0
    triples: int = 0
    quotes_checked: int | None = None

    @property
    def valid(self) -> bool:
        return not self.findings


def validate_bundle(bundle: Bundle, sources_dir: Path | None = None) -> Report:
    """Run every check; raises OSError/ValueError only when the checks cannot run. A file that does not parse
    stops the checks there: the report is the parse errors alone."""
    files = bundle_files(bundle)
    report = Report(files=len(files))
    syntax = parse_into(ox.Store(), files)
    if syntax:  # the shapes would judge a graph with holes and report each hole as a problem (1,189 for one typo)
        report.findings = [Finding(str(e.path), e.line, "", e.message, "syntax", e.column) for e in syntax]
        return report
    data = _CuratedData(files, bundle)
    report.triples = len(data.graph)
    report.findings += data.shacl(bundle.shape_files())
    report.findings += data.evidence_graphs()
    if sources_dir is not None:
        report.quotes_checked, found = data.quotes(sources_dir)
        report.findings += found
    report.findings.sort(key=lambda f: (f.file, f.focus, f.line or 0, f.message))
    return report


class _CuratedData:
    """The parsed bundle, with a way back from every node to the file and line
    that defines it."""

    def __init__(self, files: list[DataFile], bundle: Bundle) -> None:
        self.graph = rdflib.Graph()
        self.ontology = rdflib.Graph()
        self.shapes = rdflib.Graph()
        self._origin: dict[rdflib.term.Node, Path] = {}
        self._texts: dict[Path, str] = {}
        self._statement_files: dict[Path, tuple[str, rdflib.Graph]] = {}  # a source's file: its graph, its triples
        ontology_dir = bundle.ontology.resolve()
        for file in files:
            target = self.ontology if file.path.resolve().parent == ontology_dir else self.graph
            part = rdflib.Graph().parse(file.path, format=_rdflib_format(file.path))
            for subject in part.subjects(unique=True):
                self._origin.setdefault(subject, file.path)
            if file.graph is not None:
                self._statement_files[file.path] = (file.graph, part)
            target += part
        for name, iri in PREFIXES.items():
            self.graph.bind(name, iri)
        self.graph.bind("cs", SHAPES)

    def shacl(self, shape_files: list[Path]) -> list[Finding]:
        for path in shape_files:
            self.shapes.parse(path, format="turtle")
        # the ontology's own terms (roles, modalities, end kinds, activity states) are typed there, so
        # statements may point to them; shapes can name a class (sh:class) instead of repeating a list
        conforms, results, _ = shacl_validate(
            self.graph + self.ontology,
            shacl_graph=self.shapes,
            inference="none",
            advanced=True,
            allow_warnings=True,
        )
        if conforms:
            return []
        findings = []
        for result in results.objects(None, SH.result):
            focus = results.value(result, SH.focusNode)
            message = results.value(result, SH.resultMessage)
            path = results.value(result, SH.resultPath)
            value = results.value(result, SH.value)
            shape = results.value(result, SH.sourceShape)
            component = results.value(result, SH.sourceConstraintComponent)
            owner = self._owner(focus)
            file, line = self._locate(owner)
            parent = next(self.shapes.subjects(SH.property, shape), None) if shape is not None else None
            named = shape if isinstance(shape, URIRef) else parent
            rule = self._name(named) if isinstance(named, URIRef) else self._name(component)
            text = self._compact(str(message)) if message else f"violates {rule}"
            if path is not None and not isinstance(path, BNode):
                text = f"{self._name(path)}: {text}"
            if isinstance(focus, BNode):
                text = f"evidence of this statement: {text}"
            findings.append(
                Finding(file, line, self._name(owner), text, rule, value=None if value is None else self._name(value))
            )
        return findings

    def evidence_graphs(self) -> list[Finding]:
        """Each statement file cites only its own source."""
        findings = []
        for path, (graph, part) in self._statement_files.items():
            for evidence, source in part.subject_objects(OA_HAS_SOURCE):
                if str(source) != graph:
                    owner = next(part.subjects(EVIDENCE, evidence), evidence)
                    line = self._line_of(path, owner)
                    findings.append(
                        Finding(
                            str(path),
                            line,
                            self._name(owner),
                            f"cites {self._name(source)}, but this file holds the statements of "
                            f"{self._name(URIRef(graph))}: move the statement to that source's file",
                            "evidence-graph",
                        )
                    )
        return findings

    def quotes(self, sources_dir: Path) -> tuple[int, list[Finding]]:
        rows = [
            CitedQuote(
                statement=str(row["statement"]),
                source=str(row["source"]),
                file=None if row["file"] is None else str(row["file"]),
                quote=str(row["quote"]),
                line=None if row["line"] is None else int(str(row["line"])),
            )
            for row in self.graph.query(EVIDENCE_QUERY)
            if isinstance(row, ResultRow)  # what a SELECT answers (rdflib types every query form's answer alike)
        ]
        findings = []
        for problem in check_quotes(rows, sources_dir):
            statement = URIRef(problem.statement)
            file, line = self._locate(statement)
            findings.append(
                Finding(file, line, self._name(statement), f'{problem.message}: "{_shorten(problem.quote)}"', "quote")
            )
        return len(rows), findings

    def _owner(self, node: rdflib.term.Node) -> rdflib.term.Node:
        """The statement or entity to blame: for a blank node (evidence, selector)
        the named node it belongs to; for a term no file defines (a predicate)
        the first node that uses it."""
        seen = set()
        while (isinstance(node, BNode) or node not in self._origin) and node not in seen:
            seen.add(node)
            parent = next(self.graph.subjects(None, node), None)
            if parent is None:
                break
            node = parent
        return node

    def _locate(self, node: rdflib.term.Node) -> tuple[str, int | None]:
        path = self._origin.get(node)
        if path is None:
            return "(unknown file)", None
        return str(path), self._line_of(path, node)

    def _line_of(self, path: Path, node: rdflib.term.Node) -> int | None:
        if not isinstance(node, URIRef):
            return None
        if path not in self._texts:
            self._texts[path] = path.read_text(encoding="utf-8")
        text = self._texts[path]
        qname = self._name(node)
        pattern = rf"^\s*(?:<{re.escape(str(node))}>|{re.escape(qname)})(?=\s)"
        match = re.search(pattern, text, re.MULTILINE)
        return text.count("\n", 0, match.start()) + 1 if match else None

    def _compact(self, text: str) -> str:
        """Write the IRIs pyshacl puts into messages as prefixed names."""
        return re.sub(r"(?<![<\w])(https?://[^\s)>\]]+)", lambda m: self._name(URIRef(m.group(1))), text)

    def _name(self, node: rdflib.term.Node | None) -> str:
        if node is None:
            return ""
        if isinstance(node, URIRef):
            try:
                return self.graph.namespace_manager.normalizeUri(node)
            except ValueError:
                return str(node)
        return str(node)


def _rdflib_format(path: Path) -> str:
    return {".trig": "trig", ".nt": "nt", ".nq": "nquads", ".rdf": "xml", ".jsonld": "json-ld"}.get(
        path.suffix, "turtle"
    )


def _shorten(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"
