"""Request and response bodies of the native API, shared by the server and the SDK.

Every module here imports only pydantic, the standard library and ``skyorder.core``, so
the models load without the server (no FastAPI, SQLAlchemy, services, store or orbital
engine; ``tests/unit/test_wire_models.py`` holds it). A model renders from core values;
what only the server can compute (a TLE's mean elements) is passed in by the caller.
"""
