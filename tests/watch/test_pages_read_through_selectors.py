"""The subscriber pages take their rows from watch.selectors, never from a
model manager of their own: one place says what a page may read (only live
subscriptions of that endpoint, a subscription only if it is the
subscriber's), and the query-count tests of the pages measure that place."""

import ast
from pathlib import Path

import watch.views

VIEWS = Path(watch.views.__file__)


def test_no_view_queries_a_model_itself():
    tree = ast.parse(VIEWS.read_text(), filename=str(VIEWS))
    managers = [
        f"line {node.lineno}: {ast.unparse(node)}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute) and node.attr in ("objects", "_default_manager", "_base_manager")
    ]
    assert managers == [], "read through watch.selectors instead"
