"""PDF rendering shared by the apps' ``documents.py`` modules (dossier slips, survey forms).

Rendering never touches the network: fonts are the project's own (``static/fonts``, Liberation
Serif, metric-compatible with Times New Roman and complete for Vietnamese), QR codes are inline
data URIs, and the URL fetcher refuses anything but those fonts and ``data:`` URIs, whatever a
template refers to. Templates name the fonts by file name (``url("LiberationSerif-Regular.ttf")``):
the document's base URL is the fonts folder.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

import segno
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import ImproperlyConfigured
from django.template.loader import render_to_string
from django.utils import timezone, translation
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher

FONT_FILE = "fonts/LiberationSerif-Regular.ttf"


def fonts_dir() -> Path:
    """The folder of the shipped fonts, found through the static files finders."""
    found = finders.find(FONT_FILE)
    if not found:
        raise ImproperlyConfigured(f"The PDF font {FONT_FILE} is missing from the static files.")
    return Path(found).resolve().parent


class LocalFetcher(URLFetcher):
    """Fetches only the shipped fonts and ``data:`` URIs: a PDF never reaches the network or
    reads a file outside the fonts folder, whatever a template refers to."""

    def __init__(self, root: Path):
        super().__init__(allowed_protocols=("file", "data"), allow_redirects=False)
        self.root = root

    def fetch(self, url, headers=None):
        parts = urlsplit(url)
        if parts.scheme == "file":
            path = Path(unquote(parts.path)).resolve()
            if not path.is_relative_to(self.root):
                raise ValueError(f"Refused to read {url}: outside the PDF fonts folder.")
        return super().fetch(url, headers)


def render_pdf_template(template: str, context: dict, *, language: str = "vi") -> bytes:
    """Render a Django template to PDF bytes in ``language`` and the portal's time zone."""
    root = fonts_dir()
    with translation.override(language), timezone.override(settings.TIME_ZONE):
        html = render_to_string(template, context)
        document = HTML(string=html, base_url=root.as_uri() + "/", url_fetcher=LocalFetcher(root))
        return document.write_pdf(font_config=FontConfiguration())


def qr_data_uri(url: str) -> str:
    """A QR code of ``url`` as an SVG ``data:`` URI, to embed in a PDF or a page."""
    return segno.make(url, error="m").svg_data_uri(scale=4, border=4, dark="#000")
