"""Staff login, logout and password changes."""
