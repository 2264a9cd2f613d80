"""Outbound-policy test material: the address spellings to refuse, and a fake DNS.

Every spelling resolves locally (numeric forms, ``localhost``) or is refused by name
(``metadata.google.internal``), so no test traffic leaves the machine.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager

from moto.server import ThreadedMotoServer

from skyorder.delivery.outbound import system_resolver

# (host as written in a URL, the rule the refusal must name)
REFUSED_HOSTS: list[tuple[str, str]] = [
    ("127.0.0.1", "a loopback address"),
    ("127.1", "a loopback address"),
    ("2130706433", "a loopback address"),
    ("0x7f000001", "a loopback address"),
    ("017700000001", "a loopback address"),
    ("localhost", "a loopback address"),
    ("[::1]", "a loopback address"),
    ("[::ffff:127.0.0.1]", "is an IPv6 form of 127.0.0.1, a loopback address;"),
    ("[::127.0.0.1]", "a loopback address"),  # IPv4-compatible
    ("[2002:7f00:1::1]", "an IPv6 form of 127.0.0.1, a loopback address"),  # 6to4 of 127.0.0.1
    ("169.254.169.254", "a link-local address (cloud metadata)"),
    ("[::ffff:169.254.169.254]", "a link-local address (cloud metadata)"),
    ("metadata.google.internal", "a cloud metadata host name"),
    ("[fd00:ec2::254]", "a unique-local address (cloud metadata)"),
    ("[fe80::1]", "a link-local address"),
    ("10.0.0.1", "a private address"),
    ("10.255.255.254", "a private address"),
    ("172.16.0.1", "a private address"),
    ("172.31.255.254", "a private address"),
    ("192.168.1.1", "a private address"),
    ("[64:ff9b::a00:1]", "a private address"),  # NAT64 of 10.0.0.1
    ("100.64.0.1", "a shared (carrier-grade NAT) address"),
    ("[fc00::1]", "a unique-local address"),
    ("[fd12:3456::1]", "a unique-local address"),
    ("[fec0::1]", "a site-local address"),
    ("0.0.0.0", "an unspecified ('this network') address"),
    ("0", "an unspecified ('this network') address"),
    ("[::]", "an unspecified address"),
    ("224.0.0.1", "a multicast address"),
    ("239.255.255.250", "a multicast address"),
    ("[ff02::1]", "a multicast address"),
    ("255.255.255.255", "the broadcast address"),
    ("240.0.0.1", "a reserved address"),
    ("192.0.2.10", "a reserved address"),  # documentation
]
PUBLIC_ADDRESS = "93.184.215.14"  # never connected to: tests only resolve to it


class FakeDns:
    """Names the test sets resolve to what it says; every other host as the system does."""

    def __init__(self) -> None:
        self.names: dict[str, list[str]] = {}
        self.lookups: list[str] = []

    def set(self, name: str, *addresses: str) -> None:
        """Make ``name`` resolve to ``addresses`` from now on."""
        self.names[name] = list(addresses)

    def resolve(self, host: str, port: int) -> list[str]:
        """The addresses of ``host``."""
        self.lookups.append(host)
        if host in self.names:
            if not self.names[host]:
                raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
            return self.names[host]
        return system_resolver(host, port)


@contextmanager
def moto_s3() -> Iterator[str]:
    """A real S3 API (moto's server) on a free loopback port; yields its endpoint URL."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()
