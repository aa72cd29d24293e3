"""The ledger: every figure of the picture defined once (see README, "Glossary").

``figures`` holds the typed results; ``sums`` the database expressions and what they give
per request line, per offer line (dispatched, delivered, left to dispatch) and per
standing line; ``crisis`` every level of a whole crisis at once. Every page, API,
export, sitrep and planner adapter reads its figures from here.
"""
