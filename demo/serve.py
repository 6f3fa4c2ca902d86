"""A quiet, threaded static-file server for the generated portals (loopback only by default).

HTML is sent as plain ``text/html`` without a charset so a crawler has to find the encoding itself.
Every request path is appended to ``server.request_log`` (tests read it to see what a crawl fetched).
Query-string variants are files named ``<file>@<query>``; other queries are ignored. The origin a portal
was written for (see :data:`demo.sitekit.ORIGIN_FILE`) is replaced with the server's own base URL in
every text response.
"""

from __future__ import annotations

import argparse
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

from demo.build import build_portal
from demo.sitekit import ORIGIN_FILE, QUERY_SEP

CONTENT_TYPES = {
    ".html": "text/html",
    ".htm": "text/html",
    ".shtml": "text/html",
    ".xml": "application/xml",
    ".rss": "application/rss+xml",
    ".txt": "text/plain",
    ".json": "application/json",
    ".css": "text/css",
    ".js": "application/javascript",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".gif": "image/gif",
}
INDEX_FILES = ("index.html", "index.htm")


def content_type(name: str) -> str:
    """The Content-Type header for a file name (``rss.xml`` is a feed)."""
    if name == "rss.xml":
        return "application/rss+xml"
    return CONTENT_TYPES.get(Path(name).suffix.lower(), "application/octet-stream")


def _is_text(ctype: str) -> bool:
    return ctype.startswith("text/") or ctype.endswith(("xml", "json", "javascript"))


class PortalServer(ThreadingHTTPServer):
    """ThreadingHTTPServer that knows the site root and the origin to rewrite."""

    daemon_threads = True
    root: Path
    rewrite: tuple[bytes, bytes] | None = None
    request_log: list[str]

    def handle_error(self, request: object, client_address: object) -> None:
        """Stay quiet: clients hanging up mid-response are normal for a crawler test server."""


class _Handler(BaseHTTPRequestHandler):
    server: PortalServer
    server_version = "PortalDemo/1.0"

    def log_message(self, format: str, *args: object) -> None:
        """No per-request logging."""

    def do_GET(self) -> None:
        self._respond(send_body=True)

    def do_HEAD(self) -> None:
        self._respond(send_body=False)

    def _resolve(self) -> Path | str | None:
        """The file to send, a redirect location (str), or None for 404."""
        parts = urlsplit(self.path)
        url_path = unquote(parts.path)
        segments = [s for s in url_path.split("/") if s]
        if "\x00" in url_path or any(s.startswith(".") or QUERY_SEP in s for s in segments):
            return None
        root = self.server.root
        target = root.joinpath(*segments)
        if target.is_dir():
            if not url_path.endswith("/"):
                return url_path + "/" + (f"?{parts.query}" if parts.query else "")
            target = next((target / n for n in INDEX_FILES if (target / n).is_file()), target)
        if parts.query:
            variant = target.with_name(target.name + QUERY_SEP + parts.query)
            if variant.is_file():
                return variant
        if not target.is_file() or not target.resolve().is_relative_to(root):
            return None
        return target

    def _respond(self, send_body: bool) -> None:
        self.server.request_log.append(self.path)
        found = self._resolve()
        if isinstance(found, str):
            self.send_response(HTTPStatus.MOVED_PERMANENTLY)
            self.send_header("Location", found)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if found is None:
            body = b"<html><body><h1>404 Not Found</h1></body></html>\n"
            self.send_response(HTTPStatus.NOT_FOUND)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if send_body:
                self.wfile.write(body)
            return
        ctype = content_type(found.name.split(QUERY_SEP, 1)[0])
        data = found.read_bytes()
        if self.server.rewrite and _is_text(ctype):
            data = data.replace(*self.server.rewrite)
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if send_body:
            self.wfile.write(data)


def serve(root: Path, host: str = "127.0.0.1", port: int = 0) -> tuple[PortalServer, str]:
    """Serve ``root`` from a daemon thread; returns the server and its base URL (no trailing slash).

    Stop it with ``server.shutdown()`` followed by ``server.server_close()``, or use :func:`serving`.
    """
    server = PortalServer((host, port), _Handler)
    server.root = Path(root).resolve()
    server.request_log = []
    bound_host, bound_port = server.server_address[:2]
    base_url = f"http://{bound_host}:{bound_port}"
    origin_file = server.root / ORIGIN_FILE
    if origin_file.is_file():
        origin = origin_file.read_text(encoding="ascii").strip()
        server.rewrite = (origin.encode("ascii"), base_url.encode("ascii"))
    thread = threading.Thread(target=server.serve_forever, name=f"portal-{bound_port}", daemon=True)
    thread.start()
    return server, base_url


@contextmanager
def serving(root: Path, host: str = "127.0.0.1", port: int = 0) -> Iterator[tuple[PortalServer, str]]:
    """:func:`serve` for the duration of the block: yields the server and its base URL, then stops it."""
    server, base_url = serve(root, host, port)
    try:
        yield server, base_url
    finally:
        server.shutdown()
        server.server_close()


def free_port(host: str = "127.0.0.1") -> int:
    """A port nothing listens on (bound, then released) — for a server started later or never."""
    with socket.socket() as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def main(argv: list[str] | None = None) -> None:
    """``python -m demo.serve DIR``: serve a built portal for manual browsing (``--build`` builds it first)."""
    parser = argparse.ArgumentParser(prog="python -m demo.serve", description=main.__doc__)
    parser.add_argument("root", type=Path, help="directory holding the portal")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--build", action="store_true", help="build the demo portal into DIR first")
    args = parser.parse_args(argv)
    if args.build:
        manifest = build_portal(args.root)
        print(f"built {len(manifest['articles'])} articles into {args.root}")
    if not args.root.is_dir():
        parser.error(f"{args.root} is not a directory (use --build to create the demo portal)")
    with serving(args.root, args.host, args.port) as (_, base_url):
        print(f"serving {args.root} at {base_url}/ (Ctrl-C to stop)")
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
