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


class _Loader(yaml.SafeLoader):
    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise CtmError("anchors and aliases (*name) are not allowed in ctm files",
                           line=event.start_mark.line + 1)
        return super().compose_node(parent, index)

    def construct_mapping(self, node, deep=False):
        seen: dict[Any, int] = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            if key in seen:
                raise CtmError(f"duplicate key '{key}' (first on line {seen[key]})",
                               line=key_node.start_mark.line + 1)
            seen[key] = key_node.start_mark.line + 1
        mapping = LineDict(super().construct_mapping(node, deep=True))
        mapping.line = node.start_mark.line + 1
        return mapping


def _refuse_tag(loader, tag_suffix, node):
    raise CtmError(f"the tag '{node.tag}' is not allowed: ctm reads plain data only",
                   line=node.start_mark.line + 1)


_Loader.add_multi_constructor("!", _refuse_tag)
_Loader.add_multi_constructor("tag:", _refuse_tag)
_Loader.construct_yaml_map = lambda self, node: (yield self.construct_mapping(node))  # type: ignore[method-assign]
_Loader.add_constructor("tag:yaml.org,2002:map", _Loader.construct_yaml_map)


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
