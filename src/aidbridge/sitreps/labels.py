"""The fixed wording of a sitrep in English and French.

Kept as a bilingual table rather than in the gettext catalogue: a sitrep is rendered in a
language chosen per document (not the reader's interface language), its letterhead
prints both languages at once, and its wording is part of a record that must render the
same on any machine, compiled catalogue or not.
"""

from __future__ import annotations

LANGUAGES = ("en", "fr")

LABELS: dict[str, tuple[str, str]] = {
    "sitrep": ("Situation report", "Rapport de situation"),
    "sitrep_no": ("SITREP No.", "SITREP n°"),
    "draft": ("DRAFT — not approved", "PROJET — non approuvé"),
    "message_number": ("Message number", "Numéro de message"),
    "dtg": ("Date-time group", "Groupe date-heure"),
    "from": ("From", "De"),
    "to": ("To", "À"),
    "precedence": ("Precedence", "Priorité"),
    "originator": ("Originator", "Rédacteur"),
    "approved_by": ("Approved by", "Approuvé par"),
    "references": ("References", "Références"),
    "subject": ("Subject", "Objet"),
    "corrects": ("This sitrep corrects", "Ce rapport corrige"),
    "latest_in_bold": (
        "Latest update since {previous} in BOLD.",
        "Dernière mise à jour depuis {previous} en GRAS.",
    ),
    "first_report": ("First report on this crisis.", "Premier rapport sur cette crise."),
    "general_situation": ("General situation", "Situation générale"),
    "assessment": ("Assessment", "Évaluation"),
    "requests": ("Requests", "Demandes"),
    "assistance": (
        "Assistance offered, accepted and delivered by each nation",
        "Assistance offerte, acceptée et livrée par chaque nation",
    ),
    "outstanding_needs": ("Outstanding needs", "Besoins non couverts"),
    "transport": ("Transport", "Transport"),
    "contacts": ("Contacts", "Contacts"),
    "charts": ("Charts and map", "Graphiques et carte"),
    "translation": ("Translation", "Traduction"),
    "nation": ("Nation", "Nation"),
    "requesting_nation": ("Requesting nation", "Nation requérante"),
    "donor": ("Assisting nation", "Nation contributrice"),
    "item": ("Item", "Article"),
    "unit": ("Unit", "Unité"),
    "requested": ("Requested", "Demandé"),
    "offered": ("Offered", "Offert"),
    "accepted": ("Accepted", "Accepté"),
    "dispatched": ("Dispatched", "Expédié"),
    "delivered": ("Delivered", "Livré"),
    "outstanding": ("Outstanding", "Restant"),
    "coverage": ("Coverage", "Couverture"),
    "standing": ("Standing offer", "Offre permanente"),
    "priority": ("Priority", "Priorité"),
    "needed_by": ("Needed by", "Requis pour le"),
    "to_nations": ("To", "Vers"),
    "mode": ("Mode", "Mode"),
    "dispatches": ("Shipments", "Envois"),
    "in_transit": ("In transit", "En transit"),
    "received": ("Received", "Reçus"),
    "rfa": ("RFA", "DA"),
    "status": ("Status", "Statut"),
    "title": ("Title", "Intitulé"),
    "name": ("Name", "Nom"),
    "email": ("E-mail", "Courriel"),
    "phone": ("Phone", "Téléphone"),
    "centre_contact": ("Centre duty officer", "Officier de permanence du centre"),
    "none": ("None.", "Néant."),
    "totals": ("Totals", "Totaux"),
    "chart_coverage": (
        "Coverage by requesting nation (mean over request lines)",
        "Couverture par nation requérante (moyenne des lignes de demande)",
    ),
    "chart_deliveries": ("Deliveries confirmed per day", "Livraisons confirmées par jour"),
    "chart_share_time": (
        "Share of requested units accepted and delivered over time (mean over request lines)",
        "Part des unités demandées acceptées et livrées dans le temps "
        "(moyenne des lignes de demande)",
    ),
    "chart_share_desc": (
        "From {first} to {last}: {lines} request lines circulated; {accepted} of their "
        "requested units accepted, {delivered} delivered.",
        "Du {first} au {last} : {lines} lignes de demande diffusées ; {accepted} de leurs "
        "unités demandées acceptées, {delivered} livrées.",
    ),
    "requested_all": ("Requested (100%)", "Demandé (100\u00a0%)"),
    "map": (
        "Requesting and assisting nations, accepted aid flows (tonnes)",
        "Nations requérantes et contributrices, flux d'aide acceptée (tonnes)",
    ),
    "map_requesting": ("Requesting", "Requérante"),
    "map_assisting": ("Assisting", "Contributrice"),
    "map_both": ("Both", "Les deux"),
    "published": ("Published", "Publié"),
    "page": ("Page", "Page"),
    "open_rfas": ("Open", "Ouvertes"),
    "closed_rfas": ("Closed", "Closes"),
    "status_circulated": ("open", "ouverte"),
    "status_closed": ("closed", "close"),
    "closure_fulfilled": ("fulfilled", "satisfaite"),
    "closure_withdrawn": ("withdrawn", "retirée"),
    "closure_overtaken": ("overtaken by events", "dépassée par les événements"),
    "closure_merged": ("merged into an earlier request", "fusionnée dans une demande antérieure"),
    "linked_requests": ("Linked requests", "Demandes liées"),
    "escalated_by": (
        "{ref} escalated by {by} (merged into it: quantities raised, counted once)",
        "{ref} aggravée par {by} (fusionnée : quantités relevées, comptées une seule fois)",
    ),
    "repeats": (
        "{ref} repeats {earlier} (circulated separately)",
        "{ref} renouvelle {earlier} (diffusée séparément)",
    ),
    "mode_donor": ("donor's own transport", "transport du donateur"),
    "mode_commercial": ("commercial", "commercial"),
    "mode_airlift": ("airlift", "pont aérien"),
    "mode_road": ("road", "route"),
    "mode_sea": ("sea", "mer"),
    "and_more": (
        "… and {n} more: see the annex.",
        "… et {n} autres : voir l'annexe.",
    ),
    "items_more": ("+{n}", "+{n}"),
    "annex": ("Annex", "Annexe"),
    "annex_title": ("Annex A — detailed tables", "Annexe A — tableaux détaillés"),
    "annex_to": ("Annex A to", "Annexe A au message"),
    "annex_note": (
        "Per request line, per assisting nation and item, and per route: the figures "
        "summarised in the sitrep, as they stood at its publication.",
        "Par ligne de demande, par nation contributrice et article, et par itinéraire : "
        "les chiffres résumés dans le rapport, tels qu'ils étaient à sa publication.",
    ),
    "annex_pointer": (
        "Every request line, offer and shipment is listed in Annex A (separate document).",
        "Chaque ligne de demande, offre et envoi figure à l'annexe A (document séparé).",
    ),
    "items_requested": ("Items requested", "Articles demandés"),
    "patients_line": (
        "Patient transfers: {delivered} patients transferred of {requested} requested "
        "({accepted} accepted).",
        "Transferts de patients : {delivered} patients transférés sur {requested} demandés "
        "({accepted} acceptés).",
    ),
    "outstanding_items": ("Items outstanding", "Articles non couverts"),
    "accepted_cov": ("Accepted (coverage)", "Accepté (couverture)"),
    "delivered_cov": ("Delivered (coverage)", "Livré (couverture)"),
    "items_given": ("Items", "Articles"),
    "tonnes_accepted": ("Accepted (t)", "Accepté (t)"),
    "standing_items": ("Standing offers", "Offres permanentes"),
    "routes": ("Routes", "Itinéraires"),
    "summary_requests": (
        "Requests by requesting nation; coverage is the mean over request lines.",
        "Demandes par nation requérante ; la couverture est la moyenne des lignes.",
    ),
    "to_pocs": ("National points of contact", "Points de contact nationaux"),
    "public_title": ("Published situation reports", "Rapports de situation publiés"),
    "feed_title": ("Situation reports", "Rapports de situation"),
    "download_pdf": ("PDF", "PDF"),
    "other_language": ("Français", "English"),
    "colon": (": ", "\u00a0: "),
}


def label(key: str, lang: str) -> str:
    en, fr = LABELS[key]
    return fr if lang == "fr" else en


class Labels(dict[str, str]):
    """The labels of one language, for templates: ``{{ L.requests }}``."""

    def __init__(self, lang: str):
        super().__init__({k: label(k, lang) for k in LABELS})
