"""Every knob of open-llm-kg, with defaults that work in a checkout (env prefix ``LLMKG_``).

The folders default to ``data/``, ``ontology/``, ``build/``, ``imports/`` and ``releases/`` under
the working directory when the settings are made, never under the installed package: a wheel
installed anywhere works on the checkout it is run in.
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
    releases_dir: Path = Field(default_factory=lambda: Path.cwd() / "releases")
    """Releases made by ``kg release``, one folder each, and their data changelog."""
    store: Path | None = None
    store_in_memory: bool = False
    """Copy the local store into memory once and fork the query workers from the copy: heavy
    queries several times faster, for a slower start and the store's size in RAM (docs/scale.md)."""
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
    """Workers of the general lane: queries that run at once."""
    fast_workers: int = Field(1, ge=0)
    """Workers of the fast lane, kept for queries that look small (``kg.sparql.cost``)."""
    fast_timeout: float = Field(1.0, gt=0)
    """Seconds a query may run in the fast lane before it is run again in the general lane."""
    worker_memory_mb: int = Field(1024, ge=64)
    """Memory one query worker may use (heap); a query that needs more is stopped (422)."""
    max_waiting: int = Field(64, ge=0)
    queue_timeout: float = Field(5.0, gt=0)
    """Seconds a request may wait for a worker before a 503 with Retry-After."""
    client_workers: int = Field(2, ge=1)
    """Workers one client address may hold at once; its other requests wait their turn."""
    client_waiting: int = Field(8, ge=0)
    """Requests one client address may have waiting; more are refused (429)."""
    penalty_workers: int = Field(1, ge=0)
    """Workers of the penalty lane, for clients whose queries were stopped at a limit (0: none,
    and no penalties)."""
    penalty_seconds: float = Field(60.0, ge=0)
    """Seconds such a client's queries keep to the penalty lane."""
    max_rows: int = Field(10_000, ge=1)
    max_answer_bytes: int = Field(16 << 20, ge=1024)
    """Bytes of one answer; past them it is cut, and says so (``X-SPARQL-Truncated``)."""
    max_query_chars: int = Field(50_000, ge=1)
    max_body_bytes: int = Field(262_144, ge=1)
    max_request_line_bytes: int = Field(163_840, ge=1024)
    """Bytes of the request target (path and query string); past them 414."""
    max_header_bytes: int = Field(32_768, ge=1024)
    """Bytes of all request header fields together; past them 431."""
    max_headers: int = Field(100, ge=1)
    """Request header fields; past them 431."""
    header_timeout: float = Field(10.0, gt=0)
    """Seconds a client may take to send its request line and headers; past them 408."""
    max_connections: int = Field(1_000, ge=1)
    """Open connections and requests at once; past them uvicorn answers 503."""
    cors_origins: tuple[str, ...] = ("*",)
    """Origins whose browser scripts may read the answers; ``*`` any, ``[]`` none (CORS off)."""
