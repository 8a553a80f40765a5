"""The pages held packed between planning and writing (pages.PackedPage)."""
from __future__ import annotations

from timeline.pages import HtmlPage


def test_a_packed_page_is_its_page():
    html = "<h1>Saraqib – سراقب</h1>\n<p>a lone \udcff surrogate, kept</p>" * 50
    page = HtmlPage("Saraqib", html, "A town")
    packed = page.packed()
    assert (packed.title, packed.description, packed.html, packed.headed) == ("Saraqib", "A town", html, True)
    assert packed.meta() == page.meta()
    assert len(packed.data) < len(html) / 5
    assert not HtmlPage("x", "<p>no heading</p>").packed().headed
