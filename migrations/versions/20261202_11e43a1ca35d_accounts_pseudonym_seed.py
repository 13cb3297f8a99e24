"""Pseudonyms from a random value per person instead of the account id: users.pseudonym_seed,
drawn here for every existing account (and again whenever an account is erased).

Revision ID: 11e43a1ca35d
Revises: 91cbc9a1700a
Create Date: 2026-12-02 13:00:56.517932

"""
import secrets

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '11e43a1ca35d'
down_revision = '91cbc9a1700a'
branch_labels = None
depends_on = None

BATCH = 1000


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('pseudonym_seed', sa.String(length=32), nullable=True))

    # A value from the operating system's random source for each account (SQL's own random()
    # is not fit for a secret), written in batches.
    connection = op.get_bind()
    users = sa.table('users', sa.column('id', sa.Integer), sa.column('pseudonym_seed', sa.String))
    ids = [row[0] for row in connection.execute(sa.select(users.c.id).order_by(users.c.id))]
    for start in range(0, len(ids), BATCH):
        connection.execute(
            users.update()
            .where(users.c.id == sa.bindparam('user_id'))
            .values(pseudonym_seed=sa.bindparam('seed')),
            [{'user_id': i, 'seed': secrets.token_hex(16)} for i in ids[start : start + BATCH]],
        )

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.alter_column('pseudonym_seed', existing_type=sa.String(length=32), nullable=False)


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('pseudonym_seed')
