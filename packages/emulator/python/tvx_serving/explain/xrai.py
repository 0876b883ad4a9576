"""XRAI (Kapishnikov et al., ICCV 2019): integrated gradients from a black and a white baseline, summed over
channels, then aggregated over Felzenszwalb segments of the image at several scales; segments are added
greedily by attribution density (gain per newly covered pixel) until the image is covered. The output is a
per-pixel map: each pixel holds the density of the region it was added with, so the most important
regions have the highest values.

Segmentation follows PAIR's reference implementation (saliency/core/xrai.py): the image is resized to
224 x 224 and scaled to [-1, 1], segmented with scales 50, 100, 150, 250, 500 and 1200 (sigma 0.8, minimum
segment 150 pixels), and the segments are resized back and dilated; the dilation radius and the minimum
new-pixel count are scaled to the image size so that small images (e.g. 32 x 32 digits) get regions of
the same relative size.
"""

import numpy as np

from .gradients import attribute

SCALES = (50, 100, 150, 250, 500, 1200)
SEGMENT_SIDE = 224
SIGMA, MIN_SIZE, DILATION, MIN_PIXEL_DIFF = 0.8, 150, 5, 50


def segment_masks(image):
    """Boolean masks (M x H x W) of the Felzenszwalb segments of ``image`` (C x H x W) at every scale."""
    from skimage.morphology import dilation, disk
    from skimage.segmentation import felzenszwalb
    from skimage.transform import resize

    height, width = image.shape[-2:]
    pixels = image.transpose(1, 2, 0) if image.ndim == 3 else image[:, :, None]
    low, high = float(pixels.min()), float(pixels.max())
    scaled = (pixels - low) / (high - low) * 2 - 1 if high > low else np.zeros_like(pixels)
    big = resize(scaled, (SEGMENT_SIDE, SEGMENT_SIDE), order=3, mode="constant", preserve_range=True,
                 anti_aliasing=True)
    colour = big.shape[-1] > 1
    radius = max(0, round(DILATION * min(height, width) / SEGMENT_SIDE))
    masks = []
    for scale in SCALES:
        segments = felzenszwalb(big if colour else big[:, :, 0], scale=scale, sigma=SIGMA, min_size=MIN_SIZE,
                                channel_axis=-1 if colour else None)
        segments = resize(segments, (height, width), order=0, preserve_range=True, mode="constant",
                          anti_aliasing=False).astype(int)
        for label in np.unique(segments):
            mask = segments == label
            masks.append(dilation(mask, disk(radius)) if radius else mask)
    return np.stack(masks) if masks else np.ones((1, height, width), dtype=bool)


def regions(attribution, masks):
    """The greedy region ranking: a map where each pixel holds its region's attribution density."""
    flat = attribution.reshape(-1).astype(np.float64)
    candidates = masks.reshape(len(masks), -1)
    min_new = max(1, round(MIN_PIXEL_DIFF * flat.size / SEGMENT_SIDE ** 2))
    output = np.full(flat.size, -np.inf)
    covered = np.zeros(flat.size, dtype=bool)
    remaining = np.ones(len(candidates), dtype=bool)
    while remaining.any():
        new = candidates & ~covered
        counts = new.sum(axis=1)
        remaining &= counts >= min_new
        if not remaining.any():
            break
        gains = np.where(remaining, new @ flat / np.maximum(counts, 1), -np.inf)
        best = int(np.argmax(gains))
        output[new[best]] = gains[best]
        covered |= candidates[best]
        remaining[best] = False
    rest = np.isinf(output)
    if rest.any():
        output[rest] = flat[rest].mean()
    return output.reshape(attribution.shape)


def xrai(target, x, index, spec, rng=None):
    """``(region_map H x W, instance_output, baseline_output, approximation_error of the underlying IG)``."""
    white = max(1.0, float(x.max()))
    baselines = [np.zeros_like(x), np.full_like(x, white)]
    attributions, instance_output, baseline_output, error = attribute(target, x, baselines, index, spec, rng=rng)
    pixel = attributions.sum(axis=0) if attributions.ndim == 3 else attributions
    return regions(pixel, segment_masks(x)), instance_output, baseline_output, error
