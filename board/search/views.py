"""``/search`` and ``/api/v1/search``: read the parameters, call the service, respond.

Bad parameters get a clear message and a 400, an index that cannot answer a 503 page;
neither ever becomes a 500.
"""

from __future__ import annotations

from flask import jsonify, render_template, request
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from board import ratelimits
from board.search import bp, service
from board.search.forms import SearchForm


def _form() -> SearchForm:
    form = SearchForm(formdata=request.args)
    choices = [SelectChoice(c.slug, c.name) for c in service.readable_categories(current_user)]
    form.category.choices = [SelectChoice("", _("All categories")), *choices]
    return form


def _link_args() -> dict[str, str]:
    """The current parameters minus the page, for pagination and "did you mean" links."""
    return {k: v for k, v in request.args.items() if k != "page" and v}


@bp.get("/search")
@ratelimits.searching
@ratelimits.searching_address
def search():
    form = _form()
    context = {"form": form, "results": None, "authors": [], "link_args": _link_args()}
    if not form.validate():
        return render_template("search/search.html", **context), 400
    try:
        context["results"] = service.search(current_user, form.params())
    except service.SearchInputError as error:
        form[error.field].errors = [error.message]
        context["authors"] = error.choices
        return render_template("search/search.html", **context), 400
    except service.SearchUnavailableError:
        return render_template("search/search.html", unavailable=True, **context), 503
    return render_template("search/search.html", **context)


def _api_error(status: int, errors: dict[str, list[str]]):
    message = " ".join(str(m) for messages in errors.values() for m in messages)
    title = _("Bad request") if status == 400 else _("Search is unavailable")
    return jsonify(
        {
            "error": title,
            "message": message,
            "errors": {k: [str(m) for m in v] for k, v in errors.items()},
        }
    ), status


@bp.get("/api/v1/search")
@ratelimits.searching
@ratelimits.searching_address
def api_search():
    form = _form()
    if not form.validate():
        return _api_error(400, {form[name].name: msgs for name, msgs in form.errors.items()})
    try:
        results = service.search(current_user, form.params())
    except service.SearchInputError as error:
        return _api_error(400, {error.field: [error.message]})
    except service.SearchUnavailableError:
        return _api_error(503, {"q": [_("Search is unavailable right now; try again soon.")]})
    return jsonify(
        {
            "total": results.total,
            "page": results.page,
            "results": [r.to_json() for r in results.results],
        }
    )
