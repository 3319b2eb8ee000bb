"""Shared task rotas: the chores of the house, assigned fairly over time."""
