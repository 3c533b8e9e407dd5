"""HTML to PDF through headless Chromium, cached by content.

WeasyPrint and similar engines do not lay out MathML; Chromium does, natively,
so the sheets' server-side MathML comes out typeset. Chromium is run as a
command (no Python dependency at run time) on a self-contained HTML file in a
fresh temporary directory, with host resolution disabled so nothing on the page
can reach the network, and is killed with its whole process group if it
overruns the timeout.

The PDF of a given HTML string never changes, so it is kept under
`VAR_DIR/pdf-cache/<sha256 of the HTML>.pdf`: any change of content or style
changes the key, and a second request is a file read.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import signal
import subprocess
import tempfile
from pathlib import Path

from django.conf import settings

logger = logging.getLogger(__name__)

CACHE_LIMIT = 500  # files kept; the oldest go first
_FLAGS = (
    "--headless",
    # Chromium's own sandbox needs user namespaces that containers often lack;
    # the page is the site's own sanitised HTML and the network is cut below.
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-extensions",
    "--disable-sync",
    "--no-first-run",
    "--no-default-browser-check",
    "--mute-audio",
    "--host-resolver-rules=MAP * ~NOTFOUND",
    "--no-pdf-header-footer",
)


class PdfUnavailable(Exception):
    """Chromium is not installed where CHROMIUM_PATH says."""


class PdfFailed(Exception):
    """Chromium ran but produced no PDF (crash, timeout)."""


def cache_dir() -> Path:
    return Path(settings.VAR_DIR) / "pdf-cache"


def cache_key(html: str) -> str:
    return hashlib.sha256(html.encode("utf-8")).hexdigest()


def html_to_pdf(html: str) -> bytes:
    """The PDF of a self-contained HTML page, from the cache when it is there."""
    path = cache_dir() / f"{cache_key(html)}.pdf"
    try:
        return path.read_bytes()
    except FileNotFoundError:
        pass
    pdf = render_pdf(html)
    _store(path, pdf)
    return pdf


def render_pdf(html: str) -> bytes:
    chromium = Path(settings.CHROMIUM_PATH)
    if not (chromium.is_file() and os.access(chromium, os.X_OK)):
        raise PdfUnavailable(f"{chromium} is missing")
    with tempfile.TemporaryDirectory(prefix="sheet-pdf-") as work:
        source, target = Path(work) / "sheet.html", Path(work) / "sheet.pdf"
        source.write_text(html, encoding="utf-8")
        command = [
            str(chromium),
            *_FLAGS,
            f"--user-data-dir={Path(work) / 'profile'}",
            f"--print-to-pdf={target}",
            source.as_uri(),
        ]
        _run(command, home=work, timeout=settings.PDF_TIMEOUT_SECONDS)
        pdf = target.read_bytes() if target.exists() else b""
    if not pdf.startswith(b"%PDF"):
        raise PdfFailed("Chromium wrote no PDF")
    return pdf


def _run(command: list[str], *, home: str, timeout: float) -> None:
    # A session of its own, so a timeout can kill Chromium's helpers too.
    environment = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": home}
    process = subprocess.Popen(
        command,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=environment,
        start_new_session=True,
    )
    try:
        _, errors = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill_leftovers(process.pid)
        process.communicate()
        raise PdfFailed(f"Chromium took longer than {timeout:g} s") from None
    finally:
        _kill_leftovers(process.pid)
    if process.returncode != 0:
        tail = errors.decode("utf-8", "replace")[-500:]
        logger.warning("Chromium exited with %s: %s", process.returncode, tail)
        raise PdfFailed(f"Chromium exited with status {process.returncode}")


def _kill_leftovers(group: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):  # already gone
        os.killpg(group, signal.SIGKILL)


def _store(path: Path, pdf: bytes) -> None:
    """Write atomically (a reader never sees half a file), then trim the cache."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, partial = tempfile.mkstemp(dir=path.parent, suffix=".part")
    with os.fdopen(handle, "wb") as file:
        file.write(pdf)
    Path(partial).replace(path)
    _trim(path.parent)


def _trim(folder: Path) -> None:
    files = list(folder.glob("*.pdf"))
    if len(files) <= CACHE_LIMIT:
        return
    files.sort(key=_modified)
    for old in files[: len(files) - CACHE_LIMIT]:
        old.unlink(missing_ok=True)


def _modified(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except FileNotFoundError:  # trimmed meanwhile by another process
        return 0.0
