from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QPlainTextEdit, QPushButton
from readback import pdf_text
from sqlalchemy import select

from shopdesk.db.models import Order, OrderStatus
from shopdesk.packing.profile import stored_profile
from shopdesk.packing.slips import render_slips


def test_the_owner_fills_in_her_shop_and_slips_carry_it(qtbot, make_window, db):
    window = make_window(db)
    dialog = window.edit_shop_profile()
    qtbot.addWidget(dialog)
    save = dialog.findChild(QPushButton, "saveProfileButton")
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    problem = dialog.findChild(QLabel, "profileProblem")
    assert problem.isVisible() and "name" in problem.text()

    qtbot.keyClicks(dialog.findChild(QLineEdit, "shopName"), "Thread and Thistle")
    address = dialog.findChild(QPlainTextEdit, "shopAddress")
    address.setFocus()
    qtbot.keyClicks(address, "14 Mill Lane")
    qtbot.keyClick(address, Qt.Key.Key_Return)
    qtbot.keyClicks(address, "Portland OR 97201")
    qtbot.keyClicks(dialog.findChild(QLineEdit, "shopEmail"), "hello@thistle.example")
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()

    with db.reading() as session:
        profile = stored_profile(session)
    assert profile.name == "Thread and Thistle"
    assert profile.address_lines == ("14 Mill Lane", "Portland OR 97201")

    from shopdesk.orders.demo import load_demo_data

    load_demo_data(db)  # keeps the profile the owner set
    with db.reading() as session:
        checked = session.scalar(select(Order.id).where(Order.status == OrderStatus.CHECKED))
        assert stored_profile(session).name == "Thread and Thistle"
    text = pdf_text(render_slips(db, [checked]).pdf)
    assert "Thread and Thistle" in text and "hello@thistle.example" in text
