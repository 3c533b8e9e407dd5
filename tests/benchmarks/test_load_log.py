"""The load test's server-side times: read from gunicorn's access log as
gunicorn.conf.py formats it, each request under its locust name."""

from __future__ import annotations

import runpy

from benchmarks.load import ROOT, _server_side
from benchmarks.summary import Summary

FORMAT = runpy.run_path(str(ROOT / "gunicorn.conf.py"))["access_log_format"]


def _line(request: str, status: int, ms: int) -> str:
    """An access-log line as gunicorn writes it: the format filled with its atoms."""
    return FORMAT % {
        "h": "127.0.0.1", "l": "-", "u": "-", "t": "[07/Dec/2026:08:00:00 +0000]",
        "r": f"{request} HTTP/1.1", "s": status, "b": 6412, "f": "-",
        "a": "python/gevent-http-client-1.5.5", "M": ms,
    }  # fmt: skip


def test_each_request_is_timed_under_its_endpoint(tmp_path, capsys) -> None:
    log = tmp_path / "web.log"
    lines = [_line("GET /questions/iou-basic/", 200, ms) for ms in range(1, 101)]
    lines += [_line("POST /questions/iou-basic/answer", 409, 7)] * 3
    lines += [
        _line("GET /topics/yolo/", 200, 12),
        _line("GET /submissions/42/status", 200, 9),
        _line("POST /questions/iou-basic/", 302, 900),  # another try: not a page
        "[2026-12-07 08:00:00 +0000] [1234] [INFO] Booting worker with pid: 1234",
    ]
    log.write_text("\n".join(lines) + "\n")
    summary = Summary()
    _server_side(summary, log)
    figures = {figure.key: figure.value for figure in summary.figures}
    assert figures == {
        "load.question_page.worker_p95_ms": 96.0,
        "load.answer_check.worker_p95_ms": 7.0,
    }
    printed = capsys.readouterr().out
    assert "topic page" in printed and "status poll" in printed
    assert "exercise page" not in printed  # none in the log
