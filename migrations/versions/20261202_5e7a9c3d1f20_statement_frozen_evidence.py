"""statement versions keep the evidence frozen when they were agreed

Revision ID: 5e7a9c3d1f20
Revises: 11e43a1ca35d
Create Date: 2026-12-02 14:10:00.000000

Versions agreed before this keep no snapshot: their pages read the evidence live, as before.
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "5e7a9c3d1f20"
down_revision = "11e43a1ca35d"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("statement_versions") as batch_op:
        batch_op.add_column(sa.Column("evidence", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("evidence_frozen_at", sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table("statement_versions") as batch_op:
        batch_op.drop_column("evidence_frozen_at")
        batch_op.drop_column("evidence")
