"""The environment every test and every notebook kernel (nbval) runs in.

Set before torch or numpy start their thread pools, and inherited by nbval's kernels:
one thread each (two per process on a busy two-core machine ran 10-100x slower)
and no network (dlbook.setup enforces it in notebooks).
"""

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")
os.environ["DLBOOK_FORBID_NETWORK"] = "1"
