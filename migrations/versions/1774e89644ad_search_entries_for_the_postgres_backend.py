"""search entries for the postgres backend

One table serves both databases so the metadata and the migration chain stay the same:
on PostgreSQL ``terms`` is a ``tsvector`` with a GIN index (the scale-out search
backend); on SQLite it is a plain, unused table (``terms`` a nullable TEXT column, the
index an ordinary one), which keeps ``flask db migrate`` quiet there.

Revision ID: 1774e89644ad
Revises: 433a77c9ee7a
Create Date: 2026-11-27 04:32:54.614739

"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision = "1774e89644ad"
down_revision = "433a77c9ee7a"
branch_labels = None
depends_on = None

TERMS = sa.Text().with_variant(postgresql.TSVECTOR(), "postgresql")


def upgrade():
    op.create_table(
        "search_entries",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("type", sa.String(length=16), nullable=False),
        sa.Column("version", sa.String(length=64), nullable=False),
        sa.Column("thread_id", sa.Integer(), nullable=False),
        sa.Column("post_id", sa.Integer(), nullable=False),
        sa.Column("category_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("author", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("is_first", sa.Boolean(), nullable=False),
        sa.Column("accepted", sa.Boolean(), nullable=False),
        sa.Column("solved", sa.Boolean(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=True),
        sa.Column("page", sa.Integer(), nullable=True),
        sa.Column("doc_type", sa.String(length=32), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("terms", TERMS, nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_entries")),
    )
    with op.batch_alter_table("search_entries", schema=None) as batch_op:
        for column in ("author_id", "category_id", "created_at", "document_id"):
            batch_op.create_index(batch_op.f(f"ix_search_entries_{column}"), [column])
        # GIN on PostgreSQL; SQLite ignores postgresql_using and builds a plain index.
        batch_op.create_index("ix_search_entries_terms", ["terms"], postgresql_using="gin")


def downgrade():
    op.drop_table("search_entries")
