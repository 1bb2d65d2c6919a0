"""Kernel side of green_assist: the IPython extension, its magics and the comm link."""
