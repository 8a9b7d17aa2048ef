"""Benchmarks and the province-scale data generator (``yiwang bench …``).

Not part of the installed package: run from a source checkout.
"""
