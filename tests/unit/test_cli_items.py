"""Command-line options become the item of a quote or an order, or a one-line error."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest
import typer

from skyorder.cli.items import TaskingOptions, items, validated
from skyorder.core.orders import Priority
from skyorder.schemas.orders import OrderCreate

NO_TASKING = TaskingOptions(None, None, None, None, None, Priority.STANDARD)


def _aoi(tmp_path: Path) -> Path:
    path = tmp_path / "port.geojson"
    point = {"type": "Point", "coordinates": [-57.5, -37.9]}
    path.write_text(json.dumps({"type": "Feature", "geometry": point, "properties": {}}))
    return path


def test_a_product_makes_a_tasking_item_with_its_window_in_utc(tmp_path: Path) -> None:
    tasking = TaskingOptions(
        "TSKSTD-M.NN.NN", datetime(2026, 12, 8), datetime(2026, 12, 10), 10, 20, Priority.RUSH
    )
    [item] = items(None, "L1B", None, _aoi(tmp_path), tasking)
    assert item["window"] == {
        "start": "2026-12-08T00:00:00+00:00",
        "end": "2026-12-10T00:00:00+00:00",
    }
    assert (item["max_off_nadir"], item["max_cloud_cover"], item["priority"]) == (10, 20, "rush")
    assert item["aoi"]["type"] == "Point" and item["processing_levels"] == ["L1B"]
    order = validated(OrderCreate, {"name": "n", "items": [item]})
    assert order.items[0].kind == "tasking"


def test_a_tasking_item_without_its_window_is_refused_on_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tasking = TaskingOptions("TSKSTD-M.NN.NN", None, None, None, None, Priority.STANDARD)
    with pytest.raises(typer.Exit) as ended:
        items(None, "L1B", None, _aoi(tmp_path), tasking)
    assert ended.value.exit_code == 2
    assert "needs --aoi, --start and --end" in capsys.readouterr().err


def test_a_scene_and_a_product_together_are_refused(tmp_path: Path) -> None:
    both = TaskingOptions("TSKSTD-M.NN.NN", None, None, None, None, Priority.STANDARD)
    with pytest.raises(typer.Exit):
        items("SCENE-1", "L1B", None, None, both)
    with pytest.raises(typer.Exit):
        items(None, "L1B", None, None, NO_TASKING)


def test_an_aoi_file_that_is_not_json_names_the_option(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "aoi.geojson"
    bad.write_text("POINT (1 2)")
    with pytest.raises(typer.Exit):
        items("SCENE-1", "L1B", None, bad, NO_TASKING)
    assert "--aoi" in capsys.readouterr().err
