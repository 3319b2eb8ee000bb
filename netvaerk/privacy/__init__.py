"""Data rights: a participant's data on request (access), erasure, and the retention clean-up."""
