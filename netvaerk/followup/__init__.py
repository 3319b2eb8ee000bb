"""Follow-up: conversations every 14 days with commitments, options, and status after leaving."""
