"""Neural style transfer's losses over chosen layers, at the notes' balance
α = β = 0.5 (lecture 6.9).

Conventions (the notes', as in `style`; no normalising constant anywhere):

* The three images C, S and G have been run through the same frozen network:
  each is a list of its feature maps at the same L layers, map l of shape
  (C_l, H_l, W_l). Layers are named by their 0-based index in those lists.
* L_content = Σ over the content layers of Σ (A_C[l] − A_G[l])², every entry,
  no ½ and no mean.
* L_style = Σ over the style layers of Σ_ij (GM_S[l] − GM_G[l])², with the
  unnormalised Gram matrix GM = M Mᵀ, M = the map reshaped to (C_l, H_l·W_l).
* L_total = α·L_content + β·L_style with α = β = 0.5 (the notes' loop:
  "α = β = 0.5 gives equal balance").
"""

from __future__ import annotations

from collections.abc import Sequence

import torch
from numpy.typing import ArrayLike

from engine.reference.style import as_tensor, gram

ALPHA = 0.5
BETA = 0.5


def balanced_losses(
    content_features: Sequence[ArrayLike],
    style_features: Sequence[ArrayLike],
    generated_features: Sequence[ArrayLike],
    content_layers: Sequence[int],
    style_layers: Sequence[int],
) -> tuple[float, float, float]:
    """(L_content, L_style, L_total) at α = β = 0.5 over the chosen layers."""
    content = torch.zeros((), dtype=torch.float64)
    for layer in content_layers:
        difference = as_tensor(content_features[layer]) - as_tensor(
            generated_features[layer]
        )
        content = content + (difference**2).sum()
    style = torch.zeros((), dtype=torch.float64)
    for layer in style_layers:
        difference = gram(style_features[layer]) - gram(generated_features[layer])
        style = style + (difference**2).sum()
    return float(content), float(style), float(ALPHA * content + BETA * style)
