"""Reports on the shop's own records: how often packing goes wrong, why, and what it costs."""
