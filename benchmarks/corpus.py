"""A synthetic JSON Lines corpus for speed benchmarks: documents of about 1.3 KB built by
drawing sentences (written for this benchmark) at random with a fixed seed."""

from __future__ import annotations

import json
import random
from pathlib import Path

SENTENCES = [
    "The Commerce Department tightened export controls on advanced chips bound for China on Tuesday.",
    "Japan and the United States agreed to deepen cooperation on artificial intelligence and semiconductors.",
    "Officials in Brussels said the European Union would screen foreign investment in critical infrastructure.",
    "Beijing responded by restricting exports of gallium and germanium, two metals used in chipmaking.",
    "The Dutch government said licences would be required for some lithography systems made by ASML.",
    "South Korea announced a support package worth billions of won for its memory chip industry.",
    "India approved three new semiconductor plants, including a fab built with a Taiwanese partner.",
    "Analysts in London said the tariffs would raise costs for carmakers across the bloc.",
    "A ransomware attack disrupted hospitals, and the national cyber agency issued an advisory.",
    "The space agency confirmed the lunar lander touched down near the south pole of the Moon.",
    "Ministers met in Paris to discuss climate finance and the phase-out of fossil fuels.",
    "The telecom regulator barred Huawei and ZTE equipment from new 5G networks.",
    "Quantum computing start-ups raised new funding as governments announced national strategies.",
    "The company said its new data centre in Virginia would run large AI models for customers.",
    "Rare earth prices rose after the announcement, traders in Singapore said.",
    "The privacy regulator fined the platform for moving personal data across borders without consent.",
    "Defense ministers discussed missile defense and the production of munitions for Ukraine.",
    "Biotechnology firms warned that the proposed rules would disrupt drug supply chains.",
    "Nvidia, Intel and TSMC executives testified before lawmakers in Washington.",
    "The Kremlin said Russia would respond to the new sanctions on its energy exports.",
    "Prime Minister Modi inaugurated the plant in Gujarat alongside company executives.",
    "Germany's economy ministry approved subsidies for a chip factory in Magdeburg.",
    "Saudi Arabia and the United Arab Emirates announced investments in AI infrastructure.",
    "Canadian officials said the critical minerals strategy would support lithium mining.",
    "The summit in Tokyo ended with a joint statement on undersea cable security.",
]


def document(rng: random.Random, i: int, size: int = 1300) -> dict[str, str]:
    parts: list[str] = []
    while sum(len(p) + 1 for p in parts) < size:
        parts.append(rng.choice(SENTENCES))
    return {"id": f"doc-{i}", "date": f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}", "text": " ".join(parts)}


def write_corpus(path: Path, n: int, seed: int = 7) -> Path:
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8") as fh:
        for i in range(n):
            fh.write(json.dumps(document(rng, i)) + "\n")
    return path
