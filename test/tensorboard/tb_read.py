"""Reads event files with TensorBoard's own Python loaders and prints what it found as JSON.

Used by tensorboard.integration.test.ts; nothing here shares code with our TypeScript writer.
  tb_read.py runs <logdir>    every summary of every run, via plugin_event_accumulator
                              (the loader behind TensorBoard's Python data path)
  tb_read.py count <file>...  number of events event_file_loader yields from each file
                              (CRC-checked; stops at a torn or corrupt record)
Floats are printed with repr() as strings so NaN and ±inf survive JSON exactly.
"""
import base64
import json
import os
import sys

import tensorboard
from tensorboard.backend.event_processing import event_file_loader, plugin_event_accumulator
from tensorboard.util import tensor_util


def number(x):
    return repr(float(x))


def decode(plugin, array):
    if plugin == "scalars":
        return number(array)
    if plugin == "histograms":
        return [[number(left), number(right), number(count)] for left, right, count in array.tolist()]
    if plugin == "images":
        width, height, *pngs = array.tolist()
        return {
            "width": width.decode(),
            "height": height.decode(),
            "png": [base64.b64encode(png).decode() for png in pngs],
        }
    if plugin == "text":
        return [s.decode("utf-8") for s in array.reshape(-1).tolist()]
    raise ValueError("unexpected plugin %r" % plugin)


def runs(logdir):
    result = {}
    for run in sorted(os.listdir(logdir)):
        path = os.path.join(logdir, run)
        if not os.path.isdir(path):
            continue
        accumulator = plugin_event_accumulator.EventAccumulator(path, size_guidance={"tensors": 0})
        accumulator.Reload()
        tags = {}
        for tag in accumulator.Tags()["tensors"]:
            plugin = accumulator.SummaryMetadata(tag).plugin_data.plugin_name
            tags[tag] = {
                "plugin": plugin,
                "events": [
                    {"step": e.step, "value": decode(plugin, tensor_util.make_ndarray(e.tensor_proto))}
                    for e in accumulator.Tensors(tag)
                ],
            }
        result[run] = tags
    return result


def count(paths):
    return {path: sum(1 for _ in event_file_loader.EventFileLoader(path).Load()) for path in paths}


def main():
    mode, args = sys.argv[1], sys.argv[2:]
    output = runs(args[0]) if mode == "runs" else count(args)
    json.dump({"version": tensorboard.__version__, "result": output}, sys.stdout)


if __name__ == "__main__":
    main()
