"""The simulated platform's wire: what it answers over HTTP (its key set,
the token endpoint, line items, scores, the roster), and the recorded
requests and scripted answers (see platform.py)."""

from __future__ import annotations

import json
import threading
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import jwt
from jwt.algorithms import RSAAlgorithm

SCORE_TYPE = "application/vnd.ims.lis.v1.score+json"


@dataclass
class Recorded:
    method: str
    path: str  # with the query string
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Answer:
    status: int
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = "application/json"


class Services:
    """The platform's endpoints (mixed into Platform, which holds the state)."""

    lock: threading.Lock
    requests: list[Recorded]
    scripted: dict[tuple[str, str], list[Answer]]
    problems: list[str]
    tokens: set[str]
    lineitems: list[dict[str, Any]]
    scores: list[dict[str, Any]]
    members: list[dict[str, Any]]
    latest: dict[tuple[str, str], str]

    def handle(self, request: BaseHTTPRequestHandler) -> Answer:
        length = int(request.headers.get("Content-Length") or 0)
        body = request.rfile.read(length) if length else b""
        recorded = Recorded(request.command, request.path, dict(request.headers), body)
        with self.lock:
            self.requests.append(recorded)
            for (method, part), answers in self.scripted.items():
                if method == recorded.method and part in recorded.path and answers:
                    return answers.pop(0)
            return self._route(recorded)

    def _route(self, r: Recorded) -> Answer:
        path = urlsplit(r.path).path
        if path == urlsplit(self.key_set_url).path:
            return self.jwks_answer or Answer(
                200, {"keys": [self.jwk, *self.extra_keys]}
            )
        if path == urlsplit(self.token_url).path and r.method == "POST":
            return self._token(r)
        if not self._authorised(r):
            return Answer(401, {"error": "invalid or missing bearer token"})
        if path == urlsplit(self.lineitems_url).path:
            return self._lineitems(r)
        if path.endswith("/scores") and r.method == "POST":
            return self._score(r, path.removesuffix("/scores"))
        if path == urlsplit(self.memberships_url).path:
            return self._members(r)
        return Answer(404, {"error": f"no route {r.method} {r.path}"})

    def _token(self, r: Recorded) -> Answer:
        form = {k: v[0] for k, v in parse_qs(r.body.decode()).items()}
        try:
            assert form["grant_type"] == "client_credentials", "grant_type"
            assert form["client_assertion_type"].endswith("jwt-bearer"), (
                "assertion type"
            )
            assertion = form["client_assertion"]
            kid = jwt.get_unverified_header(assertion)["kid"]
            jwk = next(k for k in self.tool_jwks["keys"] if k["kid"] == kid)
            key: Any = RSAAlgorithm.from_jwk(json.dumps(jwk))
            claims = jwt.decode(
                assertion, key, algorithms=["RS256"], audience=self.token_url
            )
            assert claims["iss"] == claims["sub"] == self.client_id, "iss/sub"
        except (AssertionError, KeyError, StopIteration, jwt.InvalidTokenError) as exc:
            self.problems.append(f"token request refused: {exc!r}")
            return Answer(400, {"error": "invalid_client"})
        token = f"token-{uuid.uuid4().hex}"
        self.tokens.add(token)
        return Answer(
            200,
            {
                "access_token": token,
                "token_type": "Bearer",
                "expires_in": 3600,
                "scope": form.get("scope", ""),
            },
        )

    def _authorised(self, r: Recorded) -> bool:
        header = r.headers.get("Authorization", "")
        return header.startswith("Bearer ") and header[7:] in self.tokens

    def _lineitems(self, r: Recorded) -> Answer:
        if r.method == "POST":
            if (
                r.headers.get("Content-Type")
                != "application/vnd.ims.lis.v2.lineitem+json"
            ):
                self.problems.append(
                    f"line item posted as {r.headers.get('Content-Type')}"
                )
            item = self._add_lineitem(r.json())
            return Answer(
                201, item, content_type="application/vnd.ims.lis.v2.lineitem+json"
            )
        query = parse_qs(urlsplit(r.path).query)
        items = [
            item
            for item in self.lineitems
            if all(
                str(item.get(field)) == query[param][0]
                for param, field in (
                    ("resource_link_id", "resourceLinkId"),
                    ("tag", "tag"),
                )
                if param in query
            )
        ]
        return Answer(
            200, items, content_type="application/vnd.ims.lis.v2.lineitemcontainer+json"
        )

    def _score(self, r: Recorded, item_path: str) -> Answer:
        item = next(
            (i for i in self.lineitems if urlsplit(i["id"]).path == item_path), None
        )
        if item is None:
            return Answer(404, {"error": "no such line item"})
        if r.headers.get("Content-Type") != SCORE_TYPE:
            self.problems.append(f"score posted as {r.headers.get('Content-Type')}")
        if self.moodle and urlsplit(r.path).query != urlsplit(item["id"]).query:
            self.problems.append(f"score URL lost the line item's query: {r.path}")
        body = r.json()
        for name in (
            "userId",
            "scoreGiven",
            "scoreMaximum",
            "activityProgress",
            "gradingProgress",
            "timestamp",
        ):
            if name not in body:
                self.problems.append(f"score without {name}: {body}")
        key = (item["id"], body.get("userId", ""))
        if key in self.latest and body.get("timestamp", "") < self.latest[key]:
            return Answer(
                400,
                {
                    "errors": {
                        "type": "bad_request",
                        "message": "ScoreTimestamp before last updated timestamp",
                    }
                },
            )
        self.latest[key] = body.get("timestamp", "")
        self.scores.append({**body, "_lineitem": item["id"]})
        return (
            Answer(200, {"resultUrl": item["id"] + "/results"})
            if self.moodle
            else Answer(204)
        )

    def _members(self, r: Recorded) -> Answer:
        query = parse_qs(urlsplit(r.path).query)
        page = int(query.get("Page", ["1"])[0])
        if page > 1 and query.get("Token") != ["AbC"]:
            self.problems.append(f"the next page's URL lost its case: {r.path}")
        start = (page - 1) * self.page_size
        chunk = self.members[start : start + self.page_size]
        headers = {}
        if start + self.page_size < len(self.members):
            headers["Link"] = (
                f'<{self.memberships_url}?Page={page + 1}&Token=AbC>; rel="next"'
            )
        body = {
            "id": self.memberships_url,
            "context": {"id": "course-7"},
            "members": chunk,
        }
        return Answer(
            200,
            body,
            headers,
            "application/vnd.ims.lti-nrps.v2.membershipcontainer+json",
        )


def serve(platform: Services) -> ThreadingHTTPServer:
    """Start serving on 127.0.0.1, an ephemeral port, in a daemon thread."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.platform = platform  # type: ignore[attr-defined]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


class _Handler(BaseHTTPRequestHandler):
    def _answer(self) -> None:
        platform: Services = self.server.platform  # type: ignore[attr-defined]
        answer = platform.handle(self)
        if isinstance(answer.body, bytes):
            payload = answer.body
        else:
            payload = b"" if answer.body is None else json.dumps(answer.body).encode()
        self.send_response(answer.status)
        for name, value in answer.headers.items():
            self.send_header(name, value)
        if payload:
            self.send_header("Content-Type", answer.content_type)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def do_GET(self) -> None:
        self._answer()

    def do_POST(self) -> None:
        self._answer()

    def log_message(self, format: str, *args: Any) -> None:
        pass
