"""Idea list indexes: one per sort, covering the list's filter, so deep pages are cheap

Revision ID: b23bb42ad99d
Revises: 77b555372008
Create Date: 2026-11-23 17:16:16.885764

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b23bb42ad99d'
down_revision = '77b555372008'
branch_labels = None
depends_on = None

DIVISIVE = [
    sa.text("consultation_id"),
    sa.text("(CASE WHEN agree_count < disagree_count THEN agree_count ELSE disagree_count END)"),
    sa.text("(agree_count + disagree_count)"),
    sa.text("id"),
    sa.text("visibility"),
]


def upgrade():
    with op.batch_alter_table('ideas', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ideas_consultation_created'))
        batch_op.create_index('ix_ideas_list_agreed', ['consultation_id', 'agree_count', 'created_at', 'id', 'visibility'], unique=False)
        batch_op.create_index('ix_ideas_list_discussed', ['consultation_id', 'comment_count', 'created_at', 'id', 'visibility'], unique=False)
        batch_op.create_index('ix_ideas_list_newest', ['consultation_id', 'created_at', 'id', 'visibility'], unique=False)
    op.create_index('ix_ideas_list_divisive', 'ideas', DIVISIVE, unique=False)


def downgrade():
    op.drop_index('ix_ideas_list_divisive', table_name='ideas')
    with op.batch_alter_table('ideas', schema=None) as batch_op:
        batch_op.drop_index('ix_ideas_list_newest')
        batch_op.drop_index('ix_ideas_list_discussed')
        batch_op.drop_index('ix_ideas_list_agreed')
        batch_op.create_index(batch_op.f('ix_ideas_consultation_created'), ['consultation_id', 'created_at'], unique=False)
