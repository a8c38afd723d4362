"""Server-side SVG for analysis results: the measure chart and a dashboard sparkline.

Plain string building, no scripts and no external references, so the same markup works inline in
pages, in the chart.svg endpoint and in WeasyPrint's PDF booklet. The style follows NHS "Making
Data Count" and qicharts2: a calm grey data line, special causes in blue (improvement) or orange
(concern) drawn as larger diamonds so they survive greyscale printing, dashed control limits and a
dotted target line.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

from app.analysis.periods import format_period, period_frequency, period_index
from app.analysis.types import AnalysisResult, Frequency, PointResult
from app.charts.scales import (
    Ticks,
    format_number,
    label_stride,
    nice_ticks,
    period_labels,
    text_width,
)

FONT_FAMILY = "'DejaVu Sans', 'Helvetica Neue', Arial, sans-serif"
INK = "#1f2933"
MUTED = "#52606d"
GRID = "#e4e7eb"
DATA_LINE = "#9aa5b1"
DATA_POINT = "#616e7c"
CENTRE = "#323f4b"
LIMIT = "#7b8794"
TARGET = "#187a45"
IMPROVEMENT = "#1c5aa6"  # dark blue: reads as dark grey in greyscale
CONCERN = "#e07b00"  # orange: reads as mid grey in greyscale
ANNOTATION = "#8e6c8a"

FONT_SIZE = 11.0
TITLE_SIZE = 15.0
ROW = 16.0  # line height of legend and annotation rows
MARKER_RADIUS = 7.0
MAX_ANNOTATION_TITLE = 60


@dataclass(frozen=True, slots=True)
class ChartLabels:
    """Words drawn on the chart, already translated by the caller (see GLOSSARY.md).

    `description` becomes the SVG's <desc>: a sentence a screen reader can use instead of the
    picture, e.g. "Serietidsdiagram, 24 mätvärden från v. 1 2024 till v. 24 2024. Signal: ...".
    """

    value: str  # "Mätvärde"
    median: str  # "Median"
    mean: str  # "Medelvärde"
    limits: str  # "Styrgränser"
    target: str  # "Mål"
    signal_improvement: str  # "Förbättring"
    signal_concern: str  # "Försämring"
    description: str
    trial_limits: str = ""  # "Preliminära styrgränser (färre än 12 mätvärden)"
    no_data: str = ""  # "Inga mätvärden än"


@dataclass(frozen=True, slots=True)
class Annotation:
    """A PDSA cycle (or other event) to mark on the time axis at `period`."""

    period: str
    label: str


def _attr(value: str) -> str:
    return escape(value, {'"': "&quot;"})


def _n(value: float) -> str:
    """A coordinate with one decimal, without a trailing ".0"."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _text(x: float, y: float, content: str, *, size: float = FONT_SIZE, fill: str = MUTED, **extra: str) -> str:
    attrs = "".join(f' {key.replace("_", "-")}="{_attr(value)}"' for key, value in extra.items())
    return f'<text x="{_n(x)}" y="{_n(y)}" font-size="{_n(size)}" fill="{fill}"{attrs}>{escape(content)}</text>'


def _significant(value: float, digits: int, locale: str) -> str:
    """`value` to about `digits` significant digits (never rounding away whole units), without
    trailing zeros: 1 033 333, 63,3, 8,06, 0,0015."""
    magnitude = math.floor(math.log10(abs(value))) if value else 0
    decimals = min(max(digits - 1 - magnitude, 0), 6)
    text = format_number(value, decimals, locale)
    separator = "," if locale[:2].lower() == "sv" else "."
    return text.rstrip("0").rstrip(separator) if separator in text else text


def _short(value: float, locale: str) -> str:
    """A value for line labels: three significant digits are plenty next to an axis."""
    return _significant(value, 3, locale)


def _point_colours(result: AnalysisResult) -> dict[int, str]:
    """Colour of each signal point; improvement wins where both apply (as for the MDC icon)."""
    colours: dict[int, str] = {}
    for signal in result.signals:
        if not signal.marks_points:
            continue
        for k in range(signal.start, signal.end + 1):
            if signal.favourable or colours.get(k) != IMPROVEMENT:
                colours[k] = IMPROVEMENT if signal.favourable else CONCERN
    return colours


@dataclass(frozen=True, slots=True)
class _Frame:
    """Maps periods and values to pixels inside the plot box."""

    left: float
    top: float
    right: float
    bottom: float
    first: int  # period index at the left edge
    span: int  # number of period slots
    ticks: Ticks

    @property
    def slot(self) -> float:
        return (self.right - self.left) / self.span

    def x(self, index: float) -> float:
        """Centre of the slot of the period with this period_index."""
        return self.left + (index - self.first + 0.5) * self.slot

    def y(self, value: float) -> float:
        low, high = self.ticks.low, self.ticks.high
        return self.bottom - (value - low) / (high - low) * (self.bottom - self.top)


def _flow(items: Sequence[float], width: float) -> list[list[int]]:
    """Greedy line breaking: item indices per row for items of the given widths."""
    rows: list[list[int]] = [[]]
    used = 0.0
    for index, item in enumerate(items):
        if rows[-1] and used + item > width:
            rows.append([])
            used = 0.0
        rows[-1].append(index)
        used += item
    return rows if rows[0] else []


def _spread(wanted: list[float], gap: float, low: float, high: float) -> list[float]:
    """Move label baselines apart so that none are closer than `gap`, keeping their order."""
    order = sorted(range(len(wanted)), key=lambda k: wanted[k])
    placed = [0.0] * len(wanted)
    previous = -math.inf
    for k in order:
        placed[k] = max(wanted[k], previous + gap)
        previous = placed[k]
    overflow = previous - high
    if overflow > 0:
        for k in order:
            placed[k] = max(low, placed[k] - overflow)
    return placed


def _value_range(result: AnalysisResult, target: float | None) -> tuple[float, float]:
    values: list[float] = []
    for p in result.points:
        values.extend(v for v in (p.value, p.cl, p.lcl, p.ucl) if v is not None)
    if target is not None:
        values.append(target)
    return min(values), max(values)


def _step_path(frame: _Frame, positions: Sequence[int], values: Sequence[float | None]) -> str:
    """A step line with one flat segment per period; it breaks where a value is missing or a
    missing period separates two different values (constant limits run straight across gaps)."""
    half = frame.slot / 2
    # One entry per straight run: [command, x start, y, x end]. A run of equal values is one
    # segment, which keeps the path short (WeasyPrint parses every command of it for the PDF).
    runs: list[list[str]] = []
    previous: tuple[int, float] | None = None
    for position, value in zip(positions, values, strict=True):
        if value is None:
            previous = None
            continue
        x, y = frame.x(position), frame.y(value)
        if previous is not None and previous[1] == value:
            runs[-1][3] = _n(x + half)
        else:
            connected = previous is not None and previous[0] == position - 1
            runs.append(["L" if connected else "M", _n(x - half), _n(y), _n(x + half)])
        previous = (position, value)
    return "".join(f"{command}{start} {y}H{end}" for command, start, y, end in runs)


def _line_segments(frame: _Frame, positions: Sequence[int], values: Sequence[float]) -> list[str]:
    """Polyline point lists of the data line; a missing period breaks the line."""
    segments: list[list[str]] = []
    previous = None
    for position, value in zip(positions, values, strict=True):
        if previous is None or position - previous > 1:
            segments.append([])
        segments[-1].append(f"{_n(frame.x(position))},{_n(frame.y(value))}")
        previous = position
    return [" ".join(s) for s in segments]


def _chart_id(title: str, result: AnalysisResult) -> str:
    first = result.points[0].period if result.points else ""
    last = result.points[-1].period if result.points else ""
    digest = hashlib.blake2s(f"{title}|{first}|{last}|{result.n}".encode(), digest_size=4).hexdigest()
    return f"chart-{digest}"


def _phase_spans(points: Sequence[PointResult]) -> list[tuple[int, int]]:
    """(first, last) point index of each phase."""
    spans: list[tuple[int, int]] = []
    for k, p in enumerate(points):
        if k and p.phase == points[k - 1].phase:
            spans[-1] = (spans[-1][0], k)
        else:
            spans.append((k, k))
    return spans


def render_chart(
    result: AnalysisResult,
    *,
    title: str,
    labels: ChartLabels,
    annotations: Sequence[Annotation] = (),
    target: float | None = None,
    unit: str = "",
    locale: str = "sv",
    width: int = 720,
    height: int = 300,
    id_prefix: str | None = None,
    tooltips: bool = True,
) -> str:
    """The measure's run or control chart as a standalone, scalable SVG document fragment.

    `target` is drawn on the page scale of the points (percent for proportions). Annotations
    outside the charted periods are left out. `height` excludes the rows listing annotation
    titles, which are added below so that titles never overlap. `id_prefix` keeps element ids
    unique when several charts share a page (a stable hash of the content by default).
    `tooltips=False` is for print: no hover text per point, and the ordinary points as one path
    of dots instead of a circle each, which WeasyPrint draws several times faster.
    """
    chart_id = id_prefix or _chart_id(title, result)
    points = result.points
    body: list[str] = []

    subtitle = labels.trial_limits if result.trial_limits and labels.trial_limits else ""
    top = 30.0 + (16.0 if subtitle else 0.0)
    header = [_text(12, 21, title, size=TITLE_SIZE, fill=INK, font_weight="bold")]
    if subtitle:
        header.append(_text(12, 38, subtitle, fill=MUTED, font_style="italic"))

    if not points:
        body.append(_text(width / 2, height / 2, labels.no_data, fill=MUTED, text_anchor="middle"))
        return _document(chart_id, width, height, title, labels.description, [*header, *body])

    frequency = period_frequency(points[0].period)
    positions = [period_index(p.period) for p in points]
    first = positions[0]
    span = positions[-1] - first + 1
    for a in annotations:
        if period_frequency(a.period) != frequency:
            raise ValueError(f"annotation period {a.period!r} does not match the chart's {frequency}ly periods")
    placed = sorted((index, a.label) for a in annotations if first <= (index := period_index(a.period)) < first + span)
    if placed:
        top += 2 * MARKER_RADIUS + 8

    low, high = _value_range(result, target)
    plot_height = max(height - top - 70.0, 60.0)
    ticks = nice_ticks(low, high, max(3, min(7, round(plot_height / 45))))
    tick_texts = [format_number(v, ticks.decimals, locale) for v in ticks.values]
    left = max(text_width(t, FONT_SIZE) for t in tick_texts) + (34.0 if unit else 18.0)

    centre_name = labels.median if result.chart == "run" else labels.mean
    right_labels = _right_labels(points[-1], target, labels.target, locale)
    right = width - max([text_width(t, FONT_SIZE) for _, t, _ in right_labels] + [16.0]) - 14.0

    # Legend and annotation key below the x axis.
    colours = _point_colours(result)
    legend = _legend_items(result, labels, centre_name, target, colours)
    legend_rows = _flow([w for w, _ in legend], width - 24.0)
    key_items = [(str(k), _clip(label)) for k, (_, label) in enumerate(placed, start=1)]
    key_rows = _flow([_key_width(item) for item in key_items], width - 24.0)
    week_years = frequency == "week"
    bottom = height - 28.0 - (12.0 if week_years else 0.0) - ROW * len(legend_rows)
    frame = _Frame(left, top, right, bottom, first, span, ticks)

    body.extend(_grid(frame, tick_texts, unit))
    body.extend(_x_axis(frame, frequency, locale, week_years))
    body.extend(_annotation_lines(frame, placed))
    body.extend(_phase_lines(frame, result, positions))
    if target is not None:
        y = frame.y(target)
        body.append(
            f'<line class="target" x1="{_n(frame.left)}" y1="{_n(y)}" x2="{_n(frame.right)}" y2="{_n(y)}" '
            f'stroke="{TARGET}" stroke-width="2" stroke-dasharray="1 3" stroke-linecap="round"/>'
        )
    body.extend(_data(frame, points, positions, colours, locale, tooltips=tooltips))
    spread = _spread([frame.y(v) + 4 for v, _, _ in right_labels], 13.0, frame.top, frame.bottom + 4)
    body.extend(
        _text(frame.right + 6, y, text, fill=colour) for (_, text, colour), y in zip(right_labels, spread, strict=True)
    )
    legend_top = height - ROW * len(legend_rows) + 2
    body.extend(_legend(legend, legend_rows, legend_top))
    body.extend(_annotation_key(key_items, key_rows, height + 4.0))
    total_height = height + ROW * len(key_rows) + (6.0 if key_rows else 0.0)
    return _document(chart_id, width, total_height, title, labels.description, [*header, *body])


def _right_labels(
    last: PointResult, target: float | None, target_name: str, locale: str
) -> list[tuple[float, str, str]]:
    """(value, text, colour) of the labels at the right end: centre line, limits and target."""
    labels = [(v, _short(v, locale), CENTRE) for v in (last.cl,) if v is not None]
    labels += [(v, _short(v, locale), LIMIT) for v in (last.ucl, last.lcl) if v is not None]
    if target is not None:
        labels.append((target, f"{target_name} {_short(target, locale)}", TARGET))
    return labels


def _clip(label: str) -> str:
    return label if len(label) <= MAX_ANNOTATION_TITLE else label[: MAX_ANNOTATION_TITLE - 1].rstrip() + "…"


def _document(chart_id: str, width: float, height: float, title: str, description: str, body: Iterable[str]) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'viewBox="0 0 {_n(width)} {_n(height)}" width="{_n(width)}" height="{_n(height)}" '
        f'font-family="{_attr(FONT_FAMILY)}" class="framsteg-chart">'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>'
        f'<rect width="100%" height="100%" fill="#ffffff"/>' + "".join(body) + "</svg>"
    )


def _grid(frame: _Frame, tick_texts: Sequence[str], unit: str) -> list[str]:
    out = []
    for value, text in zip(frame.ticks.values, tick_texts, strict=True):
        y = frame.y(value)
        out.append(
            f'<line x1="{_n(frame.left)}" y1="{_n(y)}" x2="{_n(frame.right)}" y2="{_n(y)}" '
            f'stroke="{GRID}" stroke-width="1"/>'
        )
        out.append(_text(frame.left - 6, y + 4, text, text_anchor="end"))
    if unit:
        # The unit reads along the y axis, clear of the title and the annotation markers.
        middle = (frame.top + frame.bottom) / 2
        out.append(_text(0, 0, unit, text_anchor="middle", transform=f"translate(16 {_n(middle)}) rotate(-90)"))
    out.append(
        f'<line x1="{_n(frame.left)}" y1="{_n(frame.bottom)}" x2="{_n(frame.right)}" y2="{_n(frame.bottom)}" '
        f'stroke="{LIMIT}" stroke-width="1"/>'
    )
    return out


def _x_axis(frame: _Frame, frequency: Frequency, locale: str, week_years: bool) -> list[str]:
    widest = text_width("mmm 0000" if frequency == "month" else "v. 00", FONT_SIZE) + 10
    stride = label_stride(frequency, frame.slot, widest)
    out = []
    for label in period_labels(frame.first, frame.first + frame.span - 1, frequency, stride, locale):
        x = frame.x(label.index)
        out.append(
            f'<line x1="{_n(x)}" y1="{_n(frame.bottom)}" x2="{_n(x)}" y2="{_n(frame.bottom + 4)}" stroke="{LIMIT}"/>'
        )
        out.append(_text(x, frame.bottom + 16, label.text, text_anchor="middle"))
        if week_years and label.year:
            out.append(_text(x, frame.bottom + 28, label.year, text_anchor="middle", fill=INK))
    return out


def _annotation_lines(frame: _Frame, placed: Sequence[tuple[int, str]]) -> list[str]:
    """Dashed lines with numbered markers above the plot; close markers step up a row."""
    out = []
    rows_end: list[float] = []  # right edge of the last marker in each row
    for number, (index, label) in enumerate(placed, start=1):
        x = frame.x(index) - frame.slot / 2  # the start of the period
        row = next((r for r, end in enumerate(rows_end) if x - MARKER_RADIUS > end + 1), len(rows_end))
        if row == len(rows_end):
            rows_end.append(-math.inf)
        rows_end[row] = x + MARKER_RADIUS
        cy = frame.top - MARKER_RADIUS - 4 - row * (2 * MARKER_RADIUS + 2)
        out.append(
            f'<g class="annotation"><title>{escape(label)}</title>'
            f'<line x1="{_n(x)}" y1="{_n(cy + MARKER_RADIUS)}" x2="{_n(x)}" y2="{_n(frame.bottom)}" '
            f'stroke="{ANNOTATION}" stroke-width="1" stroke-dasharray="3 3"/>'
            f'<circle cx="{_n(x)}" cy="{_n(cy)}" r="{_n(MARKER_RADIUS)}" fill="#ffffff" stroke="{ANNOTATION}"/>'
            + _text(x, cy + 3.5, str(number), size=9.5, fill=ANNOTATION, text_anchor="middle", font_weight="bold")
            + "</g>"
        )
    return out


def _phase_lines(frame: _Frame, result: AnalysisResult, positions: Sequence[int]) -> list[str]:
    """Centre line and limits per phase, so a new phase shows as a step."""
    out = []
    phase_signal = {s.start: (IMPROVEMENT if s.favourable else CONCERN) for s in result.signals if not s.marks_points}
    for start, end in _phase_spans(result.points):
        span_positions = positions[start : end + 1]
        phase_points = result.points[start : end + 1]
        for values in ([p.ucl for p in phase_points], [p.lcl for p in phase_points]):
            path = _step_path(frame, span_positions, values)
            if path:
                out.append(
                    f'<path class="limit" d="{path}" fill="none" stroke="{LIMIT}" stroke-width="1.2" '
                    f'stroke-dasharray="6 4"/>'
                )
        centre = _step_path(frame, span_positions, [p.cl for p in phase_points])
        if centre:
            # A phase-wide runs signal (too few crossings) colours its centre line, as qicharts2 does.
            colour = phase_signal.get(start, CENTRE)
            dash = ' stroke-dasharray="8 3"' if start in phase_signal else ""
            out.append(f'<path class="centre" d="{centre}" fill="none" stroke="{colour}" stroke-width="1.6"{dash}/>')
    return out


def _data(
    frame: _Frame,
    points: Sequence[PointResult],
    positions: Sequence[int],
    colours: dict[int, str],
    locale: str,
    *,
    tooltips: bool,
) -> list[str]:
    out = [
        f'<polyline class="data" points="{segment}" fill="none" stroke="{DATA_LINE}" stroke-width="1.6" '
        f'stroke-linejoin="round"/>'
        for segment in _line_segments(frame, positions, [p.value for p in points])
    ]
    radius = min(3.0, max(1.2, frame.slot * 0.3))
    dots: list[str] = []
    marks: list[str] = []
    for k, (p, position) in enumerate(zip(points, positions, strict=True)):
        x, y = frame.x(position), frame.y(p.value)
        tip = ""
        if tooltips:
            value = _significant(p.value, 6, locale)  # the tooltip shows the value as entered
            tip = f"<title>{escape(format_period(p.period, locale))}: {escape(value)}</title>"
        colour = colours.get(k)
        if colour is None and not tooltips:
            dots.append(f"M{_n(x)} {_n(y)}h0")
        elif colour is None:
            marks.append(
                f'<circle class="point" cx="{_n(x)}" cy="{_n(y)}" r="{_n(radius)}" fill="{DATA_POINT}">{tip}</circle>'
            )
        else:
            kind = "improvement" if colour == IMPROVEMENT else "concern"
            marks.append(
                f'<path class="point signal {kind}" d="{_diamond(x, y, radius * 1.9)}" fill="{colour}" '
                f'stroke="#ffffff" stroke-width="0.8">{tip}</path>'
            )
    if dots:
        # A zero-length segment with round caps is a dot of the stroke's width (SVG and PDF alike).
        out.append(
            f'<path class="points" d="{"".join(dots)}" fill="none" stroke="{DATA_POINT}" '
            f'stroke-width="{_n(2 * radius)}" stroke-linecap="round"/>'
        )
    return out + marks  # signal markers on top of the dots


def _diamond(x: float, y: float, r: float) -> str:
    return f"M{_n(x)} {_n(y - r)}L{_n(x + r)} {_n(y)}L{_n(x)} {_n(y + r)}L{_n(x - r)} {_n(y)}Z"


_Swatch = str  # SVG markup of a legend symbol drawn at the origin, 18 px wide


def _legend_items(
    result: AnalysisResult, labels: ChartLabels, centre_name: str, target: float | None, colours: dict[int, str]
) -> list[tuple[float, str]]:
    """(width, markup at the origin) of each legend entry that applies to this chart."""
    entries: list[tuple[_Swatch, str]] = [
        (
            f'<line x1="0" y1="-4" x2="18" y2="-4" stroke="{DATA_LINE}" stroke-width="1.6"/>'
            f'<circle cx="9" cy="-4" r="3" fill="{DATA_POINT}"/>',
            labels.value,
        ),
        (f'<line x1="0" y1="-4" x2="18" y2="-4" stroke="{CENTRE}" stroke-width="1.6"/>', centre_name),
    ]
    if any(p.ucl is not None or p.lcl is not None for p in result.points):
        entries.append(
            (
                f'<line x1="0" y1="-4" x2="18" y2="-4" stroke="{LIMIT}" stroke-width="1.2" stroke-dasharray="6 4"/>',
                labels.limits,
            )
        )
    if target is not None:
        entries.append(
            (
                f'<line x1="1" y1="-4" x2="18" y2="-4" stroke="{TARGET}" stroke-width="2" stroke-dasharray="1 3" '
                f'stroke-linecap="round"/>',
                labels.target,
            )
        )
    for colour, name in ((IMPROVEMENT, labels.signal_improvement), (CONCERN, labels.signal_concern)):
        if colour in colours.values():
            entries.append((f'<path d="{_diamond(9, -4, 5.5)}" fill="{colour}"/>', name))
    return [(24 + text_width(name, FONT_SIZE) + 18, f"{swatch}{_text(24, 0, name)}") for swatch, name in entries]


def _legend(items: Sequence[tuple[float, str]], rows: Sequence[Sequence[int]], top: float) -> list[str]:
    out = []
    for r, row in enumerate(rows):
        x = 12.0
        for index in row:
            item_width, markup = items[index]
            out.append(f'<g class="legend" transform="translate({_n(x)} {_n(top + r * ROW)})">{markup}</g>')
            x += item_width
    return out


def _key_width(item: tuple[str, str]) -> float:
    return text_width(item[1], FONT_SIZE) + 38.0  # marker, gap and spacing to the next entry


def _annotation_key(items: Sequence[tuple[str, str]], rows: Sequence[Sequence[int]], top: float) -> list[str]:
    """The numbered list of annotation titles under the chart."""
    out = []
    for r, row in enumerate(rows):
        x, y = 12.0, top + r * ROW
        for index in row:
            number, title = items[index]
            out.append(
                f'<g class="annotation-key"><circle cx="{_n(x + 6)}" cy="{_n(y - 4)}" r="6" fill="#ffffff" '
                f'stroke="{ANNOTATION}"/>'
                + _text(x + 6, y - 0.5, number, size=9, fill=ANNOTATION, text_anchor="middle", font_weight="bold")
                + _text(x + 16, y, title, fill=INK)
                + "</g>"
            )
            x += _key_width(items[index])
    return out


def render_sparkline(result: AnalysisResult, width: int = 120, height: int = 32, *, label: str | None = None) -> str:
    """A tiny chart for dashboards: data line, centre line per phase and coloured signal points.

    Without `label` it is hidden from screen readers (the dashboard states the figures in text);
    with one, it is an image with that accessible name.
    """
    a11y = f'role="img" aria-label="{_attr(label)}"' if label else 'aria-hidden="true"'
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" {a11y} viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" class="framsteg-sparkline">'
    )
    points = result.points
    if not points:
        return head + "</svg>"
    positions = [period_index(p.period) for p in points]
    values = [v for p in points for v in (p.value, p.cl) if v is not None]
    low, high = min(values), max(values)
    if high == low:
        low, high = low - 1, high + 1
    pad = 3.0
    frame = _Frame(
        pad, pad, width - pad, height - pad, positions[0], positions[-1] - positions[0] + 1, Ticks(low, high, 1.0, 0)
    )
    body = [
        f'<path d="{_step_path(frame, positions[a : b + 1], [p.cl for p in points[a : b + 1]])}" fill="none" '
        f'stroke="{LIMIT}" stroke-width="1"/>'
        for a, b in _phase_spans(points)
        if points[a].cl is not None
    ]
    body.extend(
        f'<polyline points="{segment}" fill="none" stroke="{DATA_POINT}" stroke-width="1.3" stroke-linejoin="round"/>'
        for segment in _line_segments(frame, positions, [p.value for p in points])
    )
    colours = _point_colours(result)
    for k, colour in sorted(colours.items()):
        body.append(
            f'<circle cx="{_n(frame.x(positions[k]))}" cy="{_n(frame.y(points[k].value))}" r="1.8" fill="{colour}"/>'
        )
    last = points[-1]
    body.append(
        f'<circle cx="{_n(frame.x(positions[-1]))}" cy="{_n(frame.y(last.value))}" r="2.4" '
        f'fill="{colours.get(len(points) - 1, INK)}"/>'
    )
    return head + "".join(body) + "</svg>"
