"""Signing in through the intranet: its own login (shared Flask-Login), OpenID Connect, or a
reverse proxy's user header; accounts linked by subject or e-mail, roles from groups."""
