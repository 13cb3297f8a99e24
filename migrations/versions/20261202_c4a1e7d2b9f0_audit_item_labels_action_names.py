"""audit log: item names kept with each event; action names in the noun.verb form

Revision ID: c4a1e7d2b9f0
Revises: b23bb42ad99d
Create Date: 2026-12-02 07:50:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "c4a1e7d2b9f0"
down_revision = "b23bb42ad99d"
branch_labels = None
depends_on = None

# Written out (not imported from kil_consult.audit.actions) so this migration keeps meaning
# what it meant when it was written.
RENAMED = {
    "publish": "item.publish",
    "hide": "item.hide",
    "restore": "item.restore",
    "dismiss_reports": "item.dismiss_reports",
    "merge": "idea.merge",
    "undo_merge": "idea.undo_merge",
    "edit_hide_reason": "hide_reason.edit",
    "change_role": "user.change_role",
    "erase_account": "account.erase",
    "purge_unconfirmed": "account.purge_unconfirmed",
    "edit_consultation": "consultation.edit",
    "open_consultation": "consultation.open",
    "close_consultation": "consultation.close",
    "record_event": "offline.record_event",
    "enter_offline_idea": "offline.enter_idea",
    "statement.review": "statement.open_review",
    "commitment.status": "commitment.change_status",
}

audit_events = sa.table("audit_events", sa.column("action", sa.String))


def _rename(names: dict) -> None:
    for old, new in names.items():
        op.execute(audit_events.update().where(audit_events.c.action == old).values(action=new))


def upgrade():
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("item_label", sa.String(length=200), server_default="", nullable=False)
        )
    _rename(RENAMED)


def downgrade():
    _rename({new: old for old, new in RENAMED.items()})
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.drop_column("item_label")
