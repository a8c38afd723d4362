"""Tests of the demo content in seed.content."""
