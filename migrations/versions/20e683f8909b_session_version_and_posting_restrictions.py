"""session version on users; posting restrictions scoped to an association

Revision ID: 20e683f8909b
Revises: fdaffecdfae0
Create Date: 2026-12-02 08:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "20e683f8909b"
down_revision = "fdaffecdfae0"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("session_version", sa.Integer(), server_default="0", nullable=False)
        )
    op.create_table(
        "posting_restrictions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("association_id", sa.Integer(), nullable=False),
        sa.Column("until", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("moderator_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["association_id"], ["associations.id"],
            name=op.f("fk_posting_restrictions_association_id_associations"), ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["moderator_id"], ["users.id"],
            name=op.f("fk_posting_restrictions_moderator_id_users"), ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"],
            name=op.f("fk_posting_restrictions_user_id_users"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_posting_restrictions")),
        sa.UniqueConstraint(
            "user_id", "association_id", name=op.f("uq_posting_restrictions_user_id")
        ),
    )  # fmt: skip
    with op.batch_alter_table("posting_restrictions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_posting_restrictions_user_id"), ["user_id"])
        batch_op.create_index(
            batch_op.f("ix_posting_restrictions_association_id"), ["association_id"]
        )


def downgrade():
    with op.batch_alter_table("posting_restrictions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_posting_restrictions_association_id"))
        batch_op.drop_index(batch_op.f("ix_posting_restrictions_user_id"))
    op.drop_table("posting_restrictions")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("session_version")
