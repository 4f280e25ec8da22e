"""The house plan, checked from the source: no import circle in checker/, and the stages (read/,
analyse/) and the shared vocabulary never import a rule kind (checks/) or the configuration.
Function-level imports count: a circle closed lazily is still a circle."""
from __future__ import annotations

import ast
import re
from pathlib import Path

from .conftest import ROOT

PACKAGE = ROOT / "checker"
# modules that the stages may use, and that must therefore stand below the rules and config
BELOW_RULES = ("checker.analyse", "checker.read", "checker.elements", "checker.lexicon", "checker.termlists",
               "checker.text", "checker.regex", "checker.models", "checker.errors", "checker.resources",
               "checker.limits", "checker.settings", "checker.document", "checker.script", "checker.words")
ABOVE = ("checker.checks", "checker.config")


def _name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph() -> dict[str, set[str]]:
    """Module → the checker modules it imports (a `from pkg import sub` names the submodule)."""
    modules = {_name(p): p for p in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = {m: set() for m in modules}
    for mod, path in modules.items():
        package = mod.split(".") if path.name == "__init__.py" else mod.split(".")[:-1]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                graph[mod] |= {a.name for a in node.names if a.name in modules}
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = ".".join(package[:len(package) - node.level + 1])
                    target = base + ("." + node.module if node.module else "")
                else:
                    target = node.module or ""
                for a in node.names:
                    sub = f"{target}.{a.name}"
                    if sub in modules:
                        graph[mod].add(sub)
                    elif target in modules:
                        graph[mod].add(target)
    for mod in graph:
        graph[mod].discard(mod)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The import circles: strongly connected components of more than one module (Tarjan,
    iterative so that a deep chain cannot overflow the stack)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            v, children = work[-1]
            w = next(children, None)
            if w is not None:
                if w not in index:
                    index[w] = low[w] = len(index)
                    stack.append(w)
                    on_stack.add(w)
                    work.append((w, iter(sorted(graph[w]))))
                elif w in on_stack:
                    low[v] = min(low[v], index[w])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[v])
            if low[v] == index[v]:
                comp = []
                while True:
                    x = stack.pop()
                    on_stack.discard(x)
                    comp.append(x)
                    if x == v:
                        break
                if len(comp) > 1:
                    found.append(sorted(comp))
    return found


def _under(mod: str, prefixes) -> bool:
    return any(mod == p or mod.startswith(p + ".") for p in prefixes)


def test_the_finder_sees_a_circle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_circle_in_checker():
    graph = import_graph()
    assert len(graph) > 50 and graph["checker.pipeline"], "the walk found the modules and their imports"
    assert cycles(graph) == []


def test_stages_never_import_rule_kinds_or_config():
    graph = import_graph()
    wrong = sorted((m, t) for m, targets in graph.items() if _under(m, BELOW_RULES)
                   for t in targets if _under(t, ABOVE))
    assert wrong == []


def test_pipeline_takes_rules_and_does_not_choose_them():
    assert not {t for t in import_graph()["checker.pipeline"] if _under(t, ("checker.config",))}


def test_only_the_command_line_starts_the_server():
    """The server (checker/serve/) is a front end like the CLI: nothing below it imports it."""
    graph = import_graph()
    users = sorted(m for m, targets in graph.items() if not _under(m, ("checker.serve", "checker.cli"))
                   for t in targets if _under(t, ("checker.serve",)))
    assert graph["checker.serve.app"] and users == []


_NAMED_FILE = re.compile(r"\b(?<![\w/.])(?:checker|rules|grammar|bench|tests|docs)/[\w/.-]+\.(?:py|yaml|lark|j2|tsv|md)\b")


def test_files_named_in_comments_and_data_exist():
    """A comment that sends the reader to a file that moved sends them nowhere."""
    stale = []
    for path in [*PACKAGE.rglob("*.py"), *(ROOT / "rules").rglob("*.yaml"), *(ROOT / "grammar").glob("*"),
                 ROOT / "README.md"]:
        for no, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for named in _NAMED_FILE.findall(line):
                if "_data/" not in named and not (ROOT / named).exists():
                    stale.append(f"{path.relative_to(ROOT)}:{no}: {named}")
    assert stale == []
