"""Releases: dated, immutable snapshots of the build (``kg release``) and what changed between them.

:mod:`kg.release.snapshot` makes and lists releases under ``settings.releases_dir``.
"""
