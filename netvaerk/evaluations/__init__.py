"""Evaluation forms: versions, anonymous and named answers, results and one-time links."""
