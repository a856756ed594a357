"""Reply by e-mail: one RFC 5322 message from an MTA pipe becomes a reply in its thread.

The new text is cut from the quoted history with ``mail-parser-reply`` (English, German,
… built in; Bosnian, Croatian and Serbian "On … wrote:" lines, Latin and Cyrillic, are
added below), then posted through the forum's own reply use case with the same
permission check (``can_reply``) and approval queue as the web form.

Each outcome has an exit status an MTA understands (``sysexits``) and one log line.
"""

from __future__ import annotations

import html
import logging
import re
from dataclasses import dataclass
from datetime import timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.utils import getaddresses, parseaddr
from html.parser import HTMLParser

from flask import current_app
from flask_babel import lazy_gettext as _l
from mailparser_reply.constants import MAIL_LANGUAGES
from mailparser_reply.parser import EmailMessage as ParsedMail
from sqlalchemy import func, select

from board.extensions import db
from board.models import MailQueue, Post, Thread, User
from board.models.base import utcnow
from board.notifications.tokens import row_for_reply_token
from board.permissions import can_post, can_reply

log = logging.getLogger("board.mail.receive")

EX_OK, EX_DATAERR, EX_NOUSER, EX_TEMPFAIL, EX_NOPERM = 0, 65, 67, 75, 77
TOKEN_DAYS = 30
_ADDRESS = re.compile(r"reply\+([0-9]+x[0-9a-f]{24})@", re.I)

REASONS = {
    "auto_reply": _l("It was an automatic reply."),
    "bounce": _l("It was a delivery failure report."),
    "unknown_token": _l("The reply address is not known."),
    "expired": _l("The reply address has expired; reply on the board instead."),
    "wrong_sender": _l("It came from an address other than your account's."),
    "suspended": _l("Your account is suspended, so you cannot post."),
    "locked": _l("The thread is locked: no new replies can be posted."),
    "not_allowed": _l("You may not reply in this thread."),
    "empty": _l("No new text was found above the quoted message."),
    "too_long": _l("The message is too long."),
    "rate_limited": _l("You have posted too often in a short time; try again later."),
}

_BCS = {
    # "U pon, 1. dec 2026. u 10:00 Amra <a@b.ba> je napisala:" (Gmail in bs/hr/sr-Latn),
    # "Dana 01.12.2026. u 10:00, Amra je napisao:", "Amra <a@b.ba> je napisao/la:",
    # Serbian Cyrillic "… је написао:".
    "wrote_header": r"^((?:> ?)*(?:"
    r"(?:U|Dana|Dne|On)\s.{3,200}?\s(?:je\s)?(?:na)?pisa(?:o|la|o/la|o\(la\))\s?:"
    r"|.{1,200}?\sje\s(?:na)?pisa(?:o|la|o/la|o\(la\))\s?:"
    r"|(?:У|Дана)\s.{3,200}?\s(?:је\s)?(?:на)?писа(?:о|ла)\s?:"
    r"|.{1,200}?\sје\s(?:на)?писа(?:о|ла)\s?:"
    r"))$",
    "from_header": r"((?:(?:^|\n)[* ]*(?:Od|Šalje|Poslano|Poslato|Poslan|Datum|Za|Prima"
    r"|Predmet|Tema|Kopija|Од|Шаље|Послато|Датум|За|Прима|Предмет|Тема):[ *]*(?:\s{,2}).*){2,}"
    r"(?:\n.*){,1})",
    "disclaimers": [r"Napomena o povjerljivosti:", r"POVJERLJIVO:"],
    "signatures": [
        "Srdačan pozdrav",
        "Srdacan pozdrav",
        "Lijep pozdrav",
        "Lep pozdrav",
        "S poštovanjem",
        "S postovanjem",
        "Pozdrav,",
        "Срдачан поздрав",
        "С поштовањем",
    ],
    "sent_from": r"Poslano s mog|Poslato sa mog|Poslano sa mog|Послато са мог",
}
for _code in ("bs", "hr", "sr"):
    MAIL_LANGUAGES.setdefault(_code, _BCS)
LANGUAGES = ["bs", "hr", "sr", "en", "de"]


class ReceiveError(Exception):
    """A message that becomes no post: ``reason`` is one of REASONS, ``status`` an exit code."""

    def __init__(self, reason: str, status: int, *, user: User | None = None, thread=None):
        super().__init__(reason)
        self.reason, self.status, self.user, self.thread = reason, status, user, thread


@dataclass
class Received:
    """A message posted: the new post and what was stripped to get it."""

    post: Post
    text: str


def parse(raw: bytes) -> EmailMessage:
    """The message as Python's modern e-mail API reads it."""
    return message_from_bytes(raw, policy=policy.default)


def reply_token(message: EmailMessage, recipient: str | None = None) -> str | None:
    """The token from ``reply+<token>@…`` in the envelope recipient or the address headers."""
    candidates = [recipient or ""]
    for header in ("Delivered-To", "X-Original-To", "To", "Cc", "Envelope-To"):
        candidates += [address for _name, address in getaddresses(message.get_all(header, []))]
    for candidate in candidates:
        match = _ADDRESS.search(candidate or "")
        if match:
            return match.group(1).lower()
    return None


def _is_auto_reply(message: EmailMessage) -> bool:
    auto = str(message.get("Auto-Submitted", "no")).strip().lower()
    precedence = str(message.get("Precedence", "")).strip().lower()
    return (
        auto not in ("", "no")
        or precedence in ("bulk", "junk", "list", "auto_reply")
        or message.get("X-Autoreply") is not None
        or message.get("X-Autorespond") is not None
    )


def _is_bounce(message: EmailMessage) -> bool:
    sender = parseaddr(str(message.get("From", "")))[1].lower()
    return (
        message.get_content_type() == "multipart/report"
        or sender.startswith(("mailer-daemon@", "postmaster@"))
        or str(message.get("Return-Path", "")).strip() == "<>"
    )


class _HTMLText(HTMLParser):
    """Text of an HTML mail without its quoted part (blockquote, Gmail and Outlook quotes)."""

    QUOTES = ("gmail_quote", "divrplyfwdmsg", "moz-cite-prefix", "yahoo_quoted", "appendonsend")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0
        self.stack: list[bool] = []
        self.stopped = False

    def handle_starttag(self, tag, attrs):
        values = " ".join(str(v).lower() for k, v in attrs if k in ("class", "id", "type"))
        quoting = tag == "blockquote" or any(name in values for name in self.QUOTES)
        if "appendonsend" in values or "divrplyfwdmsg" in values:
            self.stopped = True
        if tag in ("br", "p", "div", "li", "tr", "h1", "h2", "h3"):
            self.parts.append("\n")
        if tag not in ("br", "img", "hr", "meta", "input"):
            self.stack.append(quoting)
            self.skip += quoting

    def handle_endtag(self, tag):
        if tag not in ("br", "img", "hr", "meta", "input") and self.stack:
            self.skip -= self.stack.pop()
        if tag in ("p", "div"):
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skip and not self.stopped:
            self.parts.append(data)


def html_to_text(markup: str) -> str:
    """Visible new text of an HTML-only mail."""
    parser = _HTMLText()
    parser.feed(re.sub(r"(?is)<(script|style|head)\b.*?</\1>", "", markup))
    text = html.unescape("".join(parser.parts))
    return re.sub(r"\n\s*\n+", "\n\n", re.sub(r"[ \t\xa0]+", " ", text)).strip()


def new_text(message: EmailMessage) -> str:
    """What the member wrote above the quoted history, signature and "On … wrote:" line."""
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    content = part.get_content()
    if part.get_content_type() == "text/html":
        content = html_to_text(content)
    content = content.replace("\r\n", "\n")
    parsed = ParsedMail(text=content, languages=list(LANGUAGES), keep_hyphen_lists=True).read()
    return (parsed.replies[0].body if parsed.replies else "").strip()


def receive(raw: bytes, recipient: str | None = None) -> Received:
    """Post the message as a reply; raises ReceiveError saying why not."""
    message = parse(raw)
    if _is_bounce(message):
        raise ReceiveError("bounce", EX_DATAERR)
    if _is_auto_reply(message):
        raise ReceiveError("auto_reply", EX_DATAERR)
    token = reply_token(message, recipient)
    row_id = row_for_reply_token(token) if token else None
    row = db.session.get(MailQueue, row_id) if row_id else None
    if row is None or row.thread_id is None or row.kind != "notification":
        raise ReceiveError("unknown_token", EX_NOUSER)
    user, thread = db.session.get(User, row.user_id), db.session.get(Thread, row.thread_id)
    if row.created_at < utcnow() - timedelta(
        days=int(current_app.config.get("MAIL_REPLY_DAYS", TOKEN_DAYS))
    ):
        raise ReceiveError("expired", EX_NOUSER, user=user, thread=thread)
    sender = parseaddr(str(message.get("From", "")))[1].strip().lower()
    if sender != user.email.lower():
        raise ReceiveError("wrong_sender", EX_NOPERM)
    _authorise(user, thread)
    text = new_text(message)
    if not text:
        raise ReceiveError("empty", EX_DATAERR, user=user, thread=thread)
    if len(text) > int(current_app.config["BODY_MAX"]):
        raise ReceiveError("too_long", EX_DATAERR, user=user, thread=thread)
    from board.forum import service as forum

    post = forum.reply(user, thread, text)  # commits
    return Received(post, text)


def _authorise(user: User, thread: Thread) -> None:
    """The web form's rules, with a reason a member can act on."""
    if user.is_suspended:
        raise ReceiveError("suspended", EX_NOPERM, user=user, thread=thread)
    if not can_reply(user, thread):
        locked = thread.locked or thread.category.archived
        reason = "locked" if locked and can_post(user) else "not_allowed"
        raise ReceiveError(reason, EX_NOPERM, user=user, thread=thread)
    limit = int(current_app.config.get("MAIL_REPLY_PER_HOUR", 30))
    recent = db.session.scalar(
        select(func.count(Post.id)).where(
            Post.author_id == user.id, Post.created_at > utcnow() - timedelta(hours=1)
        )
    )
    if recent >= limit:
        raise ReceiveError("rate_limited", EX_TEMPFAIL, user=user, thread=thread)


def refuse(error: ReceiveError, subject: str) -> None:
    """Tell a known member by mail why their reply was not posted (where it helps)."""
    if error.user is None or error.reason in ("bounce", "auto_reply", "wrong_sender"):
        return
    from board.notifications import mailqueue

    mailqueue.enqueue(
        error.user.id,
        "refusal",
        thread_id=error.thread.id if error.thread is not None else None,
        params={"reason": error.reason, "subject": subject[:200]},
    )
    db.session.commit()
