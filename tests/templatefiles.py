"""Every template of this project (under templates/), by name, with its source."""

from tests.conftest import BASE_DIR

TEMPLATES = BASE_DIR / "templates"


def our_templates() -> dict[str, str]:
    """Our templates by name (their path under templates/), with their source."""
    return {
        path.relative_to(TEMPLATES).as_posix(): path.read_text()
        for path in sorted(TEMPLATES.rglob("*"))
        if path.is_file() and path.suffix in {".html", ".txt"}
    }
