"""Demo data (TOML files) and its idempotent loader, run by ``flask --app wsgi seed``."""
