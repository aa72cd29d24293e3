"""Airlift in the clearing-house: the fleet, consignments, planning runs and sorties.

A separate app rather than more modules in ``logistics``: the airlift cell keeps its own
data (aircraft types, aircraft, airfield limits, plans, sorties) with its own role and
migrations, and touches the clearing-house only through ``logistics.services``
(a sortie's departure reports the dispatches) and read-only queries of offers.

Modules (the layout of every app, README "Inside an app"): ``models`` (tables),
``services`` (every write: ``fleet``, ``plans``, ``sorties``), ``selectors`` (reads),
``actions`` (who may do what now), ``consignments`` and ``adapter`` (accepted aid needing
airlift, as the planner's input document), ``tasks`` (the background solve around
:mod:`aidbridge.planning.airlift`), ``api`` (one router: ``fleet``, ``plans``),
``views``/``legmap`` (the planning page and its SVG map).
"""
