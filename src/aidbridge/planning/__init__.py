"""Planners: pure Python, no Django import.

Each planner takes dataclasses in and gives dataclasses out, so it can be tested,
benchmarked and run from the command line without a database. Adapters in the
Django apps convert between models and planner input.
"""
