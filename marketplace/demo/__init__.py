"""Demo data for `flask seed-demo`: realistic Indonesian businesses and products, photos drawn with Pillow."""
