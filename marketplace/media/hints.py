"""What a photo's smallest rendition says about it, for the listing coach: how bright it is and how sharp.

Pure functions, no database. Measured on the 320 px rendition (the same scale for every photo, and a few
milliseconds): mean luminance (0 black to 255 white, PIL.ImageStat) and the variance of the Laplacian (the classic
blur measure: a sharp picture has strong, varied edges; a blurred one has almost none), with Pillow's 3x3 kernel
filter, so nothing beyond Pillow is needed.
"""

from io import BytesIO

from PIL import Image, ImageFilter, ImageStat

# The 4-neighbour Laplacian; the offset keeps negative responses above 0 in an 8-bit image (clipping at 0 and
# 255 only lowers the variance of the very sharpest pictures, which stay far above any threshold).
LAPLACIAN = ImageFilter.Kernel((3, 3), (0, 1, 0, 1, -4, 1, 0, 1, 0), scale=1, offset=128)


def measure(data: bytes) -> tuple[float, float]:
    """(mean luminance, variance of the Laplacian) of an encoded rendition."""
    with Image.open(BytesIO(data)) as img:
        grey = img.convert("L")
    luminance = ImageStat.Stat(grey).mean[0]
    edges = grey.filter(LAPLACIAN)
    if edges.width > 2 and edges.height > 2:  # Pillow leaves the outermost pixels unfiltered: leave them out
        edges = edges.crop((1, 1, edges.width - 1, edges.height - 1))
    sharpness = ImageStat.Stat(edges).var[0]
    return round(luminance, 1), round(sharpness, 1)


def measure_smallest(renditions) -> tuple[float, float] | None:
    """measure() of the smallest JPEG among a processed image's renditions (None when there is none)."""
    jpegs = [r for r in renditions if r.format == "jpeg"]
    return measure(min(jpegs, key=lambda r: r.width).data) if jpegs else None
