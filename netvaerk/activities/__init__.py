"""Activities on the programme, facilitator sign-ups, invitations, calendar feeds and hours."""
