"""Safe YAML (and JSON) loading that keeps line numbers and refuses what a data file never needs.

Refused: files over MAX_BYTES, duplicate keys, anchors/aliases (the "billion laughs" bomb),
every tag outside plain YAML (``!!python/object`` and friends are never constructed; nor are
``!!binary``, ``!!set``, ``!!omap`` and ``!!pairs``, which plain data never needs), and a
value its explicit tag does not fit (``!!bool maybe``).
JSON is read through the same loader, so JSON files get line numbers and the same checks.
"""

import json
from pathlib import Path
from collections.abc import Generator
from typing import TYPE_CHECKING, Any, NoReturn

import yaml

from engine.errors import CtmError

MAX_BYTES = 1_000_000


class LineDict(dict[Any, Any]):
    """A mapping that remembers the line it starts on (1-based)."""

    line: int = 0


# libyaml parses (fast); the Python constructor below keeps lines and refuses what we refuse.
if TYPE_CHECKING:
    _Base = yaml.SafeLoader
else:
    _Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_Base):
    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        if node in self.constructed_objects:  # a node met twice is an alias (*name)
            raise CtmError("anchors and aliases (*name) are not allowed in ctm files", line=node.start_mark.line + 1)
        try:
            return super().construct_object(node, deep=True)
        except (ValueError, LookupError, AttributeError):  # PyYAML's own errors for `!!int ''`, `!!bool maybe`…
            if not isinstance(node, yaml.ScalarNode):
                raise
            value = node.value if len(node.value) <= 40 else node.value[:37] + "..."
            raise CtmError(
                f"{value!r} is not a valid {node.tag.rsplit(':', 1)[-1]}", line=node.start_mark.line + 1
            ) from None

    def construct_mapping(self, node: yaml.Node, deep: bool = False) -> LineDict:
        if not isinstance(node, yaml.MappingNode):
            raise CtmError("expected a mapping", line=node.start_mark.line + 1)
        mapping = LineDict()
        mapping.line = node.start_mark.line + 1
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise CtmError("merge keys (<<) are not allowed in ctm files", line=key_node.start_mark.line + 1)
            key = self.construct_object(key_node)
            if isinstance(key, (dict, list, set)):
                raise CtmError("a key must be plain text or a number", line=key_node.start_mark.line + 1)
            if key in mapping:
                raise CtmError(f"duplicate key '{key}'", line=key_node.start_mark.line + 1)
            mapping[key] = self.construct_object(value_node)
        return mapping

    def construct_sequence(self, node: yaml.Node, deep: bool = False) -> list[Any]:
        if not isinstance(node, yaml.SequenceNode):  # `!!seq {a: 1}`
            raise CtmError("expected a list", line=node.start_mark.line + 1)
        return [self.construct_object(child) for child in node.value]

    def construct_yaml_seq(self, node: yaml.Node) -> Generator[list[Any], None, None]:
        yield self.construct_sequence(node)


def _refuse_tag(loader: yaml.SafeLoader, tag_suffix: str, node: yaml.Node) -> NoReturn:
    tag = node.tag.replace("tag:yaml.org,2002:", "!!")
    raise CtmError(f"the tag '{tag}' is not allowed: ctm reads plain data only", line=node.start_mark.line + 1)


_Loader.add_multi_constructor("!", _refuse_tag)
_Loader.add_multi_constructor("tag:", _refuse_tag)
_Loader.add_constructor("tag:yaml.org,2002:map", lambda self, node: self.construct_mapping(node))  # type: ignore[arg-type]
_Loader.add_constructor("tag:yaml.org,2002:seq", lambda self, node: self.construct_sequence(node))  # type: ignore[arg-type]
for _tag in ("binary", "set", "omap", "pairs"):  # left to _refuse_tag
    del _Loader.yaml_constructors[f"tag:yaml.org,2002:{_tag}"]


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
    except yaml.reader.ReaderError as error:  # a character YAML does not allow
        line = text.count("\n", 0, error.position) + 1 if isinstance(error.position, int) else None
        code = error.character if isinstance(error.character, int) else ord(error.character or "\0")
        raise CtmError(f"not valid YAML/JSON: {error.reason} (character U+{code:04X})", path=path, line=line) from None
    except RecursionError:
        raise CtmError("not valid YAML/JSON: nested too deeply", path=path) from None
    except (yaml.YAMLError, ValueError) as error:
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


def line_of(data: Any, loc: tuple[Any, ...]) -> int | None:
    """The line of the deepest mapping on the way to `loc` (a pydantic error location)."""
    line = getattr(data, "line", None)
    for key in loc:
        try:
            data = data[key]
        except (KeyError, IndexError, TypeError):
            break
        line = getattr(data, "line", None) or line
    return line


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    keys = [k for k, _ in pairs]
    if len(set(keys)) != len(keys):
        raise ValueError("duplicate key")
    return dict(pairs)


def _no_constant(name: str) -> NoReturn:
    raise ValueError(name)  # NaN, Infinity: not JSON


def load_plain_json(path: Path | str) -> Any:
    """A .json file read by the json module (a tenth of the YAML loader's time), or None when it is
    not plain, valid JSON within the size limit: then `load` reads it and says what is wrong, with
    the line. The data carries no line numbers."""
    path = Path(path)
    if path.suffix != ".json":
        return None
    try:
        if path.stat().st_size > MAX_BYTES:
            return None
        return json.loads(
            path.read_text(encoding="utf-8"), object_pairs_hook=_no_duplicates, parse_constant=_no_constant
        )
    except (OSError, UnicodeDecodeError, ValueError, RecursionError):
        return None
