"""The funnel plot SVG: accessible, labelled points, distinct markers and words for outliers."""

import re
import xml.etree.ElementTree as ET

from app.analysis.funnel import FunnelInput, funnel
from app.charts.funnel import FunnelLabels, point_label, render_funnel

SVG = "{http://www.w3.org/2000/svg}"
LABELS = FunnelLabels(
    x_axis="Nämnare",
    centre="Programmets medelvärde",
    limits95="95 %-gränser",
    limits998="99,8 %-gränser",
    inside="Inom gränserna",
    outside95="Utanför 95 %",
    outside998="Utanför 99,8 %",
    above95="över 95 %",
    below95="under 95 %",
    above998="över 99,8 %",
    below998="under 99,8 %",
    description="Trattdiagram för tre organisationer.",
    no_data="Inga värden",
    favourable="Bättre än väntat",
    unfavourable="Sämre än väntat",
)
UNITS = [
    FunnelInput("a", "Ankeby", 45, 50),  # outside 95 %, high
    FunnelInput("b", "Bergsjö", 55, 100),  # outside 99.8 %, low
    FunnelInput("c", "Centrala", 150, 200),  # inside
]


def _render(**kw: object) -> str:
    return render_funnel(funnel(UNITS, chart="p"), title="Nöjda med bemötandet", labels=LABELS, unit="%", **kw)  # type: ignore[arg-type]


def test_is_wellformed_and_accessible() -> None:
    svg = _render(favourable_side="up", id_prefix="f1")
    root = ET.fromstring(svg)
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "f1-title f1-desc"
    assert root.find(f"{SVG}title").text == "Nöjda med bemötandet"  # type: ignore[union-attr]
    assert root.find(f"{SVG}desc").text == "Trattdiagram för tre organisationer."  # type: ignore[union-attr]


def test_points_are_labelled_and_outliers_say_which_limit() -> None:
    svg = _render(favourable_side="up")
    assert "Ankeby (över 95 %)" in svg
    assert "Bergsjö (under 99,8 %)" in svg
    assert ">Centrala<" in svg
    # Different markers: a square outside 95 %, a diamond outside 99.8 %, a circle inside.
    groups = re.findall(r'<g class="point (\w+)">.*?</g>', svg)
    assert sorted(groups) == ["inside", "outside_95", "outside_998"]
    assert re.search(r'class="point outside_95">.*?<rect', svg)
    assert re.search(r'class="point outside_998">.*?<path d="M', svg)
    assert re.search(r'class="point inside">.*?<circle', svg)


def test_colour_follows_the_desired_direction() -> None:
    higher_is_better = _render(favourable_side="up")
    lower_is_better = _render(favourable_side="down")
    high = re.compile(r'class="point outside_95">.*?fill="(#[0-9a-f]+)"')
    assert high.search(higher_is_better).group(1) != high.search(lower_is_better).group(1)  # type: ignore[union-attr]
    assert "Bättre än väntat" in higher_is_better
    assert "Sämre än väntat" in higher_is_better


def test_limit_curves_and_centre_line_are_drawn() -> None:
    svg = _render()
    for name in ("upper998", "lower998", "upper95", "lower95"):
        assert f'class="limit {name}"' in svg
    assert 'class="centre"' in svg
    assert "Programmets medelvärde 71,4" in svg
    assert 'clip-path="url(#funnel-clip)"' in svg


def test_point_label_of_an_inside_point_is_the_name() -> None:
    result = funnel(UNITS, chart="p")
    assert point_label(result.points[2], LABELS) == "Centrala"


def test_no_points_says_so() -> None:
    svg = render_funnel(funnel([], chart="p"), title="T", labels=LABELS)
    assert "Inga värden" in svg
    ET.fromstring(svg)


def test_labels_do_not_overlap_each_other() -> None:
    crowded = [FunnelInput(str(k), f"Kommun {k}", 40 + k % 3, 60 + k) for k in range(8)]
    svg = render_funnel(funnel(crowded, chart="p"), title="T", labels=LABELS)
    boxes = []
    for x, y, anchor, text in re.findall(
        r'<text x="([\d.]+)" y="([\d.]+)" font-size="11" fill="#1f2933" text-anchor="(\w+)"[^>]*>(Kommun \d)</text>',
        svg,
    ):
        width = len(text) * 11 * 0.6
        left = float(x) - width if anchor == "end" else float(x)
        boxes.append((left, float(y) - 10, left + width, float(y) + 3))
    assert len(boxes) == 8
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert not (a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]), (a, b)
