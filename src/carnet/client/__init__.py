"""Kernel client, kernelspecs and kernel manager: how Carnet starts and talks to kernels."""
