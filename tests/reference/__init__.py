"""Tests of the reference server (core area; the booking domain lives in ``domain/``)."""
