"""Property tests: whatever a record file holds, the loader answers with records or a RecordError.

Random text and bytes, truncated real records, and well-formed YAML with values of the wrong
type: never any other exception, and every problem names the file.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.compile.load import load_records
from kg.errors import RecordError
from kg.schema.vocabulary import load_vocabulary
from kg.settings import Settings
from tests.conftest import FIXTURES

VOCABULARY = load_vocabulary(Settings().ontology_dir)
REAL = sorted((Settings().data_dir / "models").glob("*.yaml"))[:40]
FIELDS = ["id", "name", "source", "confidence", "developers", "derived_from", "released", "parameters",
          "trained_on", "languages", "provenance", "licenses", "family", "aliases"]  # fmt: skip
SETTINGS = settings(max_examples=100, deadline=None, suppress_health_check=list(HealthCheck))

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=30)
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=12,
)


TMP = Path(tempfile.mkdtemp(prefix="llmkg-fuzz-"))
atexit.register(shutil.rmtree, TMP, ignore_errors=True)
DATA = TMP / "data"
shutil.copytree(FIXTURES / "data", DATA)


def check(content: bytes) -> None:
    """Load the fixture dataset plus one model file with ``content``; only RecordError may come out."""
    (DATA / "models" / "fuzzed.yaml").write_bytes(content)
    try:
        load_records(DATA, VOCABULARY)
    except RecordError as exc:
        problems = exc.problems
    else:
        return
    assert problems
    assert all(p.path.endswith(".yaml") for p in problems)


@SETTINGS
@given(st.text())
def test_random_text(text: str) -> None:
    check(text.encode("utf-8", "surrogatepass"))


@SETTINGS
@given(st.binary())
def test_random_bytes(data: bytes) -> None:
    check(data)


@SETTINGS
@given(st.sampled_from(REAL), st.floats(min_value=0, max_value=1))
def test_truncated_real_records(path: Path, fraction: float) -> None:
    content = path.read_bytes()
    check(content[: int(len(content) * fraction)])


@SETTINGS
@given(st.dictionaries(st.sampled_from(FIELDS), values, max_size=8))
def test_wrongly_typed_fields(fields: dict[str, object]) -> None:
    check(yaml.safe_dump({"id": "fuzzed", **fields}, allow_unicode=True).encode())


def test_alias_bomb_is_refused_quickly() -> None:
    levels = [f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 9) + "]" for i in range(1, 10)]
    bomb = "l0: &l0 [x]\n" + "\n".join(levels) + "\naliases: *l9\n"
    check(bomb.encode())
