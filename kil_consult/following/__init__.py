"""Following and notifications: what a person follows, what they are told, and how often
they are emailed about it (at once, a daily or weekly digest, or never)."""
