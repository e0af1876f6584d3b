"""A reader whose pace the test sets: the job's path is "name:op[:seconds]".

ok: answer at once; hang: take `seconds` decoding. The result carries the
worker's pid, so a test can kill the worker that read a file.
"""

import os
import time

from photodesk.ingest import worker
from photodesk.ingest.worker import Inspected


def inspect(job):
    _, op, *arg = job.path.split(":")
    if op == "hang":
        worker.step("decode")
        time.sleep(float(arg[0]))
    return Inspected(job.path, 0, 0, "new", record={"pid": os.getpid()})
