"""Turning notebooks into funder-facing HTML reports."""
