"""Noticing a packing slip's barcode scanned while the order list has the keyboard.

A USB scanner is a keyboard: it types the order number and presses Enter into whatever has the
focus. In the order table those keys would jump between rows and then open whichever row was
selected. ``SlipScanCatcher`` watches the keys typed into a widget, and when Enter ends a code
that is an order number it reports the order instead, and swallows the Enter. Anything that is
not an order number is left to the widget as if the catcher were not there.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent

MAX_CODE = 64
_ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
_COMMAND_MODIFIERS = (
    Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.MetaModifier
)


class SlipScanCatcher(QObject):
    order_scanned = Signal(int)  # order id

    def __init__(self, resolve: Callable[[str], int | None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._resolve = resolve
        self._typed = ""

    def watch(self, widget) -> None:
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FocusOut:
            self._typed = ""
        elif event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            return self._key(event)
        return False

    def _key(self, event: QKeyEvent) -> bool:
        if event.key() in _ENTER:
            code, self._typed = self._typed.strip(), ""
            order_id = self._resolve(code) if code else None
            if order_id is None:
                return False
            self.order_scanned.emit(order_id)
            return True
        text = event.text()
        if text and text.isprintable() and not event.modifiers() & _COMMAND_MODIFIERS:
            self._typed = (self._typed + text)[-MAX_CODE:]
        elif event.key() not in (Qt.Key.Key_Shift, Qt.Key.Key_CapsLock):
            self._typed = ""  # arrows, Tab, Backspace…: what came before was not one code
        return False
