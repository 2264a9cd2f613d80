"""Which failures of the store mean "the database is out of reach" (retry later).

Front ends map errors to HTTP in one table (``api/errors.py``) but know nothing of the
store: this says, for them, which exceptions the store raises and which of those are a
lost database rather than a bug.
"""

from __future__ import annotations

from sqlalchemy.exc import DBAPIError, OperationalError

StoreError = DBAPIError
"""Any error the database driver raised through the store."""


def database_unavailable(exc: StoreError) -> bool:
    """Whether ``exc`` is a lost or refused connection (503, retry) rather than a bug (500)."""
    return bool(exc.connection_invalidated) or isinstance(exc, OperationalError)
