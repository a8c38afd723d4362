"""Funnel plot limits, checked against arithmetic written out by hand.

Three organisations adopt the same library measure. The programme mean is the pooled proportion
(or rate); each organisation's limits depend on its own denominator n:

    p:  CL ± z * sqrt(CL * (1 - CL) / n), clipped to [0, 1]
    u:  CL ± z * sqrt(CL / n), lower limit at least 0
    z = 1.959964 (95 %) and 3.090232 (99.8 %)
"""

import math

import pytest

from app.analysis.funnel import Z95, Z998, FunnelInput, funnel
from app.analysis.types import AnalysisInputError

ABS = 1e-6


def _three_proportions() -> list[FunnelInput]:
    return [
        FunnelInput("a", "Ankeby", 45, 50),  # 0.90
        FunnelInput("b", "Bergsjö", 55, 100),  # 0.55
        FunnelInput("c", "Centrala", 150, 200),  # 0.75
    ]


def test_z_values() -> None:
    assert Z95 == 1.959964
    assert Z998 == 3.090232


def test_proportions_of_three_organisations_by_hand() -> None:
    result = funnel(_three_proportions(), chart="p")
    by_key = {p.key: p for p in result.points}

    # Programme mean: (45 + 55 + 150) / (50 + 100 + 200) = 250 / 350 = 5/7 = 0.714285714...
    # CL * (1 - CL) = 5/7 * 2/7 = 10/49 = 0.204081632...
    assert result.numerator_total == 250
    assert result.denominator_total == 350
    assert result.centre == pytest.approx(71.4285714, abs=ABS)  # percent on the page

    # Ankeby, n = 50: sigma = sqrt(10/49 / 50) = sqrt(0.00408163) = 0.0638877
    #   95 %:   0.7142857 ± 1.959964 * 0.0638877 = 0.7142857 ± 0.1252175 -> [0.5890682, 0.8395032]
    #   99.8 %: 0.7142857 ± 3.090232 * 0.0638877 = 0.7142857 ± 0.1974277 -> [0.5168580, 0.9117134]
    #   0.90 is above 0.8395 but below 0.9117: outside the 95 % limits only, on the high side.
    a = by_key["a"]
    assert a.value == pytest.approx(90.0)
    assert a.limits.lower95 == pytest.approx(58.90682, abs=1e-4)
    assert a.limits.upper95 == pytest.approx(83.95032, abs=1e-4)
    assert a.limits.lower998 == pytest.approx(51.68580, abs=1e-4)
    assert a.limits.upper998 == pytest.approx(91.17134, abs=1e-4)
    assert (a.band, a.side) == ("outside_95", "up")

    # Bergsjö, n = 100: sigma = sqrt(10/49 / 100) = sqrt(0.00204082) = 0.0451754
    #   95 %:   0.7142857 ± 1.959964 * 0.0451754 = 0.7142857 ± 0.0885421 -> [0.6257436, 0.8028279]
    #   99.8 %: 0.7142857 ± 3.090232 * 0.0451754 = 0.7142857 ± 0.1396025 -> [0.5746833, 0.8538882]
    #   0.55 is below 0.5747: outside the 99.8 % limits, on the low side.
    b = by_key["b"]
    assert b.value == pytest.approx(55.0)
    assert b.limits.lower95 == pytest.approx(62.57436, abs=1e-4)
    assert b.limits.upper95 == pytest.approx(80.28279, abs=1e-4)
    assert b.limits.lower998 == pytest.approx(57.46833, abs=1e-4)
    assert b.limits.upper998 == pytest.approx(85.38882, abs=1e-4)
    assert (b.band, b.side) == ("outside_998", "down")

    # Centrala, n = 200: sigma = sqrt(10/49 / 200) = sqrt(0.00102041) = 0.0319438
    #   95 %:   0.7142857 ± 1.959964 * 0.0319438 = 0.7142857 ± 0.0626088 -> [0.6516770, 0.7768945]
    #   99.8 %: 0.7142857 ± 3.090232 * 0.0319438 = 0.7142857 ± 0.0987138 -> [0.6155719, 0.8129996]
    #   0.75 lies inside both.
    c = by_key["c"]
    assert c.value == pytest.approx(75.0)
    assert c.limits.lower95 == pytest.approx(65.16770, abs=1e-4)
    assert c.limits.upper95 == pytest.approx(77.68945, abs=1e-4)
    assert c.limits.lower998 == pytest.approx(61.55719, abs=1e-4)
    assert c.limits.upper998 == pytest.approx(81.29996, abs=1e-4)
    assert (c.band, c.side) == ("inside", None)

    assert [p.key for p in result.outliers] == ["a", "b"]


def test_proportion_limits_are_clipped_to_0_and_100_percent() -> None:
    result = funnel(_three_proportions(), chart="p")
    # n = 5: sigma = sqrt(10/49 / 5) = 0.2020305; 0.7142857 + 3.090232 * 0.2020305 = 1.3386 -> clipped to 1.
    # 0.7142857 + 1.959964 * 0.2020305 = 1.1103 -> clipped to 1; lower 99.8 %: 0.7142857 - 0.6243211 = 0.0899646.
    limits = result.limits_at(5)
    assert limits is not None
    assert limits.upper998 == 100.0
    assert limits.upper95 == 100.0
    assert limits.lower998 == pytest.approx(8.99646, abs=1e-4)
    # n = 1: both lower limits would be negative -> clipped to 0.
    tiny = result.limits_at(1)
    assert tiny is not None
    assert (tiny.lower95, tiny.lower998) == (0.0, 0.0)


def test_rates_of_three_organisations_by_hand() -> None:
    units = [
        FunnelInput("a", "Ankeby", 12, 3000),  # 4.0 falls per 1,000 care days
        FunnelInput("b", "Bergsjö", 30, 4000),  # 7.5
        FunnelInput("c", "Centrala", 9, 5000),  # 1.8
    ]
    result = funnel(units, chart="u", multiplier=1000)
    by_key = {p.key: p for p in result.points}

    # Programme mean: (12 + 30 + 9) / (3000 + 4000 + 5000) = 51 / 12000 = 0.00425 -> 4.25 per 1,000.
    assert result.centre == pytest.approx(4.25)

    # Ankeby, n = 3000: sigma = sqrt(0.00425 / 3000) = 0.00119024
    #   95 %:   0.00425 ± 1.959964 * 0.00119024 = 0.00425 ± 0.00233282 -> [1.917176, 6.582824] per 1,000
    #   99.8 %: 0.00425 ± 3.090232 * 0.00119024 = 0.00425 ± 0.00367811 -> [0.571888, 7.928112] per 1,000
    a = by_key["a"]
    assert a.value == pytest.approx(4.0)
    assert a.limits.lower95 == pytest.approx(1.917176, abs=ABS)
    assert a.limits.upper95 == pytest.approx(6.582824, abs=ABS)
    assert a.limits.lower998 == pytest.approx(0.571888, abs=ABS)
    assert a.limits.upper998 == pytest.approx(7.928112, abs=ABS)
    assert a.band == "inside"

    # Bergsjö, n = 4000: sigma = sqrt(0.00425 / 4000) = 0.00103078
    #   99.8 % upper: 0.00425 + 3.090232 * 0.00103078 = 0.00425 + 0.00318534 = 7.435338 per 1,000
    #   7.5 > 7.435: outside the 99.8 % limits, high.
    b = by_key["b"]
    assert b.limits.upper998 == pytest.approx(7.435338, abs=ABS)
    assert b.limits.upper95 == pytest.approx(6.270285, abs=ABS)  # 0.00425 + 1.959964 * 0.00103078
    assert (b.band, b.side) == ("outside_998", "up")

    # Centrala, n = 5000: sigma = sqrt(0.00425 / 5000) = 0.000921954
    #   95 % lower:   0.00425 - 1.959964 * 0.000921954 = 0.00425 - 0.00180700 = 2.443002 per 1,000
    #   99.8 % lower: 0.00425 - 3.090232 * 0.000921954 = 0.00425 - 0.00284905 = 1.400947 per 1,000
    #   1.8 lies between them: outside the 95 % limits only, low.
    c = by_key["c"]
    assert c.limits.lower95 == pytest.approx(2.443002, abs=ABS)
    assert c.limits.lower998 == pytest.approx(1.400947, abs=ABS)
    assert (c.band, c.side) == ("outside_95", "down")

    # n = 100: 0.00425 - 1.959964 * sqrt(0.00425 / 100) = 0.00425 - 0.0127774 < 0 -> clipped to 0.
    small = result.limits_at(100)
    assert small is not None
    assert small.lower95 == 0.0
    assert small.upper95 == pytest.approx(17.027402, abs=ABS)


def test_no_denominator_is_listed_not_plotted() -> None:
    result = funnel([FunnelInput("a", "A", 3, 10), FunnelInput("b", "B", 0, 0)], chart="p")
    assert [p.key for p in result.points] == ["a"]
    assert result.excluded == ("b",)
    assert result.centre == pytest.approx(30.0)
    empty = funnel([FunnelInput("b", "B", 0, 0)], chart="p")
    assert empty.centre is None
    assert empty.points == ()
    assert empty.limits_at(10) is None
    assert empty.curve(1, 10) == ()


def test_point_on_a_limit_is_inside() -> None:
    # Two equal organisations: both lie exactly on the centre line.
    result = funnel([FunnelInput("a", "A", 5, 10), FunnelInput("b", "B", 5, 10)], chart="p")
    assert all(p.band == "inside" for p in result.points)


def test_curve_narrows_with_the_denominator() -> None:
    result = funnel(_three_proportions(), chart="p")
    curve = result.curve(10, 1000, steps=20)
    assert len(curve) == 20
    assert curve[0].n == pytest.approx(10)
    assert curve[-1].n == pytest.approx(1000)
    widths = [c.upper998 - c.lower998 for c in curve]
    assert widths == sorted(widths, reverse=True)
    assert all(c.lower998 <= c.lower95 <= result.centre <= c.upper95 <= c.upper998 for c in curve)


@pytest.mark.parametrize(
    ("units", "chart", "multiplier"),
    [
        ([FunnelInput("a", "A", 11, 10)], "p", 1.0),
        ([FunnelInput("a", "A", -1, 10)], "u", 1.0),
        ([FunnelInput("a", "A", math.nan, 10)], "u", 1.0),
        ([FunnelInput("a", "A", 1, math.inf)], "u", 1.0),
        ([FunnelInput("a", "A", 1, 10)], "u", 0.0),
        ([FunnelInput("a", "A", 1, 10)], "i", 1.0),
    ],
)
def test_bad_input_is_refused(units: list[FunnelInput], chart: str, multiplier: float) -> None:
    with pytest.raises(AnalysisInputError):
        funnel(units, chart=chart, multiplier=multiplier)  # type: ignore[arg-type]


def test_rate_may_exceed_its_denominator() -> None:
    result = funnel([FunnelInput("a", "A", 3, 2), FunnelInput("b", "B", 1, 2)], chart="u")
    assert result.centre == pytest.approx(1.0)
    assert {p.key: p.value for p in result.points} == {"a": 1.5, "b": 0.5}


def test_to_dict_is_plain_json() -> None:
    data = funnel(_three_proportions(), chart="p").to_dict()
    assert data["chart"] == "p"
    assert data["points"][1]["band"] == "outside_998"
    assert data["z95"] == Z95
