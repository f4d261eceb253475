"""Rewrites an ONNX model in a canonical byte form (initializers and value_info sorted by name).

tflite2onnx emits initializers in an order that depends on Python's string hashing, so two
conversions of the same tflite file differ in bytes but not in content; the canonical form
makes the result reproducible and its sha256 checkable.

Usage: canonical_onnx.py IN OUT
"""
import sys

import onnx

model = onnx.load(sys.argv[1])
graph = model.graph
for field in (graph.initializer, graph.value_info):
    items = sorted(field, key=lambda item: item.name)
    del field[:]
    field.extend(items)
onnx.save(model, sys.argv[2])
