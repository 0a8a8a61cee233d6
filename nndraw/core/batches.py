"""Mini-batches made ahead on a background thread while the main thread trains on the last one.

numpy releases the GIL inside its array loops and OpenBLAS inside its matrix products, so a
second thread gathering (and distorting) the next batches runs at the same time as the
products of the current one. The batches come out in order, whatever the thread's pace, so a
seeded run is the same with or without the thread.
"""

import queue
import threading

_DONE = object()


def prefetched(make, count, depth=3):
    """Yield make(0), make(1), ... make(count - 1), computed `depth` ahead on a daemon thread.
    An exception inside `make` is raised here; closing the generator early stops the thread."""
    results = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def put(entry):
        while not stop.is_set():
            try:
                results.put(entry, timeout=0.1)
                return
            except queue.Full:
                continue

    def produce():
        try:
            for i in range(count):
                if stop.is_set():
                    return
                put((make(i), None))
        except BaseException as exc:  # handed to the consumer, which raises it
            put((None, exc))
            return
        put((_DONE, None))

    thread = threading.Thread(target=produce, name="nndraw-batches", daemon=True)
    thread.start()
    try:
        while True:
            item, error = results.get()
            if error is not None:
                raise error
            if item is _DONE:
                return
            yield item
    finally:
        stop.set()
        thread.join()


def in_order(make, count):
    """The same batches as `prefetched`, made on the calling thread (the GPU's way: cupy
    queues its kernels asynchronously already)."""
    for i in range(count):
        yield make(i)
