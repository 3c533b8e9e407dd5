"""What the input fuzz test sends: the site's URL patterns that take input, and
malformed requests for them (hypothesis strategies and a fixed sweep).

A `Probe` is one request: method, path, query string, raw body, content type
and headers. Bodies are built as bytes, so they can hold what a well-behaved
client never sends: lone surrogates, invalid UTF-8, a form in a JSON request.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import quote

from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver
from hypothesis import strategies as st

BOUNDARY = "fuzzfuzzfuzz"
MULTIPART = f"multipart/form-data; boundary={BOUNDARY}"
FORM = "application/x-www-form-urlencoded"
JSON = "application/json"
CONVERTER = re.compile(r"<(?:(?P<kind>\w+):)?(?P<name>\w+)>")

# Values no form of the site expects.
NASTY = [
    "", " ", "\x00", "\ud800", "a\udfffb", "²", "١٢", "-1", "0", "1.5", "1e309",
    "nan", "-inf", "9" * 30, "9" * 5000, "18446744073709551616", "true", "null",
    "<script>alert(1)</script>", "' OR 1=1 --", "../../etc/passwd", "🙂" * 50,
    "\u202e", "%", "&=&", "x" * 20_000, "0.5", "[1, 2]", "{}", "1/0", "__import__",
]  # fmt: skip
# Answers of the wrong shape for multi-step questions (a scalar, a 7-vector).
SHAPES = ["0.5", "1 2 3 4 5 6 7"]
# The values of the fixed sweep, each in every field at once.
KILLERS = ["\ud800", "²", "9" * 5000, "18446744073709551616", "-1", "1e309", "nan",
           "\x00", "0.5", ""]  # fmt: skip
HUGE_IDS = ["2147483648", "9223372036854775807", "9223372036854775808",
            "18446744073709551616", "9" * 40, "9" * 5000]  # fmt: skip
NOT_IDS = ["abc", "-1", "1.5", "²", "%FF", "%ED%A0%80", "0x10", " 1"]
WEIRD_SLUGS = ["-", "_", "a" * 300, "%FF", "%ED%A0%80", "%C3%BC", "all", "mine",
               "..", "%2e%2e", "%00"]  # fmt: skip
WEIRD_TYPES = [
    "text/plain", "application/xml", "application/octet-stream", "",
    "multipart/form-data", "multipart/form-data; boundary=other",
    f"{FORM}; charset=bogus", f"{FORM}; charset=utf-16", f"{JSON}; charset=latin-1",
    "application/json-patch+json", "*/*", "multipart/mixed; boundary=x",
]  # fmt: skip
ACCEPTS = ["application/json", "text/html", "*/*", "application/json;q=2, nope/;;",
           "image/png", "\x7f"]  # fmt: skip


@dataclass(frozen=True)
class Probe:
    method: str
    path: str
    query: str = ""
    body: bytes = b""
    content_type: str = FORM
    headers: dict[str, str] = field(default_factory=dict)
    label: str = ""

    def __str__(self) -> str:
        url = f"{self.path}?{self.query}" if self.query else self.path
        shown = self.body[:120] + (b"..." if len(self.body) > 120 else b"")
        return (
            f"{self.label or 'drawn'}: {self.method} {url[:200]} "
            f"[{self.content_type}] {shown!r} {self.headers}"
        )


# --------------------------------------------------------------- the endpoints


def _walk(
    patterns: list[URLPattern | URLResolver], prefix: str, admin: bool
) -> Iterator[tuple[str, URLPattern, bool]]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inside = admin or entry.app_name == "admin"
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), inside)
        else:
            yield prefix + str(entry.pattern), entry, admin


def _ours(pattern: URLPattern) -> bool:
    return pattern.callback.__module__.split(".")[0] in {"tutor", "exercises"}


def input_routes() -> list[str]:
    """Every route of the site (all of them take a query string, most a body),
    except the Django admin's own views; the admin views we added are kept."""
    return [
        route
        for route, pattern, in_admin in _walk(get_resolver().url_patterns, "", False)
        if not in_admin or _ours(pattern)
    ]


def fill(route: str, values: dict[str, str]) -> str:
    """The route with each <converter:name> replaced by values[name]."""
    return "/" + CONVERTER.sub(lambda m: values[m["name"]], route)


def parameters(route: str) -> list[tuple[str, str]]:
    return [(m["kind"] or "str", m["name"]) for m in CONVERTER.finditer(route)]


# --------------------------------------------------------------- the bodies


def as_bytes(text: str) -> bytes:
    """UTF-8, lone surrogates included (as the invalid bytes ED A0 80 …)."""
    return text.encode("utf-8", "surrogatepass")


def urlencoded(pairs: list[tuple[str, str]]) -> str:
    return "&".join(
        f"{quote(as_bytes(name), safe='')}={quote(as_bytes(value), safe='')}"
        for name, value in pairs
    )


def raw_urlencoded(pairs: list[tuple[str, str]]) -> bytes:
    """A form body whose values carry undecodable bytes, raw and %-encoded."""
    return b"&".join(
        quote(as_bytes(name), safe="").encode() + b"=\xff%FE" + as_bytes(value)
        for name, value in pairs
    )


def multipart(
    pairs: list[tuple[str, bytes]], files: tuple[tuple[str, str, bytes], ...] = ()
) -> bytes:
    """A multipart/form-data body (boundary BOUNDARY) with these raw field values."""
    parts = [
        b'Content-Disposition: form-data; name="'
        + as_bytes(name)
        + b'"\r\n\r\n'
        + value
        for name, value in pairs
    ]
    parts += [
        b'Content-Disposition: form-data; name="%s"; filename="%s"\r\n'
        % (as_bytes(name), as_bytes(filename))
        + b"Content-Type: text/x-python\r\n\r\n"
        + content
        for name, filename, content in files
    ]
    delimiter = f"--{BOUNDARY}".encode()
    body = b"".join(delimiter + b"\r\n" + part + b"\r\n" for part in parts)
    return body + delimiter + b"--\r\n"


def json_body(pairs: list[tuple[str, str]]) -> bytes:
    """JSON with \\u escapes for anything outside ASCII, lone surrogates too."""
    data: dict[str, object] = {}
    for name, value in pairs:
        data[name] = [data[name], value] if name in data else value
    return json.dumps(data).encode("ascii")


def oversize() -> bytes:
    return b"source=" + b"x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)


def too_many_fields() -> str:
    return "&".join(
        f"f{n}=1" for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 5)
    )


def encoded(encoding: str, pairs: list[tuple[str, str]]) -> tuple[bytes, str]:
    """A body and its content type, by the name of a way to encode (or break) it."""
    bad = [(name, value + "\udcff") for name, value in pairs] or [("source", "\ud800")]
    bodies: dict[str, tuple[bytes, str]] = {
        "form": (urlencoded(pairs).encode("ascii"), FORM),
        "form, invalid UTF-8": (raw_urlencoded(pairs or [("source", "x")]), FORM),
        "multipart": (multipart([(n, as_bytes(v)) for n, v in pairs]), MULTIPART),
        "multipart, invalid UTF-8": (
            multipart([(n, b"\xff\xfe" + as_bytes(v)) for n, v in bad]),
            MULTIPART,
        ),
        "multipart with a file": (
            multipart([], (("file", "a.py", b"\xffdef f(): pass"),)),
            MULTIPART,
        ),
        "JSON": (json_body(pairs), JSON),
        "JSON, lone surrogates": (json_body(bad), JSON),
        "JSON, invalid UTF-8": (b'{"source": "\xff\xfe", "value": "\xc3"}', JSON),
        "JSON, not an object": (b'["source", 1]', JSON),
        "JSON, nested too deep": (b"[" * 100_000, JSON),
        "JSON, an over-long number": (b'{"source": 1' + b"0" * 5000 + b"}", JSON),
        "form sent as JSON": (urlencoded(pairs).encode("ascii"), JSON),
        "JSON sent as a form": (json_body(pairs), FORM),
        "empty": (b"", FORM),
        "oversize form": (oversize(), FORM),
        "oversize multipart": (
            multipart([("source", b"x" * settings.DATA_UPLOAD_MAX_MEMORY_SIZE)]),
            MULTIPART,
        ),
        "oversize JSON": (b'{"source": "' + oversize() + b'"}', JSON),
        "too many fields": (too_many_fields().encode(), FORM),
    }
    return bodies[encoding]


ENCODINGS = [
    "form", "form, invalid UTF-8", "multipart", "multipart, invalid UTF-8",
    "multipart with a file", "JSON", "JSON, lone surrogates", "JSON, invalid UTF-8",
    "JSON, not an object", "JSON, nested too deep", "JSON, an over-long number",
    "form sent as JSON", "JSON sent as a form", "empty", "oversize form",
    "oversize multipart", "oversize JSON", "too many fields",
]  # fmt: skip


# --------------------------------------------------------------- strategies


@dataclass(frozen=True)
class World:
    """What exists for the fuzz to aim at: ids by path parameter, slugs by the
    route's first segment, field names and values that mean something here."""

    ids: dict[str, list[int]]
    slugs: dict[str, list[str]]
    fields: list[str]
    values: list[str]
    # Fields a request about this slug needs to get past the first check (the
    # seed of the variant a student is on), for the sweep's answers in parts.
    needs: dict[str, dict[str, str]] = field(default_factory=dict)

    def path_values(self, route: str, kind: str, name: str) -> st.SearchStrategy[str]:
        if kind == "int":
            real = [str(i) for i in self.ids.get(name, [])] + ["0", "1"]
            return st.sampled_from(real + HUGE_IDS + NOT_IDS)
        if kind == "slug":
            real = self.slugs.get(route.split("/")[0], [])
            return st.sampled_from(real + WEIRD_SLUGS) | st.text(max_size=20).map(
                lambda text: quote(as_bytes(text), safe="")
            )
        return st.sampled_from(["MQ", "set-password", "x", "%FF", *NOT_IDS])

    def real_values(self, route: str) -> dict[str, str]:
        """A real id or slug for each parameter of the route (where there is one)."""
        return {
            name: str((self.ids.get(name) or [1])[0])
            if kind == "int"
            else (self.slugs.get(route.split("/")[0]) or ["x"])[0]
            for kind, name in parameters(route)
        }

    def field_pairs(self) -> st.SearchStrategy[list[tuple[str, str]]]:
        value = st.one_of(
            st.sampled_from(NASTY + self.values),
            st.text(max_size=40),
            st.integers().map(str),
        )
        # Repeats allowed: the same name twice is a repeated field.
        return st.lists(st.tuples(st.sampled_from(self.fields), value), max_size=8)


def headers() -> st.SearchStrategy[dict[str, str]]:
    return st.fixed_dictionaries(
        {},
        optional={
            "HX-Request": st.just("true"),
            "Accept": st.sampled_from(ACCEPTS),
            "HX-Current-URL": st.sampled_from(["http://x/%FF", "::", "/questions/x/"]),
        },
    )


@st.composite
def probes(draw: st.DrawFn, route: str, world: World) -> Probe:
    """One malformed request for `route`, from everything above."""
    path = fill(
        route,
        {
            name: draw(world.path_values(route, kind, name))
            for kind, name in parameters(route)
        },
    )
    pairs = draw(world.field_pairs())
    method = draw(st.sampled_from(["GET", "POST", "POST", "PUT", "DELETE"]))
    query = urlencoded(draw(world.field_pairs())) + draw(
        st.sampled_from(["", "&%FF=%FE"])
    )
    if method == "GET":
        return Probe(method, path, urlencoded(pairs) + query, headers=draw(headers()))
    body, content_type = encoded(draw(st.sampled_from(ENCODINGS)), pairs)
    content_type = draw(st.sampled_from([content_type, content_type, *WEIRD_TYPES]))
    return Probe(method, path, query, body, content_type, draw(headers()))


def sweep(route: str, world: World) -> list[Probe]:
    """The fixed probes every endpoint gets: each malformation at least once."""
    real = world.real_values(route)
    path = fill(route, real)
    every = [(name, "0.5") for name in world.fields]
    found = [
        Probe("POST", path, body=body, content_type=content_type, label=encoding)
        for encoding in ENCODINGS
        for body, content_type in [encoded(encoding, every)]
    ]
    for value in KILLERS:
        pairs = [(name, value) for name in world.fields]
        found.append(Probe("GET", path, urlencoded(pairs), label=f"GET {value[:9]!r}"))
        found.append(
            Probe(
                "POST",
                path,
                body=urlencoded(pairs + pairs).encode("ascii"),
                label=f"POST twice {value[:9]!r}",
            )
        )
    found += [
        Probe("POST", path, body=b"source=x", content_type=kind, label="wrong type")
        for kind in WEIRD_TYPES[:6]
    ]
    found.append(Probe("GET", path, too_many_fields(), label="too many query fields"))
    found.append(Probe("GET", path, "%FF%FE=%ED%A0%80", label="query not UTF-8"))
    found += [
        Probe("GET", path, headers={"Accept": accept}, label="odd Accept")
        for accept in ACCEPTS[3:]
    ]
    found += _answers_of_every_shape(route, world)
    for kind, name in parameters(route):
        found += [
            Probe("GET", fill(route, {**real, name: value}), label=f"odd {name}")
            for value in HUGE_IDS + NOT_IDS + (WEIRD_SLUGS if kind != "int" else [])
        ]
    return found


def _answers_of_every_shape(route: str, world: World) -> list[Probe]:
    """For each slug that needs fields (a question and its seed): every field
    one number, then seven, so each part of a multi-step answer has the wrong
    shape and error carried forward meets it."""
    if not route.startswith("questions/<slug:slug>/"):
        return []
    found = []
    for slug, needs in world.needs.items():
        for value in SHAPES:
            pairs = [(name, value) for name in world.fields] + list(needs.items())
            found.append(
                Probe(
                    "POST",
                    fill(route, {**world.real_values(route), "slug": slug}),
                    body=urlencoded(pairs).encode("ascii"),
                    label=f"every part {value!r}",
                )
            )
    return found
