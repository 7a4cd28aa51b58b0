"""Showing results: serialisation for JSONL/CSV and Rich tables for the terminal."""
