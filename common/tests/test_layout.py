"""The layout's two import rules, checked on the source (no code is imported or run).

1. common/ is a leaf: it imports no project app, so any app may import it.
2. No project code is imported inside a function body, except in AppConfig.ready() (where
   Django wants signal handlers and checks registered). An import hidden in a function to
   dodge an import circle means a helper is in the wrong place: move the helper instead.
3. The module-level imports between project modules make no circle, so that no module
   works only because of the order in which others happen to be imported.
Tests and migrations are not checked.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APPS = {"association", "members", "elections", "stations", "training"}
PROJECT = APPS | {"common"}
SKIPPED_PARTS = {".venv", "tests", "migrations", "node_modules", "media", "staticfiles"}


def python_files():
    for path in sorted(ROOT.rglob("*.py")):
        relative = path.relative_to(ROOT)
        if SKIPPED_PARTS.isdisjoint(relative.parts) and relative.name != "conftest.py":
            yield relative


def imported_modules(node):
    """The modules an import statement names ("." and ".x" for relative ones)."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    return ["." * node.level + (node.module or "")]


def is_project(module):
    return module.startswith(".") or module.split(".")[0] in PROJECT


def is_app_config_ready(function, owner):
    if function.name != "ready" or owner is None:
        return False
    bases = [
        base.attr if isinstance(base, ast.Attribute) else getattr(base, "id", "")
        for base in owner.bases
    ]
    return "AppConfig" in bases


def hidden_imports(tree):
    """{"Class.function" or "function": [module, ...]} for project imports inside functions."""
    found = {}

    def visit(node, names, in_function, owner):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.ClassDef):
                visit(child, [*names, child.name], in_function, child)
            elif isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                if not is_app_config_ready(child, owner):
                    visit(child, [*names, child.name], True, None)
            elif isinstance(child, ast.Import | ast.ImportFrom):
                modules = [module for module in imported_modules(child) if is_project(module)]
                if in_function and modules:
                    found.setdefault(".".join(names), []).extend(modules)
            else:
                visit(child, names, in_function, owner)

    visit(tree, [], False, None)
    return found


def parse(relative):
    return ast.parse((ROOT / relative).read_text(encoding="utf-8"), filename=str(relative))


def test_common_imports_no_app():
    offenders = []
    for relative in python_files():
        if relative.parts[0] != "common":
            continue
        for node in ast.walk(parse(relative)):
            if isinstance(node, ast.Import | ast.ImportFrom):
                for module in imported_modules(node):
                    if module.split(".")[0] in APPS:
                        offenders.append(f"{relative}:{node.lineno}: {module}")
    assert offenders == [], "common/ must not import an app:\n" + "\n".join(offenders)


def test_no_project_import_hides_in_a_function_body():
    found = {}
    for relative in python_files():
        for function, modules in hidden_imports(parse(relative)).items():
            found[f"{relative.as_posix()}:{function}"] = modules
    assert found == {}, (
        "Import these at the top of the module (move the helper if that makes a circle):\n"
        + "\n".join(f"{place}: {', '.join(modules)}" for place, modules in sorted(found.items()))
    )


def test_the_checker_sees_what_it_must():
    tree = ast.parse(
        "from members import roles\n"
        "def view():\n"
        "    from members.models import Member\n"
        "    import json\n"
        "class Kind:\n"
        "    def count(self):\n"
        "        from .tally import count\n"
        "class Config(AppConfig):\n"
        "    def ready(self):\n"
        "        from . import checks\n"
        "class Other(apps.AppConfig):\n"
        "    def setup(self):\n"
        "        import stations.models\n"
    )
    assert hidden_imports(tree) == {
        "view": ["members.models"],
        "Kind.count": [".tally"],
        "Other.setup": ["stations.models"],
    }


def module_name(relative):
    parts = list(relative.with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def module_level_imports(tree, module, is_package, known):
    """The project modules `module` imports when it is loaded (function bodies left out)."""
    found = set()

    def add(name):
        while name and name not in known:
            name = name.rpartition(".")[0]
        if name and name != module:
            found.add(name)

    def visit(node):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            if isinstance(child, ast.Import):
                for alias in child.names:
                    add(alias.name)
            elif isinstance(child, ast.ImportFrom):
                base = child.module or ""
                if child.level:
                    package = module.split(".") if is_package else module.split(".")[:-1]
                    package = package[: len(package) - child.level + 1]
                    base = ".".join([*package, base] if base else package)
                for alias in child.names:
                    add(f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base)
            else:
                visit(child)

    visit(tree)
    return {name for name in found if name.split(".")[0] in PROJECT}


def import_circles(graph):
    """Groups of modules that import each other, directly or through others (Tarjan)."""
    index, low, stack, on_stack, circles = {}, {}, [], set(), []

    def strongly_connect(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in sorted(graph.get(node, ())):
            if other not in index:
                strongly_connect(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            group = []
            while True:
                other = stack.pop()
                on_stack.discard(other)
                group.append(other)
                if other == node:
                    break
            if len(group) > 1:
                circles.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            strongly_connect(node)
    return circles


def test_module_level_imports_make_no_circle():
    files = {module_name(relative): relative for relative in python_files()}
    graph = {
        module: module_level_imports(
            parse(relative), module, relative.name == "__init__.py", files.keys()
        )
        for module, relative in files.items()
    }
    circles = import_circles(graph)
    assert circles == [], "These modules import each other at module level:\n" + "\n".join(
        " <-> ".join(group) for group in circles
    )


def test_the_circle_finder_sees_what_it_must():
    known = {"members", "members.models", "members.models.membership", "association.models"}
    tree = ast.parse(
        "from . import membership\n"
        "from ..roles import x\n"
        "from association.models import Profile\n"
        "def later():\n"
        "    import stations.models\n"
    )
    assert module_level_imports(tree, "members.models", True, known) == {
        "members.models.membership",
        "members",
        "association.models",
    }
    assert import_circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
