"""audit log: an entry's actor may be the command line (no account)

The ``flask board associations create`` / ``categories assign`` / ``users create``
commands go through the admin use cases and leave the same audit lines as the admin
pages; the server operator who runs them has no account, so ``actor_id`` is NULL there.
Downgrading fails while such lines exist (the audit log is never rewritten).

Revision ID: 0c16045542a5
Revises: 3b7e9c41d2a6
Create Date: 2026-12-02 07:50:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0c16045542a5"
down_revision = "3b7e9c41d2a6"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("moderation_actions", schema=None) as batch_op:
        batch_op.alter_column("actor_id", existing_type=sa.Integer(), nullable=True)


def downgrade():
    with op.batch_alter_table("moderation_actions", schema=None) as batch_op:
        batch_op.alter_column("actor_id", existing_type=sa.Integer(), nullable=False)
