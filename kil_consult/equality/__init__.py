"""Who took part: the optional "About you" questions (equality monitoring), the Census
population to compare with, and the suppressed figures of the "Who took part" page.

Answers are stored apart (``models``), read only through ``figures`` (counts through
``kil_consult.disclosure``), and never published or exported per person.
"""
