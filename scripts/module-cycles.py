#!/usr/bin/env python3
"""Lists the import circles between the modules of the Rust crates; exits 1 when there is one.

A module is a source file (`foo.rs` or `foo/mod.rs`). A module depends on another when its code
names something of it: a `use crate::…`, `use super::…` or `use self::…` line, or a path such as
`crate::a::b::f(…)` written in the code. A parent's `mod child;` and its `pub use child::…`
re-exports only declare the parent's surface: they are not dependencies of the parent's code,
so a child that uses its parent's error type is no circle. Run by scripts/test.sh.

    python3 scripts/module-cycles.py [CHECKOUT]   # every crate: src-tauri/core/src, src-tauri/src
"""

import os
import re
import sys

ROOT = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CRATES = ["src-tauri/core/src", "src-tauri/src"]


def modules(src):
    """{module path tuple: file} for a crate's sources."""
    found = {}
    for folder, _, files in os.walk(src):
        for name in files:
            if not name.endswith(".rs"):
                continue
            rel = os.path.relpath(os.path.join(folder, name), src)
            parts = rel[:-3].split(os.sep)
            if parts[-1] in ("mod", "lib", "main"):
                parts = parts[:-1]
            found[tuple(parts)] = os.path.join(folder, name)
    return found


def strip_comments_and_tests(text):
    text = re.sub(r"//[^\n]*", "", text)
    # Unit tests live beside the code but are not part of its dependencies.
    cut = re.search(r"#\[cfg\(test\)\]\s*mod\s+tests", text)
    return text[: cut.start()] if cut else text


def paths_in(text):
    """(path, is_reexport) for every crate-relative path the code names."""
    for m in re.finditer(r"(pub(?:\([^)]*\))?\s+)?use\s+([^;]+);", text):
        reexport = m.group(1) is not None
        for path in expand(m.group(2)):
            yield path, reexport
    body = re.sub(r"(pub(?:\([^)]*\))?\s+)?use\s+[^;]+;", "", text)
    for m in re.finditer(r"\b((?:crate|super|self)(?:::[A-Za-z_][A-Za-z0-9_]*)+)", body):
        yield m.group(1).split("::"), False


def expand(tree):
    """`a::{b, c::d}` → [[a, b], [a, c, d]] (enough of Rust's use trees for this crate)."""
    tree = re.sub(r"\s+", "", tree)
    tree = re.sub(r"\bas\w+", "", tree)
    if "{" not in tree:
        return [tree.split("::")]
    head, _, rest = tree.partition("{")
    inner = rest[: rest.rfind("}")]
    parts, depth, current = [], 0, ""
    for ch in inner:
        if ch == "," and depth == 0:
            parts.append(current)
            current = ""
            continue
        depth += ch == "{"
        depth -= ch == "}"
        current += ch
    parts.append(current)
    prefix = [p for p in head.split("::") if p]
    out = []
    for part in parts:
        if part:
            out.extend(prefix + sub for sub in expand(part))
    return out


def resolve(path, here, known):
    """The module a path lands in, from the module `here`."""
    if path[0] == "crate":
        absolute = list(path[1:])
    elif path[0] == "super":
        absolute = list(here[:-1]) + list(path[1:])
        while absolute[: 1] == ["super"]:
            absolute = absolute[1:]
    elif path[0] == "self":
        absolute = list(here) + list(path[1:])
    else:
        absolute = list(here) + list(path)  # a child module named directly
    while absolute and tuple(absolute) not in known:
        absolute.pop()
    return tuple(absolute) if tuple(absolute) in known else None


def edges(src):
    known = modules(src)
    graph = {m: set() for m in known}
    for module, file in known.items():
        with open(file, encoding="utf-8") as f:
            text = strip_comments_and_tests(f.read())
        for path, reexport in paths_in(text):
            if path[0] not in ("crate", "super", "self") and not (
                tuple(module) + (path[0],) in known
            ):
                continue
            target = resolve(path, module, known)
            if target is None or target == module:
                continue
            is_child = target[: len(module)] == module
            if reexport and is_child:
                continue
            # A module is the parent of what it declares; naming a descendant through its
            # own path (self::child::X) is a real use only outside re-exports.
            graph[module].add(target)
    return graph


def cycles(graph):
    """Strongly connected components with more than one module (Tarjan)."""
    index, low, stack, on, out = {}, {}, [], set(), []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                out.append(sorted(component))

    sys.setrecursionlimit(10000)
    for v in graph:
        if v not in index:
            visit(v)
    return out


def main():
    found = []
    for crate in CRATES:
        graph = edges(os.path.join(ROOT, crate))
        for component in cycles(graph):
            names = ["::".join(m) or "(crate root)" for m in component]
            found.append(f"{crate}: " + " <-> ".join(names))
        # The crate's top-level modules (its concepts) must not form a circle either.
        top = {}
        for module, targets in graph.items():
            if not module:
                continue
            for t in targets:
                if t and t[0] != module[0]:
                    top.setdefault((module[0],), set()).add((t[0],))
                    top.setdefault((t[0],), set())
        for component in cycles(top):
            names = [m[0] for m in component]
            found.append(f"{crate} (top-level modules): " + " <-> ".join(names))
    for line in found:
        print(line)
    if found:
        print(f"{len(found)} import circle(s)", file=sys.stderr)
        sys.exit(1)
    print("no import circle between modules", file=sys.stderr)


if __name__ == "__main__":
    main()
