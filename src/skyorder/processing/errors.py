"""The raster pipeline's one error for bad input: an option it cannot honour.

It is both a ``ValueError`` (what a library caller expects for a bad argument)
and a :class:`~skyorder.core.errors.ValidationFailed` (so the API's single error
table renders it as a 4xx naming the field), raised before anything is written.
"""

from __future__ import annotations

from skyorder.core.errors import FieldError, ValidationFailed


class InvalidProcessingOption(ValidationFailed, ValueError):
    """A processing option (CRS code, product type, AOI...) cannot be honoured."""

    code = "invalid-processing-option"
    title = "Invalid processing option"

    @classmethod
    def about(cls, option: str, message: str) -> InvalidProcessingOption:
        """Build the error for one option, e.g. ``about("crs_code", "unknown EPSG code")``."""
        return cls(detail=f"{option}: {message}", errors=[FieldError(option, message)])

    @property
    def option(self) -> str:
        """The name of the offending option."""
        return self.errors[0].field if self.errors else ""
