"""The statistics' charts as inline SVG, drawn on the server by pygal.

Why pygal: it is pure Python (no browser, no native library, nothing to download at run time),
writes SVG directly, and is maintained (Kozea). matplotlib's SVG backend would add a large
native dependency and draws text as paths unless told otherwise; Vega-Lite through vl-convert
ships a JavaScript engine in a wheel. pygal's one catch is that a chart carries a script (a
tooltip loader from a CDN by default, plus an inline config) and an inline stylesheet, which the
portal's Content-Security-Policy would refuse anyway: the charts are rendered with ``js=[]``,
every ``<script>`` and ``<style>`` is removed from the SVG, and pygal's stylesheet is served
once by ``/charts/pygal.css`` (``stylesheet``), written for ``.pygal-chart`` instead of one
chart's id. Without script the charts lose only pygal's hover tooltips; the data table under
each chart gives every number.

Each SVG gets ``role="img"``, a ``<title>`` and a ``<desc>`` (the figure's summary), and
``aria-labelledby`` naming both; numbers on the axes are formatted by Babel in the reader's
locale. A rendered chart is kept in this process for the life of the figures it was drawn from.
"""

from __future__ import annotations

import hashlib
import re
import xml.etree.ElementTree as ET
from functools import lru_cache

import pygal
from flask_babel import format_decimal
from markupsafe import Markup
from pygal.style import Style

from portal.statistics.registry import ChartSpec

WIDTH, HEIGHT = 720, 400
COLORS = ("#1f6f8b", "#c0392b", "#2e8540", "#b9770e", "#6c3483", "#5d6d7e", "#117a65", "#a04000")
STYLE = Style(
    background="transparent", plot_background="transparent", foreground="#1d2733", foreground_strong="#1d2733",
    foreground_subtle="#c9d2dc", opacity=".9", opacity_hover="1", transition="none", colors=COLORS,
    font_family="system-ui, -apple-system, 'Segoe UI', 'Noto Sans', 'Noto Sans CJK SC', sans-serif",
    label_font_size=14, major_label_font_size=14, legend_font_size=15, value_font_size=14, title_font_size=16,
    tooltip_font_size=14, no_data_font_size=18,
)
_KINDS = {"line": pygal.Line, "bar": pygal.Bar, "horizontal_bar": pygal.HorizontalBar,
          "stacked_bar": pygal.StackedBar, "pie": pygal.Pie}
_CHART_ID = re.compile(r"#chart-[0-9a-f-]+\s*")
_rendered: dict[tuple, Markup] = {}
_MAX_RENDERED = 400


def _number(value: float | int | None) -> str:
    return "" if value is None else format_decimal(value)


def _chart(spec: ChartSpec, no_data: str) -> pygal.graph.graph.Graph:
    options = {
        "style": STYLE, "js": [], "width": WIDTH, "height": HEIGHT, "explicit_size": False,
        "disable_xml_declaration": True, "legend_at_bottom": True, "legend_at_bottom_columns": 2,
        "truncate_legend": 40, "truncate_label": 28, "formatter": _number, "value_formatter": _number,
        "no_data_text": no_data, "print_values": False, "margin": 10,
    }
    if spec.kind == "line":
        options.update(show_minor_x_labels=False, x_labels_major_every=max(1, len(spec.x_labels) // 6),
                       x_label_rotation=0, dots_size=2.5, include_x_axis=True)
    if spec.kind == "pie":
        options.update(inner_radius=.45, legend_at_bottom_columns=3)
    if spec.kind in ("bar", "stacked_bar"):
        options.update(x_label_rotation=0 if len(spec.x_labels) <= 6 else 30)
    chart = _KINDS[spec.kind](**options)
    if spec.kind != "pie":
        chart.x_labels = spec.x_labels
    for series in spec.series:
        chart.add(series.label, series.values)
    return chart


def render(spec: ChartSpec, chart_id: str, title: str, description: str, no_data: str,
           cache_key: tuple | None = None) -> Markup:
    """The chart as inline SVG with its text alternative; ``cache_key`` (the figures' time,
    the scope, the figure and the language) keeps it for the next page in this process."""
    if cache_key is not None and (cache_key, chart_id) in _rendered:
        return _rendered[(cache_key, chart_id)]
    root = _chart(spec, no_data).render_tree()
    for child in list(root):
        if child.tag is ET.Comment or child.tag == "title":
            root.remove(child)
    for defs in root.iter("defs"):
        for child in list(defs):
            if child.tag in ("script", "style"):
                defs.remove(child)
    # pygal's tooltips (a hidden group, and <desc> elements of the values) serve its script:
    # the chart's only <desc> is its own. Inline styles (CSP) and the legends' ids (repeated by
    # every chart of the page) go too.
    for parent, child in [(parent, child) for parent in root.iter() for child in parent
                          if child.tag == "desc" or "tooltip" in child.get("class", "").split()]:
        parent.remove(child)
    for element in root.iter():
        element.attrib.pop("style", None)
        element.attrib.pop("id", None)
    root.set("id", chart_id)
    root.set("class", "pygal-chart stat-chart")
    root.set("role", "img")
    root.set("aria-labelledby", f"{chart_id}-title {chart_id}-desc")
    title_element, desc_element = ET.Element("title", id=f"{chart_id}-title"), ET.Element("desc", id=f"{chart_id}-desc")
    title_element.text, desc_element.text = title, description
    root.insert(0, desc_element)
    root.insert(0, title_element)
    svg = Markup(ET.tostring(root, encoding="unicode"))
    if cache_key is not None:
        if len(_rendered) >= _MAX_RENDERED:
            _rendered.clear()
        _rendered[(cache_key, chart_id)] = svg
    return svg


def forget() -> None:
    """Drop this process's rendered charts (the benchmark measures them cold)."""
    _rendered.clear()


@lru_cache(maxsize=1)
def stylesheet() -> str:
    """pygal's stylesheet for every chart of the portal: its rules for one chart's id, written
    for the class all charts carry, with the colors of as many series as there are colors."""
    sample = pygal.Bar(style=STYLE, js=[], disable_xml_declaration=True)
    for index in range(len(COLORS)):
        sample.add(str(index), [1])
    root = sample.render_tree()
    css = "\n".join(style.text or "" for style in root.iter("style"))
    return _CHART_ID.sub(".pygal-chart ", css)


def stylesheet_version() -> str:
    return hashlib.sha256(stylesheet().encode()).hexdigest()[:12]
