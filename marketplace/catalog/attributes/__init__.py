"""Category attributes as data: each category's attributes (text, choice, number with a unit, date, identifier with a
format), inherited by its subcategories, and the values products give them. The product form, the product page, the
search index and the catalogue's facets all read the same definitions (models.py, definitions.py)."""
