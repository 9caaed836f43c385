"""What the build depends on (the store fingerprint) and what `import kg` loads."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from kg.settings import Settings
from kg.store.local import PACKAGE, build_code, fingerprint

LOADED = """
import sys
import kg.pipeline
for name, module in sorted(sys.modules.items()):
    if (name == "kg" or name.startswith("kg.")) and getattr(module, "__file__", None):
        print(module.__file__)
"""


def test_fingerprint_covers_every_module_the_build_imports() -> None:
    out = subprocess.run(
        [sys.executable, "-c", LOADED], check=True, capture_output=True, text=True
    ).stdout
    loaded = {Path(line).resolve() for line in out.split()}
    assert loaded <= set(build_code())
    assert not {p.relative_to(PACKAGE).parts[0] for p in build_code()} & {"cli", "read", "report"}


def test_fingerprint_changes_with_a_record(copy_settings: Settings) -> None:
    before = fingerprint(copy_settings)
    record = copy_settings.data_dir / "models" / "chat-7b.yaml"
    record.write_text(record.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert fingerprint(copy_settings) != before


def test_import_kg_loads_no_web_framework() -> None:
    probe = "import sys, kg; kg.build; print(sorted({'fastapi', 'uvicorn', 'matplotlib'} & set(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", probe], check=True, capture_output=True, text=True)
    assert out.stdout.strip() == "[]"
