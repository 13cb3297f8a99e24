"""indicator readings from a repeated question

Revision ID: b7d2c4e9a1f3
Revises: e5c962582e70
Create Date: 2026-12-02 18:35:00

"""

import sqlalchemy as sa
from alembic import op

revision = "b7d2c4e9a1f3"
down_revision = "e5c962582e70"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("indicators", schema=None) as batch_op:
        batch_op.add_column(sa.Column("question_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("question_answers", sa.JSON(), nullable=True))
        batch_op.create_index(batch_op.f("ix_indicators_question_id"), ["question_id"])
        batch_op.create_foreign_key(
            batch_op.f("fk_indicators_question_id_questions"),
            "questions",
            ["question_id"],
            ["id"],
            ondelete="SET NULL",
        )
    with op.batch_alter_table("indicator_readings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("people", sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table("indicator_readings", schema=None) as batch_op:
        batch_op.drop_column("people")
    with op.batch_alter_table("indicators", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_indicators_question_id_questions"), "foreignkey")
        batch_op.drop_index(batch_op.f("ix_indicators_question_id"))
        batch_op.drop_column("question_answers")
        batch_op.drop_column("question_id")
