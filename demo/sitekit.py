"""Small helpers shared by the portal generators (demo portal and the test-only unseen portal)."""

from __future__ import annotations

import html
import json
import re
import struct
import zlib
from datetime import datetime
from pathlib import Path
from typing import Any

ORIGIN_FILE = ".origin"
"""Name of the file (in the site root) holding the origin the pages were written for.

Pages, feeds and sitemaps need absolute self-links, but the serving port is only known later;
``demo.serve`` rewrites that origin to its own base URL in every text response."""

QUERY_SEP = "@"
"""Query-string variants of a page are stored as ``<file>@<query>`` (wget's Windows-safe convention)."""

SENTENCES = (
    "市委市政府召开专题会议，研究部署今冬明春重点工作，要求各地各部门压实责任、细化措施。",
    "据了解，该项目总投资约十二亿元，建成后将新增就业岗位两千余个，带动上下游企业协同发展。",
    "记者在现场看到，工人们正在紧张有序地进行设备调试，各项工程进度均按计划推进。",
    "相关负责人表示，下一步将继续加大投入力度，持续优化营商环境，推动经济高质量发展。",
    "今年以来，全市累计完成农村公路提档升级一百二十公里，群众出行条件明显改善。",
    "活动现场，志愿者们为居民提供健康咨询、法律援助、家电维修等便民服务，受到群众好评。",
    "专家指出，应当统筹发展和安全，在保障民生的同时加快新旧动能转换，培育新的增长点。",
    "据统计，前三季度全市地区生产总值同比增长百分之五点八，主要经济指标好于预期。",
)
"""Generic local-news sentences for filler article bodies (the bulk benchmark portal, the fault portal).

Their order is part of the generated pages: random choices index into it, so append, never reorder."""

_RAW_DATE_FORMATS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})"), "{}-{}-{}T{}:{}:{}+08:00"),
    (re.compile(r"(\d{4})年(\d{2})月(\d{2})日 (\d{2}):(\d{2})"), "{}-{}-{}T{}:{}+08:00"),
    (re.compile(r"(\d{4})/(\d{2})/(\d{2}) (\d{2}):(\d{2})"), "{}-{}-{}T{}:{}+08:00"),
    (re.compile(r"(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2})"), "{}-{}-{}T{}:{}+08:00"),
    (re.compile(r"(\d{4})年(\d{2})月(\d{2})日"), "{}-{}-{}"),
    (re.compile(r"(\d{4})-(\d{2})-(\d{2})"), "{}-{}-{}"),
)


def esc(text: str) -> str:
    """HTML-escape text for element content and double-quoted attributes."""
    return html.escape(text, quote=True)


def iso_from_raw(raw: str) -> str:
    """ISO 8601 form (Beijing time, at the precision shown) of a date string as printed on a page."""
    for pattern, template in _RAW_DATE_FORMATS:
        match = pattern.fullmatch(raw)
        if match:
            return template.format(*match.groups())
    raise ValueError(f"unsupported date format: {raw!r}")


def iso_to_datetime(iso: str) -> datetime:
    """Aware datetime of an ISO string from :func:`iso_from_raw` (date-only means midnight)."""
    return datetime.fromisoformat(iso if "T" in iso else iso + "T00:00+08:00")


def png(width: int, height: int, rgb: tuple[int, int, int]) -> bytes:
    """A valid PNG: a two-tone picture (a lighter band across the middle), deterministic bytes."""
    light = tuple(min(255, c + 60) for c in rgb)
    rows = []
    for y in range(height):
        colour = light if height // 3 <= y < 2 * height // 3 else rgb
        rows.append(b"\x00" + bytes(colour) * width)

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"".join(rows), 9))
        + chunk(b"IEND", b"")
    )


def file_for(root: Path, url_path: str) -> Path:
    """The file under ``root`` that serves ``url_path`` (which may carry a ``?query``)."""
    path, _, query = url_path.partition("?")
    if path.endswith("/"):
        path += "index.html"
    target = root / path.lstrip("/")
    if query:
        target = target.with_name(target.name + QUERY_SEP + query)
    return target


def write_bytes(root: Path, url_path: str, data: bytes) -> None:
    """Write ``data`` as the file serving ``url_path``."""
    target = file_for(root, url_path)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)


def write_text(root: Path, url_path: str, text: str, encoding: str = "utf-8") -> None:
    """Write a page in the given encoding (strict: a character the codec lacks is a bug in the content)."""
    write_bytes(root, url_path, text.encode(encoding))


def write_manifest(root: Path, manifest: dict[str, Any], origin: str) -> None:
    """Write ``manifest.json`` (UTF-8, readable Chinese) and the origin file used by the server."""
    text = json.dumps(manifest, ensure_ascii=False, indent=2) + "\n"
    (root / "manifest.json").write_text(text, encoding="utf-8")
    (root / ORIGIN_FILE).write_text(origin + "\n", encoding="ascii")
