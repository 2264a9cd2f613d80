"""Products cut from a scene: files, grids, bands and radiometry as ordered."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest
import rasterio
import shapely
from pyproj import Transformer
from rasterio.enums import ColorInterp
from rasterio.errors import NotGeoreferencedWarning
from rio_cogeo.cogeo import cog_validate
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from skyorder.processing import (
    InvalidProcessingOption,
    ProductOptions,
    Scene,
    make_products,
)
from tests.unit.processing.conftest import AOI, FOOTPRINT, PRODUCED, Produce, polygon

DELIVERABLE_KEYS = ("visual", "preview", "thumbnail", "metadata", "stac", "delivery")


def profile(path: Path) -> dict[str, object]:
    with rasterio.Env(), rasterio.open(path) as src:
        return {
            "driver": src.driver,
            "epsg": src.crs.to_epsg(),
            "count": src.count,
            "dtypes": set(src.dtypes),
            "bounds": tuple(src.bounds),
            "res": src.res,
        }


def test_a_product_lists_every_deliverable_asset(produce: Produce) -> None:
    assert produce().keys == ("analytic", *DELIVERABLE_KEYS)


def test_a_bundle_delivers_pan_and_ms_as_separate_files(produce: Produce) -> None:
    assert produce(product_type="bundle").keys == ("analytic_pan", "analytic_ms", *DELIVERABLE_KEYS)


def test_every_listed_file_exists_with_its_size(produce: Produce) -> None:
    for product_file in produce().files:
        assert product_file.path.stat().st_size == product_file.size


@pytest.mark.parametrize("key", ["analytic", "visual"])
def test_geotiff_rasters_are_valid_cogs(produce: Produce, key: str) -> None:
    valid, errors, _ = cog_validate(str(produce().file(key).path), quiet=True)
    assert valid, errors


def test_the_default_crs_is_the_aois_utm_zone(produce: Produce) -> None:
    assert profile(produce().file("analytic").path)["epsg"] == 32631


@pytest.mark.parametrize(
    ("code", "epsg"),
    [
        ("EPSG:4326", 4326),
        ("urn:ogc:def:crs:EPSG::32630", 32630),
        ("urn:ogc:def:crs:EPSG::32731", 32731),
    ],
)
def test_the_product_is_in_the_ordered_crs(produce: Produce, code: str, epsg: int) -> None:
    product = produce(crs_code=code)
    assert profile(product.file("analytic").path)["epsg"] == epsg
    assert product.metadata.epsg == epsg


def projected(geojson: dict[str, Any], epsg: int) -> BaseGeometry:
    """A densified WGS 84 polygon moved to another CRS with pyproj."""
    to_crs = Transformer.from_crs(4326, epsg, always_xy=True)
    dense = shapely.segmentize(shape(geojson), 1e-4)
    return shapely.transform(dense, lambda x, y: to_crs.transform(x, y), interleaved=False)


def projected_bounds(geojson: dict[str, Any], epsg: int) -> tuple[float, ...]:
    """Bounds of a densified WGS 84 polygon in another CRS, computed with pyproj."""
    return tuple(projected(geojson, epsg).bounds)


@pytest.mark.parametrize("code", [None, "EPSG:4326", "EPSG:32630"])
def test_the_extent_is_the_aois_bounds_grown_by_less_than_a_pixel(
    produce: Produce, code: str | None
) -> None:
    path = produce(**({"crs_code": code} if code else {})).file("analytic").path
    with rasterio.Env(), rasterio.open(path) as src:
        west, south, east, north = src.bounds
        xres, yres = src.res
        aoi_west, aoi_south, aoi_east, aoi_north = projected_bounds(AOI, src.crs.to_epsg())
    slack = 1e-3 * min(xres, yres)  # densification and float noise
    assert aoi_west - xres - slack <= west <= aoi_west + slack
    assert aoi_south - yres - slack <= south <= aoi_south + slack
    assert aoi_east - slack <= east <= aoi_east + xres + slack
    assert aoi_north - slack <= north <= aoi_north + yres + slack


def test_an_aoi_overhanging_the_scene_is_cut_to_the_footprint(
    tmp_path: Path, pan_scene: Scene
) -> None:
    overhanging = polygon(1.42, 43.59, 1.45, 43.62)
    options = ProductOptions.parse(crs_code="EPSG:4326")
    product = make_products(pan_scene, overhanging, options, tmp_path, produced_at=PRODUCED)
    with rasterio.Env(), rasterio.open(product.file("analytic").path) as src:
        _, _, east, north = src.bounds
        xres, yres = src.res
    _, _, scene_east, scene_north = shape(FOOTPRINT).bounds
    assert east <= scene_east + xres
    assert north <= scene_north + yres


@pytest.mark.parametrize(
    ("product_type", "key", "count", "res"),
    [
        ("panchromatic", "analytic", 1, 2.5),
        ("multispectral", "analytic", 4, 10.0),
        ("pansharpened", "analytic", 4, 2.5),
        ("bundle", "analytic_pan", 1, 2.5),
        ("bundle", "analytic_ms", 4, 10.0),
    ],
)
def test_bands_and_resolution_follow_the_product_type(
    produce: Produce, product_type: str, key: str, count: int, res: float
) -> None:
    found = profile(produce(product_type=product_type).file(key).path)
    assert (found["count"], found["res"]) == (count, (res, res))


@pytest.mark.parametrize(
    ("radiometry", "dtype"),
    [("BASIC16", "uint16"), ("REFLECTANCE", "uint16"), ("DISPLAY", "uint8")],
)
def test_the_data_type_follows_the_radiometric_processing(
    produce: Produce, radiometry: str, dtype: str
) -> None:
    path = produce(radiometric_processing=radiometry).file("analytic").path
    assert profile(path)["dtypes"] == {dtype}


def test_reflectance_is_scaled_by_ten_thousand(produce: Produce) -> None:
    path = produce(radiometric_processing="REFLECTANCE").file("analytic").path
    with rasterio.Env(), rasterio.open(path) as src:
        pixels = src.read(masked=True)
        assert src.scales == (1e-4,) * 4
    assert 200 < float(pixels.mean()) < 6000  # reflectance 0.02-0.6


def test_display_pixels_fill_the_8_bit_range(produce: Produce) -> None:
    path = produce(radiometric_processing="DISPLAY").file("analytic").path
    with rasterio.Env(), rasterio.open(path) as src:
        pixels = src.read(masked=True)
    assert pixels.min() == 1
    assert pixels.max() == 255


def test_pixels_outside_the_aoi_are_nodata(produce: Produce) -> None:
    path = produce(crs_code="EPSG:4326").file("analytic").path
    with rasterio.Env(), rasterio.open(path) as src:
        mask = src.dataset_mask()
        corner = src.xy(0, 0)
    assert mask[0, 0] == 0
    assert not shape(AOI).contains(shape({"type": "Point", "coordinates": corner}))
    assert mask.mean() > 0.5 * 255


def test_jpeg2000_is_written_when_ordered(produce: Produce) -> None:
    product = produce(image_format="image/jp2", product_type="bundle")
    for key in ("analytic_pan", "analytic_ms"):
        assert product.file(key).media_type == "image/jp2"
        assert product.file(key).name.endswith(".jp2")
        assert profile(product.file(key).path)["driver"] == "JP2OpenJPEG"


def test_jpeg2000_is_georeferenced_in_the_ordered_crs(produce: Produce) -> None:
    product = produce(image_format="image/jp2", crs_code="EPSG:4326")
    assert profile(product.file("analytic").path)["epsg"] == 4326


def test_the_visual_is_an_8_bit_rgb_cog(produce: Produce) -> None:
    found = profile(produce(radiometric_processing="BASIC16").file("visual").path)
    assert (found["count"], found["dtypes"]) == (3, {"uint8"})


def test_the_visual_is_photometric_rgb(produce: Produce) -> None:
    with rasterio.Env(), rasterio.open(produce().file("visual").path) as src:
        assert src.colorinterp == (ColorInterp.red, ColorInterp.green, ColorInterp.blue)


def test_no_band_of_a_4_band_8_bit_analytic_is_taken_for_alpha(produce: Produce) -> None:
    path = produce(radiometric_processing="DISPLAY").file("analytic").path
    with rasterio.Env(), rasterio.open(path) as src:
        assert ColorInterp.alpha not in src.colorinterp


def test_a_panchromatic_visual_is_grey(produce: Produce) -> None:
    assert profile(produce(product_type="panchromatic").file("visual").path)["count"] == 1


@pytest.mark.parametrize(("key", "size"), [("preview", 1024), ("thumbnail", 256)])
def test_previews_are_plain_rgba_pngs_scaled_down_to_their_size(
    produce: Produce, key: str, size: int
) -> None:
    with rasterio.Env(), rasterio.open(produce().file("visual").path) as visual:
        longest = max(visual.width, visual.height)
    with (
        pytest.warns(NotGeoreferencedWarning),
        rasterio.Env(),
        rasterio.open(produce().file(key).path) as src,
    ):
        assert (src.driver, src.count) == ("PNG", 4)
        assert max(src.width, src.height) == min(size, longest)


def test_the_metadata_describes_the_delivery(produce: Produce, pan_scene: Scene) -> None:
    meta = produce(product_type="pansharpened", radiometric_processing="REFLECTANCE").metadata
    assert (meta.scene_id, meta.product_type, meta.radiometric_processing) == (
        pan_scene.scene_id,
        "pansharpened",
        "REFLECTANCE",
    )
    assert (meta.gsd, meta.crs, meta.bands) == (2.5, "EPSG:32631", ("blue", "green", "red", "nir"))
    assert meta.area_km2 == pytest.approx(projected(AOI, 32631).area / 1e6, rel=2e-3)
    assert 0.0 <= meta.cloud_cover <= 1.0


def test_a_product_type_needing_pan_is_refused_for_an_ms_only_sensor(
    tmp_path: Path, ms_scene: Scene
) -> None:
    options = ProductOptions.parse(product_type="pansharpened")
    with pytest.raises(InvalidProcessingOption) as exc:
        make_products(ms_scene, AOI, options, tmp_path, produced_at=PRODUCED)
    assert exc.value.option == "product_type"


def test_an_ms_only_sensor_defaults_to_multispectral(tmp_path: Path, ms_scene: Scene) -> None:
    product = make_products(ms_scene, AOI, ProductOptions(), tmp_path, produced_at=PRODUCED)
    assert product.metadata.product_type == "multispectral"


def test_an_aoi_away_from_the_scene_is_refused_naming_aoi(tmp_path: Path, pan_scene: Scene) -> None:
    elsewhere = polygon(2.0, 44.0, 2.01, 44.01)
    with pytest.raises(InvalidProcessingOption, match="does not intersect") as exc:
        make_products(pan_scene, elsewhere, ProductOptions(), tmp_path, produced_at=PRODUCED)
    assert exc.value.option == "aoi"


def test_a_refused_product_writes_nothing(tmp_path: Path, pan_scene: Scene) -> None:
    elsewhere = polygon(2.0, 44.0, 2.01, 44.01)
    with pytest.raises(ValueError):
        make_products(pan_scene, elsewhere, ProductOptions(), tmp_path, produced_at=PRODUCED)
    assert list(tmp_path.iterdir()) == []


def test_an_invalid_aoi_geometry_is_refused_naming_aoi(tmp_path: Path, pan_scene: Scene) -> None:
    bowtie = {
        "type": "Polygon",
        "coordinates": [
            [[1.41, 43.58], [1.42, 43.59], [1.42, 43.58], [1.41, 43.59], [1.41, 43.58]]
        ],
    }
    with pytest.raises(InvalidProcessingOption) as exc:
        make_products(pan_scene, bowtie, ProductOptions(), tmp_path, produced_at=PRODUCED)
    assert exc.value.option.startswith("aoi")


def test_the_same_request_gives_the_same_files(tmp_path: Path, pan_scene: Scene) -> None:
    options = ProductOptions.parse(product_type="multispectral", radiometric_processing="BASIC16")
    first = make_products(pan_scene, AOI, options, tmp_path / "a", produced_at=PRODUCED)
    second = make_products(pan_scene, AOI, options, tmp_path / "b", produced_at=PRODUCED)
    assert [f.sha256 for f in first.files] == [f.sha256 for f in second.files]


def test_files_convert_to_deliverable_assets(produce: Produce) -> None:
    asset = produce().file("preview").as_asset("deliverables/x/preview.png")
    assert (asset.key, asset.media_type, asset.roles) == ("preview", "image/png", ("overview",))
    assert asset.sha256 == produce().file("preview").sha256
    assert math.isfinite(float(asset.size or 0))
