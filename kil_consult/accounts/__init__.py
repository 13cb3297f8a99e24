"""Accounts: people, sign-up, sign-in, email confirmation, password reset, roles."""
