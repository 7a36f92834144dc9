"""Each SHACL rule and file check, fed one broken fixture, gives its precise message."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import rdflib
from rdflib.namespace import SH

from casec.bundle import Bundle
from casec.curation.validate import validate_bundle

BROKEN = sorted((Path(__file__).parent / "fixtures" / "broken").glob("*.ttl"))


def _header(path: Path) -> dict[str, str]:
    fields = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("# "):
            break
        key, _, value = line[2:].partition(": ")
        fields[key] = value
    return fields


def test_the_sample_data_is_valid(minimal_root: Path, sample_texts: Path) -> None:
    report = validate_bundle(Bundle.at(minimal_root), sample_texts)
    assert report.findings == []
    assert report.quotes_checked == 5


@pytest.mark.parametrize("fixture", BROKEN, ids=[p.stem for p in BROKEN])
def test_broken_fixture_gives_its_message(fixture: Path, minimal_root: Path, sample_texts: Path) -> None:
    expected = _header(fixture)
    target = minimal_root / "data" / expected["dest"]
    shutil.copy(fixture, target)
    report = validate_bundle(Bundle.at(minimal_root), sample_texts)
    about = [f for f in report.findings if f.focus == expected["focus"]]
    assert about, f"no finding about {expected['focus']}: {report.findings}"
    assert any(expected["message"] in f.message for f in about), [f.message for f in about]
    assert all(f.file == str(target) for f in about)
    assert all(f.line is not None for f in about if f.focus.startswith(("st:", "state:", "orgn:")))


def test_a_syntax_error_names_file_line_and_column(minimal_root: Path) -> None:
    bad = minimal_root / "data" / "entities" / "bad.ttl"
    bad.write_text('@prefix a: <http://a/> .\na:x a:y "unterminated .\n', encoding="utf-8")
    report = validate_bundle(Bundle.at(minimal_root))
    [finding] = [f for f in report.findings if f.rule == "syntax"]
    assert (finding.file, finding.line, finding.column) == (str(bad), 2, 9)


SHACL_TERMS = {
    str(term)
    for term in rdflib.Graph()
    .parse(Path(__import__("pyshacl").__file__).parent / "assets" / "shacl.ttl", format="turtle")
    .subjects()
    if str(term).startswith(str(SH))
}


def test_shapes_use_only_terms_the_shacl_vocabulary_defines(bundle: Bundle) -> None:
    # pyshacl silently ignores a misspelled term such as sh:minlength.
    for path in bundle.shape_files():
        graph = rdflib.Graph().parse(path, format="turtle")
        used = {str(t) for triple in graph for t in triple if str(t).startswith(str(SH))}
        assert used - SHACL_TERMS == set(), path


def test_the_shacl_lint_catches_a_misspelling() -> None:
    assert str(SH.minLength) in SHACL_TERMS
    assert str(SH) + "minlength" not in SHACL_TERMS
