"""ctm's engine. The version is read from here by the build (pyproject.toml) and by the start-up
cache's key, so neither needs importlib.metadata."""

__version__ = "0.1.0"
