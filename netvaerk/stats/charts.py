"""Server-rendered bar charts of the 12-month trend (geometry only; the template draws SVG)."""

from __future__ import annotations

import math
from collections.abc import Sequence

WIDTH = 480
HEIGHT = 200
LEFT = 44
BOTTOM = 26
TOP = 12


def nice_top(value: float) -> float:
    """A round upper end for the axis at or above `value` (1, 2, 5, 10, 20, 50 ...)."""
    if value <= 0:
        return 1
    exponent = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if value <= step * exponent:
            return step * exponent
    return 10 * exponent


def bar_chart(points: Sequence, kind: str) -> dict:
    """Bars, axis ticks and slots for a trend line; hidden or open months get no bar."""
    values = [p.value for p in points if p.value is not None]
    top = 1.0 if kind == "share" else nice_top(max(values, default=0))
    plot_height = HEIGHT - TOP - BOTTOM
    slot = (WIDTH - LEFT) / max(len(points), 1)
    bars = []
    for index, point in enumerate(points):
        x = LEFT + index * slot
        height = 0.0 if point.value is None else plot_height * min(point.value / top, 1)
        bars.append(
            {
                "point": point,
                "x": round(x + slot * 0.15, 1),
                "width": round(slot * 0.7, 1),
                "y": round(TOP + plot_height - height, 1),
                "height": round(height, 1),
                "centre": round(x + slot / 2, 1),
            }
        )
    ticks = [
        {"value": top * fraction, "y": round(TOP + plot_height * (1 - fraction), 1)}
        for fraction in (0, 0.5, 1)
    ]
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "left": LEFT,
        "baseline": HEIGHT - BOTTOM,
        "bars": bars,
        "ticks": ticks,
        "kind": kind,
    }
