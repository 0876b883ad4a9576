"""The network: a small VGG-style CNN whose width depends on the AutoML model type.

The exported TorchScript module takes float32 N x C x H x W in [0, 1] (normalisation inside) and returns
logits N x K: softmax gives single-label confidences, sigmoid multi-label ones.
"""

import torch
from torch import nn

# Base width (channels of the first stage) per model type; the stages double it. Latency-oriented types are
# narrower, the accuracy-oriented and Model Garden types wider. CLOUD is the default.
WIDTHS = {
    "MOBILE_TF_LOW_LATENCY_1": 16,
    "MOBILE_TF_VERSATILE_1": 24,
    "MOBILE_TF_HIGH_ACCURACY_1": 32,
    "CLOUD": 32,
    "CLOUD_1": 48,
    "EFFICIENTNET": 48,
    "MAXVIT": 48,
    "VIT": 48,
    "COCA": 48,
}


def width_of(model_type):
    return WIDTHS.get(model_type or "CLOUD", 32)


def _block(cin, cout):
    # A quick BatchNorm momentum: small datasets give few steps per epoch, and validation uses the running stats.
    return nn.Sequential(nn.Conv2d(cin, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout, momentum=0.3),
                         nn.ReLU(inplace=True))


class AutoMLImageNet(nn.Module):
    """Three conv stages (each halves the resolution), global average pooling, dropout, a linear head."""

    def __init__(self, channels, classes, width, mean, std):
        super().__init__()
        self.register_buffer("mean", torch.tensor(mean, dtype=torch.float32).view(1, channels, 1, 1))
        self.register_buffer("std", torch.tensor(std, dtype=torch.float32).view(1, channels, 1, 1))
        w = width
        self.features = nn.Sequential(
            _block(channels, w), _block(w, w), nn.MaxPool2d(2),
            _block(w, 2 * w), _block(2 * w, 2 * w), nn.MaxPool2d(2),
            _block(2 * w, 4 * w), nn.MaxPool2d(2),
            nn.AdaptiveAvgPool2d(1),
        )
        self.head = nn.Sequential(nn.Flatten(), nn.Dropout(0.2), nn.Linear(4 * w, classes))

    def forward(self, x):
        return self.head(self.features((x - self.mean) / self.std))


def build(channels, classes, model_type, mean, std):
    return AutoMLImageNet(channels, classes, width_of(model_type), mean, std)


def warm_start(model, path, log):
    """Copies the weights of a base model (a TorchScript ``model.pt`` of the same model type) whose shapes
    match; the head is kept new when the label count differs."""
    base = torch.jit.load(path, map_location="cpu").state_dict()
    own = model.state_dict()
    taken = {k: v for k, v in base.items() if k in own and own[k].shape == v.shape and k not in ("mean", "std")}
    own.update(taken)
    model.load_state_dict(own)
    log("warm start from the base model: %d of %d tensors" % (len(taken), len(own)))


def export(model, path):
    """Saves the model in eval mode as TorchScript."""
    model.eval()
    scripted = torch.jit.script(model)
    scripted.save(path)
    return scripted
