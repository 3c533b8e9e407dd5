"""Wrong (named mistake min-norm-with-intercept): a column of ones is added for
the bias (the textbook recipe), and its coefficient dropped at the end."""

import numpy as np


def min_norm_solution(X, y):
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    Xb = np.c_[np.ones((X.shape[0], 1)), X]
    U, s, Vt = np.linalg.svd(Xb, full_matrices=False)
    theta = Vt.T @ ((U.T @ y) / s)
    return theta[1:]
