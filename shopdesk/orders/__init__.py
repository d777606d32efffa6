"""Orders: status rules, history, queries, and the services that change them."""
