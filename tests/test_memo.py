"""Answers kept per parsed document (`schema.kit.memo`)."""

from __future__ import annotations

import functools
import gc
import weakref

import pytest
from graphql import DocumentNode, parse

from schema.kit.memo import MAX_KEYED_VARIABLES, AnchoredMemo, variables_key


def test_an_answer_is_kept_for_the_same_objects_and_key_only():
    memo: AnchoredMemo[str] = AnchoredMemo(8)
    document, twin = parse("{ a }"), parse("{ a }")
    computed: list[str] = []

    def compute(answer: str) -> str:
        computed.append(answer)
        return answer

    assert memo.get((document,), "k", lambda: compute("first")) == "first"
    assert memo.get((document,), "k", lambda: compute("again")) == "first"
    # An equal document parsed apart, or another key, is worked out on its own.
    assert memo.get((twin,), "k", lambda: compute("twin")) == "twin"
    assert memo.get((document,), "other", lambda: compute("other")) == "other"
    assert computed == ["first", "twin", "other"]


def test_an_answer_does_not_keep_its_document_alive():
    memo: AnchoredMemo[int] = AnchoredMemo(8)
    document = parse("{ a }")
    gone = weakref.ref(document)
    memo.get((document,), "k", lambda: 1)
    del document
    gc.collect()
    assert gone() is None


def test_an_object_that_takes_a_gone_anchors_id_gets_its_own_answer():
    memo: AnchoredMemo[str] = AnchoredMemo(8)
    document = parse("{ a }")
    gone_id = id(document)
    memo.get((document,), "k", lambda: "gone")
    del document
    gc.collect()
    # CPython soon gives a freed address to a new object of the same size.
    newcomers = [DocumentNode(definitions=()) for _ in range(200)]
    newcomer = next((d for d in newcomers if id(d) == gone_id), None)
    if newcomer is None:
        pytest.skip("no new document took the freed id")
    assert memo.get((newcomer,), "k", lambda: "new") == "new"


def test_the_oldest_answers_go_first():
    memo: AnchoredMemo[int] = AnchoredMemo(2)
    anchor = parse("{ a }")
    for key in (1, 2, 3):
        memo.get((anchor,), key, functools.partial(int, key))
    assert memo.get((anchor,), 1, lambda: -1) == -1
    assert memo.get((anchor,), 3, lambda: -3) == 3


def test_variables_key_orders_names_and_refuses_long_values():
    assert variables_key(None) == variables_key({}) == b""
    assert variables_key({"a": 1, "b": [2]}) == variables_key({"b": [2], "a": 1})
    assert variables_key({"a": 1}) != variables_key({"a": "1"})
    assert variables_key({"a": "x" * MAX_KEYED_VARIABLES}) is None
    assert variables_key({"a": 2**70}) is None
