"""A streaming XML writer for the package's large documents (ERMS, PREMIS).

lxml's `xmlfile` builds an Element for every leaf it writes; with 100 000 handlingar
that was a third of the export's time (bench/earchive.py). These documents are plain
trees of elements with text and attributes in one namespace, so they are written as
escaped text straight into a buffered file; the tests validate the result against the
schemas, as they did before.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from xml.sax.saxutils import escape

# Characters XML 1.0 cannot carry at all; a diarium title pasted from elsewhere may hold
# one (a form feed, a vertical tab). They are dropped rather than failing the delivery.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def esc(text: str) -> str:
    """Text for element content or a double-quoted attribute. Most values (dates, numbers,
    checksums, paths) need nothing done, and a few checks in C say so (a delivery escapes
    well over a million values)."""
    if text.isprintable() and "&" not in text and "<" not in text and ">" not in text and '"' not in text:
        return text
    return escape(_NOT_XML.sub("", text), {'"': "&quot;"})


def _attr(text: str) -> str:
    return f'"{esc(text)}"'


class XmlStream:
    """Elements in the document's default namespace, written as they come."""

    def __init__(self, path: Path) -> None:
        self._file = path.open("w", encoding="utf-8", newline="\n", buffering=1 << 20)
        self._file.write("<?xml version='1.0' encoding='UTF-8'?>\n")

    def __enter__(self) -> XmlStream:
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None, tb: TracebackType | None) -> None:
        self._file.close()

    def _attrs(self, attrs: dict[str, str | None]) -> str:
        return "".join(f" {name}={_attr(v)}" for name, v in attrs.items() if v is not None)

    def raw_open(self, tag: str, attrs: str) -> None:
        """The root element, whose namespace declarations the caller writes."""
        self._file.write(f"<{tag}{attrs}>")

    @contextmanager
    def element(self, tag: str, **attrs: str | None) -> Iterator[None]:
        name = tag
        self._file.write(f"<{name}{self._attrs(attrs)}>")
        yield
        self._file.write(f"</{name}>")

    def leaf(self, tag: str, text: str | None = None, **attrs: str | None) -> None:
        name = tag
        if text is None:
            self._file.write(f"<{name}{self._attrs(attrs)}/>")
        else:
            self._file.write(f"<{name}{self._attrs(attrs)}>{esc(text)}</{name}>")

    def raw(self, markup: str) -> None:
        """Markup the caller has built with its values passed through `esc`."""
        self._file.write(markup)

    def close_raw(self, tag: str) -> None:
        self._file.write(f"</{tag}>")

    def children(self, tag: str, pairs: list[tuple[str, str]]) -> None:
        """An element holding only text leaves: `<tag><a>1</a><b>2</b></tag>`."""
        name = tag
        inner = "".join(f"<{c}>{esc(v)}</{c}>" for c, v in pairs)
        self._file.write(f"<{name}>{inner}</{name}>")
