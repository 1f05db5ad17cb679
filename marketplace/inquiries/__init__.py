"""Buyers' inquiries about products, and the owner's inbox."""
