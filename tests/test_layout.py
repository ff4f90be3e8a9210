"""The package's shape: imports point one way, and every error belongs to the one tree."""

import ast
import inspect
from pathlib import Path

import extractor
from extractor import errors

PACKAGE = Path(extractor.__file__).parent


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _runtime_imports(path: Path, modules: set[str]) -> set[str]:
    """The package's modules that ``path`` imports when it is imported (not inside functions or TYPE_CHECKING)."""
    found = set()
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name in modules}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            submodules = {f"{node.module}.{alias.name}" for alias in node.names} & modules
            found |= submodules
            if node.module in modules and len(submodules) < len(node.names):  # names from the package itself
                found.add(node.module)
    return found


def test_no_module_imports_itself_back_through_the_package():
    paths = {_module_name(path): path for path in PACKAGE.rglob("*.py")}
    graph = {name: _runtime_imports(path, set(paths)) - {name} for name, path in paths.items()}
    graph["extractor"] |= set(extractor._LAZY.values())  # imported on first use of a name, but imported

    def cycle_from(start, path=()):
        for imported in graph[start]:
            if imported in path:
                return [*path[path.index(imported):], imported]
            if found := cycle_from(imported, (*path, imported)):
                return found
        return None

    assert {name: cycle_from(name, (name,)) for name in graph if cycle_from(name, (name,))} == {}


def test_every_error_the_package_defines_is_in_the_tree_and_exported():
    defined = set()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ClassDef) and node.name.endswith("Error") and not node.name.startswith("_"):
                defined.add((node.name, _module_name(path)))
    assert {module for _, module in defined} == {"extractor.errors"}
    tree = {name for name, value in vars(errors).items() if inspect.isclass(value) and issubclass(value, errors.ExtractionError)}
    assert {name for name, _ in defined} == tree
    assert tree <= set(extractor.__all__)
    assert all(name in errors.__doc__ for name in tree)


# The flow, in order: each step may import the steps before it (and the contract's modules at the
# root), never one after it, and nothing in the flow imports the interfaces at the edge.
FLOW = ["extractor.cleanup", "extractor._cache", "extractor.llm", "extractor.reading", "extractor.reconcile",
        "extractor.pipeline", "extractor._fanout"]
EDGE = ["extractor.batch", "extractor.batchfile", "extractor.ray", "extractor.service", "extractor.cli",
        "extractor.evals", "extractor._show", "extractor._table"]


def _step(module):
    return next((i for i, step in enumerate(FLOW) if module == step or module.startswith(step + ".")), None)


def _all_imports(path):
    """Every module of the package ``path`` imports, at import time or inside a function."""
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module
            yield from (f"{node.module}.{alias.name}" for alias in node.names)


def test_each_step_of_the_flow_imports_only_the_steps_before_it_and_never_the_edge():
    backwards = []
    for path in PACKAGE.rglob("*.py"):
        module, step = _module_name(path), _step(_module_name(path))
        if step is None:
            continue
        for imported in _all_imports(path):
            later = _step(imported) is not None and _step(imported) > step
            edge = any(imported == name or imported.startswith(name + ".") for name in EDGE)
            if imported.startswith("extractor") and (later or edge):
                backwards.append((module, imported))
    assert backwards == []
