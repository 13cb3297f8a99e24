"""Exports: the statement as Word, PDF, Markdown, HTML and JSON; open data; reports."""
