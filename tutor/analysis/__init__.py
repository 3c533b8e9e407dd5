"""Item analysis below the item: how a parameterised question behaves for each
value of what it draws (`parameters`), and which named mistakes a coding
exercise meets and which hint levels helped students past them (`mistakes`).
The statistics themselves are plain functions in `stats`, the buckets of the
drawn values in `facets`. Both pages read first attempts only."""
