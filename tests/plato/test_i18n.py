"""The French catalogue is complete: every msgid translated, and no string of the code missing.

These tests run (never skip) while the catalogue is being written: until then they fail,
naming what is missing.
"""

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import translation

from tests.conftest import BASE_DIR
from tests.french import FRENCH
from tests.pages import assert_shows, page_text

PO_FILE = BASE_DIR / "locale" / "fr" / "LC_MESSAGES" / "django.po"
MO_FILE = PO_FILE.with_suffix(".mo")
# The project's own apps: every installed app under the project directory (a new app is
# scanned without being listed here).
PROJECT_APPS = [
    Path(config.path).resolve().relative_to(BASE_DIR).as_posix()
    for config in apps.get_app_configs()
    if Path(config.path).resolve().is_relative_to(BASE_DIR)
    and not Path(config.path).resolve().is_relative_to(BASE_DIR / ".venv")
]
# What `make messages` scans; the copy for makemessages holds just these.
SOURCES = ["manage.py", *PROJECT_APPS, "templates", "locale"]


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.msgctxt, self.msgid)


_ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}


def _unquote(text: str) -> str:
    text = text.strip()
    assert text.startswith('"') and text.endswith('"'), text
    return re.sub(r"\\(.)", lambda match: _ESCAPES.get(match.group(1), match.group(0)), text[1:-1])


def parse_po(path: Path) -> list[Entry]:
    """A tiny .po parser: enough for msgctxt, plurals, flags and multi-line strings."""
    entries: list[Entry] = []
    entry, target = Entry(), None

    def flush():
        nonlocal entry, target
        if entry.msgid or entry.msgstr or entry.msgid_plural:
            entries.append(entry)
        entry, target = Entry(), None

    for raw_line in path.read_text(encoding="utf-8").splitlines():
        line = raw_line.strip()
        if not line:
            flush()
            continue
        if line.startswith("#~"):  # obsolete entry
            continue
        if line.startswith("#,"):
            if entry.msgid or entry.msgstr:
                flush()
            entry.flags |= {flag.strip() for flag in line[2:].split(",")}
            continue
        if line.startswith("#"):
            continue
        keyword, _, rest = line.partition(" ")
        if line.startswith('"'):
            value = _unquote(line)
            if target == "msgid":
                entry.msgid += value
            elif target == "msgid_plural":
                entry.msgid_plural += value
            elif target == "msgctxt":
                entry.msgctxt += value
            elif isinstance(target, int):
                entry.msgstr[target] += value
            continue
        if keyword == "msgctxt":
            if entry.msgid or entry.msgstr:
                flush()
            entry.msgctxt, target = _unquote(rest), "msgctxt"
        elif keyword == "msgid":
            if entry.msgstr:
                flush()
            entry.msgid, target = _unquote(rest), "msgid"
        elif keyword == "msgid_plural":
            entry.msgid_plural, target = _unquote(rest), "msgid_plural"
        elif keyword == "msgstr":
            entry.msgstr[0], target = _unquote(rest), 0
        elif keyword.startswith("msgstr["):
            index = int(keyword[len("msgstr[") : -1])
            entry.msgstr[index], target = _unquote(rest), index
    flush()
    return [entry for entry in entries if entry.msgid]  # the header has an empty msgid


def _catalogue() -> list[Entry]:
    if not PO_FILE.exists():
        pytest.fail(f"There is no French catalogue yet: {PO_FILE.relative_to(BASE_DIR)} is missing.")
    return parse_po(PO_FILE)


def test_french_catalogue_translates_every_msgid():
    entries = _catalogue()

    untranslated = [entry.msgid for entry in entries if not all(entry.msgstr.values()) or not entry.msgstr]
    fuzzy = [entry.msgid for entry in entries if "fuzzy" in entry.flags]

    assert entries, "the French catalogue is empty"
    assert not untranslated, f"{len(untranslated)} msgids without French: {untranslated[:30]}"
    assert not fuzzy, f"{len(fuzzy)} fuzzy translations to check: {fuzzy[:30]}"


def test_french_catalogue_is_compiled_and_used():
    """With French active, every msgid of the .po file comes out as its msgstr (the .mo is current)."""
    entries = _catalogue()
    assert MO_FILE.exists(), f"{MO_FILE.relative_to(BASE_DIR)} is missing: run `make messages`"
    wrong = []

    with translation.override("fr"):
        for entry in entries:
            if "fuzzy" in entry.flags or not entry.msgstr.get(0):
                continue
            if entry.msgid_plural is not None:
                got = (
                    translation.npgettext(entry.msgctxt, entry.msgid, entry.msgid_plural, 1)
                    if entry.msgctxt
                    else translation.ngettext(entry.msgid, entry.msgid_plural, 1)
                )
            elif entry.msgctxt:
                got = translation.pgettext(entry.msgctxt, entry.msgid)
            else:
                got = translation.gettext(entry.msgid)
            if got != entry.msgstr[0]:
                wrong.append(f"{entry.msgid!r} → {got!r} (catalogue: {entry.msgstr[0]!r})")

    assert not wrong, f"{len(wrong)} msgids not translated as the .po says: {wrong[:20]}"


def test_french_catalogue_has_every_string_of_the_code(tmp_path):
    """makemessages on a copy of the project finds no msgid the catalogue lacks."""
    project = tmp_path / "project"
    project.mkdir()
    for name in SOURCES:
        source = BASE_DIR / name
        if source.is_dir():
            shutil.copytree(source, project / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        elif source.exists():
            shutil.copy2(source, project / name)
    (project / "locale" / "fr" / "LC_MESSAGES").mkdir(parents=True, exist_ok=True)
    env = os.environ | {"DJANGO_SETTINGS_MODULE": "plato.settings", "PLATO_ENV": "development"}
    env.pop("DATABASE_URL", None)

    result = subprocess.run(
        [sys.executable, "manage.py", "makemessages", "--locale", "fr", "--no-location", "--no-obsolete"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    extracted = {entry.key for entry in parse_po(project / "locale" / "fr" / "LC_MESSAGES" / "django.po")}
    catalogued = {entry.key for entry in _catalogue()}
    missing = sorted(msgid for _, msgid in extracted - catalogued)
    assert extracted, "makemessages extracted nothing: is the copy complete?"
    assert not missing, (
        f"{len(missing)} strings of the code are not in {PO_FILE.relative_to(BASE_DIR)} "
        f"(run `make messages`, then translate): {missing[:40]}"
    )


def test_po_parser_reads_plurals_context_flags_and_continuations(tmp_path):
    po = tmp_path / "django.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        '#, python-format\nmsgid "Hello, %(name)s"\nmsgstr "Bonjour %(name)s"\n\n'
        '#, fuzzy\nmsgid "Home"\nmsgstr "Maison"\n\n'
        'msgctxt "month"\nmsgid "May"\nmsgstr "mai"\n\n'
        'msgid "one member"\nmsgid_plural "%(count)s members"\nmsgstr[0] "un membre"\nmsgstr[1] ""\n\n'
        'msgid ""\n"A long "\n"text"\nmsgstr ""\n"Un long "\n"texte « ici »"\n',
        encoding="utf-8",
    )

    entries = {entry.msgid: entry for entry in parse_po(po)}

    assert set(entries) == {"Hello, %(name)s", "Home", "May", "one member", "A long text"}
    assert "fuzzy" in entries["Home"].flags
    assert "fuzzy" not in entries["Hello, %(name)s"].flags
    assert entries["May"].msgctxt == "month"
    assert entries["one member"].msgstr == {0: "un membre", 1: ""}
    assert entries["A long text"].msgstr[0] == "Un long texte « ici »"


# --- Which language a page is in ---------------------------------------------------------


def test_page_is_french_whatever_the_browser_language(member, login):
    response = login(member).get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")

    assert '<html lang="fr">' in page_text(response)
    assert_shows(response, "Accueil")


def test_language_switch_to_english_is_remembered(member, login, settings):
    client = login(member)

    switch = client.post(reverse("set_language"), {"language": "en", "next": reverse("home")})
    response = client.get(reverse("home"))

    assert switch.status_code == 302
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert '<html lang="en">' in page_text(response)
    assert_shows(response, "Home")


def test_french_catalogue_says_what_the_tests_expect():
    """tests/french.py and the catalogue agree, listed all at once to align them easily."""
    with translation.override("fr"):
        differing = {
            msgid: (translation.gettext(msgid), french)
            for msgid, french in FRENCH.items()
            if translation.gettext(msgid) != french
        }

    assert not differing, "msgid: (catalogue, tests/french.py)\n" + "\n".join(
        f"{msgid!r}: {pair}" for msgid, pair in differing.items()
    )
