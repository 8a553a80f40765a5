"""Bringing other tools' timelines in as event files."""
from .html2md import html_to_markdown, html_to_text
from .readers import Unreadable
from .timelinejs import ImportResult, import_timelinejs

__all__ = ["ImportResult", "Unreadable", "html_to_markdown", "html_to_text", "import_timelinejs"]
