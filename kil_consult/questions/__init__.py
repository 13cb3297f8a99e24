"""Closed questions in a consultation, beside the ideas: built by facilitators from GOV.UK
patterns, answered once per person (online, or entered from a workshop or paper form), and
published as tables with small numbers suppressed."""
