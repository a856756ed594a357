"""Bar charts as SVG markup, drawn on the server: no JavaScript, readable in print.

Only numbers and escaped labels go into the markup; a suppressed cell is drawn as a
hatched stub with "<5", never as its value.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from board.stats.service import Cell

WIDTH = 640
BAR_GAP = 4


def _top(cells: list[Cell]) -> int:
    """The largest value drawn (suppressed cells count as none); at least 1, to divide by."""
    return max((c.value or 0 for c in cells), default=0) or 1


def _svg(body: list[str], title: str, chart_id: str, height: int) -> Markup:
    """The chart's ``<svg>`` with its accessible title around ``body``."""
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {WIDTH} {height}" aria-labelledby="{chart_id}-title">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        *body,
        "</svg>",
    ]
    return Markup("".join(parts))  # noqa: S704 (numbers and escaped text only)


def column_chart(cells: list[Cell], title: str, chart_id: str, height: int = 160) -> Markup:
    """Vertical bars, one per month, with the month under every bar."""
    top = _top(cells)
    slot = (WIDTH - 40) / max(len(cells), 1)
    parts = [
        f'<line x1="30" y1="{height}" x2="{WIDTH}" y2="{height}" stroke="#555"/>',
        f'<text x="0" y="12" font-size="11" fill="#333">{top}</text>',
    ]
    for i, cell in enumerate(cells):
        x = 34 + i * slot
        w = max(slot - BAR_GAP, 1)
        if cell.value is None:
            parts.append(
                f'<rect x="{x:.1f}" y="{height - 12}" width="{w:.1f}" height="12" fill="#ccc"'
                f' stroke="#888" stroke-dasharray="2 2"><title>{escape(cell.key)}: &lt;5</title></rect>'
            )
        else:
            h = (cell.value / top) * (height - 20)
            parts.append(
                f'<rect x="{x:.1f}" y="{height - h:.1f}" width="{w:.1f}" height="{h:.1f}" '
                f'fill="#2b6cb0"><title>{escape(cell.key)}: {cell.value}</title></rect>'
            )
        parts.append(
            f'<text x="{x + w / 2:.1f}" y="{height + 14}" font-size="9" text-anchor="middle" '
            f'fill="#333">{escape(cell.key[2:])}</text>'
        )
    return _svg(parts, title, chart_id, height + 40)


def bar_chart(cells: list[Cell], title: str, chart_id: str) -> Markup:
    """Horizontal bars, one per group, label on the left and value on the right."""
    row = 20
    height = row * max(len(cells), 1) + 10
    top = _top(cells)
    parts = []
    for i, cell in enumerate(cells):
        y = 5 + i * row
        label = escape(cell.label or cell.key)
        parts.append(f'<text x="0" y="{y + 13}" font-size="11" fill="#333">{label}</text>')
        if cell.value is None:
            parts.append(
                f'<rect x="220" y="{y + 3}" width="20" height="{row - 6}" fill="#ccc" '
                f'stroke="#888" stroke-dasharray="2 2"/>'
                f'<text x="246" y="{y + 13}" font-size="11" fill="#333">&lt;5</text>'
            )
        else:
            w = (cell.value / top) * (WIDTH - 280)
            parts.append(
                f'<rect x="220" y="{y + 3}" width="{w:.1f}" height="{row - 6}" fill="#2b6cb0"/>'
                f'<text x="{226 + w:.1f}" y="{y + 13}" font-size="11" fill="#333">{cell.value}</text>'
            )
    return _svg(parts, title, chart_id, height)
