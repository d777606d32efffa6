"""Settings → Message templates: the owner's own words for the apology note, the reship note, the
follow-up and the return reminder, with a live preview and the placeholders she can use.

A template naming a placeholder ShopDesk does not know is refused when saved, with the core's words.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from shopdesk.corrections import templates
from shopdesk.db.database import Database


class TemplateEditorDialog(QDialog):
    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.setObjectName("templateEditor")
        self.setWindowTitle("Message templates")
        with db.reading() as session:
            self.saved = templates.load_templates(session)
        # What the owner typed, template by template: switching between them loses nothing.
        self.drafts: dict[str, templates.Template] = dict(self.saved)
        self.current = templates.TEMPLATE_NAMES[0]

        layout = QHBoxLayout(self)
        layout.setContentsMargins(16, 14, 16, 14)
        layout.setSpacing(14)
        self.names = QListWidget()
        self.names.setObjectName("templateList")
        for name in templates.TEMPLATE_NAMES:
            item = QListWidgetItem(templates.TEMPLATE_TITLES[name])
            item.setData(Qt.ItemDataRole.UserRole, name)
            self.names.addItem(item)
        self.names.setFixedWidth(250)
        self.names.setWordWrap(True)
        layout.addWidget(self.names)

        editor = QVBoxLayout()
        editor.setSpacing(6)
        self.subject_label = QLabel("Subject")
        self.subject = QLineEdit()
        self.subject.setObjectName("templateSubject")
        editor.addWidget(self.subject_label)
        editor.addWidget(self.subject)
        editor.addWidget(QLabel("Text"))
        self.body = QPlainTextEdit()
        self.body.setObjectName("templateBody")
        self.body.setTabChangesFocus(True)
        editor.addWidget(self.body, 3)
        editor.addWidget(QLabel("Preview, with example values"))
        self.preview = QPlainTextEdit()
        self.preview.setObjectName("templatePreview")
        self.preview.setReadOnly(True)
        editor.addWidget(self.preview, 2)
        self.problem = QLabel()
        self.problem.setObjectName("templateProblem")
        self.problem.setWordWrap(True)
        editor.addWidget(self.problem)
        buttons = QHBoxLayout()
        self.reset_button = QPushButton("Reset to default")
        self.reset_button.setObjectName("resetTemplateButton")
        self.reset_button.clicked.connect(self.reset)
        buttons.addWidget(self.reset_button)
        buttons.addStretch(1)
        close = QPushButton("Close")
        close.setObjectName("closeTemplatesButton")
        close.clicked.connect(self.reject)
        buttons.addWidget(close)
        self.save_button = QPushButton("Save")
        self.save_button.setObjectName("saveTemplateButton")
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        buttons.addWidget(self.save_button)
        editor.addLayout(buttons)
        layout.addLayout(editor, 1)

        side = QVBoxLayout()
        side.addWidget(QLabel("<b>Placeholders</b> — double-click to insert"))
        self.placeholders = QListWidget()
        self.placeholders.setObjectName("placeholderList")
        for name, meaning in templates.PLACEHOLDERS.items():
            item = QListWidgetItem(f"{{{name}}}\n    {meaning}")
            item.setData(Qt.ItemDataRole.UserRole, name)
            self.placeholders.addItem(item)
        self.placeholders.setFixedWidth(320)
        self.placeholders.setWordWrap(True)
        self.placeholders.itemDoubleClicked.connect(self._insert)
        side.addWidget(self.placeholders, 1)
        note = QLabel(
            "A paragraph whose placeholders are all empty is left out, so the note still reads well "
            "when there is no extra or nothing comes back. The cause of a mistake has no placeholder: "
            "it is never told to the customer."
        )
        note.setObjectName("templateNote")
        note.setWordWrap(True)
        note.setFixedWidth(320)
        side.addWidget(note)
        layout.addLayout(side)

        self.names.currentRowChanged.connect(self._switch)
        self.subject.textChanged.connect(self._edited)
        self.body.textChanged.connect(self._edited)
        self.names.setCurrentRow(0)
        self.resize(1240, 720)

    def _switch(self, row: int) -> None:
        self.current = templates.TEMPLATE_NAMES[row]
        self._show(self.drafts[self.current])

    def _show(self, template: templates.Template) -> None:
        has_subject = self.current != templates.APOLOGY_NOTE  # a printed insert has no subject
        self.subject_label.setVisible(has_subject)
        self.subject.setVisible(has_subject)
        for widget, text in ((self.subject, template.subject), (self.body, template.body)):
            widget.blockSignals(True)
            (widget.setText if widget is self.subject else widget.setPlainText)(text)
            widget.blockSignals(False)
        self._edited()

    def typed(self) -> templates.Template:
        return templates.Template(self.current, self.subject.text(), self.body.toPlainText())

    def _edited(self) -> None:
        template = self.typed()
        self.drafts[self.current] = template
        try:
            filled = templates.preview(template)
        except templates.TemplateError as error:
            self._show_problem(str(error))
        else:
            self.preview.setPlainText(f"{filled.subject}\n\n{filled.body}" if filled.subject else filled.body)
            self.problem.setText("Not saved yet." if template != self.saved[self.current] else "")
            self.problem.setProperty("refused", False)
        for row, name in enumerate(templates.TEMPLATE_NAMES):
            unsaved = self.drafts[name] != self.saved[name]
            self.names.item(row).setText(templates.TEMPLATE_TITLES[name] + ("  •" if unsaved else ""))

    def _show_problem(self, text: str) -> None:
        self.problem.setText(f"<b style='color:#b91c1c'>{escape(text)}</b>")
        self.problem.setProperty("refused", True)

    def _insert(self, item: QListWidgetItem) -> None:
        """Put the placeholder into the text where its cursor was."""
        self.body.insertPlainText("{" + item.data(Qt.ItemDataRole.UserRole) + "}")
        self.body.setFocus()

    def save(self) -> bool:
        """Save the template shown; an unknown placeholder is refused with the reason, nothing saved."""
        template = self.typed()
        try:
            saved = templates.save_template(self.db, self.current, template.subject, template.body)
        except templates.TemplateError as error:
            self._show_problem(str(error))
            return False
        self.saved[self.current] = saved
        self._edited()
        self.problem.setText("Saved.")
        return True

    def reset(self) -> None:
        self.saved[self.current] = templates.reset_template(self.db, self.current)
        self.drafts[self.current] = self.saved[self.current]
        self._show(self.saved[self.current])
        self.problem.setText("Back to the default words.")
