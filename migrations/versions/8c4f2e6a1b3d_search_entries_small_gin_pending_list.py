"""search entries: a small GIN pending list on PostgreSQL

New entries wait in the GIN index's pending list (fastupdate) until a vacuum or until
the list reaches ``gin_pending_list_limit`` (4 MB by default); every index probe reads
the whole list. Right after a full reindex the typo lookup (hundreds of probes) took
444 ms against 15 ms with an empty list. 256 kB bounds that at a few milliseconds and
still batches the writes of a drain. Nothing to do on SQLite.

Revision ID: 8c4f2e6a1b3d
Revises: 5b1e0c2d9a7f
Create Date: 2026-11-27 06:14:00

"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "8c4f2e6a1b3d"
down_revision = "5b1e0c2d9a7f"
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER INDEX ix_search_entries_terms SET (gin_pending_list_limit = 256)")


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER INDEX ix_search_entries_terms RESET (gin_pending_list_limit)")
