"""Part of a product: only the files asked for are written, each as in the whole product."""

from __future__ import annotations

from pathlib import Path

import pytest

from skyorder.processing import ProductOptions, Scene, make_products
from tests.unit.processing.conftest import PRODUCED


@pytest.fixture(scope="module")
def whole(pan_scene: Scene, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The sha256 of every file of the whole product, by asset key."""
    made = make_products(
        pan_scene,
        pan_scene.footprint,
        ProductOptions(),
        tmp_path_factory.mktemp("whole"),
        produced_at=PRODUCED,
        product_id="overview",
    )
    return {f.key: f.sha256 for f in made.files}


@pytest.mark.parametrize("key", ["analytic", "visual", "preview", "thumbnail", "metadata"])
def test_one_file_alone_is_the_same_file_as_in_the_whole_product(
    tmp_path: Path, pan_scene: Scene, whole: dict[str, str], key: str
) -> None:
    made = make_products(
        pan_scene,
        pan_scene.footprint,
        ProductOptions(),
        tmp_path,
        produced_at=PRODUCED,
        product_id="overview",
        only=frozenset({key}),
    )
    assert made.keys == (key,)
    assert made.file(key).sha256 == whole[key]
    assert [p.name for p in tmp_path.iterdir()] == [made.file(key).path.name]


def test_the_metadata_alone_still_names_the_analytic_file(tmp_path: Path, pan_scene: Scene) -> None:
    made = make_products(
        pan_scene,
        pan_scene.footprint,
        ProductOptions(),
        tmp_path,
        produced_at=PRODUCED,
        product_id="overview",
        only=frozenset({"metadata"}),
    )
    assert [image.name for image in made.metadata.images] == ["overview.tif"]
