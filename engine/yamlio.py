"""Safe YAML (and JSON) loading that keeps line numbers and refuses what a data file never needs.

Refused: files over MAX_BYTES, duplicate keys, anchors/aliases (the "billion laughs" bomb)
and every tag outside plain YAML (``!!python/object`` and friends are never constructed).
JSON is read through the same loader, so JSON files get line numbers and the same checks.
"""

from pathlib import Path
from typing import Any

import yaml

from engine.errors import CtmError

MAX_BYTES = 1_000_000


class LineDict(dict):
    """A mapping that remembers the line it starts on (1-based)."""

    line: int = 0


# libyaml parses (fast); the Python constructor below keeps lines and refuses what we refuse.
_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_Base):
    def construct_object(self, node, deep=False):
        if node in self.constructed_objects:  # a node met twice is an alias (*name)
            raise CtmError("anchors and aliases (*name) are not allowed in ctm files",
                           line=node.start_mark.line + 1)
        return super().construct_object(node, deep=True)

    def construct_mapping(self, node, deep=False):
        if not isinstance(node, yaml.MappingNode):
            raise CtmError("expected a mapping", line=node.start_mark.line + 1)
        mapping = LineDict()
        mapping.line = node.start_mark.line + 1
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise CtmError("merge keys (<<) are not allowed in ctm files", line=key_node.start_mark.line + 1)
            key = self.construct_object(key_node)
            if isinstance(key, (dict, list)):
                raise CtmError("a key must be plain text or a number", line=key_node.start_mark.line + 1)
            if key in mapping:
                raise CtmError(f"duplicate key '{key}'", line=key_node.start_mark.line + 1)
            mapping[key] = self.construct_object(value_node)
        return mapping

    def construct_yaml_seq(self, node):
        yield [self.construct_object(child) for child in node.value]


def _refuse_tag(loader, tag_suffix, node):
    raise CtmError(f"the tag '{node.tag}' is not allowed: ctm reads plain data only",
                   line=node.start_mark.line + 1)


_Loader.add_multi_constructor("!", _refuse_tag)
_Loader.add_multi_constructor("tag:", _refuse_tag)
_Loader.add_constructor("tag:yaml.org,2002:map", lambda self, node: self.construct_mapping(node))
_Loader.add_constructor("tag:yaml.org,2002:seq", lambda self, node: [self.construct_object(c) for c in node.value])


def loads(text: str, path: str | None = None) -> Any:
    """Parse YAML or JSON text; every error becomes a CtmError naming the path and line."""
    if len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        raise CtmError(f"file is larger than {MAX_BYTES:,} bytes", path=path)
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - _Loader is a SafeLoader
    except CtmError as error:
        error.path = path
        raise
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else None
        raise CtmError(f"not valid YAML/JSON: {error.problem or error}", path=path, line=line) from None
    except (yaml.YAMLError, RecursionError, ValueError) as error:
        raise CtmError(f"not valid YAML/JSON: {error}", path=path) from None


def load(path: Path | str) -> Any:
    path = Path(path)
    try:
        if path.stat().st_size > MAX_BYTES:
            raise CtmError(f"file is larger than {MAX_BYTES:,} bytes", path=str(path))
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CtmError("file not found", path=str(path)) from None
    except IsADirectoryError:
        raise CtmError("is a directory, expected a file", path=str(path)) from None
    except UnicodeDecodeError:
        raise CtmError("not UTF-8 text", path=str(path)) from None
    return loads(text, str(path))


def line_of(data: Any, loc: tuple) -> int | None:
    """The line of the deepest mapping on the way to `loc` (a pydantic error location)."""
    line = getattr(data, "line", None)
    for key in loc:
        try:
            data = data[key]
        except (KeyError, IndexError, TypeError):
            break
        line = getattr(data, "line", None) or line
    return line
