"""Favourites: products and businesses a logged-in user saved, and telling them when a saved product gets cheaper or
is available again."""
