"""The raster pipeline: synthetic scenes and the deliverables cut from them.

No database, no HTTP: functions take explicit inputs (a scene, an AOI, typed
options, the production time) and write files into a given directory. The
services call :func:`synthesize_scene` (or :func:`open_scene`) and
:func:`make_products`, then store the returned files as deliverable assets.
Every raster operation is GDAL's (through rasterio), run in a scoped
``rasterio.Env``.
"""

from skyorder.processing.clipping import clip_to_cog
from skyorder.processing.environment import PipelineConfig
from skyorder.processing.errors import InvalidProcessingOption
from skyorder.processing.options import (
    ImageFormat,
    ProductOptions,
    ProductType,
    Radiometry,
    parse_crs_code,
)
from skyorder.processing.packaging import ProductFile
from skyorder.processing.products import ProductSet, make_products
from skyorder.processing.sensors import BUILTIN_SENSORS, Band, SensorSpec, builtin_sensor
from skyorder.processing.synthesis import Scene, SceneRequest, open_scene, synthesize_scene

__all__ = [
    "BUILTIN_SENSORS",
    "Band",
    "ImageFormat",
    "InvalidProcessingOption",
    "PipelineConfig",
    "ProductFile",
    "ProductOptions",
    "ProductSet",
    "ProductType",
    "Radiometry",
    "Scene",
    "SceneRequest",
    "SensorSpec",
    "builtin_sensor",
    "clip_to_cog",
    "make_products",
    "open_scene",
    "parse_crs_code",
    "synthesize_scene",
]
