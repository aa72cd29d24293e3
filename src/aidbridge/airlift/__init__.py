"""Airlift in the clearing-house: the fleet, consignments, planning runs and sorties.

A separate app rather than more modules in ``logistics``: the airlift cell keeps its own
data (aircraft types, aircraft, airfield limits, plans, sorties) with its own role and
migrations, and touches the clearing-house only through ``logistics.services``
(a sortie's departure reports the dispatches) and read-only queries of offers.

Modules: ``models`` (tables), ``fleet`` (fleet services and the seeded fleet),
``consignments`` (accepted aid needing airlift, from offer lines), ``planning`` (plan
runs as a background task around :mod:`aidbridge.planning.airlift`), ``sorties``
(approval and the sortie transitions), ``selectors`` (reads), ``api``/``api_fleet``
(Ninja routers), ``views``/``legmap`` (the planning page and its SVG map).
"""
