"""ShopDesk's benchmarks: `make bench` (not part of `make test`)."""
