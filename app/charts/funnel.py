"""SVG funnel plot: organisations' values against their denominators, within limits around the mean.

Drawn in the style of `app.charts.svg`: calm greys, the programme mean as a solid line, the 95 %
limits dashed and the 99.8 % limits solid. Every organisation is a labelled point. A point outside
the 95 % limits is a square, one outside the 99.8 % limits a larger diamond, both in blue when on
the measure's desired side and orange otherwise, and their labels say which limit they cross, so
nothing relies on colour. Pages show the same numbers in a table next to the chart.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

from app.analysis.funnel import FunnelLimits, FunnelPoint, FunnelResult
from app.analysis.types import Side
from app.charts.scales import Ticks, format_number, nice_ticks, text_width
from app.charts.svg import (
    CENTRE,
    CONCERN,
    DATA_POINT,
    FONT_SIZE,
    GRID,
    IMPROVEMENT,
    INK,
    LIMIT,
    MUTED,
    ROW,
    TITLE_SIZE,
    _diamond,
    _document,
    _flow,
    _legend,
    _n,
    _short,
    _text,
)

LABEL_HEIGHT = 13.0
CURVE_STEPS = 90

Box = tuple[float, float, float, float]  # x0, y0, x1, y1


@dataclass(frozen=True, slots=True)
class FunnelLabels:
    """Words drawn on the funnel plot, already translated by the caller."""

    x_axis: str  # "Nämnare under perioden (antal)"
    centre: str  # "Programmets medelvärde"
    limits95: str  # "95 %-gränser"
    limits998: str  # "99,8 %-gränser"
    inside: str  # "Inom gränserna"
    outside95: str  # "Utanför 95 %"
    outside998: str  # "Utanför 99,8 %"
    above95: str  # label suffix, e.g. "över 95 %"
    below95: str
    above998: str
    below998: str
    description: str
    no_data: str = ""
    favourable: str = ""  # "Åt det önskade hållet": the colour of outliers on the desired side
    unfavourable: str = ""  # "Åt fel håll"


@dataclass(frozen=True, slots=True)
class _Frame:
    left: float
    top: float
    right: float
    bottom: float
    x_ticks: Ticks
    y_ticks: Ticks

    def x(self, n: float) -> float:
        low, high = self.x_ticks.low, self.x_ticks.high
        return self.left + (n - low) / (high - low) * (self.right - self.left)

    def y(self, value: float) -> float:
        low, high = self.y_ticks.low, self.y_ticks.high
        return self.bottom - (value - low) / (high - low) * (self.bottom - self.top)


def _label(x: float, y: float, text: str, *, fill: str, anchor: str, weight: str = "normal") -> str:
    """A label with a white outline behind it, readable where it crosses a line or curve."""
    return _text(
        x,
        y,
        text,
        fill=fill,
        text_anchor=anchor,
        font_weight=weight,
        stroke="#ffffff",
        stroke_width="3",
        stroke_linejoin="round",
        paint_order="stroke",
    )


def _marker_colour(point: FunnelPoint, favourable_side: Side | None) -> str:
    if point.band == "inside":
        return DATA_POINT
    if favourable_side is None:
        return CONCERN
    return IMPROVEMENT if point.side == favourable_side else CONCERN


def _marker(point: FunnelPoint, x: float, y: float, colour: str) -> str:
    if point.band == "outside_998":
        return f'<path d="{_diamond(x, y, 7.0)}" fill="{colour}" stroke="#ffffff" stroke-width="1"/>'
    if point.band == "outside_95":
        return (
            f'<rect x="{_n(x - 4.5)}" y="{_n(y - 4.5)}" width="9" height="9" fill="{colour}" '
            f'stroke="#ffffff" stroke-width="1"/>'
        )
    return f'<circle cx="{_n(x)}" cy="{_n(y)}" r="4" fill="{colour}" stroke="#ffffff" stroke-width="1"/>'


def point_label(point: FunnelPoint, labels: FunnelLabels) -> str:
    """The point's label: the organisation, and for outliers the limit it crosses."""
    suffix = {
        ("outside_998", "up"): labels.above998,
        ("outside_998", "down"): labels.below998,
        ("outside_95", "up"): labels.above95,
        ("outside_95", "down"): labels.below95,
    }.get((point.band, point.side or ""), "")
    return f"{point.label} ({suffix})" if suffix else point.label


def _ranges(result: FunnelResult) -> tuple[float, float, float, float]:
    """x (denominator) and y (value) ranges: every point, the mean and the limits at the smallest n."""
    ns = [p.denominator for p in result.points]
    values = [p.value for p in result.points]
    centre = result.centre if result.centre is not None else values[0]
    smallest = result.limits_at(min(ns))
    y_values = [*values, centre]
    if smallest is not None:
        y_values += [smallest.lower998, smallest.upper998]
    y_low, y_high = min(y_values), max(y_values)
    pad = (y_high - y_low) * 0.06 or 1.0
    y_low, y_high = y_low - pad, y_high + pad
    if result.chart == "p":
        y_low, y_high = max(y_low, 0.0), min(y_high, 100.0)
    return 0.0, max(ns) * 1.08, max(y_low, 0.0), y_high


def _curve_path(frame: _Frame, curve: Sequence[FunnelLimits], pick: str) -> str:
    return "".join(
        f"{'M' if k == 0 else 'L'}{_n(frame.x(limits.n))} {_n(frame.y(getattr(limits, pick)))}"
        for k, limits in enumerate(curve)
    )


def _overlaps(box: Box, others: Sequence[Box]) -> bool:
    x0, y0, x1, y1 = box
    return any(x0 < b[2] and b[0] < x1 and y0 < b[3] and b[1] < y1 for b in others)


def _text_box(x: float, baseline: float, anchor: str, text_w: float) -> Box:
    left = x - text_w if anchor == "end" else x
    return (left, baseline - 10, left + text_w, baseline + 3)


def _place_labels(
    frame: _Frame, anchors: Sequence[tuple[float, float, str]], taken: Sequence[Box] = ()
) -> list[tuple[float, float, str]]:
    """Text positions (x, baseline, anchor) for labels next to their points, clear of each other.

    Tries right, left, above and below each point, then further up and down, from the top of the
    chart down; keeps the first place inside the plot that overlaps no label, point or `taken` box.
    """
    boxes: list[Box] = [*taken, *((x - 6, y - 6, x + 6, y + 6) for x, y, _ in anchors)]
    placed: list[tuple[float, float, str]] = [(0.0, 0.0, "start")] * len(anchors)
    for k in sorted(range(len(anchors)), key=lambda k: anchors[k][1]):
        x, y, text = anchors[k]
        w = text_width(text, FONT_SIZE)
        candidates = [(x + 8, y + 4, "start"), (x - 8, y + 4, "end"), (x - w / 2, y - 9, "start")]
        candidates.append((x - w / 2, y + 19, "start"))
        for step in (1, 2, 3):
            for sign in (-1, 1):
                candidates.append((x + 8, y + 4 + sign * step * LABEL_HEIGHT, "start"))
                candidates.append((x - 8, y + 4 + sign * step * LABEL_HEIGHT, "end"))
        fitting = [
            c
            for c in candidates
            if (box := _text_box(c[0], c[1], c[2], w))[0] >= frame.left + 2
            and box[2] <= frame.right + 20
            and box[1] >= frame.top - 4
            and box[3] <= frame.bottom - 2
        ]
        free = [c for c in fitting if not _overlaps(_text_box(c[0], c[1], c[2], w), boxes)]
        chosen = (free or fitting or candidates)[0]
        boxes.append(_text_box(chosen[0], chosen[1], chosen[2], w))
        placed[k] = chosen
    return placed


def _leader(x: float, y: float, box: Box) -> str:
    """A thin line from a point to its label when the label had to move away from it."""
    tx, ty = min(max(x, box[0]), box[2]), min(max(y, box[1]), box[3])
    if math.hypot(tx - x, ty - y) < 14:
        return ""
    return f'<line x1="{_n(x)}" y1="{_n(y)}" x2="{_n(tx)}" y2="{_n(ty)}" stroke="{LIMIT}" stroke-width="0.8"/>'


def render_funnel(
    result: FunnelResult,
    *,
    title: str,
    labels: FunnelLabels,
    unit: str = "",
    favourable_side: Side | None = None,
    locale: str = "sv",
    width: int = 720,
    height: int = 440,
    id_prefix: str = "funnel",
) -> str:
    """The funnel plot as an SVG fragment with <title> and <desc> (`labels.description`).

    `favourable_side` ("up" when higher is better) colours outliers as improvement or concern.
    """
    header = [_text(12, 21, title, size=TITLE_SIZE, fill=INK, font_weight="bold")]
    centre = result.centre
    if not result.points or centre is None:
        empty = _text(width / 2, height / 2, labels.no_data, text_anchor="middle")
        return _document(id_prefix, width, height, title, labels.description, [*header, empty])

    x_low, x_high, y_low, y_high = _ranges(result)
    plot_height = height - 40.0 - 90.0
    y_ticks = nice_ticks(y_low, y_high, max(3, min(7, round(plot_height / 50))))
    if result.chart == "p":
        y_ticks = Ticks(max(y_ticks.low, 0.0), min(y_ticks.high, 100.0), y_ticks.step, y_ticks.decimals)
    x_ticks = nice_ticks(x_low, x_high, 6)
    y_texts = [format_number(v, y_ticks.decimals, locale) for v in y_ticks.values]
    left = max(text_width(t, FONT_SIZE) for t in y_texts) + (34.0 if unit else 18.0)
    right_text = f"{labels.centre} {format_number(centre, 1, locale)}"
    legend = _legend_items(result, labels, favourable_side)
    legend_rows = _flow([w for w, _ in legend], width - 24.0)
    bottom = height - 44.0 - ROW * len(legend_rows)
    frame = _Frame(left, 40.0, width - 24.0, bottom, x_ticks, y_ticks)
    clip = f"{id_prefix}-clip"

    body: list[str] = [
        f'<clipPath id="{clip}"><rect x="{_n(frame.left)}" y="{_n(frame.top)}" '
        f'width="{_n(frame.right - frame.left)}" height="{_n(frame.bottom - frame.top)}"/></clipPath>'
    ]
    body.extend(_axes(frame, y_texts, unit, labels.x_axis, locale))
    curve = result.curve(max(x_ticks.high / 400, 0.5), x_ticks.high, CURVE_STEPS)
    limit_paths = []
    for pick, dash, stroke in (
        ("upper998", "", "1.4"),
        ("lower998", "", "1.4"),
        ("upper95", ' stroke-dasharray="6 4"', "1.2"),
        ("lower95", ' stroke-dasharray="6 4"', "1.2"),
    ):
        limit_paths.append(
            f'<path class="limit {pick}" d="{_curve_path(frame, curve, pick)}" fill="none" stroke="{LIMIT}" '
            f'stroke-width="{stroke}"{dash}/>'
        )
    body.append(f'<g clip-path="url(#{clip})">{"".join(limit_paths)}</g>')
    centre_y = frame.y(centre)
    body.append(
        f'<line class="centre" x1="{_n(frame.left)}" y1="{_n(centre_y)}" x2="{_n(frame.right)}" y2="{_n(centre_y)}" '
        f'stroke="{CENTRE}" stroke-width="1.6"/>'
    )
    body.append(_label(frame.right, centre_y - 5, right_text, fill=CENTRE, anchor="end"))

    anchors = [(frame.x(p.denominator), frame.y(p.value), point_label(p, labels)) for p in result.points]
    centre_box = _text_box(frame.right, centre_y - 5, "end", text_width(right_text, FONT_SIZE))
    centre_line = (frame.left, centre_y - 2, frame.right, centre_y + 2)
    positions = _place_labels(frame, anchors, [centre_box, centre_line])
    # Inside points first, so outliers are drawn on top.
    order = sorted(range(len(result.points)), key=lambda k: result.points[k].band != "inside")
    for k in order:
        point = result.points[k]
        x, y, text = anchors[k]
        colour = _marker_colour(point, favourable_side)
        tx, ty, anchor = positions[k]
        leader = _leader(x, y, _text_box(tx, ty, anchor, text_width(text, FONT_SIZE)))
        tip = (
            f"{point.label}: {_short(point.value, locale)}{(' ' + unit) if unit else ''} "
            f"({format_number(point.numerator, 0, locale)}/{format_number(point.denominator, 0, locale)})"
        )
        weight = "normal" if point.band == "inside" else "bold"
        body.append(
            f'<g class="point {point.band}"><title>{escape(tip)}</title>{leader}{_marker(point, x, y, colour)}'
            + _label(tx, ty, text, fill=INK, anchor=anchor, weight=weight)
            + "</g>"
        )
    body.extend(_legend(legend, legend_rows, height - ROW * len(legend_rows) + 2))
    return _document(id_prefix, width, height, title, labels.description, [*header, *body])


def _axes(frame: _Frame, y_texts: Sequence[str], unit: str, x_title: str, locale: str) -> list[str]:
    out = []
    for value, text in zip(frame.y_ticks.values, y_texts, strict=True):
        y = frame.y(value)
        out.append(f'<line x1="{_n(frame.left)}" y1="{_n(y)}" x2="{_n(frame.right)}" y2="{_n(y)}" stroke="{GRID}"/>')
        out.append(_text(frame.left - 6, y + 4, text, text_anchor="end"))
    for value in frame.x_ticks.values:
        x = frame.x(value)
        out.append(
            f'<line x1="{_n(x)}" y1="{_n(frame.bottom)}" x2="{_n(x)}" y2="{_n(frame.bottom + 4)}" stroke="{LIMIT}"/>'
        )
        out.append(
            _text(x, frame.bottom + 16, format_number(value, frame.x_ticks.decimals, locale), text_anchor="middle")
        )
    out.append(
        f'<line x1="{_n(frame.left)}" y1="{_n(frame.bottom)}" x2="{_n(frame.right)}" y2="{_n(frame.bottom)}" '
        f'stroke="{LIMIT}"/>'
    )
    out.append(_text((frame.left + frame.right) / 2, frame.bottom + 32, x_title, text_anchor="middle", fill=INK))
    if unit:
        middle = (frame.top + frame.bottom) / 2
        out.append(_text(0, 0, unit, text_anchor="middle", transform=f"translate(16 {_n(middle)}) rotate(-90)"))
    return out


def _legend_items(result: FunnelResult, labels: FunnelLabels, favourable_side: Side | None) -> list[tuple[float, str]]:
    """Lines and marker shapes (in neutral grey), then the outlier colours that occur."""
    bands = {p.band for p in result.points}
    colours = {_marker_colour(p, favourable_side) for p in result.points if p.band != "inside"}
    entries = [
        (f'<line x1="0" y1="-4" x2="18" y2="-4" stroke="{CENTRE}" stroke-width="1.6"/>', labels.centre),
        (
            f'<line x1="0" y1="-4" x2="18" y2="-4" stroke="{LIMIT}" stroke-width="1.2" stroke-dasharray="6 4"/>',
            labels.limits95,
        ),
        (f'<line x1="0" y1="-4" x2="18" y2="-4" stroke="{LIMIT}" stroke-width="1.4"/>', labels.limits998),
        (f'<circle cx="9" cy="-4" r="4" fill="{DATA_POINT}"/>', labels.inside),
    ]
    if "outside_95" in bands:
        entries.append((f'<rect x="4.5" y="-8.5" width="9" height="9" fill="{MUTED}"/>', labels.outside95))
    if "outside_998" in bands:
        entries.append((f'<path d="{_diamond(9, -4, 6.5)}" fill="{MUTED}"/>', labels.outside998))
    for colour, name in ((IMPROVEMENT, labels.favourable), (CONCERN, labels.unfavourable)):
        if colour in colours and name and favourable_side is not None:
            entries.append((f'<rect x="3" y="-10" width="12" height="12" rx="2" fill="{colour}"/>', name))
    return [(24 + text_width(name, FONT_SIZE) + 18, f"{swatch}{_text(24, 0, name)}") for swatch, name in entries]


__all__ = ["FunnelLabels", "point_label", "render_funnel"]
