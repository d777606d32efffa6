"""ShopDesk: the order desk of a one-person patch shop."""

__version__ = "0.1.0"
