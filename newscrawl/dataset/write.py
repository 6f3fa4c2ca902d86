"""Writers of exported records: JSONL, CSV and Parquet.

- JSONL: one UTF-8 JSON object per line, the chosen fields in order (as the crawl writes them).
- CSV: a header row, then one row per record (RFC 4180 quoting, CRLF line ends). Lists (``authors``,
  ``editors``, ``keywords``, ``images``) are joined with ``LIST_SEPARATOR`` (" | "), ``field_sources`` is
  JSON text, null is an empty cell. With ``bom=True`` the file starts with a UTF-8 byte order mark, which
  Excel needs to open UTF-8 text (Chinese) correctly.
- Parquet: typed columns — strings, ``list<string>`` for the list fields, ``map<string, string>`` for
  ``field_sources``, int32 for ``version`` and ``cluster_size`` — written in row groups of at most
  ``ROW_GROUP_SIZE`` rows and ``ROW_GROUP_CHARS`` characters of text, so only one group is ever held in
  memory.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import IO, Any, Protocol

from newscrawl.items import RECORD_FIELDS, dumps

CLUSTER_FIELDS: tuple[str, ...] = ("cluster_id", "cluster_size")
"""Added by the export: the record's near-duplicate cluster (see ``newscrawl.dataset.neardup``) and how many
exported records share it (1: no near-duplicate)."""
EXPORT_FIELDS: tuple[str, ...] = RECORD_FIELDS + CLUSTER_FIELDS
LIST_FIELDS = frozenset({"authors", "editors", "keywords", "images"})
MAP_FIELDS = frozenset({"field_sources"})
INT_FIELDS = frozenset({"version", "cluster_size"})
LIST_SEPARATOR = " | "
ROW_GROUP_SIZE = 10_000
ROW_GROUP_CHARS = 4_000_000  # a row group also ends after this much text (about 12 MB of Chinese UTF-8)
FORMATS = ("jsonl", "csv", "parquet")


class Writer(Protocol):
    """Something records are written to, one at a time."""

    def write(self, record: dict[str, Any]) -> None:
        """Write one record (only the writer's fields are used)."""

    def close(self) -> None:
        """Finish the output (flush, write the footer)."""


class JsonlWriter:
    """One JSON object per line."""

    def __init__(self, out: IO[str], fields: tuple[str, ...]) -> None:
        self.out = out
        self.fields = fields

    def write(self, record: dict[str, Any]) -> None:
        """Write one line."""
        self.out.write(dumps(record, self.fields) + "\n")

    def close(self) -> None:
        """Flush."""
        self.out.flush()


def csv_cell(name: str, value: Any, separator: str = LIST_SEPARATOR) -> str:
    """A field value as CSV text (lists joined, maps as JSON, null as empty)."""
    if value is None:
        return ""
    if name in LIST_FIELDS or isinstance(value, list):
        return separator.join(str(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


class CsvWriter:
    """A header row, then one row per record (open ``out`` with ``newline=""``)."""

    def __init__(
        self, out: IO[str], fields: tuple[str, ...], *, separator: str = LIST_SEPARATOR, bom: bool = False
    ) -> None:
        self.out = out
        self.fields = fields
        self.separator = separator
        if bom:
            out.write("\ufeff")
        self.writer = csv.writer(out)
        self.writer.writerow(fields)

    def write(self, record: dict[str, Any]) -> None:
        """Write one row."""
        self.writer.writerow([csv_cell(name, record.get(name), self.separator) for name in self.fields])

    def close(self) -> None:
        """Flush."""
        self.out.flush()


def parquet_schema(fields: tuple[str, ...], metadata: dict[str, str] | None = None) -> Any:
    """The Arrow schema of the chosen fields."""
    import pyarrow as pa  # noqa: PLC0415 — only Parquet needs Arrow

    def kind(name: str) -> Any:
        if name in LIST_FIELDS:
            return pa.list_(pa.string())
        if name in MAP_FIELDS:
            return pa.map_(pa.string(), pa.string())
        if name in INT_FIELDS:
            return pa.int32()
        return pa.string()

    return pa.schema([pa.field(name, kind(name)) for name in fields], metadata=metadata)


def arrow_value(name: str, value: Any) -> Any:
    """A field value of the column's type (records of older versions may hold other types)."""
    if value is None:
        return None
    if name in LIST_FIELDS:
        return [str(v) for v in value] if isinstance(value, list) else [str(value)]
    if name in MAP_FIELDS:
        return {str(k): str(v) for k, v in value.items()} if isinstance(value, dict) else None
    if name in INT_FIELDS:
        try:
            return int(value)
        except (TypeError, ValueError):
            return None
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


class ParquetWriter:
    """Typed columns, written one row group at a time (to a path or an open binary file)."""

    def __init__(
        self,
        path: Path | IO[bytes],
        fields: tuple[str, ...],
        *,
        metadata: dict[str, str] | None = None,
        row_group_size: int = ROW_GROUP_SIZE,
    ) -> None:
        import pyarrow.parquet as pq  # noqa: PLC0415

        self.fields = fields
        self.schema = parquet_schema(fields, metadata)
        self.rows: list[dict[str, Any]] = []
        self.chars = 0
        self.row_group_size = row_group_size
        self.writer = pq.ParquetWriter(
            str(path) if isinstance(path, Path) else path, self.schema, compression="zstd"
        )

    def write(self, record: dict[str, Any]) -> None:
        """Buffer one row; write a row group when the buffer is full."""
        row = {name: arrow_value(name, record.get(name)) for name in self.fields}
        self.rows.append(row)
        self.chars += sum(len(v) for v in row.values() if isinstance(v, str))
        if len(self.rows) >= self.row_group_size or self.chars >= ROW_GROUP_CHARS:
            self._flush()

    def _flush(self) -> None:
        import pyarrow as pa  # noqa: PLC0415

        if self.rows:
            self.writer.write_table(pa.Table.from_pylist(self.rows, schema=self.schema))
            self.rows = []
            self.chars = 0

    def close(self) -> None:
        """Write the last row group and the footer."""
        self._flush()
        self.writer.close()
