"""The check-in tablet (kiosk): today's meeting and a grid of names to tap."""
