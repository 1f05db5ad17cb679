"""Product photos: checking uploads and making the renditions buyers see."""
