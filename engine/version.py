"""The engine's version, stored with every report so regrades can be traced."""

ENGINE_VERSION = "0.1.0"
