"""``/admin/stats`` and ``/admin/stats.csv``: admins see the whole board, association
moderators the figures of their own categories."""

from __future__ import annotations

import csv
import io

from flask import Response, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from board.extensions import login_manager
from board.i18n import in_reader_script
from board.permissions import can_view_stats, is_admin, moderated_category_ids, require
from board.profile import FUNCTION_CHOICES, GENDER_CHOICES
from board.stats import bp, service
from board.stats.svg import bar_chart, column_chart

SERIES_TITLES = {
    "members": _l("New members"),
    "active_posters": _l("Active posters"),
    "threads": _l("Threads"),
    "posts": _l("Posts"),
    "accepted": _l("Accepted answers"),
    "documents": _l("Documents"),
}
BREAKDOWN_TITLES = {
    "entity": _l("Active posters by entity"),
    "canton": _l("Active posters by canton (Federation)"),
    "function": _l("Active posters by role"),
    "gender": _l("Active posters by gender"),
}


def _figures() -> tuple[service.Figures, int]:
    if not current_user.is_authenticated:
        return None, 0
    require(can_view_stats(current_user))
    months = request.args.get("months", "12")
    months = int(months) if months.isdigit() and int(months) in service.PERIODS else 12
    scope = None if is_admin(current_user) else moderated_category_ids(current_user)
    figures = service.figures(scope, months)
    _label(figures)
    return figures, months


def _label(figures: service.Figures) -> None:
    """Readable labels for the breakdowns' keys, in the reader's language."""
    names = {
        "function": {k: str(v) for k, v in FUNCTION_CHOICES},
        "gender": {k: str(v) for k, v in GENDER_CHOICES},
    }
    for name, cells in figures.breakdowns.items():
        for cell in cells:
            if name in names:
                cell.label = names[name].get(cell.key, cell.key) or _("Not set")
            else:  # place names (entity, canton) are data, shown in the reader's script
                cell.label = in_reader_script(cell.key) if cell.key else _("Not set")


@bp.get("/admin/stats")
def stats():
    figures, months = _figures()
    if figures is None:
        return login_manager.unauthorized()
    charts = {
        name: column_chart(cells, str(SERIES_TITLES[name]), f"chart-{name}")
        for name, cells in figures.monthly.items()
    }
    bars = {
        name: bar_chart(cells, str(BREAKDOWN_TITLES[name]), f"chart-{name}")
        for name, cells in figures.breakdowns.items()
    }
    return render_template(
        "stats/stats.html",
        figures=figures,
        months=months,
        periods=service.PERIODS,
        charts=charts,
        bars=bars,
        series_titles=SERIES_TITLES,
        breakdown_titles=BREAKDOWN_TITLES,
        whole_board=is_admin(current_user),
    )


@bp.get("/admin/stats.csv")
def stats_csv():
    figures, months = _figures()
    if figures is None:
        return login_manager.unauthorized()
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["table", "key", "label", "value"])
    for name, cells in figures.monthly.items():
        for cell in cells:
            writer.writerow([name, cell.key, cell.key, _value(cell)])
    for name, cells in figures.breakdowns.items():
        for cell in cells:
            writer.writerow([name, cell.key, cell.label, _value(cell)])
    share = "<5" if figures.women_share is None else f"{figures.women_share:.3f}"
    writer.writerow(["summary", "women_share_of_active_posters", "", share])
    for municipality in figures.quiet_municipalities:
        writer.writerow(["no_active_member", municipality.slug, municipality.name, 0])
    return Response(
        out.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="mreza-stats-{months}m.csv"'},
    )


def _value(cell: service.Cell) -> str:
    return "<5" if cell.value is None else str(cell.value)
