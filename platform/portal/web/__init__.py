"""The portal's frame: layout, home page, health check, errors and security headers."""
