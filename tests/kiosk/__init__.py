"""Tests of the kiosk capability."""
