"""Site administration: accounts and their roles in networks."""
