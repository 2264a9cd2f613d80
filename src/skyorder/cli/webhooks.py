"""``skyorder webhooks``: subscribe URLs to your organisation's events, read the delivery log."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from skyorder.cli.output import EXIT_CODES, Column, collect, emit, reported
from skyorder.cli.profiles import KeyOpt, ProfileOpt, UrlOpt, resolve
from skyorder.schemas.webhooks import DeliveryOut, WebhookCreate

app = typer.Typer(
    help="Webhook subscriptions to your organisation's events, and their delivery logs.",
    no_args_is_help=True,
    epilog=EXIT_CODES,
)

WEBHOOK_COLUMNS: list[Column] = [
    ("id", lambda w: w.id),
    ("url", lambda w: w.url),
    ("events", lambda w: ", ".join(w.event_types)),
    ("enabled", lambda w: w.enabled),
    ("description", lambda w: w.description),
]
SECRET_COLUMNS: list[Column] = [*WEBHOOK_COLUMNS, ("secret (shown once)", lambda w: w.secret)]


def _last_try(d: DeliveryOut) -> str | None:
    if not d.attempts:
        return None
    last = d.attempts[-1]
    return str(last.status_code) if last.status_code is not None else last.error


DELIVERY_COLUMNS: list[Column] = [
    ("id", lambda d: d.id),
    ("event", lambda d: d.event_type),
    ("status", lambda d: d.status),
    ("attempts", lambda d: d.attempt_count),
    ("last answer", _last_try),
    ("next attempt", lambda d: d.next_attempt_at),
    ("created at", lambda d: d.created_at),
]

WebhookArg = Annotated[str, typer.Argument(help="The webhook's id (from `webhooks list`)")]


@app.command("create")
def create(
    target: Annotated[
        str, typer.Argument(metavar="URL", help="Where events are POSTed (a public URL)")
    ],
    event_type: Annotated[
        list[str] | None,
        typer.Option("--event-type", help="Only this event type (repeatable; default: all)"),
    ] = None,
    description: Annotated[str, typer.Option(help="A note for yourself")] = "",
    enabled: Annotated[bool, typer.Option("--enabled/--disabled")] = True,
    profile: ProfileOpt = "default",
    url: UrlOpt = None,
    api_key: KeyOpt = None,
) -> None:
    """Subscribe a URL to events; prints the signing secret, which is not shown again.

    Example:

      skyorder webhooks create https://example.com/hooks \\
          --event-type OrderCompleted --event-type DeliverableDelivered
    """
    body = WebhookCreate(
        url=target, event_types=event_type or None, description=description, enabled=enabled
    )
    with reported(), resolve(profile, url, api_key).client() as client:
        emit(client.webhooks.create(body), SECRET_COLUMNS)


@app.command("list")
def list_webhooks(
    profile: ProfileOpt = "default", url: UrlOpt = None, api_key: KeyOpt = None
) -> None:
    """List your organisation's subscriptions. Example: skyorder webhooks list"""
    with reported(), resolve(profile, url, api_key).client() as client:
        emit(list(client.webhooks.list()), WEBHOOK_COLUMNS)


@app.command("show")
def show(
    webhook: WebhookArg, profile: ProfileOpt = "default", url: UrlOpt = None, api_key: KeyOpt = None
) -> None:
    """Show one subscription. Example: skyorder webhooks show 3f0c…"""
    with reported(), resolve(profile, url, api_key).client() as client:
        emit(client.webhooks.get(webhook), WEBHOOK_COLUMNS)


@app.command("delete")
def delete(
    webhook: WebhookArg, profile: ProfileOpt = "default", url: UrlOpt = None, api_key: KeyOpt = None
) -> None:
    """Unsubscribe: the subscription, its delivery log and pending deliveries go.

    Example: skyorder webhooks delete 3f0c…
    """
    with reported(), resolve(profile, url, api_key).client() as client:
        client.webhooks.delete(webhook)
    done: dict[str, Any] = {"id": webhook, "deleted": True}
    emit(done, [("id", lambda d: d["id"]), ("deleted", lambda d: d["deleted"])])


@app.command("test")
def test(
    webhook: WebhookArg, profile: ProfileOpt = "default", url: UrlOpt = None, api_key: KeyOpt = None
) -> None:
    """Send a WebhookTest event to this subscription only; follow it with `deliveries`.

    Example: skyorder webhooks test 3f0c…
    """
    with reported(), resolve(profile, url, api_key).client() as client:
        emit(client.webhooks.test(webhook), DELIVERY_COLUMNS)


@app.command("deliveries")
def deliveries(
    webhook: WebhookArg,
    status: Annotated[
        list[str] | None,
        typer.Option(help="Only this status: pending, delivered, failed (repeatable)"),
    ] = None,
    event_type: Annotated[str | None, typer.Option(help="Only this event type")] = None,
    limit: Annotated[int | None, typer.Option(help="Print at most this many")] = None,
    profile: ProfileOpt = "default",
    url: UrlOpt = None,
    api_key: KeyOpt = None,
) -> None:
    """The delivery log, newest first: each event sent, its status and every attempt (JSON:
    time, status code or error, duration; the payload sent).

    Example: skyorder webhooks deliveries 3f0c… --status failed
    """
    with reported(), resolve(profile, url, api_key).client() as client:
        found = client.webhooks.deliveries(webhook, status=status, event_type=event_type)
        emit(collect(found, limit), DELIVERY_COLUMNS)
