"""staged uploads: files kept from a post form that was refused

Revision ID: fdaffecdfae0
Revises: 8c4f2e6a1b3d
Create Date: 2026-11-27 07:46:22

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "fdaffecdfae0"
down_revision = "8c4f2e6a1b3d"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "staged_uploads",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_staged_uploads_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staged_uploads")),
        sa.UniqueConstraint("token", name=op.f("uq_staged_uploads_token")),
    )
    with op.batch_alter_table("staged_uploads", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_staged_uploads_created_at"), ["created_at"])
        batch_op.create_index(batch_op.f("ix_staged_uploads_sha256"), ["sha256"])
        batch_op.create_index(batch_op.f("ix_staged_uploads_user_id"), ["user_id"])


def downgrade():
    with op.batch_alter_table("staged_uploads", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_staged_uploads_user_id"))
        batch_op.drop_index(batch_op.f("ix_staged_uploads_sha256"))
        batch_op.drop_index(batch_op.f("ix_staged_uploads_created_at"))
    op.drop_table("staged_uploads")
