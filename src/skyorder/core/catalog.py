"""The archive catalog: STAC collections and items, and the rules an ingested item must follow.

An item is a STAC 1.0 Feature: an id, a collection, an acquisition ``datetime``,
a footprint (a GeoJSON Polygon or MultiPolygon that obeys the AOI rules of
``core.geometry``), properties and assets. The common queryables (cloud cover,
off-nadir, sun elevation, GSD, platform, constellation) are read from the
properties once, at ingest, so that the store can index them. Each rule names
the offending field and says what to change.
"""

from __future__ import annotations

import math
import re
import uuid as uuidlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Any

from skyorder.core.errors import FieldError, ValidationFailed
from skyorder.core.geometry import BBox, bbox_of, parse_aoi
from skyorder.core.products import Product, collection_product

STAC_VERSION = "1.0.0"
ACCEPTED_STAC_VERSIONS = ("1.0.0", "1.1.0")
EO_EXTENSION = "https://stac-extensions.github.io/eo/v1.1.0/schema.json"
VIEW_EXTENSION = "https://stac-extensions.github.io/view/v1.0.0/schema.json"
PRICE_CURRENCY = "CREDITS"
# the properties ``list_price_properties`` derives from a scene's area and product
PRICE_PROPERTIES = frozenset(
    {
        "skyorder:product",
        "skyorder:processing_levels",
        "skyorder:area_km2",
        "skyorder:price_per_km2",
        "skyorder:price_currency",
        "opencosmos:price",
        "opencosmos:price_currency",
    }
)
MAX_ID_LENGTH = 200
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:\-]*$")
_RFC3339 = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$"
)


class QueryableType(StrEnum):
    """How a queryable compares: the JSON Schema type it is published with."""

    STRING = "string"
    NUMBER = "number"
    DATETIME = "datetime"
    GEOMETRY = "geometry"
    ARRAY = "array"


@dataclass(frozen=True)
class Queryable:
    """A property that searches, filters and sorts may name.

    ``column`` names the indexed column that holds it; None means it is read
    from the item's JSON properties.
    """

    name: str
    type: QueryableType
    title: str
    column: str | None = None
    minimum: float | None = None
    maximum: float | None = None


QUERYABLES: Mapping[str, Queryable] = {
    q.name: q
    for q in (
        Queryable("id", QueryableType.STRING, "Item identifier", "id"),
        Queryable("collection", QueryableType.STRING, "Collection identifier", "collection_id"),
        Queryable("datetime", QueryableType.DATETIME, "Acquisition time", "datetime"),
        Queryable("geometry", QueryableType.GEOMETRY, "Footprint", "geometry"),
        Queryable("eo:cloud_cover", QueryableType.NUMBER, "Cloud cover (%)", "cloud_cover", 0, 100),
        Queryable(
            "view:off_nadir", QueryableType.NUMBER, "Off-nadir angle (°)", "off_nadir", 0, 90
        ),
        Queryable(
            "view:sun_elevation",
            QueryableType.NUMBER,
            "Sun elevation (°)",
            "sun_elevation",
            -90,
            90,
        ),
        Queryable("gsd", QueryableType.NUMBER, "Ground sample distance (m)", "gsd", 0),
        Queryable("platform", QueryableType.STRING, "Satellite", "platform"),
        Queryable("constellation", QueryableType.STRING, "Constellation", "constellation"),
        Queryable("instruments", QueryableType.ARRAY, "Instruments"),
        Queryable("view:sun_azimuth", QueryableType.NUMBER, "Sun azimuth (°)", None, 0, 360),
        Queryable("view:azimuth", QueryableType.NUMBER, "Viewing azimuth (°)", None, 0, 360),
    )
}

# Other spellings clients use for the same queryables (DataCosmos documents ``eo:cloudcover``).
ALIASES: Mapping[str, str] = {
    "eo:cloudcover": "eo:cloud_cover",
    "cloud_cover": "eo:cloud_cover",
    "cloudcover": "eo:cloud_cover",
    "off_nadir": "view:off_nadir",
    "sun_elevation": "view:sun_elevation",
}

# item property -> table column, for the queryables copied out at ingest
EXTRACTED = {
    "eo:cloud_cover": "cloud_cover",
    "view:off_nadir": "off_nadir",
    "view:sun_elevation": "sun_elevation",
    "gsd": "gsd",
    "platform": "platform",
    "constellation": "constellation",
}


def property_name(name: str) -> str:
    """The canonical name of a property as a client spells it (``properties.`` and aliases)."""
    bare = name.removeprefix("properties.")
    return ALIASES.get(bare, bare)


@dataclass(frozen=True)
class Collection:
    """A STAC collection: the archive of one sensor or product line.

    ``fields`` holds the rest of the STAC document (keywords, providers,
    summaries, extent, stac_extensions...), links excepted: the API makes those.
    ``owner`` is the provider organisation that writes it and its items (None:
    only the operator does, through the command line).
    """

    id: str
    title: str
    description: str
    license: str = "proprietary"
    fields: Mapping[str, Any] = field(default_factory=dict)
    owner: str | None = None


@dataclass(frozen=True)
class CatalogItem:
    """One archive scene as a STAC item (without links: the API makes those)."""

    id: str
    collection: str
    datetime: datetime
    geometry: dict[str, Any]
    bbox: BBox
    properties: dict[str, Any]
    assets: dict[str, Any] = field(default_factory=dict)
    stac_extensions: tuple[str, ...] = ()
    uuid: str | None = None
    """Its stable catalogue UUID, distinct from its source id ``id`` (None: derived from both)."""

    @property
    def catalog_uuid(self) -> str:
        """The catalogue UUID: the given one, else one derived from collection and id."""
        return self.uuid or scene_uuid(self.collection, self.id)

    def extracted(self) -> dict[str, Any]:
        """The queryables the store keeps in their own columns, by column name."""
        return {column: self.properties.get(name) for name, column in EXTRACTED.items()}


SCENE_NAMESPACE = uuidlib.UUID("5b0f3c38-8a51-4d1e-9a57-6f3e2f1c9d40")


def scene_uuid(collection: str, item_id: str) -> str:
    """The catalogue UUID a scene gets when none is given: stable for its collection and id."""
    return str(uuidlib.uuid5(SCENE_NAMESPACE, f"{collection}/{item_id}"))


def is_uuid(value: str) -> bool:
    """Whether ``value`` is written as a UUID (how catalogue UUIDs are given)."""
    try:
        return str(uuidlib.UUID(value)) == value.lower()
    except ValueError:
        return False


def format_datetime(value: datetime) -> str:
    """RFC 3339 in UTC with a ``Z`` (fractional seconds only when there are some)."""
    value = value.astimezone(UTC)
    text = value.strftime("%Y-%m-%dT%H:%M:%S")
    if value.microsecond:
        text += f".{value.microsecond:06d}".rstrip("0")
    return text + "Z"


def parse_rfc3339(value: Any, field_name: str) -> datetime:
    """Parse an RFC 3339 date-time with its time zone, strictly (as STAC requires).

    Raises:
        ValidationFailed: naming ``field_name``.
    """
    if not isinstance(value, str):
        raise ValidationFailed.on(field_name, "must be an RFC 3339 date-time string")
    match = _RFC3339.match(value.strip())
    if not match:
        raise ValidationFailed.on(
            field_name,
            f"{value!r} is not an RFC 3339 date-time such as 2025-11-09T17:35:32Z "
            "(a time and a time zone are required)",
        )
    year, month, day, hour, minute, second, fraction, zone = match.groups()
    micro = int((fraction[1:] + "000000")[:6]) if fraction else 0
    try:
        offset = 0 if zone in ("Z", "z") else int(zone[1:3]) * 60 + int(zone[4:6])
        if zone.startswith("-"):
            offset = -offset
        naive = datetime(
            int(year), int(month), int(day), int(hour), int(minute), int(second), micro
        )
        return (naive.replace(tzinfo=UTC) - timedelta(minutes=offset)).astimezone(UTC)
    except (ValueError, OverflowError):
        raise ValidationFailed.on(
            field_name, f"{value!r} is not a valid date and time (check the month, day and time)"
        ) from None


def _number(
    props: Mapping[str, Any], name: str, path: str, low: float | None, high: float | None
) -> None:
    value = props.get(name)
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValidationFailed.on(f"{path}.{name}", "must be a finite number")
    if (low is not None and value < low) or (high is not None and value > high):
        bounds = f"{low:g}..{high:g}" if high is not None else f">= {low:g}"
        raise ValidationFailed.on(f"{path}.{name}", f"{value} is outside {bounds}")


def _check_properties(props: Mapping[str, Any], path: str) -> None:
    for q in QUERYABLES.values():
        if q.type is QueryableType.NUMBER:
            _number(props, q.name, path, q.minimum, q.maximum)
        elif q.type is QueryableType.STRING and q.column and q.name in props:
            value = props[q.name]
            if value is not None and (not isinstance(value, str) or len(value) > 100):
                raise ValidationFailed.on(
                    f"{path}.{q.name}", "must be a string of at most 100 characters"
                )
    instruments = props.get("instruments")
    if instruments is not None and (
        not isinstance(instruments, list) or not all(isinstance(i, str) for i in instruments)
    ):
        raise ValidationFailed.on(f"{path}.instruments", "must be an array of strings")


def check_identifier(value: Any, field_name: str) -> str:
    """An item or collection id: 1-200 characters, letters, digits and ``._:-``."""
    if not isinstance(value, str) or not value.strip():
        raise ValidationFailed.on(field_name, "is required and must be a non-empty string")
    if len(value) > MAX_ID_LENGTH or not _ID.match(value):
        raise ValidationFailed.on(
            field_name,
            f"{value[:40]!r} is not a valid identifier: use at most {MAX_ID_LENGTH} letters, "
            "digits, '.', '_', ':' or '-', starting with a letter or digit",
        )
    return value


def _item_datetime(props: Mapping[str, Any], path: str) -> datetime:
    if props.get("datetime") is not None:
        return parse_rfc3339(props["datetime"], f"{path}.datetime")
    if props.get("start_datetime") is None or props.get("end_datetime") is None:
        raise ValidationFailed.on(
            f"{path}.datetime",
            "is required (or null with both start_datetime and end_datetime)",
        )
    start = parse_rfc3339(props["start_datetime"], f"{path}.start_datetime")
    end = parse_rfc3339(props["end_datetime"], f"{path}.end_datetime")
    if end < start:
        raise ValidationFailed.on(f"{path}.end_datetime", "is before start_datetime")
    return start


def _assets(value: Any, path: str) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ValidationFailed.on(path, "must be an object of assets keyed by name")
    for key, asset in value.items():
        if not isinstance(asset, dict) or not isinstance(asset.get("href"), str):
            raise ValidationFailed.on(f"{path}.{key}.href", "every asset needs an href string")
    return dict(value)


def validate_item(data: Any, collection: str | None, path: str = "") -> CatalogItem:
    """Check a STAC item for ingest and return it.

    Args:
        data: the decoded JSON Feature.
        collection: the collection the item is posted to (None: read it from the item).
        path: prefix of the field names in errors (``features[3]`` in a bulk request).

    Raises:
        ValidationFailed: naming the first broken field.
    """
    at = f"{path}." if path else ""
    if not isinstance(data, dict):
        raise ValidationFailed.on(path or "body", "must be a STAC item (a GeoJSON Feature)")
    if data.get("type") != "Feature":
        raise ValidationFailed.on(f"{at}type", f"must be 'Feature', got {data.get('type')!r}")
    version = data.get("stac_version", STAC_VERSION)
    if version not in ACCEPTED_STAC_VERSIONS:
        raise ValidationFailed.on(
            f"{at}stac_version", f"{version!r} is not supported; use 1.0.0 or 1.1.0"
        )
    item_id = check_identifier(data.get("id"), f"{at}id")
    named = data.get("collection")
    if collection is not None and named is not None and named != collection:
        raise ValidationFailed.on(
            f"{at}collection", f"is {named!r} but the item is posted to {collection!r}"
        )
    collection_id = check_identifier(collection or named, f"{at}collection")
    parse_aoi(data.get("geometry"), f"{at}geometry")
    props = data.get("properties")
    if not isinstance(props, dict):
        raise ValidationFailed.on(f"{at}properties", "must be an object")
    when = _item_datetime(props, f"{at}properties")
    _check_properties(props, f"{at}properties")
    extensions = data.get("stac_extensions") or []
    if not isinstance(extensions, list) or not all(isinstance(e, str) for e in extensions):
        raise ValidationFailed.on(f"{at}stac_extensions", "must be an array of schema URLs")
    geojson = {"type": data["geometry"]["type"], "coordinates": data["geometry"]["coordinates"]}
    properties = dict(props)
    if properties.get("datetime") is not None:
        properties["datetime"] = format_datetime(when)
    return CatalogItem(
        id=item_id,
        collection=collection_id,
        datetime=when,
        geometry=geojson,
        bbox=bbox_of(geojson),
        properties=properties,
        assets=_assets(data.get("assets"), f"{at}assets"),
        stac_extensions=tuple(dict.fromkeys(extensions)),
    )


def validate_items(data: Any, collection: str | None) -> list[CatalogItem]:
    """A single Feature or a FeatureCollection of items, all checked (errors listed together).

    Raises:
        ValidationFailed: listing each invalid item's first broken field.
    """
    if isinstance(data, dict) and data.get("type") == "FeatureCollection":
        features = data.get("features")
        if not isinstance(features, list) or not features:
            raise ValidationFailed.on("features", "must be a non-empty array of STAC items")
        items: list[CatalogItem] = []
        errors: list[FieldError] = []
        for i, feature in enumerate(features):
            try:
                items.append(validate_item(feature, collection, f"features[{i}]"))
            except ValidationFailed as exc:
                errors.extend(exc.errors)
        if errors:
            raise ValidationFailed.of(errors)
        seen: set[tuple[str, str]] = set()
        for i, item in enumerate(items):
            key = (item.collection, item.id)
            if key in seen:
                raise ValidationFailed.on(f"features[{i}].id", f"{item.id!r} appears twice")
            seen.add(key)
        return items
    return [validate_item(data, collection)]


def validate_collection(data: Any) -> Collection:
    """Check a STAC collection document for ingest and return it.

    Raises:
        ValidationFailed: naming the broken field.
    """
    if not isinstance(data, dict):
        raise ValidationFailed.on("body", "must be a STAC collection object")
    if data.get("type", "Collection") != "Collection":
        raise ValidationFailed.on("type", f"must be 'Collection', got {data.get('type')!r}")
    collection_id = check_identifier(data.get("id"), "id")
    description = data.get("description")
    if not isinstance(description, str) or not description.strip():
        raise ValidationFailed.on("description", "is required")
    license_ = data.get("license", "proprietary")
    if not isinstance(license_, str) or not license_:
        raise ValidationFailed.on("license", "must be an SPDX identifier or 'proprietary'")
    title = data.get("title", collection_id)
    if not isinstance(title, str):
        raise ValidationFailed.on("title", "must be a string")
    rest = {
        k: v
        for k, v in data.items()
        if k not in ("id", "title", "description", "license", "links", "type", "stac_version")
    }
    return Collection(collection_id, title[:200], description, license_, rest)


def list_price_properties(
    area_km2: float, product: Product, currency: str = PRICE_CURRENCY
) -> dict[str, Any]:
    """The price properties a scene carries, from its area and its product's price rule.

    ``skyorder:price_per_km2`` lists the rate of each processing level on offer;
    ``opencosmos:price`` (the DataCosmos key) is the whole scene at the first
    level, over the billable area (the product's minimum when the scene is
    smaller). Amounts are in the units contracts are charged in (credits by default).
    """
    props: dict[str, Any] = {
        "skyorder:product": product.sku,
        "skyorder:processing_levels": list(product.processing_levels),
        "skyorder:area_km2": round(area_km2, 3),
    }
    rule = product.pricing
    if rule is None or not product.processing_levels:
        return props
    level = product.processing_levels[0]
    billable = Decimal(str(max(area_km2, rule.min_billable_km2)))
    scene = int((billable * rule.price_per_km2.get(level, Decimal(0))).to_integral_value())
    props.update(
        {
            "skyorder:price_per_km2": {k: float(v) for k, v in rule.price_per_km2.items()},
            "skyorder:price_currency": currency,
            "opencosmos:price": scene,
            "opencosmos:price_currency": currency,
        }
    )
    return props


def archive_product(products: Mapping[str, Product], collection: str) -> Product | None:
    """The archive product that sells a collection's scenes per km² (the first by SKU), if any."""
    return collection_product({sku: products[sku] for sku in sorted(products)}, collection)
