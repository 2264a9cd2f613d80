"""The resolution an archive item's asset is downloaded at.

Synthesized scene assets come at a ``sandbox`` resolution by default: a scene coarse
enough (the ``SKYORDER_ASSET_PIXEL_BUDGET`` setting) that its first download is made in
well under a second, with the same files, bands, CRS and bounds as at ``full``
resolution, which a caller asks for with ``?resolution=full`` (the server's pixel budget,
the one deliverables are made at).
"""

from __future__ import annotations

from enum import StrEnum

from skyorder.core.errors import ValidationFailed


class Resolution(StrEnum):
    """How finely a scene asset is made."""

    SANDBOX = "sandbox"
    FULL = "full"

    @classmethod
    def parse(cls, value: str | None) -> Resolution:
        """The resolution a query asks for (none: ``sandbox``).

        Raises:
            ValidationFailed: on ``resolution`` for any other word.
        """
        if value is None or value == "":
            return cls.SANDBOX
        try:
            return cls(value.strip().lower())
        except ValueError:
            words = ", ".join(r.value for r in cls)
            raise ValidationFailed.on(
                "resolution", f"{value!r} is not a resolution; use one of: {words}"
            ) from None
