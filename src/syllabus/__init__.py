"""Syllabus: a stateful, persistent server that speaks Thinkific's APIs."""

__version__ = "0.1.0"
