"""The check screen's sounds: one per outcome, so the packer hears the result without looking.

Sounds are optional. With Qt Multimedia and an audio output, the WAV files in
``resources/sounds`` play through ``QSoundEffect``; without them (Qt Multimedia needs system audio
libraries that are not always installed) the system beep is used in a pattern per outcome. On
the offscreen platform (the tests) nothing is played, but every request is still recorded in
``played`` so that a test can tell which sound the screen asked for.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QTimer, QUrl
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from shopdesk.resources import resource_path

log = logging.getLogger(__name__)

COUNTED, WRONG_ITEM, OVER, COMPLETE = "counted", "wrong_item", "over", "complete"
SOUNDS = (COUNTED, WRONG_ITEM, OVER, COMPLETE)

# System beeps per sound when no audio output is available: (count, milliseconds apart).
_BEEPS = {COUNTED: (1, 0), WRONG_ITEM: (3, 110), OVER: (2, 180), COMPLETE: (2, 90)}
_SILENT_PLATFORMS = ("offscreen", "minimal")


class CheckSounds(QObject):
    def __init__(self, parent: QObject | None = None, *, enabled: bool = True) -> None:
        super().__init__(parent)
        self.enabled = enabled
        self.played: list[str] = []
        self._effects = {}
        self.backend = "silent"
        if enabled and QGuiApplication.platformName() not in _SILENT_PLATFORMS:
            self._effects = self._load_effects()
            self.backend = "audio" if self._effects else "beep"

    def play(self, sound: str) -> None:
        if sound not in SOUNDS:
            raise ValueError(f"no such sound: {sound}")
        self.played.append(sound)
        if not self.enabled or self.backend == "silent":
            return
        if self.backend == "audio":
            self._effects[sound].play()
            return
        count, gap = _BEEPS[sound]
        for i in range(count):
            QTimer.singleShot(i * gap, self, QApplication.beep)

    def _load_effects(self) -> dict:
        try:
            from PySide6.QtMultimedia import QMediaDevices, QSoundEffect
        except ImportError as exc:  # the system's audio libraries are missing
            log.info("sounds: Qt Multimedia unavailable (%s); using the system beep", exc)
            return {}
        if not QMediaDevices.audioOutputs():
            log.info("sounds: no audio output; using the system beep")
            return {}
        effects = {}
        for sound in SOUNDS:
            effect = QSoundEffect(self)
            effect.setSource(QUrl.fromLocalFile(str(resource_path("sounds", f"{sound}.wav"))))
            effect.setVolume(0.8)
            effects[sound] = effect
        return effects
