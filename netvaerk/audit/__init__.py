"""The audit trail: who saw or changed person-level data, logins and role changes."""
