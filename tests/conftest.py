"""Shared fixtures: the bundled graph, and small bundles built in a temp folder."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from casec.bundle import Bundle, default_bundle
from casec.load import bundle_files
from casec.store import EmbeddedStore

FIXTURES = Path(__file__).parent / "fixtures"
SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"


@pytest.fixture(scope="session")
def bundle() -> Bundle:
    return default_bundle()


@pytest.fixture(scope="session")
def store(bundle: Bundle) -> EmbeddedStore:
    return EmbeddedStore(bundle_files(bundle))


@pytest.fixture
def minimal_root(tmp_path: Path, bundle: Bundle) -> Path:
    """A bundle with the real ontology and shapes and the tiny sample data set."""
    shutil.copytree(bundle.ontology, tmp_path / "ontology")
    shutil.copytree(bundle.shapes, tmp_path / "shapes")
    shutil.copytree(FIXTURES / "minimal" / "data", tmp_path / "data")
    (tmp_path / "queries").mkdir()
    return tmp_path


@pytest.fixture
def sample_texts() -> Path:
    return FIXTURES / "minimal" / "texts"


@pytest.fixture
def seeds() -> Path:
    if not SEEDS.is_dir():
        pytest.skip("the source texts (../shared/seeds) are not beside this checkout")
    return SEEDS
