"""Pansharpening with GDAL's pansharpened VRT (weighted Brovey).

GDAL up-samples the multispectral bands to the panchromatic grid (cubic) and
multiplies each by ``pan / Σ wᵢ·msᵢ``, the weights being each band's share of
the panchromatic band. Every band takes part in that pseudo-panchromatic sum;
only the delivered ones are output. The VRT is computed lazily, block by block,
when the product grid is warped from it.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from xml.sax.saxutils import escape

from skyorder.processing.environment import PipelineConfig
from skyorder.processing.sensors import SensorSpec


def pansharpened_vrt(
    pan_path: Path,
    ms_path: Path,
    sensor: SensorSpec,
    delivered: Sequence[int],
    out_path: Path,
    config: PipelineConfig,
) -> Path:
    """Write a VRT describing the pansharpened ``delivered`` bands (zero-based) and return it."""
    weights = ",".join(f"{b.pan_weight:.6g}" for b in sensor.bands)
    spectral = []
    for index in range(len(sensor.bands)):
        dst = f' dstBand="{delivered.index(index) + 1}"' if index in delivered else ""
        spectral.append(
            f"    <SpectralBand{dst}>\n"
            f'      <SourceFilename relativeToVRT="0">{escape(str(ms_path))}</SourceFilename>\n'
            f"      <SourceBand>{index + 1}</SourceBand>\n"
            "    </SpectralBand>\n"
        )
    xml = (
        '<VRTDataset subClass="VRTPansharpenedDataset">\n'
        "  <PansharpeningOptions>\n"
        "    <Algorithm>WeightedBrovey</Algorithm>\n"
        f"    <AlgorithmOptions><Weights>{weights}</Weights></AlgorithmOptions>\n"
        "    <Resampling>Cubic</Resampling>\n"
        f"    <NumThreads>{config.gdal_threads}</NumThreads>\n"
        f"    <BitDepth>{sensor.bit_depth}</BitDepth>\n"
        "    <NoData>0</NoData>\n"
        "    <PanchroBand>\n"
        f'      <SourceFilename relativeToVRT="0">{escape(str(pan_path))}</SourceFilename>\n'
        "      <SourceBand>1</SourceBand>\n"
        "    </PanchroBand>\n"
        f"{''.join(spectral)}"
        "  </PansharpeningOptions>\n"
        "</VRTDataset>\n"
    )
    out_path.write_text(xml, encoding="utf-8")
    return out_path
