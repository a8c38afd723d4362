from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence
from datetime import date

import pytest

from app.analysis import AnalysisResult, Observation, analyse, period_from_index, period_index
from app.charts import Annotation, ChartLabels, render_chart, render_sparkline
from app.charts.scales import Ticks
from app.charts.svg import _Frame, _step_path

NS = {"svg": "http://www.w3.org/2000/svg"}
LABELS = ChartLabels(
    value="Mätvärde",
    median="Median",
    mean="Medelvärde",
    limits="Styrgränser",
    target="Mål",
    signal_improvement="Förbättring",
    signal_concern="Försämring",
    description="Serietidsdiagram med mätvärden per månad.",
    trial_limits="Preliminära styrgränser",
    no_data="Inga mätvärden än",
)


def _result(values: Sequence[float | None], *, first: str = "2024-01", **options: object) -> AnalysisResult:
    frequency = "week" if "-W" in first else "month"
    start = period_index(first)
    obs = [Observation(period_from_index(start + k, frequency), v) for k, v in enumerate(values)]
    settings: dict[str, object] = {
        "data_type": "value",
        "direction": "increase",
        "frequency": frequency,
        "as_of": date(2030, 1, 1),
    }
    settings.update(options)
    return analyse(obs, **settings)  # type: ignore[arg-type]


def _render(result: AnalysisResult, **options: object) -> ET.Element:
    settings: dict[str, object] = {"title": "Andel besök i tid", "labels": LABELS, "locale": "sv"}
    settings.update(options)
    return ET.fromstring(render_chart(result, **settings))  # type: ignore[arg-type]


def _classes(root: ET.Element, name: str) -> list[ET.Element]:
    return [e for e in root.iter() if name in e.get("class", "").split()]


def _texts(root: ET.Element) -> list[str]:
    return ["".join(e.itertext()) for e in root.iter(f"{{{NS['svg']}}}text")]


STABLE = [10.0, 12.0] * 6 + [11.5] * 8


def test_document_is_accessible_and_self_contained() -> None:
    markup = render_chart(_result(STABLE), title="Andel <besök> & tid", labels=LABELS, locale="sv")
    root = ET.fromstring(markup)
    assert root.tag == f"{{{NS['svg']}}}svg"
    assert root.get("role") == "img"
    title_id, desc_id = (root.get("aria-labelledby") or "").split()
    title = root.find("svg:title", NS)
    desc = root.find("svg:desc", NS)
    assert title is not None
    assert desc is not None
    assert (title.get("id"), title.text) == (title_id, "Andel <besök> & tid")
    assert (desc.get("id"), desc.text) == (desc_id, LABELS.description)
    assert root.get("viewBox", "").startswith("0 0 720 ")
    assert "DejaVu Sans" in root.get("font-family", "")
    assert not [e for e in root.iter() if e.tag.endswith("script") or e.tag.endswith("image")]
    assert "href" not in markup
    assert "http" not in markup.replace('xmlns="http://www.w3.org/2000/svg"', "")


def test_one_marker_per_point_and_signals_as_diamonds() -> None:
    result = _result(STABLE, chart="i", rules="mdc", freeze=12)
    root = _render(result)
    markers = _classes(root, "point")
    assert len(markers) == result.n
    signals = _classes(root, "signal")
    assert len(signals) == sum(p.signal for p in result.points) == 9  # the baseline ends above the mean
    assert all(e.tag.endswith("path") and "improvement" in e.get("class", "") for e in signals)
    assert "Förbättring" in _texts(root)


def test_concern_signals_are_marked_as_such() -> None:
    result = _result(STABLE, chart="i", rules="mdc", freeze=12, direction="decrease")
    assert len(_classes(_render(result), "concern")) == 9


def test_gaps_break_the_data_line() -> None:
    result = _result([5.0, 6.0, None, 7.0, 6.5, None, None, 6.0])
    assert len(_classes(_render(result), "data")) == 3


def test_phases_draw_a_centre_line_each() -> None:
    result = _result([10.0, 12.0] * 6 + [20.0, 22.0] * 6, chart="i", phase_starts=["2025-01"])
    root = _render(result)
    assert len(_classes(root, "centre")) == 2
    assert len(_classes(root, "limit")) == 4


def test_annotations_are_numbered_and_listed() -> None:
    annotations = [
        Annotation("2024-03", "Ny rutin för <inskrivning>"),
        Annotation("2024-04", "Checklista & påminnelse"),
        Annotation("2019-01", "Före mätningarna"),  # outside the chart: left out
    ]
    root = _render(_result(STABLE), annotations=annotations)
    texts = _texts(root)
    assert "Ny rutin för <inskrivning>" in texts
    assert "Checklista & påminnelse" in texts
    assert "Före mätningarna" not in texts
    assert len(_classes(root, "annotation")) == 2
    assert {"1", "2"} <= set(texts)


def test_long_annotation_titles_are_shortened_in_the_key() -> None:
    title = "Införande av en ny rutin för läkemedelsgenomgång tillsammans med MAS och enhetschefer"
    root = _render(_result(STABLE), annotations=[Annotation("2024-02", title)])
    key = ["".join(e.itertext()) for e in _classes(root, "annotation-key")]
    assert len(key) == 1
    assert key[0].endswith("…")
    tooltip = _classes(root, "annotation")[0].find("svg:title", NS)
    assert tooltip is not None
    assert tooltip.text == title


def test_annotation_of_the_wrong_frequency_is_an_error() -> None:
    with pytest.raises(ValueError, match="does not match"):
        _render(_result(STABLE), annotations=[Annotation("2024-W05", "Vecka")])


def test_decimal_comma_in_swedish_and_point_in_english() -> None:
    result = _result([0.12, 0.15, 0.11, 0.18, 0.14, 0.16])
    swedish = _texts(_render(result, locale="sv"))
    english = _texts(_render(result, locale="en"))
    assert any("," in t and t.replace(",", "").isdigit() for t in swedish)
    assert not any("." in t and t.replace(".", "").isdigit() for t in swedish)
    assert any("." in t and t.replace(".", "").isdigit() for t in english)


def test_target_line_is_drawn_and_labelled() -> None:
    root = _render(_result(STABLE), target=15.0)
    assert len(_classes(root, "target")) == 1
    assert "Mål 15" in _texts(root)


def test_trial_limits_are_announced() -> None:
    assert "Preliminära styrgränser" in _texts(_render(_result([10.0, 12.0, 11.0], chart="i")))
    assert "Preliminära styrgränser" not in _texts(_render(_result(STABLE, chart="i")))


def test_weekly_axis_labels_use_short_week_names_and_years() -> None:
    texts = _texts(_render(_result([float(k % 4) for k in range(30)], first="2023-W45")))
    assert "v. 1" in texts
    assert {"2023", "2024"} <= set(texts)


def test_no_points() -> None:
    root = _render(_result([]))
    assert "Inga mätvärden än" in _texts(root)
    assert _classes(root, "point") == []


def test_many_points_render() -> None:
    result = _result([float(k % 17) for k in range(5000)], first="1900-W01")
    assert len(_classes(_render(result), "point")) == 5000


def test_ids_are_stable_and_can_be_chosen() -> None:
    result = _result(STABLE)
    assert render_chart(result, title="A", labels=LABELS) == render_chart(result, title="A", labels=LABELS)
    root = _render(result, id_prefix="measure-7")
    assert root.get("aria-labelledby") == "measure-7-title measure-7-desc"


def test_sparkline() -> None:
    result = _result(STABLE, chart="i", rules="mdc", freeze=12)
    hidden = ET.fromstring(render_sparkline(result))
    assert hidden.get("aria-hidden") == "true"
    assert hidden.get("viewBox") == "0 0 120 32"
    named = ET.fromstring(render_sparkline(result, 200, 40, label="Andel besök i tid"))
    assert (named.get("role"), named.get("aria-label")) == ("img", "Andel besök i tid")
    assert ET.fromstring(render_sparkline(_result([]))).get("width") == "120"


@pytest.mark.parametrize(
    ("values", "expected"),
    [([1e6, 1.2e6, 0.9e6] * 8, "1\u202f033\u202f333"), ([0.001, 0.002, 0.0015] * 8, "0,0015"), (STABLE, "11,2")],
)
def test_line_labels_have_three_significant_digits(values: list[float], expected: str) -> None:
    assert expected in _texts(_render(_result(values)))


def test_tooltips_show_the_value_as_entered() -> None:
    root = _render(_result([12.125, 13.5, 11.0]))
    tips = ["".join(e.itertext()) for e in _classes(root, "point")]
    assert tips == ["januari 2024: 12,125", "februari 2024: 13,5", "mars 2024: 11"]


def test_print_charts_draw_points_as_one_path_of_dots_without_tooltips() -> None:
    result = _result(STABLE, chart="i", rules="mdc", freeze=12)
    root = _render(result, tooltips=False)
    dots = _classes(root, "points")
    assert len(dots) == 1
    path = dots[0].get("d", "")
    assert path.count("h0") == result.n - 9  # the 9 signal points are diamonds, drawn on top
    assert dots[0].get("stroke-linecap") == "round"
    assert len(_classes(root, "signal")) == 9
    elements = list(root.iter())
    assert elements.index(dots[0]) < min(elements.index(e) for e in _classes(root, "signal"))
    assert not _classes(root, "point") or all(e.find("svg:title", NS) is None for e in _classes(root, "point"))
    assert len(root.findall(".//svg:title", NS)) == 1  # the chart's own title only


def test_flat_runs_of_the_centre_line_and_limits_are_single_segments() -> None:
    root = _render(_result([10.0, 12.0] * 12, chart="i"))
    for line in (*_classes(root, "centre"), *_classes(root, "limit")):
        assert line.get("d", "").count("H") == 1, line.get("d")


def test_step_lines_step_where_the_value_changes_and_break_at_gaps_between_values() -> None:
    frame = _Frame(0, 0, 100, 100, first=0, span=10, ticks=Ticks(0.0, 10.0, 1.0, 0))
    values: list[float | None] = [5.0, 5.0, 6.0, None, 6.0, 6.0, None, 7.0]
    assert _step_path(frame, range(8), values) == "M0 50H20L20 40H30M40 40H60M70 30H80"
    # Equal values either side of a gap still run straight across it.
    assert _step_path(frame, [0, 1, 5], [2.0, 2.0, 2.0]) == "M0 80H60"
