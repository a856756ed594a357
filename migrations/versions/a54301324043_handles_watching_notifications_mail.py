"""handles, watching, richer notifications, the mail queue and digests

Revision ID: a54301324043
Revises: 0c16045542a5
Create Date: 2026-12-02 07:45:00

Existing accounts get a handle derived from their display name (Cyrillic to Latin,
diacritics folded, lower case, words joined by dots, a number added on collision).
"""

import re
import unicodedata

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "a54301324043"
down_revision = "0c16045542a5"
branch_labels = None
depends_on = None

_CYRILLIC = dict(
    zip(
        "абвгдђежзијклљмнњопрстћуфхцчџш",
        "a b v g d đ e ž z i j k l lj m n nj o p r s t ć u f h c č dž š".split(),
        strict=True,
    )
)
_FOLD = str.maketrans({"č": "c", "ć": "c", "ž": "z", "š": "s", "đ": "dj"})


def _base(name: str) -> str:
    """A frozen copy of board.notifications.handles.base_handle (migrations do not import
    application code that may change)."""
    text = "".join(_CYRILLIC.get(c, c) for c in (name or "").lower()).translate(_FOLD)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    text = re.sub(r"[^a-z0-9._-]+", ".", text)
    text = re.sub(r"[._-]{2,}", ".", text).strip("._-")[:30].strip("._-")
    if not re.search(r"[a-z]", text):
        text = f"clan{text}" if text else "clan"
    return text if len(text) >= 3 else (text + "clan")[:30]


def _handles(rows) -> dict[int, str]:
    taken: set[str] = set()
    result = {}
    for user_id, name in rows:
        base = candidate = _base(name)
        n = 2
        while candidate in taken:
            candidate = f"{base[: 30 - len(str(n))]}{n}"
            n += 1
        taken.add(candidate)
        result[user_id] = candidate
    return result


def upgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("handle", sa.String(length=30), nullable=True))
        batch_op.add_column(
            sa.Column("email_mode", sa.String(length=8), nullable=False, server_default="each")
        )
    connection = op.get_bind()
    users = sa.table(
        "users", sa.column("id", sa.Integer), sa.column("display_name"), sa.column("handle")
    )
    rows = connection.execute(sa.select(users.c.id, users.c.display_name).order_by(users.c.id))
    for user_id, handle in _handles(rows.all()).items():
        connection.execute(users.update().where(users.c.id == user_id).values(handle=handle))
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.alter_column("handle", existing_type=sa.String(length=30), nullable=False)
        batch_op.create_unique_constraint(batch_op.f("uq_users_handle"), ["handle"])

    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.add_column(sa.Column("actor_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("thread_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("post_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("count", sa.Integer(), nullable=False, server_default="1"))
        batch_op.create_foreign_key(
            batch_op.f("fk_notifications_actor_id_users"), "users", ["actor_id"], ["id"],
            ondelete="SET NULL",
        )  # fmt: skip
        batch_op.create_foreign_key(
            batch_op.f("fk_notifications_thread_id_threads"), "threads", ["thread_id"], ["id"],
            ondelete="CASCADE",
        )  # fmt: skip
        batch_op.create_foreign_key(
            batch_op.f("fk_notifications_post_id_posts"), "posts", ["post_id"], ["id"],
            ondelete="CASCADE",
        )  # fmt: skip
        batch_op.create_index("ix_notifications_thread_id_user_id", ["thread_id", "user_id"])
        batch_op.create_index(batch_op.f("ix_notifications_post_id"), ["post_id"])
        batch_op.create_index("ix_notifications_user_id_read_at", ["user_id", "read_at"])

    op.create_table(
        "watches",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("thread_id", sa.Integer(), nullable=True),
        sa.Column("category_id", sa.Integer(), nullable=True),
        sa.Column("level", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_watches_user_id_users"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["thread_id"],
            ["threads.id"],
            name=op.f("fk_watches_thread_id_threads"),
            ondelete="CASCADE",
        ),  # fmt: skip
        sa.ForeignKeyConstraint(
            ["category_id"],
            ["categories.id"],
            name=op.f("fk_watches_category_id_categories"),
            ondelete="CASCADE",
        ),  # fmt: skip
        sa.PrimaryKeyConstraint("id", name=op.f("pk_watches")),
        sa.UniqueConstraint("user_id", "thread_id", name="uq_watches_user_id_thread_id"),
        sa.UniqueConstraint("user_id", "category_id", name="uq_watches_user_id_category_id"),
    )
    with op.batch_alter_table("watches", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_watches_user_id"), ["user_id"])
        batch_op.create_index(batch_op.f("ix_watches_thread_id"), ["thread_id"])
        batch_op.create_index(batch_op.f("ix_watches_category_id"), ["category_id"])

    op.create_table(
        "mail_queue",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("notification_id", sa.Integer(), nullable=True),
        sa.Column("thread_id", sa.Integer(), nullable=True),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.Column("message_id", sa.String(length=128), nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("send_after", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_mail_queue_user_id_users"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["notification_id"],
            ["notifications.id"],
            name=op.f("fk_mail_queue_notification_id_notifications"),
            ondelete="SET NULL",
        ),  # fmt: skip
        sa.ForeignKeyConstraint(
            ["thread_id"],
            ["threads.id"],
            name=op.f("fk_mail_queue_thread_id_threads"),
            ondelete="CASCADE",
        ),  # fmt: skip
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mail_queue")),
        sa.UniqueConstraint("message_id", name=op.f("uq_mail_queue_message_id")),
    )
    with op.batch_alter_table("mail_queue", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_mail_queue_user_id"), ["user_id"])
        batch_op.create_index("ix_mail_queue_thread_id_user_id", ["thread_id", "user_id"])
        batch_op.create_index("ix_mail_queue_status_send_after", ["status", "send_after"])

    op.create_table(
        "digest_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(length=8), nullable=False),
        sa.Column("period_key", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_digest_runs_user_id_users"),
            ondelete="CASCADE",
        ),  # fmt: skip
        sa.PrimaryKeyConstraint("id", name=op.f("pk_digest_runs")),
        sa.UniqueConstraint("user_id", "period", "period_key", name=op.f("uq_digest_runs_user_id")),
    )
    with op.batch_alter_table("digest_runs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_digest_runs_user_id"), ["user_id"])

    op.create_table(
        "handle_aliases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("handle", sa.String(length=30), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_handle_aliases_user_id_users"),
            ondelete="CASCADE",
        ),  # fmt: skip
        sa.PrimaryKeyConstraint("id", name=op.f("pk_handle_aliases")),
        sa.UniqueConstraint("handle", name=op.f("uq_handle_aliases_handle")),
    )
    with op.batch_alter_table("handle_aliases", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_handle_aliases_user_id"), ["user_id"])


def downgrade():
    op.drop_table("handle_aliases")
    op.drop_table("digest_runs")
    op.drop_table("mail_queue")
    op.drop_table("watches")
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.drop_index("ix_notifications_user_id_read_at")
        batch_op.drop_index(batch_op.f("ix_notifications_post_id"))
        batch_op.drop_index("ix_notifications_thread_id_user_id")
        batch_op.drop_constraint(batch_op.f("fk_notifications_post_id_posts"), type_="foreignkey")
        batch_op.drop_constraint(
            batch_op.f("fk_notifications_thread_id_threads"), type_="foreignkey"
        )
        batch_op.drop_constraint(batch_op.f("fk_notifications_actor_id_users"), type_="foreignkey")
        batch_op.drop_column("count")
        batch_op.drop_column("post_id")
        batch_op.drop_column("thread_id")
        batch_op.drop_column("actor_id")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_users_handle"), type_="unique")
        batch_op.drop_column("email_mode")
        batch_op.drop_column("handle")
