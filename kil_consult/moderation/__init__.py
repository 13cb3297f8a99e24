"""Moderation: reports, the queue, hide / publish / restore, merging duplicates, the audit log."""
