"""Owning a mistake with an order: the correction, its free replacement, the apology note, the return
label, the messages to the customer and the follow-ups. Qt-free; the window and the command line call
these functions.

- ``service``: ``apologise_and_reship(db, CorrectionRequest) -> CorrectionResult`` (one unit of work),
  ``owable_lines`` and ``can_correct`` for the dialog, ``correction_documents`` to reprint.
- ``outbox``: saved messages: ``send_message``, ``record_handed_over``, ``set_customer_email``,
  ``message_eml``, ``unsent_messages``, ``messages_for_order``.
- ``follow_ups``: ``follow_up_list``, ``due_follow_ups``, ``send_follow_up``, ``mark_done``,
  ``mark_return_received``, ``open_returns``.
- ``history``: ``customer_history``, ``lookalike_pairs``, ``lookalikes_for``, ``corrections_for_order``.
- ``templates``: the owner's words, with ``save_template`` refusing unknown placeholders.
"""
