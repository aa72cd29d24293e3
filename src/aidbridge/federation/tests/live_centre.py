"""Set up one live centre for the two-centre tests (run in its own process, with its
own DATABASE_URL and AIDBRIDGE_CENTRE_CODE): migrate, the same seeds in both centres
(catalogue, parties), the COVID-19 crisis, a few users with API tokens, the partner.
Prints the tokens as JSON.

    python -m aidbridge.federation.tests.live_centre PARTNER_CODE PARTNER_URL SIGN VERIFY
"""

from __future__ import annotations

import json
import os
import sys
from datetime import date

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aidbridge.settings")


def main(argv: list[str]) -> None:
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from aidbridge.accounts.models import TokenScope
    from aidbridge.accounts.services import create_user, issue_api_token
    from aidbridge.catalogue.services import load_catalogue
    from aidbridge.crises.services import create_crisis
    from aidbridge.federation import services
    from aidbridge.ops.bootstrap import bootstrap_centre
    from aidbridge.parties.seed import load_parties

    code, url, sign, verify = argv
    load_catalogue()
    admin = bootstrap_centre("admin")
    load_parties(admin)
    people = {
        "duty": ("EADRCC", "centre_officer"),
        "ita-poc": ("ITA", "national_poc"),
        "deu-poc": ("DEU", "national_poc"),
        "fra-poc": ("FRA", "national_poc"),
    }
    tokens = {}
    for name, (party, role) in people.items():
        user = create_user(admin, username=name, email=f"{name}@x.example", party=party, role=role)
        _token, secret = issue_api_token(admin, user, "live", scope=TokenScope.READ_WRITE)
        tokens[name] = secret
    create_crisis(
        admin,
        code="covid-19-2020",
        name_en="COVID-19",
        name_fr="COVID-19",
        started_on=date(2020, 3, 1),
    )
    partner = services.declare_partner(
        admin, code=code, name=f"Centre {code}", base_url=url, crises=["covid-19-2020"]
    )
    services.add_key(admin, partner, "sign", sign)
    services.add_key(admin, partner, "verify", verify)
    print(json.dumps(tokens))


if __name__ == "__main__":
    main(sys.argv[1:])
