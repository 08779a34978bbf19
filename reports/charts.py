"""Server-rendered SVG charts (DESIGN.md: the same chart in the page and in a PDF report, no
JavaScript). Plain strings, no dependency: every colour and size is a presentation attribute
(no ``style``: the Content Security Policy forbids inline styles, and a PDF renderer needs no
stylesheet), text is escaped, and each point or bar can link to the rows behind it (R-IND-5).

The SVG scales to its container (``viewBox``, ``width="100%"``), so it fits a 360 px phone.
"""

from dataclasses import dataclass, field

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

PALETTE = ("#0b4a8b", "#b3261e", "#1e6b34", "#7a4b00", "#6a3d9a")
GRID = "#d5dbe3"
MUTED = "#5a6472"
TEXT = "#1c2430"
FONT = 'font-family="system-ui, Segoe UI, Roboto, Noto Sans, Arial, sans-serif"'


@dataclass
class Point:
    value: float | None
    href: str = ""
    title: str = ""


@dataclass
class Series:
    name: str
    points: list[Point]
    colour: str = ""


@dataclass
class Bar:
    """One stacked bar: (series index, value, link, tooltip) per part."""

    label: str
    parts: list[tuple[int, float, str, str]] = field(default_factory=list)


def _num(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _frame(*, width, height, title, desc, chart_id, body) -> SafeString:
    tid, did = f"{chart_id}-title", f"{chart_id}-desc"
    return mark_safe(  # noqa: S308 - every text below went through escape()
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" '
        f'role="img" aria-labelledby="{tid} {did}" class="chart" id="{escape(chart_id)}" {FONT}>'
        f'<title id="{tid}">{escape(title)}</title><desc id="{did}">{escape(desc)}</desc>'
        f"{body}</svg>"
    )


LEGEND_ROW = 20


def _legend_rows(names: list[tuple[str, str]], *, x: float, width: float) -> list[list]:
    """The legend's entries placed on rows that fit ``width`` (text width estimated)."""
    rows: list[list] = [[]]
    cursor = x
    for name, colour in names:
        size = 16 + 7.5 * len(name) + 18
        if rows[-1] and cursor + size > width:
            rows.append([])
            cursor = x
        rows[-1].append((cursor, name, colour))
        cursor += size
    return rows


def _legend(rows: list[list], *, y: float) -> str:
    out = []
    for n, row in enumerate(rows):
        line = y + n * LEGEND_ROW
        for cursor, name, colour in row:
            out.append(
                f'<rect x="{_num(cursor)}" y="{_num(line - 10)}" width="12" height="12" '
                f'fill="{colour}"/><text x="{_num(cursor + 16)}" y="{_num(line + 1)}" '
                f'font-size="14" fill="{TEXT}">{escape(name)}</text>'
            )
    return "".join(out)


def _x_labels(labels, *, left, step, y) -> str:
    every = max(1, -(-len(labels) // 6))  # at most about 6 labels: legible on a phone
    return "".join(
        f'<text x="{_num(left + step * (i + 0.5))}" y="{_num(y)}" font-size="13" '
        f'text-anchor="middle" fill="{MUTED}">{escape(label)}</text>'
        for i, label in enumerate(labels)
        if (len(labels) - 1 - i) % every == 0  # the last month always labelled
    )


def line_chart(
    *,
    series: list[Series],
    labels: list[str],
    title: str,
    desc: str = "",
    chart_id: str = "chart",
    y_max: float = 100.0,
    unit: str = "%",
    target: float | None = None,
    target_label: str = "",
    width: int = 480,
    height: int = 240,
) -> SafeString:
    """Lines over ``labels`` (months), values 0..``y_max``; a missing value breaks the line.
    A dashed line marks the ``target``. Points link to ``Point.href`` when given."""
    left, right, top, bottom = 48, 10, 14, 52
    plot_w, plot_h = width - left - right, height - top - bottom
    n = max(len(labels), 1)
    step = plot_w / n

    def y_of(value):
        value = max(0.0, min(float(value), y_max))
        return top + plot_h * (1 - value / y_max)

    parts = []
    for tick in range(5):
        value = y_max * tick / 4
        y = y_of(value)
        parts.append(
            f'<line x1="{left}" x2="{left + plot_w}" y1="{_num(y)}" y2="{_num(y)}" '
            f'stroke="{GRID}" stroke-width="1"/>'
            f'<text x="{left - 6}" y="{_num(y + 4)}" font-size="13" text-anchor="end" '
            f'fill="{MUTED}">{_num(value)}{escape(unit) if tick == 4 else ""}</text>'
        )
    if target is not None:
        y = y_of(target)
        parts.append(
            f'<line x1="{left}" x2="{left + plot_w}" y1="{_num(y)}" y2="{_num(y)}" '
            f'stroke="{PALETTE[3]}" stroke-width="1.5" stroke-dasharray="6 4">'
            f"<title>{escape(target_label)}</title></line>"
        )
    for index, line in enumerate(series):
        colour = line.colour or PALETTE[index % len(PALETTE)]
        run: list[str] = []
        runs: list[list[str]] = []
        for i, point in enumerate(line.points):
            if point.value is None:
                if run:
                    runs.append(run)
                run = []
                continue
            run.append(f"{_num(left + step * (i + 0.5))},{_num(y_of(point.value))}")
        if run:
            runs.append(run)
        for pts in runs:
            if len(pts) > 1:
                parts.append(
                    f'<polyline points="{" ".join(pts)}" fill="none" stroke="{colour}" '
                    'stroke-width="2.5" stroke-linejoin="round"/>'
                )
        for i, point in enumerate(line.points):
            if point.value is None:
                continue
            dot = (
                f'<circle cx="{_num(left + step * (i + 0.5))}" cy="{_num(y_of(point.value))}" '
                f'r="4.5" fill="{colour}"><title>{escape(point.title)}</title></circle>'
            )
            if point.href:
                dot = f'<a href="{escape(point.href)}">{dot}</a>'
            parts.append(dot)
    parts.append(_x_labels(labels, left=left, step=step, y=top + plot_h + 18))
    legend = [(s.name, s.colour or PALETTE[i % len(PALETTE)]) for i, s in enumerate(series)]
    if target is not None and target_label:
        legend.append((target_label, PALETTE[3]))
    rows = _legend_rows(legend, x=left, width=width - right)
    parts.append(_legend(rows, y=height - 12))
    total = height + LEGEND_ROW * (len(rows) - 1)
    return _frame(
        width=width, height=total, title=title, desc=desc, chart_id=chart_id, body="".join(parts)
    )


def bar_chart(
    *,
    bars: list[Bar],
    names: list[str],
    title: str,
    desc: str = "",
    chart_id: str = "bars",
    width: int = 480,
    height: int = 240,
) -> SafeString:
    """Stacked bars (counts) with a scale from zero to the tallest bar; each part links to
    its rows when given a link."""
    left, right, top, bottom = 44, 10, 12, 52
    plot_w, plot_h = width - left - right, height - top - bottom
    n = max(len(bars), 1)
    step = plot_w / n
    tallest = max((sum(v for _s, v, _h, _t in bar.parts) for bar in bars), default=0)
    y_max = _nice(tallest)

    parts = []
    for tick in range(5):
        value = y_max * tick / 4
        y = top + plot_h * (1 - tick / 4)
        parts.append(
            f'<line x1="{left}" x2="{left + plot_w}" y1="{_num(y)}" y2="{_num(y)}" '
            f'stroke="{GRID}" stroke-width="1"/>'
            f'<text x="{left - 6}" y="{_num(y + 4)}" font-size="13" text-anchor="end" '
            f'fill="{MUTED}">{_num(value)}</text>'
        )
    bar_w = max(2.0, step * 0.7)
    for i, bar in enumerate(bars):
        x = left + step * i + (step - bar_w) / 2
        base = 0.0
        for series, value, href, tip in bar.parts:
            if not value:
                continue
            h = plot_h * value / y_max
            y = top + plot_h * (1 - (base + value) / y_max)
            rect = (
                f'<rect x="{_num(x)}" y="{_num(y)}" width="{_num(bar_w)}" height="{_num(h)}" '
                f'fill="{PALETTE[series % len(PALETTE)]}"><title>{escape(tip)}</title></rect>'
            )
            parts.append(f'<a href="{escape(href)}">{rect}</a>' if href else rect)
            base += value
    parts.append(_x_labels([b.label for b in bars], left=left, step=step, y=top + plot_h + 18))
    legend = [(name, PALETTE[i % len(PALETTE)]) for i, name in enumerate(names)]
    rows = _legend_rows(legend, x=left, width=width - right)
    parts.append(_legend(rows, y=height - 12))
    total = height + LEGEND_ROW * (len(rows) - 1)
    return _frame(
        width=width, height=total, title=title, desc=desc, chart_id=chart_id, body="".join(parts)
    )


def _nice(value: float) -> float:
    """A round upper bound for a count axis (1, 2, 5 × 10ⁿ, at least 4)."""
    if value <= 4:
        return 4.0
    magnitude = 10 ** (len(str(int(value))) - 1)
    for factor in (1, 2, 4, 5, 10):
        if factor * magnitude >= value:
            return float(factor * magnitude)
    return float(10 * magnitude)
