from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from skyorder.settings import Settings


@pytest.mark.parametrize(
    "url",
    [
        "sqlite:////tmp/skyorder.db",
        "sqlite+pysqlite:///rel.db",
        "postgresql://postgres@127.0.0.1:5432/postgres",
        "postgresql+psycopg://u:p@db/skyorder",
    ],
)
def test_sqlite_and_postgresql_urls_are_accepted(url: str) -> None:
    assert Settings(database_url=url).database() == url


@pytest.mark.parametrize("url", ["mysql://u@h/d", "foo://bar", "not a url", "/tmp/x.db"])
def test_other_database_urls_are_refused_with_examples(url: str) -> None:
    with pytest.raises(ValidationError, match="must be a SQLite or PostgreSQL URL"):
        Settings(database_url=url)


def test_public_url_sets_the_base_url_without_trailing_slash() -> None:
    settings = Settings(public_url="https://sky.example.org/api/")
    assert settings.base_url() == "https://sky.example.org/api"
    assert Settings(port=8765).base_url() == "http://127.0.0.1:8765"


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("sky.example.org", "http:// or https://"),
        ("ftp://sky.example.org", "http:// or https://"),
        ("https://", "http:// or https://"),
        ("https://sky.example.org/?a=1", "query or a fragment"),
    ],
)
def test_bad_public_urls_are_refused(url: str, reason: str) -> None:
    with pytest.raises(ValidationError, match=reason):
        Settings(public_url=url)


def test_missing_products_and_constellation_files_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="no such file"):
        Settings(products_file=tmp_path / "products.json")
    with pytest.raises(ValidationError, match="no such file"):
        Settings(constellation_file=tmp_path)


def test_the_authentication_cache_cannot_outlive_a_second() -> None:
    with pytest.raises(ValidationError, match="less than or equal to 1"):
        Settings(auth_cache_seconds=10)


def test_the_simulated_sky_is_chosen_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert Settings().sim_weather == "climate"
    monkeypatch.setenv("SKYORDER_SIM_WEATHER", "clear")
    monkeypatch.setenv("SKYORDER_SIM_ANOMALY_RATE", "0")
    settings = Settings()
    assert (settings.sim_weather, settings.sim_anomaly_rate) == ("clear", 0.0)


def test_an_unknown_sky_is_refused_with_the_choices() -> None:
    with pytest.raises(ValidationError, match="'climate', 'clear' or 'overcast'"):
        Settings(sim_weather="sunny")
