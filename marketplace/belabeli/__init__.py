"""Bela beli produk UMKM: a region's buy-local programme for its civil servants."""
