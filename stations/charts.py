"""Geometry for the server-rendered SVG charts (no JavaScript): templates draw the shapes.

Each chart is a dict for templates/stations/_chart_*.html: the viewBox size and one entry
per bar with its position, size and the label and value to write next to it.
"""

from decimal import Decimal


def _nice_ceiling(value):
    """A round axis maximum at or above `value` (1, 1.2, 1.5, 2 ... 8 × a power of ten)."""
    if value <= 0:
        return 1
    magnitude = 1
    while magnitude * 10 <= value:
        magnitude *= 10
    for step in (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8):
        if step * magnitude >= value:
            return step * magnitude
    return 10 * magnitude


def horizontal_bars(items, *, maximum=None, label_width=130, bar_width=250, row_height=30):
    """Bars left to right, one row per (label, value, shown) item; value None: no bar."""
    values = [value for _label, value, _shown in items if value is not None]
    top = maximum if maximum is not None else _nice_ceiling(max(values, default=0))
    bars = []
    for index, (label, value, shown) in enumerate(items):
        length = 0 if value is None or not top else float(Decimal(value) / Decimal(top))
        width = round(max(length, 0) * bar_width, 1)
        y = index * row_height
        bars.append(
            {
                "label": label,
                "shown": shown,
                "x": label_width,
                "y": y + 6,
                "width": width,
                "height": row_height - 12,
                "text_y": y + row_height / 2 + 5,
                "value_x": label_width + width + 6,
            }
        )
    return {
        "width": label_width + bar_width + 60,
        "height": max(len(items), 1) * row_height,
        "label_x": label_width - 8,
        "axis_x": label_width,
        "bars": bars,
    }


def columns(points, *, width=320, height=200, top_margin=22, bottom_margin=26):
    """Vertical bars, one per (label, value) point, for a growth-per-year chart."""
    top = _nice_ceiling(max((value for _label, value in points), default=0))
    plot_height = height - top_margin - bottom_margin
    slot = width / max(len(points), 1)
    bar = slot * 0.6
    bars = []
    for index, (label, value) in enumerate(points):
        bar_height = round(plot_height * value / top, 1) if top else 0
        x = index * slot + (slot - bar) / 2
        y = top_margin + plot_height - bar_height
        bars.append(
            {
                "label": label,
                "value": value,
                "x": round(x, 1),
                "y": round(y, 1),
                "width": round(bar, 1),
                "height": bar_height,
                "center": round(x + bar / 2, 1),
                "value_y": round(y - 5, 1),
                "label_y": height - 8,
            }
        )
    return {
        "width": width,
        "height": height,
        "baseline": top_margin + plot_height,
        "bars": bars,
    }
