"""A person's own data (UK GDPR): download it, erase it, and the retention purge. It reads
every area, so it sits at the top of the layers."""
