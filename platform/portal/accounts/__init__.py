"""Accounts: registration, email confirmation, sign-in, password reset and settings."""
