"""Every knob of open-llm-kg, with defaults that work from a fresh clone (env prefix ``LLMKG_``)."""

from __future__ import annotations

from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict

ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    """Paths and options; set any of them with an ``LLMKG_<NAME>`` environment variable."""

    model_config = SettingsConfigDict(env_prefix="LLMKG_", frozen=True)

    data_dir: Path = ROOT / "data"
    ontology_dir: Path = ROOT / "ontology"
    build_dir: Path = ROOT / "build"
    store: Path | None = None
    host: str = "127.0.0.1"
    port: int = 8000
