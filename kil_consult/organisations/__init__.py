"""Voluntary and community sector organisations: registration, verification, membership."""
