"""BigQuery ML engine of the local BigQuery: trains and applies models with scikit-learn, XGBoost and PyTorch.

`python -m tvx_bqml --serve` answers one JSON request per stdin line (see `__main__.py`).
"""
