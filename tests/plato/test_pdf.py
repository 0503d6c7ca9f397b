"""plato.pdf, the one renderer of every PDF: local files only, nothing over the network,
a resource it cannot read stops the rendering; and no other module lays out a PDF."""

import ast
import datetime
import http.server
import threading
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from plato import pdf


def page(body: str, *, head: str = "") -> str:
    return f"<!doctype html><html><head>{head}</head><body><p>Texte</p>{body}</body></html>"


def test_a_plain_document_is_laid_out():
    assert pdf.layout(page("")).write_pdf().startswith(b"%PDF-")


def test_the_print_stylesheet_and_the_logo_are_linked_from_the_project(settings):
    html = pdf.render_html("plato/pdf_base.html", {"with_page_total": True})

    print_css = pdf.static_uri(pdf.PRINT_STYLESHEET)
    assert f'href="{print_css}"' in html
    assert print_css.startswith("file://") and print_css.endswith("/static/plato/css/print.css")
    assert Path(settings.BASE_DIR).resolve().as_uri() in print_css
    assert "http://" not in html and "https://" not in html
    assert 'lang="fr"' in html  # French, whatever the language of the request


def test_a_stylesheet_missing_from_the_disk_stops_the_rendering():
    missing = (Path(settings.BASE_DIR) / "static" / "plato" / "css" / "gone.css").as_uri()

    with pytest.raises(pdf.PdfResourceError):
        pdf.layout(page("", head=f'<link rel="stylesheet" href="{missing}">'))


def test_a_stylesheet_missing_from_the_static_files_is_a_configuration_error():
    with pytest.raises(ImproperlyConfigured, match=r"gone\.css"):
        pdf.static_uri("plato/css/gone.css")


def test_a_file_outside_the_project_is_not_read(tmp_path):
    outside = tmp_path / "secret.css"
    outside.write_text("p { color: red }")

    with pytest.raises(pdf.PdfResourceError):
        pdf.layout(page("", head=f'<link rel="stylesheet" href="{outside.as_uri()}">'))


def test_nothing_is_fetched_over_the_network():
    requests = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            requests.append(self.path)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_port}/logo.png"
        with pytest.raises(pdf.PdfResourceError):
            pdf.layout(page(f'<img src="{url}" alt="">'))
    finally:
        server.shutdown()
        server.server_close()
    assert requests == []


def test_data_uris_are_allowed():
    pixel = "data:image/gif;base64,R0lGODlhAQABAAAAACw="
    assert pdf.layout(page(f'<img src="{pixel}" alt="">')).write_pdf().startswith(b"%PDF-")


@pytest.mark.parametrize(
    ("day", "written"),
    [
        (datetime.date(2025, 9, 2), "2\u00a0septembre\u00a02025"),
        (datetime.date(2025, 9, 1), "1er\u00a0septembre\u00a02025"),
    ],
)
def test_long_date_is_written_as_in_a_french_letter(day, written):
    assert pdf.long_date(day) == written


def test_join_keeps_every_page_in_order():
    first = pdf.layout(page('<div style="break-after: page">un</div><div>deux</div>'))
    second = pdf.layout(page("trois"))

    assert len(pdf.join([first, second]).pages) == len(first.pages) + len(second.pages) == 3


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_only_plato_pdf_lays_out_pdfs():
    """One renderer, one set of safety settings: no app builds its own WeasyPrint call."""
    from django.apps import apps

    root = Path(settings.BASE_DIR).resolve()
    ours = [Path(config.path) for config in apps.get_app_configs() if Path(config.path).is_relative_to(root)]
    offenders = [
        str(path.relative_to(root))
        for folder in ours
        for path in folder.rglob("*.py")
        if "weasyprint" in _imports(path) and path != root / "plato" / "pdf.py"
    ]
    assert ours and offenders == []
