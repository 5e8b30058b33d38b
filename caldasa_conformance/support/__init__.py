"""Support code for the suites: raw operation helpers and assertion helpers."""
