"""Image attributions rendered the way Vertex AI's ``Visualization`` settings describe (the b64_jpeg Vertex
returns for image inputs). The same rules as ``@terra-vertex/xai``'s ``imageOverlayPng``:

1. polarity picks the magnitudes shown: POSITIVE max(a, 0), NEGATIVE max(-a, 0), BOTH |a| (sign kept for
   the diverging colour maps);
2. clipping: magnitudes at or below the ``clipPercentLowerbound`` percentile are dropped, those above the
   ``clipPercentUpperbound`` percentile saturate; t = (m - lo) / (hi - lo) in [0, 1];
3. type PIXELS colours each pixel with t; OUTLINES colours the border pixels of the highlighted region;
4. colour maps: PINK_GREEN (positive green, negative pink), RED, GREEN, RED_GREEN, with opacity t;
   VIRIDIS and PINK_WHITE_GREEN colour every highlighted pixel opaquely (t along the map);
5. overlay: NONE on black, ORIGINAL on the image, GRAYSCALE on its luminance, MASK_BLACK shows the image
   scaled by t (no colours).

Defaults (proto): OUTLINES for integrated gradients and PIXELS for XRAI, POSITIVE, PINK_GREEN for IG and
VIRIDIS for XRAI, clip 99.9 / 62, overlay NONE.
"""

import base64
import io

import numpy as np

GREEN, PINK, RED, WHITE = (0, 255, 0), (255, 0, 255), (255, 0, 0), (255, 255, 255)
VIRIDIS = np.array([(68, 1, 84), (71, 45, 123), (59, 82, 139), (44, 114, 142), (33, 145, 140),
                    (40, 174, 128), (94, 201, 98), (173, 220, 48), (253, 231, 37)], dtype=np.float64)


def settings(visualization, xrai):
    """The visualization settings with Vertex's defaults filled in (enum names in lower case)."""
    v = visualization or {}

    def pick(name, default):
        value = str(v.get(name) or "").lower()
        return default if not value or value.endswith("_unspecified") else value

    upper = v.get("clipPercentUpperbound")
    lower = v.get("clipPercentLowerbound")
    return {
        "type": pick("type", "pixels" if xrai else "outlines"),
        "polarity": pick("polarity", "positive"),
        "colorMap": pick("colorMap", "viridis" if xrai else "pink_green"),
        "clipPercentUpperbound": 99.9 if upper is None else float(upper),
        "clipPercentLowerbound": 62.0 if lower is None else float(lower),
        "overlayType": pick("overlayType", "none"),
    }


def intensity(attribution, s):
    """``(t, sign)``: highlight strength in [0, 1] per pixel after polarity and clipping, and the sign."""
    a = np.asarray(attribution, dtype=np.float64)
    magnitude = {"positive": np.maximum(a, 0), "negative": np.maximum(-a, 0)}.get(s["polarity"], np.abs(a))
    hi = np.percentile(magnitude, s["clipPercentUpperbound"])
    lo = np.percentile(magnitude, s["clipPercentLowerbound"])
    if hi > lo:
        t = np.clip((magnitude - lo) / (hi - lo), 0, 1)
    else:
        t = ((magnitude >= hi) & (magnitude > 0)).astype(np.float64)
    if s["type"] == "outlines":
        region = t > 0
        padded = np.pad(region, 1)
        inner = padded[:-2, 1:-1] & padded[2:, 1:-1] & padded[1:-1, :-2] & padded[1:-1, 2:]
        t = (region & ~inner).astype(np.float64)
    return t, np.where(a >= 0, 1, -1)


def colours(t, sign, colour_map):
    """``(rgb H x W x 3, alpha H x W)`` of a colour map."""
    positive = sign[..., None] >= 0
    if colour_map == "viridis":
        position = t * (len(VIRIDIS) - 1)
        low = np.floor(position).astype(int).clip(0, len(VIRIDIS) - 2)
        frac = (position - low)[..., None]
        return VIRIDIS[low] * (1 - frac) + VIRIDIS[low + 1] * frac, (t > 0).astype(np.float64)
    if colour_map == "pink_white_green":
        end = np.where(positive, GREEN, PINK)
        return np.array(WHITE) * (1 - t[..., None]) + end * t[..., None], (t > 0).astype(np.float64)
    table = {"red": (RED, RED), "green": (GREEN, GREEN), "red_green": (GREEN, RED)}
    up, down = table.get(colour_map, (GREEN, PINK))
    return np.where(positive, up, down).astype(np.float64), t


def render(attribution, image, s):
    """RGB uint8 H x W x 3 of an attribution map (H x W) over ``image`` (H x W x 3 uint8, or None)."""
    t, sign = intensity(attribution, s)
    base = np.zeros(t.shape + (3,)) if image is None else np.asarray(image, dtype=np.float64)
    if s["overlayType"] == "mask_black":
        return np.round(base * t[..., None]).astype(np.uint8)
    if s["overlayType"] == "grayscale":
        grey = base @ np.array([0.299, 0.587, 0.114])
        base = np.repeat(grey[..., None], 3, axis=2)
    elif s["overlayType"] != "original":
        base = np.zeros_like(base)
    rgb, alpha = colours(t, sign, s["colorMap"])
    return np.round(base * (1 - alpha[..., None]) + rgb * alpha[..., None]).clip(0, 255).astype(np.uint8)


def as_rgb(x):
    """An input image (C x H x W or H x W in [0, 1]) as H x W x 3 uint8."""
    pixels = x if x.ndim == 2 else (x[0] if x.shape[0] == 1 else x[:3].transpose(1, 2, 0))
    pixels = np.clip(np.asarray(pixels, dtype=np.float64), 0, 1) * 255
    return np.repeat(pixels[..., None], 3, axis=2) if pixels.ndim == 2 else pixels


def b64_jpeg(attribution, x, visualization, xrai):
    """The base64 JPEG Vertex returns as ``featureAttributions[<input>].b64_jpeg``."""
    from PIL import Image

    rgb = render(attribution, as_rgb(x), settings(visualization, xrai))
    out = io.BytesIO()
    Image.fromarray(rgb).save(out, format="JPEG", quality=95)
    return base64.b64encode(out.getvalue()).decode("ascii")
