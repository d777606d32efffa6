"""The owner's words to a customer after a mistake: apology note, reship note, follow-up, return reminder.

Each template has a subject (the apology note, a printed insert, has none) and a body with
placeholders such as ``{first_name}``. They are kept in the database (``Setting``), so every packing
station uses the same words, and can be edited in settings; the defaults below are used until then.

How a template is filled in:
- Only the placeholders in ``PLACEHOLDERS`` exist. A template naming any other one is refused when it
  is saved (``UnknownPlaceholder``, naming it), so a typo never reaches a customer.
- ``{{`` and ``}}`` print a brace.
- A paragraph (text between blank lines) whose placeholders are all empty is left out, so a note still
  reads well when, say, no goodwill extra was given or nothing comes back.

The cause of a mistake has no placeholder on purpose: it is for the owner's eyes only.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy.orm import Session

from shopdesk.db.database import Database
from shopdesk.db.models import Setting
from shopdesk.errors import ShopDeskError

APOLOGY_NOTE = "apology_note"
RESHIP_NOTE = "reship_note"
FOLLOW_UP = "follow_up"
RETURN_REMINDER = "return_reminder"

TEMPLATE_NAMES = (APOLOGY_NOTE, RESHIP_NOTE, FOLLOW_UP, RETURN_REMINDER)

TEMPLATE_TITLES = {
    APOLOGY_NOTE: "Apology note (printed, in the replacement parcel)",
    RESHIP_NOTE: "Reship note (message sent right away)",
    FOLLOW_UP: "Follow-up (after the replacement has arrived)",
    RETURN_REMINDER: "Return reminder (a wrong item still to come back)",
}

PLACEHOLDERS: dict[str, str] = {
    "first_name": "the customer's first name",
    "order_number": "the order that went wrong, e.g. 1041",
    "replacement_number": "the free replacement order, e.g. 1041-R1",
    "missing_items": "what the replacement brings, e.g. 2 × Red Rose patch",
    "extra_items": "a goodwill extra, e.g. 1 × Bee patch (empty when none)",
    "goodwill_note": "the goodwill note as written, e.g. a discount code (empty when none)",
    "return_items": "the wrong item to send back (empty when nothing comes back)",
    "keep_items": "the wrong item the customer may keep (empty when none)",
    "rma": "the return number on the return label (empty when nothing comes back)",
    "what_we_changed": "what the owner changed so it won't happen again (empty when not written)",
    "shop_name": "the shop's name",
}


class TemplateError(ShopDeskError):
    """A template cannot be saved or filled in; the message says what to fix."""


class UnknownPlaceholder(TemplateError):
    def __init__(self, template: str, placeholder: str) -> None:
        self.template = template
        self.placeholder = placeholder
        known = ", ".join("{" + name + "}" for name in PLACEHOLDERS)
        super().__init__(
            f"The {template.replace('_', ' ')} template uses {{{placeholder}}}, which ShopDesk does not know. "
            f"Use one of {known}, or write {{{{ and }}}} for a brace."
        )


@dataclass(frozen=True)
class Template:
    name: str
    subject: str
    body: str


@dataclass(frozen=True)
class FilledIn:
    subject: str
    body: str


DEFAULTS: dict[str, Template] = {
    APOLOGY_NOTE: Template(
        APOLOGY_NOTE,
        "",
        "I'm so sorry that order {order_number} didn't reach you as it should have. "
        "This parcel brings {missing_items}, at no charge to you.\n\n"
        "I've also tucked in {extra_items} as a small thank-you for your patience.\n\n"
        "{goodwill_note}\n\n"
        "What you received by mistake ({return_items}) can come back whenever it suits you: "
        "the return label (return number {rma}) is enclosed. There's no rush at all.\n\n"
        "Please keep what you received by mistake ({keep_items}), with my compliments.\n\n"
        "Thank you for letting me know, and for giving {shop_name} the chance to put it right.",
    ),
    RESHIP_NOTE: Template(
        RESHIP_NOTE,
        "Your replacement for order {order_number} is on its way",
        "Hi {first_name},\n\n"
        "Thank you for telling me, and I'm so sorry that order {order_number} didn't reach you "
        "as it should have. "
        "I'm sending you {missing_items} at no charge, as order {replacement_number}. "
        "You don't need to do anything.\n\n"
        "I've added {extra_items} as a small thank-you for your patience.\n\n"
        "{goodwill_note}\n\n"
        "What you received by mistake ({return_items}) can come back whenever it suits you: "
        "a return label (return number {rma}) is attached, and there's one in the parcel too. "
        "There's no rush at all.\n\n"
        "Please keep what you received by mistake ({keep_items}), with my compliments.\n\n"
        "Thank you for your patience and for supporting a small shop.\n\n"
        "{shop_name}",
    ),
    FOLLOW_UP: Template(
        FOLLOW_UP,
        "Did your replacement for order {order_number} arrive?",
        "Hi {first_name},\n\n"
        "I hope your replacement (order {replacement_number}) has reached you and that everything is "
        "right this time. If anything isn't, just reply and I'll sort it out.\n\n"
        "So that it doesn't happen again, here is what I've changed: {what_we_changed}\n\n"
        "Thank you again for your patience.\n\n"
        "{shop_name}",
    ),
    RETURN_REMINDER: Template(
        RETURN_REMINDER,
        "The return for order {order_number}, whenever it suits you",
        "Hi {first_name},\n\n"
        "Just a gentle note, with no rush at all: whenever it suits you, the item sent by mistake "
        "({return_items}) can come back with the return label from your replacement parcel (return number {rma}).\n\n"
        "If the label has gone astray, reply and I'll send a new one.\n\n"
        "Thank you!\n\n"
        "{shop_name}",
    ),
}

# Sample values for previews in settings: every placeholder filled in.
SAMPLE_VALUES: dict[str, str] = {
    "first_name": "Maya",
    "order_number": "1041",
    "replacement_number": "1041-R1",
    "missing_items": "1 × Red Rose patch",
    "extra_items": "1 × Honey Bee patch",
    "goodwill_note": "Here is 15% off your next order too: SORRY15.",
    "return_items": "1 × Pink Rose patch",
    "keep_items": "",
    "rma": "RMA-1041-1",
    "what_we_changed": "every patch is now scanned against the order before the envelope is sealed.",
    "shop_name": "Your Patch Shop",
}

_SETTING_PREFIX = "template."


def _key(name: str) -> str:
    if name not in TEMPLATE_NAMES:
        raise TemplateError(f"There is no {name!r} template; there are {', '.join(TEMPLATE_NAMES)}.")
    return _SETTING_PREFIX + name


def _parse(name: str, text: str) -> list[tuple[str, str | None]]:
    """(literal text, placeholder or None) pieces; refuses unknown placeholders and anything fancier."""
    try:
        parsed = list(string.Formatter().parse(text))
    except ValueError as exc:
        raise TemplateError(
            f"The {name.replace('_', ' ')} template has an unmatched brace ({exc}). "
            "Placeholders look like {first_name}; write {{ and }} for a brace."
        ) from exc
    pieces: list[tuple[str, str | None]] = []
    for literal, field, spec, conversion in parsed:
        if field is not None:
            if field not in PLACEHOLDERS:
                raise UnknownPlaceholder(name, field)
            if spec or conversion:
                raise TemplateError(
                    f"The {name.replace('_', ' ')} template writes {{{field}"
                    f"{'!' + conversion if conversion else ''}{':' + spec if spec else ''}}}; "
                    f"write just {{{field}}}."
                )
        pieces.append((literal, field))
    return pieces


def validate(template: Template) -> set[str]:
    """The placeholders ``template`` uses; raises ``TemplateError`` when it cannot be filled in."""
    used: set[str] = set()
    for text in (template.subject, template.body):
        used |= {field for _, field in _parse(template.name, text) if field}
    return used


def _fill(name: str, text: str, values: Mapping[str, str], *, drop_empty_paragraphs: bool) -> str:
    paragraphs = text.replace("\r\n", "\n").split("\n\n") if drop_empty_paragraphs else [text]
    kept = []
    for paragraph in paragraphs:
        pieces = _parse(name, paragraph)
        fields = [field for _, field in pieces if field]
        if fields and all(not str(values.get(field, "")).strip() for field in fields):
            continue
        kept.append(
            "".join(literal + (str(values.get(field, "")) if field else "") for literal, field in pieces)
        )
    return "\n\n".join(kept)


def fill_in(template: Template, values: Mapping[str, str]) -> FilledIn:
    """The template with ``values`` put in; paragraphs whose placeholders are all empty are left out."""
    validate(template)
    subject = " ".join(_fill(template.name, template.subject, values, drop_empty_paragraphs=False).split())
    return FilledIn(subject, _fill(template.name, template.body, values, drop_empty_paragraphs=True).strip())


def preview(template: Template, values: Mapping[str, str] | None = None) -> FilledIn:
    """The template filled in with sample values (or ``values``), for the editor's preview."""
    return fill_in(template, {**SAMPLE_VALUES, **(values or {})})


def load_template(session: Session, name: str) -> Template:
    """The owner's template ``name``, or the default until she has written her own."""
    setting = session.get(Setting, _key(name))
    if setting is None or not isinstance(setting.value, dict):
        return DEFAULTS[name]
    return Template(name, str(setting.value.get("subject", "")), str(setting.value.get("body", "")))


def load_templates(session: Session) -> dict[str, Template]:
    return {name: load_template(session, name) for name in TEMPLATE_NAMES}


def put_template(session: Session, template: Template) -> None:
    """Keep ``template`` in the caller's unit of work, after checking it can be filled in."""
    validate(template)
    if not template.body.strip():
        raise TemplateError(f"The {template.name.replace('_', ' ')} template needs some text.")
    value = {"subject": template.subject, "body": template.body}
    setting = session.get(Setting, _key(template.name))
    if setting is None:
        session.add(Setting(key=_key(template.name), value=value))
    else:
        setting.value = value


def save_template(db: Database, name: str, subject: str, body: str) -> Template:
    """Save the owner's template; raises ``UnknownPlaceholder`` (naming it) or ``TemplateError``."""
    template = Template(name, subject, body)
    with db.unit_of_work() as uow:
        put_template(uow.session, template)
        uow.commit()
    return template


def reset_template(db: Database, name: str) -> Template:
    """Go back to the default words for ``name``."""
    with db.unit_of_work() as uow:
        setting = uow.session.get(Setting, _key(name))
        if setting is not None:
            uow.session.delete(setting)
        uow.commit()
    return DEFAULTS[name]
