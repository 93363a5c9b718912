"""The sections of a ``syllabus load`` file, one module each.

A module here is one top-level key of the file: it defines ``SECTION``, a
``syllabus.seed.loader.Section`` that declares the entries' shape, natural key, references,
checks and writes. The loader finds the modules itself; adding a loadable resource is adding a
module (see "Adding a section" in docs/load-format.md).
"""
