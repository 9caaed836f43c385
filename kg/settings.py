"""Every knob of open-llm-kg, with defaults that work in a checkout (env prefix ``LLMKG_``).

The folders default to ``data/``, ``ontology/``, ``build/`` and ``imports/`` under the working
directory when the settings are made, never under the installed package: a wheel installed
anywhere works on the checkout it is run in.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Paths and options; set any of them with an ``LLMKG_<NAME>`` environment variable."""

    model_config = SettingsConfigDict(env_prefix="LLMKG_", frozen=True)

    data_dir: Path = Field(default_factory=lambda: Path.cwd() / "data")
    ontology_dir: Path = Field(default_factory=lambda: Path.cwd() / "ontology")
    build_dir: Path = Field(default_factory=lambda: Path.cwd() / "build")
    imports_dir: Path = Field(default_factory=lambda: Path.cwd() / "imports")
    store: Path | None = None
    store_url: str | None = None
    update_url: str | None = None
    gsp_url: str | None = None
    store_user: str | None = None
    store_password: SecretStr | None = None
    store_auth: Literal["basic", "digest"] = "basic"
    host: str = "127.0.0.1"
    port: int = 8000
    query_timeout: float = Field(10.0, gt=0)
    query_workers: int = Field(4, ge=1)
    max_waiting: int = Field(64, ge=0)
    max_rows: int = Field(10_000, ge=1)
    max_query_chars: int = Field(50_000, ge=1)
    max_body_bytes: int = Field(262_144, ge=1)
    cors_origins: tuple[str, ...] = ("*",)
    """Origins whose browser scripts may read the answers; ``*`` any, ``[]`` none (CORS off)."""
