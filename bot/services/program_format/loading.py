"""Safe YAML loading: plain data only, with limits on size, depth and node count."""

from __future__ import annotations

from typing import Any

import yaml

from bot.i18n import _
from bot.services.program_format.errors import DataFormatError, Problem
from bot.services.program_format.limits import MAX_DOCUMENT_BYTES, MAX_YAML_DEPTH, MAX_YAML_NODES


class _RefusedYaml(yaml.YAMLError):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _where(mark: Any) -> str:
    if mark is None:
        return _("somewhere")
    return _("line {line}, column {column}").format(line=mark.line + 1, column=mark.column + 1)


class _StrictLoader(yaml.SafeLoader):
    """yaml.SafeLoader that refuses anchors and aliases (no "billion laughs"), very deep nesting,
    too many nodes and duplicate keys (which plain YAML silently resolves to the last one)."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0
        self._nodes = 0

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        event: yaml.Event = self.peek_event()  # type: ignore[no-untyped-call]
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            raise _RefusedYaml(
                _(
                    "{where}: YAML anchors and aliases (&name, *name) are not supported - "
                    "write the value out in full"
                ).format(where=_where(event.start_mark))
            )
        self._nodes += 1
        if self._nodes > MAX_YAML_NODES:
            raise _RefusedYaml(_("the document has more than {n} values").format(n=MAX_YAML_NODES))
        self._depth += 1
        try:
            if self._depth > MAX_YAML_DEPTH:
                raise _RefusedYaml(
                    _("{where}: nested more than {n} levels deep").format(
                        where=_where(event.start_mark), n=MAX_YAML_DEPTH
                    )
                )
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[tuple[str, str]] = set()
        for key_node, _value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode):
                identity = (key_node.tag, key_node.value)
                if identity in seen:
                    raise _RefusedYaml(
                        _("{where}: duplicate key '{key}'").format(
                            where=_where(key_node.start_mark), key=key_node.value
                        )
                    )
                seen.add(identity)
        return super().construct_mapping(node, deep=deep)


def load_yaml(source: str | bytes, *, error: type[DataFormatError] = DataFormatError) -> Any:
    """Parse one YAML document safely (no tags, no aliases, <= 1 MB); raise `error` if it cannot be read."""
    size = len(source)
    if isinstance(source, str) and size <= MAX_DOCUMENT_BYTES:
        size = len(source.encode("utf-8", errors="replace"))
    if size > MAX_DOCUMENT_BYTES:
        raise error(
            [
                Problem(
                    "", _("the document is {n} bytes, at most {max}").format(n=size, max=MAX_DOCUMENT_BYTES)
                )
            ]
        )
    if isinstance(source, bytes):
        try:
            source = source.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise error(
                [Problem("", _("the document is not UTF-8 text (byte {n})").format(n=exc.start))]
            ) from None
    try:
        loader = _StrictLoader(source)  # the reader checks every character here, before parsing
    except yaml.reader.ReaderError as exc:
        line = source.count("\n", 0, exc.position) + 1
        raise error(
            [
                Problem(
                    "",
                    _("line {line} contains a control character ({code}): remove it").format(
                        line=line, code=f"U+{exc.character:04X}"
                    ),
                )
            ]
        ) from None
    try:
        return loader.get_single_data()
    except _RefusedYaml as exc:
        raise error([Problem("", exc.message)]) from None
    except yaml.MarkedYAMLError as exc:
        problem = exc.problem or exc.context or _("unreadable")
        raise error(
            [
                Problem(
                    "",
                    _("invalid YAML at {where}: {problem}").format(
                        where=_where(exc.problem_mark), problem=problem
                    ),
                )
            ]
        ) from None
    except (yaml.YAMLError, ValueError, RecursionError) as exc:
        raise error([Problem("", _("invalid YAML: {problem}").format(problem=exc))]) from None
    finally:
        loader.dispose()
