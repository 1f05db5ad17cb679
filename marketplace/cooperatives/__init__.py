"""Cooperatives (koperasi) and their member producers, with the consent that decides what is shown of them."""
