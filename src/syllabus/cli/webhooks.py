"""``syllabus webhooks deliveries|redeliver|listen`` and ``syllabus worker``: webhook deliveries
from the shell."""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import logging
import queue
import secrets
import signal
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Annotated, Any

import httpx
import orjson
import typer
from rich.syntax import Syntax
from rich.table import Table

from syllabus.cli.app import (
    DatabaseUrlOption,
    app,
    console,
    database_for,
    fail,
    settings_for,
    unit_of_work,
)
from syllabus.errors import ApiError
from syllabus.events.topics import TOPICS
from syllabus.migrate import upgrade
from syllabus.pagination import PageParams
from syllabus.sites.service import SiteError, get_site
from syllabus.webhooks.deliveries import DELIVERY_FILTERS, list_deliveries, redeliver
from syllabus.webhooks.delivery import sign
from syllabus.webhooks.service import subscribe_with_key, unsubscribe
from syllabus.webhooks.worker import DeliveryWorker

webhooks_app = typer.Typer(no_args_is_help=True, help="Webhook deliveries: the log, and listen.")
app.add_typer(webhooks_app, name="webhooks")

LISTENER = "syllabus webhooks listen"


@webhooks_app.command("deliveries")
def deliveries_command(
    subdomain: str,
    status: Annotated[
        str | None, typer.Option(help="pending, delivered, failed or cancelled.")
    ] = None,
    page: Annotated[int, typer.Option(help="The page, 25 deliveries each, oldest first.")] = 1,
    database_url: DatabaseUrlOption = None,
) -> None:
    """The site's delivery log: each delivery, its status and its last answer."""
    by_status = DELIVERY_FILTERS.parse({"query[status]": status} if status else {})
    try:
        with unit_of_work(database_url, write=False) as session:
            body: dict[str, Any] = list_deliveries(
                session, subdomain, by_status, PageParams(page, 25)
            )
    except ApiError as error:
        raise fail(f"no site {subdomain!r}") from error
    table = Table()
    for name in ("id", "topic", "event", "status", "tries", "last answer"):
        table.add_column(name, no_wrap=True)
    table.add_column("target", overflow="fold")
    for item in body["items"]:
        last = item["log"][-1] if item["log"] else None
        answer = "" if last is None else str(last["status_code"] or last["error"])
        table.add_row(
            str(item["id"]),
            item["topic"],
            item["event_id"],
            item["status"],
            str(item["attempts"]),
            answer,
            item["target_url"],
        )
    console.print(table)
    console.print(body["meta"]["pagination"]["entries_info"] if body["items"] else "no deliveries")


@webhooks_app.command("redeliver")
def redeliver_command(
    subdomain: str, delivery_id: int, database_url: DatabaseUrlOption = None
) -> None:
    """Send a delivery again now (one attempt). A running server or `syllabus worker` sends it."""
    try:
        with unit_of_work(database_url) as session:
            redeliver(session, subdomain, delivery_id)
    except ApiError as error:
        reason = orjson.dumps(error.body()).decode()
        raise fail(f"cannot redeliver {delivery_id} on {subdomain!r}: {reason}") from error
    console.print(f"delivery {delivery_id} queued: the server (or `syllabus worker`) sends it now")


@app.command("worker")
def worker_command(database_url: DatabaseUrlOption = None) -> None:
    """Send webhook deliveries, without serving HTTP (run `serve` with
    SYLLABUS_DELIVER_WEBHOOKS=0 beside it). Any number may run against one database."""
    settings = settings_for(database_url)
    logging.basicConfig(
        level=settings.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    upgrade(settings.database_url)
    database = database_for(database_url)
    console.print(
        f"delivering webhooks from {database.engine.url.render_as_string()}", soft_wrap=True
    )
    try:
        asyncio.run(_run_until_stopped(DeliveryWorker(database, settings)))
    finally:
        database.dispose()
    console.print("stopped")


def _stopped_by_signals() -> asyncio.Event:
    """An event set by SIGINT or SIGTERM (Ctrl-C, or a supervisor stopping the process)."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    return stop


async def _run_until_stopped(worker: DeliveryWorker) -> None:
    """Run ``worker`` until SIGINT or SIGTERM."""
    stop = _stopped_by_signals()
    worker.start()
    try:
        await stop.wait()
    finally:
        await worker.stop()


@dataclass(frozen=True)
class Arrival:
    headers: dict[str, str]
    body: bytes


class _Listener(ThreadingHTTPServer):
    daemon_threads = True
    # Workers send a batch at once: don't refuse connections beyond the default backlog of 5.
    request_queue_size = 128


@contextlib.contextmanager
def _receiver(arrivals: queue.Queue[Arrival]) -> Iterator[str]:
    """A receiver on a free port of 127.0.0.1 that queues what arrives; its URL."""

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            arrivals.put(Arrival(dict(self.headers), body))
            self.send_response(200)
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = _Listener(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@webhooks_app.command("listen")
def listen_command(
    subdomain: str,
    forward_to: Annotated[
        str | None, typer.Option("--forward-to", help="Also POST each delivery, signed, here.")
    ] = None,
    topic: Annotated[
        list[str] | None,
        typer.Option("--topic", help="A topic to listen to (repeatable); default: all 25."),
    ] = None,
    database_url: DatabaseUrlOption = None,
) -> None:
    """Subscribe to the site's topics and print each delivery as it arrives (topic, id,
    signature check, payload), like Stripe's `listen`; unsubscribe on exit (Ctrl-C)."""
    topics = list(dict.fromkeys(topic or sorted(TOPICS)))
    unknown = [name for name in topics if name not in TOPICS]
    if unknown:
        raise fail(f"unknown topic {unknown[0]!r}: the topics are {', '.join(sorted(TOPICS))}")
    settings = settings_for(database_url)
    secret = secrets.token_hex(16)
    arrivals: queue.Queue[Arrival] = queue.Queue()
    with _receiver(arrivals) as url:
        try:
            with unit_of_work(database_url) as session:
                site = get_site(session, subdomain)
                ids = [
                    subscribe_with_key(session, settings, site, name, url, secret, LISTENER).id
                    for name in topics
                ]
        except SiteError as error:
            raise fail(str(error)) from error
        console.print(
            f"Ready! Listening on {url} for {len(topics)} topic(s) of {subdomain}. "
            f"Signing secret: {secret} (Ctrl-C to quit)",
            soft_wrap=True,
        )
        database = database_for(database_url)
        try:
            asyncio.run(
                _listen(DeliveryWorker(database, settings, only=ids), arrivals, secret, forward_to)
            )
        finally:
            with unit_of_work(database_url) as session:
                unsubscribe(session, get_site(session, subdomain), ids)
            database.dispose()
    console.print(f"unsubscribed {len(ids)} webhook(s)")


async def _listen(
    worker: DeliveryWorker, arrivals: queue.Queue[Arrival], secret: str, forward_to: str | None
) -> None:
    """Deliver this listener's own subscriptions (so it works with or without a server) and
    print what arrives, until SIGINT or SIGTERM."""
    stop = _stopped_by_signals()
    worker.start()
    try:
        async with httpx.AsyncClient() as client:
            while not stop.is_set():
                try:
                    arrival = await asyncio.to_thread(arrivals.get, True, 0.2)
                except queue.Empty:
                    continue
                _show(arrival, secret)
                if forward_to:
                    await _forward(client, forward_to, arrival)
    finally:
        await worker.stop()


def _show(arrival: Arrival, secret: str) -> None:
    headers = {name.lower(): value for name, value in arrival.headers.items()}
    expected = sign(arrival.body, secret)
    valid = hmac.compare_digest(headers.get("x-thinkific-hmac-sha256", ""), expected)
    envelope = orjson.loads(arrival.body)
    check = "[green]signature ok[/green]" if valid else "[red]signature mismatch[/red]"
    stamp_text = datetime.now().strftime("%H:%M:%S")
    console.print(
        f"{stamp_text} --> [bold]{headers.get('x-thinkific-topic')}[/bold] "
        f"[{envelope.get('id')}] {check}",
        soft_wrap=True,
    )
    pretty = orjson.dumps(envelope.get("payload"), option=orjson.OPT_INDENT_2).decode()
    console.print(Syntax(pretty, "json", theme="ansi_dark", background_color="default"))


async def _forward(client: httpx.AsyncClient, url: str, arrival: Arrival) -> None:
    kept = {
        name: value
        for name, value in arrival.headers.items()
        if name.lower().startswith("x-thinkific-") or name.lower() == "content-type"
    }
    try:
        response = await client.post(url, content=arrival.body, headers=kept, timeout=10.0)
    except httpx.HTTPError as error:
        console.print(f"<-- [red]{type(error).__name__}[/red] POST {url}: {error}", soft_wrap=True)
        return
    console.print(f"<-- [{response.status_code}] POST {url}", soft_wrap=True)
