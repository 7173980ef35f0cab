"""Canonical topic slugs and their display names.

The bundled bank must cover every topic in REQUIRED_TOPICS (PRODUCT.md lists them);
custom banks may introduce new slugs, which display as their slug title-cased.
"""

from __future__ import annotations

TOPIC_LABELS: dict[str, str] = {
    "supervised-unsupervised": "Supervised vs unsupervised learning",
    "overfitting": "Overfitting",
    "bias-variance": "Bias-variance trade-off",
    "feature-selection": "Feature selection",
    "cross-validation": "Cross-validation",
    "ensembles": "Ensembles",
    "missing-data": "Missing or corrupted data",
    "regularization": "Regularization",
    "ml-project": "Describing an ML project",
    "gradient-descent": "Gradient descent",
    "activation-functions": "Activation functions",
    "generative-discriminative": "Generative vs discriminative models",
    "evaluation-metrics": "Evaluation metrics",
    "imbalanced-data": "Imbalanced data",
    "dimensionality-reduction": "Dimensionality reduction",
    "model-debugging": "Diagnosing a model that fails to learn",
    "sgd-dynamics": "SGD as a stochastic differential equation",
    "bayes-theorem": "Bayes' theorem",
    "ill-conditioning": "Ill-conditioned covariance matrices",
    "information-theory": "Entropy, cross-entropy and KL divergence",
    "probability": "Probability, expectation and variance",
    "linear-algebra": "Eigen-decomposition, SVD, norms and rank",
    "convexity": "Convexity",
    "lagrange-multipliers": "Lagrange multipliers",
    "backpropagation": "Chain rule and backpropagation",
}

REQUIRED_TOPICS: tuple[str, ...] = tuple(TOPIC_LABELS)


def topic_label(slug: str) -> str:
    return TOPIC_LABELS.get(slug, slug.replace("-", " ").capitalize())
