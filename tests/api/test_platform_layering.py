"""The API platform (core.api) stands under both apps: it imports neither,
watch's API imports no part of timeline's, and the modules the settings name
load without a circular import, whichever loads first."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def imported_modules(folder: str):
    for path in sorted((ROOT / folder).rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                yield path.relative_to(ROOT), node.module
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    yield path.relative_to(ROOT), alias.name


def test_core_imports_neither_app():
    leaks = [(str(path), module) for path, module in imported_modules("core")
             if module.split(".")[0] in ("timeline", "watch")]
    assert not leaks


def test_watch_api_uses_the_platform_not_timeline_api():
    leaks = [(str(path), module) for path, module in imported_modules("watch")
             if module == "timeline.api" or module.startswith("timeline.api.")]
    assert not leaks


@pytest.mark.parametrize("first", ["rest_framework.views", "core.api.errors", "core.api.schema"])
def test_the_settings_modules_load_in_any_order(first):
    # DRF reads DEFAULT_THROTTLE_CLASSES while rest_framework.views loads, and
    # the rest of REST_FRAMEWORK on first use: resolve them all after `first`.
    script = (
        "import django, importlib; django.setup(); "
        f"importlib.import_module({first!r}); "
        "from rest_framework.settings import api_settings; "
        "[getattr(api_settings, name) for name in ('DEFAULT_THROTTLE_CLASSES', 'EXCEPTION_HANDLER', "
        "'DEFAULT_SCHEMA_CLASS', 'DEFAULT_PERMISSION_CLASSES', 'DEFAULT_AUTHENTICATION_CLASSES')]; "
        "import config.urls"
    )
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
