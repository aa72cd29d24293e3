"""Data for the deployed stack in the tests (``python -m aidbridge.deploy.tests.seed``).

Run as a process of its own against the stack's database (``DATABASE_URL``), through the
services where a service exists, and prints the raw API tokens and ids as JSON for the
tests to use.
"""

from __future__ import annotations

import json
import os
from datetime import date

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aidbridge.settings")


def main() -> None:
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from aidbridge.accounts.models import ApiToken, Profile, Role
    from aidbridge.accounts.tokens import hash_token, new_raw_token
    from aidbridge.crises.models import Crisis
    from aidbridge.parties.models import Party
    from aidbridge.sitreps.services import draft_sitrep, publish_sitrep, update_sitrep_text

    call_command("load_catalogue", verbosity=0)
    parties = {
        code: Party.objects.create(code=code, kind=kind, name_en=name, name_fr=name)
        for code, kind, name in [
            ("EADRCC", Party.Kind.CENTRE, "Coordination centre"),
            ("ITA", Party.Kind.NATION, "Italy"),
            ("DEU", Party.Kind.NATION, "Germany"),
        ]
    }
    tokens = {}
    users = {}
    for name, party, role in [
        ("duty", "EADRCC", Role.CENTRE_OFFICER),
        ("head", "EADRCC", Role.CENTRE_HEAD),
        ("ita-poc", "ITA", Role.NATIONAL_POC),
        ("deu-poc", "DEU", Role.NATIONAL_POC),
        ("feed-bot", "EADRCC", Role.CENTRE_OFFICER),  # a machine account (webhooks)
    ]:
        user = get_user_model().objects.create_user(name, f"{name}@example.org", "pw-" + name)
        if name.endswith("-bot"):
            user.set_unusable_password()
            user.save()
        Profile.objects.create(user=user, party=parties[party], role=role)
        raw = new_raw_token()
        ApiToken.objects.create(
            user=user, name="deploy tests", prefix=raw[:12], key_hash=hash_token(raw)
        )
        tokens[name] = raw
        users[name] = user
    crisis = Crisis.objects.create(
        code="deploy-2020", name_en="Deployment", name_fr="Déploiement", started_on=date(2020, 3, 1)
    )
    sitrep = draft_sitrep(users["duty"], crisis)
    update_sitrep_text(
        users["duty"], sitrep, general_situation="Quiet on the deployment front.", releasable=True
    )
    sitrep = publish_sitrep(users["head"], sitrep)
    print(json.dumps({"tokens": tokens, "crisis": crisis.code, "public_sitrep": sitrep.pk}))


if __name__ == "__main__":
    main()
