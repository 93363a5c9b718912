"""Proofs of the security review's claims, over HTTP against a real ``syllabus serve`` started
the way an operator starts it (no ``--host``), at log level debug:

1. No secret reaches the log. One session uses every kind of credential the server takes or
   holds, each a fresh random value: the admin token (both headers), site API keys, a
   control-plane bearer token, an OAuth app's client id and secret, an authorization code and
   its PKCE verifier, access and refresh tokens, user passwords, the server's secret key, a
   webhook receiver's URL credentials (webhooks are signed with the API key and the client
   secret: the receiver checks both signatures), a Redis URL's password (Redis refuses it,
   so the limiter logs its outage) and, on PostgreSQL, a database URL's password (trust auth
   takes any). Each credential is also refused once in a near miss (the real value with its
   last character changed), and the OAuth endpoints get the requests that once reached their
   unhandled-error path (an HTTP Basic header that is not UTF-8, a NUL in a parameter), now
   refused first. The whole log is then searched for every secret, every 12-character piece of one, and the Basic headers.
2. Error bodies carry no trace: malformed requests of every kind (bad JSON, wrong types, bad
   encodings, an unknown route, a wrong method) answer our JSON error shapes, with no
   ``Traceback``, ``File "`` or ``.py``. A 500 is exactly ``{"error":"Internal Server Error"}``
   (and keeps the connection usable: tests/live/test_resilience.py,
   ``test_a_500_keeps_the_keep_alive_connection_usable``).
3. The server binds 127.0.0.1 by default: the setting's and the CLI's defaults, ``--help``, and
   the server itself, which answers on 127.0.0.1 and refuses on the machine's other addresses.
4. Secrets are hashed at rest: after the session, no column of any row of any table of the
   database (reflected, not taken from the models), nor on SQLite any byte of its files, holds
   a secret or a 12-character piece of one (keys and tokens are SHA-256 digests, passwords
   argon2id, the API key a webhook signs with is sealed under the server key). What must stay
   in the clear to work, a webhook receiver's URL and an app's client id (public), is exempt,
   and the scan must find it: it reads the values themselves.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import inspect
import ipaddress
import os
import re
import secrets
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from sqlalchemy import MetaData, create_engine, select
from sqlalchemy.engine import make_url
from typer.testing import CliRunner

from syllabus.cli import app as cli
from syllabus.cli.server import serve
from syllabus.config import Settings
from syllabus.db import is_sqlite_url, normalize_url
from syllabus.migrate import upgrade
from tests.oauth.helpers import new_verifier, s256
from tests.servers import Server, start_server

pytestmark = pytest.mark.live

REDIRECT = "https://app.example.com/callback"
# A piece this long of a secret found anywhere counts as a leak (a hint of the last 4 characters,
# as `syllabus keys list` shows, does not).
PIECE = 12
WAIT_SECONDS = 20.0
# What an error body must never contain.
TRACE_MARKERS = ("Traceback", 'File "', ".py")


def near_miss(secret: str) -> str:
    """``secret`` with its last character changed: refused, and full of the real one's pieces."""
    return secret[:-1] + ("0" if secret[-1] != "0" else "1")


def basic(user: str, password: str) -> str:
    return base64.b64encode(f"{user}:{password}".encode()).decode()


def pieces(secret: str) -> set[str]:
    """The secret and every ``PIECE``-character run of it."""
    return {secret} | {secret[i : i + PIECE] for i in range(len(secret) - PIECE + 1)}


def leaks(text: str, secrets_by_name: dict[str, str]) -> dict[str, str]:
    """The secrets ``text`` holds, whole or a piece, by name: what was found."""
    found: dict[str, str] = {}
    for name, secret in secrets_by_name.items():
        for piece in sorted(pieces(secret), key=len, reverse=True):
            if piece in text:
                found[name] = piece
                break
    return found


def unescaped(text: str) -> str:
    """``text`` with its backslash escapes (``\\x41``, ``\\u0041``) read."""
    return text.encode("utf-8", "replace").decode("unicode_escape", "replace")


# --- a webhook receiver on loopback -------------------------------------------------------


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes


class Receiver:
    """Records every POST it gets and answers 200."""

    def __init__(self) -> None:
        self.requests: list[Received] = []
        received = self.requests

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("content-length", "0"))
                body = self.rfile.read(length)
                received.append(Received({k.lower(): v for k, v in self.headers.items()}, body))
                self.send_response(200)
                self.send_header("content-length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                """Silent."""

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = int(self.server.server_address[1])
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> Receiver:
        self.thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.server.shutdown()
        self.server.server_close()


# --- the server, started without --host ------------------------------------------------


def serve_without_host(
    database_url: str, log: Path, env: dict[str, str], arguments: list[str]
) -> Server:
    """``syllabus serve`` with no ``--host`` (nor ``SYLLABUS_HOST``), on a free port, once it
    answers /healthz on 127.0.0.1 (``wait_until_serving`` waits for uvicorn's "running on
    http://127.0.0.1:PORT": the address it chose is checked there)."""
    return start_server(database_url, log, env=env, arguments=arguments, host=None)


def stop(server: Server) -> None:
    if server.process.poll() is None:
        server.process.terminate()
        try:
            server.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()


# --- the session ------------------------------------------------------------------------------


@dataclass
class Run:
    """What the session left: the server and its log, the site, and every secret it used."""

    server: Server
    log: Path
    database_url: str
    subdomain: str
    api_key: str
    # Every secret, by what it is; none may reach the log.
    secrets: dict[str, str] = field(default_factory=dict)
    # Names of the secrets the database must hold to work (not hashable): exempt at rest only.
    stored_by_design: set[str] = field(default_factory=set)
    # The webhook receiver's port.
    hook_port: int = 0

    @property
    def site_headers(self) -> dict[str, str]:
        return {"X-Auth-API-Key": self.api_key, "X-Auth-Subdomain": self.subdomain}


def expect(response: httpx.Response, *statuses: int) -> httpx.Response:
    assert response.status_code in statuses, (response.status_code, response.text)
    return response


def wait_for(what: str, done: Any) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while not done():
        if time.monotonic() > deadline:
            pytest.fail(f"waited {WAIT_SECONDS}s for {what}")
        time.sleep(0.05)


def with_password(database_url: str, password: str) -> str:
    """The database URL with ``password`` in it: PostgreSQL's trust auth takes any."""
    url = make_url(normalize_url(database_url))
    return url.set(password=password).render_as_string(hide_password=False)


@pytest.fixture(scope="module")
def run(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Run]:
    token = secrets.token_urlsafe
    admin_token = f"admin-{token(24)}"
    redis_password = f"redis-{secrets.token_hex(16)}"
    hook_password = f"hookpw-{token(18)}"
    hook_token = f"hooktok-{token(18)}"
    known: dict[str, str] = {
        "admin token": admin_token,
        "server secret key": f"key-{token(32)}",
        "Redis password": redis_password,
        "webhook URL password": hook_password,
        "webhook URL token": hook_token,
    }
    if is_sqlite_url(normalize_url(database_url)):
        # A database of its own: its raw bytes are read below, and a process that opens and
        # closes a SQLite file it also holds connections to (the suite's) drops its locks on it.
        database_url = f"sqlite:///{tmp_path_factory.mktemp('security-db') / 'security.db'}"
        upgrade(database_url)
        served_url = database_url
    else:
        known["database password"] = f"dbpw-{secrets.token_hex(16)}"
        served_url = with_password(database_url, known["database password"])
    # Redis here lets the default user in with any password: a user it does not know makes
    # the password matter, and Redis refuses it (WRONGPASS), which the limiter logs.
    redis_user = f"probe-{secrets.token_hex(6)}"
    redis_url = f"redis://{redis_user}:{redis_password}@127.0.0.1:6379/0"
    log = tmp_path_factory.mktemp("security") / "serve.log"
    env = {
        "SYLLABUS_ADMIN_TOKEN": admin_token,
        "SYLLABUS_SECRET_KEY": known["server secret key"],
        "SYLLABUS_REDIS_URL": redis_url,
        # On, so that every API request goes through the Redis limiter.
        "SYLLABUS_RATE_LIMIT_PER_MINUTE": "100000",
        "SYLLABUS_OAUTH_AUTO_APPROVE": "1",
        "SYLLABUS_LOG_LEVEL": "debug",
    }
    with Receiver() as receiver:
        server = serve_without_host(served_url, log, env, ["--log-level", "debug"])
        try:
            with httpx.Client(base_url=server.url, timeout=10) as http:
                result = session(http, server, log, database_url, known, receiver)
            yield result
        finally:
            stop(server)


def session(
    http: httpx.Client,
    server: Server,
    log: Path,
    database_url: str,
    known: dict[str, str],
    receiver: Receiver,
) -> Run:
    """Every credential used, and refused in a near miss; the unhandled-error path taken."""
    admin = {"Authorization": f"Bearer {known['admin token']}"}

    # The control plane: a site (its API key), a second key, a bearer token.
    created = expect(http.post("/_syllabus/sites", json={}, headers=admin), 201).json()
    subdomain = created["subdomain"]
    run = Run(server, log, database_url, subdomain, created["api_key"])
    run.secrets.update(known)
    run.stored_by_design |= {"webhook URL password", "webhook URL token"}
    run.hook_port = receiver.port
    run.secrets["API key"] = run.api_key
    by_header = {"X-Syllabus-Admin-Token": known["admin token"]}
    second = expect(http.post(f"/_syllabus/sites/{subdomain}/keys", headers=by_header), 201)
    run.secrets["second API key"] = second.json()["api_key"]
    minted = expect(http.post(f"/_syllabus/sites/{subdomain}/tokens", headers=admin), 201)
    run.secrets["control-plane bearer token"] = minted.json()["access_token"]
    for wrong in (
        {"Authorization": f"Bearer {near_miss(known['admin token'])}"},
        {"X-Syllabus-Admin-Token": near_miss(known["admin token"])},
    ):
        expect(http.get("/_syllabus/sites", headers=wrong), 401)

    # The Admin API with each credential, and each refused.
    users = "/api/public/v1/users"
    expect(http.get(users, headers=run.site_headers), 200)
    second_key = {"X-Auth-API-Key": run.secrets["second API key"], "X-Auth-Subdomain": subdomain}
    expect(http.get(users, headers=second_key), 200)
    bearer_minted = {"Authorization": f"Bearer {run.secrets['control-plane bearer token']}"}
    expect(http.get(users, headers=bearer_minted), 200)
    for wrong in (
        {"X-Auth-API-Key": near_miss(run.api_key), "X-Auth-Subdomain": subdomain},
        {"X-Auth-API-Key": run.api_key, "X-Auth-Subdomain": "not-" + subdomain},
        {"Authorization": f"Bearer {near_miss(run.secrets['control-plane bearer token'])}"},
    ):
        expect(http.get(users, headers=wrong), 401)

    # An OAuth app, and the whole flow: code (PKCE), tokens, refresh, reuse, revoke.
    app = expect(
        http.post(
            f"/_syllabus/sites/{subdomain}/apps",
            json={"redirect_uris": [REDIRECT]},
            headers=admin,
        ),
        201,
    ).json()
    client_id, client_secret = app["client_id"], app["client_secret"]
    run.secrets |= {"OAuth client id": client_id, "OAuth client secret": client_secret}
    run.stored_by_design.add("OAuth client id")  # public (RFC 6749 §2.2), stored to find the app
    app_auth = (client_id, client_secret)

    def authorize(verifier: str) -> str:
        params = {
            "client_id": client_id,
            "redirect_uri": REDIRECT,
            "response_type": "code",
            "state": "st",
            "subdomain": subdomain,
            "code_challenge": s256(verifier),
            "code_challenge_method": "S256",
        }
        redirect = expect(http.get("/oauth2/authorize", params=params), 302)
        return parse_qs(urlsplit(redirect.headers["location"]).query)["code"][0]

    verifier = new_verifier()
    code = authorize(verifier)
    run.secrets |= {"authorization code": code, "PKCE verifier": verifier}
    exchange = {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT}
    # A wrong verifier, a wrong code and a wrong client secret (HTTP Basic, then in the form)
    # are refused and spend nothing.
    for form, auth in (
        ({**exchange, "code_verifier": near_miss(verifier)}, app_auth),
        ({**exchange, "code": near_miss(code), "code_verifier": verifier}, app_auth),
        ({**exchange, "code_verifier": verifier}, (client_id, near_miss(client_secret))),
    ):
        expect(http.post("/oauth2/token", data=form, auth=auth), 400, 401)
    posted = {**exchange, "code_verifier": verifier, "client_id": client_id}
    posted["client_secret"] = near_miss(client_secret)
    expect(http.post("/oauth2/token", data=posted), 401)
    tokens = expect(
        http.post("/oauth2/token", data={**exchange, "code_verifier": verifier}, auth=app_auth),
        200,
    ).json()
    run.secrets |= {
        "OAuth access token": tokens["access_token"],
        "OAuth refresh token": tokens["refresh_token"],
    }
    oauth = {"Authorization": f"Bearer {tokens['access_token']}"}
    expect(http.get(users, headers=oauth), 200)
    refresh = {"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"]}
    expect(
        http.post(
            "/oauth2/token",
            data={**refresh, "refresh_token": near_miss(refresh["refresh_token"])},
            auth=app_auth,
        ),
        400,
    )
    renewed = expect(http.post("/oauth2/token", data=refresh, auth=app_auth), 200).json()
    run.secrets |= {
        "renewed access token": renewed["access_token"],
        "renewed refresh token": renewed["refresh_token"],
    }
    expect(http.post("/oauth2/token", data=refresh, auth=app_auth), 400)  # spent
    renewed_bearer = {"Authorization": f"Bearer {renewed['access_token']}"}
    expect(http.get(users, headers=renewed_bearer), 200)
    expect(
        http.get(users, headers={"Authorization": f"Bearer {near_miss(renewed['access_token'])}"}),
        401,
    )

    # Webhooks, signed with the API key that creates one and the client secret of the app whose
    # token creates the other; the receiver's URL carries credentials of its own.
    hook = (
        f"http://hook:{known['webhook URL password']}@127.0.0.1:{receiver.port}/receive"
        f"?token={known['webhook URL token']}"
    )
    subscription = {"topic": "user.signup", "target_url": hook}
    expect(http.post("/api/v2/webhooks", json=subscription, headers=run.site_headers), 201)
    expect(http.post("/api/v2/webhooks", json=subscription, headers=renewed_bearer), 201)

    # Passwords: a user created with one (which fires both webhooks), then given another.
    password, changed = f"pw-{secrets.token_urlsafe(18)}", f"pw-{secrets.token_urlsafe(18)}"
    run.secrets |= {"user password": password, "changed user password": changed}
    email = f"ada-{secrets.token_hex(4)}@example.com"
    user = {"first_name": "Ada", "last_name": "L", "email": email, "password": password}
    created_user = expect(http.post(users, json=user, headers=run.site_headers), 201).json()
    expect(
        http.put(f"{users}/{created_user['id']}", json={"password": changed}, headers=oauth),
        200,
        204,
    )
    wait_for("both webhook deliveries", lambda: len(receiver.requests) >= 2)
    signers = set()
    for delivery in receiver.requests:
        given = delivery.headers["x-thinkific-hmac-sha256"]
        for name in ("API key", "OAuth client secret"):
            key = run.secrets[name].encode()
            if hmac.compare_digest(given, hmac.new(key, delivery.body, hashlib.sha256).hexdigest()):
                signers.add(name)
    assert signers == {"API key", "OAuth client secret"}
    assert all(d.headers["authorization"].startswith("Basic ") for d in receiver.requests)

    # Revocation: the revoked token is refused from then on.
    expect(http.post("/oauth2/revoke", data={"token": renewed["access_token"]}, auth=app_auth), 200)
    expect(http.get(users, headers=renewed_bearer), 401)
    # A code presented again is refused (and revokes what it issued).
    expect(
        http.post("/oauth2/token", data={**exchange, "code_verifier": verifier}, auth=app_auth),
        400,
    )

    # Requests that once reached the unhandled-error path, whose log line would carry the
    # request's secrets beside what breaks it: an HTTP Basic header that is not UTF-8 (401
    # invalid_client), a NUL in the subdomain (PostgreSQL refuses it in a statement; now 400
    # invalid_request before any statement).
    not_utf8 = base64.b64encode(f"{client_id}:{client_secret}".encode() + b"\xff").decode()
    run.secrets["Basic header, not UTF-8"] = not_utf8
    full = {**exchange, "code_verifier": verifier, "refresh_token": renewed["refresh_token"]}
    probes = [
        ("/oauth2/token", full, {"Authorization": f"Basic {not_utf8}"}),
        (
            "/oauth2/revoke",
            {"token": tokens["access_token"]},
            {"Authorization": f"Basic {not_utf8}"},
        ),
        (
            "/oauth2/token",
            {**full, "subdomain": subdomain + "\x00"},
            {"Authorization": f"Basic {basic(client_id, client_secret)}"},
        ),
        (
            "/oauth2/revoke",
            {"token": renewed["refresh_token"], "subdomain": "\x00" + subdomain},
            {},
        ),
    ]
    for (path, form, headers), status in zip(probes, [401, 401, 400, 400], strict=True):
        expect(http.post(path, data=form, headers=headers), status)
    run.secrets["Basic header"] = basic(client_id, client_secret)
    run.secrets["Basic header, wrong secret"] = basic(client_id, near_miss(client_secret))

    # Near misses of every secret: refused above where the server takes them, and none may
    # appear either (a logged near miss would show the real secret but for one character).
    for name, secret in list(run.secrets.items()):
        if name not in run.stored_by_design:
            run.secrets[f"{name}, near miss"] = near_miss(secret)

    # What the session must have logged: the Redis outage (rate limits were on), one line per
    # webhook delivery, and a traceback per 500.
    wait_for("the Redis warning", lambda: "Redis at " in log.read_text())
    wait_for("the delivery log lines", lambda: log.read_text().count("webhook delivery") >= 2)
    # The journal writes its entries within a second; reading it writes them at once.
    expect(http.get(f"/_syllabus/sites/{subdomain}/requests", headers=admin), 200)
    return run


# --- 1. logs ----------------------------------------------------------------------------------


def test_no_secret_reaches_the_log(run: Run) -> None:
    text = run.log.read_text(encoding="utf-8", errors="replace")
    # Every secret, whole or by pieces, in the log as written and as Python's repr would show it.
    assert leaks(text, run.secrets) == {}
    assert leaks(unescaped(text), run.secrets) == {}

    # Not vacuous: the server logged at debug, and logged what the session made it log.
    assert "Uvicorn running on" in text
    # uvicorn adds no line at debug (its connection lines are at trace): the level is the one
    # the command line gave.
    command = Path(f"/proc/{run.server.process.pid}/cmdline").read_bytes().split(b"\0")
    assert command[command.index(b"--log-level") + 1] == b"debug"
    assert "Redis at redis://127.0.0.1:6379/0 is unavailable" in text, text[-3000:]
    # Each delivery is logged, its target shown without the receiver's credentials.
    assert text.count(f"(user.signup) to http://127.0.0.1:{run.hook_port}/receive: 200") == 2
    assert "unhandled error" not in text
    assert "Traceback" not in text


# --- 2. error bodies -------------------------------------------------------------------------


def error_requests(run: Run) -> list[tuple[str, str, dict[str, Any]]]:
    """Malformed requests of every kind: (method, path, httpx arguments)."""
    site = run.site_headers
    admin = {"Authorization": f"Bearer {run.secrets['admin token']}"}
    as_json = {**site, "Content-Type": "application/json"}
    users = "/api/public/v1/users"
    return [
        ("POST", users, {"headers": as_json, "content": b'{"first_name": "A", '}),
        ("POST", users, {"headers": as_json, "content": b"[1, 2]"}),
        ("POST", users, {"headers": as_json, "content": b'{"first_name": "\xff\xfe"}'}),
        ("POST", users, {"headers": site, "json": {"first_name": 5, "last_name": [], "email": {}}}),
        (
            "POST",
            users,
            {
                "headers": site,
                "json": {"first_name": "A", "last_name": "B", "email": "x", "password": 7},
            },
        ),
        (
            "POST",
            users,
            {
                "headers": {**site, "Content-Type": "application/x-www-form-urlencoded"},
                "content": b"user[=%zz&&==",
            },
        ),
        ("POST", users, {"headers": as_json, "content": b"[" * 100_000}),
        ("POST", users, {"headers": as_json, "content": b" " * 1_100_000}),
        ("GET", f"{users}/abc", {"headers": site}),
        ("GET", f"{users}/99999999999999999999999", {"headers": site}),
        ("POST", "/api/v2/webhooks", {"headers": as_json, "content": b'{"topic": '}),
        ("POST", "/api/v2/webhooks", {"headers": site, "json": {"topic": 1, "target_url": ["x"]}}),
        (
            "POST",
            "/_syllabus/sites",
            {"headers": {**admin, "Content-Type": "application/json"}, "content": b"{nope"},
        ),
        (
            "POST",
            "/oauth2/token",
            {"headers": {"Content-Type": "application/json"}, "content": b"{nope"},
        ),
        ("POST", "/oauth2/token", {"data": {"grant_type": "password", "client_id": "x"}}),
        ("GET", "/oauth2/authorize", {"params": {"client_id": "x", "subdomain": run.subdomain}}),
        (
            "POST",
            "/oauth2/authorize",
            {
                "content": b"\xff\xfe",
                "headers": {"Content-Type": "application/x-www-form-urlencoded"},
            },
        ),
    ]


# Unknown routes and wrong methods on known ones: Rails answers both 404 (errors.py).
NO_ROUTE = [
    ("GET", "/api/public/v1/nothing_here"),
    ("GET", "/nothing/here"),
    ("DELETE", "/api/public/v1/users"),
    ("PATCH", "/api/public/v1/courses/1"),
    ("PUT", "/api/v2/webhooks"),
    ("DELETE", "/_syllabus/sites"),
    ("PUT", "/oauth2/token"),
    ("POST", "/healthz"),
]


def assert_no_trace(response: httpx.Response) -> None:
    for marker in TRACE_MARKERS:
        assert marker not in response.text, (response.request.url, response.text)


def test_error_bodies_carry_no_trace(run: Run) -> None:
    answered: set[int] = set()
    with httpx.Client(base_url=run.server.url, timeout=10) as http:
        for method, path, arguments in error_requests(run):
            response = http.request(method, path, **arguments)
            answered.add(response.status_code)
            assert_no_trace(response)
            assert 400 <= response.status_code < 500, (method, path, response.text)
            if response.headers["content-type"].startswith("application/json"):
                body = response.json()
                assert isinstance(body, dict)
                assert set(body) in ({"error"}, {"errors"}, {"error", "error_description"}), body
            else:  # the consent endpoint's error page
                assert response.headers["content-type"].startswith("text/html"), response.text
        for method, path in NO_ROUTE:
            headers = run.site_headers | {"Content-Type": "application/json"}
            response = http.request(method, path, headers=headers, content=b"{}")
            assert_no_trace(response)
            assert response.status_code == 404, (method, path, response.text)
            assert response.json() == {"error": f'No route matches [{method}] "{path}"'}
    # Every kind of refusal was met: bad request, not found, too large, unprocessable, and the
    # OAuth client and consent errors.
    assert {400, 401, 404, 413, 422} <= answered, answered


# --- 3. binding -------------------------------------------------------------------------------


def other_addresses() -> list[str]:
    """This machine's addresses other than loopback (and link-local, which needs a scope)."""
    found: set[str] = set()
    hostname = shutil.which("hostname")
    if hostname:
        listed = subprocess.run([hostname, "-I"], capture_output=True, text=True, timeout=5)
        found.update(listed.stdout.split())
    try:
        for *_, socket_address in socket.getaddrinfo(socket.gethostname(), None):
            found.add(str(socket_address[0]))
    except OSError:
        pass
    usable = []
    for text in sorted(found):
        try:
            address = ipaddress.ip_address(text.split("%")[0])
        except ValueError:
            continue
        if not (address.is_loopback or address.is_link_local or address.is_unspecified):
            usable.append(str(address))
    return usable


def test_binds_loopback_by_default(run: Run) -> None:
    assert Settings.model_fields["host"].default == "127.0.0.1"
    assert inspect.signature(serve).parameters["host"].default == "127.0.0.1"
    # `syllabus serve --help`, in process (the command's own app), with no SYLLABUS_HOST.
    unset: dict[str, str | None] = {
        name: None for name in os.environ if name.startswith("SYLLABUS_")
    }
    helped = CliRunner().invoke(
        cli, ["serve", "--help"], env={**unset, "COLUMNS": "200", "NO_COLOR": "1", "TERM": "dumb"}
    )
    assert helped.exit_code == 0, helped.output
    shown = helped.output
    assert re.search(r"--host\b[^\n]*\[default: 127\.0\.0\.1\]", shown), shown

    # The session's server was started with no --host: uvicorn said where it listens.
    assert f"Uvicorn running on http://127.0.0.1:{run.server.port}" in run.log.read_text()
    assert httpx.get(f"{run.server.url}/healthz", timeout=5).status_code == 200
    addresses = other_addresses()
    if not addresses:
        pytest.skip("this machine has no address but loopback: nothing else to refuse on")
    for address in addresses:
        family = socket.AF_INET6 if ":" in address else socket.AF_INET
        # Control: a listener of our own on that address is reached, so a refusal at the
        # server's port means that nothing listens there.
        with socket.socket(family, socket.SOCK_STREAM) as listener:
            listener.bind((address, 0))
            listener.listen()
            socket.create_connection(listener.getsockname()[:2], timeout=3).close()
        with pytest.raises(ConnectionRefusedError):
            socket.create_connection((address, run.server.port), timeout=3).close()


# --- 4. at rest -------------------------------------------------------------------------------


def test_secrets_are_hashed_at_rest(run: Run) -> None:
    at_rest = {n: s for n, s in run.secrets.items() if n not in run.stored_by_design}
    engine = create_engine(normalize_url(run.database_url))
    metadata = MetaData()
    scanned: dict[str, int] = {}
    everything: list[str] = []
    try:
        metadata.reflect(bind=engine)
        with engine.connect() as connection:
            for table in metadata.sorted_tables:
                rows = connection.execute(select(table)).all()
                scanned[table.name] = len(rows)
                text = "\n".join(
                    "\t".join(
                        value.decode("latin-1") if isinstance(value, bytes) else str(value)
                        for value in row
                    )
                    for row in rows
                )
                everything.append(text)
                assert leaks(text, at_rest) == {}, table.name
                # Escaped text (JSON in events and journal bodies) read unescaped as well.
                assert leaks(unescaped(text), at_rest) == {}, table.name
    finally:
        engine.dispose()
    # Not vacuous: what must be kept in the clear (a receiver's URL, a public client id) is
    # found, so the scan reads the values themselves; and the tables holding each kind of
    # credential were read, with rows in them.
    stored = {name: run.secrets[name] for name in run.stored_by_design}
    assert set(leaks("\n".join(everything), stored)) == run.stored_by_design
    # The journal keeps request bodies (POST /users with its password, redacted) and events
    # keep what users were written.
    kept = ("credentials", "oauth_apps", "oauth_codes", "users", "webhooks", "journal_entries")
    for name in (*kept, "events", "webhook_delivery_attempts", "server_secrets"):
        assert scanned.get(name, 0) > 0, (name, scanned)

    url = make_url(normalize_url(run.database_url))
    if url.drivername.startswith("sqlite") and url.database:
        files = [Path(url.database + suffix) for suffix in ("", "-wal", "-journal")]
        for path in filter(Path.exists, files):
            assert leaks(path.read_bytes().decode("latin-1"), at_rest) == {}, path
