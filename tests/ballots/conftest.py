"""The ballot box tests share the elections' clock."""

from tests.elections.conftest import clock

__all__ = ["clock"]
