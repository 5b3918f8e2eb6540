"""Graph algorithms shared by review (relation cycles) and the architecture rules (imports)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence


def strongly_connected(graph: Mapping[str, Sequence[str]]) -> Iterator[frozenset[str]]:
    """Tarjan's algorithm, iterative so that a deep graph never meets the recursion limit.

    Components come in a deterministic order for a given graph and order of successors."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(graph.get(root, [])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is None:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = set()
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.add(member)
                        if member == node:
                            break
                    yield frozenset(component)
            elif child not in index:
                index[child] = low[child] = len(index)
                stack.append(child)
                on_stack.add(child)
                work.append((child, iter(graph.get(child, []))))
            elif child in on_stack:
                low[node] = min(low[node], index[child])
