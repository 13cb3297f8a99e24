"""The co-designed local Keep it Local statement: drafts, versions, review, sign-off, progress."""
