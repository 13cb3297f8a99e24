"""Email: messages are queued in the request's transaction and sent once it commits."""
