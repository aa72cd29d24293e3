"""aidbridge: a clearing-house for international disaster assistance."""

__version__ = "0.1.0"
