"""Importers of public AI model catalogues: one module per catalogue, shared resolution code.

``kg import osai|mot|os-ai-map DIR`` (:mod:`kg.importers.run`) reads a catalogue snapshot
(:mod:`~kg.importers.osai`, :mod:`~kg.importers.mot`, :mod:`~kg.importers.os_ai_map`), resolves
its names to curated entities (:mod:`~kg.importers.resolve`, data/aliases.yaml) and saves its
facts, with their provenance, in imports/ (:mod:`~kg.importers.saved`), which ``kg build``
includes.
"""
