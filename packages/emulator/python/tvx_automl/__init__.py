"""tvx_automl: the emulator's AutoML image classification trainer (small CNN, PyTorch on the local CPU).

``python -m tvx_automl --spec spec.json`` trains under a local time budget with early stopping on the
validation split, writes the model artifact the model server (``tvx_serving``, framework ``automl_image``)
loads, and evaluates it on the test split in Vertex AI's ``classification_metrics_1.0.0`` form.
"""
