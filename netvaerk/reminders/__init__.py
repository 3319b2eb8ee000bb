"""Reminders: the mail that tells people what is coming, folded into one message a day."""
