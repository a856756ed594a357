"""search entries: narrow heap rows on PostgreSQL

Matching a common word visits the heap row of every match (the GIN index holds no
other column). Moving the tsvector and body to TOAST (``toast_tuple_target``) keeps
rows around 500 bytes instead of about 1.3 KB, which measured 2.4x faster for a word in
half of 100,000 posts (bench/RESULTS.md). Nothing to do on SQLite.

Revision ID: 5b1e0c2d9a7f
Revises: 1774e89644ad
Create Date: 2026-11-27 05:52:00

"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "5b1e0c2d9a7f"
down_revision = "1774e89644ad"
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE search_entries SET (toast_tuple_target = 256)")


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE search_entries RESET (toast_tuple_target)")
