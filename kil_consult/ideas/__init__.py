"""Ideas, votes and comments: what residents say in a consultation."""
