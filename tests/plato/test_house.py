"""The house's rules that a file layout can break (docs/architecture.md, "The house")."""

import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MAX_LINES = 600


def _python_files():
    tracked = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "*.py"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return [ROOT / name for name in tracked if "/migrations/" not in name and (ROOT / name).exists()]


def test_no_module_passes_six_hundred_lines():
    """A module past ~600 lines mixes subjects: it becomes a package split by subject."""
    files = _python_files()
    assert len(files) > 100, "the walk found the project's modules"
    long = {
        str(path.relative_to(ROOT)): count
        for path in files
        if (count := len(path.read_text().splitlines())) > MAX_LINES
    }
    assert long == {}


def test_test_files_are_named_after_what_they_test():
    """Never after how a bug was found (« review », « fixes »)."""
    names = [path.name for path in (ROOT / "tests").rglob("test_*.py")]
    assert [name for name in names if "review" in name or "fixes" in name] == []


APPS = ["plato", "members", "groups", "meetings", "plenaries", "billing", "documents", "demo"]


def test_tasks_are_leaves():
    """No module imports a tasks module: a service enqueues its app's tasks by name
    (plato.tasks), so that tasks may call services without an import cycle. Celery finds
    the tasks by autodiscovery, the outbox's handlers make their own."""
    import grimp

    graph = grimp.build_graph(*APPS)
    importers = {
        f"{importer} -> {module}"
        for module in graph.modules
        if module.endswith(".tasks") and module != "plato.tasks"  # the enqueue helpers, not tasks
        for importer in graph.find_modules_that_directly_import(module)
    }
    assert importers == set()


def test_every_task_enqueued_by_name_is_known_in_a_fresh_process():
    """Services enqueue their app's tasks by name; a web process that never imported the
    tasks modules must still know every such name (plato/apps.py), or the enqueue fails
    quietly and the work waits for a sweep. Checked in a new interpreter, as a web worker
    starts: this test process has imported everything already."""
    import json
    import os
    import re
    import sys

    enqueued = set()
    for path in _python_files():
        if "/tests/" in str(path) or str(path.relative_to(ROOT)).startswith(("tests/", "bench/")):
            continue
        enqueued |= set(re.findall(r"""enqueue\w*\(\s*["']([\w.]+)["']""", path.read_text()))
    assert {"billing.render_and_send_invoice", "groups.acknowledge_application"} <= enqueued
    script = (
        "import django, json; django.setup(); from celery import current_app; "
        "print(json.dumps(sorted(current_app.tasks)))"
    )
    known = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "plato.settings"},
    ).stdout
    assert enqueued - set(json.loads(known.strip().splitlines()[-1])) == set()


# Loaded where they are used (a PDF, a composition, a calendar, a schedule), not by every
# web process that starts: a gunicorn worker's memory is what its start imports.
HEAVY_LIBRARIES = ("weasyprint", "ortools", "icalendar", "holidays")


def test_a_web_process_starts_without_the_heavy_libraries():
    import json
    import os
    import sys

    script = (
        "import django, json, sys; django.setup(); import plato.wsgi; "
        "from django.urls import get_resolver; get_resolver().url_patterns; "
        f"print(json.dumps([m for m in {HEAVY_LIBRARIES!r} if m in sys.modules]))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "plato.settings"},
    ).stdout
    assert json.loads(loaded.strip().splitlines()[-1]) == []
