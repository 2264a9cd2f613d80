"""Outbound-address policy: where webhooks and push deliveries may connect.

Customers name the hosts the platform calls (a webhook URL, an S3 endpoint), so
without a policy those calls could reach the platform's own network: loopback
services, the cloud metadata endpoint, private ranges. Every outbound URL is
vetted here when it is submitted (a 422 naming the field) and again before each
request (DNS may have changed): the host is resolved with ``getaddrinfo`` and
refused when any address it resolves to is loopback, link-local, private,
unique-local, shared (100.64/10), multicast, unspecified or otherwise reserved,
including IPv4 addresses embedded in IPv6 ones (``::ffff:127.0.0.1``, NAT64,
6to4). Cloud metadata host names are refused by name, without resolving.
Because the check runs on the resolved address, every spelling the resolver
accepts (``127.1``, ``2130706433``, ``0x7f000001``) is caught. The caller then
connects to the vetted address itself (see :mod:`skyorder.delivery.pinning`),
so a second lookup cannot return another one.

An operator allows named networks (on-premise receivers, a local MinIO) with
``SKYORDER_OUTBOUND_ALLOW_NETWORKS``.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from skyorder.core.errors import ValidationFailed

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
Resolver = Callable[[str, int], Sequence[str]]
"""Host and port → the addresses to connect to (as text); raises ``OSError`` if none."""

ALLOW_SETTING = "SKYORDER_OUTBOUND_ALLOW_NETWORKS"
METADATA_NAMES = frozenset(
    {
        "metadata",
        "metadata.google.internal",
        "metadata.goog",
        "instance-data",
        "instance-data.ec2.internal",
        "metadata.azure.internal",
        "metadata.tencentyun.com",
    }
)
METADATA_ADDRESSES = frozenset(
    ipaddress.ip_address(a)
    for a in (
        "169.254.169.254",  # AWS, GCP, Azure, OpenStack, DigitalOcean...
        "169.254.170.2",  # AWS ECS task credentials
        "fd00:ec2::254",  # AWS IMDS over IPv6
        "100.100.100.200",  # Alibaba Cloud
        "192.0.0.192",  # Oracle Cloud
    )
)

# (network, what it is); the first match names the rule. Anything else that is not
# globally routable is refused as "reserved" (documentation, benchmarking, 240/4...).
_RULES: tuple[tuple[IPNetwork, str], ...] = tuple(
    (ipaddress.ip_network(net), label)
    for net, label in (
        ("0.0.0.0/8", "an unspecified ('this network') address"),
        ("127.0.0.0/8", "a loopback address"),
        ("169.254.0.0/16", "a link-local address"),
        ("10.0.0.0/8", "a private address"),
        ("172.16.0.0/12", "a private address"),
        ("192.168.0.0/16", "a private address"),
        ("100.64.0.0/10", "a shared (carrier-grade NAT) address"),
        ("224.0.0.0/4", "a multicast address"),
        ("255.255.255.255/32", "the broadcast address"),
        ("::/128", "an unspecified address"),
        ("::1/128", "a loopback address"),
        ("fe80::/10", "a link-local address"),
        ("fc00::/7", "a unique-local address"),
        ("fec0::/10", "a site-local address"),
        ("ff00::/8", "a multicast address"),
    )
)
# IPv6 forms that carry an IPv4 address, which is then vetted as well.
_MAPPED = ipaddress.ip_network("::ffff:0:0/96")
_COMPATIBLE = ipaddress.ip_network("::/96")
_NAT64 = (ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("64:ff9b:1::/48"))
_SIX_TO_FOUR = ipaddress.ip_network("2002::/16")


class OutboundRefused(Exception):
    """The policy refuses to connect to a URL; the message says which rule applied."""


@dataclass(frozen=True)
class Destination:
    """A vetted URL: its host and port, and the addresses a connection may use."""

    url: str
    host: str
    port: int
    addresses: tuple[IPAddress, ...]


def system_resolver(host: str, port: int) -> list[str]:
    """The addresses ``getaddrinfo`` gives for a TCP connection to ``host:port``."""
    found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in found))


def embedded_ipv4(address: IPAddress) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address carries (mapped, compatible, NAT64, 6to4), if any."""
    if not isinstance(address, ipaddress.IPv6Address):
        return None
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address in _SIX_TO_FOUR:
        return address.sixtofour
    if address in _COMPATIBLE and int(address) > 1:  # ::/128 and ::1 are not IPv4 carriers
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    if any(address in net for net in _NAT64):
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def shown(address: IPAddress) -> str:
    """The address as people write it (``::ffff:127.0.0.1``, not ``::ffff:7f00:1``)."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return f"::ffff:{address.ipv4_mapped}"
    return str(address)


def classify(address: IPAddress) -> str | None:
    """What kind of non-public address this is (e.g. "a loopback address"), or None."""
    inner = embedded_ipv4(address)
    if inner is not None:
        label = classify(inner)
        return f"an IPv6 form of {inner}, {label}" if label else None
    label = next((text for net, text in _RULES if address in net), None)
    if label is None and not address.is_global:
        label = "a reserved address"
    if label is not None and address in METADATA_ADDRESSES:
        label += " (cloud metadata)"
    return label


def _literal(host: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None


def parse_networks(text: str) -> list[IPNetwork]:
    """A comma-separated list of CIDR networks (a bare address means just that address).

    Raises:
        ValueError: naming the entry that is not a network, or has host bits set.
    """
    networks: list[IPNetwork] = []
    for entry in (part.strip() for part in text.split(",")):
        if not entry:
            continue
        try:
            networks.append(ipaddress.ip_network(entry))
        except ValueError as exc:
            raise ValueError(f"{entry!r} is not a network such as 10.1.0.0/16 ({exc})") from None
    return networks


@dataclass(frozen=True)
class OutboundPolicy:
    """Which addresses outbound calls may reach: public ones, and the ``allow`` networks.

    Attributes:
        allow: networks allowed although not public (``SKYORDER_OUTBOUND_ALLOW_NETWORKS``).
        resolve: how host names become addresses (``getaddrinfo``; tests inject their own).
    """

    allow: tuple[IPNetwork, ...] = ()
    resolve: Resolver = field(default=system_resolver, compare=False)

    def allows(self, address: IPAddress) -> bool:
        """Whether ``address`` (or the IPv4 address it carries) is in an allowed network."""
        inner = embedded_ipv4(address)
        return any(
            candidate in net
            for candidate in (address, inner)
            if candidate is not None
            for net in self.allow
            if candidate.version == net.version
        )

    def refusal(self, address: IPAddress) -> str | None:
        """Why ``address`` may not be reached, or None when it may."""
        if self.allows(address):
            return None
        return classify(address)

    def vet(self, url: str) -> Destination:
        """Resolve the URL's host and check every address it resolves to.

        Raises:
            OutboundRefused: a metadata host name, or an address the policy refuses.
            OSError: the host does not resolve (``socket.gaierror``), or is not a
                valid host name (``UnicodeError`` is re-raised as ``OSError``).
        """
        parts = urlsplit(url)
        host = (parts.hostname or "").rstrip(".").lower()
        if not host:
            raise OutboundRefused(f"{url!r} names no host")
        if host in METADATA_NAMES:
            raise OutboundRefused(
                f"{host} is a cloud metadata host name; outbound calls never go there"
            )
        port = parts.port or (443 if parts.scheme.lower() == "https" else 80)
        try:
            found = self.resolve(host, port)
        except UnicodeError as exc:
            raise OSError(f"{host!r} is not a valid host name ({exc})") from None
        addresses = tuple(ipaddress.ip_address(a.split("%", 1)[0]) for a in found)
        if not addresses:
            raise OSError(f"{host} resolves to no address")
        for address in addresses:
            reason = self.refusal(address)
            if reason is not None:
                what = "is" if _literal(host) == address else f"resolves to {shown(address)},"
                network = ipaddress.ip_network(embedded_ipv4(address) or address)
                raise OutboundRefused(
                    f"{host} {what} {reason}; outbound calls may not reach it "
                    f"(an operator may allow it with {ALLOW_SETTING}={network})"
                )
        return Destination(url, host, port, addresses)

    def check(self, url: str, field_name: str) -> None:
        """Vet a URL as it is submitted, refusing it as invalid ``field_name``.

        A host that does not resolve yet is accepted: it is vetted again before
        every request, and refused then if it resolves to a refused address.

        Raises:
            ValidationFailed: naming ``field_name`` and the rule that applied.
        """
        try:
            self.vet(url)
        except OutboundRefused as exc:
            raise ValidationFailed.on(field_name, str(exc)) from None
        except OSError:
            return
