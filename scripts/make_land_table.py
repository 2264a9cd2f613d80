"""Make the simulator's 1° land-fraction table from the ``global-land-mask`` package.

The cloud climatology (``skyorder.sim.climatology``) tells land from sea with a coarse
table: for each 1° x 1° cell, the share of its 30-arc-second GLOBE pixels that are land
(lakes count as land, as in the mask), as one byte 0..255. Rows run from 90°N down to
90°S, columns from 180°W eastwards; the 64,800 bytes are zlib-compressed into
``src/skyorder/data/land_fraction_1deg.zlib`` (about 9 KB), which the package ships.

The mask package (MIT licence; its data are NOAA's GLOBE elevation tiles) is needed only
to regenerate the table, never at run time:

    .venv/bin/pip install global-land-mask   # or: pip install -e '.[tools]'
    .venv/bin/python scripts/make_land_table.py

Re-running it gives the same bytes.
"""

from __future__ import annotations

import sys
import zlib
from pathlib import Path

import numpy as np

CELLS_LAT, CELLS_LON = 180, 360
OUT = Path(__file__).resolve().parent.parent / "src/skyorder/data/land_fraction_1deg.zlib"


def land_fraction() -> np.ndarray:
    """Per 1° cell, the fraction of land pixels, north row first, west column first."""
    from global_land_mask import globe  # noqa: PLC0415 (only this script needs it)

    ocean = globe._mask  # True on sea; shape (21600, 43200)
    lat, lon = globe._lat, globe._lon
    rows, cols = ocean.shape
    per_lat, per_lon = rows // CELLS_LAT, cols // CELLS_LON
    if lon[0] > lon[-1]:
        raise SystemExit("unexpected longitude order in the mask")
    out = np.empty((CELLS_LAT, CELLS_LON))
    for i in range(CELLS_LAT):
        block = ocean[i * per_lat : (i + 1) * per_lat]
        sea = block.reshape(per_lat, CELLS_LON, per_lon).sum(axis=(0, 2))
        out[i] = 1.0 - sea / (per_lat * per_lon)
    if lat[0] < lat[-1]:  # the mask runs south to north: put the north row first
        out = out[::-1]
    return out


def main() -> None:
    """Write the compressed table and print its size and land share."""
    fraction = land_fraction()
    table = np.rint(fraction * 255.0).astype(np.uint8)
    packed = zlib.compress(table.tobytes(), 9)
    OUT.write_bytes(packed)
    weights = np.cos(np.radians(89.5 - np.arange(CELLS_LAT)))[:, None]
    share = float((fraction * weights).sum() / (weights.sum() * CELLS_LON))
    print(f"{OUT}: {len(packed)} bytes, land share of the globe {share:.3f}", file=sys.stderr)


if __name__ == "__main__":
    main()
