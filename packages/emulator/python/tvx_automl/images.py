"""Image decoding shared by training and serving: bytes or a file -> float32 C x H x W in [0, 1].

The artifact's ``automl_image.json`` fixes ``imageSize`` [H, W] and ``channels`` (1 or 3); every image, at
training and prediction time, is decoded with PIL (PNG, JPEG, GIF (first frame), BMP, TIFF, WEBP, ICO),
converted to grey (``L``) or ``RGB`` (transparency composited on white) and resized bilinearly to W x H.
"""

import io

import numpy as np
from PIL import Image, ImageSequence

GREY_MODES = ("1", "L", "LA", "I", "I;16", "F", "P;L")


def open_image(source):
    """A PIL image from a path or bytes (the first frame of an animation)."""
    image = Image.open(io.BytesIO(source) if isinstance(source, (bytes, bytearray)) else source)
    if getattr(image, "is_animated", False):
        image = next(iter(ImageSequence.Iterator(image)))
    image.load()
    return image


def is_grey(image):
    """True when the image has no colour: a grey mode, or RGB(A) with equal channels."""
    if image.mode in GREY_MODES:
        return True
    if image.mode == "P":
        image = image.convert("RGB")
    if image.mode not in ("RGB", "RGBA"):
        return False
    rgb = np.asarray(image.convert("RGB"), dtype=np.int16)
    return bool(np.all(rgb[..., 0] == rgb[..., 1]) and np.all(rgb[..., 1] == rgb[..., 2]))


def _flatten(image):
    """Composite transparency on white, as a viewer shows it."""
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(background, rgba).convert("RGB")
    return image


def pixels(image, size, channels):
    """``uint8 [channels, H, W]`` for ``size`` = (H, W)."""
    image = _flatten(image).convert("L" if channels == 1 else "RGB")
    height, width = size
    if image.size != (width, height):
        image = image.resize((width, height), Image.BILINEAR)
    array = np.asarray(image, dtype=np.uint8)
    return array[None, :, :] if channels == 1 else np.ascontiguousarray(array.transpose(2, 0, 1))


def to_array(image, size, channels):
    """``float32 [channels, H, W]`` in [0, 1] for ``size`` = (H, W)."""
    return pixels(image, size, channels).astype(np.float32) / 255.0


def decode(source, size, channels):
    """Decode a path or image bytes to ``float32 [channels, H, W]`` in [0, 1]."""
    return to_array(open_image(source), size, channels)
