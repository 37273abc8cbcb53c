"""Deterministic generator for the demo NPS data set (``data/demo_responses.csv.gz``).

The data imitate two years (2024-01-01 .. 2025-12-31) of NPS survey responses
for a Dutch home-electronics webshop: ~30,000 responses from ~11,000 customers
(many answer more than once), 75 % Dutch / 25 % English comments, typos and all.

Scores come from an ordered-logit model: every customer has a fixed *loyalty*
(base propensity to score high), every context (survey type, touchpoint,
product, agent, month) shifts it, and a logistic draw turns the result into a
detractor (0-6), passive (7-8) or promoter (9-10).  The comment is then written
to match the score band and the context.

Planted stories (the analytics engine is expected to find these):

1. Baseline: overall NPS about +25, relationship NPS lower than transaction
   NPS, and a gentle upward drift over the two years.
2. Delivery crisis, November 2024: transaction NPS at touchpoint ``delivery``
   collapses (far below zero) with extra response volume; December 2024
   recovers partly.  Detractor comments that month are dominated by delivery
   complaints (late, lost, damaged parcels, rude couriers, wrong track & trace).
3. Contact-centre waiting time: from 2024-01 to 2024-08 the contact centre
   scores low and comments complain about waiting ("lang in de wacht", "on hold
   for ages").  On 2024-09-01 a call-back service (terugbelservice) starts: NPS
   jumps, waiting complaints become rare, and some comments praise the call-back.
4. One weak product: ``Airfryer XL`` has a clearly negative product NPS with
   quality complaints (coating peels off, breaks, plastic smell), while the other
   products are comfortably positive.
5. Friendly staff: promoter comments often praise friendly, helpful staff,
   especially at the contact centre and in the store, sometimes naming the agent.
   Agent ``Sanne de V.`` scores noticeably better, ``Dennis M.`` worse.

Also: customers' yearly revenue correlates with their loyalty, so promoters'
customers spend roughly a third more than detractors' customers.

Usage::

    python data/generate_demo.py            # writes data/demo_responses.csv.gz
    from data.generate_demo import generate, write

Only the standard library is used and all randomness comes from seeded
``random.Random`` instances, so the output is byte-for-byte reproducible
(the gzip header carries mtime=0 and no file name).
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import hashlib
import io
import math
import os
import random
import sys
from dataclasses import dataclass

SEED = 20240101

COLUMNS = [
    "response_id",
    "responded_at",
    "score",
    "comment",
    "nps_type",
    "touchpoint",
    "product",
    "channel",
    "region",
    "agent",
    "customer_id",
    "customer_segment",
    "yearly_revenue",
    "first_name",
    "email",
]

DEFAULT_PATH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "demo_responses.csv.gz")

# --------------------------------------------------------------------------
# Calendar and volume
# --------------------------------------------------------------------------

FIRST_MONTH = (2024, 1)
N_MONTHS = 24
CALLBACK_START = dt.datetime(2024, 9, 1)

# Relative response volume per calendar month: quieter summer, busy
# November/December (Black Friday, Sinterklaas, Christmas).
SEASONALITY = {1: 1.00, 2: 0.92, 3: 0.95, 4: 0.94, 5: 0.95, 6: 0.90,
               7: 0.86, 8: 0.87, 9: 0.96, 10: 1.00, 11: 1.22, 12: 1.28}
YEAR_GROWTH = {2024: 1.00, 2025: 1.04}
BASE_ROWS = 29_350  # regular responses, before the crisis extras below

# The delivery crisis produced extra (mostly angry) delivery surveys.
EXTRA_DELIVERY_ROWS = {"2024-11": 520, "2024-12": 160}

# Weekends are somewhat quieter than weekdays (Mon=0 .. Sun=6).
WEEKDAY_WEIGHT = [1.0, 1.0, 0.97, 0.97, 0.92, 0.74, 0.70]
# Responses come in mostly between 08:00 and 22:59, peaking in the evening.
HOUR_WEIGHT = [0.30, 0.15, 0.08, 0.05, 0.05, 0.10, 0.30, 0.80,
               1.60, 2.20, 2.40, 2.30, 2.10, 2.00, 2.00, 1.90,
               1.90, 2.00, 2.20, 2.60, 2.80, 2.60, 1.90, 0.90]

# --------------------------------------------------------------------------
# Dimensions
# --------------------------------------------------------------------------

NPS_TYPE_WEIGHT = {"relationship": 0.20, "transaction": 0.60, "product": 0.20}

TOUCHPOINT_WEIGHT = {"delivery": 0.29, "webshop": 0.27, "contact centre": 0.16,
                     "returns": 0.10, "store": 0.10, "invoicing": 0.08}

# Transaction touchpoints where the bought product is (sometimes) known.
TOUCHPOINTS_WITH_PRODUCT = ("webshop", "delivery", "returns")
PRODUCT_FILL_RATE = 0.5

PRODUCTS = {
    # name: (weight, nickname nl, nickname en)
    "Barista Pro koffiemachine": (0.18, "koffiemachine", "coffee machine"),
    "AeroClean stofzuiger": (0.17, "stofzuiger", "vacuum cleaner"),
    "Airfryer XL": (0.22, "airfryer", "air fryer"),
    "SmartTherm thermostaat": (0.14, "thermostaat", "thermostat"),
    "SoundWave koptelefoon": (0.16, "koptelefoon", "headphones"),
    "FreshAir luchtreiniger": (0.13, "luchtreiniger", "air purifier"),
}
# Faulty airfryers come back more often than other products.
RETURNS_PRODUCT_BOOST = {"Airfryer XL": 1.8}

CHANNEL_WEIGHT = {
    "relationship": {"email": 0.78, "app": 0.12, "web": 0.10},
    "product": {"email": 0.64, "app": 0.21, "web": 0.15},
    "webshop": {"web": 0.55, "app": 0.35, "email": 0.10},
    "delivery": {"email": 0.55, "sms": 0.25, "app": 0.20},
    "contact centre": {"phone": 0.72, "email": 0.12, "web": 0.10, "app": 0.06},
    "invoicing": {"email": 0.80, "web": 0.15, "phone": 0.05},
    "returns": {"web": 0.45, "email": 0.35, "app": 0.15, "store": 0.05},
    "store": {"store": 1.0},
}

REGION_WEIGHT = {"West": 0.31, "Zuid": 0.21, "Oost": 0.19, "Midden": 0.17, "Noord": 0.12}

# Contact-centre agents: (weight, score effect).  Sanne is the star, Dennis
# struggles; the others differ only a little, as in real teams.
AGENTS = {
    "Sanne de V.": (1.0, +0.60),
    "Mohamed B.": (1.0, +0.10),
    "Lisa K.": (1.0, +0.05),
    "Daan J.": (0.9, 0.00),
    "Fatima E.": (1.0, +0.10),
    "Bram van L.": (0.8, -0.05),
    "Anouk P.": (1.0, 0.00),
    "Dennis M.": (1.0, -0.65),
    "Yasmin A.": (0.9, +0.05),
    "Jeroen H.": (1.0, -0.10),
    "Emma S.": (0.8, +0.05),
    "Kevin T.": (0.9, -0.05),
}

# --------------------------------------------------------------------------
# Customers
# --------------------------------------------------------------------------

N_CUSTOMERS = 11_000
ZAKELIJK_SHARE = 0.15
ENGLISH_SHARE = 0.25
LOYALTY_SD = 0.75
# Correlation between loyalty and (log) revenue: drives "promoters spend more".
LOYALTY_REVENUE_RHO = 0.52
REVENUE_MEDIAN = {"particulier": 300.0, "zakelijk": 900.0}
REVENUE_SIGMA = {"particulier": 0.72, "zakelijk": 0.70}
# How unevenly survey participation is spread over customers (log-normal sd).
ACTIVITY_SIGMA = 0.9

# --------------------------------------------------------------------------
# Score model (ordered logit on a latent satisfaction m)
# --------------------------------------------------------------------------

CUT_DETRACTOR = -1.60  # P(score <= 6) = sigmoid(CUT_DETRACTOR - m)
CUT_PASSIVE = 0.00     # P(score <= 8) = sigmoid(CUT_PASSIVE - m)

DRIFT_PER_YEAR = 0.12  # gentle improvement over the two years
RELATIONSHIP_EFFECT = -0.35
ZAKELIJK_EFFECT = -0.10
TOUCHPOINT_EFFECT = {"webshop": 0.15, "delivery": 0.15, "invoicing": -0.25,
                     "returns": -0.05, "store": 0.40}
CONTACT_CENTRE_BEFORE = -1.00  # long waiting times
CONTACT_CENTRE_AFTER = 0.00    # call-back service
DELIVERY_CRISIS = {"2024-11": -2.05, "2024-12": -0.80}
# Bad delivery also dents the overall relationship score a little.
RELATIONSHIP_SPILLOVER = {"2024-11": -0.25, "2024-12": -0.10}
PRODUCT_EFFECT = {
    "Barista Pro koffiemachine": 0.20,
    "AeroClean stofzuiger": -0.05,
    "Airfryer XL": -1.30,
    "SmartTherm thermostaat": 0.20,
    "SoundWave koptelefoon": 0.20,
    "FreshAir luchtreiniger": 0.10,
}
# A product bought in a transaction colours that transaction's score only a bit.
PRODUCT_EFFECT_IN_TRANSACTION = 0.3

# Score within a band.  Detractors: hard zeros are common, 5-6 most common.
DETRACTOR_WEIGHTS = [6, 2, 3, 5, 6, 12, 16]
ANGRY_DETRACTOR_WEIGHTS = [14, 4, 6, 7, 7, 10, 10]

# Detractors write more often than the rest: ~60 % of all responses overall.
COMMENT_RATE = {"det": 0.71, "pas": 0.54, "pro": 0.60}
CRISIS_COMMENT_RATE = 0.82  # angry delivery customers in the crisis month

# --------------------------------------------------------------------------
# Phrase banks.  Fragments are clauses without capital or final punctuation so
# they can be chained with connectors.  Placeholders: {item} product nickname,
# {agent} agent first name, {days}, {weeks}, {min} numbers.
# --------------------------------------------------------------------------

FRAGMENTS = {
    "nl": {
        "delivery": {
            "pos": [
                "snel geleverd", "pakket was de volgende dag al in huis",
                "de bezorger was heel vriendelijk", "keurig op tijd bezorgd",
                "netjes verpakt en snel bezorgd", "levering ging vlot",
                "binnen een dag in huis", "bezorging ging precies zoals aangegeven",
                "track & trace werkte prima", "de pakketbezorger heeft het netjes bij de buren afgegeven",
                "ik kon zelf het bezorgmoment kiezen, heel handig", "avondlevering is echt ideaal",
                "levertijd was korter dan aangegeven", "pakket kwam zelfs een dag eerder dan gepland",
                "alles kwam heel en compleet aan", "fijn dat je een tijdvak krijgt voor de bezorging",
                "de bezorgdienst was stipt op tijd", "goed verpakt, niks beschadigd",
                "de bezorger heeft de doos zelfs naar boven gedragen", "snelle levering",
                "duidelijk bericht wanneer het pakket zou komen", "de {item} was de volgende dag al in huis",
                "zondag besteld en maandag al bezorgd", "vriendelijke bezorger",
            ],
            "mid": [
                "levering duurde iets langer dan verwacht", "bezorging was een dag later dan gepland",
                "het tijdvak van de bezorging was wel erg ruim", "doos was een beetje beschadigd, inhoud gelukkig heel",
                "track & trace werd niet echt bijgewerkt", "ik moest het pakket bij een afhaalpunt ophalen",
                "de levertijd mag wat korter", "bezorger kwam veel later dan het tijdvak",
                "pakket werd bij de buren afgegeven zonder briefje",
            ],
            "neg": [
                "pakket kwam {days} dagen te laat", "mijn pakket is nooit aangekomen",
                "de bezorger heeft niet eens aangebeld", "pakket is zoekgeraakt bij de bezorgdienst",
                "doos was helemaal ingedeukt en de inhoud beschadigd", "track & trace klopte niet",
                "volgens track & trace is het bezorgd, ik heb niks ontvangen",
                "niet thuis bezorgd terwijl ik de hele dag thuis was", "de bezorger was ontzettend onbeleefd",
                "levering werd drie keer uitgesteld", "levertijd was veel langer dan beloofd",
                "pakket lag gewoon in de regen voor de deur", "pakket is op een verkeerd adres afgeleverd",
                "ik had een dag vrij genomen voor de levering en er kwam niemand",
                "de pakketbezorger liet een briefje achter terwijl ik gewoon thuis was",
                "bestelling kwam pas na twee weken binnen", "het was een sinterklaascadeau en het kwam te laat",
                "levering was een drama", "de bezorgdienst is echt onbetrouwbaar",
                "geen idee waar mijn pakket is", "pakket kwam half open aan",
                "de helft van mijn bestelling ontbrak", "het pakket is zomaar retour afzender gegaan",
                "de bezorger gooide het pakket over het hek", "het bezorgmoment werd niet nagekomen",
                "in plaats van de volgende dag kwam het na een week", "bezorging was een ramp",
                "de levering was {days} dagen later dan gepland", "pakket staat al dagen op onderweg",
                "de {item} kwam met een flinke deuk aan", "de pakketbezorger was onbeschoft",
                "pakket zomaar bij de voordeur neergegooid", "levering is gewoon vergeten",
                "drie keer een nieuwe bezorgdatum gekregen", "het pakket is kwijt en niemand weet waar het is",
                "de bezorger beweerde dat ik niet thuis was, klopt niet",
            ],
        },
        "waiting": {
            "pos": [
                "had binnen een paar minuten iemand aan de lijn", "nauwelijks wachttijd",
                "snel iemand aan de telefoon", "werd direct geholpen",
            ],
            "mid": [
                "moest wel even wachten voordat ik iemand aan de lijn had", "wachttijd was wat lang",
                "duurde even voor ik iemand sprak", "stond een kwartiertje in de wacht",
                "wel lang in de wacht gestaan",
            ],
            "neg": [
                "{min} minuten in de wacht gestaan", "veel te lang in de wacht",
                "lang in de wacht gestaan voordat ik iemand sprak", "de wachttijd is echt belachelijk",
                "niemand neemt op", "na {min} minuten wachten werd de verbinding verbroken",
                "je hangt eindeloos in de wacht", "de wachttijd aan de telefoon is veel te lang",
                "drie keer gebeld en steeds lang moeten wachten", "{min} minuten gewacht en toen nog niet geholpen",
                "klantenservice is telefonisch bijna onbereikbaar", "het wachtmuziekje ken ik inmiddels uit mijn hoofd",
                "steeds in de wacht gezet en doorverbonden", "eerst {min} minuten moeten wachten",
                "wachttijd van bijna een uur", "45 minuten gewacht", "de hele ochtend in de wacht gehangen",
                "je wordt eindeloos in de wacht gezet", "na een half uur wachten hing ik er maar op",
                "telefonisch totaal niet bereikbaar, niemand neemt op",
            ],
        },
        "callback": {
            "pos": [
                "fijn dat ik werd teruggebeld", "de terugbelservice is echt een uitkomst",
                "werd netjes op het afgesproken tijdstip teruggebeld",
                "handig dat je kunt kiezen om teruggebeld te worden", "binnen een uur teruggebeld",
                "terugbellen werkte perfect", "super dat ze nu terugbellen, scheelt een hoop gedoe",
                "terugbelverzoek gedaan en dezelfde middag gebeld", "de terugbelservice werkt top",
                "fijn dat ik gewoon teruggebeld werd en niet aan de lijn hoefde te blijven",
            ],
            "mid": [
                "ik werd pas de volgende dag teruggebeld", "terugbellen duurde wat langer dan gezegd",
            ],
            "neg": [
                "terugbelverzoek gedaan en niemand heeft teruggebeld",
                "ze zouden terugbellen, is nooit gebeurd",
            ],
        },
        "staff": {
            "pos": [
                "super vriendelijke medewerker", "heel behulpzaam", "vriendelijk geholpen",
                "{agent} was ontzettend behulpzaam", "{agent} heeft me super goed geholpen",
                "de medewerker nam echt de tijd voor me", "erg vriendelijk en geduldig",
                "de medewerker dacht goed met me mee", "heel prettig contact met de medewerker",
                "vriendelijke en behulpzame medewerkers", "erg klantvriendelijk",
                "medewerker bleef vriendelijk ondanks mijn klacht", "fijne, persoonlijke benadering",
                "top service van {agent}", "complimenten voor {agent}", "hele aardige medewerker",
                "super vriendelijk en behulpzaam", "vriendelijk en correct geholpen",
                "heel vriendelijk te woord gestaan", "je voelt je echt geholpen",
            ],
            "mid": [
                "de medewerker kon me niet echt verder helpen",
                "het ging allemaal wat rommelig",
            ],
            "flat": ["medewerker was wel aardig"],
            "neg": [
                "onvriendelijke medewerker", "de medewerker was erg kortaf",
                "voelde me totaal niet serieus genomen", "medewerker was totaal ongeïnteresseerd",
                "ik werd gewoon afgescheept", "de medewerker was nogal bot", "geen enkele empathie",
                "ik werd behandeld alsof ik lastig was",
            ],
        },
        "expertise": {
            "pos": [
                "goed advies gekregen", "de medewerker wist er echt alles van", "deskundig advies",
                "probleem direct opgelost", "kreeg een duidelijke uitleg",
                "ze wisten precies wat ik nodig had", "in één keer goed geholpen",
                "medewerker had veel verstand van zaken", "goed uitgelegd hoe ik de {item} moest instellen",
                "snel en doeltreffend geholpen", "alles werd duidelijk uitgelegd",
                "mijn vraag werd meteen beantwoord", "binnen no-time opgelost",
            ],
            "mid": [
                "het ging nogal moeizaam voordat ik geholpen werd", "probleem is half opgelost",
                "moest het een paar keer uitleggen", "eigenlijk niet echt geholpen",
            ],
            "flat": ["het advies was redelijk"],
            "neg": [
                "de medewerker had geen idee waar hij het over had", "kreeg steeds een ander antwoord",
                "probleem is nog steeds niet opgelost", "werd van het kastje naar de muur gestuurd",
                "ze konden me niet helpen", "moest mijn verhaal drie keer opnieuw vertellen",
                "het advies klopte gewoon niet", "het antwoord sloeg nergens op",
                "niemand voelt zich verantwoordelijk", "ik ben nog geen stap verder",
            ],
        },
        "price": {
            "pos": [
                "goede prijs", "prijs-kwaliteitverhouding is prima", "scherpe prijzen",
                "goedkoper dan elders", "mooie korting gekregen", "gratis verzending is fijn",
                "voor deze prijs echt een aanrader", "goede aanbiedingen",
            ],
            "mid": [
                "wel wat aan de prijzige kant", "de prijs is aan de hoge kant",
                "had graag wat meer korting gezien", "verzendkosten vind ik wel hoog",
            ],
            "neg": [
                "veel te duur", "de prijs ging een dag na mijn aankoop omlaag",
                "verzendkosten zijn belachelijk hoog", "elders een stuk goedkoper",
                "de korting werd niet verrekend", "je betaalt echt te veel voor wat je krijgt",
                "prijzen zijn flink gestegen", "de actieprijs gold ineens niet meer bij het afrekenen",
            ],
        },
        "product": {
            "pos": [
                "de {item} werkt perfect", "heel tevreden over de {item}", "goede kwaliteit",
                "product doet precies wat het moet doen", "de {item} ziet er ook nog eens mooi uit",
                "erg blij met de {item}", "stevig en degelijk product", "makkelijk in gebruik",
                "de {item} is echt een aanrader",
            ],
            "mid": ["de handleiding kan duidelijker", "de {item} is wat groter dan ik dacht"],
            "flat": ["de {item} doet wat het moet doen", "kwaliteit is redelijk",
                     "niet slecht, niet heel bijzonder"],
            "neg": [
                "de {item} ging na een paar weken al kapot", "kwaliteit valt erg tegen",
                "de {item} werkt niet zoals beloofd", "product voelt goedkoop aan",
                "de handleiding is onduidelijk", "de {item} maakt een raar geluid",
            ],
        },
        "app_web": {
            "pos": [
                "de app werkt heel prettig", "overzichtelijke website",
                "makkelijk te vinden wat ik zocht", "de app is snel en duidelijk",
                "goede filters op de site", "fijn dat je alles in de app kunt volgen",
                "de website is duidelijk", "goede productinformatie op de site",
            ],
            "mid": [
                "de website kan wat overzichtelijker", "de app is soms wat traag",
                "zoekfunctie kan beter", "de site is soms wat traag",
            ],
            "neg": [
                "de app crasht steeds", "website is traag", "inloggen lukt niet",
                "site loopt steeds vast bij het afrekenen", "de app is onoverzichtelijk",
                "zoekfunctie op de site is waardeloos", "na de update doet de app het niet meer",
                "mijn account werd zomaar geblokkeerd",
            ],
        },
        "ordering": {
            "pos": [
                "bestellen ging makkelijk en snel", "bestelling was in een paar klikken geregeld",
                "alles goed geregeld", "duidelijke orderbevestiging", "het bestelproces is heel simpel",
                "'s avonds besteld en de volgende dag in huis", "even snel besteld en de volgende dag al binnen", "alles ging zoals het hoort",
            ],
            "mid": [
                "bestellen was wat omslachtig", "levertijd stond niet duidelijk bij het product",
                "de kortingscode moest ik twee keer invoeren",
            ],
            "neg": [
                "bestelling werd zonder reden geannuleerd", "product stond op voorraad maar bleek uitverkocht",
                "ik kreeg het verkeerde product", "de orderbevestiging kwam nooit",
                "de kortingscode werkte niet", "bestelling is per ongeluk twee keer geplaatst",
                "ik kon mijn bestelling niet meer wijzigen",
            ],
        },
        "invoicing": {
            "pos": [
                "factuur was duidelijk", "betalen met iDEAL ging vlot",
                "achteraf betalen met Klarna is handig", "terugbetaling stond snel op mijn rekening",
                "alles netjes gefactureerd", "zakelijke factuur meteen in de mail",
            ],
            "mid": [
                "factuur kwam wat laat", "de factuur was wel onduidelijk",
                "ik moest zelf om een factuur vragen",
            ],
            "neg": [
                "verkeerde factuur ontvangen", "dubbel afgeschreven",
                "twee keer betaald via iDEAL en nog steeds geen geld terug",
                "aanmaning van Klarna terwijl ik allang betaald had", "de factuur klopt niet",
                "er zijn kosten in rekening gebracht die nergens vermeld stonden",
                "betaling mislukte maar het geld was wel weg", "factuur op de verkeerde bedrijfsnaam",
                "de btw stond niet op de factuur", "ik krijg maar geen creditnota",
            ],
        },
        "returns": {
            "pos": [
                "retourneren was heel makkelijk", "geld stond binnen een paar dagen terug",
                "retourzending werd snel verwerkt", "retourlabel meteen in de mail",
                "gratis retour, top", "ruilen ging zonder gedoe", "terugbetaling ging snel",
            ],
            "mid": [
                "de terugbetaling duurde wat lang", "de terugbetaling duurde vrij lang",
                "ik moest zelf naar het postpunt", "moest even zoeken hoe het retourneren werkte",
            ],
            "neg": [
                "retourzending is kwijtgeraakt", "nog steeds mijn geld niet terug",
                "retour werd geweigerd zonder uitleg", "ik moest zelf de verzendkosten voor de retour betalen",
                "kreeg een tegoedbon in plaats van mijn geld terug",
                "al {weeks} weken wachten op mijn terugbetaling", "het retourlabel werkte niet",
                "de retourzending is ontvangen maar er gebeurt niks",
            ],
        },
        "communication": {
            "pos": [
                "goed op de hoogte gehouden", "duidelijke communicatie", "snel antwoord op mijn mail",
                "heldere informatie op de site", "reactie binnen een dag", "fijne updates via sms",
            ],
            "mid": [
                "communicatie kan wat duidelijker", "reactie op mijn mail duurde een paar dagen",
                "had graag eerder bericht gehad",
            ],
            "neg": [
                "geen reactie op mijn mail", "niemand laat iets van zich horen",
                "de informatie op de site klopt niet", "je krijgt alleen standaardmails terug",
                "de beloofde reactie kwam nooit", "de communicatie is echt slecht",
                "tegenstrijdige informatie gekregen", "mijn klacht is gewoon genegeerd",
            ],
        },
    },
    "en": {
        "delivery": {
            "pos": [
                "fast delivery", "parcel arrived the next day", "the courier was really friendly",
                "delivered right on time", "well packed and quick delivery", "tracking was accurate",
                "arrived a day earlier than expected", "everything arrived in perfect condition",
                "being able to pick a delivery slot is really handy", "the driver even carried it upstairs",
                "the {item} arrived the very next day", "quick and smooth delivery",
                "got a clear message about when the parcel would arrive",
            ],
            "mid": [
                "delivery took a bit longer than expected", "the delivery window was very wide",
                "the box was slightly dented", "had to pick it up at a pickup point",
                "tracking wasn't really updated",
            ],
            "neg": [
                "parcel arrived {days} days late", "my parcel never arrived",
                "the courier didn't even ring the bell", "the package got lost",
                "box was completely crushed and the contents damaged",
                "tracking said delivered but nothing arrived", "the tracking info was wrong",
                "delivery was postponed three times", "the courier was rude",
                "package was left in the rain outside the door", "delivered to the wrong address",
                "took a day off work for the delivery and nobody showed up", "half of my order was missing",
                "delivery was a total mess", "late delivery", "parcel has been stuck on in transit for days",
                "it was a gift and it arrived too late", "the {item} arrived badly dented",
                "the delivery driver was really unfriendly", "no idea where my package is",
            ],
        },
        "waiting": {
            "pos": [
                "got through within a couple of minutes", "hardly any waiting time",
                "was helped straight away",
            ],
            "mid": [
                "had to wait a while before someone picked up", "waiting time was a bit long",
                "was on hold for quite a while",
            ],
            "neg": [
                "on hold for ages", "waited forever to speak to someone", "waited {min} minutes on the phone",
                "nobody picks up the phone", "got disconnected after waiting {min} minutes",
                "the waiting time is ridiculous", "spent almost an hour on hold",
                "kept being put on hold and transferred", "customer service is impossible to reach by phone",
                "waited 45 minutes and still no answer", "on hold for {min} minutes",
            ],
        },
        "callback": {
            "pos": [
                "the call-back option is great", "love that they call you back now",
                "got a call back at exactly the time they promised",
                "requested a call-back and they rang me within the hour",
                "the call-back service works really well", "being called back is so much better",
            ],
            "mid": ["they only called me back the next day"],
            "neg": ["requested a call-back but nobody ever called", "they promised to call back and never did"],
        },
        "staff": {
            "pos": [
                "friendly staff", "very helpful staff", "{agent} was really helpful",
                "{agent} went above and beyond", "the staff member was so kind and patient",
                "really friendly and helpful people", "staff took the time to help me",
                "great customer service from {agent}", "very friendly service", "super friendly and helpful",
                "the person I spoke to was lovely",
            ],
            "mid": ["it was all a bit chaotic", "they couldn't really help me further"],
            "flat": ["the staff were nice enough"],
            "neg": [
                "unfriendly staff", "the staff member was rude", "didn't feel taken seriously at all",
                "staff couldn't care less", "the employee was very short with me",
            ],
        },
        "expertise": {
            "pos": [
                "good advice", "they really knew their stuff", "problem solved right away",
                "clear explanation", "sorted in one call", "very knowledgeable",
                "they explained how to set up the {item} step by step",
            ],
            "mid": ["it took a lot of effort to get it sorted", "only half of my problem was solved"],
            "neg": [
                "the employee had no clue", "got a different answer every time", "problem still not solved",
                "kept being passed from one department to another", "had to explain my issue three times",
                "the advice was simply wrong",
            ],
        },
        "price": {
            "pos": ["good price", "great value for money", "cheaper than elsewhere",
                    "free shipping is nice", "got a nice discount"],
            "mid": ["a bit on the pricey side", "prices are on the high side"],
            "neg": ["way too expensive", "the price dropped the day after I bought it",
                    "shipping costs are ridiculous", "the discount wasn't applied", "much cheaper elsewhere"],
        },
        "product": {
            "pos": ["the {item} works perfectly", "really happy with the {item}", "good quality",
                    "does exactly what it should", "solid product", "easy to use"],
            "mid": ["the manual could be clearer"],
            "flat": ["the {item} does the job", "quality is okay", "nothing special"],
            "neg": ["the {item} broke after a few weeks", "quality is really disappointing",
                    "the {item} doesn't work as advertised", "feels cheap", "the manual is useless"],
        },
        "app_web": {
            "pos": ["the app works really well", "clear and easy website",
                    "easy to find what I needed", "love tracking everything in the app"],
            "mid": ["the website could be clearer", "the app is a bit slow sometimes"],
            "neg": ["the app keeps crashing", "website is really slow", "can't log in",
                    "the site froze at checkout", "the search function is useless"],
        },
        "ordering": {
            "pos": ["ordering was quick and easy", "ordered in a few clicks", "clear order confirmation",
                    "everything went smoothly"],
            "mid": ["ordering was a bit cumbersome", "delivery time wasn't clear on the product page"],
            "neg": ["my order was cancelled for no reason", "item showed in stock but was sold out",
                    "received the wrong item", "never got an order confirmation", "the discount code didn't work"],
        },
        "invoicing": {
            "pos": ["clear invoice", "paying with iDEAL was quick", "paying later with Klarna is convenient",
                    "refund was on my account quickly"],
            "mid": ["the invoice arrived a bit late", "had to ask for the invoice myself"],
            "neg": ["received the wrong invoice", "I was charged twice",
                    "got a reminder from Klarna even though I had already paid",
                    "payment failed but the money was gone", "the invoice was wrong", "hidden costs on the invoice"],
        },
        "returns": {
            "pos": ["returning was really easy", "got my money back within a few days",
                    "return label straight in my inbox", "free returns, great", "exchange was hassle-free"],
            "mid": ["the refund took a while", "the refund was rather slow"],
            "neg": ["my return got lost", "still haven't got my refund", "return rejected without explanation",
                    "had to pay for the return shipping myself", "got store credit instead of a refund"],
        },
        "communication": {
            "pos": ["kept well informed", "clear communication", "quick reply to my email",
                    "helpful updates by text"],
            "mid": ["communication could be clearer", "the reply to my email took a few days"],
            "neg": ["no reply to my email", "nobody gets back to you", "the info on the website is wrong",
                    "only got automated replies", "contradictory information", "my complaint was simply ignored"],
        },
    },
}

# Extra staff fragments that only fit one setting.
STORE_STAFF = {
    "nl": {"pos": ["personeel in de winkel was heel vriendelijk", "in de winkel werd ik direct vriendelijk geholpen",
                   "leuke, behulpzame verkoper", "gezellige winkel met vriendelijk personeel",
                   "de verkoper gaf eerlijk advies"],
           "mid": ["het was druk in de winkel"],
           "neg": ["in de winkel liep niemand rond om te helpen", "de verkoper had duidelijk geen zin",
                   "lang bij de kassa gestaan"]},
    "en": {"pos": ["staff in the store were really friendly", "the shop assistant was very helpful"],
           "mid": ["the store was very busy"],
           "neg": ["nobody in the store to help", "the shop assistant seemed completely uninterested"]},
}
PHONE_STAFF = {
    "nl": {"pos": ["de dame aan de telefoon was erg aardig", "de jongen aan de telefoon was super vriendelijk",
                   "{agent} aan de telefoon was heel vriendelijk", "{agent} bedankt voor de hulp"],
           "mid": [], "neg": ["de medewerker hing zomaar op"]},
    "en": {"pos": ["the lady on the phone was lovely", "the guy on the phone was super friendly",
                   "very helpful agent", "the agent was really patient"],
           "mid": [], "neg": ["the agent just hung up on me", "the agent was rude"]},
}

# Product-specific fragments (used together with the generic "product" theme).
PRODUCT_FRAGMENTS = {
    "Barista Pro koffiemachine": {
        "nl": {"pos": ["de koffie smaakt heerlijk", "melk opschuimen gaat super makkelijk",
                       "mooie crema op de koffie", "elke ochtend een perfecte cappuccino"],
               "mid": ["ontkalken is wel een gedoe", "de machine is best luidruchtig"],
               "neg": ["de koffiemachine lekt", "de melkopschuimer deed het na een maand niet meer",
                       "de koffie wordt niet warm genoeg"]},
        "en": {"pos": ["the coffee tastes great", "frothing milk is really easy", "lovely crema"],
               "mid": ["descaling is a bit of a hassle"],
               "neg": ["the machine leaks", "the milk frother stopped working after a month"]},
    },
    "AeroClean stofzuiger": {
        "nl": {"pos": ["zuigt echt alles op", "ook goed voor hondenharen", "lekker licht en wendbaar"],
               "mid": ["de accu mag wel wat langer meegaan", "het stofbakje is klein"],
               "neg": ["de accu is binnen tien minuten leeg", "de zuigkracht valt tegen",
                       "de borstel raakt steeds verstopt"]},
        "en": {"pos": ["picks up everything", "great with pet hair", "light and easy to handle"],
               "mid": ["battery could last longer"],
               "neg": ["battery is dead within ten minutes", "suction power is disappointing"]},
    },
    "Airfryer XL": {
        "nl": {"pos": ["frietjes worden lekker krokant", "groot genoeg voor het hele gezin",
                       "makkelijk schoon te maken"],
               "mid": ["de coating ziet er na een maand al slecht uit",
                       "in het begin een plasticluchtje", "bakt niet altijd even gelijk"],
               "neg": ["de coating laat los", "de antiaanbaklaag bladdert na een paar weken al af",
                       "na drie weken kapot", "de airfryer stinkt naar plastic", "bakt ongelijk",
                       "de mand laat los", "het handvat is afgebroken", "het display deed het na een maand niet meer",
                       "rare plasticgeur bij elk gebruik", "het eten is aan de ene kant zwart en aan de andere kant nog rauw",
                       "de lade sluit niet goed meer", "er zitten stukjes coating in mijn eten",
                       "de timer werkt niet goed", "binnen twee maanden kapot", "er kwam rook uit de airfryer",
                       "de coating is na een paar keer afwassen al beschadigd", "de airfryer slaat zomaar af",
                       "de mand zit los en rammelt"]},
        "en": {"pos": ["fries come out nice and crispy", "big enough for the whole family"],
               "mid": ["the coating already looks worn", "a plastic smell at first"],
               "neg": ["the coating peels off", "broke after a few weeks", "smells of plastic", "cooks unevenly",
                       "the basket comes loose", "the handle snapped off", "the non-stick coating is flaking into the food",
                       "the display died after a month", "stopped working after two months"]},
    },
    "SmartTherm thermostaat": {
        "nl": {"pos": ["de app werkt super en de installatie was simpel", "scheelt echt op de energierekening",
                       "makkelijk te installeren"],
               "mid": ["de app kan wat uitgebreider", "installatie kostte meer tijd dan gedacht"],
               "neg": ["de verbinding met de wifi valt steeds weg", "de installatie was een drama",
                       "de app hangt regelmatig"]},
        "en": {"pos": ["the app is great and installation was simple", "really saves on the energy bill"],
               "mid": ["installation took longer than I thought"],
               "neg": ["keeps losing the wifi connection", "the app freezes all the time"]},
    },
    "SoundWave koptelefoon": {
        "nl": {"pos": ["het geluid is geweldig", "noise cancelling werkt top",
                       "zit heel comfortabel, ook na uren"],
               "mid": ["de oorkussens worden wat warm", "de app van de koptelefoon is matig"],
               "neg": ["de bluetoothverbinding valt steeds weg", "na een maand deed de linkerkant het niet meer",
                       "knelt na een uur"]},
        "en": {"pos": ["sound quality is amazing", "noise cancelling works brilliantly"],
               "mid": ["ear cushions get a bit warm"],
               "neg": ["the bluetooth keeps dropping", "left side stopped working after a month"]},
    },
    "FreshAir luchtreiniger": {
        "nl": {"pos": ["je merkt echt verschil in de lucht", "lekker stil, ook 's nachts",
                       "fijn voor mijn allergie"],
               "mid": ["de filters zijn wel prijzig", "op de hoogste stand best luid"],
               "neg": ["maakt veel te veel herrie", "de filters zijn belachelijk duur",
                       "ik merk eigenlijk geen verschil"]},
        "en": {"pos": ["you can really notice the difference in the air", "nice and quiet at night"],
               "mid": ["replacement filters are pricey"],
               "neg": ["way too noisy", "I honestly don't notice any difference"]},
    },
}

# Theme mix per context and sentiment (pos = promoter, mid = passive, neg = detractor).
TOUCHPOINT_THEMES = {
    "delivery": {
        "pos": {"delivery": 0.80, "ordering": 0.06, "communication": 0.08, "price": 0.06},
        "mid": {"delivery": 0.78, "communication": 0.10, "ordering": 0.06, "price": 0.06},
        "neg": {"delivery": 0.84, "communication": 0.10, "ordering": 0.06},
    },
    "webshop": {
        "pos": {"ordering": 0.36, "app_web": 0.30, "price": 0.20, "delivery": 0.08, "communication": 0.06},
        "mid": {"ordering": 0.30, "app_web": 0.35, "price": 0.25, "communication": 0.10},
        "neg": {"ordering": 0.38, "app_web": 0.37, "price": 0.15, "communication": 0.10},
    },
    "contact centre": {  # before the call-back service
        "pos": {"staff": 0.55, "expertise": 0.35, "communication": 0.10},
        "mid": {"waiting": 0.55, "staff": 0.17, "expertise": 0.18, "communication": 0.10},
        "neg": {"waiting": 0.68, "expertise": 0.14, "staff": 0.08, "communication": 0.10},
    },
    "contact centre (call-back)": {
        "pos": {"staff": 0.44, "expertise": 0.26, "callback": 0.30},
        "mid": {"callback": 0.18, "staff": 0.26, "expertise": 0.30, "communication": 0.18, "waiting": 0.08},
        "neg": {"expertise": 0.38, "communication": 0.27, "staff": 0.20, "waiting": 0.10, "callback": 0.05},
    },
    "invoicing": {
        "pos": {"invoicing": 0.78, "communication": 0.12, "staff": 0.10},
        "mid": {"invoicing": 0.75, "communication": 0.15, "price": 0.10},
        "neg": {"invoicing": 0.78, "communication": 0.14, "price": 0.08},
    },
    "returns": {
        "pos": {"returns": 0.78, "communication": 0.10, "staff": 0.12},
        "mid": {"returns": 0.70, "communication": 0.15, "product": 0.15},
        "neg": {"returns": 0.68, "communication": 0.14, "product": 0.18},
    },
    "store": {
        "pos": {"staff": 0.55, "expertise": 0.28, "price": 0.12, "product": 0.05},
        "mid": {"staff": 0.35, "expertise": 0.25, "price": 0.30, "product": 0.10},
        "neg": {"staff": 0.45, "expertise": 0.30, "price": 0.15, "product": 0.10},
    },
}
PRODUCT_THEMES = {"product": 0.72, "price": 0.16, "delivery": 0.06, "expertise": 0.03, "communication": 0.03}
RELATIONSHIP_THEMES = {"price": 0.19, "delivery": 0.15, "staff": 0.15, "expertise": 0.08, "app_web": 0.11,
                       "communication": 0.10, "product": 0.08, "returns": 0.05, "ordering": 0.06,
                       "invoicing": 0.03}

OPENERS = {
    "nl": {
        "pos": ["Altijd goed geregeld.", "Top!", "Echt een aanrader.", "Heel tevreden.", "Super!",
                "Prima ervaring.", "Al jaren klant en nog steeds blij.", "Helemaal tevreden.",
                "Niks op aan te merken.", "Wat een service!", "Topbedrijf.", "Zeer tevreden.",
                "Weer een prima ervaring.", "Eigenlijk altijd tevreden."],
        "mid": ["Prima.", "Op zich goed.", "Redelijk.", "Gaat wel.", "Was oké.", "Niks bijzonders.",
                "Goed, niet geweldig."],
        "neg": ["Jammer.", "Heel teleurgesteld.", "Dit kan echt niet.", "Slechte ervaring.", "Wat een gedoe.",
                "Niet tevreden.", "Heel slecht.", "Echt schandalig.", "Zeer ontevreden.", "Onacceptabel.",
                "Wat een ellende."],
    },
    "en": {
        "pos": ["Always well organised.", "Great!", "Highly recommended.", "Very happy.", "Excellent service.",
                "Been a customer for years and still happy.", "No complaints at all."],
        "mid": ["Fine.", "Okay overall.", "Decent.", "Nothing special.", "It was alright."],
        "neg": ["Very disappointed.", "Not acceptable.", "Bad experience.", "What a hassle.", "Really poor.",
                "Never again."],
    },
}
# Openers that lead straight into the next clause ("Jammer, het pakket ...").
PREFIXES = {
    "nl": {"pos": ["Kortom,", "Nou,"], "mid": ["Prima, maar", "Op zich prima, alleen", "Oké, maar",
                                              "Ging goed, alleen", "Redelijk, maar", "Prima hoor, alleen"],
           "neg": ["Jammer,", "Helaas,", "Tja,", "Sorry, maar", "Nou,"]},
    "en": {"pos": ["Honestly,"], "mid": ["Fine, but", "Okay, but", "Decent, but", "Good overall, though"],
           "neg": ["Sadly,", "Unfortunately,", "Honestly,", "Well,"]},
}
CLOSERS = {
    "nl": {
        "pos": ["Ga zo door!", "Dank jullie wel!", "Bedankt!", "Aanrader!", "Ik bestel hier zeker weer.",
                "Complimenten!", "Kom zeker terug.", "Bedankt voor de goede service.", "Inderdaad een aanrader!", "Bedankt voor het meedenken."],
        "mid": ["Verder prima.", "Voor de rest geen klachten.", "Verder alles goed.",
                "Volgende keer beter hopelijk.", "Verder tevreden."],
        "neg": ["Ik bestel hier niet meer.", "Graag beter in de toekomst.", "Echt zonde.",
                "Ik ga waarschijnlijk ergens anders bestellen.", "Doe er wat aan!", "Klant af.",
                "Zo houd je geen klanten.", "Ik wil gewoon een oplossing.", "Ik heb er even genoeg van."],
    },
    "en": {
        "pos": ["Keep it up!", "Thanks!", "Thank you so much!", "Will definitely order again.", "Recommended!"],
        "mid": ["Otherwise fine.", "Other than that, no complaints.", "Hope it's better next time."],
        "neg": ["Won't be ordering again.", "Please sort this out.", "Such a shame.",
                "Will probably shop elsewhere.", "Lost a customer.", "I just want this fixed."],
    },
}
CONNECTORS = {
    "nl": {"same": [" en ", ", ", ". ", ". ", " en "], "pos_extra": ["! "],
           "contrast": [", maar ", ", alleen ", " maar ", ", maar "]},
    "en": {"same": [" and ", ", ", ". ", ". "], "pos_extra": ["! "],
           "contrast": [", but ", ", though ", " but ", ", but "]},
}

# Stand-alone short comments; "any" fits every score band.
SHORTS = {
    "nl": {
        "pos": ["prima", "top!", "Top", "Goed", "Prima service", "Super", "Tevreden", "Alles goed",
                "Helemaal goed", "Top service!", "👍", "Prima!", "Zeer tevreden", "Perfect", "Heel goed",
                "Niks mis mee", "tiptop", "top 👍", "Snel en goed", "Prima geregeld", "Dikke prima"],
        "mid": ["ok", "prima", "Gaat wel", "Redelijk", "Kan beter", "Oké", "prima hoor", "Goed",
                "Niet slecht", "voldoende", "Prima.", "ok hoor"],
        "neg": ["slecht", "Slecht", "Waardeloos", "Nooit meer", "Slechte service", "Belachelijk",
                "Zeer slecht", "Klantonvriendelijk", "👎", "Onacceptabel", "Slecht!!", "Schandalig"],
        "any": ["nvt", "-", "geen", "Geen opmerkingen", "n.v.t.", ".", "Geen"],
    },
    "en": {
        "pos": ["Great", "Excellent", "Top", "Perfect", "Great service!", "Very good", "👍", "All good",
                "Spot on", "Brilliant"],
        "mid": ["fine", "ok", "Okay", "Alright", "Could be better", "Not bad", "Average", "Fine"],
        "neg": ["bad", "Terrible", "Awful service", "Very poor", "Never again", "Rubbish", "👎", "Poor"],
        "any": ["n/a", "-", "none", "No comment"],
    },
}
THEME_SHORTS = {
    "nl": {
        "delivery": {"pos": ["Snel geleverd", "Snelle levering!", "Netjes bezorgd", "Snel in huis"],
                     "mid": ["Levering kon sneller", "Bezorging was ok"],
                     "neg": ["Te laat", "Te laat geleverd", "Pakket nooit ontvangen", "Pakket kwijt",
                             "Bezorging waardeloos", "Nog steeds geen pakket", "pakket te laat!!",
                             "Waar is mijn pakket?"]},
        "waiting": {"mid": ["Lang moeten wachten"],
                    "neg": ["Veel te lang gewacht", "Lange wachttijd", "Wachttijd!!", "Veel te lang in de wacht"]},
        "staff": {"pos": ["Vriendelijk geholpen", "Super vriendelijk", "Heel behulpzaam",
                          "Vriendelijke medewerker", "Vriendelijk personeel"]},
        "callback": {"pos": ["Fijn teruggebeld", "Terugbelservice top", "Snel teruggebeld"]},
        "returns": {"pos": ["Retour snel geregeld"], "neg": ["Nog steeds geen geld terug"]},
        "invoicing": {"neg": ["Dubbel afgeschreven", "Verkeerde factuur"]},
        "expertise": {"pos": ["Goed advies", "Goed geholpen"], "neg": ["Niet geholpen"]},
    },
    "en": {
        "delivery": {"pos": ["Fast delivery", "Quick delivery!"],
                     "neg": ["Late", "Parcel never arrived", "Package lost", "Late delivery"]},
        "waiting": {"neg": ["Waited forever", "On hold for ages"]},
        "staff": {"pos": ["Friendly staff", "Very helpful"]},
        "callback": {"pos": ["Great call-back service"]},
        "invoicing": {"neg": ["Charged twice"]},
    },
}
SHORT_SHARE = 0.17

# A few comments contain contact details, for the (future) masking feature.
CONTACT_PHRASES = {
    "nl": ["mail me op {email}", "bel me terug op {phone}", "graag contact via {email}",
           "mijn nummer is {phone}, bel gerust", "je kunt me bereiken op {phone} of {email}"],
    "en": ["email me at {email}", "call me on {phone}", "please contact me at {email}"],
}
FAKE_EMAILS = ["jan.jansen@example.nl", "p.devries@example.nl", "m.bakker84@example.com",
               "kees1970@example.nl", "annemarie.smit@example.org", "j.peters@example.com"]
FAKE_PHONES = ["06-12345678", "06 98765432", "0612345678", "+31 6 12345678", "020-1234567"]
N_CONTACT_COMMENTS = 20

# Chat-speak replacements used by the typo noise.
SLANG = {
    "nl": [(" even ", " ff "), ("inderdaad", "idd"), ("waarschijnlijk", "wss"), ("in plaats van", "ipv"),
           ("eigenlijk", "eig"), (" niet ", " nie "), ("Bedankt", "Thnx"),
           ("Inderdaad", "Idd")],
    "en": [("you", "u"), ("though", "tho"), ("Thanks", "Thx"), ("because", "cause")],
}
TYPO_SHARE = 0.15
MIXED_LANGUAGE_SHARE = 0.005
LONG_SHARE = 0.025
ALL_CAPS_SHARE = 0.015  # of detractor comments

# Words that keep their capital when a prefix is put in front of them.
KEEP_CAPS = {"I", "Klarna"} | {name.split(" ")[0] for name in AGENTS}

# Topics with enough distinct aspects to fill two clauses without repeating.
REPEATABLE_THEMES = ("delivery", "product")

SENTIMENT_OF_BAND = {"pro": "pos", "pas": "mid", "det": "neg"}


# --------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------

def _wchoice(rng: random.Random, weights: dict):
    """Weighted choice from a {value: weight} dict (insertion order is stable)."""
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


def _cap(text: str) -> str:
    """Capitalise the first letter, leaving words like 'iDEAL' alone."""
    if not text or (len(text) > 1 and text[1].isupper()):
        return text
    return text[0].upper() + text[1:]


def _uncap(text: str) -> str:
    """Lower-case the first letter after a prefix, except names and 'I'."""
    first = text.split(" ")[0].strip(",.!'")
    if first in KEEP_CAPS or first[1:2].isupper():
        return text
    return text[0].lower() + text[1:]


def _month_key(when: dt.datetime) -> str:
    return f"{when.year:04d}-{when.month:02d}"


def _months():
    year, month = FIRST_MONTH
    for _ in range(N_MONTHS):
        yield year, month
        month += 1
        if month > 12:
            year, month = year + 1, 1


# --------------------------------------------------------------------------
# Customers
# --------------------------------------------------------------------------

@dataclass
class Customer:
    customer_id: str
    segment: str
    region: str
    lang: str
    loyalty: float
    yearly_revenue: float


def make_customers(rng: random.Random) -> list[Customer]:
    ids = rng.sample(range(10000, 100000), N_CUSTOMERS)
    customers = []
    for num in ids:
        segment = "zakelijk" if rng.random() < ZAKELIJK_SHARE else "particulier"
        loyalty = rng.gauss(0.0, LOYALTY_SD)
        # Revenue shares part of its randomness with loyalty: loyal customers buy more.
        z = LOYALTY_REVENUE_RHO * loyalty / LOYALTY_SD + math.sqrt(1 - LOYALTY_REVENUE_RHO ** 2) * rng.gauss(0, 1)
        revenue = REVENUE_MEDIAN[segment] * math.exp(REVENUE_SIGMA[segment] * z)
        customers.append(Customer(
            customer_id=f"C{num:05d}",
            segment=segment,
            region=_wchoice(rng, REGION_WEIGHT),
            lang="en" if rng.random() < ENGLISH_SHARE else "nl",
            loyalty=loyalty,
            yearly_revenue=round(max(revenue, 15.0), 2),
        ))
    return customers


FIRST_NAMES = {
    "nl": ["Anna", "Bram", "Daan", "Emma", "Eva", "Fleur", "Jan", "Julia", "Lars", "Lieke", "Maarten", "Noor",
           "Pieter", "Sanne", "Sem", "Sophie", "Thijs", "Tim", "Vera", "Wouter"],
    "en": ["Alice", "Ben", "Chloe", "David", "Emily", "George", "Grace", "Harry", "James", "Lucy", "Oliver",
           "Sarah"],
}
CONTACT_SHARE = 0.85  # customers who left an address; the rest get no thank-you e-mail


def contact_details(cust: Customer) -> tuple[str, str]:
    """(first name, e-mail address) of a customer, or ("", "") for one who left
    none. Drawn from a hash of the customer id, not from a random stream, so
    adding them changed none of the other columns. Addresses are on
    example.nl / example.com (reserved domains: nothing is ever delivered)."""
    draw = int(hashlib.md5(cust.customer_id.encode()).hexdigest()[:8], 16)
    if draw % 1000 >= CONTACT_SHARE * 1000:
        return "", ""
    names = FIRST_NAMES[cust.lang]
    name = names[(draw // 1000) % len(names)]
    domain = "example.nl" if cust.lang == "nl" else "example.com"
    return name, f"{name.lower()}.{cust.customer_id.lower()}@{domain}"


def assign_customers(rng: random.Random, n_rows: int, customers: list[Customer]) -> list[Customer]:
    """Every customer answers at least once; active customers answer more often."""
    activity = [rng.lognormvariate(0.0, ACTIVITY_SIGMA) for _ in customers]
    extra = rng.choices(range(len(customers)), weights=activity, k=n_rows - len(customers))
    picks = list(range(len(customers))) + extra
    rng.shuffle(picks)
    return [customers[i] for i in picks]


# --------------------------------------------------------------------------
# Response skeletons (when, what, where)
# --------------------------------------------------------------------------

def random_moment(rng: random.Random, year: int, month: int) -> dt.datetime:
    first = dt.date(year, month, 1)
    n_days = ((first.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - first).days
    days = [first + dt.timedelta(days=i) for i in range(n_days)]
    day = rng.choices(days, weights=[WEEKDAY_WEIGHT[d.weekday()] for d in days])[0]
    hour = rng.choices(range(24), weights=HOUR_WEIGHT)[0]
    return dt.datetime(day.year, day.month, day.day, hour, rng.randrange(60), rng.randrange(60))


def pick_product(rng: random.Random, touchpoint: str = "") -> str:
    weights = {name: w for name, (w, _, _) in PRODUCTS.items()}
    if touchpoint == "returns":
        weights = {k: v * RETURNS_PRODUCT_BOOST.get(k, 1.0) for k, v in weights.items()}
    return _wchoice(rng, weights)


def make_skeleton(rng: random.Random, when: dt.datetime, nps_type: str | None = None,
                  touchpoint: str | None = None) -> dict:
    nps_type = nps_type or _wchoice(rng, NPS_TYPE_WEIGHT)
    product = agent = ""
    if nps_type == "transaction":
        touchpoint = touchpoint or _wchoice(rng, TOUCHPOINT_WEIGHT)
        if touchpoint in TOUCHPOINTS_WITH_PRODUCT and rng.random() < PRODUCT_FILL_RATE:
            product = pick_product(rng, touchpoint)
        if touchpoint == "contact centre":
            agent = _wchoice(rng, {name: w for name, (w, _) in AGENTS.items()})
        channel = _wchoice(rng, CHANNEL_WEIGHT[touchpoint])
    else:
        touchpoint = ""
        if nps_type == "product":
            product = pick_product(rng)
        channel = _wchoice(rng, CHANNEL_WEIGHT[nps_type])
    return {"when": when, "nps_type": nps_type, "touchpoint": touchpoint, "product": product,
            "channel": channel, "agent": agent}


def make_skeletons(rng: random.Random) -> list[dict]:
    months = list(_months())
    volume = [SEASONALITY[m] * YEAR_GROWTH[y] for y, m in months]
    scale = BASE_ROWS / sum(volume)
    rows = []
    for (year, month), v in zip(months, volume):
        n = round(scale * v * rng.uniform(0.97, 1.03))
        for _ in range(n):
            rows.append(make_skeleton(rng, random_moment(rng, year, month)))
        for _ in range(EXTRA_DELIVERY_ROWS.get(f"{year:04d}-{month:02d}", 0)):
            rows.append(make_skeleton(rng, random_moment(rng, year, month), "transaction", "delivery"))
    return rows


# --------------------------------------------------------------------------
# Scores
# --------------------------------------------------------------------------

def latent_satisfaction(row: dict, customer: Customer) -> float:
    when = row["when"]
    month = _month_key(when)
    years_in = (when - dt.datetime(2024, 1, 1)).days / 365.25
    m = customer.loyalty + DRIFT_PER_YEAR * (years_in - 1.0)
    if customer.segment == "zakelijk":
        m += ZAKELIJK_EFFECT
    if row["nps_type"] == "relationship":
        m += RELATIONSHIP_EFFECT + RELATIONSHIP_SPILLOVER.get(month, 0.0)
    elif row["nps_type"] == "product":
        m += PRODUCT_EFFECT[row["product"]]
    else:
        tp = row["touchpoint"]
        if tp == "contact centre":
            m += CONTACT_CENTRE_AFTER if when >= CALLBACK_START else CONTACT_CENTRE_BEFORE
            m += AGENTS[row["agent"]][1]
        else:
            m += TOUCHPOINT_EFFECT[tp]
        if tp == "delivery":
            m += DELIVERY_CRISIS.get(month, 0.0)
        if row["product"]:
            m += PRODUCT_EFFECT_IN_TRANSACTION * PRODUCT_EFFECT[row["product"]]
    return m


def draw_score(rng: random.Random, m: float) -> int:
    u = rng.random()
    if u < _sigmoid(CUT_DETRACTOR - m):
        weights = ANGRY_DETRACTOR_WEIGHTS if m < -1.0 else DETRACTOR_WEIGHTS
        return rng.choices(range(7), weights=weights)[0]
    if u < _sigmoid(CUT_PASSIVE - m):
        return 8 if rng.random() < 0.55 else 7
    # Very satisfied customers give a 10 more often than a 9.
    return 10 if rng.random() < 0.45 + 0.12 * math.tanh(m) else 9


def band(score: int) -> str:
    if score >= 9:
        return "pro"
    if score >= 7:
        return "pas"
    return "det"


# --------------------------------------------------------------------------
# Comments
# --------------------------------------------------------------------------

def comment_context(row: dict, customer: Customer, score: int) -> dict:
    when = row["when"]
    return {
        "lang": customer.lang,
        "band": band(score),
        "nps_type": row["nps_type"],
        "touchpoint": row["touchpoint"],
        "product": row["product"],
        "agent": row["agent"].split(" ")[0] if row["agent"] else "",
        "callback": when >= CALLBACK_START,
        "crisis": _month_key(when) == "2024-11",
    }


def theme_weights(ctx: dict, sentiment: str) -> dict:
    if sentiment == "flat":
        sentiment = "mid"
    if ctx["nps_type"] == "product":
        return PRODUCT_THEMES
    if ctx["nps_type"] == "relationship":
        w = dict(RELATIONSHIP_THEMES)
        if sentiment != "pos":
            w["waiting"] = 0.02 if ctx["callback"] else 0.09
        elif ctx["callback"]:
            w["callback"] = 0.04
        if ctx["crisis"] and sentiment == "neg":
            w["delivery"] = 1.4  # everybody is talking about parcels this month
        return w
    tp = ctx["touchpoint"]
    if tp == "contact centre" and ctx["callback"]:
        tp = "contact centre (call-back)"
    w = TOUCHPOINT_THEMES[tp][sentiment]
    if ctx["crisis"] and tp == "delivery" and sentiment == "neg":
        w = {"delivery": 0.97, "communication": 0.03}
    if "product" in w and not ctx["product"]:
        w = {k: v for k, v in w.items() if k != "product"}
    return w


def fragment_pool(lang: str, theme: str, sentiment: str, ctx: dict) -> list[str]:
    bank = FRAGMENTS[lang][theme]
    if sentiment == "flat":  # neutral passives: mild critique or plain "it's okay"
        pool = bank["mid"] + bank.get("flat", [])
        sentiment = "mid"
    else:
        pool = list(bank[sentiment])
    if theme == "staff":
        if ctx["touchpoint"] == "store":
            pool += STORE_STAFF[lang][sentiment] * 2
        elif ctx["touchpoint"] == "contact centre":
            pool += PHONE_STAFF[lang][sentiment]
    if theme == "product" and ctx["product"]:
        specific = PRODUCT_FRAGMENTS[ctx["product"]][lang][sentiment]
        # The airfryer's own defects should dominate its complaints.
        factor = 4 if ctx["product"] == "Airfryer XL" and sentiment != "pos" else 2
        pool += specific * factor
    pool = [f for f in pool
            if ("{item}" not in f or (ctx["product"] and not ctx.get("item_used")))
            and ("{agent}" not in f or ctx["agent"])]
    return pool


def fill(rng: random.Random, text: str, ctx: dict, lang: str) -> str:
    if "{item}" in text:
        nick = PRODUCTS[ctx["product"]][1 if lang == "nl" else 2]
        text = text.replace("{item}", nick)
    return (text.replace("{agent}", ctx["agent"])
                .replace("{days}", str(rng.choice([2, 3, 3, 4, 5, 6, 7, 8, 10])))
                .replace("{weeks}", str(rng.choice([2, 3, 3, 4, 5, 6])))
                .replace("{min}", str(rng.choice([20, 25, 30, 35, 40, 45, 45, 50, 55, 60, 75, 90]))))


def fragment(rng: random.Random, ctx: dict, sentiment: str, lang: str, theme: str | None = None) -> str:
    for _ in range(10):
        t = theme or _wchoice(rng, theme_weights(ctx, sentiment))
        pool = fragment_pool(lang, t, sentiment, ctx)
        if not pool and sentiment in ("mid", "flat"):
            pool = fragment_pool(lang, t, "neg", ctx)
        if pool:
            return fill(rng, rng.choice(pool), ctx, lang)
        theme = None
    return fill(rng, rng.choice(FRAGMENTS[lang]["price"][sentiment]), ctx, lang)


def end_mark(rng: random.Random, sentiment: str) -> str:
    marks = {"pos": {".": 45, "!": 30, "": 20, "!!": 5},
             "mid": {".": 60, "": 35, "!": 5},
             "neg": {".": 50, "": 25, "!": 18, "!!!": 7}}[sentiment]
    return _wchoice(rng, marks)


def join_clauses(rng: random.Random, clauses: list[str], langs: list[str], sentiment: str,
                 contrast_at: int | None = None) -> str:
    """Chain clauses with connectors; `contrast_at` marks where "maar/but" goes."""
    text = _cap(clauses[0])
    for i in range(1, len(clauses)):
        conn = CONNECTORS[langs[i]]
        if i == contrast_at:
            joiner = rng.choice(conn["contrast"])
        else:
            options = conn["same"] + (conn["pos_extra"] if sentiment == "pos" else [])
            joiner = rng.choice(options)
        clause = _cap(clauses[i]) if joiner.strip() in (".", "!") else clauses[i]
        text += joiner + clause
    return text


def short_comment(rng: random.Random, ctx: dict, sentiment: str) -> str:
    lang = ctx["lang"]
    if rng.random() < 0.55:
        theme = _wchoice(rng, theme_weights(ctx, sentiment))
        options = THEME_SHORTS[lang].get(theme, {}).get(sentiment)
        if options:
            return rng.choice(options)
    if rng.random() < 0.12:
        return rng.choice(SHORTS[lang]["any"])
    return rng.choice(SHORTS[lang][sentiment])


def _content_words(text: str) -> set:
    return {w for w in "".join(c if c.isalpha() else " " for c in text.lower()).split() if len(w) >= 5}


def pick_themes(rng: random.Random, ctx: dict, sentiment: str, sents: list[str]) -> list[str]:
    """One topic per clause.  In mixed comments the praise is about another topic
    than the complaint ("vriendelijke medewerker, maar lang in de wacht"), so
    the clauses never contradict each other."""
    themes: list = [None] * len(sents)
    primary = None
    for i, s in enumerate(sents):
        if s == "pos" and sentiment != "pos":
            continue
        fresh = {k: v for k, v in theme_weights(ctx, s).items() if k in REPEATABLE_THEMES or k not in themes}
        if primary in REPEATABLE_THEMES and rng.random() < 0.3:
            themes[i] = primary  # stay on topic
        elif (sentiment == "pos" and primary and "staff" not in themes and rng.random() < 0.2
              and (ctx["nps_type"] == "relationship" or ctx["touchpoint"] in ("returns", "invoicing"))):
            themes[i] = "staff"  # friendly people get mentioned everywhere
        else:
            themes[i] = _wchoice(rng, fresh) if fresh else rng.choice(["staff", "price"])
        primary = primary or themes[i]
    critique = [t for t in themes if t]
    for i in range(len(sents)):
        if themes[i] is None:
            options = {k: v for k, v in theme_weights(ctx, "pos").items() if k not in critique}
            themes[i] = _wchoice(rng, options) if options else rng.choice(["staff", "price"])
    return themes


def compose(rng: random.Random, ctx: dict, mixed: bool = False) -> str:
    """Write one free-text comment that fits the score band and the context."""
    sentiment = SENTIMENT_OF_BAND[ctx["band"]]
    lang = ctx["lang"]
    other = "en" if lang == "nl" else "nl"

    if not mixed and rng.random() < SHORT_SHARE:
        return short_comment(rng, ctx, sentiment)

    long_form = rng.random() < LONG_SHARE
    n = rng.choices([1, 2, 3], weights=[45, 40, 15])[0]
    if long_form:
        n = rng.choice([3, 4])
    if mixed:
        n = max(n, 2)
    langs = [lang] + [other if (mixed and i == 1) else lang for i in range(1, n)]

    # Clause sentiments: passives mix praise with a "but"; some detractors too.
    contrast_at = None
    if sentiment == "mid":
        roll = rng.random()
        if roll < 0.30:
            sents = ["flat"] * n
        else:
            k = max(1, n - 1)
            sents = ["pos"] * k + [rng.choice(["neg", "mid", "mid"])] * (n - k)
            if n == 1:
                sents = [rng.choice(["neg", "mid", "mid", "mid"])]
            else:
                contrast_at = k
    elif sentiment == "neg" and n >= 2 and rng.random() < 0.15:
        sents = ["pos"] + ["neg"] * (n - 1)
        contrast_at = 1
    else:
        sents = [sentiment] * n

    themes = pick_themes(rng, ctx, sentiment, sents)
    clauses = []
    local = dict(ctx)
    for s, lg, t in zip(sents, langs, themes):
        clause = fragment(rng, local, s, lg, t)
        # Avoid echoing the same word ("bezorger ... bezorger") in one comment.
        for _ in range(5):
            if not _content_words(clause) & _content_words(" ".join(clauses)):
                break
            clause = fragment(rng, local, s, lg, t)
        clauses.append(clause)
        if ctx["product"] and PRODUCTS[ctx["product"]][1 if lg == "nl" else 2] in clause:
            local["item_used"] = True  # say "de airfryer" once, not in every clause

    if long_form:
        text = ". ".join(_cap(c) for c in clauses) + "."
    else:
        text = join_clauses(rng, clauses, langs, sentiment, contrast_at)
        text += end_mark(rng, sentiment)

    # Score-related openers and closers.
    if sentiment == "mid" and sents[0] in ("mid", "neg") and rng.random() < 0.5:
        text = rng.choice(PREFIXES[lang]["mid"]) + " " + _uncap(text)
    elif long_form or rng.random() < 0.25:
        if sentiment == "neg" and sents[0] == "neg" and not long_form and rng.random() < 0.35:
            text = rng.choice(PREFIXES[lang]["neg"]) + " " + _uncap(text)
        else:
            text = rng.choice(OPENERS[lang][sentiment]) + " " + text
    if long_form or rng.random() < 0.18:
        if text and text[-1] not in ".!?":
            text += "."
        text += " " + rng.choice(CLOSERS[lang][sentiment])
    return text


def add_typos(rng: random.Random, text: str, lang: str) -> str:
    """Realistic sloppiness: letter slips, chat-speak, lowercase, no full stop."""
    slang = [(a, b) for a, b in SLANG[lang] if a != b and a in text]
    n_ops = 1 if rng.random() < 0.8 else 2
    for _ in range(n_ops):
        if slang and rng.random() < 0.6:
            a, b = rng.choice(slang)
            text = text.replace(a, b, 1)
            slang = []
            continue
        op = rng.choice(["swap", "drop", "double", "lower", "nopunct", "swap", "drop"])
        words = text.split(" ")
        candidates = [i for i, w in enumerate(words) if len(w) >= 4 and w.isalpha()]
        if op in ("swap", "drop", "double") and candidates:
            i = rng.choice(candidates)
            w = words[i]
            j = rng.randrange(1, len(w) - 1)
            if op == "swap":
                w = w[:j] + w[j + 1] + w[j] + w[j + 2:]
            elif op == "drop":
                w = w[:j] + w[j + 1:]
            else:
                w = w[:j] + w[j] + w[j:]
            words[i] = w
            text = " ".join(words)
        elif op == "lower":
            text = text.lower()
        else:
            text = text.rstrip(".!")
    return text


def write_comment(rng: random.Random, ctx: dict) -> tuple[str, bool]:
    """Returns (comment, is_mixed_language)."""
    mixed = rng.random() < MIXED_LANGUAGE_SHARE
    text = compose(rng, ctx, mixed)
    if ctx["band"] == "det" and rng.random() < ALL_CAPS_SHARE and len(text) > 20:
        text = text.upper().rstrip(".!") + "!!!"
    elif rng.random() < TYPO_SHARE:
        text = add_typos(rng, text, ctx["lang"])
    if len(text) > 12 and rng.random() < 0.012:
        text += {"pro": " 😊", "pas": " 🤷", "det": " 😡"}[ctx["band"]]
    return text, mixed


def add_contact_details(rng: random.Random, rows: list[dict]) -> None:
    """Plant a handful of e-mail addresses / phone numbers for the masking feature."""
    candidates = [r for r in rows if len(r["comment"]) > 30 and r["score"] <= 8]
    for row in rng.sample(candidates, N_CONTACT_COMMENTS):
        lang = row["_lang"]
        phrase = rng.choice(CONTACT_PHRASES[lang])
        phrase = phrase.replace("{email}", rng.choice(FAKE_EMAILS)).replace("{phone}", rng.choice(FAKE_PHONES))
        text = row["comment"].rstrip()
        if text[-1] not in ".!?":
            text += "."
        row["comment"] = text + " " + _cap(phrase)


# --------------------------------------------------------------------------
# Assembly and output
# --------------------------------------------------------------------------

def _generate(seed: int = SEED) -> list[dict]:
    """Rows including private bookkeeping keys (prefixed with '_')."""
    # Separate streams, so tuning one step does not reshuffle the others.
    rng_customers = random.Random(seed + 1)
    rng_rows = random.Random(seed + 2)
    rng_scores = random.Random(seed + 3)
    rng_text = random.Random(seed + 4)

    customers = make_customers(rng_customers)
    rows = make_skeletons(rng_rows)
    rows.sort(key=lambda r: r["when"])  # stable: ties keep generation order
    who = assign_customers(rng_rows, len(rows), customers)

    out = []
    for number, (row, cust) in enumerate(zip(rows, who), start=1):
        m = latent_satisfaction(row, cust)
        score = draw_score(rng_scores, m)
        ctx = comment_context(row, cust, score)
        rate = COMMENT_RATE[ctx["band"]]
        if ctx["crisis"] and row["touchpoint"] == "delivery" and ctx["band"] == "det":
            rate = CRISIS_COMMENT_RATE
        comment, mixed = ("", False)
        if rng_text.random() < rate:
            comment, mixed = write_comment(rng_text, ctx)
        out.append({
            "response_id": f"R{number:06d}",
            "responded_at": row["when"].strftime("%Y-%m-%d %H:%M:%S"),
            "score": score,
            "comment": comment,
            "nps_type": row["nps_type"],
            "touchpoint": row["touchpoint"],
            "product": row["product"],
            "channel": row["channel"],
            "region": cust.region,
            "agent": row["agent"],
            "customer_id": cust.customer_id,
            "customer_segment": cust.segment,
            "yearly_revenue": cust.yearly_revenue,
            **dict(zip(("first_name", "email"), contact_details(cust))),
            "_lang": cust.lang,
            "_mixed": mixed,
        })
    add_contact_details(rng_text, out)
    return out


def generate(seed: int = SEED) -> list[dict]:
    """All responses as dicts keyed by COLUMNS (score int, yearly_revenue float)."""
    return [{k: r[k] for k in COLUMNS} for r in _generate(seed)]


def to_csv_bytes(rows: list[dict]) -> bytes:
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(COLUMNS)
    for r in rows:
        values = dict(r, yearly_revenue=f"{r['yearly_revenue']:.2f}")
        writer.writerow([values[c] for c in COLUMNS])
    return buf.getvalue().encode("utf-8")


def write(path: str = DEFAULT_PATH, seed: int = SEED) -> str:
    """Write the gzipped CSV; mtime=0 and no file name keep the bytes identical per run."""
    data = to_csv_bytes(generate(seed))
    with open(path, "wb") as fh:
        with gzip.GzipFile(filename="", mode="wb", fileobj=fh, mtime=0, compresslevel=9) as gz:
            gz.write(data)
    return path


if __name__ == "__main__":
    target = sys.argv[1] if len(sys.argv) > 1 else DEFAULT_PATH
    write(target)
    print(f"wrote {target}")
