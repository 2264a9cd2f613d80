"""STAPI, the SpatioTemporal Asset Tasking API, over the native tasking engine."""
