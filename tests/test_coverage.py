"""``casec coverage`` as a curator uses it: which sentences naming entities no quote captures yet.

The fixture text (tests/fixtures/coverage/texts/sample.txt) has, line by line: a quoted founding
sentence and an unquoted one after "Dr." (2); a sentence whose entities cross a hyphenated line
break and a lost ligature (4-5); "us" in lower case and "the US" (6); a post and an author-year
citation, neither of which counts (7); an entity and a year (8); a name with a diacritic the label
lacks (9); a heading after a blank line (11).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from casec.bundle import Bundle

FIXTURE = Path(__file__).parent / "fixtures" / "coverage"
TEXTS = FIXTURE / "texts"
SAMPLE = "src:sample"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A bundle folder holding the fixture's data, which each test may change."""
    shutil.copytree(FIXTURE / "data", tmp_path / "data")
    return tmp_path


def casec(root: Path, *args: str, sources: Path = TEXTS) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "casec.cli", "--root", str(root), "coverage", "--sources", str(sources), *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


def report(root: Path, *args: str) -> dict:
    result = casec(root, "--format", "json", *args)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)["sources"][0]


def open_lines(source: dict) -> dict[int, dict]:
    return {c["line"]: c for c in source["open_sentences"]}


def add_quote(root: Path, quote: str, line: int) -> None:
    """Cite ``quote`` as the evidence of one more statement of the sample source."""
    with (root / "data" / "sources" / "sample.ttl").open("a", encoding="utf-8") as out:
        out.write(
            f"\nst:sample-extra-{line} a casec:Assertion ;\n"
            '    rdf:subject orgn:alpha-pact ; rdf:predicate casec:foundingDate ; rdf:object "1999"^^xsd:gYear ;\n'
            f"    casec:evidence [ oa:hasSource {SAMPLE} ; casec:line {line} ;\n"
            f'        oa:hasSelector [ a oa:TextQuoteSelector ; oa:exact "{quote}" ] ] .\n'
        )


def review(root: Path, *rows: str) -> None:
    folder = root / "data" / "reviewed"
    folder.mkdir(exist_ok=True)
    (folder / "sample.tsv").write_text("# line\tsentence\treason\n" + "".join(r + "\n" for r in rows), encoding="utf-8")


def test_a_sentence_naming_two_entities_without_a_quote_is_on_the_worklist(root: Path) -> None:
    source = report(root)
    sentence = open_lines(source)[2]
    assert sentence["sentence"] == "Dr. Marx of Freedonia visited Sylvania."
    assert sentence["entities"] == [
        "https://w3id.org/casec/id/state/freedonia",
        "https://w3id.org/casec/id/state/sylvania",
    ]
    assert (source["candidates"], source["quoted"], source["open"]) == (7, 1, 6)


def test_the_quoted_sentence_is_covered_and_quoting_another_covers_it(root: Path) -> None:
    assert "The Alpha Pact" not in str(report(root)["open_sentences"])
    add_quote(root, "Marx of Freedonia visited Sylvania", 2)
    source = report(root)
    assert 2 not in open_lines(source)
    assert (source["quoted"], source["open"], source["percent"]) == (2, 5, 28.6)


def test_entities_and_quotes_are_found_across_hyphenation_ligatures_and_diacritics(root: Path) -> None:
    lines = open_lines(report(root))
    assert lines[4]["entities"] == [
        "https://w3id.org/casec/id/place/fredville",
        "https://w3id.org/casec/id/state/sylvania",
        "https://w3id.org/casec/id/threat/trafficking",
        "https://w3id.org/casec/id/state/freedonia",
    ]
    assert lines[9]["entities"][0] == "https://w3id.org/casec/id/state/ruritania"
    # Quoted as printed, the sentence is found across the line break and the lost "ffi".
    add_quote(root, "the capital of Sylvania; it fights trafficking", 4)
    assert 4 not in open_lines(report(root))


def test_acronyms_match_only_as_printed_and_posts_and_citations_do_not_count(root: Path) -> None:
    lines = open_lines(report(root))
    assert lines[6]["sentence"] == "The US praised Freedonia."  # not "Let us say that Freedonia is large."
    assert 7 not in lines  # "The Head of Freedonia", "Freedonia grew fast (Marx, 2001)."
    assert lines[8]["years"] == ["2004"]


def test_a_reviewed_sentence_counts_as_covered_with_its_reason(root: Path) -> None:
    key = open_lines(report(root))[8]["key"]
    review(root, "6\tThe US praised\tpraise is no fact", f"8\t{key}\trepeats line 2", "11\t*\theading")
    source = report(root)
    assert (source["reviewed"], source["open"], source["problems"]) == (3, 3, [])
    reasons = {c["line"]: c["reason"] for c in source["reviewed_sentences"]}
    assert reasons == {6: "praise is no fact", 8: "repeats line 2", 11: "heading"}
    assert "sample.txt: 4/7 candidate sentences covered (57.1 %), 3 reviewed, 3 open" in casec(root).stdout


def test_reviewed_rows_that_match_nothing_or_are_malformed_are_reported(root: Path) -> None:
    review(root, "6\tLet us say\tnot a candidate", "8 Sylvania joined")
    source = report(root)
    assert source["reviewed"] == 0
    assert any("row 2" in p and "matches no candidate sentence" in p for p in source["problems"])
    assert any(p.startswith("sample.tsv:3: expected LINE") for p in source["problems"])


def test_text_output_gives_the_figure_then_the_worklist(root: Path) -> None:
    result = casec(root)
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "sample.txt: 1/7 candidate sentences covered (14.3 %), 0 reviewed, 6 open"
    assert "sample.txt:2  Dr. Marx of Freedonia visited Sylvania.  [state:freedonia, state:sylvania]" in lines
    assert "sample.txt:8  Sylvania joined in 2004.  [state:sylvania, 2004]" in lines
    assert casec(root, "--limit", "0").stdout.splitlines() == lines[:1]
    assert len(casec(root, "--limit", "2").stdout.splitlines()) == 1 + 1 + 2


def test_it_cannot_run_without_the_texts_or_with_no_matching_source(root: Path, tmp_path: Path) -> None:
    assert casec(root, sources=tmp_path / "nowhere").returncode == 2
    missing = casec(root, "--source", "zzz")
    assert missing.returncode == 2
    assert "no text" in missing.stderr


def test_the_fixture_is_valid_data(root: Path, bundle: Bundle) -> None:
    """The fixture follows the real shapes, so what it tests is what curators write."""
    shutil.copytree(bundle.ontology, root / "ontology")
    shutil.copytree(bundle.shapes, root / "shapes")
    result = subprocess.run(
        [sys.executable, "-m", "casec.cli", "--root", str(root), "validate", "--sources", str(TEXTS)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout


def test_the_bundled_graph_gets_a_figure_for_every_source_text(seeds: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "casec.cli", "coverage", "--sources", str(seeds), "--format", "json", "--limit", "0"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert [s["file"] for s in payload["sources"]] == sorted(p.name for p in seeds.glob("*.txt"))
    for source in payload["sources"]:
        assert source["candidates"] > 0 and source["quoted"] > 0
        assert source["quotes_not_found"] == 0
        assert source["problems"] == []
    assert payload["total"]["candidates"] == sum(s["candidates"] for s in payload["sources"])
