"""Captures, deliverables, their files and the signed links that serve them."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from skyorder.core.captures import Capture
from skyorder.core.deliverables import Deliverable
from skyorder.core.errors import NotFound
from skyorder.core.listing import ListQuery, PageResult
from skyorder.core.names import Named
from skyorder.core.resolutions import Resolution
from skyorder.core.tenants import Principal
from skyorder.delivery.objects import StoredObject
from skyorder.delivery.signing import SignedLink
from skyorder.facade.base import Resource
from skyorder.services import queries
from skyorder.services.full_resolution import full_file, full_request

__all__ = ["Captures", "Deliverables", "Downloads", "SignedLink", "StoredObject"]


class Captures(Resource):
    """Capture attempts of the caller's tasking orders."""

    def list(
        self, principal: Principal, query: ListQuery, order_ref: str | None = None
    ) -> PageResult[Capture]:
        """Capture attempts, latest first; of one order when ``order_ref`` is given."""
        with self._rt.uow(readonly=True) as uow:
            return queries.list_captures(uow, principal, query, order_ref)

    def get(self, principal: Principal, capture_id: str) -> Capture:
        """One capture attempt, or NotFound."""
        with self._rt.uow(readonly=True) as uow:
            return queries.get_capture(uow, principal, capture_id)


class Deliverables(Resource):
    """What the caller's orders produced."""

    def list(
        self, principal: Principal, query: ListQuery, order_ref: str | None = None
    ) -> PageResult[Deliverable]:
        """Deliverables, newest first; of one order when ``order_ref`` is given."""
        with self._rt.uow(readonly=True) as uow:
            return queries.list_deliverables(uow, principal, query, order_ref)

    def list_named(self, principal: Principal, query: ListQuery) -> Named[PageResult[Deliverable]]:
        """Deliverables with their orders' names and signed links to every asset."""
        with self._rt.uow(readonly=True) as uow:
            page = queries.list_deliverables(uow, principal, query)
            names = queries.names_for(uow, principal, {d.order_id for d in page.items})
        return Named(page, names, self._signed(page.items))

    def get_named(self, principal: Principal, deliverable_id: str) -> Named[Deliverable]:
        """One deliverable with its order's name and signed links to every asset."""
        with self._rt.uow(readonly=True) as uow:
            found = queries.get_deliverable(uow, principal, deliverable_id)
            names = queries.names_for(uow, principal, {found.order_id})
        return Named(found, names, self._signed([found]))

    def _signed(self, deliverables: Iterable[Deliverable]) -> dict[str, str]:
        """Signed download paths of the deliverables' assets, by object key."""
        return {
            a.path: self._rt.links.sign(a.path).path
            for d in deliverables
            for a in d.assets.values()
        }

    def get(self, principal: Principal, deliverable_id: str) -> Deliverable:
        """One deliverable, or NotFound."""
        with self._rt.uow(readonly=True) as uow:
            return queries.get_deliverable(uow, principal, deliverable_id)

    def asset_link(
        self,
        principal: Principal,
        deliverable_id: str,
        asset_key: str,
        resolution: Resolution = Resolution.SANDBOX,
    ) -> SignedLink:
        """A fresh signed link to one file of a deliverable.

        ``Resolution.FULL`` links to the file made at full resolution, made now (outside
        any transaction) if it was delivered at the sandbox one and not asked for before.

        Raises:
            NotFound: the deliverable is not the caller's, or has no such asset.
            InvalidProcessingOption: a full-resolution file whose source is gone.
        """
        with self._rt.uow(readonly=True) as uow:
            deliverable = queries.get_deliverable(uow, principal, deliverable_id)
            asset = deliverable.assets.get(asset_key)
            if asset is None:
                keys = ", ".join(sorted(deliverable.assets)) or "none"
                raise NotFound(
                    f"deliverable {deliverable_id} has no asset {asset_key!r}; "
                    f"its assets are: {keys}"
                )
            full = (
                full_request(uow, principal, deliverable, asset_key, asset)
                if resolution is Resolution.FULL
                else None
            )
        if full is None:
            return self._rt.links.sign(asset.path)
        rt = self._rt
        return rt.links.sign(full_file(rt.imagery, rt.objects, rt.work, full))


class Downloads(Resource):
    """Files served through signed links, without a token."""

    def open(self, key: str, expires: str | None, signature: str | None) -> StoredObject:
        """The stored object a link names, once its signature and expiry check out.

        Raises:
            SignedLinkRefused: the link is incomplete, altered or expired.
            NotFound: no such file.
        """
        self._rt.links.verify(key, expires, signature)
        return self._rt.objects.stat(key)

    def read(self, key: str, start: int, end: int | None) -> Iterator[bytes]:
        """The bytes ``start``..``end`` (inclusive; None: to the end) of an opened file."""
        return self._rt.objects.open_range(key, start, end)
