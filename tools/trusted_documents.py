"""Finds the GraphQL documents the storefront and the console send, for the trusted manifest.

The screens keep their documents as string and template literals, some composed from
constants of selection text (`${ORDER_FIELDS}`), some of those imported from other modules.
This reads every module of `web/` (the vendored libraries aside) with a JavaScript parser
(tree-sitter), and evaluates each literal that starts with `query`, `mutation`,
`subscription` or `fragment` the way the browser will: its substitutions resolved through
the module's constants, constant objects and imports. The text is therefore byte for byte
what the client hashes and sends.

A literal whose text depends on anything else (a function's argument, a variable) cannot be
known before it runs: it is reported as dynamic, and the manifest refuses to be written
until it is made static.

`cli.py trusted-documents` writes the manifest; a test keeps the committed one current.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import tree_sitter_javascript
from tree_sitter import Language, Node, Parser

ROOT = Path(__file__).resolve().parents[1]
WEB = ROOT / "web"
#: Third-party files served as they are: no documents of ours in them.
SKIPPED = ("vendor",)
#: The start of a literal that holds a GraphQL document.
_DOCUMENT_START = re.compile(r"\s*(query|mutation|subscription|fragment)\b")
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "v": "\v", "0": "\0"}

_parser = Parser(Language(tree_sitter_javascript.language()))


class Dynamic(Exception):
    """A value only known when the page runs."""


@dataclass(frozen=True)
class Found:
    """A document literal: where it is, and its text (None when dynamic)."""

    path: str
    line: int
    text: str | None


@dataclass
class Module:
    path: Path
    source: bytes
    root: Node
    #: Top-level `const` declarations: name -> value expression.
    constants: dict[str, Node] = field(default_factory=dict)
    #: Imported names: local name -> (module path, exported name).
    imports: dict[str, tuple[Path, str]] = field(default_factory=dict)

    def text(self, node: Node) -> str:
        return self.source[node.start_byte : node.end_byte].decode("utf-8")


def _cook(raw: str) -> str:
    """The value of the escape sequences in a literal's raw text."""
    out: list[str] = []
    i = 0
    while i < len(raw):
        char = raw[i]
        if char != "\\" or i + 1 == len(raw):
            out.append(char)
            i += 1
            continue
        nxt = raw[i + 1]
        if nxt in _ESCAPES:
            out.append(_ESCAPES[nxt])
            i += 2
        elif nxt == "u" and raw[i + 2 : i + 3] == "{":
            end = raw.index("}", i)
            out.append(chr(int(raw[i + 3 : end], 16)))
            i = end + 1
        elif nxt == "u":
            out.append(chr(int(raw[i + 2 : i + 6], 16)))
            i += 6
        elif nxt == "x":
            out.append(chr(int(raw[i + 2 : i + 4], 16)))
            i += 4
        elif nxt == "\n":  # a line continuation
            i += 2
        else:
            out.append(nxt)
            i += 2
    return "".join(out)


class Extractor:
    """Reads modules on demand and evaluates constant expressions across them."""

    def __init__(self, web: Path = WEB) -> None:
        self.web = web
        self.modules: dict[Path, Module] = {}

    def module(self, path: Path) -> Module:
        path = path.resolve()
        if path not in self.modules:
            source = path.read_bytes()
            module = Module(path, source, _parser.parse(source).root_node)
            self._declarations(module)
            self.modules[path] = module
        return self.modules[path]

    def _declarations(self, module: Module) -> None:
        for statement in module.root.named_children:
            declaration = statement
            if statement.type == "export_statement":
                declaration = statement.child_by_field_name("declaration") or statement
            if declaration.type == "lexical_declaration" and module.text(declaration).startswith(
                "const"
            ):
                for declarator in declaration.named_children:
                    name = declarator.child_by_field_name("name")
                    value = declarator.child_by_field_name("value")
                    if name is not None and name.type == "identifier" and value is not None:
                        module.constants[module.text(name)] = value
            elif statement.type == "import_statement":
                self._import(module, statement)

    def _import(self, module: Module, statement: Node) -> None:
        source = statement.child_by_field_name("source")
        if source is None:
            return
        target = module.text(source)[1:-1]
        if not target.startswith("."):
            return
        path = (module.path.parent / target).resolve()
        for specifier in _descendants(statement, "import_specifier"):
            name = specifier.child_by_field_name("name")
            alias = specifier.child_by_field_name("alias") or name
            if name is not None and alias is not None:
                module.imports[module.text(alias)] = (path, module.text(name))

    def value(self, module: Module, node: Node) -> Any:
        """The value of a constant expression: a string or an object of them; else `Dynamic`."""
        kind = node.type
        if kind == "string":
            return _cook(module.text(node)[1:-1])
        if kind == "template_string":
            parts: list[str] = []
            for child in node.named_children:
                if child.type == "template_substitution":
                    (expression,) = child.named_children
                    value = self.value(module, expression)
                    if not isinstance(value, str):
                        raise Dynamic(module.text(child))
                    parts.append(value)
                else:  # string_fragment, escape_sequence
                    parts.append(_cook(module.text(child)))
            return "".join(parts)
        if kind == "number" and module.text(node).isdigit():
            return str(int(module.text(node)))  # as JavaScript prints a whole number
        if kind == "identifier":
            return self.named(module, module.text(node))
        if kind == "parenthesized_expression":
            return self.value(module, node.named_children[0])
        if kind == "binary_expression" and module.text(node.child_by_field_name("operator")) == "+":  # type: ignore[arg-type]
            left = self.value(module, node.child_by_field_name("left"))  # type: ignore[arg-type]
            right = self.value(module, node.child_by_field_name("right"))  # type: ignore[arg-type]
            if isinstance(left, str) and isinstance(right, str):
                return left + right
        if kind == "object":
            return _LazyObject(self, module, node)
        if kind == "member_expression":
            owner = self.value(module, node.child_by_field_name("object"))  # type: ignore[arg-type]
            prop = node.child_by_field_name("property")
            if isinstance(owner, _LazyObject) and prop is not None:
                return owner.get(module.text(prop))
        raise Dynamic(module.text(node))

    def named(self, module: Module, name: str) -> Any:
        if name in module.constants:
            return self.value(module, module.constants[name])
        if name in module.imports:
            path, exported = module.imports[name]
            return self.named(self.module(path), exported)
        raise Dynamic(name)

    def documents(self) -> list[Found]:
        """Every document literal of the web modules, in path and line order."""
        found: list[Found] = []
        for path in sorted(self.web.rglob("*.js")):
            if path.relative_to(self.web).parts[0] in SKIPPED:
                continue
            module = self.module(path)
            for node in _descendants(module.root, "string", "template_string"):
                if not _DOCUMENT_START.match(_leading_text(module, node)):
                    continue
                try:
                    text = self.value(module, node)
                except Dynamic:
                    text = None
                found.append(
                    Found(path.relative_to(self.web).as_posix(), node.start_point[0] + 1, text)
                )
        return found


class _LazyObject:
    """An object literal whose properties are evaluated when read."""

    def __init__(self, extractor: Extractor, module: Module, node: Node) -> None:
        self.extractor, self.module, self.node = extractor, module, node

    def get(self, key: str) -> Any:
        for pair in self.node.named_children:
            if pair.type != "pair":
                continue
            name = pair.child_by_field_name("key")
            value = pair.child_by_field_name("value")
            if name is not None and value is not None and self._key(name) == key:
                return self.extractor.value(self.module, value)
        raise Dynamic(key)

    def _key(self, node: Node) -> str:
        text = self.module.text(node)
        return _cook(text[1:-1]) if node.type == "string" else text


def _leading_text(module: Module, node: Node) -> str:
    """The literal's text before its first substitution."""
    first = node.named_children[0] if node.named_children else None
    if first is None or first.type == "template_substitution":
        return ""
    if node.type == "string":
        return module.text(node)[1:]
    return module.text(first)


def _descendants(node: Node, *kinds: str) -> list[Node]:
    out: list[Node] = []
    stack = [node]
    while stack:
        current = stack.pop()
        if current.type in kinds:
            out.append(current)
            continue  # a document literal holds no other
        stack.extend(reversed(current.named_children))
    return out


def sha256(text: str) -> str:
    """The persisted-query hash of a document: SHA-256 of its UTF-8 text, in hex."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def manifest(found: list[Found]) -> dict[str, str]:
    """Hash -> text of every document found, sorted by hash; raises on a dynamic one."""
    dynamic = [f"{f.path}:{f.line}" for f in found if f.text is None]
    if dynamic:
        raise ValueError(
            "Documents built at run time cannot be trusted in advance; make them constant: "
            + ", ".join(dynamic)
        )
    texts = {f.text for f in found if f.text is not None}
    return {sha256(text): text for text in sorted(texts, key=sha256)}


def render(documents: dict[str, str]) -> str:
    """The manifest file's text."""
    return json.dumps(documents, indent=2, ensure_ascii=False) + "\n"
