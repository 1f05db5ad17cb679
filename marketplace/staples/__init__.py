"""Staple goods between regions (bahan pokok): commodities, reference prices, offers and needs, matches, deals."""
