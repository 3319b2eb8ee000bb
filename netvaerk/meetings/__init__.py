"""Meetings three times a week, closures, the kiosk check-in and the register."""
