"""User-visible text in Dutch and English, and number/date formatting per language.

The dashboard and the report share these strings, so they live in the engine.
"""

from __future__ import annotations

import datetime as dt
import math
import os

from babel import Locale
from babel.numbers import format_currency, format_decimal, get_currency_name, get_currency_symbol, list_currencies

from nps_core.base.metrics import SMALL_SAMPLE

LANGUAGES = ("nl", "en")
DEFAULT_LANGUAGE = os.environ.get("NPS_LANG", "nl") if os.environ.get("NPS_LANG") in LANGUAGES else "nl"


def _accept_language_first(header: str | None) -> str | None:
    """The language tag an Accept-Language header prefers most ("en-GB,nl;q=0.8" -> "en-GB")."""
    choices = []
    for position, part in enumerate((header or "").split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        if tag and tag != "*" and quality > 0:
            choices.append((-quality, position, tag))
    return min(choices)[2] if choices else None


def visitor_language(locale: str | None = None, accept_language: str | None = None) -> str:
    """The language a new visitor gets (issue 30): NPS_LANG when set, since a site
    may serve one language to everyone; else the browser's (its navigator.language,
    else its Accept-Language header): Dutch for nl*, English for any other. A
    browser that says nothing (a test's AppTest, a script) gets the default, Dutch."""
    fixed = os.environ.get("NPS_LANG")
    if fixed in LANGUAGES:
        return fixed
    tag = locale or _accept_language_first(accept_language)
    if not tag:
        return DEFAULT_LANGUAGE
    return "nl" if tag.strip().lower().startswith("nl") else "en"

TEXT: dict[str, dict[str, str]] = {
    "app_title": {"nl": "NPS-dashboard", "en": "NPS dashboard"},
    "overview": {"nl": "Overzicht", "en": "Overview"},
    "filters": {"nl": "Filters", "en": "Filters"},
    "language": {"nl": "Taal", "en": "Language"},
    "dataset": {"nl": "Dataset", "en": "Dataset"},
    "period": {"nl": "Periode", "en": "Period"},
    # complete periods (analysis/complete.py): a month still running is never the default
    "preset_month": {"nl": "Laatste volledige maand", "en": "Last complete month"},
    "preset_quarter": {"nl": "Laatste volledige kwartaal", "en": "Last complete quarter"},
    "preset_year": {"nl": "12 volledige maanden", "en": "Last 12 complete months"},
    "preset_all": {"nl": "Alles", "en": "All time"},
    "preset_custom": {"nl": "Zelf kiezen", "en": "Custom range"},
    "date_range": {"nl": "Van – tot", "en": "From – to"},
    "programme_type": {"nl": "Programmatype", "en": "Programme type"},
    "all_types": {"nl": "Alle typen", "en": "All types"},
    "relationship": {"nl": "Relatie", "en": "Relationship"},
    "transaction": {"nl": "Transactie", "en": "Transaction"},
    "product": {"nl": "Product", "en": "Product"},
    "nps": {"nl": "NPS", "en": "NPS"},
    "margin": {"nl": "Foutmarge (95 %)", "en": "Margin of error (95 %)"},
    "responses": {"nl": "Responses", "en": "Responses"},
    "promoters": {"nl": "Promoters", "en": "Promoters"},
    "passives": {"nl": "Passives", "en": "Passives"},
    "detractors": {"nl": "Detractors", "en": "Detractors"},
    "promoter": {"nl": "Promoter", "en": "Promoter"},
    "passive": {"nl": "Passive", "en": "Passive"},
    "detractor": {"nl": "Detractor", "en": "Detractor"},
    "share": {"nl": "Aandeel", "en": "Share"},
    "significant": {"nl": "significant", "en": "significant"},
    "not_significant": {"nl": "niet significant", "en": "not significant"},
    "too_few_to_judge": {"nl": "geen oordeel: minder dan {small} responses in een van beide perioden",
                         "en": "no verdict: fewer than {small} responses in one of the periods"},
    "change_line_small": {
        "nl": "Verandering t.o.v. {period}: {delta} punten, **{verdict}**.",
        "en": "Change vs {period}: {delta} points, **{verdict}**.",
    },
    "yes": {"nl": "ja", "en": "yes"},
    "no": {"nl": "nee", "en": "no"},
    "too_few": {"nl": "te weinig", "en": "too few"},
    "change_line": {
        "nl": "Verandering t.o.v. {period}: **{delta}** punten, **{verdict}** "
              "(significant vanaf ±{threshold} punten, 95 %).",
        "en": "Change vs {period}: **{delta}** points, **{verdict}** "
              "(significant beyond ±{threshold} points, 95 %).",
    },
    "small_sample": {
        "nl": "Minder dan {small} responses: te weinig om op te vertrouwen.",
        "en": "Fewer than {small} responses: too few to trust.",
    },
    "small_marker": {"nl": "n < {small}", "en": "n < {small}"},
    "evolution_title": {"nl": "NPS per maand", "en": "NPS by month"},
    "split_title": {"nl": "Verdeling", "en": "Split"},
    "no_data": {"nl": "Geen responses voor deze filters.", "en": "No responses match these filters."},
    "busy": {
        "nl": "De database is even bezet (er loopt een import). Probeer het zo opnieuw.",
        "en": "The database is busy (an import is running). Please try again in a moment.",
    },
    "error": {"nl": "Er ging iets mis: {error}", "en": "Something went wrong: {error}"},
    # -- sign-in and access (ui/auth.py)
    "local_use": {"nl": "Lokaal gebruik, zonder aanmelding", "en": "Local use, no sign-in"},
    "signed_in_as": {"nl": "Aangemeld als **{name}** · {role}", "en": "Signed in as **{name}** · {role}"},
    "role_viewer": {"nl": "kijker", "en": "viewer"},
    "role_analyst": {"nl": "analist", "en": "analyst"},
    "role_admin": {"nl": "beheerder", "en": "admin"},
    "scope_all": {"nl": "Ziet: alle datasets", "en": "Sees: every dataset"},
    "scope_some": {"nl": "Ziet: {scope}", "en": "Sees: {scope}"},
    "sign_in": {"nl": "Aanmelden", "en": "Sign in"},
    "sign_out": {"nl": "Afmelden", "en": "Sign out"},
    "sign_in_title": {"nl": "Aanmelden bij het NPS-dashboard", "en": "Sign in to the NPS dashboard"},
    "sign_in_prompt": {"nl": "Meld u aan met uw bedrijfsaccount om het dashboard te openen.",
                       "en": "Sign in with your company account to open the dashboard."},
    "anonymous_refused": {
        "nl": "Dit dashboard is zonder aanmelding bereikbaar vanaf andere computers. Stel aanmelding in "
              "(sectie [auth] in .streamlit/secrets.toml), start het op 127.0.0.1, of zet NPS_ALLOW_ANONYMOUS=1 "
              "als dat echt de bedoeling is.",
        "en": "This dashboard is reachable from other computers without sign-in. Configure sign-in "
              "([auth] in .streamlit/secrets.toml), start it on 127.0.0.1, or set NPS_ALLOW_ANONYMOUS=1 "
              "if that is really intended.",
    },
    "no_access": {"nl": "U bent aangemeld, maar u hebt nog geen toegang tot gegevens. Vraag een beheerder om u "
                        "toe te voegen aan het toegangsbestand.",
                  "en": "You are signed in, but you have no access to any data yet. Ask an administrator to add "
                        "you to the access file."},
    "access_file_error": {"nl": "Het toegangsbestand klopt niet: {error}", "en": "The access file is invalid: {error}"},
    "denied": {"nl": "Dat mag uw rol niet: {error}", "en": "Your role does not allow that: {error}"},
    "audit": {"nl": "Audittrail", "en": "Audit trail"},
    "audit_help": {"nl": "Wie wat deed: wijzigingen van cases, bedankjes, uploads, verwijderingen, thema's, "
                         "regels en exports van opmerkingen. Alleen toevoegen, nooit wijzigen.",
                   "en": "Who did what: case changes, thanks, uploads, deletions, themes, rules and exports "
                         "of comments. Appended to, never changed."},
    "audit_empty": {"nl": "Nog niets vastgelegd.", "en": "Nothing recorded yet."},
    "audit_when": {"nl": "Wanneer", "en": "When"},
    "audit_who": {"nl": "Wie", "en": "Who"},
    "audit_role": {"nl": "Rol", "en": "Role"},
    "audit_action": {"nl": "Actie", "en": "Action"},
    "audit_detail": {"nl": "Details", "en": "Details"},
    "action_case_change": {"nl": "Case gewijzigd", "en": "Case changed"},
    "action_thank": {"nl": "Promoters bedankt", "en": "Promoters thanked"},
    "action_upload": {"nl": "Bestand geïmporteerd", "en": "File imported"},
    "action_connect_source": {"nl": "Bron gekoppeld", "en": "Source connected"},
    "action_refresh_source": {"nl": "Bron ververst", "en": "Source refreshed"},
    "action_edit_themes": {"nl": "Thema's bewerkt", "en": "Themes edited"},
    "action_reset_themes": {"nl": "Thema's teruggezet", "en": "Themes reset"},
    "action_delete_dataset": {"nl": "Dataset verwijderd", "en": "Dataset deleted"},
    "action_alert_rule": {"nl": "Alertregel opgeslagen", "en": "Alert rule saved"},
    "action_export_comments": {"nl": "Opmerkingen geëxporteerd", "en": "Comments exported"},
    "action_export_promoters": {"nl": "Promoters geëxporteerd", "en": "Promoters exported"},
    "action_export_records": {"nl": "Records geëxporteerd", "en": "Records exported"},
    "action_currency": {"nl": "Valuta ingesteld", "en": "Currency set"},
    "currency_title": {"nl": "Valuta", "en": "Currency"},
    "currency_global": {"nl": "Valuta van alle datasets", "en": "Currency of every dataset"},
    "currency_dataset": {"nl": "Valuta van dataset {dataset}", "en": "Currency of dataset {dataset}"},
    "currency_follow": {"nl": "Zoals alle datasets ({currency})", "en": "As every dataset ({currency})"},
    "currency_help": {"nl": "Waarin bedragen op deze pagina en in het bestuursrapport staan. Alleen beheerders kunnen dit wijzigen.",
                      "en": "What money is shown in on this page and in the board report. Only admins can change it."},
    "currency_saved": {"nl": "Valuta opgeslagen: {currency}", "en": "Currency saved: {currency}"},
    "loading": {"nl": "Gegevens laden…", "en": "Loading data…"},
    "first_start": {"nl": "Demodata laden (eenmalig)…", "en": "Loading the demo data (first start only)…"},
    "period_caption": {
        "nl": "{period} · {types} · dataset {dataset}",
        "en": "{period} · {types} · dataset {dataset}",
    },
    "evolution": {"nl": 'Evolutie', "en": 'Evolution'},
    "segments": {"nl": 'Segmenten', "en": 'Segments'},
    "verbatims": {"nl": 'Verbatims', "en": 'Verbatims'},
    "customer_value": {"nl": 'Klantwaarde', "en": 'Customer value'},
    "segment_filters": {"nl": 'Segmentfilters', "en": 'Segment filters'},
    "all": {"nl": 'Alle', "en": 'All'},
    "dim_touchpoint": {"nl": 'Contactmoment', "en": 'Touchpoint'},
    "dim_product": {"nl": 'Product', "en": 'Product'},
    "dim_channel": {"nl": 'Kanaal', "en": 'Channel'},
    "dim_region": {"nl": 'Regio', "en": 'Region'},
    "dim_agent": {"nl": 'Medewerker', "en": 'Agent'},
    "dim_customer_segment": {"nl": 'Klantsegment', "en": 'Customer segment'},
    "dim_yearly_revenue": {"nl": 'Jaaromzet', "en": 'Yearly revenue'},
    "granularity": {"nl": 'Per', "en": 'By'},
    "grain_day": {"nl": 'Dag', "en": 'Day'},
    "grain_week": {"nl": 'Week', "en": 'Week'},
    "grain_month": {"nl": 'Maand', "en": 'Month'},
    "grain_quarter": {"nl": 'Kwartaal', "en": 'Quarter'},
    "lines_per": {"nl": 'Lijnen', "en": 'Lines'},
    "one_line": {"nl": 'Eén lijn (alles)', "en": 'One line (all)'},
    "hollow_small": {"nl": 'Open punten: minder dan {small} responses, te weinig om op te vertrouwen.', "en": 'Hollow points: fewer than {small} responses, too few to trust.'},
    "shares_title": {"nl": 'Promoters, passives en detractors', "en": 'Promoters, passives and detractors'},
    "drill_path": {"nl": 'Ingezoomd op', "en": 'Drilled into'},
    "filtered_on": {"nl": 'Gefilterd op', "en": 'Filtered on'},
    "undo_drill": {"nl": 'Stap terug', "en": 'Step back'},
    "break_down_by": {"nl": 'Uitsplitsen naar', "en": 'Break down by'},
    "click_to_drill": {"nl": 'Klik op een balk om in te zoomen op dat segment; alles hieronder en de verbatims volgen.', "en": 'Click a bar to drill into that segment; everything below and the verbatims follow.'},
    "no_values": {"nl": "Geen waarden van {dimension} in deze selectie; kies een andere uitsplitsing.",
                  "en": "No {dimension} values in this selection; choose another breakdown."},
    "significant_col": {"nl": "Significant", "en": "Significant"},
    "change": {"nl": 'Verandering', "en": 'Change'},
    "latest_verbatims": {"nl": 'Laatste opmerkingen', "en": 'Latest comments'},
    "all_verbatims": {"nl": 'Alle opmerkingen', "en": 'All comments'},
    "no_verbatims": {"nl": 'Geen opmerkingen voor deze filters.', "en": 'No comments match these filters.'},
    "search": {"nl": 'Zoeken in opmerkingen', "en": 'Search comments'},
    "search_hint": {"nl": 'bijv. bezorging te laat', "en": 'e.g. delivery late'},
    "search_mode": {"nl": 'Zoeken op', "en": 'Search by'},
    "mode_words": {"nl": 'Woorden', "en": 'Words'},
    "mode_meaning": {"nl": 'Betekenis (Nederlands en Engels)', "en": 'Meaning (Dutch and English)'},
    "meaning_hint": {"nl": 'bijv. lang wachten aan de telefoon', "en": 'e.g. on hold for a long time'},
    "meaning_help": {"nl": 'De {n} opmerkingen die het meest lijken op wat u typt, ook in de andere taal en met andere woorden; de best passende zin is gemarkeerd.', "en": 'The {n} comments closest in meaning to what you type, also in the other language and in other words; the closest sentence is highlighted.'},
    "meaning_empty": {"nl": 'Typ een zin om op betekenis te zoeken.', "en": 'Type a sentence to search by meaning.'},
    "discovered": {"nl": 'Waar klanten over praten (gevonden zonder thema-indeling)', "en": 'What customers talk about (found without a theme list)'},
    "discovered_help": {"nl": 'Onderwerpen gevonden door zinnen met dezelfde betekenis te groeperen, in het Nederlands en Engels; genoemd met een zinsdeel uit de opmerkingen zelf, met hun kenmerkende woorden ernaast. NPS en impact zoals bij thema\'s: de reacties die het onderwerp noemen.', "en": 'Topics found by grouping sentences with the same meaning, in Dutch and English; named by a phrase from the comments themselves, their distinctive words beside it. NPS and impact as for themes: the responses that mention the topic.'},
    "no_topics": {"nl": 'Te weinig opmerkingen in deze selectie om onderwerpen te vinden.', "en": 'Too few comments in this selection to find topics.'},
    "topic": {"nl": 'Onderwerp', "en": 'Topic'},
    "topic_pick": {"nl": 'Voorbeeldzinnen van', "en": 'Example sentences of'},
    "topic_terms": {"nl": 'Kenmerkende woorden: {terms}', "en": 'Distinctive words: {terms}'},
    "category": {"nl": 'Categorie', "en": 'Category'},
    "score": {"nl": 'Score', "en": 'Score'},
    "page": {"nl": 'Pagina', "en": 'Page'},
    "verbatim_count": {"nl": "**{comments}** · {pages} · nieuwste eerst", "en": "**{comments}** · {pages} · newest first"},
    "n_comments": {"nl": {"one": "{n} opmerking", "other": "{n} opmerkingen"},
                   "en": {"one": "{n} comment", "other": "{n} comments"}},
    "n_pages": {"nl": {"one": "{n} pagina", "other": "{n} pagina's"}, "en": {"one": "{n} page", "other": "{n} pages"}},
    "download_csv": {"nl": 'Download CSV', "en": 'Download CSV'},
    "download_xlsx": {"nl": 'Download Excel', "en": 'Download Excel'},
    "download_csv_help": {"nl": "Met ; tussen de velden en een komma in getallen, zoals Excel in het Nederlands een "
                                "CSV leest. Het Excel-bestand opent in elke taal goed.",
                          "en": "With commas between the fields, as Excel in English reads a CSV. The Excel file "
                                "opens correctly in any language."},
    "no_value_column": {"nl": 'Deze dataset heeft geen kolom met omzet of besteding.', "en": 'This dataset has no revenue or spend column.'},
    "value_column": {"nl": 'Waarde', "en": 'Value'},
    "difference": {"nl": 'Verschil', "en": 'Difference'},
    "gap_line": {"nl": 'Promoters besteden gemiddeld **{ratio}×** zoveel als detractors (95 %-interval van het verschil: {low} tot {high}): **{verdict}**. Elke klant telt één keer, met zijn laatste score ({customers} klanten).', "en": 'Promoters spend **{ratio}×** as much as detractors on average (95 % interval of the difference: {low} to {high}): **{verdict}**. Each customer counts once, with their latest score ({customers} customers).'},
    "gap_significant": {"nl": 'een echt verschil', "en": 'a real difference'},
    "gap_not_significant": {"nl": 'geen aantoonbaar verschil', "en": 'no demonstrable difference'},
    "value_by_category": {"nl": '{column} per klant, per categorie', "en": '{column} per customer, by category'},
    "value_over_time": {"nl": '{column} per klant in de tijd', "en": '{column} per customer over time'},
    "upload": {"nl": 'Uploaden', "en": 'Upload'},
    "upload_help": {"nl": 'Een export van elk enquêteprogramma: CSV, TSV of Excel, Nederlandse of Engelse kolomnamen. Niets wordt opgeslagen voordat u op Importeren klikt.', "en": 'An export from any survey tool: CSV, TSV or Excel, Dutch or English headers. Nothing is stored until you click Import.'},
    "choose_file": {"nl": 'Kies een bestand', "en": 'Choose a file'},
    "reading_file": {"nl": 'Bestand lezen…', "en": 'Reading the file…'},
    "file_refused": {"nl": 'Dit bestand kan niet worden geïmporteerd: {error}', "en": 'This file cannot be imported: {error}'},
    "file_sampled": {"nl": 'De kolommen zijn geraden uit de eerste {rows} rijen; de import leest alle rijen.', "en": 'Columns guessed from the first {rows} rows; the import reads every row.'},
    "file_detected": {"nl": '{rows} rijen, {columns} kolommen · tekenset {encoding} · scheidingsteken {delimiter}', "en": '{rows} rows, {columns} columns · encoding {encoding} · delimiter {delimiter}'},
    "warn_category_disagrees": {"nl": '{file}: bij sommige rijen spreekt het label promoter / passive / detractor de score tegen; de score is gebruikt (het label is alleen een controle).', "en": '{file}: in some rows the promoter / passive / detractor label contradicts the score; the score was used (the label is only a check).'},
    "warn_mixed_encoding": {"nl": '{file} mengt UTF-8 en Windows-1252 (bijvoorbeeld regels uit twee systemen): elk teken is gelezen in de tekenset waarin het klopt; controleer of de accenten kloppen.', "en": '{file} mixes UTF-8 and Windows-1252 (rows from two systems, say): each character was read in the encoding it is valid in; check that the accents look right.'},
    "preview": {"nl": 'Voorbeeld (eerste rijen, zoals in het bestand)', "en": 'Preview (first rows, as in the file)'},
    "mapping": {"nl": 'Kolommen koppelen', "en": 'Column mapping'},
    "mapping_help": {"nl": 'Onze gok op basis van kolomnamen en inhoud; pas aan waar nodig.', "en": 'Our guess from the column names and content; correct it where needed.'},
    "ev_canonical_name": {"nl": "kolomnaam is de veldnaam", "en": "the header is the field's own name"},
    "ev_name": {"nl": "kolomnaam bevat ‘{word}’", "en": "header says ‘{word}’"},
    "ev_whole_0_10": {"nl": "{share} % hele getallen 0–10 ({low}–{high})",
                      "en": "{share} % whole numbers 0–10 ({low}–{high})"},
    "ev_in_0_10": {"nl": "{share} % getallen 0–10, ook met decimalen ({low}–{high})",
                   "en": "{share} % numbers 0–10, some with decimals ({low}–{high})"},
    "ev_name_only_score": {"nl": "kolomnaam bevat ‘{word}’, maar maar {share} % is 0–10: de rest wordt afgewezen",
                           "en": "header says ‘{word}’, but only {share} % are 0–10: the rest is rejected"},
    "ev_dates": {"nl": "{share} % leesbaar als datum", "en": "{share} % read as dates"},
    "ev_name_only_date": {"nl": "kolomnaam bevat ‘{word}’, maar maar {share} % is een datum: die rijen worden afgewezen",
                          "en": "header says ‘{word}’, but only {share} % read as dates: those rows are rejected"},
    "ev_free_text": {"nl": "vrije tekst: gemiddeld {length} tekens, {distinct} % verschillend",
                     "en": "free text: mean {length} characters, {distinct} % distinct"},
    "ev_type_values": {"nl": "{share} % programmatypen (relatie, transactie, product, rNPS, tNPS)",
                       "en": "{share} % programme types (relationship, transaction, product, rNPS, tNPS)"},
    "ev_category_values": {"nl": "{share} % promoter / passive / detractor",
                           "en": "{share} % promoter / passive / detractor"},
    "ev_unique_ids": {"nl": "{share} % uniek, één code per rij", "en": "{share} % unique, one code per row"},
    "ev_ids": {"nl": "codes, {distinct} verschillende", "en": "codes, {distinct} different"},
    "ev_values": {"nl": "{distinct} verschillende waarden", "en": "{distinct} different values"},
    "ev_empty": {"nl": "leeg", "en": "empty"},
    "ev_remembered": {"nl": "onthouden van de import in ‘{dataset}’ ({saved_at})",
                      "en": "remembered from the import into ‘{dataset}’ ({saved_at})"},
    "ev_chosen": {"nl": "door u gekozen", "en": "your choice"},
    "ev_undecided": {"nl": "{n} kolommen passen even goed ({columns}): kies er zelf een",
                     "en": "{n} columns fit equally well ({columns}): pick one yourself"},
    "ev_star_scale": {"nl": "Geen vraag van 0 tot 10 gevonden; {columns} loopt van 1 tot 5 (sterren?). Als NPS "
                            "gelezen is elk antwoord een detractor: kies het alleen als score als het echt de "
                            "aanbevelingsvraag is",
                      "en": "No 0–10 question found; {columns} runs from 1 to 5 (stars?). Read as NPS every answer "
                            "would be a detractor: pick it as the score only if it really is the recommend "
                            "question"},
    "ev_category": {"nl": "‘{column}’ bevat promoter / passive / detractor: gebruikt als controle op de score, "
                          "niet als score; {n} rijen spreken de score tegen",
                    "en": "‘{column}’ holds promoter / passive / detractor: used as a check on the score, "
                          "never as the score; {n} rows disagree with the score"},
    "remembered_title": {"nl": "Onthouden koppelingen", "en": "Remembered mappings"},
    "remembered_help": {"nl": "Een koppeling die u bevestigt, geldt voor elk volgend bestand met dezelfde kolommen.",
                        "en": "A mapping you confirm is reused for every later file with the same columns."},
    "remembered_fields": {"nl": "Velden", "en": "Fields"},
    "remembered_none": {"nl": "Nog geen onthouden koppelingen.", "en": "No remembered mappings yet."},
    "saved_at": {"nl": "Opgeslagen", "en": "Saved"},
    "forget_which": {"nl": "Koppeling vergeten", "en": "Forget mapping"},
    "forget": {"nl": "Vergeten", "en": "Forget"},
    "not_in_file": {"nl": '— niet in bestand —', "en": '— not in file —'},
    "field_response_id": {"nl": 'Response-ID', "en": 'Response id'},
    "field_responded_at": {"nl": 'Datum *', "en": 'Date *'},
    "field_score": {"nl": 'Score (0–10) *', "en": 'Score (0–10) *'},
    "field_comment": {"nl": 'Opmerking', "en": 'Comment'},
    "field_nps_type": {"nl": 'Programmatype', "en": 'Programme type'},
    "field_customer_id": {"nl": 'Klantnummer', "en": 'Customer id'},
    "type_for_upload": {"nl": 'Programmatype van dit bestand', "en": 'Programme type of this file'},
    "type_for_empty": {"nl": 'Programmatype voor lege cellen', "en": 'Programme type for empty cells'},
    "choose": {"nl": "Kies…", "en": "Choose…"},
    "choose_type": {"nl": "Kies het programmatype van dit bestand (relatie, transactie of product).",
                    "en": "Choose this file's programme type (relationship, transaction or product)."},
    "from_column": {"nl": 'uit de kolom', "en": 'from the column'},
    "date_order": {"nl": 'Datumvolgorde', "en": 'Date order'},
    "order_auto": {"nl": 'automatisch', "en": 'automatic'},
    "order_dmy": {"nl": 'dag-maand-jaar', "en": 'day-month-year'},
    "order_mdy": {"nl": 'maand-dag-jaar', "en": 'month-day-year'},
    "date_ambiguous": {"nl": 'Elke datum kan beide kanten op; we lezen {order}. Klopt dat niet, kies dan hierboven.', "en": 'Every date reads both ways; we read {order}. If that is wrong, choose above.'},
    "dataset_name": {"nl": 'Naam van de dataset', "en": 'Dataset name'},
    "missing_fields": {"nl": 'Koppel eerst: {fields}.', "en": 'Map these first: {fields}.'},
    "import": {"nl": 'Importeren', "en": 'Import'},
    "importing": {"nl": 'Importeren…', "en": 'Importing…'},
    "import_progress": {"nl": 'Importeren… {stage} ({seconds} s)', "en": 'Importing… {stage} ({seconds} s)'},
    "stage_starting": {"nl": 'starten', "en": 'starting'},
    "stage_connecting": {"nl": 'verbinden met de bron', "en": 'connecting to the source'},
    "stage_reading": {"nl": 'bestand lezen', "en": 'reading the file'},
    "stage_validating": {"nl": 'rijen controleren', "en": 'checking the rows'},
    "stage_storing": {"nl": 'opslaan', "en": 'storing'},
    # -- issue 31
    "stage_indexing": {"nl": 'dagtotalen en commentaarindex bijwerken', "en": 'updating the daily counts and comment index'},
    "stage_recording": {"nl": 'afgewezen rijen vastleggen', "en": 'recording rejected rows'},
    "stage_writing rejects": {"nl": 'afgewezen rijen wegschrijven', "en": 'writing rejected rows'},
    "stage_enriching": {"nl": 'opgeslagen; taal, sentiment en thema\'s bepalen', "en": 'stored; finding language, sentiment and themes'},
    "stage_done": {"nl": 'klaar', "en": 'done'},
    "stored_analysing": {"nl": "{n} antwoorden opgeslagen in {dataset}; de opmerkingen worden nu geanalyseerd…",
                         "en": "{n} responses stored in {dataset}; analysing their comments…"},
    "stored_not_analysed": {
        "nl": "Opgeslagen. De analyse van de opmerkingen is onderbroken ({error}); die gaat vanzelf verder op de "
              "achtergrond.",
        "en": "Stored. Analysing the comments was cut off ({error}); it carries on by itself in the background."},
    "analysis_pending": {
        "nl": {"one": "1 opmerking wordt nog geanalyseerd{progress}: thema's, sentiment en zoeken op betekenis "
                      "tellen haar nog niet mee.",
               "other": "{n} opmerkingen worden nog geanalyseerd{progress}: thema's, sentiment en zoeken op "
                        "betekenis tellen ze nog niet mee."},
        "en": {"one": "1 comment still being analysed{progress}: themes, sentiment and meaning search do not "
                      "count it yet.",
               "other": "{n} comments still being analysed{progress}: themes, sentiment and meaning search do not "
                        "count them yet."}},
    "cancel_import": {"nl": 'Import annuleren', "en": 'Cancel import'},
    "import_cancelled": {"nl": 'Import geannuleerd: er is niets opgeslagen.', "en": 'Import cancelled: nothing was stored.'},
    "import_died": {"nl": 'De import is afgebroken ({error}), misschien door geheugengebrek. Er is niets opgeslagen: probeer het opnieuw of splits het bestand.', "en": 'The import was cut off ({error}), perhaps for lack of memory. Nothing was stored: try again, or split the file.'},
    "import_memory": {"nl": 'De import had te weinig geheugen ({error}). Er is niets opgeslagen: splits het bestand in kleinere delen.', "en": 'The import ran out of memory ({error}). Nothing was stored: split the file into smaller ones.'},
    "import_result": {"nl": 'Resultaat: dataset {dataset}', "en": 'Result: dataset {dataset}'},
    "count_read": {"nl": 'Gelezen', "en": 'Read'},
    "count_imported": {"nl": 'Geïmporteerd', "en": 'Imported'},
    "count_duplicates": {"nl": 'Dubbel', "en": 'Duplicates'},
    "count_rejected": {"nl": 'Afgewezen', "en": 'Rejected'},
    "reason": {"nl": 'Reden', "en": 'Reason'},
    "download_rejects": {"nl": 'Download afgewezen rijen', "en": 'Download rejected rows'},
    "open_dashboard": {"nl": 'Bekijk het dashboard van deze dataset', "en": 'Open the dashboard on this dataset'},
    "datasets_title": {"nl": 'Datasets', "en": 'Datasets'},
    "delete_which": {"nl": 'Dataset verwijderen', "en": 'Delete a dataset'},
    "ds_first": {"nl": "eerste", "en": "first"},
    "ds_last": {"nl": "laatste", "en": "last"},
    "ds_source": {"nl": "bron", "en": "source"},
    "ds_default": {"nl": "standaard", "en": "default"},
    "default_which": {"nl": "Standaarddataset (voor iedereen die het dashboard opent)",
                      "en": "Default dataset (for everyone who opens the dashboard)"},
    "set_default": {"nl": "Als standaard instellen", "en": "Make it the default"},
    "default_set": {"nl": "{dataset} is nu de standaarddataset.", "en": "{dataset} is now the default dataset."},
    "delete_confirm": {"nl": 'Ja, verwijder {dataset} en alles wat erin geïmporteerd is', "en": 'Yes, delete {dataset} and everything imported into it'},
    "delete": {"nl": 'Verwijderen', "en": 'Delete'},
    "deleted": {"nl": '{dataset} is verwijderd', "en": '{dataset} was deleted'},
    "keep_one": {"nl": 'De laatste dataset blijft staan.', "en": 'The last dataset stays.'},
    "themes": {"nl": "Thema's", "en": 'Themes'},
    "uncaught_line": {"nl": '**{share}** van de opmerkingen valt onder geen enkel thema.', "en": '**{share}** of the comments fall under no theme.'},
    "action_points": {"nl": 'Eerst aanpakken', "en": 'Fix first'},
    "impact_help": {"nl": 'NPS-punten die dit thema kost: de NPS min de NPS zonder de responses die het noemen.', "en": 'NPS points this theme costs: the NPS minus the NPS without the responses that mention it.'},
    "theme_facts": {"nl": {"one": "{n} keer genoemd · NPS van wie het noemt {nps}", "other": "{n} keer genoemd · NPS van wie het noemt {nps}"},
                    "en": {"one": "mentioned once · NPS of the one who mentions it {nps}", "other": "mentioned {n} times · NPS of those who mention it {nps}"}},
    "priority_matrix": {"nl": 'Prioriteitenmatrix', "en": 'Priority matrix'},
    "matrix_help": {"nl": 'Rechtsonder: ernstige problemen die veel klanten noemen. Linksonder: slechte scores op iets wat weinigen raakt.', "en": 'Bottom right: serious problems many customers mention. Bottom left: bad scores on something only a few care about.'},
    "matrix_volume": {"nl": 'Aandeel van de opmerkingen', "en": 'Share of comments'},
    "matrix_impact": {"nl": 'Impact op NPS (punten)', "en": 'Impact on NPS (points)'},
    "impact": {"nl": 'Impact', "en": 'Impact'},
    "all_themes": {"nl": "Alle thema's", "en": 'All themes'},
    "theme": {"nl": 'Thema', "en": 'Theme'},
    "nps_without": {"nl": 'NPS zonder', "en": 'NPS without'},
    "sentiment": {"nl": 'Sentiment', "en": 'Sentiment'},
    "emerging": {"nl": 'Opkomende onderwerpen', "en": 'Emerging topics'},
    "emerging_help": {"nl": 'Woorden en woordparen die nu significant vaker voorkomen dan in de periode ervoor (drie keer zo lang).', "en": 'Words and word pairs that now appear significantly more often than in the period before (three times as long).'},
    "no_emerging": {"nl": 'Niets komt significant vaker voor dan in de periode ervoor.', "en": 'Nothing appears significantly more often than before.'},
    "term": {"nl": 'Term', "en": 'Term'},
    "before": {"nl": 'Ervoor', "en": 'Before'},
    "no_theme": {"nl": 'Nog geen thema', "en": 'No theme yet'},
    "mismatches": {"nl": 'Lees deze even', "en": 'Worth a read'},
    "mismatch_promoter": {"nl": 'Promoters met een negatieve opmerking', "en": 'Promoters with a negative comment'},
    "mismatch_detractor": {"nl": 'Detractors met een positieve opmerking', "en": 'Detractors with a positive comment'},
    "share_of_comments": {"nl": "Aandeel van de opmerkingen", "en": "Share of comments"},
    "sentiment_axis": {"nl": "Sentiment (−1 negatief … +1 positief)", "en": "Sentiment (−1 negative … +1 positive)"},
    "theme_trends": {"nl": "Thema's door de tijd", "en": "Themes over time"},
    "theme_trends_help": {"nl": "Hoeveel van de opmerkingen per maand een thema noemen. Standaard de thema's die de meeste NPS kosten.", "en": "How many of each month's comments mention a theme. By default the themes that cost the most NPS."},
    "themes_by_segment": {"nl": "Thema's per segment", "en": "Themes per segment"},
    "themes_by_segment_help": {"nl": "Percentage van de opmerkingen in elk segment dat het thema noemt; de tooltip geeft de NPS van wie het noemt.", "en": "Percentage of each segment's comments that mention the theme; the tooltip gives the NPS of those who do."},
    "segment_by": {"nl": "Segment", "en": "Segment"},
    "sentiment_by_theme": {"nl": "Wat zeggen promoters en detractors per thema?", "en": "What do promoters and detractors say per theme?"},
    "sentiment_by_theme_help": {"nl": "Gemiddeld sentiment van de opmerkingen per groep. Kies een thema om te lezen wat detractors erover zeggen.", "en": "Mean sentiment of the comments per group. Pick a theme to read what detractors say about it."},
    "detractors_on": {"nl": "Detractors over", "en": "Detractors on"},
    "make_theme": {"nl": "Maak er een thema van", "en": "Make it a theme"},
    "make_theme_pick": {"nl": "Onderwerp zonder thema", "en": "Topic without a theme"},
    "edit_themes": {"nl": "Thema's bewerken", "en": "Edit themes"},
    "edit_themes_link": {"nl": "Thema's aanpassen met voorbeeldzinnen", "en": "Edit themes by example sentences"},
    "te_intro_default": {"nl": "Deze dataset gebruikt de standaardthema's. Een wijziging geldt alleen voor **{dataset}**.", "en": "This dataset uses the default themes. A change applies to **{dataset}** only."},
    "te_intro_custom": {"nl": "Deze dataset heeft eigen thema's (versie {version}).", "en": "This dataset has its own themes (version {version})."},
    "te_pick": {"nl": "Thema", "en": "Theme"},
    "te_new": {"nl": "+ Nieuw thema", "en": "+ New theme"},
    "te_key": {"nl": "Sleutel (kleine letters, cijfers, _)", "en": "Key (lower-case letters, digits, _)"},
    "te_key_help": {"nl": "Voor exports en de opdrachtregel. Leeg gelaten volgt hij uit de naam.", "en": "For exports and the command line. Left empty, it follows from the name."},
    "te_examples": {"nl": "Voorbeeldzinnen (één per regel, Nederlands of Engels)", "en": "Example sentences (one per line, Dutch or English)"},
    "te_examples_help": {"nl": "Schrijf een paar zinnen zoals klanten ze zeggen, positief en negatief. Een opmerking valt onder het thema als een van haar zinnen dezelfde betekenis heeft, ook in de andere taal en in andere woorden. Meer verschillende voorbeelden vangen meer.", "en": "Write a few sentences as customers say them, positive and negative. A comment falls under the theme when one of its sentences means the same, also in the other language and in other words. More varied examples catch more."},
    "te_examples_placeholder": {"nl": "Ik hing veertig minuten in de wacht\nNiemand neemt de telefoon op", "en": "I was on hold for forty minutes\nNobody answers the phone"},
    "te_caught_by": {"nl": "Gevangen door de zin: “{sentence}”", "en": "Caught by the sentence: “{sentence}”"},
    "te_examples_n": {"nl": "Voorbeeldzinnen", "en": "Example sentences"},
    "te_advanced": {"nl": "Geavanceerd: regel (reguliere expressie) en sleutel", "en": "Advanced: rule (regular expression) and key"},
    "te_how": {"nl": "Een opmerking valt onder het thema als een van haar zinnen zegt wat de voorbeelden zeggen (in het Nederlands of Engels; een zin telt bij het thema met de meest gelijkende voorbeelden) of als de regel erop past. Nieuw gevangen en niet meer gevangen: vergeleken met de opgeslagen versie.", "en": "A comment falls under the theme when one of its sentences says what the examples say (in Dutch or English; a sentence counts for the theme with the most similar examples) or when the rule matches. Newly caught and no longer caught: compared with the saved version."},
    "te_label_nl": {"nl": "Naam in het Nederlands", "en": "Name in Dutch"},
    "te_label_en": {"nl": "Naam in het Engels", "en": "Name in English"},
    "te_rule": {"nl": "Regel", "en": "Rule"},
    "te_rule_help": {"nl": "Woorden of woorddelen gescheiden door | ; hoofdletters tellen niet. Een woorddeel vangt ook samenstellingen: bezorg vangt bezorger en bezorgdienst. \\b markeert een woordgrens.", "en": "Words or word parts separated by | ; case does not matter. A word part also catches compounds: deliver catches delivery and delivered. \\b marks a word boundary."},
    "te_start": {"nl": "Geef het nieuwe thema een naam en een paar voorbeeldzinnen; hier verschijnt dan wat het vangt.", "en": "Give the new theme a name and a few example sentences; what it catches appears here."},
    "te_preview": {"nl": "Voorbeeld", "en": "Preview"},
    "te_caught": {"nl": "Gevangen", "en": "Caught"},
    "te_gained": {"nl": "Nieuw gevangen", "en": "Newly caught"},
    "te_lost": {"nl": "Niet meer gevangen", "en": "No longer caught"},
    "te_of_comments": {"nl": "van {n} verschillende opmerkingen", "en": "of {n} distinct comments"},
    "te_examples_caught": {"nl": "Wat het thema vangt", "en": "What the theme catches"},
    "te_examples_gained": {"nl": "Nieuw erbij", "en": "Newly caught"},
    "te_examples_lost": {"nl": "Valt eraf", "en": "No longer caught"},
    "te_examples_uncaught": {"nl": "Nog zonder thema (wat mist het thema?)", "en": "Still without a theme (what does the theme miss?)"},
    "te_save": {"nl": "Opslaan en opnieuw taggen", "en": "Save and re-tag"},
    "te_saved": {"nl": "Opgeslagen: {comments} opmerkingen opnieuw getagd in {seconds} s.", "en": "Saved: {comments} comments re-tagged in {seconds} s."},
    "te_delete": {"nl": "Thema verwijderen", "en": "Delete theme"},
    "te_deleted": {"nl": "Thema verwijderd.", "en": "Theme deleted."},
    "te_reset": {"nl": "Terug naar de standaardthema's", "en": "Back to the default themes"},
    "te_reset_done": {"nl": "Deze dataset gebruikt weer de standaardthema's.", "en": "This dataset uses the default themes again."},
    "te_all": {"nl": "Alle thema's van deze dataset", "en": "All themes of this dataset"},
    "te_invalid": {"nl": "Niet opgeslagen: {reason}", "en": "Not saved: {reason}"},
    # follow-up: cases, promoters to thank, alert rules, notifications
    "followup": {"nl": 'Opvolging', "en": 'Follow-up'},
    "fu_contacted_48h": {"nl": 'Binnen 48 uur gebeld', "en": 'Contacted within 48 h'},
    "fu_contacted_48h_help": {"nl": 'Aandeel van de kritieke detractors (score 0–6) waarvan de 48 uur om zijn, dat binnen 48 uur na hun antwoord gecontacteerd is.', "en": 'Share of the critical detractors (score 0–6) whose 48 hours have passed that were contacted within 48 hours of answering.'},
    "fu_of": {"nl": '{k} van {n}', "en": '{k} of {n}'},
    "fu_median_contact": {"nl": 'Mediaan tot eerste contact', "en": 'Median time to first contact'},
    "fu_hours": {"nl": '{h} uur', "en": '{h} h'},
    "fu_contacted_n": {"nl": '{n} gecontacteerd', "en": '{n} contacted'},
    "fu_resolved": {"nl": 'Opgelost', "en": 'Resolved'},
    "fu_later_score": {"nl": 'Score na terugbellen', "en": 'Score after call-back'},
    "fu_later_help": {"nl": 'Gemiddelde score van het eerstvolgende antwoord van teruggebelde klanten (zelfde klant-id), tegen hun score toen.', "en": 'Mean score of the next answer of customers who were called back (same customer id), against their score then.'},
    "fu_later_caption": {"nl": 'was {before} · NPS {nps} · n = {n}', "en": 'was {before} · NPS {nps} · n = {n}'},
    "fu_cases": {"nl": 'Kritieke cases', "en": 'Critical cases'},
    "fu_thank": {"nl": 'Promoters bedanken', "en": 'Promoters to thank'},
    "fu_rules": {"nl": 'Alertregels', "en": 'Alert rules'},
    "fu_who": {"nl": 'Uw naam (wordt bij elke wijziging bewaard)', "en": 'Your name (kept with every change)'},
    "fu_who_missing": {"nl": 'Vul eerst uw naam in: elke wijziging wordt met naam en tijd bewaard.', "en": 'Enter your name first: every change is kept with who and when.'},
    "fu_status_filter": {"nl": 'Status', "en": 'Status'},
    "fu_case_count": {"nl": '**{n}** cases: {new} nieuw, {contacted} gecontacteerd, {resolved} opgelost, {no_action} geen actie.', "en": '**{n}** cases: {new} new, {contacted} contacted, {resolved} resolved, {no_action} no action.'},
    "fu_no_cases": {"nl": 'Geen kritieke cases met deze status in deze periode.', "en": 'No critical cases with this status in this period.'},
    "status_new": {"nl": 'Nieuw', "en": 'New'},
    "status_contacted": {"nl": 'Gecontacteerd', "en": 'Contacted'},
    "status_resolved": {"nl": 'Opgelost', "en": 'Resolved'},
    "status_no_action": {"nl": 'Geen actie', "en": 'No action'},
    "customer_id": {"nl": 'Klant-id', "en": 'Customer id'},
    "fu_owner": {"nl": 'Eigenaar', "en": 'Owner'},
    "fu_note": {"nl": 'Notitie', "en": 'Note'},
    "fu_save": {"nl": 'Opslaan', "en": 'Save'},
    "fu_saved": {"nl": 'Opgeslagen.', "en": 'Saved.'},
    "fu_state": {"nl": 'Status: **{status}** · eigenaar: {owner}', "en": 'Status: **{status}** · owner: {owner}'},
    "fu_history": {"nl": 'Geschiedenis ({n})', "en": 'History ({n})'},
    "fu_when": {"nl": 'Wanneer', "en": 'When'},
    "fu_by": {"nl": 'Door', "en": 'By'},
    "fu_rule_fired": {"nl": 'Regel', "en": 'Rule'},
    "rule_critical": {"nl": "kritiek", "en": "critical"},
    "fu_thank_count": {"nl": '**{n}** promoters met een klant-id nog niet bedankt.', "en": '**{n}** promoters with a customer id not thanked yet.'},
    "fu_thank_help": {"nl": 'Download de lijst voor een mailmerge en markeer ze daarna als bedankt.', "en": 'Download the list for a mail merge, then mark them as thanked.'},
    "fu_mark_thanked": {"nl": 'Markeer deze {n} als bedankt', "en": 'Mark these {n} as thanked'},
    "fu_marked": {"nl": {"one": "{n} promoter gemarkeerd als bedankt.", "other": "{n} promoters gemarkeerd als bedankt."},
                  "en": {"one": "{n} promoter marked as thanked.", "other": "{n} promoters marked as thanked."}},
    "fu_show_thanked": {"nl": 'Ook al bedankte promoters tonen', "en": 'Show promoters already thanked too'},
    "fu_thanked_at": {"nl": 'Bedankt op', "en": 'Thanked on'},
    "fu_no_promoters": {"nl": 'Geen promoters om te bedanken in deze periode.', "en": 'No promoters to thank in this period.'},
    "fu_rules_help": {"nl": 'Een response is kritiek als een actieve regel erop past: score binnen het bereik, of een detractor wiens opmerking minstens zo negatief is als de drempel; eventueel alleen bij bepaalde thema\'s, programmatypen of segmenten. De opdracht `python -m nps_core alerts --notify` stuurt elke nieuwe kritieke response één keer naar het kanaal van de regel.', "en": 'A response is critical when an active rule fits it: score within the range, or a detractor whose comment is at least as negative as the threshold; optionally only for some themes, programme types or segments. The command `python -m nps_core alerts --notify` sends each new critical response once to the rule\'s channel.'},
    "fu_rule": {"nl": 'Regel', "en": 'Rule'},
    "fu_new_rule": {"nl": 'Nieuwe regel', "en": 'New rule'},
    "fu_rule_name": {"nl": 'Naam', "en": 'Name'},
    "fu_score_range": {"nl": 'Score van – tot', "en": 'Score from – to'},
    "fu_use_sentiment": {"nl": 'Ook detractors met een zeer negatieve opmerking', "en": 'Also detractors with a very negative comment'},
    "fu_sentiment_max": {"nl": 'Sentiment hoogstens', "en": 'Sentiment at most'},
    "fu_themes": {"nl": 'Alleen bij deze thema\'s', "en": 'Only for these themes'},
    "fu_types": {"nl": 'Alleen bij deze programmatypen', "en": 'Only for these programme types'},
    "fu_dimension": {"nl": 'Alleen in dit segment', "en": 'Only in this segment'},
    "fu_none": {"nl": '(geen)', "en": '(none)'},
    "fu_values": {"nl": 'Waarden', "en": 'Values'},
    "fu_recipient": {"nl": 'Ontvanger (team of persoon)', "en": 'Recipient (team or person)'},
    "fu_channel": {"nl": 'Kanaal: e-mailadres, "webhook" of "webhook:naam"', "en": 'Channel: e-mail address, "webhook" or "webhook:name"'},
    "fu_active": {"nl": 'Actief', "en": 'Active'},
    "fu_configured": {"nl": 'Ingesteld', "en": 'Configured'},
    "fu_conditions": {"nl": 'Voorwaarden', "en": 'Conditions'},
    "fu_cond_score": {"nl": 'score {lo}–{hi}', "en": 'score {lo}–{hi}'},
    "fu_cond_sentiment": {"nl": 'of detractor met sentiment ≤ {s}', "en": 'or detractor with sentiment ≤ {s}'},
    "alert_subject": {"nl": 'Kritieke NPS-response: score {score} · {where}', "en": 'Critical NPS response: score {score} · {where}'},
    "alert_when": {"nl": 'Beantwoord', "en": 'Answered'},
    "alert_rule": {"nl": 'Regel', "en": 'Rule'},
    "alert_for": {"nl": 'Voor', "en": 'For'},
    "alert_comment": {"nl": 'Opmerking van de klant', "en": 'Customer comment'},
    "mask_email": {"nl": "[e-mail]", "en": "[e-mail]"},
    "mask_iban": {"nl": "[IBAN]", "en": "[IBAN]"},
    "mask_bsn": {"nl": "[BSN]", "en": "[BSN]"},
    "mask_phone": {"nl": "[telefoon]", "en": "[phone]"},
    "mask_name": {"nl": "[naam]", "en": "[name]"},
    "report": {"nl": "Rapportage", "en": "Board report"},
    "report_title": {"nl": "NPS-rapportage {period}", "en": "NPS report {period}"},
    "report_headline": {"nl": "NPS deze periode", "en": "NPS this period"},
    "report_evolution": {"nl": "Evolutie over {periods} {unit}", "en": "Evolution over {periods} {unit}"},
    "report_unit_day": {"nl": "dagen", "en": "days"},
    "report_unit_month": {"nl": "maanden", "en": "months"},
    "report_unit_week": {"nl": "weken", "en": "weeks"},
    "report_unit_quarter": {"nl": "kwartalen", "en": "quarters"},
    "report_types": {"nl": "NPS per programmatype", "en": "NPS by programme type"},
    "report_movers": {"nl": "Segmenten die het meest bewogen", "en": "Segments that moved most"},
    "report_up": {"nl": "Gestegen", "en": "Up"},
    "report_down": {"nl": "Gedaald", "en": "Down"},
    "report_no_movers": {"nl": "Geen segment met genoeg responses in beide perioden.", "en": "No segment with enough responses in both periods."},
    "report_themes": {"nl": "Thema's met de meeste invloed op de NPS", "en": "Themes with the most influence on NPS"},
    "report_theme": {"nl": "Aanpakken: {theme}", "en": "To fix: {theme}"},
    "report_theme_facts": {"nl": {"one": "Kost {impact} NPS-punten · {n} keer genoemd · NPS van wie het noemt {nps}", "other": "Kost {impact} NPS-punten · {n} keer genoemd · NPS van wie het noemt {nps}"},
                           "en": {"one": "Costs {impact} NPS points · mentioned once · NPS of the one who mentions it {nps}", "other": "Costs {impact} NPS points · mentioned {n} times · NPS of those who mention it {nps}"}},
    "more": {"nl": "meer", "en": "more"},
    "report_theme_trend": {"nl": "NPS van wie dit thema noemt, per maand", "en": "NPS of those who mention this theme, by month"},
    "report_voices": {"nl": "Wat klanten zeggen", "en": "What customers say"},
    "report_followup": {"nl": "Opvolging", "en": "Follow-up"},
    "report_value": {"nl": "Klantwaarde: {column} per klant", "en": "Customer value: {column} per customer"},
    "report_value_difference": {"nl": "{difference} (95 %: {low} tot {high}), {verdict}",
                                "en": "{difference} (95 %: {low} to {high}), {verdict}"},
    "report_thanked": {"nl": "Promoters bedankt", "en": "Promoters thanked"},
    # scheduled digests and thank-you e-mails (report/digest.py, followup/thank.py)
    "digest_subject": {"nl": "NPS-overzicht {period}: NPS {nps}", "en": "NPS digest {period}: NPS {nps}"},
    "digest_footer": {"nl": "U ontvangt dit overzicht omdat u erop geabonneerd bent in het NPS-dashboard (pagina Overzichten per e-mail); daar zet u het ook stop.", "en": "You receive this digest because you subscribed to it in the NPS dashboard (page E-mail digests); you can stop it there too."},
    "thank_subject": {"nl": "Bedankt, {first_name}!", "en": "Thank you, {first_name}!"},
    "thank_body": {"nl": "Beste {first_name},\n\nHartelijk dank voor uw beoordeling van {touchpoint}. Fijn dat u ons zou aanbevelen!\n\nHeeft u een idee hoe het met {product} nog beter kan? Beantwoord dan gewoon deze e-mail.\n\nMet vriendelijke groet,\nHet klantenserviceteam", "en": "Dear {first_name},\n\nThank you very much for your rating of {touchpoint}. We are glad you would recommend us!\n\nIf you have an idea how we could do even better with {product}, just reply to this e-mail.\n\nKind regards,\nThe customer service team"},
    "thank_missing_first_name": {"nl": "klant", "en": "customer"},
    "thank_missing_touchpoint": {"nl": "uw ervaring met ons", "en": "your experience with us"},
    "thank_missing_product": {"nl": "onze producten", "en": "our products"},
    "escalation_subject": {"nl": "Over tijd: {subject}", "en": "Overdue: {subject}"},
    "escalation_due": {"nl": "Eerste contact had er moeten zijn op {deadline}; niemand heeft de klant nog gesproken.", "en": "First contact was due by {deadline}; nobody has spoken to the customer yet."},
    "fu_overdue_count": {"nl": "{n} nieuwe cases zijn over hun termijn voor eerste contact.", "en": "{n} new cases are past their first-contact deadline."},
    "fu_overdue": {"nl": "Over tijd: eerste contact uiterlijk {deadline}", "en": "Overdue: first contact was due by {deadline}"},
    "fu_due_by": {"nl": "Eerste contact uiterlijk {deadline}", "en": "First contact due by {deadline}"},
    "fu_reopened": {"nl": "Heropend: de klant antwoordde opnieuw met een lage score", "en": "Reopened: the customer answered again with a low score"},
    "fu_root_cause": {"nl": "Oorzaak", "en": "Root cause"},
    "fu_root_cause_pick": {"nl": "(kies een thema)", "en": "(choose a theme)"},
    "fu_root_cause_help": {"nl": "Verplicht bij afsluiten (opgelost of geen actie): het thema dat de klacht veroorzaakte.", "en": "Required when closing (resolved or no action): the theme that caused the complaint."},
    "fu_root_cause_missing": {"nl": "Kies eerst de oorzaak (een thema) om de case af te sluiten; er is niets opgeslagen.", "en": "Choose the root cause (a theme) first to close the case; nothing was saved."},
    "fu_contact_hours": {"nl": "Termijn eerste contact (uren)", "en": "First-contact deadline (hours)"},
    "fu_escalate_to": {"nl": "Escaleren naar (e-mailadres of webhook) als de termijn verstrijkt", "en": "Escalate to (e-mail address or webhook) when the deadline passes"},
    "effort_matrix": {"nl": "Impact tegen inspanning", "en": "Impact against effort"},
    "effort_matrix_help": {"nl": "Wat een thema de NPS kost tegen de inspanning om het op te lossen, zoals het team die inschat; de bel is het aantal vermeldingen. Linksboven de snelle winst: veel NPS voor weinig werk. Een thema zonder inschatting telt als gemiddeld (10 dagen).", "en": "What a theme costs in NPS against the effort to fix it, as the team estimates it; the bubble is the number of mentions. Top left are the quick wins: much NPS for little work. A theme nobody estimated counts as medium (10 days)."},
    "effort_axis": {"nl": "Inspanning (dagen, logschaal)", "en": "Effort (days, log scale)"},
    "cost_axis": {"nl": "Kost aan NPS (punten)", "en": "NPS cost (points)"},
    "quad_quick_win": {"nl": "Snelle winst", "en": "Quick wins"},
    "quad_big_bet": {"nl": "Grote projecten", "en": "Big bets"},
    "quad_fill_in": {"nl": "Kleine klussen", "en": "Fill-ins"},
    "quad_leave_it": {"nl": "Laten liggen", "en": "Leave it"},
    "effort": {"nl": "Inspanning", "en": "Effort"},
    "effort_low": {"nl": "laag", "en": "low"},
    "effort_medium": {"nl": "gemiddeld", "en": "medium"},
    "effort_high": {"nl": "hoog", "en": "high"},
    "effort_days": {"nl": "{d} dagen", "en": "{d} days"},
    "effort_unset": {"nl": "niet ingeschat", "en": "not estimated"},
    "effort_edit": {"nl": "Inspanning per thema inschatten", "en": "Estimate the effort per theme"},
    "effort_edit_help": {"nl": "Kies laag (2 dagen), gemiddeld (10) of hoog (30), of laat het niveau leeg en vul een aantal dagen in. Geldt voor deze dataset.", "en": "Choose low (2 days), medium (10) or high (30), or leave the level empty and enter a number of days. Kept for this dataset."},
    "effort_per_day": {"nl": "{v} NPS-punten per dag inspanning", "en": "{v} NPS points per day of effort"},
    "effort_fact": {"nl": "Inspanning: {effort} · {quadrant} · {per_day}", "en": "Effort: {effort} · {quadrant} · {per_day}"},
    "digests": {"nl": "Overzichten per e-mail", "en": "E-mail digests"},
    "dg_intro": {"nl": "Wie ontvangt de NPS van de afgelopen dag, week of maand per e-mail: de kerncijfers, de segmenten die het meest bewogen en de belangrijkste thema's, eventueel met het PDF-rapport. De geplande opdracht `python -m nps_core digest --send` (bijvoorbeeld elke ochtend via cron) stuurt elk abonnement één keer per periode.", "en": "Who receives the NPS of the past day, week or month by e-mail: the headline figures, the segments that moved most and the top themes, optionally with the PDF report. The scheduled command `python -m nps_core digest --send` (for example every morning from cron) sends each subscription once per period."},
    "dg_not_configured": {"nl": "E-mail is nog niet ingesteld (NPS_SMTP_HOST en NPS_SMTP_FROM, of [notify] in .streamlit/secrets.toml): er wordt niets verstuurd.", "en": "E-mail is not configured yet (NPS_SMTP_HOST and NPS_SMTP_FROM, or [notify] in .streamlit/secrets.toml): nothing is sent."},
    "dg_subscriptions": {"nl": "Abonnementen", "en": "Subscriptions"},
    "dg_none": {"nl": "Nog geen abonnementen.", "en": "No subscriptions yet."},
    "dg_recipient": {"nl": "Ontvanger (e-mailadres)", "en": "Recipient (e-mail address)"},
    "dg_frequency": {"nl": "Frequentie", "en": "Frequency"},
    "freq_daily": {"nl": "dagelijks", "en": "daily"},
    "freq_weekly": {"nl": "wekelijks", "en": "weekly"},
    "freq_monthly": {"nl": "maandelijks", "en": "monthly"},
    "dg_scope": {"nl": "Bereik", "en": "Scope"},
    "dg_default_dataset": {"nl": "standaarddataset", "en": "default dataset"},
    "dg_dataset_help": {"nl": "Het abonnement volgt de dataset die in de zijbalk gekozen is toen het werd aangemaakt.", "en": "The subscription follows the dataset chosen in the sidebar when it was created."},
    "dg_pdf": {"nl": "Met PDF-rapport", "en": "With the PDF report"},
    "dg_last": {"nl": "Laatst verzonden periode", "en": "Last period sent"},
    "dg_pick": {"nl": "Abonnement", "en": "Subscription"},
    "dg_new": {"nl": "Nieuw abonnement", "en": "New subscription"},
    "dg_due": {"nl": "Wat de volgende run verstuurt", "en": "What the next run sends"},
    "dg_nothing_due": {"nl": "Niets: elk actief abonnement heeft zijn laatste periode al ontvangen.", "en": "Nothing: every active subscription has received its latest period."},
    "dg_sent": {"nl": "Verzonden overzichten", "en": "Digests sent"},
    "dg_none_sent": {"nl": "Nog niets verzonden.", "en": "Nothing sent yet."},
    "dg_attempts": {"nl": "Pogingen", "en": "Attempts"},
    "dg_error": {"nl": "Laatste fout", "en": "Last error"},
    "msg_pending": {"nl": "in de wachtrij", "en": "queued"},
    "msg_sending": {"nl": "bezig", "en": "sending"},
    "msg_sent": {"nl": "verzonden", "en": "sent"},
    "msg_failed": {"nl": "mislukt, volgt opnieuw", "en": "failed, retried later"},
    "msg_gave_up": {"nl": "opgegeven", "en": "gave up"},
    "th_email": {"nl": "Automatisch bedanken per e-mail", "en": "Thank-you e-mails"},
    "th_intro": {"nl": "De geplande opdracht `python -m nps_core thank --send` stuurt elke promoter (score 9–10) van de laatste 7 dagen met een e-mailadres in de data één bedankmail, in de taal van zijn opmerking, hoogstens het daglimiet per dag. Adressen of klant-id's op de afmeldlijst krijgen niets. Wie bedankt is, telt mee bij de bedankte promoters.", "en": "The scheduled command `python -m nps_core thank --send` sends every promoter (score 9–10) of the last 7 days with an e-mail address in the data one thank-you e-mail, in the language of their comment, at most the daily cap a day. Addresses or customer ids on the opt-out list get nothing. Those thanked count as thanked promoters."},
    "th_preview": {"nl": "Voorbeeld van de volgende berichten", "en": "Preview of the next messages"},
    "th_nothing": {"nl": "Geen promoters met een e-mailadres om te bedanken.", "en": "No promoters with an e-mail address to thank."},
    "th_to": {"nl": "Aan", "en": "To"},
    "th_template": {"nl": "Sjabloon", "en": "Template"},
    "th_placeholders": {"nl": "Invulvelden: {first_name} (voornaam, of 'klant'), {touchpoint}, {product}.", "en": "Placeholders: {first_name} (or 'customer'), {touchpoint}, {product}."},
    "th_subject": {"nl": "Onderwerp", "en": "Subject"},
    "th_body": {"nl": "Tekst", "en": "Text"},
    "th_cap": {"nl": "Daglimiet (berichten per dag)", "en": "Daily cap (messages a day)"},
    "th_optout": {"nl": "Afmeldlijst: e-mailadressen of klant-id's, één per regel", "en": "Opt-out list: e-mail addresses or customer ids, one a line"},
    "report_note": {"nl": "Over deze cijfers", "en": "About these figures"},
    "report_change": {"nl": "{delta} punten t.o.v. {period} ({verdict})", "en": "{delta} points vs {period} ({verdict})"},
    "report_no_comparison": {"nl": "Geen responses in {period} om mee te vergelijken", "en": "No responses in {period} to compare with"},
    "report_vs_previous": {"nl": "Verandering", "en": "Change"},
    "report_segment": {"nl": "Segment", "en": "Segment"},
    "report_before": {"nl": "Ervoor", "en": "Before"},
    "report_note_sample": {"nl": "Responses: {n} in {period}, {n_prev} in {prev}, {n_year} in {year}.", "en": "Responses: {n} in {period}, {n_prev} in {prev}, {n_year} in {year}."},
    "report_note_rejected": {"nl": "Bij het importeren afgewezen: {rejected} van {read} gelezen rijen.", "en": "Rejected at import: {rejected} of {read} rows read."},
    "report_note_filters": {"nl": "Dataset {dataset} · filters: {filters}.", "en": "Dataset {dataset} · filters: {filters}."},
    "report_note_method": {"nl": "NPS = % promoters (9–10) − % detractors (0–6). Foutmarge: 95 %-betrouwbaarheid. Een verandering is significant als ze groter is dan de gecombineerde foutmarge. Groepen onder {small} responses zijn te klein om op te vertrouwen.", "en": "NPS = % promoters (9–10) − % detractors (0–6). Margin of error: 95 % confidence. A change is significant when it exceeds the combined margin. Groups under {small} responses are too small to trust."},
    "report_note_masked": {"nl": "Persoonsgegevens in opmerkingen (e-mail, telefoon, IBAN, BSN, namen in aanhef en groet) zijn afgeschermd.", "en": "Personal data in comments (e-mail, phone, IBAN, Dutch citizen number, names in greetings and sign-offs) is masked."},
    "report_note_unmasked": {"nl": "Let op: opmerkingen staan er onafgeschermd in, met eventuele persoonsgegevens.", "en": "Note: comments are not masked and may contain personal data."},
    "report_note_generated": {"nl": "Gemaakt op {date}.", "en": "Generated on {date}."},
    "report_by_grain": {"nl": "Rapport per", "en": "Report by"},
    "report_period_pick": {"nl": "Periode van het rapport", "en": "Report period"},
    "report_download": {"nl": "Download {fmt}", "en": "Download {fmt}"},
    "report_present": {"nl": "Presentatieweergave", "en": "Presentation view"},
    "report_present_help": {"nl": "Eén onderdeel tegelijk, groot, voor de beamer.", "en": "One section at a time, large, for the projector."},
    "report_next": {"nl": "Volgende", "en": "Next"},
    "report_previous": {"nl": "Vorige", "en": "Previous"},
    "report_counter": {"nl": "{i} van {n}", "en": "{i} of {n}"},
    "report_mask": {"nl": "Persoonsgegevens afschermen", "en": "Mask personal data"},
    "report_no_data": {"nl": "Geen responses in deze periode: kies een andere periode.", "en": "No responses in this period: choose another period."},
    "report_preview": {"nl": "Voorbeeld", "en": "Preview"},
    "connect": {"nl": "Databronnen", "en": "Data sources"},
    "connect_help": {"nl": "Lees responses rechtstreeks uit een database (PostgreSQL, SQLite, DuckDB) of Parquet-bestanden. "
                           "Verbindingen staan in .streamlit/secrets.toml of een omgevingsvariabele; wachtwoorden worden nooit getoond of opgeslagen. "
                           "We lezen alleen: er wordt nooit iets in uw database geschreven.",
                     "en": "Read responses straight from a database (PostgreSQL, SQLite, DuckDB) or Parquet files. "
                           "Connections live in .streamlit/secrets.toml or an environment variable; passwords are never shown or stored. "
                           "We only read: nothing is ever written to your database."},
    "add_source": {"nl": "Bron toevoegen", "en": "Add a source"},
    "connection": {"nl": "Verbinding", "en": "Connection"},
    "other_connection": {"nl": "Ander bestand of andere map…", "en": "Another file or folder…"},
    "connection_path": {"nl": "Pad of URL zonder wachtwoord (sqlite:…, duckdb:…, parquet:… of een map)",
                        "en": "Path or URL without password (sqlite:…, duckdb:…, parquet:… or a folder)"},
    "no_connections": {"nl": "Nog geen verbinding ingesteld. Zet er een in .streamlit/secrets.toml ([connections.NAAM] url = \"postgresql://…\") of in een omgevingsvariabele NPS_SOURCE_URL_…, of kies hieronder een bestand uit een map in NPS_SOURCE_DIRS.",
                       "en": "No connection set up yet. Add one to .streamlit/secrets.toml ([connections.NAME] url = \"postgresql://…\") or to an environment variable NPS_SOURCE_URL_…, or choose a file below from a folder listed in NPS_SOURCE_DIRS."},
    "source_table": {"nl": "Tabel", "en": "Table"},
    "sql_query": {"nl": "Eigen SELECT-query…", "en": "Own SELECT query…"},
    "query": {"nl": "SELECT-query (wordt door PostgreSQL uitgevoerd, alleen lezen)", "en": "SELECT query (run by PostgreSQL, read-only)"},
    "source_refused": {"nl": "Deze bron kan niet worden gelezen: {error}", "en": "This source cannot be read: {error}"},
    "source_rows_sample": {"nl": "{columns} kolommen · koppeling geraden uit de eerste {rows} rijen", "en": "{columns} columns · mapping guessed from the first {rows} rows"},
    "mode": {"nl": "Werkwijze", "en": "Mode"},
    "mode_live": {"nl": "Live: elke keer uit de bron lezen", "en": "Live: read the source every time"},
    "mode_snapshot": {"nl": "Kopie: in het dashboard opslaan, verversen haalt alleen nieuwe rijen", "en": "Snapshot: copy into the dashboard, a refresh fetches only new rows"},
    "cursor": {"nl": "Oplopende kolom voor verversen (id of tijdstip)", "en": "Increasing column for refreshes (id or timestamp)"},
    "no_cursor": {"nl": "— geen: elke keer alles lezen —", "en": "— none: read everything each time —"},
    "source_name": {"nl": "Naam van de bron (wordt de dataset)", "en": "Source name (becomes the dataset)"},
    "add": {"nl": "Toevoegen", "en": "Add"},
    "source_added": {"nl": "Bron {name} toegevoegd", "en": "Source {name} added"},
    "sources_title": {"nl": "Gekoppelde bronnen", "en": "Connected sources"},
    "no_sources": {"nl": "Nog geen gekoppelde bronnen.", "en": "No connected sources yet."},
    "refresh_which": {"nl": "Bron verversen", "en": "Refresh a source"},
    "refresh": {"nl": "Verversen", "en": "Refresh"},
    "refresh_result": {"nl": "Ververst: {name}", "en": "Refreshed: {name}"},
    "count_available": {"nl": "Bruikbaar", "en": "Usable"},
    "last_refresh": {"nl": "Laatst ververst", "en": "Last refresh"},
    "kind": {"nl": "Soort", "en": "Kind"},
    "reads": {"nl": "Leest", "en": "Reads"},
    "source_unavailable": {"nl": "Bron niet leesbaar: {error}", "en": "Source not readable: {error}"},
    "range_clamped": {"nl": "De gevraagde periode ({asked}) valt (deels) buiten de gegevens, die lopen van {first} "
                            "tot {last}; getoond wordt wat erbinnen valt.",
                      "en": "The period asked for ({asked}) lies (partly) outside the data, which runs from {first} "
                            "to {last}; shown is what lies within it."},
    # theme starter packs (nps_core/text/packs.py) and the fit check (analysis/fit.py)
    "pack_retail": {"nl": "Retail en webwinkel", "en": "Retail and web shop"},
    "pack_telecom": {"nl": "Telecom", "en": "Telecom"},
    "pack_travel": {"nl": "Reizen en luchtvaart", "en": "Travel and airline"},
    "pack_banking": {"nl": "Bank en verzekering", "en": "Banking and insurance"},
    "pack_utilities": {"nl": "Energie en water", "en": "Utilities (energy and water)"},
    "pack_public": {"nl": "Publieke dienstverlening", "en": "Public services"},
    "pack_empty": {"nl": "Leeg (thema's uit de ontdekking)", "en": "Empty (themes from discovery)"},
    "pack_edited": {"nl": "aangepast", "en": "edited"},
    "theme_pack": {"nl": "Startthema's", "en": "Starter themes"},
    "theme_pack_help": {"nl": "De thema's waarmee een nieuwe dataset begint; later te wijzigen op de pagina Thema's. "
                              "Een bestaande dataset houdt zijn thema's.",
                        "en": "The themes a new dataset starts with; changeable later on the Themes page. "
                              "An existing dataset keeps its themes."},
    "pack_line": {"nl": "Thema's: **{pack}**", "en": "Themes: **{pack}**"},
    "pack_change": {"nl": "Ander themapakket kiezen", "en": "Choose another theme pack"},
    "pack_change_help": {"nl": "Vervangt de thema's van deze dataset (ook uw aanpassingen) door het gekozen pakket "
                               "en tagt alle opmerkingen opnieuw.",
                         "en": "Replaces this dataset's themes (your edits too) by the chosen pack and re-tags "
                               "every comment."},
    "pack_apply": {"nl": "Pakket gebruiken", "en": "Use this pack"},
    "pack_applied": {"nl": "Thema's van het pakket {pack} in gebruik.", "en": "Now using the themes of the {pack} pack."},
    "fit_title": {"nl": "Passen de thema's?", "en": "Do the themes fit?"},
    "fit_warning": {"nl": "De thema's passen slecht bij deze opmerkingen: ze vangen maar **{caught}** van de zinnen "
                          "over de onderwerpen die de ontdekking vindt, en **{untagged}** van de opmerkingen valt "
                          "onder geen enkel thema.",
                    "en": "The themes fit these comments poorly: they catch only **{caught}** of the sentences about "
                          "the topics discovery finds, and **{untagged}** of the comments fall under no theme."},
    "fit_ok": {"nl": "De thema's vangen **{caught}** van de zinnen over de onderwerpen die de ontdekking vindt.",
               "en": "The themes catch **{caught}** of the sentences about the topics discovery finds."},
    "fit_suggest_pack": {"nl": "Suggestie: het pakket **{pack}** vangt {caught} van die zinnen.",
                         "en": "Suggestion: the **{pack}** pack catches {caught} of those sentences."},
    "fit_suggest_discover": {"nl": "Suggestie: geen pakket past beter; maak van de gevonden onderwerpen verderop "
                                   "thema's (knop 'Maak er een thema van').",
                             "en": "Suggestion: no pack fits better; turn the topics found further down into "
                                   "themes ('Make it a theme')."},
    "fit_missed": {"nl": "Onderwerpen die de thema's missen: {topics}", "en": "Topics the themes miss: {topics}"},
    "fit_pack": {"nl": "Pakket", "en": "Pack"},
    "fit_tagged": {"nl": "Opmerkingen met een thema", "en": "Comments with a theme"},
    "fit_caught": {"nl": "Zinnen van onderwerpen gevangen", "en": "Topic sentences caught"},
    # key drivers (analysis/drivers.py)
    "key_drivers": {"nl": "Wat bepaalt of iemand promoter of detractor is", "en": "What makes a promoter or a detractor"},
    "key_drivers_help": {"nl": "Alle thema's samen gewogen (kleinste-kwadratenmodel op de status promoter/detractor): "
                               "het effect is het aantal NPS-punten dat bij het noemen van een thema hoort als de "
                               "andere thema's gelijk blijven, met een 95%-interval (bootstrap, {resamples} "
                               "steekproeven); het gewicht is het aandeel van het thema in wat de thema's samen "
                               "verklaren. Een interval dat nul bevat, is geen zeker effect.",
                         "en": "All themes weighed together (a least-squares model of promoter/detractor status): "
                               "the effect is the NPS points that go with mentioning a theme when the other themes "
                               "stay the same, with a 95% interval (bootstrap, {resamples} resamples); the weight is "
                               "the theme's share of what the themes explain together. An interval that contains "
                               "zero is no sure effect."},
    "drivers_effect": {"nl": "Effect op NPS (punten)", "en": "Effect on NPS (points)"},
    "drivers_weight": {"nl": "Gewicht", "en": "Weight"},
    "drivers_interval": {"nl": "95%-interval", "en": "95% interval"},
    "drivers_r2": {"nl": "De thema's samen verklaren {r2} van de verschillen in status ({n} responses met een opmerking).",
                   "en": "Together the themes explain {r2} of the differences in status ({n} responses with a comment)."},
    "drivers_too_few": {"nl": "Te weinig vermeldingen om te schatten (minder dan {min}, of bijna iedereen): {themes}",
                        "en": "Too few mentions to estimate (fewer than {min}, or nearly everyone): {themes}"},
    "drivers_none": {"nl": "Geen thema wordt vaak genoeg genoemd om een effect te schatten.",
                     "en": "No theme is mentioned often enough to estimate an effect."},
    "report_drivers": {"nl": "Wat bepaalt of iemand promoter of detractor is", "en": "What makes a promoter or a detractor"},
    "no_themes_yet": {"nl": "Deze dataset heeft (nog) geen thema's: kies een pakket of maak van de gevonden "
                            "onderwerpen hieronder thema's.",
                      "en": "This dataset has no themes (yet): choose a pack, or turn the topics found below into themes."},
    # -- why the NPS moved (issue 29): complete periods (analysis/complete.py), the narrative of
    #    explain (present/narrative.py) and spike alerts (followup/spikes.py)
    "partial_period": {"nl": "{days}, onvolledig", "en": "{days}, partial"},
    "partial_short": {"nl": "onvolledig", "en": "partial"},
    "explain_verb_up": {"nl": "steeg", "en": "rose"},
    "explain_verb_down": {"nl": "daalde", "en": "fell"},
    "explain_headline": {"nl": "De NPS {verb} {delta} punten naar {nps} in {period}, vergeleken met {previous} ({verdict}).",
                         "en": "NPS {verb} {delta} points to {nps} in {period}, compared with {previous} ({verdict})."},
    "explain_headline_same": {"nl": "De NPS bleef {nps} in {period}, net als in {previous} ({verdict}).",
                              "en": "NPS stayed at {nps} in {period}, as in {previous} ({verdict})."},
    "explain_most": {"nl": "Het grootste deel kwam van {segment} ({dimension}): {contribution} punten; {detail}.",
                     "en": "Most of it came from {segment} ({dimension}): {contribution} points; {detail}."},
    "explain_largest": {"nl": "De grootste bijdrage kwam van {segment} ({dimension}): {contribution} punten; {detail}.",
                        "en": "The largest contribution came from {segment} ({dimension}): {contribution} points; {detail}."},
    "explain_next": {"nl": "Daarna {segment}: {contribution} punten; {detail}.",
                     "en": "Next, {segment}: {contribution} points; {detail}."},
    "explain_nps_moved": {"nl": "de NPS {verb} van {a} naar {b}", "en": "its NPS {verb} from {a} to {b}"},
    "explain_nps_same": {"nl": "de NPS bleef {a}", "en": "its NPS stayed at {a}"},
    "explain_share_moved": {"nl": "het aandeel {verb} van {a} naar {b}", "en": "its share {verb} from {a} to {b}"},
    "explain_share_same": {"nl": "het aandeel bleef {a}", "en": "its share stayed at {a}"},
    "explain_and": {"nl": " en ", "en": " and "},
    "explain_new": {"nl": "nieuw in deze periode, met NPS {nps} en een aandeel van {share}",
                    "en": "new in this period, with NPS {nps} and a share of {share}"},
    "explain_gone": {"nl": "geen responses meer in deze periode (eerder NPS {nps}, aandeel {share})",
                     "en": "no responses in this period (before: NPS {nps}, share {share})"},
    "explain_theme_share": {"nl": "Het aandeel opmerkingen over {theme} {verb} van {a} naar {b}.",
                            "en": "The share of comments about {theme} {verb} from {a} to {b}."},
    "explain_theme_gap": {"nl": "Het NPS-verschil tussen responses die {theme} noemen en de rest {verb} van {a} naar {b} punten.",
                          "en": "The NPS gap between responses mentioning {theme} and the rest {verb} from {a} to {b} points."},
    "explain_no_theme_moved": {"nl": "Geen thema veranderde significant in aandeel opmerkingen of NPS-verschil ({n} thema's vergeleken).",
                               "en": "No theme changed significantly in its share of comments or its NPS gap ({n} themes compared)."},
    "segment_none": {"nl": "(geen waarde)", "en": "(no value)"},
    # the explained change on the Overview, in the report and the digest (issue 29)
    "why_title": {"nl": "Waarom bewoog de NPS?", "en": "Why did the NPS move?"},
    "why_by": {"nl": "Verklaar naar", "en": "Explain by"},
    "why_none": {"nl": "Geen vergelijking mogelijk: de periode ervoor ({previous}) heeft geen responses.",
                 "en": "No comparison possible: the period before ({previous}) has no responses."},
    "why_help": {"nl": "Elke balk is de bijdrage van een segment aan de verandering: mix (het aandeel van het segment "
                       "veranderde) plus prestatie (de NPS van het segment veranderde). Samen precies de verandering; "
                       "de streep is het 95%-interval (bootstrap).",
                 "en": "Each bar is a segment's contribution to the change: mix (the segment's share moved) plus "
                       "performance (the segment's NPS moved). Together exactly the change; the whisker is the "
                       "95 % interval (bootstrap)."},
    "why_best": {"nl": "{dimension} (verklaart het meest)", "en": "{dimension} (explains most)"},
    "bridge_start": {"nl": "NPS {period}", "en": "NPS {period}"},
    "bridge_other": {"nl": "Overige ({n})", "en": "Other ({n})"},
    "bridge_contribution": {"nl": "Bijdrage", "en": "Contribution"},
    "bridge_mix": {"nl": "Mix", "en": "Mix"},
    "bridge_performance": {"nl": "Prestatie", "en": "Performance"},
    "bridge_interval": {"nl": "95%-interval", "en": "95 % interval"},
    "bridge_axis": {"nl": "NPS (punten)", "en": "NPS (points)"},
    "themes_moved_title": {"nl": "Thema's die bewogen", "en": "Themes that moved"},
    "themes_moved_none": {"nl": "Geen thema veranderde significant ({n} vergeleken).",
                          "en": "No theme changed significantly ({n} compared)."},
    "theme_moved_share": {"nl": "aandeel opmerkingen", "en": "share of comments"},
    "theme_moved_gap": {"nl": "NPS-verschil (wie het noemt tegen de rest)", "en": "NPS gap (mentioning it vs the rest)"},
    "themes_moved_what": {"nl": "Wat bewoog", "en": "What moved"},
    "themes_moved_after": {"nl": "Nu", "en": "Now"},
    "report_why": {"nl": "Waarom bewoog de NPS?", "en": "Why did the NPS move?"},
    "partial_note": {"nl": "Deze periode loopt nog: de data stoppen op {last}.",
                     "en": "This period is still running: the data stop on {last}."},
    "spikes_title": {"nl": "Pieken van vorige week", "en": "Last week's spikes"},
    "spikes_caption": {"nl": "Week {week} ({period}) tegen de {weeks} weken ervoor; {tested} toetsen, "
                             "Benjamini–Hochberg-gecorrigeerd.",
                       "en": "Week {week} ({period}) against the {weeks} weeks before; {tested} tests, "
                             "Benjamini–Hochberg controlled."},
    "spikes_none": {"nl": "Geen thema of segment wijkt significant af van zijn basislijn.",
                    "en": "No theme or segment is significantly outside its baseline."},
    "spikes_unavailable": {"nl": "Nog geen volledige week in de data.", "en": "No complete week in the data yet."},
    "spike_kind": {"nl": "Soort", "en": "Kind"},
    "spike_subject": {"nl": "Thema of segment", "en": "Theme or segment"},
    "spike_value": {"nl": "Deze week", "en": "This week"},
    "spike_baseline": {"nl": "Basislijn", "en": "Baseline"},
    "spike_kind_theme": {"nl": "thema: aandeel opmerkingen", "en": "theme: share of comments"},
    "spike_kind_segment": {"nl": "segment: NPS", "en": "segment: NPS"},
    "dim_nps_type": {"nl": "Programmatype", "en": "Programme type"},
    "spike_theme_subject": {"nl": "Piek: {theme} in {share} van de opmerkingen in {week} (basislijn {baseline})",
                            "en": "Spike: {theme} in {share} of comments in {week} (baseline {baseline})"},
    "spike_segment_subject": {"nl": "Piek: NPS van {segment} ({dimension}) {nps} in {week} (basislijn {baseline})",
                              "en": "Spike: NPS of {segment} ({dimension}) {nps} in {week} (baseline {baseline})"},
    "spike_theme_detail": {"nl": "{mentions} van {commented} opmerkingen noemen {theme} ({share}); in de {weeks} weken "
                                 "ervoor {baseline} ({baseline_mentions} van {baseline_commented}).",
                           "en": "{mentions} of {commented} comments mention {theme} ({share}); in the {weeks} weeks "
                                 "before, {baseline} ({baseline_mentions} of {baseline_commented})."},
    "spike_segment_detail": {"nl": "NPS {nps} op {n} responses; in de {weeks} weken ervoor {baseline} op {baseline_n}.",
                             "en": "NPS {nps} on {n} responses; in the {weeks} weeks before, {baseline} on {baseline_n}."},
    "spike_body": {"nl": "Week {week}: {days}; basislijn: {baseline_days}.\n{detail}\n"
                         "p = {p}; na correctie voor {tests} toetsen (Benjamini–Hochberg) q = {q}.\nDataset: {dataset}",
                   "en": "Week {week}: {days}; baseline: {baseline_days}.\n{detail}\n"
                         "p = {p}; corrected for {tests} tests (Benjamini–Hochberg) q = {q}.\nDataset: {dataset}"},
    # -- issue 27
    "pack_why_fits": {"nl": "{pack}: de thema's van dit pakket vangen {share} van de zinnen in de opmerkingen van het "
                            "bestand, het volgende pakket ({runner}) {runner_share}.",
                      "en": "{pack}: this pack's themes catch {share} of the sentences in the file's comments, "
                            "the next pack ({runner}) {runner_share}."},
    "pack_why_none_fits": {"nl": "Geen pakket past: het beste ({runner}) vangt {runner_share} van de zinnen in de "
                                 "opmerkingen. De dataset begint zonder thema's; maak ze uit de ontdekte onderwerpen.",
                           "en": "No pack fits: the best ({runner}) catches {runner_share} of the sentences in the "
                                 "comments. The dataset starts with no themes; make them from the discovered topics."},
    "pack_why_too_few_comments": {"nl": "Te weinig opmerkingen ({sentences} zinnen) om een pakket op te kiezen: "
                                        "{pack} is gekozen, wijzig het gerust.",
                                  "en": "Too few comments ({sentences} sentences) to choose a pack by: {pack} is "
                                        "chosen, change it if it does not fit."},
    "pack_why_option": {"nl": "{pack}: zo gekozen bij het importeren.", "en": "{pack}: chosen for this import."},
    "pack_why_existing_dataset": {"nl": "De dataset bestaat al en houdt zijn thema's.",
                                  "en": "The dataset exists already and keeps its themes."},
    "topic_general_praise": {"nl": "algemene lof", "en": "general praise"},
    "topic_general_complaint": {"nl": "algemene klacht", "en": "general complaint"},
    "mark_right": {"nl": "Klopt", "en": "Right"},
    "mark_wrong": {"nl": "Klopt niet", "en": "Wrong"},
    "mark_missed": {"nl": "Gemist: hoort bij dit thema", "en": "Missed: belongs to this theme"},
    "mark_precision": {"nl": "Geschatte precisie {share} (uit {n} markeringen)",
                       "en": "Estimated precision {share} (from {n} marks)"},
    "mark_learning": {"nl": "Het thema leert van uw markeringen ({right} goed, {wrong} fout, {missed} gemist).",
                      "en": "The theme learns from your marks ({right} right, {wrong} wrong, {missed} missed)."},
    "action_mark_theme": {"nl": "Zin gemarkeerd bij thema", "en": "Sentence marked for a theme"},
    # -- issue 28 search: meaning search that respects "not" and tone (analysis/search.py), result cards
    "meaning_help_stance": {"nl": "Een zin die het tegendeel zegt ('kwam niet' tegenover 'kwam', 'geen beenruimte' "
                                  "tegenover 'beenruimte was prima') komt lager.",
                            "en": "A sentence that says the opposite ('did not turn up' against 'turned up', 'no legroom' "
                                  "against 'legroom was okay') ranks lower."},
    "matched_sentence": {"nl": "Gevonden zin", "en": "Matched sentence"},
    # -- issues 27 and 30: the Themes page answers first, the rest behind tabs
    "tab_fix_detail": {"nl": "Eerst aanpakken, uitgelegd", "en": "Fix first, explained"},
    "tab_matrix": {"nl": "Impact en inspanning", "en": "Impact and effort"},
    "tab_trends": {"nl": "Door de tijd", "en": "Over time"},
    "tab_segments": {"nl": "Per segment", "en": "Per segment"},
    "tab_sides": {"nl": "Promoters tegen detractors", "en": "Promoters vs detractors"},
    "tab_discovery": {"nl": "Ontdekte onderwerpen", "en": "Discovered topics"},
    "fix_first_help": {"nl": "De schadelijke thema's die de meeste NPS-punten per dag inspanning terugwinnen.",
                       "en": "The harmful themes that win back the most NPS points per day of effort."},
    "per_day": {"nl": "Per dag", "en": "Per day"},
    "topic_words": {"nl": "Woorden", "en": "Words"},
    # -- issue 30: uploads that remember everything
    "preview_roles": {"nl": "Alle {n} kolommen, met de rol die elk krijgt (schuif opzij voor de rest).",
                      "en": "All {n} columns, each with the role it gets (scroll sideways for the rest)."},
    "role_extra": {"nl": "extra (filter)", "en": "extra (filter)"},
    "pack_coverage": {"nl": "Aandeel zinnen dat elk pakket vangt: {figures}",
                      "en": "Share of sentences each pack catches: {figures}"},
    "pack_remembered": {"nl": "{pack}: onthouden van de vorige import van deze enquête.",
                        "en": "{pack}: remembered from this survey's last import."},
    "one_click": {"nl": "Alles is onthouden van de vorige import: kolommen, programmatype ({type}), dataset en "
                        "thema's. Eén klik op Importeren volstaat.",
                  "en": "Everything is remembered from the last import: columns, programme type ({type}), dataset and "
                        "themes. One click on Import will do."},
    "similar_share": {"nl": "{pct} gelijkenis met uw zoekvraag", "en": "{pct} similar to your search"},
    # -- issue 27: marks in the theme editor
    "te_marks": {"nl": "Markeer zinnen: leer het thema wat klopt", "en": "Mark sentences: teach the theme what is right"},
    "te_marks_help": {"nl": "Klopt of klopt niet bij zinnen die het thema vangt, Gemist bij zinnen die het had moeten "
                            "vangen. Het thema leert meteen; de precisie hieronder volgt uit uw markeringen.",
                      "en": "Right or Wrong for sentences the theme catches, Missed for sentences it should have "
                            "caught. The theme learns at once; the precision below follows from your marks."},
    "te_marks_new": {"nl": "Sla het thema eerst op; daarna kunt u zinnen markeren.",
                     "en": "Save the theme first; then you can mark sentences."},
    "te_marks_none": {"nl": "Nog geen markeringen: de precisie volgt na een paar goede en foute.",
                      "en": "No marks yet: the precision follows after a few right and wrong ones."},
    "te_checked": {"nl": "Van de gecontroleerde gevangen zinnen klopt {share}.",
                   "en": "Of the caught sentences you checked, {share} are right."},
    "te_would_catch": {"nl": "Zinnen die het thema vangt", "en": "Sentences the theme catches"},
    "te_near": {"nl": "Dichtbij, niet gevangen", "en": "Close, not caught"},
    "te_marked_as": {"nl": "Gemarkeerd: {verdict}", "en": "Marked: {verdict}"},
    "te_mark_done": {"nl": "Markering bewaard; {comments} opmerkingen opnieuw getagd.",
                     "en": "Mark saved; {comments} comments re-tagged."},
    "effort_unset_note": {"nl": "–: inspanning nog niet geschat, gerekend als gemiddeld (te schatten onder Impact en inspanning).",
                          "en": "–: effort not estimated yet, counted as medium (estimate it under Impact and effort)."},
}

MONTHS = {
    "nl": ["jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"],
    "en": ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
}
MONTHS_LONG = {
    "nl": ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
           "september", "oktober", "november", "december"],
    "en": ["January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"],
}


def t(key: str, lang: str, **values) -> str:
    """The text `key` in `lang`, with `values` filled in ({small} is always the small-sample size)."""
    text = TEXT[key][lang if lang in LANGUAGES else DEFAULT_LANGUAGE]
    return text.format(**{"small": SMALL_SAMPLE, **values}) if values or "{small}" in text else text


LOCALES = {"nl": "nl_NL", "en": "en_GB"}


def _locale(lang: str) -> str:
    return LOCALES[lang if lang in LANGUAGES else DEFAULT_LANGUAGE]


def fmt_int(value: int, lang: str) -> str:
    return format_decimal(value, format="#,##0", locale=_locale(lang))


def _missing(value) -> bool:
    """None, or NaN (a figure that cannot be computed, e.g. a theme's impact
    when every response mentions it): shown as a dash."""
    return value is None or (isinstance(value, float) and math.isnan(value))


def fmt_decimal(value: float | None, lang: str, digits: int = 1, signed: bool = False) -> str:
    """A number with `digits` decimals in the language's separators: 1.234,5 / 1,234.5."""
    if _missing(value):  # None or NaN (a period without responses, an impact that cannot be computed)
        return "–"
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return format_decimal(value, format=f"+{pattern};-{pattern}" if signed else pattern, locale=_locale(lang))


DEFAULT_CURRENCY = "EUR"
# offered first where a currency is chosen; any other ISO 4217 code Babel knows is accepted too
CURRENCIES = ("EUR", "GBP", "USD", "CHF", "SEK", "NOK", "DKK", "PLN", "CZK", "JPY", "CAD", "AUD")


def check_currency(code: str) -> str:
    """An ISO 4217 code, upper-cased; ValueError for one Babel does not know."""
    code = (code or "").strip().upper()
    if code not in list_currencies():
        raise ValueError(f"unknown currency {code!r}: use an ISO 4217 code such as EUR, GBP or USD")
    return code


def currency_label(code: str, lang: str) -> str:
    """A currency as offered in a picker: '£ · Brits pond (GBP)' / '£ · British Pound (GBP)'."""
    return f"{currency_symbol(code, lang)} · {get_currency_name(code, locale=_locale(lang))} ({code})"


def currency_symbol(code: str, lang: str) -> str:
    return get_currency_symbol(code, _locale(lang))


def fmt_money(value: float | None, lang: str, signed: bool = False, currency: str = DEFAULT_CURRENCY) -> str:
    """An amount without cents in the language's currency format (Babel):
    € 1.234 / €1,234, £ 1.234 / £1,234; signed: +€ 135. The currency is the
    dataset's setting (db/catalog.currency), euros unless an admin chose another."""
    if _missing(value):
        return "–"
    sign = ("+" if value >= 0 else "-") if signed else ("-" if value < 0 else "")
    pattern = Locale.parse(_locale(lang)).currency_formats["standard"].pattern.split(";")[0].replace(".00", "")
    text = format_currency(round(abs(value)), currency, format=pattern, locale=_locale(lang), currency_digits=False)
    symbol = currency_symbol(currency, lang)
    if symbol[-1:].isalpha() and text.startswith(symbol) and text[len(symbol):][:1].isdigit():
        text = f"{symbol}\u00a0{text[len(symbol):]}"  # CHF1,234 reads as one word: CLDR's currency spacing
    return sign + text


def fmt_nps(value: float | None, lang: str, signed: bool = True) -> str:
    """NPS to one decimal with its sign: +27.3 / +27,3."""
    return fmt_decimal(value, lang, 1, signed)


def fmt_pct(share: float | None, lang: str) -> str:
    """A share as a percentage to one decimal: 12,3 % / 12.3 %."""
    if _missing(share):
        return "–"
    return fmt_decimal(100 * share, lang, 1) + " %"


def t_count(key: str, n: int, lang: str, **values) -> str:
    """A text with a count in the language's plural form ("1 page", "2 pages"):
    TEXT[key][lang] maps Babel's plural categories ("one", "other") to texts with {n}."""
    forms = TEXT[key][lang if lang in LANGUAGES else DEFAULT_LANGUAGE]
    form = Locale.parse(_locale(lang)).plural_form(n)
    return forms.get(form, forms["other"]).format(n=fmt_int(n, lang), **values)


def dim_label(dimension: str, lang: str) -> str:
    """A dimension's name shown to people: translated where we know it, else the column name made readable."""
    key = f"dim_{dimension}"
    return t(key, lang) if key in TEXT else dimension.replace("_", " ").capitalize()


def segments_text(dims, lang: str) -> str:
    """Segment filters as one line: 'Touchpoint: delivery › Region: West, North'."""
    return " › ".join(f"{dim_label(d, lang)}: {', '.join(values)}" for d, values in dims)


def filters_text(filters, lang: str) -> str:
    """Programme types and segment filters of a Filters, as every page and
    the report state them: 'All types · Touchpoint: delivery'."""
    types = ", ".join(t(x, lang) for x in filters.nps_types) or t("all_types", lang)
    return " · ".join(x for x in (types, segments_text(filters.dims, lang)) if x)


def rule_label(name: str, lang: str) -> str:
    """An alert rule's name as shown: the built-in rule ('critical', see
    db/schema.py) in the language; names people gave their rules as typed."""
    return t("rule_critical", lang) if name == "critical" else name


def fmt_verdict(significant, delta, lang: str) -> str:
    """A table cell for Change.significant / metrics.significance() of a
    change `delta`: yes, no, "too few" when a period has too few responses
    for a verdict, "–" when there is no previous period to compare with."""
    if delta is None or (isinstance(delta, float) and math.isnan(delta)):
        return "–"
    if significant is None or (isinstance(significant, float) and math.isnan(significant)):
        return t("too_few", lang)
    return "✔ " + t("yes", lang) if significant else t("no", lang)


def fmt_datetime(moment, lang: str) -> str:
    """A response's time to the minute: 31-12-2025 19:34 / 2025-12-31 19:34;
    the date alone at exactly midnight, which is what date-only data holds
    (no made-up "00:00")."""
    date_only = (moment.hour, moment.minute, moment.second) == (0, 0, 0)
    if lang == "nl":
        return moment.strftime("%d-%m-%Y" if date_only else "%d-%m-%Y %H:%M")
    return moment.strftime("%Y-%m-%d" if date_only else "%Y-%m-%d %H:%M")


def fmt_date(day: dt.date, lang: str) -> str:
    return f"{day.day} {MONTHS_LONG[lang][day.month - 1]} {day.year}"


def fmt_month(day: dt.date, lang: str, long: bool = False) -> str:
    names = MONTHS_LONG if long else MONTHS
    return f"{names[lang][day.month - 1]} {day.year}"


def fmt_period(grain: str, start: dt.date, lang: str) -> str:
    """Axis label of a period: 3 mrt 2025, W10 2025, 3–9 mrt, mrt 2025, Q1 2025."""
    if grain == "day":
        return f"{start.day} {MONTHS[lang][start.month - 1]} {start.year}"
    if grain == "week":
        return fmt_week(start, lang)
    if grain == "quarter":
        return f"Q{(start.month - 1) // 3 + 1} {start.year}"
    return fmt_month(start, lang)


def fmt_week(day: dt.date, lang: str) -> str:
    """The ISO week holding `day` with its dates, since its number and year alone
    puzzled readers ("W01 2026" in a December 2025 view, issue 30):
    W01 2026, 29 Dec–4 Jan / W01 2026, 29 dec–4 jan; W10 2025, 3–9 Mar."""
    year, week, _ = day.isocalendar()
    monday = dt.date.fromisocalendar(year, week, 1)
    sunday = monday + dt.timedelta(days=6)
    names = MONTHS[lang]
    first = f"{monday.day}" if monday.month == sunday.month else f"{monday.day} {names[monday.month - 1]}"
    return f"W{week:02d} {year}, {first}–{sunday.day} {names[sunday.month - 1]}"


def fmt_range(start: dt.date, end: dt.date, lang: str) -> str:
    """A date range, as a month name when it is one whole month."""
    next_day = end + dt.timedelta(days=1)
    if start.day == 1 and next_day.day == 1:
        months = (next_day.year - start.year) * 12 + next_day.month - start.month
        if months == 1:
            return fmt_month(start, lang, long=True)
        if months == 3 and start.month % 3 == 1:
            return f"Q{(start.month - 1) // 3 + 1} {start.year}"
    return f"{fmt_date(start, lang)} – {fmt_date(end, lang)}"


def fmt_partial(start: dt.date, last: dt.date, lang: str) -> str:
    """A period still running, by the days it holds so far: 1–20 juni 2018,
    onvolledig / 1–20 June 2018, partial (analysis/complete.py)."""
    if (start.year, start.month) == (last.year, last.month):
        days = f"{start.day}–{last.day} {MONTHS_LONG[lang][start.month - 1]} {start.year}"
    else:
        days = f"{fmt_date(start, lang)} – {fmt_date(last, lang)}"
    return t("partial_period", lang, days=days)
