"""Writes benchmarks/speaker_questions.jsonl: questions over benchmarks/speaker_corpus/ with gold sentences.

Run from the project root: .venv/bin/python benchmarks/make_speaker_questions.py (checks that every gold
fragment names exactly one sentence of its file)."""
# ruff: noqa: E501

import json
from pathlib import Path
from typing import Any

from retrieval.corpus.segment import segment

D = Path('benchmarks/speaker_corpus')
sents: dict[str, list[str]] = {}
for p in sorted(D.glob('*.txt')):
    t = p.read_text()
    sents[p.name] = [t[s.start:s.end] for s in segment(t)]
def find(src: str, frag: str) -> dict[str, str]:
    hits = [s for s in sents[src] if frag in s]
    assert len(hits) == 1, (src, frag, hits)
    return {"source": src, "text": hits[0]}
T, W, B, C, F, H = 'trade_talks.txt', 'trade_talks_wire.txt', 'bridge_council.txt', 'central_bank.txt', 'football_club.txt', 'health_agency.txt'
Q: list[dict[str, Any]] = []
def q(question: str, speaker: str | None, gold: list[tuple[str, str]], note: str | None = None) -> None:
    d: dict[str, Any] = {"question": question, "answerable": bool(gold), "speaker": speaker, "gold": [find(s, f) for s, f in gold]}
    if note:
        d["note"] = note
    Q.append(d)
V, OL = "Elena Vasquez", "Henrik Olsen"
q("What did Vasquez say about Olsen?", V, [(T, "Vasquez accused Olsen"), (W, "Vasquez accused Olsen"), (T, "He arrived with one proposal")])
q("What did Olsen say about Vasquez?", OL, [(T, "Minister Vasquez knows perfectly well"), (T, "He added that her government")])
q("How did the trade minister describe her counterpart's tactics?", V, [(T, "Vasquez accused Olsen"), (W, "Vasquez accused Olsen"), (T, "He arrived with one proposal")], "title + pronoun")
q("What did Olsen urge Vasquez to do?", OL, [(T, "He added that her government")], "pronoun speaker")
q("What did Olsen say about the gap between the two sides?", OL, [(T, "According to Olsen, the gap"), (W, "According to Olsen, the gap")], "according to; two numbers never merge")
q("How many jobs did Vasquez say the offer would cost?", V, [(T, "Vasquez accused Olsen"), (W, "Vasquez accused Olsen")])
q("What did Vasquez insist any deal must include?", V, [(T, "insisted that any deal")], "the minister = Vasquez")
q("What did Olsen say about steel prices?", None, [], "unanswerable: industry groups said it, not Olsen")
q("What did Vasquez say about the summer recess?", None, [], "unanswerable: Olsen mentioned it")
DO, PR = "Daniel Okafor", "Priya Raman"
q("What did the mayor say about the bridge?", DO, [(B, "Mayor Daniel Okafor said on Monday"), (B, "The engineers found more corrosion")])
q("What did Raman say about Okafor?", PR, [(B, "She said Okafor had ignored"), (B, "called the delay")])
q("What did Okafor say about Raman's criticism?", DO, [(B, "Okafor dismissed the criticism")])
q("How did the mayor respond to the criticism?", DO, [(B, "Okafor dismissed the criticism")])
q("What did Okafor tell the council about the contractor?", DO, [(B, "He told the council that the contractor")], "pronoun speaker")
q("How much did Raman estimate the repair contract at?", PR, [(B, "Raman also demanded")])
q("When did Okafor say the bridge would reopen?", DO, [(B, "Mayor Daniel Okafor said on Monday")])
q("What did Okafor say about the 2021 inspection reports?", DO, [(B, "Okafor dismissed the criticism")], "the reports = 2021 reports")
q("What did Raman say about the contractor penalties?", None, [], "unanswerable: Okafor said it")
LB, SL = "Lukas Brenner", "Sofia Lind"
q("What did Brenner say about inflation?", LB, [(C, "Governor Lukas Brenner said inflation")])
q("What did Lind say about the central bank?", SL, [(C, "In a statement, Lind argued"), (C, "Finance Minister Sofia Lind said she was disappointed")])
q("What did Brenner say about Lind?", LB, [(C, "He added that he had"), (C, "Brenner, asked about the minister")])
q("What did the finance minister urge the governor to do?", SL, [(C, "She urged Brenner")], "titles on both sides")
q("What did the governor say about the bank's independence?", LB, [(C, "Brenner, asked about the minister")])
q("What did Brenner say about price stability?", LB, [(C, "We will not gamble")])
q("What did Lind say about monetary policy and the electoral calendar?", None, [], "unanswerable: Brenner said it about her")
MR, TN = "Marco Ruiz", "Tomas Novak"
q("What did Ruiz say about Novak?", MR, [(F, "Nobody is bigger than this club"), (F, "defended his decision"), (F, "The coach said he had spoken")])
q("What did Novak say about Ruiz?", TN, [(F, "The striker wrote that"), (F, "He said he was")])
q("How did the striker explain his absence?", TN, [(F, "The striker wrote that")])
q("What did the coach say about the door remaining open?", MR, [(F, "The coach said he had spoken")])
q("What did Novak say about the shirt?", TN, [(F, "I have always given everything")])
q("What did Faria say?", "Ines Faria", [(F, "The club's sporting director")])
q("What did Ruiz say about the league table?", None, [], "unanswerable")
AY, PH = "Amina Yusuf", "Peter Hall"
q("What did Yusuf say about the flu season?", AY, [(H, "warned on Wednesday that this year"), (H, "We are seeing pressure")])
q("What did Hall say about Yusuf?", PH, [(H, "The director had the data"), (H, "Hall said that pharmacies"), (H, "accused the agency")])
q("What did the health director say about vaccine shortages?", AY, [(H, "The director added that shortages"), (H, "Yusuf rejected the claim")])
q("How many doses did Yusuf say had been delivered?", AY, [(H, "Yusuf rejected the claim")])
q("What did Yusuf urge people over 65 to do?", AY, [(H, "Yusuf said hospital admissions")])
q("What did Hall say about emergency departments?", None, [], "unanswerable: Yusuf said it")
q("How did Yusuf respond to Hall?", AY, [(H, "Yusuf rejected the claim")], "responds to his claim without naming him")
q("What did Macron say about the steel tariffs?", None, [], "absent speaker")
q("What did Chancellor Berger say about interest rates?", None, [], "absent speaker")
q("What did the prime minister say about the harbour bridge?", None, [], "absent title")
q("How many goals has Ruiz scored this season?", None, [], "unanswerable: Novak's goals")
q("What is the population of Geneva?", None, [], "unanswerable")
q("When will the central bank cut rates?", None, [], "unanswerable")
with open('benchmarks/speaker_questions.jsonl', 'w') as f:
    for d in Q:
        f.write(json.dumps(d, ensure_ascii=False) + '\n')
print(len(Q), sum(d['answerable'] for d in Q))
