"""SVG charts of analysis results (pure Python, no external libraries)."""

from app.charts.svg import Annotation, ChartLabels, render_chart, render_sparkline

__all__ = ["Annotation", "ChartLabels", "render_chart", "render_sparkline"]
