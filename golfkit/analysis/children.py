"""A node's children in libcst's visiting order, without libcst's visit.

libcst finds children by running ``_visit_and_replace_children``, which builds (and validates) a
new copy of the node even for a visitor that only reads: most of a read-only walk's time. The
order it visits a node's fields in is fixed per node class, so it is learned once per class and
set of filled fields (from one real ``_visit_and_replace_children`` call) and then read straight
off the fields. A node whose fields share a child, or whose children do not come field by field,
teaches nothing: its children are libcst's own.
"""

from __future__ import annotations

import dataclasses

import libcst as cst
from libcst import CSTNode

_SEQUENCES = (tuple, list)
_SCALAR_TYPES = (str, bool, int)

# node class -> its fields that may hold nodes (libcst declares the others str, bool or int)
_node_fields: dict[type, tuple[str, ...]] = {}
_node_classes: dict[type, bool] = {}
# (node class, its filled node fields) -> those fields in visiting order
_orders: dict[tuple, tuple[str, ...]] = {}


class _Collector(cst.CSTVisitor):
    """libcst's own children of one node (its ``children`` property does the same)."""

    def __init__(self):
        super().__init__()
        self.found: list[CSTNode] = []

    def on_visit(self, node: CSTNode) -> bool:
        self.found.append(node)
        return False


def libcst_children(node: CSTNode) -> list[CSTNode]:
    collector = _Collector()
    node._visit_and_replace_children(collector)
    return collector.found


def child_nodes(node: CSTNode) -> list[CSTNode]:
    """``node``'s children, in the order libcst's ``visit`` visits them."""
    kind = type(node)
    names = _node_fields.get(kind)
    if names is None:
        names = _node_fields[kind] = tuple(
            field.name for field in dataclasses.fields(kind) if field.type not in _SCALAR_TYPES
        )
    filled = tuple([name for name in names if (value := getattr(node, name)) and _holds_nodes(value.__class__)])
    key = (kind, filled)
    order = _orders.get(key)
    if order is None:
        order = _learn(node, filled)
        if order is None:  # this node only (a shared child, say): the next one is tried afresh
            return libcst_children(node)
        _orders[key] = order
    found: list[CSTNode] = []
    for name in order:
        value = getattr(node, name)
        if value.__class__ in _SEQUENCES:
            found.extend(value)
        else:
            found.append(value)
    return found


def _holds_nodes(kind: type) -> bool:
    """A node, or a sequence (whose items, if any, are nodes): ``isinstance`` against libcst's
    abstract base class is slow enough to matter once per field of every node."""
    answer = _node_classes.get(kind)
    if answer is None:
        answer = _node_classes[kind] = kind in _SEQUENCES or issubclass(kind, CSTNode)
    return answer


def _learn(node: CSTNode, filled: tuple[str, ...]) -> tuple[str, ...] | None:
    """The order libcst visits ``node``'s filled fields in, or None when its children cannot be
    read field by field (a child shared by two places, a field visited in pieces or not whole)."""
    owner: dict[int, str] = {}
    for name in filled:
        for item in _field_items(node, name):
            if not isinstance(item, CSTNode) or id(item) in owner:
                return None
            owner[id(item)] = name
    order: list[str] = []
    visited = libcst_children(node)
    for child in visited:
        name = owner.get(id(child))
        if name is None:
            return None
        if not order or order[-1] != name:
            if name in order:
                return None
            order.append(name)
    expected = [item for name in order for item in _field_items(node, name)]
    if len(expected) != len(visited) or any(a is not b for a, b in zip(expected, visited)):
        return None
    return tuple(order)


def _field_items(node: CSTNode, name: str) -> tuple | list:
    """What field ``name`` of ``node`` holds, as a sequence: the node alone, or its items."""
    value = getattr(node, name)
    return (value,) if isinstance(value, CSTNode) else value


def visit_read_only(node: CSTNode, visitor: cst.CSTVisitor) -> None:
    """``node.visit(visitor)`` for a visitor that only reads: the same ``on_visit`` and
    ``on_leave`` calls in the same order (attribute callbacks such as ``visit_If_body`` are not
    made), without a copy of every node."""
    if visitor.on_visit(node):
        for child in child_nodes(node):
            visit_read_only(child, visitor)
    visitor.on_leave(node)
