"""TensorFlow, as Vertex AI's ``tf2-cpu`` prediction container (TensorFlow Serving) serves it.

A SavedModel folder (``saved_model.pb`` + ``variables/``) is loaded with ``tf.saved_model.load`` and its
``serving_default`` signature is called in TF Serving's row format: with one input, each instance is that
input's value; with several, each instance is a dict by input name. With one output the predictions are its
rows; with several, one dict per instance by output name. Needs ``import tensorflow`` to work.
"""

from ..errors import LoadError

SIGNATURE = "serving_default"


class SavedModel:
    def __init__(self, loaded, signature):
        self.framework = "tensorflow"
        self.loaded = loaded  # keeps the signature's variables alive
        self.signature = signature
        _, self.inputs = signature.structured_input_signature
        self.description = "saved_model.pb (signature %s, inputs %s)" % (SIGNATURE, ", ".join(sorted(self.inputs)))

    def _tensors(self, instances):
        import tensorflow as tf

        if len(self.inputs) == 1:
            (name, spec), = self.inputs.items()
            if all(isinstance(i, dict) and list(i) == [name] for i in instances):
                instances = [i[name] for i in instances]
            return {name: tf.constant(instances, dtype=spec.dtype)}
        missing = [i for i, row in enumerate(instances) if not isinstance(row, dict)]
        if missing:
            raise ValueError("the model has %d inputs (%s): each instance must be an object by input name, "
                             "instance %d is not" % (len(self.inputs), ", ".join(sorted(self.inputs)), missing[0]))
        return {name: tf.constant([row[name] for row in instances], dtype=spec.dtype)
                for name, spec in self.inputs.items()}

    def predict(self, instances, parameters):
        outputs = self.signature(**self._tensors(instances))
        columns = {name: value.numpy().tolist() for name, value in outputs.items()}
        if len(columns) == 1:
            return next(iter(columns.values()))
        return [dict(zip(columns, row)) for row in zip(*columns.values())]

    def close(self):
        pass


def load(folder, filename):
    try:
        import tensorflow as tf
    except ImportError as error:
        raise LoadError("TensorFlow is not installed on this machine (import tensorflow failed: %s), so the "
                           "emulator cannot serve SavedModels here; install tensorflow for this Python or serve "
                           "the model on Vertex AI" % error) from error
    loaded = tf.saved_model.load(folder)
    signature = loaded.signatures.get(SIGNATURE)
    if signature is None:
        raise LoadError("the SavedModel has no %r signature (it has: %s); save it with signatures="
                           "{'serving_default': ...}" % (SIGNATURE, ", ".join(sorted(loaded.signatures)) or "none"))
    return SavedModel(loaded, signature)
