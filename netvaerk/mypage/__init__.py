"""The resident's own page: on the kiosk after a check-in (with the personal code) and on the
resident's phone through a personal link (issue 30)."""
