"""Settings → Shop profile: who the shop is on every slip, label and note."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from shopdesk.db.database import Database
from shopdesk.documents.data import ShopProfile
from shopdesk.packing.profile import PLACEHOLDER_PROFILE, save_profile, stored_profile

SLIP_PAPERS = (("letter", "Letter sheet"), ("a4", "A4 sheet"), ("label4x6", "4×6 in label"))
LABEL_PAPERS = (("label4x6", "4×6 in label"), ("letter", "Letter sheet"))
SHEET_PAPERS = (("letter", "Letter"), ("a4", "A4"))


def _combo(choices: tuple[tuple[str, str], ...], current: str, name: str) -> QComboBox:
    combo = QComboBox()
    combo.setObjectName(name)
    for value, label in choices:
        combo.addItem(label, value)
    combo.setCurrentIndex(max(0, combo.findData(current)))
    return combo


def _text_box(text: str, name: str, lines: int = 4) -> QPlainTextEdit:
    box = QPlainTextEdit(text)
    box.setObjectName(name)
    box.setTabChangesFocus(True)
    box.setFixedHeight(box.fontMetrics().lineSpacing() * lines + 12)
    return box


class ShopProfileDialog(QDialog):
    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.setObjectName("shopProfileDialog")
        self.setWindowTitle("Shop profile")
        with db.reading() as session:
            profile = stored_profile(session)
        self.is_new = profile is None
        profile = profile or PLACEHOLDER_PROFILE
        layout = QVBoxLayout(self)
        intro = QLabel("This is how your shop introduces itself on packing slips, return labels and notes.")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.name = QLineEdit("" if self.is_new else profile.name)
        self.name.setObjectName("shopName")
        self.name.setPlaceholderText("e.g. Belt Drive Betty Patches")
        self.address = _text_box("" if self.is_new else "\n".join(profile.address_lines), "shopAddress")
        self.return_address = _text_box("\n".join(profile.return_address_lines), "returnAddress")
        self.return_address.setPlaceholderText("Leave empty to use the shop's address")
        self.email = QLineEdit(profile.email)
        self.email.setObjectName("shopEmail")
        self.phone = QLineEdit(profile.phone)
        self.website = QLineEdit(profile.website)
        self.logo = QLineEdit(str(profile.logo_path or ""))
        self.logo.setObjectName("shopLogo")
        choose_logo = QPushButton("Choose…")
        choose_logo.clicked.connect(self._choose_logo)
        logo_row = QHBoxLayout()
        logo_row.addWidget(self.logo, 1)
        logo_row.addWidget(choose_logo)
        self.thank_you = _text_box(profile.thank_you_text, "thankYouText", lines=3)
        self.slip_paper = _combo(SLIP_PAPERS, profile.packing_slip_paper, "slipPaper")
        self.label_paper = _combo(LABEL_PAPERS, profile.return_label_paper, "labelPaper")
        self.sheet_paper = _combo(SHEET_PAPERS, profile.sheet_paper, "sheetPaper")
        form.addRow("Shop name", self.name)
        form.addRow("Address", self.address)
        form.addRow("Returns go to", self.return_address)
        form.addRow("Email", self.email)
        form.addRow("Phone", self.phone)
        form.addRow("Website", self.website)
        form.addRow("Logo", logo_row)
        form.addRow("Thank-you text", self.thank_you)
        form.addRow("Packing slips on", self.slip_paper)
        form.addRow("Return labels on", self.label_paper)
        form.addRow("Pick lists and shelf labels on", self.sheet_paper)
        layout.addLayout(form)
        self.problem = QLabel()
        self.problem.setObjectName("profileProblem")
        self.problem.setStyleSheet("color: #b91c1c;")
        self.problem.hide()
        layout.addWidget(self.problem)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Save).setObjectName("saveProfileButton")
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(560, 640)

    def _choose_logo(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Shop logo", "", "Images (*.png *.jpg *.jpeg)")
        if path:
            self.logo.setText(path)

    def profile(self) -> ShopProfile:
        logo = self.logo.text().strip()
        if logo and not Path(logo).is_file():
            raise ValueError(f"the logo file {logo} does not exist")
        return ShopProfile(
            name=self.name.text().strip(),
            address_lines=tuple(self.address.toPlainText().splitlines()),
            return_address_lines=tuple(self.return_address.toPlainText().splitlines()),
            email=self.email.text().strip(),
            phone=self.phone.text().strip(),
            website=self.website.text().strip(),
            logo_path=Path(logo) if logo else None,
            thank_you_text=self.thank_you.toPlainText().strip(),
            packing_slip_paper=self.slip_paper.currentData(),
            return_label_paper=self.label_paper.currentData(),
            sheet_paper=self.sheet_paper.currentData(),
        )

    def save(self) -> None:
        try:
            profile = self.profile()
            if not profile.address_lines:
                raise ValueError("give the shop's address; it prints on every slip and return label")
        except ValueError as problem:
            self.problem.setText(f"Please check: {problem}.")
            self.problem.show()
            return
        save_profile(self.db, profile)
        self.accept()
