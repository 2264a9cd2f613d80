"""Outbound HTTP pinned to the vetted address: no second DNS lookup, no rebinding.

:func:`pinned_send` vets a URL with the :class:`~skyorder.delivery.outbound.OutboundPolicy`
and sends the request with httpx to the address that was vetted: the URL's host is
replaced by that address, while the ``Host`` header and the TLS server name (SNI,
and so the certificate check) stay those of the name. Redirects are never followed.

:func:`pin_s3_client` routes every request of a boto3 S3 client through
:func:`pinned_send`, from botocore's documented ``before-send`` event (a handler
that returns a response replaces botocore's own sending). Each request, including
one to another endpoint after an S3 region redirect, is vetted and pinned.
"""

from __future__ import annotations

import ipaddress
import ssl
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any, cast

import httpx
from botocore.awsrequest import AWSPreparedRequest, AWSResponse
from botocore.compat import HTTPHeaders
from botocore.exceptions import (
    ConnectTimeoutError,
    EndpointConnectionError,
    HTTPClientError,
    ReadTimeoutError,
    ResponseStreamingError,
)

from skyorder.delivery.outbound import Destination, OutboundPolicy

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

CHUNK = 1 << 16
Content = bytes | Iterable[bytes] | None


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def pinned_request(
    client: httpx.Client,
    method: str,
    destination: Destination,
    address: ipaddress.IPv4Address | ipaddress.IPv6Address,
    headers: dict[str, str],
    content: Content,
) -> httpx.Request:
    """A request for ``destination.url`` that connects to ``address``.

    The ``Host`` header names the URL's host and port; for https the TLS server
    name is the host name too (an IP-literal URL keeps its plain behaviour).
    """
    url = httpx.URL(destination.url)
    extensions: dict[str, Any] = {}
    if url.scheme == "https" and not _is_ip(destination.host):
        extensions["sni_hostname"] = url.host
    return client.build_request(
        method,
        url.copy_with(host=str(address)),
        headers={
            **{k: v for k, v in headers.items() if k.lower() != "host"},
            "host": url.netloc.decode("ascii"),
        },
        content=content,
        extensions=extensions,
    )


def pinned_send(
    client: httpx.Client,
    policy: OutboundPolicy,
    method: str,
    url: str,
    headers: dict[str, str],
    content: Content = None,
) -> httpx.Response:
    """Vet ``url`` and send the request to its vetted address, streaming the answer.

    The addresses the host resolved to are tried in order while connecting fails;
    the caller closes the response.

    Raises:
        OutboundRefused: the policy refuses the URL's host.
        OSError: the host does not resolve.
        httpx.HTTPError: the request failed.
    """
    destination = policy.vet(url)
    last: httpx.ConnectError | None = None
    for address in destination.addresses:
        request = pinned_request(client, method, destination, address, headers, content)
        try:
            return client.send(request, stream=True, follow_redirects=False)
        except httpx.ConnectError as exc:
            last = exc  # nothing of the body was read yet: try the next address
    assert last is not None
    raise last


class _Body:
    """An httpx response body as botocore reads one (``read``, ``stream``, ``close``)."""

    def __init__(self, response: httpx.Response, client: httpx.Client) -> None:
        self._response = response
        self._client = client
        self._chunks: Iterator[bytes] = response.iter_raw(CHUNK)
        self._buffer = b""
        self._done = False
        self._read = 0

    def _next(self) -> bytes:
        try:
            return next(self._chunks)
        except StopIteration:
            self.close()
            return b""
        except httpx.HTTPError as exc:
            self.close()
            raise ResponseStreamingError(error=exc) from exc

    def read(self, amt: int | None = None) -> bytes:
        """Up to ``amt`` bytes (all that is left when None); b"" at the end."""
        while not self._done and (amt is None or len(self._buffer) < amt):
            chunk = self._next()
            if not chunk:
                break
            self._buffer += chunk
        if amt is None:
            data, self._buffer = self._buffer, b""
        else:
            data, self._buffer = self._buffer[:amt], self._buffer[amt:]
        self._read += len(data)
        return data

    def stream(self, amt: int = CHUNK, decode_content: bool = False) -> Iterator[bytes]:
        """The rest of the body in chunks."""
        while data := self.read(amt):
            yield data

    def readable(self) -> bool:
        """A body can be read."""
        return True

    def tell(self) -> int:
        """How many bytes were read."""
        return self._read

    def close(self) -> None:
        """Close the response and its client."""
        if not self._done:
            self._done = True
            self._response.close()
            self._client.close()


class _S3Sender:
    """The ``before-send`` handler: sends botocore's request pinned, returns its response."""

    def __init__(self, policy: OutboundPolicy, timeout: httpx.Timeout) -> None:
        self._policy = policy
        self._timeout = timeout
        self._ssl: ssl.SSLContext | None = None

    def _verify(self) -> ssl.SSLContext:
        # Building the CA store takes ~0.2 s: once per client, not once per request.
        if self._ssl is None:
            self._ssl = httpx.create_ssl_context()
        return self._ssl

    def __call__(self, request: AWSPreparedRequest, **_: Any) -> AWSResponse:
        """Send one request; OutboundRefused passes through to the caller."""
        headers = {
            k: v.decode() if isinstance(v, bytes) else str(v)
            for k, v in request.headers.items()
            if k.lower() != "expect"  # httpx sends the body without waiting for 100
        }
        client = httpx.Client(timeout=self._timeout, verify=self._verify())
        try:
            response = pinned_send(
                client, self._policy, request.method, request.url, headers, _content(request.body)
            )
        except BaseException as exc:
            client.close()
            mapped = _boto_error(exc, request.url)
            if mapped is None:
                raise
            raise mapped from exc
        body = _Body(response, client)
        raw: _Body | _Loaded = body if request.stream_output else _Loaded(body.read())
        headers_out = HTTPHeaders.from_pairs(list(response.headers.multi_items()))
        return AWSResponse(request.url, response.status_code, headers_out, raw)


def _boto_error(exc: BaseException, url: str) -> Exception | None:
    """The botocore error for a failed send, so callers catch it as they catch botocore's."""
    if isinstance(exc, httpx.ConnectTimeout):
        return ConnectTimeoutError(endpoint_url=url, error=exc)
    if isinstance(exc, httpx.TimeoutException):
        return ReadTimeoutError(endpoint_url=url, error=exc)
    if isinstance(exc, httpx.ConnectError | OSError):  # OSError: the host does not resolve
        return EndpointConnectionError(endpoint_url=url, error=exc)
    if isinstance(exc, httpx.HTTPError):
        return HTTPClientError(error=exc)
    return None  # OutboundRefused and the like reach the caller as they are


class _Loaded:
    """A body read in full (the connection is closed already)."""

    def __init__(self, data: bytes) -> None:
        self._data = data

    def stream(self, amt: int = CHUNK, decode_content: bool = False) -> Iterator[bytes]:
        """The body, once."""
        if self._data:
            yield self._data
        self._data = b""


def _content(body: object) -> Content:
    if body is None or isinstance(body, bytes):
        return body
    if isinstance(body, bytearray | str):
        return bytes(body, "utf-8") if isinstance(body, str) else bytes(body)
    read = getattr(body, "read", None)
    if read is None:
        raise TypeError(f"cannot send a request body of type {type(body).__name__}")

    def chunks() -> Iterator[bytes]:
        while data := read(CHUNK):
            yield data.encode() if isinstance(data, str) else data

    return chunks()


def pin_s3_client(
    client: S3Client,
    policy: OutboundPolicy,
    *,
    connect_timeout: float,
    read_timeout: float,
) -> None:
    """Send every request of ``client`` through the policy, pinned to the vetted address."""
    timeout = httpx.Timeout(read_timeout, connect=connect_timeout)
    handler = cast("Callable[..., None]", _S3Sender(policy, timeout))  # the stub's return type
    client.meta.events.register("before-send.s3", handler)
