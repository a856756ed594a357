"""places and profiles: the administrative map, MZs, profile fields, thread places

Revision ID: f0ceab1950ed
Revises: ecfcc20f66fc
Create Date: 2026-12-02 07:55:00

The map itself is data, loaded by ``flask board places load``, which also matches the
free-text municipality and MZ members typed before (kept here as ``*_text``).
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "f0ceab1950ed"
down_revision = "ecfcc20f66fc"
branch_labels = None
depends_on = None

NEW_FUNCTIONS = (
    "president",
    "council",
    "secretary",
    "official",
    "activist",
    "association",
    "other",
)


def upgrade():
    op.create_table(
        "entities",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=8), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("name_cyrillic", sa.String(length=100), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_entities")),
        sa.UniqueConstraint("code", name=op.f("uq_entities_code")),
    )
    op.create_table(
        "cantons",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=64), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("name_cyrillic", sa.String(length=100), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["entity_id"], ["entities.id"], name=op.f("fk_cantons_entity_id_entities")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cantons")),
        sa.UniqueConstraint("slug", name=op.f("uq_cantons_slug")),
    )
    op.create_table(
        "municipalities",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("name_cyrillic", sa.String(length=100), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.Column("canton_id", sa.Integer(), nullable=True),
        sa.Column("is_city", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["canton_id"], ["cantons.id"], name=op.f("fk_municipalities_canton_id_cantons")
        ),
        sa.ForeignKeyConstraint(
            ["entity_id"], ["entities.id"], name=op.f("fk_municipalities_entity_id_entities")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_municipalities")),
        sa.UniqueConstraint("slug", name=op.f("uq_municipalities_slug")),
    )
    with op.batch_alter_table("municipalities", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_municipalities_canton_id"), ["canton_id"])
        batch_op.create_index(batch_op.f("ix_municipalities_entity_id"), ["entity_id"])
    op.create_table(
        "local_communities",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("municipality_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("name_key", sa.String(length=100), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("proposed_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipalities.id"],
            name=op.f("fk_local_communities_municipality_id_municipalities"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["proposed_by_id"],
            ["users.id"],
            name=op.f("fk_local_communities_proposed_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_local_communities")),
        sa.UniqueConstraint(
            "municipality_id", "name_key", name=op.f("uq_local_communities_municipality_id")
        ),
    )
    with op.batch_alter_table("local_communities", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_local_communities_municipality_id"), ["municipality_id"]
        )

    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.alter_column("municipality", new_column_name="municipality_text")
        batch_op.alter_column("mz", new_column_name="mz_text")
        batch_op.add_column(sa.Column("municipality_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("mz_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("bio", sa.Text(), nullable=False, server_default=""))
        batch_op.add_column(
            sa.Column("gender", sa.String(length=12), nullable=False, server_default="undisclosed")
        )
        batch_op.add_column(
            sa.Column("in_directory", sa.Boolean(), nullable=False, server_default=sa.true())
        )
        batch_op.create_index(batch_op.f("ix_users_municipality_id"), ["municipality_id"])
        batch_op.create_foreign_key(
            batch_op.f("fk_users_municipality_id_municipalities"),
            "municipalities",
            ["municipality_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_users_mz_id_local_communities"),
            "local_communities",
            ["mz_id"],
            ["id"],
            ondelete="SET NULL",
        )

    with op.batch_alter_table("threads", schema=None) as batch_op:
        batch_op.add_column(sa.Column("municipality_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_threads_municipality_id"), ["municipality_id"])
        batch_op.create_foreign_key(
            batch_op.f("fk_threads_municipality_id_municipalities"),
            "municipalities",
            ["municipality_id"],
            ["id"],
            ondelete="SET NULL",
        )

    with op.batch_alter_table("posts", schema=None) as batch_op:
        batch_op.create_index(
            "ix_posts_figures",
            ["created_at", "author_id", "approved", "deleted_at", "accepted", "thread_id"],
        )

    # The old list's values all survive ("council" meant member or president; a member
    # who presides can now say so); anything else becomes "other".
    users = sa.table("users", sa.column("function", sa.String))
    op.execute(
        users.update().where(users.c.function.notin_(NEW_FUNCTIONS)).values(function="other")
    )


def downgrade():
    with op.batch_alter_table("posts", schema=None) as batch_op:
        batch_op.drop_index("ix_posts_figures")
    with op.batch_alter_table("threads", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_threads_municipality_id_municipalities"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_threads_municipality_id"))
        batch_op.drop_column("municipality_id")
    users = sa.table("users", sa.column("function", sa.String))
    op.execute(
        users.update()
        .where(users.c.function.in_(("president", "association")))
        .values(function=sa.case((users.c.function == "president", "council"), else_="other"))
    )
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_users_mz_id_local_communities"), type_="foreignkey")
        batch_op.drop_constraint(
            batch_op.f("fk_users_municipality_id_municipalities"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_users_municipality_id"))
        batch_op.drop_column("in_directory")
        batch_op.drop_column("gender")
        batch_op.drop_column("bio")
        batch_op.drop_column("mz_id")
        batch_op.drop_column("municipality_id")
        batch_op.alter_column("mz_text", new_column_name="mz")
        batch_op.alter_column("municipality_text", new_column_name="municipality")
    with op.batch_alter_table("local_communities", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_local_communities_municipality_id"))
    op.drop_table("local_communities")
    with op.batch_alter_table("municipalities", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_municipalities_entity_id"))
        batch_op.drop_index(batch_op.f("ix_municipalities_canton_id"))
    op.drop_table("municipalities")
    op.drop_table("cantons")
    op.drop_table("entities")
