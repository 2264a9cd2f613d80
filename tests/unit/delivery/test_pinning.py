"""Requests go to the address the outbound policy vetted, never re-resolved or redirected."""

from __future__ import annotations

import httpx
import pytest

from skyorder.delivery.outbound import OutboundPolicy, OutboundRefused
from skyorder.delivery.pinning import pinned_send
from tests.outbound_fakes import PUBLIC_ADDRESS, FakeDns

OTHER_PUBLIC = "198.41.0.4"


class Recorder:
    """A mock transport's handler: answers ``answer`` and keeps every request."""

    def __init__(self, answer: httpx.Response | None = None, down: tuple[str, ...] = ()) -> None:
        self.requests: list[httpx.Request] = []
        self.answer = answer or httpx.Response(204)
        self.down = down

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if request.url.host in self.down:
            raise httpx.ConnectError("connection refused", request=request)
        return self.answer


def send(dns: FakeDns, recorder: Recorder, url: str) -> httpx.Response:
    with httpx.Client(transport=httpx.MockTransport(recorder)) as client:
        response = pinned_send(client, OutboundPolicy(resolve=dns.resolve), "POST", url, {}, b"{}")
        response.close()
        return response


def test_a_request_connects_to_the_vetted_address_with_the_host_name_kept() -> None:
    dns = FakeDns()
    dns.set("hooks.customer.example", PUBLIC_ADDRESS)
    recorder = Recorder()
    send(dns, recorder, "https://hooks.customer.example:8443/in?x=1")
    [request] = recorder.requests
    assert str(request.url) == f"https://{PUBLIC_ADDRESS}:8443/in?x=1"
    assert request.headers["host"] == "hooks.customer.example:8443"
    assert request.extensions["sni_hostname"] == "hooks.customer.example"
    assert dns.lookups == ["hooks.customer.example"]


def test_the_next_vetted_address_is_tried_when_connecting_fails() -> None:
    dns = FakeDns()
    dns.set("hooks.customer.example", PUBLIC_ADDRESS, OTHER_PUBLIC)
    recorder = Recorder(down=(PUBLIC_ADDRESS,))
    assert send(dns, recorder, "http://hooks.customer.example/in").status_code == 204
    assert [r.url.host for r in recorder.requests] == [PUBLIC_ADDRESS, OTHER_PUBLIC]


def test_a_redirect_to_the_metadata_address_is_not_followed() -> None:
    dns = FakeDns()
    dns.set("hooks.customer.example", PUBLIC_ADDRESS)
    moved = httpx.Response(302, headers={"location": "http://169.254.169.254/latest/meta-data"})
    recorder = Recorder(answer=moved)
    assert send(dns, recorder, "http://hooks.customer.example/in").status_code == 302
    assert [r.url.host for r in recorder.requests] == [PUBLIC_ADDRESS]


def test_a_host_that_now_resolves_to_a_private_address_is_never_connected_to() -> None:
    dns = FakeDns()
    dns.set("hooks.customer.example", "10.0.0.7")
    recorder = Recorder()
    with pytest.raises(OutboundRefused, match="resolves to 10.0.0.7, a private address"):
        send(dns, recorder, "http://hooks.customer.example/in")
    assert recorder.requests == []
