"""Arrays of a grading report as pictures and readable numbers, for the
templates: {{ value|readable }}, {{ value|heatmap }}, {{ value|drawable }} and
{% heatmaps expected got %}. The drawing is in `exercises.coding.report.figures`.
"""

from __future__ import annotations

from django import template

from exercises.coding.report.figures import drawable, heatmap, heatmaps, readable

register = template.Library()
register.filter("readable", readable)
register.filter("heatmap", heatmap)
register.filter("drawable", drawable)
register.simple_tag(heatmaps, name="heatmaps")
