"""Deploying to Scrapyd: ``scrapyd-deploy --build-egg`` builds an egg that Scrapyd can load and that
lists the spiders. Skipped only when scrapyd-client is not installed (it is in the dev extra)."""

from __future__ import annotations

import configparser
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from newscrawl.registry import all_sites
from tests.conftest import ROOT

PROJECT_FILES = ("scrapy.cfg", "setup.py", "pyproject.toml", "README.md")


@pytest.fixture(scope="module")
def egg(tmp_path_factory: pytest.TempPathFactory) -> Path:
    deploy = Path(sys.executable).with_name("scrapyd-deploy")
    if not deploy.exists():
        pytest.skip("scrapyd-client is not installed (pip install -e '.[deploy]')")
    tmp = tmp_path_factory.mktemp("scrapyd")
    # A copy of the project: building writes build/ and *.egg-info/ next to the sources.
    project = tmp / "project"
    project.mkdir()
    for name in PROJECT_FILES:
        shutil.copy(ROOT / name, project / name)
    shutil.copytree(ROOT / "newscrawl", project / "newscrawl", ignore=shutil.ignore_patterns("__pycache__"))
    target = tmp / "newscrawl.egg"
    result = subprocess.run(
        [str(deploy), f"--build-egg={target}"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert sorted(p.name for p in project.iterdir() if p.suffix == ".py") == ["setup.py"]  # none written
    return target


def test_the_egg_declares_the_settings_module(egg: Path) -> None:
    with zipfile.ZipFile(egg) as archive:
        names = set(archive.namelist())
        entry_points = archive.read("EGG-INFO/entry_points.txt").decode()
    parser = configparser.ConfigParser()
    parser.read_string(entry_points)
    assert parser["scrapy"]["settings"] == "newscrawl.settings"
    assert {"newscrawl/settings.py", "newscrawl/spiders/hnr.py", "newscrawl/spiders/generic.py"} <= names
    assert not any(n.startswith(("tests/", "demo/", "bench/")) for n in names)
    # No compiled module, even when Cython is importable where the egg is built: it runs the Python twins.
    assert not any(n.endswith((".so", ".pyd", ".c")) or n.startswith("newscrawl/extract/_c") for n in names)


def test_loading_the_egg_lists_the_spiders(egg: Path, tmp_path: Path) -> None:
    """What Scrapyd does: the egg first on sys.path, the settings module from its entry point."""
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]);"
        "import newscrawl; assert newscrawl.__file__.startswith(sys.argv[1]), newscrawl.__file__;"
        "from scrapy.settings import Settings; from scrapy.spiderloader import get_spider_loader;"
        "s = Settings(); s.setmodule('newscrawl.settings');"
        "print(' '.join(sorted(get_spider_loader(s).list())))"
    )
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    result = subprocess.run(
        [sys.executable, "-c", code, str(egg)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.split() == sorted(["generic", *all_sites()])
