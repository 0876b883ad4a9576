from setuptools import find_packages, setup

setup(
    name="sklearn-iris-trainer",
    version="0.1",
    packages=find_packages(),
    install_requires=["scikit-learn"],
    description="Test trainer: logistic regression on the iris data that ships with scikit-learn.",
)
