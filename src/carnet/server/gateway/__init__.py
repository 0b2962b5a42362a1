"""Gateway mode: kernels and kernelspecs live on a Jupyter Kernel (or Enterprise) Gateway."""
