"""Correct: entry (i, j) summed position by position, with plain loops."""


def gram_matrix(features):
    channels = len(features)
    rows, cols = len(features[0]), len(features[0][0])
    result = [[0.0] * channels for _ in range(channels)]
    for i in range(channels):
        for j in range(channels):
            total = 0.0
            for r in range(rows):
                for c in range(cols):
                    total += features[i][r][c] * features[j][r][c]
            result[i][j] = total
    print("Gram matrix of", channels, "channels")
    return result
