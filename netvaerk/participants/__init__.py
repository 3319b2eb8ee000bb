"""Participants: registration, intake, status flow and periods of participation."""
