"""Fault and latency injection: per-site rules that fail, slow or drop matching requests.

Rules live in the database (``models/fault.py``), so every server process applies the same
ones; ``book.py`` keeps this process's copy, ``middleware.py`` applies them, ``control.py`` and
``syllabus faults`` add, list and clear them.
"""
