"""iris-trainer trainer package (scikit-learn). Entry point: ``python -m trainer.task``."""
