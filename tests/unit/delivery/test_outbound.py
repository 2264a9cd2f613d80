"""The outbound-address policy: which hosts webhooks and push deliveries may reach."""

from __future__ import annotations

import ipaddress

import pytest

from skyorder.core.errors import ValidationFailed
from skyorder.delivery.outbound import (
    OutboundPolicy,
    OutboundRefused,
    classify,
    parse_networks,
)
from tests.outbound_fakes import PUBLIC_ADDRESS, REFUSED_HOSTS, FakeDns

LOOPBACK = OutboundPolicy(allow=tuple(parse_networks("127.0.0.0/8,::1/128")))


@pytest.mark.parametrize(("host", "rule"), REFUSED_HOSTS, ids=[h for h, _ in REFUSED_HOSTS])
def test_every_spelling_of_a_non_public_address_is_refused_naming_the_rule(
    host: str, rule: str
) -> None:
    with pytest.raises(OutboundRefused) as refused:
        OutboundPolicy().vet(f"https://{host}:8443/hooks")
    assert rule in str(refused.value)


def test_a_refusal_says_which_setting_allows_the_address() -> None:
    with pytest.raises(OutboundRefused) as refused:
        OutboundPolicy().vet("http://2130706433/")
    assert str(refused.value) == (
        "2130706433 resolves to 127.0.0.1, a loopback address; outbound calls may not reach "
        "it (an operator may allow it with SKYORDER_OUTBOUND_ALLOW_NETWORKS=127.0.0.1/32)"
    )


def test_a_metadata_host_name_is_refused_without_resolving_it() -> None:
    dns = FakeDns()
    dns.set("metadata.google.internal", PUBLIC_ADDRESS)
    with pytest.raises(OutboundRefused, match="cloud metadata host name"):
        OutboundPolicy(resolve=dns.resolve).vet("http://Metadata.Google.Internal./computeMetadata")
    assert dns.lookups == []


def test_a_public_host_is_vetted_with_its_addresses() -> None:
    dns = FakeDns()
    dns.set("hooks.customer.example", PUBLIC_ADDRESS, "2606:2800:21f:cb07:6820:80da:af6b:8b2c")
    vetted = OutboundPolicy(resolve=dns.resolve).vet("https://hooks.customer.example/in")
    assert (vetted.host, vetted.port) == ("hooks.customer.example", 443)
    assert [str(a) for a in vetted.addresses] == [
        PUBLIC_ADDRESS, "2606:2800:21f:cb07:6820:80da:af6b:8b2c"
    ]  # fmt: skip


def test_a_name_with_one_private_address_among_public_ones_is_refused() -> None:
    dns = FakeDns()
    dns.set("mixed.customer.example", PUBLIC_ADDRESS, "10.0.0.7")
    with pytest.raises(OutboundRefused, match="resolves to 10.0.0.7, a private address"):
        OutboundPolicy(resolve=dns.resolve).vet("https://mixed.customer.example/")


def test_an_allowed_network_lets_loopback_through_in_any_spelling() -> None:
    for host in ("127.0.0.1", "127.1", "2130706433", "[::1]", "[::ffff:127.0.0.1]"):
        assert LOOPBACK.vet(f"http://{host}:9000/").addresses


def test_an_allowed_network_does_not_open_the_others() -> None:
    with pytest.raises(OutboundRefused, match="a private address"):
        LOOPBACK.vet("http://10.0.0.1/")


def test_a_host_that_does_not_resolve_is_accepted_on_submission() -> None:
    dns = FakeDns()
    dns.set("not-yet.customer.example")
    OutboundPolicy(resolve=dns.resolve).check("https://not-yet.customer.example/", "url")


def test_a_refused_url_on_submission_is_invalid_naming_the_field() -> None:
    with pytest.raises(ValidationFailed) as failed:
        OutboundPolicy().check("http://169.254.169.254/latest/meta-data", "delivery.endpoint_url")
    [error] = failed.value.errors
    assert error.field == "delivery.endpoint_url"
    assert "a link-local address (cloud metadata)" in error.message


def test_a_global_address_has_no_refusal_rule() -> None:
    assert classify(ipaddress.ip_address(PUBLIC_ADDRESS)) is None
    assert classify(ipaddress.ip_address("2a00:1450:4007:80e::200e")) is None


@pytest.mark.parametrize("text", ["10.0.0.0/33", "10.1.0.1/16", "intranet"])
def test_an_allowed_network_that_is_not_one_is_refused_naming_it(text: str) -> None:
    with pytest.raises(ValueError, match=f"'{text}' is not a network"):
        parse_networks(f"127.0.0.0/8,{text}")
