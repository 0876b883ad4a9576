"""PyTorch, as Vertex AI's ``pytorch-cpu`` prediction container serves it.

Vertex's container is TorchServe serving ``model.mar`` (see ``torchserve.py``). A bare TorchScript
``model.pt`` without an archive is served too (an emulator extension): predictions are
``model(torch.tensor(instances, dtype=torch.float32)).tolist()``.
"""

import os

from ..errors import LoadError, OutputError


class TorchScriptModel:
    def __init__(self, filename, module):
        self.framework = "pytorch"
        self.module = module
        self.description = "%s (TorchScript %s)" % (filename, getattr(module, "original_name", "module"))

    def predict(self, instances, parameters):
        import torch

        with torch.no_grad():
            output = self.module(torch.tensor(instances, dtype=torch.float32))
        if isinstance(output, torch.Tensor):
            return output.tolist()
        if isinstance(output, dict) and all(isinstance(v, torch.Tensor) for v in output.values()):
            columns = {name: value.tolist() for name, value in output.items()}
            return [dict(zip(columns, row)) for row in zip(*columns.values())]
        raise OutputError("model.pt returned a %s; a bare TorchScript model must return a tensor (or a dict "
                          "of tensors) with one row per instance; use a model.mar with a handler for anything "
                          "else" % type(output).__name__)

    def close(self):
        pass


def load(folder, filename):
    if filename == "model.mar":
        from . import torchserve

        return torchserve.load(os.path.join(folder, filename))
    import torch

    path = os.path.join(folder, filename)
    try:
        module = torch.jit.load(path, map_location="cpu")
    except RuntimeError as error:
        raise LoadError("%s is not a TorchScript file (torch.jit.load: %s); save it with "
                           "torch.jit.script(model).save('model.pt') or ship a model.mar"
                           % (filename, str(error).strip().splitlines()[0])) from error
    module.eval()
    return TorchScriptModel(filename, module)
