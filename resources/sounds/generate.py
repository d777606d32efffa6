"""Makes the check screen's sounds (16-bit mono WAV). Run it again after changing a tone:

    python resources/sounds/generate.py

Each outcome has a sound that can be told apart without looking: a short high beep for a counted
unit, a low buzz for a wrong item, two mid beeps for one too many, a rising chime when done.
"""

from __future__ import annotations

import math
import struct
import wave
from pathlib import Path

RATE = 22_050

# name: [(frequency in Hz or 0 for silence, seconds, waveform)]
SOUNDS = {
    "counted": [(1320, 0.08, "sine")],
    "wrong_item": [(150, 0.45, "square")],
    "over": [(660, 0.12, "sine"), (0, 0.06, "sine"), (660, 0.12, "sine")],
    "complete": [(784, 0.12, "sine"), (988, 0.12, "sine"), (1319, 0.28, "sine")],
}


def tone(frequency: float, seconds: float, waveform: str) -> list[float]:
    count = int(RATE * seconds)
    fade = min(int(RATE * 0.01), count // 2)
    samples = []
    for i in range(count):
        phase = math.sin(2 * math.pi * frequency * i / RATE) if frequency else 0.0
        value = math.copysign(0.6, phase) if waveform == "square" and phase else phase
        envelope = min(1.0, i / fade, (count - i) / fade) if fade else 1.0
        samples.append(value * envelope * 0.7)
    return samples


def main() -> None:
    folder = Path(__file__).parent
    for name, parts in SOUNDS.items():
        samples = [s for part in parts for s in tone(*part)]
        with wave.open(str(folder / f"{name}.wav"), "wb") as out:
            out.setnchannels(1)
            out.setsampwidth(2)
            out.setframerate(RATE)
            out.writeframes(b"".join(struct.pack("<h", int(s * 32767)) for s in samples))


if __name__ == "__main__":
    main()
