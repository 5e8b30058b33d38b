"""Benchmarks of the reference server and the conformance suite (not tests): see docs/benchmarks.md."""
