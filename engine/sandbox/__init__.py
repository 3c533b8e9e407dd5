"""Running untrusted student code: the boundary, the child runtime, the runners.

Modules here never import the engine's references or specs: the sandbox host
and its children must hold nothing that reveals an answer.
"""
