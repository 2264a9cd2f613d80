"""The Python SDK of skyorder's native API.

```python
from skyorder.client import Client

with Client("http://127.0.0.1:8000", api_key="sko_...") as client:
    client.reports.usage("2025-11-01", "2025-12-01").to_csv("deliverables_report.csv")
```

:class:`AsyncClient` is the client itself (one attribute per resource, over httpx);
:class:`Client` runs it for code that is not asynchronous. Requests and answers are the
native API's wire models (``skyorder.schemas``); every failure is a
:class:`~skyorder.client.errors.SkyorderError`. This package needs only httpx and
pydantic (``pip install skyorder[client]``), never the server's dependencies.
"""

from skyorder.client.auth import ApiKey, Auth, ClientCredentials
from skyorder.client.core import AsyncClient
from skyorder.client.errors import (
    ApiError,
    ChecksumMismatch,
    ConnectionFailed,
    NotFound,
    OrderEnded,
    SkyorderError,
    WaitTimeout,
)
from skyorder.client.session import RetryPolicy
from skyorder.client.sync import Client

__all__ = [
    "ApiError",
    "ApiKey",
    "AsyncClient",
    "Auth",
    "ChecksumMismatch",
    "Client",
    "ClientCredentials",
    "ConnectionFailed",
    "NotFound",
    "OrderEnded",
    "RetryPolicy",
    "SkyorderError",
    "WaitTimeout",
]
