"""thread_reads: how far each member has read each thread (unread counts)

Revision ID: 3b7c2e9d41a0
Revises: fe47511db825
Create Date: 2026-12-02 14:10:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "3b7c2e9d41a0"
down_revision = "fe47511db825"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "thread_reads",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("thread_id", sa.Integer(), nullable=False),
        sa.Column("last_read_post_id", sa.Integer(), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["thread_id"], ["threads.id"], name=op.f("fk_thread_reads_thread_id_threads"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_thread_reads_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", "thread_id", name=op.f("pk_thread_reads")),
    )  # fmt: skip
    op.create_index(op.f("ix_thread_reads_thread_id"), "thread_reads", ["thread_id"], unique=False)


def downgrade():
    op.drop_index(op.f("ix_thread_reads_thread_id"), table_name="thread_reads")
    op.drop_table("thread_reads")
