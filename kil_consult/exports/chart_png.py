"""An indicator's trend chart as a PNG picture for Word (which shows no SVG without a picture
beside it), drawn with Pillow from the same shape as the SVG of the page and the PDF."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

_FONTS = (
    "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
)
SCALE = 3  # drawn at three times the SVG's size, so it prints sharply
BLUE, GREY, DARK, LIGHT = (29, 112, 184), (80, 90, 95), (11, 12, 12), (177, 180, 182)


def _font(size: int):
    for path in _FONTS:
        if Path(path).exists():
            return ImageFont.truetype(path, size * SCALE)
    return ImageFont.load_default(size * SCALE)


def _xy(x: str, y: str) -> tuple[float, float]:
    return float(x) * SCALE, float(y) * SCALE


def _dashed(draw, start, end, dash=6, gap=4, width=2):
    (x1, y1), (x2, y2) = start, end
    length = ((x2 - x1) ** 2 + (y2 - y1) ** 2) ** 0.5 or 1
    step = (dash + gap) * SCALE
    n = 0.0
    while n < length:
        a = n / length
        b = min(n + dash * SCALE, length) / length
        draw.line(
            [(x1 + (x2 - x1) * a, y1 + (y2 - y1) * a), (x1 + (x2 - x1) * b, y1 + (y2 - y1) * b)],
            fill=GREY,
            width=width * SCALE,
        )
        n += step


def trend_png(chart) -> bytes:
    """The chart (a ``TrendChart``) as PNG bytes."""
    image = Image.new("RGB", (chart.width * SCALE, chart.height * SCALE), "white")
    draw = ImageDraw.Draw(image)
    font = _font(12)
    for tick in chart.value_ticks:
        y = float(tick.at) * SCALE
        draw.line([(chart.left * SCALE, y), (chart.right * SCALE, y)], fill=LIGHT, width=SCALE)
        draw.text(((chart.left - 6) * SCALE, y), tick.label, fill=DARK, font=font, anchor="rm")
    axis = float(chart.axis_y) * SCALE
    draw.line([(chart.left * SCALE, axis), (chart.right * SCALE, axis)], fill=DARK, width=SCALE)
    for n, tick in enumerate(chart.date_ticks):
        anchor = "ls" if n == 0 else "rs" if n == len(chart.date_ticks) - 1 else "ms"
        where = (float(tick.at) * SCALE, (chart.height - 20) * SCALE)
        draw.text(where, tick.label, fill=DARK, font=font, anchor=anchor)
    start = _xy(chart.dots[0].x, chart.dots[0].y)
    _dashed(draw, start, _xy(chart.target.x, chart.target.y))
    points = [_xy(d.x, d.y) for d in chart.dots]
    if len(points) > 1:
        draw.line(points, fill=BLUE, width=3 * SCALE, joint="curve")
    for x, y in points:
        r = 5 * SCALE
        draw.ellipse([x - r, y - r, x + r, y + r], fill=BLUE)
    tx, ty = _xy(chart.target.x, chart.target.y)
    r = 6 * SCALE
    draw.rectangle([tx - r, ty - r, tx + r, ty + r], fill="white", outline=DARK, width=2 * SCALE)
    label = f"Target {chart.target.label}"
    where = _xy(chart.target_label_x, chart.target_label_y)
    draw.text(where, label, fill=DARK, font=font, anchor="rs")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
