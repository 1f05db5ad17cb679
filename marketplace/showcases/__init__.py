"""Promotion showcases (etalase promosi) under the regions' cooperation agreements."""
