"""Tests of the meetings capability."""
