"""Search of ideas and comments: a stored, generated tsvector column with a GIN index on each
(PostgreSQL), or FTS5 tables kept in step by triggers (SQLite), filled from what is stored.

The columns are not in the models (kil_consult/ideas/search.py reads them by name, and
extensions.include_object leaves them out of the drift check).

Revision ID: d7e4a1c9b5f2
Revises: 5e7a9c3d1f20
Create Date: 2026-12-02 13:40:00

"""
from alembic import op


revision = "d7e4a1c9b5f2"
down_revision = "5e7a9c3d1f20"
branch_labels = None
depends_on = None

IDEA_VECTOR = (
    "setweight(to_tsvector('english'::regconfig, title), 'A') || "
    "setweight(to_tsvector('english'::regconfig, body), 'B')"
)
COMMENT_VECTOR = "to_tsvector('english'::regconfig, body)"

SQLITE = [
    "CREATE VIRTUAL TABLE ideas_fts USING fts5(title, body, content='ideas', content_rowid='id',"
    " tokenize='porter unicode61 remove_diacritics 2')",
    "CREATE VIRTUAL TABLE comments_fts USING fts5(body, content='comments', content_rowid='id',"
    " tokenize='porter unicode61 remove_diacritics 2')",
    "CREATE TRIGGER ideas_fts_insert AFTER INSERT ON ideas BEGIN"
    " INSERT INTO ideas_fts(rowid, title, body) VALUES (new.id, new.title, new.body); END",
    "CREATE TRIGGER ideas_fts_delete AFTER DELETE ON ideas BEGIN"
    " INSERT INTO ideas_fts(ideas_fts, rowid, title, body)"
    " VALUES ('delete', old.id, old.title, old.body); END",
    "CREATE TRIGGER ideas_fts_update AFTER UPDATE OF title, body ON ideas BEGIN"
    " INSERT INTO ideas_fts(ideas_fts, rowid, title, body)"
    " VALUES ('delete', old.id, old.title, old.body);"
    " INSERT INTO ideas_fts(rowid, title, body) VALUES (new.id, new.title, new.body); END",
    "CREATE TRIGGER comments_fts_insert AFTER INSERT ON comments BEGIN"
    " INSERT INTO comments_fts(rowid, body) VALUES (new.id, new.body); END",
    "CREATE TRIGGER comments_fts_delete AFTER DELETE ON comments BEGIN"
    " INSERT INTO comments_fts(comments_fts, rowid, body) VALUES ('delete', old.id, old.body); END",
    "CREATE TRIGGER comments_fts_update AFTER UPDATE OF body ON comments BEGIN"
    " INSERT INTO comments_fts(comments_fts, rowid, body) VALUES ('delete', old.id, old.body);"
    " INSERT INTO comments_fts(rowid, body) VALUES (new.id, new.body); END",
    "INSERT INTO ideas_fts(ideas_fts) VALUES ('rebuild')",
    "INSERT INTO comments_fts(comments_fts) VALUES ('rebuild')",
]


def upgrade():
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute(
            f"ALTER TABLE ideas ADD COLUMN search_vector tsvector GENERATED ALWAYS AS "
            f"({IDEA_VECTOR}) STORED"
        )
        op.execute(
            f"ALTER TABLE comments ADD COLUMN search_vector tsvector GENERATED ALWAYS AS "
            f"({COMMENT_VECTOR}) STORED"
        )
        op.execute("CREATE INDEX ix_ideas_search ON ideas USING gin (search_vector)")
        op.execute("CREATE INDEX ix_comments_search ON comments USING gin (search_vector)")
    elif dialect == "sqlite":
        for statement in SQLITE:
            op.execute(statement)


def downgrade():
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_comments_search")
        op.execute("DROP INDEX IF EXISTS ix_ideas_search")
        op.execute("ALTER TABLE comments DROP COLUMN IF EXISTS search_vector")
        op.execute("ALTER TABLE ideas DROP COLUMN IF EXISTS search_vector")
    elif dialect == "sqlite":
        for name in ("ideas_fts_insert", "ideas_fts_delete", "ideas_fts_update",
                     "comments_fts_insert", "comments_fts_delete", "comments_fts_update"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TABLE IF EXISTS comments_fts")
        op.execute("DROP TABLE IF EXISTS ideas_fts")
