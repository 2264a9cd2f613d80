"""Radiometric processing of digital numbers."""

from __future__ import annotations

import numpy as np

from skyorder.processing import Radiometry
from skyorder.processing.radiometry import Calibration, apply_radiometry

CALIBRATION = Calibration(scales=(1 / 5000,), offsets=(-100 / 5000,))


def dn_ramp() -> tuple[np.ndarray, np.ndarray]:
    dn = np.linspace(100, 4060, 1600).astype(np.uint16).reshape(1, 40, 40)
    valid = np.ones((40, 40), dtype=bool)
    valid[0, 0] = False
    return dn, valid


def test_basic16_keeps_the_digital_numbers_and_their_calibration() -> None:
    dn, valid = dn_ramp()
    rendered = apply_radiometry(dn, valid, CALIBRATION, Radiometry.BASIC16)
    assert np.array_equal(rendered.pixels[:, valid], dn[:, valid])
    assert (rendered.scales, rendered.offsets) == (CALIBRATION.scales, CALIBRATION.offsets)


def test_reflectance_is_calibrated_and_scaled_by_ten_thousand() -> None:
    dn, valid = dn_ramp()
    rendered = apply_radiometry(dn, valid, CALIBRATION, Radiometry.REFLECTANCE)
    assert rendered.pixels[0, 39, 39] == round((4060 - 100) / 5000 * 10_000)
    assert rendered.scales == (1e-4,)


def test_display_stretches_to_1_255_and_keeps_0_for_nodata() -> None:
    dn, valid = dn_ramp()
    pixels = apply_radiometry(dn, valid, CALIBRATION, Radiometry.DISPLAY).pixels
    assert pixels.dtype == np.uint8
    assert (pixels[0, 0, 0], pixels[:, valid].min(), pixels[:, valid].max()) == (0, 1, 255)


def test_display_takes_its_stretch_from_the_clear_pixels() -> None:
    dn, valid = dn_ramp()
    clear = np.zeros_like(valid)
    clear[:20] = True  # the darker half
    pixels = apply_radiometry(dn, valid, CALIBRATION, Radiometry.DISPLAY, clear).pixels
    assert pixels[0, 20:].min() == 255
