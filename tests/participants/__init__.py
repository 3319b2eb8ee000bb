"""Tests of the participants capability."""
