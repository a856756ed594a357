"""initiatives, their supporters and events; good practice and its tags

Revision ID: fe47511db825
Revises: a54301324043
Create Date: 2026-12-02 08:45:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "fe47511db825"
down_revision = "a54301324043"
branch_labels = None
depends_on = None

WHEN = sa.DateTime(timezone=True)


def upgrade():
    op.create_table(
        "initiatives",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("thread_id", sa.Integer(), nullable=False),
        sa.Column("level", sa.String(length=16), nullable=False),
        sa.Column("addressee", sa.String(length=200), nullable=False),
        sa.Column("legal_basis", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("outcome", sa.String(length=12), nullable=True),
        sa.Column("reference", sa.String(length=100), nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("submitted_at", WHEN, nullable=True),
        sa.Column("answered_at", WHEN, nullable=True),
        sa.Column("closed_at", WHEN, nullable=True),
        sa.ForeignKeyConstraint(
            ["thread_id"], ["threads.id"], name=op.f("fk_initiatives_thread_id_threads"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_initiatives")),
        sa.UniqueConstraint("thread_id", name=op.f("uq_initiatives_thread_id")),
    )  # fmt: skip
    with op.batch_alter_table("initiatives", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_initiatives_status"), ["status"])
        batch_op.create_index(batch_op.f("ix_initiatives_created_at"), ["created_at"])

    op.create_table(
        "initiative_coauthors",
        sa.Column("initiative_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["initiative_id"], ["initiatives.id"],
            name=op.f("fk_initiative_coauthors_initiative_id_initiatives"), ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_initiative_coauthors_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("initiative_id", "user_id", name=op.f("pk_initiative_coauthors")),
    )  # fmt: skip

    op.create_table(
        "initiative_supports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("initiative_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("on_behalf", sa.String(length=8), nullable=False),
        sa.Column("function", sa.String(length=20), nullable=False),
        sa.Column("mz_id", sa.Integer(), nullable=True),
        sa.Column("municipality_id", sa.Integer(), nullable=True),
        sa.Column("created_at", WHEN, nullable=False),
        sa.ForeignKeyConstraint(
            ["initiative_id"], ["initiatives.id"],
            name=op.f("fk_initiative_supports_initiative_id_initiatives"), ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_initiative_supports_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["mz_id"], ["local_communities.id"],
            name=op.f("fk_initiative_supports_mz_id_local_communities"), ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["municipality_id"], ["municipalities.id"],
            name=op.f("fk_initiative_supports_municipality_id_municipalities"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_initiative_supports")),
        sa.UniqueConstraint(
            "initiative_id", "user_id", name=op.f("uq_initiative_supports_initiative_id")
        ),
    )  # fmt: skip
    with op.batch_alter_table("initiative_supports", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_initiative_supports_initiative_id"), ["initiative_id"])
        batch_op.create_index(batch_op.f("ix_initiative_supports_user_id"), ["user_id"])

    op.create_table(
        "initiative_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("initiative_id", sa.Integer(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("from_status", sa.String(length=12), nullable=False),
        sa.Column("to_status", sa.String(length=12), nullable=False),
        sa.Column("outcome", sa.String(length=12), nullable=True),
        sa.Column("reference", sa.String(length=100), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("post_id", sa.Integer(), nullable=True),
        sa.Column("created_at", WHEN, nullable=False),
        sa.ForeignKeyConstraint(
            ["initiative_id"], ["initiatives.id"],
            name=op.f("fk_initiative_events_initiative_id_initiatives"), ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["users.id"], name=op.f("fk_initiative_events_actor_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["post_id"], ["posts.id"], name=op.f("fk_initiative_events_post_id_posts"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_initiative_events")),
    )  # fmt: skip
    with op.batch_alter_table("initiative_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_initiative_events_initiative_id"), ["initiative_id"])

    op.create_table(
        "practices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("thread_id", sa.Integer(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("tags", sa.Text(), nullable=False),
        sa.Column("marked_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", WHEN, nullable=False),
        sa.ForeignKeyConstraint(
            ["thread_id"], ["threads.id"], name=op.f("fk_practices_thread_id_threads"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["marked_by_id"], ["users.id"], name=op.f("fk_practices_marked_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_practices")),
        sa.UniqueConstraint("thread_id", name=op.f("uq_practices_thread_id")),
    )  # fmt: skip
    with op.batch_alter_table("practices", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_practices_created_at"), ["created_at"])

    op.create_table(
        "practice_tags",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("category_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.ForeignKeyConstraint(
            ["category_id"], ["categories.id"], name=op.f("fk_practice_tags_category_id_categories"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_practice_tags")),
        sa.UniqueConstraint("category_id", "name", name=op.f("uq_practice_tags_category_id")),
    )  # fmt: skip
    with op.batch_alter_table("practice_tags", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_practice_tags_category_id"), ["category_id"])


def downgrade():
    op.drop_table("practice_tags")
    op.drop_table("practices")
    op.drop_table("initiative_events")
    op.drop_table("initiative_supports")
    op.drop_table("initiative_coauthors")
    op.drop_table("initiatives")
