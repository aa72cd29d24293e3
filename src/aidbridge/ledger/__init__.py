"""The ledger: every figure of the picture defined once (see README, "Glossary").

``figures`` holds the typed results; ``sums`` the database expressions and the queries
that group them by line, request, nation, donor, item and crisis; ``movement`` what each
offer line has dispatched, delivered and still has to dispatch. Every page, API,
export, sitrep and planner adapter reads its figures from here.
"""
