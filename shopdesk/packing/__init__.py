"""Packing: the documents made from orders (slips, return labels, pick lists, shelf labels),
the print gate, and the moves that printing and shipping make."""
