"""reader's script: users.script, and users.locale long enough for sr_Latn

Revision ID: 3b7e9c41d2a6
Revises: f0ceab1950ed
Create Date: 2026-12-02 07:45:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "3b7e9c41d2a6"
down_revision = "f0ceab1950ed"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.alter_column(
            "locale",
            existing_type=sa.String(length=5),
            type_=sa.String(length=16),
            existing_nullable=True,
        )
        batch_op.add_column(sa.Column("script", sa.String(length=16), nullable=True))


def downgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("script")
        batch_op.alter_column(
            "locale",
            existing_type=sa.String(length=16),
            type_=sa.String(length=5),
            existing_nullable=True,
        )
