"""onnxruntime baseline for the face benchmark: the same two models, the same inputs, one thread.

Usage: ort_baseline.py MODEL_DIR WORK_DIR ITERATIONS
Reads WORK_DIR/det.f32 (1x3x128x128) and chip.f32 (1x3x150x150), prints median times and
writes the embedding to WORK_DIR/emb_ort.f32.
"""
import os
import statistics
import sys
import time

import numpy as np
import onnxruntime as ort

model_dir, work, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
opts = ort.SessionOptions()
opts.intra_op_num_threads = 1
opts.inter_op_num_threads = 1
opts.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL


def session(name):
    return ort.InferenceSession(os.path.join(model_dir, name), opts, providers=["CPUExecutionProvider"])


def median_ms(sess, x):
    feed = {sess.get_inputs()[0].name: x}
    for _ in range(3):
        sess.run(None, feed)
    times = []
    for _ in range(n):
        t = time.perf_counter()
        out = sess.run(None, feed)
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times), out


det = np.fromfile(os.path.join(work, "det.f32"), dtype="<f4").reshape(1, 3, 128, 128)
chip = np.fromfile(os.path.join(work, "chip.f32"), dtype="<f4").reshape(1, 3, 150, 150)
det_ms, _ = median_ms(session("face_detection_short_range.onnx"), det)
emb_ms, out = median_ms(session("dlib_face_recognition_resnet_v1.onnx"), chip)
out[0].astype("<f4").tofile(os.path.join(work, "emb_ort.f32"))
print(f"ort={ort.__version__}")
print(f"det_ms={det_ms}")
print(f"emb_ms={emb_ms}")
