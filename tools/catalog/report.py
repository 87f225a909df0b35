"""Reading line-oriented source files (plain or gzipped) while counting, not hiding, what could not be read."""

from __future__ import annotations

import ast
import gzip
import html
import json
import re
from pathlib import Path
from typing import IO, Iterator

from pydantic import BaseModel, Field

from core.errors import ShopagentError
from tools.language.prices import PriceLocale, parse_price

MAX_EXAMPLES = 5
_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")
_DIGIT = re.compile(r"\d")


class FileReport(BaseModel):
    """What one file yielded: rows read, rows used, malformed lines (the first few with line numbers)."""

    path: str
    n_lines: int = 0
    n_loaded: int = 0
    n_malformed: int = 0
    n_skipped: int = Field(0, description="Well-formed rows left out on purpose (duplicates, unknown products).")
    examples: list[str] = Field(default_factory=list, description="'line N: reason' for the first malformed lines.")
    price_locale: str | None = Field(None, description="The decimal mark prices were read with (point | comma).")
    price_marks: dict[str, int] = Field(default_factory=dict, description="How many price strings showed a "
                                                                          "decimal point / comma / neither.")
    n_non_utf8_lines: int = Field(0, description="Lines holding bytes that are not UTF-8 (read with U+FFFD).")
    n_non_utf8_bytes: int = 0
    non_utf8_examples: list[str] = Field(default_factory=list, description="'line N: K bytes' for the first.")

    def malformed(self, line_no: int, reason: str) -> None:
        self.n_malformed += 1
        if len(self.examples) < MAX_EXAMPLES:
            self.examples.append(f"line {line_no}: {reason[:160]}")

    def non_utf8(self, line_no: int, n_bytes: int) -> None:
        self.n_non_utf8_lines += 1
        self.n_non_utf8_bytes += n_bytes
        if len(self.non_utf8_examples) < MAX_EXAMPLES:
            self.non_utf8_examples.append(f"line {line_no}: {n_bytes} bytes not UTF-8")

    @property
    def bad_fraction(self) -> float:
        """Malformed lines as a fraction of the lines read (0 for an empty file)."""
        return self.n_malformed / self.n_lines if self.n_lines else 0.0

    def summary(self) -> str:
        s = f"{self.path}: {self.n_loaded} loaded from {self.n_lines} lines"
        if self.n_skipped:
            s += f", {self.n_skipped} skipped"
        if self.n_malformed:
            s += f", {self.n_malformed} malformed ({'; '.join(self.examples)})"
        if self.n_non_utf8_lines:
            s += (f", {self.n_non_utf8_bytes} bytes not UTF-8 on {self.n_non_utf8_lines} lines "
                  f"({'; '.join(self.non_utf8_examples)})")
        return s


def open_text(path: Path) -> IO[str]:
    """Open a plain or gzipped text file (by magic bytes, not by name)."""
    path = Path(path)
    if not path.is_file():
        raise ShopagentError(f"no such file: {path}")
    with path.open("rb") as f:
        magic = f.read(2)
    if magic == b"\x1f\x8b":
        return gzip.open(path, "rt", encoding="utf-8", errors="replace")
    return path.open("r", encoding="utf-8", errors="replace")


def read_lines(path: Path, report: FileReport) -> Iterator[tuple[int, str]]:
    """(line number, text) for each line of a plain or gzipped file. Bytes that are not UTF-8 are read as U+FFFD
    and counted in ``report`` with their line numbers (never replaced silently)."""
    path = Path(path)
    if not path.is_file():
        raise ShopagentError(f"no such file: {path}")
    with path.open("rb") as f:
        magic = f.read(2)
    with (gzip.open(path, "rb") if magic == b"\x1f\x8b" else path.open("rb")) as f:
        for line_no, raw in enumerate(f, start=1):
            if line_no == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError:
                text = raw.decode("utf-8", errors="replace")
                report.non_utf8(line_no, text.count("\ufffd") - raw.count("\ufffd".encode()))
            yield line_no, text


def iter_json_lines(path: Path, report: FileReport) -> Iterator[tuple[int, dict]]:
    """Yield (line number, object) for each JSON line; Python-literal lines (the 2014 dumps) are accepted too.
    Anything else is counted as malformed in ``report``."""
    for line_no, line in read_lines(path, report):
        line = line.strip()
        if not line:
            continue
        report.n_lines += 1
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            try:
                obj = ast.literal_eval(line)
            except (ValueError, SyntaxError, MemoryError, RecursionError):
                report.malformed(line_no, f"not JSON ({exc.msg})")
                continue
        if not isinstance(obj, dict):
            report.malformed(line_no, f"expected an object, got {type(obj).__name__}")
            continue
        yield line_no, obj


def clean_text(value: object) -> str:
    """Unescape HTML entities (twice: the Amazon dumps hold `&amp;#39;`), drop tags, collapse whitespace."""
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        value = " ".join(clean_text(v) for v in value)
    text = str(value)
    for _ in range(2):
        if "&" not in text:
            break
        text = html.unescape(text)
    if "<" in text:
        text = _TAG.sub(" ", text)
    return _SPACE.sub(" ", text).strip()


def catalog_price(value: object, locale: PriceLocale | None = None) -> float | None:
    """A catalog field's price, read by the one price parser (``tools.language.prices``) with the feed's decimal
    mark. None when the field holds no figure ("", "N/A"); ``ValueError`` (the record is malformed) for a figure
    that is no possible price: negative, non-finite, scientific ("1e308"), absurdly large, or written with the other
    decimal mark than ``locale`` says."""
    if value is None or isinstance(value, bool) or value == "":
        return None
    if isinstance(value, str) and not _DIGIT.search(value):
        return None
    price = parse_price(value if isinstance(value, (int, float, str)) else str(value), locale)
    if price is None:
        mark = f", or not a {locale.value}-decimal price" if locale else ""
        raise ValueError(f"impossible price {str(value)[:40]!r} (negative, non-finite or absurd{mark})")
    return price
