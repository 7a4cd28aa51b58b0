"""redline: who said what in wartime diplomacy, with the evidence."""

__version__ = "0.1.0"
