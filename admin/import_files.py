"""Import files read into documents: JSON Lines, or CSV rows flattened from the same documents.

Each document comes with the line its row starts on; a row that can't be a document becomes a
RowError for that line, and the file goes on. A file that can't be read on at all (not UTF-8,
broken CSV quoting) raises UnreadableFile.
"""
import csv
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

import orjson

from admin.import_rows import RowError
from shared.http.web import _holds_nul  # the API's own check of a JSON body

# CSV columns that belong in ``credentials``; the rest are profile fields or c_* attributes.
CREDENTIAL_COLUMNS = ("login", "password_hash", "enabled", "locked", "password_question")
# Profile fields that are not text in the document (contracts/documents/customers.py).
NUMBER_COLUMNS = ("gender",)
# No cell of a row the API could take is longer than the 5 MB body that would carry it
# (shared/http/web.py's client_max_size); Python's default, 128 KiB, is less than a legal
# row's addresses can be. A longer cell rejects its row (the API's 413), not the file.
FIELD_LIMIT = 5 * 1024 * 1024
TOO_LARGE = f"RequestEntityTooLargeException: a cell holds more than {FIELD_LIMIT} characters"


class UnreadableFile(Exception):
    """The file itself can't be read on (not UTF-8, broken CSV quoting): nothing after it is."""


def format_of(path: Path, given: str | None) -> str:
    if given:
        return given
    return "csv" if path.suffix.lower() == ".csv" else "jsonl"


def read_documents(stream: TextIO, fmt: str) -> Iterator[tuple[int, Any]]:
    """(line number, document or a RowError) per row; a line number is where the row starts."""
    try:
        if fmt == "csv":
            yield from _csv_rows(stream)
        else:
            yield from _json_lines(stream)
    except UnicodeDecodeError as exc:
        raise UnreadableFile(f"the file is not UTF-8 ({exc.reason} at byte {exc.start} of a read)") from None


def _csv_rows(stream: TextIO) -> Iterator[tuple[int, Any]]:
    csv.field_size_limit(FIELD_LIMIT)
    lines = _Lines(stream)
    reader = csv.reader(lines)
    start = 1
    try:
        header = next(reader, None)
        while True:
            lines.mark()
            start = lines.count + 1
            try:
                cells = next(reader, None)
            except csv.Error as exc:
                if "field limit" not in str(exc):
                    raise
                lines.skip_rest_of_record()  # the reader dropped its line; the record may go on
                yield start, RowError(TOO_LARGE)
                continue
            if cells is None or header is None:
                return
            if cells:  # a blank line is no row, as csv.DictReader has it
                yield start, _csv_or_error(_named(header, cells))
    except csv.Error as exc:
        raise UnreadableFile(f"line {start}: {exc}") from None


class _Lines:
    """The file's lines as the csv reader takes them, counted, with the quotes of the current
    record, so a record the reader gave up on can be skipped whole: it ends at the first line
    end after an even number of quotes (a quoted cell's own quotes come in pairs)."""

    def __init__(self, stream: TextIO):
        self.stream, self.count, self.quotes = stream, 0, 0

    def __iter__(self) -> "_Lines":
        return self

    def __next__(self) -> str:
        line = next(self.stream)
        self.count += 1
        self.quotes += line.count('"')
        return line

    def mark(self) -> None:
        self.quotes = 0

    def skip_rest_of_record(self) -> None:
        while self.quotes % 2:
            if next(self, None) is None:
                return


def _named(header: list[str], cells: list[str]) -> dict[str | None, Any]:
    """csv.DictReader's row: surplus cells under None, missing ones None."""
    row: dict[str | None, Any] = dict(zip(header, cells, strict=False))
    if len(cells) > len(header):
        row[None] = cells[len(header):]
    for name in header[len(cells):]:
        row[name] = None
    return row


def _json_lines(stream: TextIO) -> Iterator[tuple[int, Any]]:
    for number, text in enumerate(stream, start=1):
        if not text.strip():
            continue
        try:
            doc = orjson.loads(text)
        except orjson.JSONDecodeError as exc:
            yield number, RowError(f"MalformedDocumentException: not a JSON document ({exc})")
            continue
        # Postgres text can't hold a NUL; the API refuses one with the same fault.
        yield number, (RowError(NUL_FAULT) if "\\u0000" in text and _holds_nul(doc) else doc)


NUL_FAULT = "MalformedDocumentException: the document holds a NUL character"


def _csv_or_error(cells: dict[str | None, Any]) -> Any:
    try:
        return csv_document(cells)
    except RowError as exc:
        return exc


def csv_document(cells: dict[str | None, Any]) -> dict[str, Any]:
    """The document of a CSV row: empty cells are absent, ``addresses`` holds a JSON array."""
    if None in cells:
        raise RowError("MalformedDocumentException: the row has more cells than the header")
    if any(isinstance(v, str) and "\x00" in v for v in cells.values()):
        raise RowError(NUL_FAULT)
    doc: dict[str, Any] = {}
    credentials: dict[str, Any] = {}
    for name, value in cells.items():
        if name is None or value is None or value == "":
            continue
        if name in CREDENTIAL_COLUMNS:
            credentials[name] = _flag(value) if name in ("enabled", "locked") else value
        elif name == "addresses" or name in NUMBER_COLUMNS:
            try:
                doc[name] = orjson.loads(value)
            except orjson.JSONDecodeError:
                raise RowError(f"MalformedDocumentException: '{name}' is not JSON") from None
        else:
            doc[name] = value
    doc["credentials"] = credentials  # its columns are the credentials: none is a missing login
    return doc


def _flag(value: str) -> Any:
    # Anything but true/false stays text, and the API's validation names the property.
    return {"true": True, "false": False}.get(value.strip().lower(), value)
