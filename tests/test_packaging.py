"""What the build depends on (the store fingerprint) and what `import kg` loads."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from kg.settings import Settings
from kg.store.local import PACKAGE, build_code, fingerprint
from tests.conftest import FIXTURES, ROOT

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


WITHOUT_EXTRAS = """
import sys
for name in ("fastapi", "fastapi_offline", "jinja2", "uvicorn", "matplotlib", "scipy",
             "rustworkx", "graspologic_native"):
    sys.modules[name] = None  # import fails as if the package were not installed
from kg.cli import main
main()
"""


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    """A folder laid out as a checkout: the fixture records in data/, the ontology/."""
    shutil.copytree(FIXTURES / "data", tmp_path / "checkout" / "data")
    shutil.copytree(ROOT / "ontology", tmp_path / "checkout" / "ontology")
    return tmp_path / "checkout"


def _run(*command: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    """``command`` in ``cwd``, with no LLMKG_* folder settings: only the working directory."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("LLMKG_")}
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, check=False)


def _kg_without_extras(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return _run(sys.executable, "-c", WITHOUT_EXTRAS, *args, cwd=cwd)


def test_core_commands_need_no_extra(checkout: Path) -> None:
    for args in (["validate"], ["build"], ["query", "ASK {}"]):
        done = _kg_without_extras(*args, cwd=checkout)
        assert done.returncode == 0, (args, done.stderr)
    assert (checkout / "build" / "kg.nq").is_file()


def test_commands_name_the_extra_they_need(checkout: Path) -> None:
    report = _kg_without_extras("report", cwd=checkout)
    assert report.returncode == 1
    assert report.stderr == (
        "Error: this needs the 'report' extra (scipy is not installed): "
        "pip install 'open-llm-kg[report]'\n"
    )
    serve = _kg_without_extras("serve", cwd=checkout)
    assert serve.returncode == 1
    assert serve.stderr.endswith(
        "Error: this needs the 'web' extra (uvicorn is not installed): "
        "pip install 'open-llm-kg[web]'\n"
    )


def test_outside_a_checkout_kg_says_where_to_run(tmp_path: Path) -> None:
    done = _run(sys.executable, "-m", "kg", "validate", cwd=tmp_path)
    assert done.returncode == 1
    assert done.stderr == (
        f"Error: no ontology folder at {tmp_path / 'ontology'}: run kg in a checkout of "
        "open-llm-kg (the folder with data/ and ontology/) or give --ontology-dir\n"
    )


def test_a_wheel_installed_elsewhere_builds_the_working_directory(
    tmp_path: Path, checkout: Path
) -> None:
    """A non-editable install reads data/ and ontology/ of the folder it runs in, or of
    --data-dir and --ontology-dir, never the folder it was built from."""
    pip = [sys.executable, "-m", "pip", "-q"]
    wheels = tmp_path / "wheels"
    built = _run(*pip, "wheel", "--no-deps", "--no-build-isolation", "-w", wheels, ".", cwd=ROOT)
    assert built.returncode == 0, built.stderr
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", venv], check=True)
    python = venv / "bin" / "python"
    site = Path(
        _run(
            python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])", cwd=venv
        ).stdout.strip()
    )
    # the dependencies come from this environment (no network), open-llm-kg from the wheel
    (site / "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", "utf-8")
    installed = _run(
        *pip, "--python", python, "install", "--no-deps", *wheels.glob("*.whl"), cwd=venv
    )
    assert installed.returncode == 0, installed.stderr
    kg = venv / "bin" / "kg"

    where = _run(python, "-c", "import kg; print(kg.__file__)", cwd=venv)
    assert Path(where.stdout.strip()).is_relative_to(site)

    done = _run(kg, "build", cwd=checkout)
    assert done.returncode == 0, done.stderr
    assert (checkout / "build" / "kg.nq").is_file()

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    folders = ["--data-dir", checkout / "data", "--ontology-dir", checkout / "ontology"]
    validated = _run(kg, *folders, "validate", cwd=elsewhere)
    assert validated.returncode == 0, validated.stderr
    assert validated.stdout.startswith("ok: ")
