"""The requests and offers of the spring 2020 scenario (see ``scenario.py``)."""

# ruff: noqa: E501  (tables of scenario data read better one record a line)

from __future__ import annotations

from aidbridge.demo.scenario import (
    Dispatch,
    Line,
    Offer,
    OfferLine,
    Receipt,
    Rfa,
    Scenario,
    Unsolicited,
    at,
    d,
)

ITALY_EQUIPMENT = Rfa(
    requester="ITA",
    sent=at("03-13", 9),
    title="Ventilators and protective equipment for Lombardy hospitals",
    situation=(
        "Italy is the most affected country in Europe. Intensive care units in Lombardy "
        "are saturated and health workers lack protective equipment. The Civil Protection "
        "Department asks Allies and partners for ventilators, masks, protective suits and "
        "disinfectant."
    ),
    contact=("Civil Protection Situation Room", "sala.situazione@ita.example.org", "+39 06 6820 1"),
    entry_notes="Customs clearance by the Civil Protection Department; deliveries 24/7.",
    lines=(
        Line("VENT-ICU", 150, 1, d("03-25"), "LIML", "Milan Linate", True, "Invasive, with humidifier"),
        Line("MASK-SURG", 2_000_000, 1, d("03-20"), "LIMC", "Milan Malpensa"),
        Line("SUIT-PROT", 100_000, 2, d("03-31"), "LIMC", "Milan Malpensa", True, "Type 5/6, sizes L and XL"),
        Line("DISINF-L", 20_000, 2, d("03-31"), "LIRF", "Rome Fiumicino"),
        Line("RESP-FFP2", 500_000, 1, d("03-20"), "LIMC", "Milan Malpensa", False, "EN 149 certified"),
    ),
    offers=(
        Offer("FRA", (
            OfferLine(1, 1_000_000, accept=1_000_000, dispatches=(
                Dispatch(1_000_000, "road", at("03-22", 6), "FR-CONVOY-0322",
                         receipt=Receipt(1_000_000, at("03-23", 9))),
            )),
        ), d("03-21"), "LFPG", own_transport=True),
        Offer("AUT", (
            OfferLine(1, 1_000_000, accept=800_000, dispatches=(
                Dispatch(800_000, "road", at("03-24", 8), "AT-BH-2403",
                         receipt=Receipt(800_000, at("03-25", 10))),
            )),
        ), d("03-23"), "LOWW", own_transport=True),
        Offer("CZE", (
            OfferLine(2, 10_000, accept=10_000, dispatches=(
                Dispatch(10_000, "road", at("03-24", 5), "CZ-ARMY-01",
                         receipt=Receipt(10_000, at("03-25", 18))),
            )),
        ), d("03-23"), "LKPR", own_transport=True),
        Offer("TUR", (
            OfferLine(2, 20_000, accept=20_000, dispatches=(
                Dispatch(20_000, "airlift", at("04-01", 7), "TUAF A400M",
                         receipt=Receipt(20_000, at("04-01", 16))),
            )),
            OfferLine(3, 2_000, accept=2_000, dispatches=(
                Dispatch(2_000, "airlift", at("04-01", 7), "TUAF A400M",
                         receipt=Receipt(1_950, at("04-01", 16), "50 L lost to leaking containers")),
            )),
            OfferLine(4, 100_000, decline="No EN 149 certificates supplied with the respirators"),
        ), d("03-30"), "LTAC", own_transport=True, conditions="Donation of the Republic of Türkiye"),
        Offer("DEU", (OfferLine(0, 30),), d("03-27"), "EDDK"),
        Offer("USA", (OfferLine(4, 200_000, withdraw="Stock re-allocated to domestic needs"),),
              d("03-26"), "KDOV"),
        # Accepted, not yet moved: it waits for the centre's airlift (SALIS or SAC
        # aircraft), so the airlift page has a consignment to plan.
        Offer("USA", (OfferLine(2, 50_000, accept=50_000),), d("03-26"), "ETAR",
              conditions="From US European Command stocks at Ramstein; airlift by the centre (SALIS/SAC)"),
    ),
)  # fmt: skip

ITALY_PATIENTS = Rfa(
    requester="ITA",
    sent=at("03-24", 9),
    title="Transfer of intensive-care patients from Lombardy",
    situation="Hospitals in Bergamo and Brescia have no ICU beds left; patients must be moved abroad.",
    contact=("Civil Protection Situation Room", "sala.situazione@ita.example.org", "+39 06 6820 1"),
    lines=(Line("PAT-ICU", 100, 1, d("03-31"), "LIME", "Bergamo Orio al Serio", True,
                transfer=("AdultICU", "Lombardy", True, False)),),
    stage="closed",
    closure="overtaken",
    reason="ICU pressure in Lombardy eased; the remaining transfers are no longer needed.",
    offers=(
        Offer("DEU", (
            OfferLine(0, 85, accept=85, dispatches=(
                Dispatch(40, "airlift", at("03-28", 8), "GAF A310 MEDEVAC",
                         receipt=Receipt(40, at("03-28", 15), "Admitted in Saxony and Bavaria")),
                Dispatch(45, "airlift", at("04-02", 8), "GAF A310 MEDEVAC",
                         receipt=Receipt(45, at("04-02", 16), "Admitted in North Rhine-Westphalia")),
            )),
        ), d("03-26"), own_transport=True, conditions="Beds offered by the German Länder"),
        Offer("AUT", (
            OfferLine(0, 3, accept=3, dispatches=(
                Dispatch(3, "donor", at("03-30", 9), "AT-MEDEVAC",
                         receipt=Receipt(3, at("03-30", 14))),
            )),
        ), d("03-28"), own_transport=True),
    ),
)  # fmt: skip

FRANCE_PATIENTS = Rfa(
    requester="FRA",
    sent=at("03-23", 9),
    title="Intensive-care beds for patients from the Grand Est region",
    situation="Hospitals in Mulhouse and Strasbourg are overwhelmed; ICU patients need beds abroad.",
    contact=("Centre opérationnel de gestion interministérielle des crises", "cogic@fra.example.org", "+33 1 0000 0000"),
    lines=(Line("PAT-ICU", 116, 1, d("04-05"), "LFST", "Strasbourg", True,
                transfer=("AdultICU", "Grand Est", True, False)),),
    stage="closed",
    closure="fulfilled",
    reason="All 116 patients transferred and admitted.",
    offers=(
        Offer("DEU", (OfferLine(0, 98, accept=98, dispatches=(
            Dispatch(98, "donor", at("03-29", 8), "Länder ambulances and helicopters",
                     receipt=Receipt(98, at("04-03", 18))),
        )),), d("03-24"), own_transport=True),
        Offer("LUX", (OfferLine(0, 7, accept=7, dispatches=(
            Dispatch(7, "donor", at("03-26", 10), "Luxembourg Air Rescue",
                     receipt=Receipt(7, at("03-26", 15))),
        )),), d("03-25"), own_transport=True),
        Offer("AUT", (OfferLine(0, 11, accept=11, dispatches=(
            Dispatch(11, "airlift", at("04-01", 9), "AT-MEDEVAC",
                     receipt=Receipt(11, at("04-01", 17))),
        )),), d("03-30"), own_transport=True),
    ),
)  # fmt: skip

SPAIN_EQUIPMENT = Rfa(
    requester="ESP",
    sent=at("03-24", 9),
    title="Ventilators and protective suits for Madrid hospitals",
    situation="Madrid's hospitals are at full capacity; ventilators and protective suits run short.",
    contact=("Departamento de Seguridad Nacional", "dsn@esp.example.org", "+34 91 000 0000"),
    lines=(
        Line("VENT-ICU", 150, 1, d("04-01"), "LEMD", "Madrid Barajas", True),
        Line("SUIT-PROT", 500_000, 1, d("04-01"), "LEMD", "Madrid Barajas"),
    ),
    offers=(
        Offer("DEU", (OfferLine(0, 50, accept=50, dispatches=(
            Dispatch(50, "airlift", at("04-03", 10), "Spanish Air Force A400M",
                     receipt=Receipt(50, at("04-03", 19))),
        )),), d("04-01"), "EDDK", conditions="Collection by Spanish aircraft at Cologne/Bonn"),
        Offer("TUR", (OfferLine(1, 50_000, accept=50_000, dispatches=(
            Dispatch(50_000, "airlift", at("04-01", 6), "TUAF A400M",
                     receipt=Receipt(50_000, at("04-01", 14))),
        )),), d("03-31"), "LTAC", own_transport=True),
        Offer("CZE", (OfferLine(1, 10_000),), d("04-06"), "LKPR"),
    ),
)  # fmt: skip

SPAIN_FIELD_HOSPITAL = Rfa(
    requester="ESP",
    sent=at("03-25", 9),
    title="Field hospital for the IFEMA exhibition centre",
    situation="A field hospital is planned in Madrid's IFEMA exhibition halls.",
    lines=(Line("FH-ROLE2", 1, 2, d("03-28"), "LEMD", "IFEMA, Madrid", True),),
    stage="withdrawn",
    reason="Built with national means by the Community of Madrid and the armed forces.",
)  # fmt: skip

CZECHIA_VENTILATORS = Rfa(
    requester="CZE",
    sent=at("04-03", 9),
    title="150 ventilators for intensive care",
    situation="Czechia expects ICU demand to exceed its ventilator fleet by mid-April.",
    contact=("Fire Rescue Service operations centre", "ops@cze.example.org", "+420 950 800 000"),
    lines=(Line("VENT-ICU", 150, 1, d("04-15"), "LKPR", "Prague Václav Havel", True),),
    offers=(
        Offer("AUT", (OfferLine(0, 15, accept=15, dispatches=(
            Dispatch(15, "road", at("04-09", 7), "AT-BH-0904", receipt=Receipt(15, at("04-09", 15))),
        )),), d("04-08"), "LOWW", own_transport=True),
        Offer("NLD", (OfferLine(0, 105, accept=105, dispatches=(
            Dispatch(60, "road", at("04-14", 6), "NL-TRUCK-1",
                     receipt=Receipt(55, at("04-15", 11), "5 units damaged in transit; replacements asked")),
            Dispatch(45, "road", at("04-20", 6), "NL-TRUCK-2"),
        )),), d("04-13"), "EHAM", own_transport=True),
        Offer("TUR", (OfferLine(0, 20, decline="Transport ventilators do not meet the ICU specification"),),
              d("04-10"), "LTAC"),
    ),
)  # fmt: skip

BULGARIA_AIRLIFT = Rfa(
    requester="BGR",
    sent=at("04-06", 9),
    title="Airlift of medical equipment purchased in China",
    situation=(
        "Bulgaria bought protective equipment in China and needs it flown home; "
        "transport only."
    ),
    contact=("Ministry of Defence operations centre", "ops@bgr.example.org", "+359 2 000 0000"),
    lines=(
        Line("AIRLIFT-HEAVY", 2, 1, d("05-10"), "LBSF", "Sofia", True,
             "Collection at Shanghai Pudong (ZSPD); about 80 t of protective equipment"),
    ),
)  # fmt: skip

# The second wave (October 2020): Czechia asked the centre on 20 October and received 60
# ventilators from the NATO stockpile on 27 October; North Macedonia received 60 in
# November. Left open here, so the allocation planner has needs the standing stock
# (the stockpile's ventilators, Türkiye's standing offer) can meet.
CZECHIA_SECOND_WAVE = Rfa(
    requester="CZE",
    sent=at("10-20", 9),
    title="Ventilators for the second wave",
    situation="Czechia's ICU admissions rise again in October; the Ministry of Health asks for ventilators for regional hospitals.",
    contact=("Ministry of Health crisis preparedness department", "crisis@cze.example.org", "+420 224 971 111"),
    lines=(Line("VENT-ICU", 120, 1, d("10-31"), "LKPR", "Prague Václav Havel", True),),
)  # fmt: skip

NORTH_MACEDONIA_SECOND_WAVE = Rfa(
    requester="MKD",
    sent=at("11-04", 9),
    title="Ventilators and protective equipment for the second wave",
    situation="Hospitals in Skopje and Tetovo prepare for the autumn surge of COVID-19 patients.",
    lines=(
        Line("VENT-ICU", 60, 1, d("11-15"), "LWSK", "Skopje", True),
        Line("MASK-SURG", 300_000, 2, d("11-15"), "LWSK", "Skopje"),
        Line("SUIT-PROT", 15_000, 2, d("11-15"), "LWSK", "Skopje"),
    ),
)  # fmt: skip

MONTENEGRO_PPE = Rfa(
    requester="MNE",
    sent=at("04-02", 9),
    title="Protective equipment for health workers",
    situation="Montenegro's health centres need protective equipment and test kits.",
    lines=(
        Line("MASK-SURG", 200_000, 1, d("04-10"), "LYPG", "Podgorica"),
        Line("GLOVE-NITR", 100_000, 2, d("04-10"), "LYPG", "Podgorica"),
        Line("SUIT-PROT", 10_000, 1, d("04-10"), "LYPG", "Podgorica"),
        Line("TEST-PCR", 100, 1, d("04-10"), "LYPG", "Podgorica"),
    ),
    stage="submitted",
)  # fmt: skip

NORTH_MACEDONIA_PPE = Rfa(
    requester="MKD",
    sent=at("04-03", 9),
    title="Protective equipment and test kits",
    situation="North Macedonia asks for protective equipment for its hospitals.",
    lines=(
        Line("RESP-FFP2", 50_000, 1, None, "LWSK", "Skopje"),
        Line("GOGGLES", 5_000, 2, None, "LWSK", "Skopje"),
        Line("TEST-PCR", 50, 1, None, "LWSK", "Skopje"),
    ),
    stage="returned",
    reason="Please give a needed-by date for each line and the PCR kits' platform (open or closed).",
)  # fmt: skip

ITALY_OXYGEN_DRAFT = Rfa(
    requester="ITA",
    sent=at("04-01", 9),
    title="Oxygen for the Bergamo field hospital",
    situation="Draft: the field hospital at the Bergamo fairground opens in April.",
    lines=(
        Line("OXY-CONC", 200, 1, d("04-10"), "LIME", "Bergamo Orio al Serio"),
        Line("OXY-CYL-50", 500, 2, d("04-10"), "LIME", "Bergamo Orio al Serio"),
    ),
    stage="draft",
)  # fmt: skip

SCENARIO = Scenario(
    rfas=(
        ITALY_EQUIPMENT,
        ITALY_PATIENTS,
        FRANCE_PATIENTS,
        SPAIN_EQUIPMENT,
        SPAIN_FIELD_HOSPITAL,
        CZECHIA_VENTILATORS,
        BULGARIA_AIRLIFT,
        MONTENEGRO_PPE,
        NORTH_MACEDONIA_PPE,
        ITALY_OXYGEN_DRAFT,
        CZECHIA_SECOND_WAVE,
        NORTH_MACEDONIA_SECOND_WAVE,
    ),
    unsolicited=(
        # Handed over on 18 September 2020 at the NSPA Southern Operational Centre in
        # Taranto, where the stockpile is kept (Grottaglie airfield).
        Unsolicited(
            "USA",
            (("VENT-ICU", 200),),
            "Donated to the NATO Pandemic Response Stockpile, for allocation by the centre "
            "to Allies and partners on request.",
            d("09-18"),
            "LIBG",
            made=at("09-18", 9),
        ),
        Unsolicited(
            "TUR",
            (("MASK-SURG", 500_000), ("SUIT-PROT", 20_000), ("DISINF-L", 5_000)),
            "Standing stock of the Republic of Türkiye for Allies and partners.",
            d("04-15"),
            "LTAC",
            own_transport=True,
            made=at("04-14", 10),
        ),
    ),
)
