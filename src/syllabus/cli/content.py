"""``syllabus seed`` and ``syllabus load``: filled in by the seed module."""

from __future__ import annotations
