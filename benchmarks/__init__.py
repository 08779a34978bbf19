"""Benchmarks: scripts that start the portal against a database of their own and print
figures (see docs/performance.md). Not tests: nothing here runs under pytest."""
