"""Mail to customers: SMTP (password in the system keyring), .eml files, mailto: links, and the
platforms' own messages for orders that carry no email address."""
